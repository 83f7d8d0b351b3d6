"""What the hostile-input and fault suites share: an office with an issued directive (on SQLite
and PostgreSQL), a spec changed one field at a time, and the check that a refusal wrote nothing."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from sqlalchemy import create_engine, text
from sqlmodel import SQLModel

from chidao.cli import main
from flows.cascade import issue_directive
from tests.conftest import EXAMPLES, POSTGRES, _postgres_missing

LETTER = "2371/UBND-TTHC"
BINH_SON = "qng:2371/UBND-TTHC:2024-05-13>qng.binh-son"
MEMORY = 500 * 1024 * 1024
SECONDS = 5.0


@dataclass(frozen=True)
class Office:
    home: Path
    url: str
    inputs: Path  # hostile files are made here, outside the office's home

    def snapshot(self) -> dict[str, object]:
        """Every table's row count, and the hash of every file chidao keeps."""
        engine = create_engine(self.url)
        with engine.connect() as db:
            rows = {
                table: db.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one()  # noqa: S608
                for table in SQLModel.metadata.tables
            }
        engine.dispose()
        files = {
            str(p.relative_to(self.home)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(self.home.rglob("*"))
            if p.is_file() and not p.name.startswith("chidao.db") and "logs" not in p.parts
        }
        return {"rows": rows, "files": files}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def office(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Office]:
    """An office on 13/5/2024 that has issued Công văn 2371 (districts' letters drafted)."""
    home = tmp_path_factory.mktemp("office")
    inputs = tmp_path_factory.mktemp("inputs")
    name = None
    with pytest.MonkeyPatch.context() as env:
        env.setenv("CHIDAO_HOME", str(home))
        if request.param == "sqlite":
            env.delenv("CHIDAO_DATABASE_URL", raising=False)
            url = f"sqlite:///{home / 'chidao.db'}"
        else:
            missing = _postgres_missing()
            if missing:
                pytest.skip(missing)
            import psycopg

            name = f"chidao_hostile_{uuid.uuid4().hex[:10]}"
            with psycopg.connect(POSTGRES, autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{name}"')
            url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
            env.setenv("CHIDAO_DATABASE_URL", url)
        issue_directive(spec_path=str(EXAMPLES / "quang-ngai-2371.yaml"), auto_release=False)
        yield Office(home, url, inputs)
    if name is not None:
        import psycopg

        with psycopg.connect(POSTGRES, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _refused(
    office: Office, capsys: pytest.CaptureFixture[str], argv: list[str], code: int, *words: str
) -> str:
    before = office.snapshot()
    try:
        assert main(argv) == code
    except SystemExit as usage:  # argparse's own refusals end the program
        assert usage.code == code
    err = capsys.readouterr().err
    assert "Traceback" not in err and "Error:" not in err
    assert err.startswith("Lỗi") or err.startswith("Cách dùng"), err
    for word in words:
        assert word in err, err
    assert office.snapshot() == before, "something was written"
    return err


# Specs and trees that are not what an office means --------------------------------------------


def _spec(office: Office, name: str, change: Callable[[dict[str, object]], None]) -> Path:
    spec = yaml.safe_load((EXAMPLES / "quang-ngai-2268.yaml").read_text())
    spec["org"] = str(EXAMPLES / "org" / "quang-ngai.yaml")
    change(spec)
    path = office.inputs / f"{name}.yaml"
    path.write_text(json.dumps(spec, ensure_ascii=False, default=str))  # YAML flow style
    return path


def _set(path: str, value: object) -> Callable[[dict[str, object]], None]:
    def change(spec: dict[str, object]) -> None:
        node: object = spec
        *parents, last = path.split(".")
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]  # type: ignore[index]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value  # type: ignore[index]

    return change


def _nested(depth: int) -> dict[str, object]:
    item: dict[str, object] = {"text": "Mục lồng"}
    for _ in range(depth):
        item = {"text": "Mục lồng", "items": [item]}
    return item
