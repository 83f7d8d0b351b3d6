"""Escalation benchmarks.

1. One escalation pass over 1,000,000 assignments: database and decision work only (no
   rendering). 1,000 units × 1,000 tasks of one directive; one in ten still open, due days
   spread over 2024. Then a second pass on the same day, which must create nothing.
2. The letters of a national pass: a national letter cascaded to 63 provinces × 11 districts ×
   15 communes, nobody reports, and the pass after the deadlines drafts one công văn đôn đốc per
   late coordinator (Bộ Nội vụ, each Sở Nội vụ, each Phòng Nội vụ): documents per second.

    .venv/bin/python bench/escalation.py [--database-url URL] [--skip-letters]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml
from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flows import letters  # noqa: E402
from models import escalation  # noqa: E402
from models.states import LetterKind  # noqa: E402
from models.store import Store  # noqa: E402
from models.synthetic import Shape, synthetic_directive, write_synthetic_org  # noqa: E402

UNITS = TASKS = 1000
AS_OF = dt.date(2024, 7, 1)

DIGITS = "(" + " UNION ALL ".join(f"SELECT {d} AS i" for d in range(10)) + ")"
FILL = [
    "INSERT INTO unit (code, name, abbreviation, level, kind, governs) VALUES "
    "('vn', 'Chính phủ', 'CP', 'central', 'committee', true), "
    "('vn.bnv', 'Bộ Nội vụ', 'BNV', 'central', 'department', false)",
    # Units u0000…u0999 and tasks 1…1000 from a numbers table.
    "CREATE TEMPORARY TABLE n (i INTEGER PRIMARY KEY)",
    f"INSERT INTO n (i) SELECT a.i * 100 + b.i * 10 + c.i FROM {DIGITS} a, {DIGITS} b, {DIGITS} c",
    "INSERT INTO unit (code, name, abbreviation, level, kind, parent_code, governs) "
    "SELECT 'u' || lpad_i, 'Đơn vị ' || lpad_i, 'DV', 'province', 'department', 'vn', false "
    "FROM (SELECT substr('000' || i, -4) AS lpad_i FROM n) t",
    "INSERT INTO directive (id, key, depth, issuer_code, kind, reference, subject, issued_on, "
    "state, spec_json, spec_sha256, org_path, created_at) VALUES (1, 'bench', 0, 'vn', "
    "'cong_van', '1/CP-BENCH', 'đo tốc độ', '2024-01-01', 'released', '{}', '', '', "
    "'2024-01-01')",
    "INSERT INTO item (id, directive_id, label, text, follow_up, chase_cooperating) "
    "SELECT i + 1, 1, (i + 1) || '.', 'Việc', false, false FROM n",
    "INSERT INTO assignment (directive_id, item_id, unit_code, report_to_code, role, due_on, "
    "state, created_at) SELECT 1, t.i + 1, 'u' || substr('000' || u.i, -4), 'vn.bnv', 'lead', "
    "{due}, CASE WHEN (t.i + u.i) % 10 = 0 THEN 'assigned' ELSE 'accepted' END, '2024-01-01' "
    "FROM n t CROSS JOIN n u",
]
DUE = {
    "sqlite": "date('2024-01-01', '+' || ((t.i * 7 + u.i) % 366) || ' days')",
    "postgresql": "DATE '2024-01-01' + ((t.i * 7 + u.i) % 366)",
}


NATIONAL = Shape(provinces=63, districts=11, communes=15, departments=20, offices=12)


def national_letters() -> None:
    """Cascade a national letter (embedded Prefect), then time the pass's letters."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ.update(
            {
                "CHIDAO_HOME": str(folder / "home"),
                "PREFECT_HOME": str(folder / "prefect"),
                "CHIDAO_SIMULATED_NOW": "2024-05-06T08:00:00+07:00",
                "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
                "PREFECT_SERVER_LOGGING_LEVEL": "CRITICAL",
                "PREFECT_LOGGING_LEVEL": "WARNING",
                "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            }
        )
        os.environ.pop("CHIDAO_DATABASE_URL", None)
        write_synthetic_org(folder / "org.yaml", NATIONAL)
        spec = folder / "spec.yaml"
        spec.write_text(yaml.safe_dump(synthetic_directive("org.yaml"), allow_unicode=True))
        from flows.cascade import issue_directive

        result = issue_directive(spec_path=str(spec), auto_release=True)
        os.environ["CHIDAO_SIMULATED_NOW"] = "2024-06-18T07:30:00+07:00"
        store = Store.open()
        started = time.perf_counter()
        taken = escalation.claim(store, dt.date(2024, 6, 18), "bench")
        claimed = time.perf_counter() - started
        owed = escalation.pending(store, [LetterKind.URGING])
        started = time.perf_counter()
        outcome = letters.write(store, owed)
        spent = time.perf_counter() - started
        print(
            f"National pass letters: {result.directives} directives; the pass took "
            f"{taken['urge']:,} urge rungs in {claimed:.2f} s"
        )
        print(
            f"  {len(outcome.written)} công văn đôn đốc drafted, rendered and written in "
            f"{spent:.2f} s: {len(outcome.written) / spent:.0f} documents per second"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-letters", action="store_true")
    args = parser.parse_args()
    claims(args)
    if not args.skip_letters:
        national_letters()


def claims(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(args.database_url or f"sqlite:///{tmp}/bench.db")
        dialect = store.engine.dialect.name
        started = time.perf_counter()
        with store.engine.begin() as db:
            for statement in FILL:
                db.execute(text(statement.replace("{due}", DUE[dialect])))
            count = db.execute(text("SELECT count(*) FROM assignment")).scalar_one()
            open_work = db.execute(
                text("SELECT count(*) FROM assignment WHERE state = 'assigned'")
            ).scalar_one()
            db.execute(text("ANALYZE"))
        print(
            f"Escalation pass ({dialect}), as of {AS_OF}: {count:,} assignments, "
            f"{open_work:,} still open (filled in {time.perf_counter() - started:.1f} s)"
        )
        figures: dict[int, list[float]] = {1: [], 2: []}
        for repetition in range(args.repeat):
            with store.engine.begin() as db:  # start each repetition with no rung taken
                db.execute(text("DELETE FROM reminder"))
                db.execute(text("DELETE FROM audit_log"))
            for n in (1, 2):
                started = time.perf_counter()
                taken = escalation.claim(store, AS_OF, f"bench-{repetition}-{n}")
                figures[n].append(time.perf_counter() - started)
                if repetition == 0:
                    print(f"  pass {n} takes: {taken}")
        for n, goal in ((1, "goal <= 1 s"), (2, "goal <= 0.5 s")):
            runs = sorted(figures[n])
            print(
                f"  pass {n}: median {statistics.median(runs):.2f} s, min {runs[0]:.2f} s, "
                f"max {runs[-1]:.2f} s over {len(runs)} runs ({goal})"
            )


if __name__ == "__main__":
    main()
