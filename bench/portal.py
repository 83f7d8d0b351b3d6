"""Portal benchmark on PostgreSQL, national-scale data.

20,000 units × 50 directives = 1,000,000 assignments (one item each, every unit assigned), plus
a province of 100 units × 30 directives followed up by its Sở Nội vụ. The portal runs as an
office runs it (`python -m portal`, CHIDAO_WEB_WORKERS=2) on loopback; first one clerk alone
opens her inbox (its own cost), then 50 clerks of 50 units, logged in before timing (no
password hashing in the figures). Each clerk, concurrently, ROUNDS times: opens the inbox,
then submits a report with a 1 MB PDF. Printed: throughput, p50/p95 latency per page, the load
generator's own CPU, the reports counted after (none lost or doubled), and the coordinator's
board render time for the province.

    .venv/bin/python bench/portal.py [--cluster postgresql://postgres@127.0.0.1:5432] [--rounds 20]
"""

from __future__ import annotations

import argparse
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx
import psycopg
from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from models import accounts  # noqa: E402
from models.store import Store  # noqa: E402

CLERKS = 50
UNITS = 20_000
DIRECTIVES = 50
PROVINCE_UNITS, PROVINCE_DIRECTIVES = 100, 30
PDF = b"%PDF-1.4\n" + b"0" * (1024 * 1024 - 9)

