"""An escalation pass killed at any point (kill -9) and run again the same day ends with exactly
the rungs, letters and files of an uninterrupted pass: no rung is spent without its letter, no
letter is written twice or half-written."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
import yaml
from sqlalchemy import create_engine, text

from flows.cascade import issue_directive
from flows.escalation import scan_deadlines
from models.database import home
from models.synthetic import Shape, synthetic_directive, synthetic_org
from tests.killing import kill_when, run_again

# 1 national letter, 4 provincial, 20 district letters; everyone late on Monday 17/6/2024.
SHAPE = Shape(provinces=4, districts=5, communes=3, departments=3, offices=3)
PASS_AT = "2024-06-17T07:30:00+07:00"

# Where to kill the pass: (table, at least this many rows). The pass is still going at each.
KILL_POINTS = {
    "while-writing-reports-upward": (
        "letter WHERE kind = 'bao_cao_len' AND other_sha256 IS NOT NULL",
        3,
    ),
    "after-the-rungs-are-claimed": ("letter WHERE kind = 'don_doc'", 1),
    "while-writing-urging-letters": (
        "letter WHERE kind = 'don_doc' AND other_sha256 IS NOT NULL",
        5,
    ),
}


@pytest.fixture(scope="module")
def cascade_spec(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("late")
    (folder / "org.yaml").write_text(yaml.safe_dump(synthetic_org(SHAPE), allow_unicode=True))
    spec = folder / "spec.yaml"
    spec.write_text(yaml.safe_dump(synthetic_directive("org.yaml"), allow_unicode=True))
    return spec


def _issued(spec: Path, env: pytest.MonkeyPatch) -> None:
    env.setenv("CHIDAO_SIMULATED_NOW", "2024-05-06T08:00:00+07:00")
    issue_directive(spec_path=str(spec), auto_release=True)


def _snapshot(url: str, documents: Path) -> dict[str, list[tuple[str, ...]]]:
    """What the pass leaves: its rungs, its letters with their bytes, and the files."""
    engine = create_engine(url)
    with engine.connect() as db:
        rungs = db.execute(
            text(
                "SELECT a.unit_code, r.step, r.day, l.key FROM reminder r "
                "JOIN assignment a ON a.id = r.assignment_id "
                "LEFT JOIN letter l ON l.id = r.letter_id"
            )
        )
        letters = db.execute(
            text(
                "SELECT key, kind, state, path, sha256 FROM letter "
                "WHERE kind IN ('don_doc', 'bao_cao_cham', 'bao_cao_len')"
            )
        ).all()
        snapshot = {
            "rungs": sorted(tuple(str(v) for v in r) for r in rungs),
            "letters": sorted(tuple(str(v) for v in r) for r in letters),
        }
    engine.dispose()
    for _, _, _, path, sha in snapshot["letters"]:
        data = (documents / path).read_bytes()
        assert hashlib.sha256(data).hexdigest() == sha, f"{path} does not match its record"
    snapshot["files"] = sorted(
        (str(p.relative_to(documents)),) for p in documents.rglob("*") if p.is_file()
    )
    return snapshot


@pytest.fixture(scope="module")
def uninterrupted(
    cascade_spec: Path, prefect_api: str, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, list[tuple[str, ...]]]:
    reference = tmp_path_factory.mktemp("reference")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("CHIDAO_HOME", str(reference))
        env.delenv("CHIDAO_DATABASE_URL", raising=False)
        _issued(cascade_spec, env)
        env.setenv("CHIDAO_SIMULATED_NOW", PASS_AT)
        scan_deadlines()
        return _snapshot(f"sqlite:///{reference / 'chidao.db'}", reference / "documents")


@pytest.mark.parametrize("kill_point", list(KILL_POINTS))
def test_a_killed_escalation_pass_resumes_to_the_same_result(
    kill_point: str,
    database: str,
    cascade_spec: Path,
    prefect_api: str,
    uninterrupted: dict[str, list[tuple[str, ...]]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _issued(cascade_spec, monkeypatch)
    table, rows = KILL_POINTS[kill_point]
    env = {**os.environ, "PREFECT_API_URL": prefect_api, "CHIDAO_SIMULATED_NOW": PASS_AT}
    kill_when(["escalate"], env, database, table, rows, pause=0.002)
    run_again(["escalate"], env)

    documents = home() / "documents"
    assert not list(documents.rglob("*.part")), "a half-written letter was left behind"
    after = _snapshot(database, documents)
    assert after["rungs"] == uninterrupted["rungs"]
    assert after["letters"] == uninterrupted["letters"]
    assert after["files"] == uninterrupted["files"]
    # Everyone was late: every follow-up unit wrote its đôn đốc, every district its report.
    kinds = [letter[1] for letter in uninterrupted["letters"]]
    assert kinds.count("don_doc") == 1 + 4 + 20 and kinds.count("bao_cao_len") == 4 + 20
