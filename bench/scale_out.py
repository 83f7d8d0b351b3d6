"""Scale-out benchmark: the national cascade on the office set-up (Prefect server and chidao's
database on PostgreSQL, process workers) with one worker and with two, and on the embedded
default (SQLite and a temporary server, one process).

The workload is how a ministry's office runs a national letter: one "Phát hành chỉ đạo" run
records it and drafts the 63 provinces' implementing letters; then the provinces' letters are
released, in BATCHES "Phát hành văn bản triển khai" runs triggered at once, each going down
through its provinces' districts and communes. One flow run is executed by one worker, so a
second worker helps only when there is more than one run to take. Each worker takes one run at a
time (--limit 1), as a worker on its own machine would; both share this machine's 2 cores here.

Times are from the first trigger to the last run's end; starting the office is not included.

    .venv/bin/python bench/scale_out.py [--batches 4]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.cascade import NATIONAL  # noqa: E402

ROOT_KEY = "vn:100/BNV-CCHC:2024-05-06"


def _split(keys: list[str], batches: int) -> list[list[str]]:
    return [keys[n::batches] for n in range(batches) if keys[n::batches]]


def _province_drafts(database_url: str) -> list[str]:
    from sqlmodel import Session, col, select

    from models.records import DirectiveRecord
    from models.store import Store

    store = Store.open(database_url)
    with Session(store.engine) as session:
        statement = select(DirectiveRecord.key).where(
            DirectiveRecord.depth == 1, DirectiveRecord.state == "draft"
        )
        return list(session.exec(statement.order_by(col(DirectiveRecord.key))).all())


async def _run_all(runs: list[tuple[str, dict[str, object]]]) -> None:
    """Trigger every deployment run at once and wait until all have ended."""
    from prefect.client.orchestration import get_client
    from prefect.deployments import run_deployment

    started = [await run_deployment(name, parameters=p, timeout=0) for name, p in runs]
    async with get_client() as client:
        pending = {run.id for run in started}
        while pending:
            await asyncio.sleep(0.5)
            for run_id in list(pending):
                state = (await client.read_flow_run(run_id)).state
                if state is not None and state.is_final():
                    if not state.is_completed():
                        raise SystemExit(f"flow run {run_id} ended {state.name}: {state.message}")
                    pending.discard(run_id)


CLOCK = "2024-05-06T08:00:00+07:00"  # the national letter's day: drafts released that day


def _office_run(workers: int, spec: Path, batches: int, work: Path) -> dict[str, float]:
    import psycopg

    from chidao.office import Office, running

    suffix = uuid.uuid4().hex[:8]
    office = Office(
        home=work / f"office-{workers}",
        extra_env={"CHIDAO_SIMULATED_NOW": CLOCK},
        prefect_database=f"chidao_bench_prefect_{suffix}",
        chidao_database=f"chidao_bench_{suffix}",
        port=4600 + workers,
        workers=workers,
        worker_limit=1,
    )
    try:
        with running(office):
            os.environ.update({"PREFECT_API_URL": office.api_url, "PREFECT_HOME": str(work)})
            started = time.perf_counter()
            issue = {"spec_path": str(spec), "auto_release": False}
            asyncio.run(_run_all([("Phát hành chỉ đạo/phat-hanh", issue)]))
            drafted = time.perf_counter()
            keys = _province_drafts(office.chidao_url)
            release = "Phát hành văn bản/phat-hanh-van-ban"
            parameters = {"by": "bench", "auto_release": True}
            asyncio.run(
                _run_all([(release, {"refs": b, **parameters}) for b in _split(keys, batches)])
            )
            done = time.perf_counter()
            return {"issue": drafted - started, "release": done - drafted, "total": done - started}
    finally:
        from models.store import Store

        Store.open(office.chidao_url).engine.dispose()
        with psycopg.connect(f"{office.postgres}/postgres", autocommit=True) as admin:
            for name in (office.prefect_database, office.chidao_database):
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _child(command: list[str], env: dict[str, str]) -> dict[str, float]:
    """Each measurement in a fresh process: Prefect's client keeps the settings it started with."""
    started = time.perf_counter()
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    wall = time.perf_counter() - started
    return {"wall": wall, **json.loads(out.strip().splitlines()[-1])}


def _embedded_child(spec: str, batches: int) -> None:
    """The same workload in one process on the embedded default; prints its times as JSON."""
    from flows.cascade import issue_directive, release_letters
    from models.database import database_url

    started = time.perf_counter()
    issue_directive(spec_path=spec, auto_release=False)
    drafted = time.perf_counter()
    for batch in _split(_province_drafts(database_url()), batches):
        release_letters(refs=batch, by="bench", auto_release=True)
    done = time.perf_counter()
    print(json.dumps({"issue": drafted - started, "release": done - drafted}))


def _embedded_run(spec: Path, batches: int, work: Path) -> dict[str, float]:
    env = {
        **os.environ,
        "CHIDAO_HOME": str(work / "embedded"),
        "CHIDAO_SIMULATED_NOW": CLOCK,
        "PREFECT_HOME": str(work / "embedded-prefect"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
        "PREFECT_SERVER_LOGGING_LEVEL": "CRITICAL",
        "PREFECT_LOGGING_LEVEL": "WARNING",
    }
    for name in ("PREFECT_API_URL", "CHIDAO_DATABASE_URL"):
        env.pop(name, None)
    command = [sys.executable, __file__, "--embedded-child", str(spec), "--batches", str(batches)]
    figures = _child(command, env)
    return {**figures, "total": figures["wall"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--embedded-child", help=argparse.SUPPRESS)
    parser.add_argument("--office-child", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--batches", type=int, default=4, help="release runs triggered at once")
    args = parser.parse_args()
    if args.embedded_child:
        _embedded_child(args.embedded_child, args.batches)
        return
    if args.office_child:
        workers, spec, work = args.office_child
        print(json.dumps(_office_run(int(workers), Path(spec), args.batches, Path(work))))
        return

    import yaml

    from models.synthetic import Shape, synthetic_directive, write_synthetic_org

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        units = write_synthetic_org(work / "org.yaml", Shape(**NATIONAL))
        spec = work / "spec.yaml"
        spec.write_text(yaml.safe_dump(synthetic_directive("org.yaml"), allow_unicode=True))
        print(f"National cascade, synthetic: {units} units; {args.batches} release runs")
        results = {}
        for workers in (1, 2):
            command = [sys.executable, __file__, "--batches", str(args.batches)]
            command += ["--office-child", str(workers), str(spec), str(work)]
            results[workers] = _child(command, dict(os.environ))
            f = results[workers]
            print(
                f"  server + PostgreSQL, {workers} worker(s): {f['total']:.1f} s "
                f"(issue and drafts {f['issue']:.1f} s, release {f['release']:.1f} s)"
            )
        print(
            f"  ratio 1 worker / 2 workers       : {results[1]['total'] / results[2]['total']:.2f}"
        )
        f = _embedded_run(spec, args.batches, work)
        print(
            f"  embedded default, one process     : {f['total']:.1f} s wall, Prefect start incl. "
            f"(issue and drafts {f['issue']:.1f} s, release {f['release']:.1f} s)"
        )


if __name__ == "__main__":
    main()
