"""Cascade benchmark: province scale (the Quảng Ngãi example) and national scale (synthetic,
63 provinces × 11 districts × 15 communes with departments and offices, ≈ 20,000 units).

Each run is a fresh process on a fresh embedded database, Prefect's temporary server included,
as a coordinator's `chidao issue` would be. Prints wall time, peak RSS of the whole process tree
(the temporary Prefect server too), and how the time splits: chidao's database work and rules,
rendering, and the rest — Prefect (start, orchestration, artifacts) and interpreter start.

    .venv/bin/python bench/cascade.py [--skip-national]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NATIONAL = dict(provinces=63, districts=11, communes=15, departments=20, offices=12)


def _tree_rss_kib(pid: int) -> int:
    """Resident memory of PID and all its descendants, from /proc."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(
                next(ln.split()[1] for ln in status.splitlines() if ln.startswith("VmRSS"))
            )
            for task in Path(f"/proc/{current}/task").iterdir():
                stack += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, StopIteration):
            continue
    return total


def _run(spec: Path, workdir: Path, prefect_home: Path) -> dict[str, float]:
    env = {
        **os.environ,
        "CHIDAO_HOME": str(workdir / "home"),
        "CHIDAO_SIMULATED_NOW": "2024-05-13T08:00:00+07:00",  # the day 2371 is issued
        "PREFECT_HOME": str(prefect_home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
        "PREFECT_SERVER_LOGGING_LEVEL": "CRITICAL",
        "PREFECT_LOGGING_LEVEL": "WARNING",
    }
    env.pop("PREFECT_API_URL", None)
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, __file__, "--child", str(spec)], env=env, stdout=subprocess.PIPE
    )
    peak = 0

    def sample() -> None:
        nonlocal peak
        while child.poll() is None:
            peak = max(peak, _tree_rss_kib(child.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    out, _ = child.communicate()
    sampler.join()
    wall = time.perf_counter() - started
    if child.returncode != 0:
        raise SystemExit(f"the cascade failed (exit {child.returncode})")
    figures = json.loads(out.decode().strip().splitlines()[-1])
    return {**figures, "wall": wall, "peak_rss_mib": peak / 1024}


def _child(spec: str) -> None:
    """Inside the measured process: issue the cascade, print chidao's own timings as JSON."""
    from flows.cascade import issue_directive

    result = issue_directive(spec_path=spec, auto_release=True)
    print(
        json.dumps(
            {
                "directives": result.directives,
                "database": result.timings.database,
                "rendering": result.timings.rendering,
            }
        )
    )


def _report(title: str, units: int, goal: str, f: dict[str, float]) -> None:
    prefect = f["wall"] - f["database"] - f["rendering"]
    print(f"{title}: {units} units, {int(f['directives'])} directives, one document each")
    print(f"  wall, Prefect start included : {f['wall']:.1f} s   ({goal})")
    print(f"  peak RSS, process tree       : {f['peak_rss_mib']:.0f} MiB")
    print(f"  chidao database and rules    : {f['database']:.1f} s")
    print(f"  chidao rendering (.docx)     : {f['rendering']:.1f} s")
    print(f"  Prefect and interpreter start: {prefect:.1f} s ({100 * prefect / f['wall']:.0f}%)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--skip-national", action="store_true")
    args = parser.parse_args()
    if args.child:
        _child(args.child)
        return

    import yaml

    from models.org import OrgTree
    from models.synthetic import Shape, synthetic_directive, synthetic_org

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        prefect_home = work / "prefect"
        spec = ROOT / "examples" / "quang-ngai-2371.yaml"
        # First start creates Prefect's own database; a coordinator's machine has it already.
        cold = _run(spec, work / "cold", prefect_home)
        print(f"(Prefect's first start on a new machine: {cold['wall']:.1f} s wall)")
        units = len(OrgTree.load(ROOT / "examples" / "org" / "quang-ngai.yaml"))
        _report(
            "Province scale, Quảng Ngãi example",
            units,
            "goal <= 20 s",
            _run(spec, work / "qn", prefect_home),
        )
        if args.skip_national:
            return
        national = work / "national"
        national.mkdir()
        data = synthetic_org(Shape(**NATIONAL))
        (national / "org.yaml").write_text(
            yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True)
        )
        (national / "spec.yaml").write_text(
            yaml.safe_dump(synthetic_directive("org.yaml"), allow_unicode=True)
        )
        figures = _run(national / "spec.yaml", national, prefect_home)
        _report("National scale, synthetic", len(data["units"]), "goal <= 90 s, <= 1.5 GB", figures)


if __name__ == "__main__":
    main()
