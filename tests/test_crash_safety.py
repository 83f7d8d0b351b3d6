"""A cascade killed at any point (kill -9) and started again finishes with exactly the
directives, assignments and documents of an uninterrupted run; no .docx is ever half-written."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
import yaml
from sqlalchemy import create_engine, text

from flows.cascade import issue_directive
from models.database import database_url, home
from models.synthetic import Shape, synthetic_directive, synthetic_org
from tests.killing import kill_when, run_again

# 1 national letter, 10 provincial, 100 district letters.
SHAPE = Shape(provinces=10, districts=10, communes=3, departments=5, offices=4)

# Where to kill: (table, at least this many rows). The run is still going at each point.
KILL_POINTS = {
    "after-the-root-is-recorded": ("directive", 1),
    "while-writing-provincial-letters": ("letter WHERE other_sha256 IS NOT NULL", 5),
    "while-writing-district-letters": ("letter WHERE other_sha256 IS NOT NULL", 40),
}


@pytest.fixture(scope="module")
def cascade_spec(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("synthetic")
    (folder / "org.yaml").write_text(yaml.safe_dump(synthetic_org(SHAPE), allow_unicode=True))
    spec = folder / "spec.yaml"
    spec.write_text(yaml.safe_dump(synthetic_directive("org.yaml"), allow_unicode=True))
    return spec


def _snapshot(url: str, documents: Path) -> dict[str, list[tuple[object, ...]]]:
    """What a user can see of a cascade: directives, assignments, documents and their bytes."""
    engine = create_engine(url)
    with engine.connect() as db:
        directives = db.execute(text("SELECT key, state, reference, depth FROM directive"))
        assignments = db.execute(
            text(
                "SELECT d.key, i.label, i.deadline, a.unit_code, a.due_on, a.state "
                "FROM assignment a JOIN item i ON i.id = a.item_id "
                "JOIN directive d ON d.id = a.directive_id"
            )
        )
        docs = db.execute(
            text(
                "SELECT d.key, m.path, m.sha256, m.reference FROM letter m "
                "JOIN directive d ON d.id = m.directive_id"
            )
        ).all()
        # As text: SQLite hands back dates as strings, PostgreSQL as dates.
        snapshot = {
            "directives": sorted(tuple(str(v) for v in r) for r in directives),
            "assignments": sorted(tuple(str(v) for v in r) for r in assignments),
        }
    engine.dispose()
    on_disk = []
    for key, path, sha, reference in docs:
        data = (documents / path).read_bytes()
        assert hashlib.sha256(data).hexdigest() == sha, f"{path} does not match its record"
        on_disk.append((key, path, sha, reference))
    snapshot["documents"] = sorted(on_disk)
    snapshot["files"] = sorted(
        (str(p.relative_to(documents)),) for p in documents.rglob("*") if p.is_file()
    )
    return snapshot


@pytest.fixture(scope="module")
def uninterrupted(
    cascade_spec: Path, prefect_api: str, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, list[tuple[object, ...]]]:
    reference_home = tmp_path_factory.mktemp("reference")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("CHIDAO_HOME", str(reference_home))
        env.delenv("CHIDAO_DATABASE_URL", raising=False)
        issue_directive(spec_path=str(cascade_spec), auto_release=True)
        return _snapshot(database_url(), home() / "documents")


@pytest.mark.parametrize("kill_point", sorted(KILL_POINTS))
def test_a_killed_cascade_resumes_to_the_same_result(
    kill_point: str,
    database: str,
    cascade_spec: Path,
    prefect_api: str,
    uninterrupted: dict[str, list[tuple[object, ...]]],
) -> None:
    table, rows = KILL_POINTS[kill_point]
    command = ["issue", str(cascade_spec), "--auto-release"]
    env = {**os.environ, "PREFECT_API_URL": prefect_api}
    kill_when(command, env, database, table, rows, pause=0.005)
    run_again(command, env)

    documents = home() / "documents"
    assert not list(documents.rglob("*.part")), "a half-written document was left behind"
    assert _snapshot(database, documents) == uninterrupted
    assert len(uninterrupted["directives"]) == 111