FILL = [
    "INSERT INTO unit (code, name, abbreviation, level, kind, governs) VALUES "
    "('vn', 'Chính phủ', 'CP', 'central', 'committee', true), "
    "('vn.bnv', 'Bộ Nội vụ', 'BNV', 'central', 'department', false)",
    "UPDATE unit SET coordinator_code = 'vn.bnv' WHERE code = 'vn'",
    "CREATE TEMPORARY TABLE n AS SELECT generate_series(0, 19999) AS i",
    "INSERT INTO unit (code, name, abbreviation, level, kind, parent_code, governs) "
    "SELECT 'u' || lpad(i::text, 5, '0'), 'Đơn vị ' || i, 'DV', 'province', 'department', 'vn', "
    "false FROM n",
    "INSERT INTO directive (id, key, depth, issuer_code, kind, reference, subject, issued_on, "
    "state, spec_json, spec_sha256, org_path, created_at) SELECT d, 'bench-' || d, 0, 'vn', "
    "'cong_van', d || '/CP-BENCH', 'Chỉ đạo đo tốc độ số ' || d, '2024-05-01', 'released', '{}',"
    " '', '', '2024-05-01' FROM generate_series(1, 50) d",
    "INSERT INTO item (id, directive_id, label, text, deadline, due_on, follow_up, "
    "chase_cooperating) SELECT d, d, '1.', 'Báo cáo kết quả thực hiện', 'trước ngày 20/5/2024', "
    "DATE '2024-05-10' + (d % 20), false, false FROM generate_series(1, 50) d",
    "INSERT INTO assignment (directive_id, item_id, unit_code, report_to_code, role, due_on, "
    "state, created_at) SELECT d, d, 'u' || lpad(n.i::text, 5, '0'), 'vn.bnv', 'lead', "
    "DATE '2024-05-10' + (d % 20), CASE WHEN (n.i + d) % 4 = 0 THEN 'accepted' ELSE 'assigned' "
    "END, '2024-05-01' FROM generate_series(1, 50) d CROSS JOIN n",
    # The province: UBND tỉnh p, its Sở Nội vụ p.snv, 100 units, 30 directives.
    "INSERT INTO unit (code, name, abbreviation, level, kind, parent_code, governs) VALUES "
    "('p', 'UBND tỉnh Mẫu', 'UBND', 'province', 'committee', NULL, true), "
    "('p.snv', 'Sở Nội vụ tỉnh Mẫu', 'SNV', 'province', 'department', 'p', false)",
    "UPDATE unit SET coordinator_code = 'p.snv' WHERE code = 'p'",
    "INSERT INTO unit (code, name, abbreviation, level, kind, parent_code, governs) "
    "SELECT 'p.u' || lpad(i::text, 3, '0'), 'Sở ' || i || ' tỉnh Mẫu', 'S', 'province', "
    "'department', 'p', false FROM generate_series(0, 99) i",
    "INSERT INTO directive (id, key, depth, issuer_code, kind, reference, subject, issued_on, "
    "state, spec_json, spec_sha256, org_path, created_at) SELECT 100 + d, 'tinh-' || d, 0, 'p', "
    "'cong_van', d || '/UBND-TTHC', 'Chỉ đạo của tỉnh số ' || d, '2024-05-01', 'released', '{}', "
    "'', '', '2024-05-01' FROM generate_series(1, 30) d",
    "INSERT INTO item (id, directive_id, label, text, deadline, due_on, follow_up, "
    "chase_cooperating) SELECT 100 + d, 100 + d, '1.', 'Báo cáo', 'trước ngày 20/5/2024', "
    "DATE '2024-05-10' + (d % 20), false, false FROM generate_series(1, 30) d",
    "INSERT INTO assignment (directive_id, item_id, unit_code, report_to_code, role, due_on, "
    "state, created_at) SELECT 100 + d, 100 + d, 'p.u' || lpad(i::text, 3, '0'), 'p.snv', "
    "'lead', DATE '2024-05-10' + (d % 20), CASE WHEN (i + d) % 3 = 0 THEN 'reported' ELSE "
    "'assigned' END, '2024-05-01' FROM generate_series(1, 30) d CROSS JOIN "
    "generate_series(0, 99) i",
    "SELECT setval(pg_get_serial_sequence('directive', 'id'), 1000)",
    "SELECT setval(pg_get_serial_sequence('item', 'id'), 1000)",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cluster", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--maintenance-db", default="test")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2, help="portal processes")
    args = parser.parse_args()
    name = f"chidao_portal_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{args.cluster}/{args.maintenance_db}", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        run(args, f"{args.cluster.replace('postgresql://', 'postgresql+psycopg://')}/{name}")
    finally:
        with psycopg.connect(f"{args.cluster}/{args.maintenance_db}", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(args: argparse.Namespace, url: str) -> None:
    tmp = tempfile.mkdtemp(prefix="chidao-portal-bench-")
    os.environ.update(
        {
            "CHIDAO_HOME": tmp,
            "CHIDAO_DATABASE_URL": url,
            "CHIDAO_SIMULATED_NOW": "2024-05-16T09:00:00+07:00",
            "CHIDAO_OUTBOX_SECONDS": "3600",
        }
    )
    store = Store.open(url)
    started = time.perf_counter()
    with store.engine.begin() as db:
        for statement in FILL:
            db.execute(text(statement))
        count = db.execute(text("SELECT count(*) FROM assignment")).scalar_one()
        units = db.execute(text("SELECT count(*) FROM unit")).scalar_one()
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as db:
        db.execute(text("ANALYZE"))
    print(
        f"Portal bench (PostgreSQL): {units:,} units, {count:,} assignments "
        f"(filled in {time.perf_counter() - started:.1f} s)"
    )
    clerks = []
    for n in range(CLERKS):
        unit = f"u{n * 397:05d}"
        record = accounts.add_account(
            store, f"clerk{n}", f"Văn thư {n}", unit, "clerk", "mat-khau-do-toc-do", None, "bench"
        )
        assert record.id is not None
        clerks.append((unit, accounts.open_login_for(store, record.id)))
    coordinator = accounts.add_account(
        store, "snv", "Điều phối", "p.snv", "coordinator", "mat-khau-do-toc-do", None, "bench"
    )
    assert coordinator.id is not None
    board_login = accounts.open_login_for(store, coordinator.id)
    with store.engine.connect() as db:
        owed = {
            unit: [
                row[0]
                for row in db.execute(
                    text(
                        "SELECT id FROM assignment WHERE unit_code = :u AND state = 'assigned' "
                        "ORDER BY id"
                    ),
                    {"u": unit},
                )
            ]
            for unit, _ in clerks
        }
    port = _free_port()
    # Started as an office starts it (`python -m portal`), on both cores.
    env = {
        **os.environ,
        "CHIDAO_WEB_HOST": "127.0.0.1",
        "CHIDAO_WEB_PORT": str(port),
        "CHIDAO_WEB_WORKERS": str(args.workers),
    }
    server = subprocess.Popen([sys.executable, "-m", "portal"], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base)
        _alone(base, clerks[0][1])
        _load(base, clerks, owed, args.rounds, store)
        _board(base, board_login)
    finally:
        server.terminate()
        server.wait(timeout=20)


def _wait(base: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/dang-nhap", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.3)
    raise SystemExit("the portal did not start")


def _load(
    base: str,
    clerks: list[tuple[str, accounts.Login]],
    owed: dict[str, list[int]],
    rounds: int,
    store: Store,
) -> None:
    latencies: dict[str, list[float]] = {"inbox": [], "report": []}
    first: list[float] = []  # the inbox of round 1: fifty clerks open it at the same moment
    later: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(clerks) + 1)

    def clerk(unit: str, login: accounts.Login) -> None:
        with httpx.Client(base_url=base, cookies={"chidao_phien": login.token}, timeout=60) as c:
            c.get("/hop-viec")  # warm the connection before timing
            barrier.wait()
            for n in range(rounds):
                t = time.perf_counter()
                answer = c.get("/hop-viec")
                inbox = time.perf_counter() - t
                target = owed[unit][n]
                t = time.perf_counter()
                sent = c.post(
                    f"/viec/{target}/bao-cao",
                    data={"csrf": login.csrf, "text": f"Báo cáo lần {n}"},
                    files={"files": ("bao-cao.pdf", PDF, "application/pdf")},
                )
                report = time.perf_counter() - t
                with lock:
                    latencies["inbox"].append(inbox)
                    (later if n else first).append(inbox)
                    latencies["report"].append(report)
                    if answer.status_code != 200 or sent.status_code != 303:
                        failures.append(f"{unit}: {answer.status_code} {sent.status_code}")

    threads = [threading.Thread(target=clerk, args=pair) for pair in clerks]
    for thread in threads:
        thread.start()
    barrier.wait()
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    reports = len(latencies["report"])
    print(
        f"{len(clerks)} clerks × {rounds} rounds (inbox, then a report with a 1 MB file): "
        f"{reports} reports in {elapsed:.2f} s = {reports / elapsed:.1f} reports/s, "
        f"{2 * reports / elapsed:.1f} requests/s (goal >= 50 reports/s)"
    )
    shown = {
        "inbox, every round": latencies["inbox"],
        "inbox, round 1 only (all opened at once)": first,
        "inbox, later rounds (beside the uploads)": later,
        "report": latencies["report"],
    }
    for page, values in shown.items():
        if values:
            print(
                f"  {page}: p50 {1000 * statistics.median(values):.0f} ms, "
                f"p95 {1000 * _percentile(values, 0.95):.0f} ms, max {1000 * max(values):.0f} ms"
                + (" (goal p95 <= 200 ms)" if page.startswith("inbox") else "")
            )
    print(f"  load generator CPU: {cpu:.2f} s over {elapsed:.2f} s ({100 * cpu / elapsed:.0f}%)")
    with store.engine.connect() as db:
        counted = db.execute(text("SELECT count(*) FROM report")).scalar_one()
        distinct = db.execute(text("SELECT count(DISTINCT assignment_id) FROM report")).scalar_one()
        files = db.execute(text("SELECT count(*) FROM evidence")).scalar_one()
    print(
        f"  reports counted after: {counted} ({distinct} assignments, {files} evidence rows); "
        f"expected {reports}; failures: {len(failures)}"
        + ("" if counted == distinct == reports and not failures else "  <-- LOST OR DOUBLED")
    )


def _timed(login: accounts.Login, base: str, path: str, times: int) -> list[float]:
    """Seconds for each of TIMES requests of PATH, one at a time, after one to warm up."""
    seconds = []
    with httpx.Client(base_url=base, cookies={"chidao_phien": login.token}, timeout=60) as c:
        assert c.get(path).status_code == 200
        for _ in range(times):
            t = time.perf_counter()
            c.get(path)
            seconds.append(time.perf_counter() - t)
    return seconds


def _alone(base: str, login: accounts.Login) -> None:
    """The inbox's own cost: one clerk, nothing else running (the load's figures add the time
    a request waits for the 2 cores behind the others)."""
    times = _timed(login, base, "/hop-viec", 40)
    print(
        f"One clerk alone, inbox of 50 assignments: median {1000 * statistics.median(times):.1f} "
        f"ms, p95 {1000 * _percentile(times, 0.95):.1f} ms over 40 requests"
    )


def _board(base: str, login: accounts.Login) -> None:
    with httpx.Client(base_url=base, cookies={"chidao_phien": login.token}, timeout=60) as c:
        page = c.get("/bang-theo-doi")
        assert "Tổng 3000 việc" in page.text, page.text[:500]
    times = _timed(login, base, "/bang-theo-doi", 20)
    print(
        f"Coordinator's board, {PROVINCE_UNITS} units × {PROVINCE_DIRECTIVES} directives (3,000 "
        f"assignments): median {1000 * statistics.median(times):.0f} ms, "
        f"p95 {1000 * _percentile(times, 0.95):.0f} ms over 20 renders (goal <= 150 ms)"
    )


if __name__ == "__main__":
    main()
