"""Faults of the machine and the place: a damaged database, a read-only home, a full disk, a
home that is a file, a garbled setting, PostgreSQL gone mid-run, a command run from another
directory — each a Vietnamese message with its exit code, never a traceback, nothing lost."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from sqlalchemy import create_engine, text

from tests.conftest import EXAMPLES, POSTGRES, ROOT, _postgres_missing
from tests.hostile import BINH_SON, LETTER, Office, _spec
from tests.hostile import office as office  # the fixture, by its name


@pytest.fixture(autouse=True)
def _session_prefect(prefect_api: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The commands run in subprocesses here use the session's Prefect server (the harness
    keeps its address in Prefect's settings, not in the environment): what these tests try
    is the machine's faults, not a Prefect server started for each command."""
    monkeypatch.setenv("PREFECT_API_URL", prefect_api)


def _copy_home(office: Office, tmp_path: Path) -> Path:
    if not office.url.startswith("sqlite"):
        pytest.skip("a database file: SQLite only")
    copy = tmp_path / "home"
    shutil.copytree(office.home, copy)
    return copy


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        (lambda db: db.write_bytes(b"day khong phai co so du lieu" * 100), "bị hỏng"),
        (lambda db: db.write_bytes(db.read_bytes()[:100]), "bị hỏng"),
    ],
    ids=["overwritten", "truncated"],
)
def test_a_damaged_database_file_is_a_vietnamese_fault(
    office: Office, tmp_path: Path, damage: Callable[[Path], None], words: str
) -> None:
    home = _copy_home(office, tmp_path)
    for extra in home.glob("chidao.db-*"):
        extra.unlink()
    damage(home / "chidao.db")
    for argv in (["status", LETTER], ["drafts"], ["escalate", "--as-of", "2024-05-13"]):
        done = subprocess.run(
            [sys.executable, "-m", "chidao", *argv],
            env={**os.environ, "CHIDAO_HOME": str(home), "CHIDAO_DATABASE_URL": ""},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 4, done.stderr
        assert "Lỗi: Cơ sở dữ liệu" in done.stderr and words in done.stderr
        assert "Traceback" not in done.stderr


def _mounted(kind: str, target: Path, *options: str) -> None:
    target.mkdir(parents=True, exist_ok=True)
    args = ["mount", *options, kind, str(target)] if kind == "tmpfs" else ["mount", *options]
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount here ({done.stderr.strip()}): needs root in a container")


def _unmount(target: Path) -> None:
    subprocess.run(["umount", str(target)], capture_output=True, check=False)


def test_a_read_only_home_is_a_vietnamese_fault_and_nothing_changes(
    office: Office, tmp_path: Path
) -> None:
    home = _copy_home(office, tmp_path)
    before = {p: p.read_bytes() for p in home.rglob("*") if p.is_file()}
    read_only = tmp_path / "ro"
    read_only.mkdir()
    _mounted("bind", read_only, "--bind", str(home), str(read_only))
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(read_only)], check=True)
        spec = _spec(office, "ro", lambda s: s.update(number=3001))
        done = subprocess.run(
            [sys.executable, "-m", "chidao", "issue", str(spec)],
            env={**os.environ, "CHIDAO_HOME": str(read_only), "CHIDAO_DATABASE_URL": ""},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    finally:
        _unmount(read_only)
    assert done.returncode == 4, done.stderr
    assert "chỉ cho đọc" in done.stderr and "Traceback" not in done.stderr
    assert {p: p.read_bytes() for p in home.rglob("*") if p.is_file()} == before


def test_a_full_disk_is_a_vietnamese_fault_and_the_rerun_completes(tmp_path: Path) -> None:
    small = tmp_path / "small"
    _mounted("tmpfs", small, "-t", "tmpfs", "-o", "size=400k")
    env = {**os.environ, "CHIDAO_HOME": str(small / "home"), "CHIDAO_DATABASE_URL": ""}
    command = [sys.executable, "-m", "chidao", "issue", str(EXAMPLES / "quang-ngai-2371.yaml")]
    try:
        full = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
        subprocess.run(["mount", "-o", "remount,size=64m", str(small)], check=True)
        again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
        state = subprocess.run(
            [sys.executable, "-m", "chidao", "status", LETTER],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        _unmount(small)
    assert full.returncode == 4, full.stderr
    assert "ổ đĩa đã đầy" in full.stderr and "Traceback" not in full.stderr
    assert again.returncode == 0, again.stderr
    assert "Cấp dưới trực tiếp" in state.stdout


def test_a_home_that_is_a_file_is_a_vietnamese_fault(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "home"
    not_a_folder.write_text("x")
    done = subprocess.run(
        [sys.executable, "-m", "chidao", "status", LETTER],
        env={**os.environ, "CHIDAO_HOME": str(not_a_folder), "CHIDAO_DATABASE_URL": ""},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 4 and "Traceback" not in done.stderr
    assert "không phải thư mục" in done.stderr


def test_a_garbled_setting_is_named(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "chidao", "status", LETTER],
        env={**os.environ, "CHIDAO_SIMULATED_NOW": "hôm qua"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2 and "«CHIDAO_SIMULATED_NOW»" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_postgresql_database_gone_mid_run_is_a_vietnamese_fault(tmp_path: Path) -> None:
    missing = _postgres_missing()
    if missing:
        pytest.skip(missing)
    import psycopg

    from models.synthetic import Shape, synthetic_directive, synthetic_org

    name = f"chidao_gone_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    (tmp_path / "org.yaml").write_text(
        yaml.safe_dump(
            synthetic_org(Shape(provinces=20, districts=10, communes=3)), allow_unicode=True
        )
    )
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump(synthetic_directive("org.yaml"), allow_unicode=True))
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    env = {**os.environ, "CHIDAO_HOME": str(tmp_path / "home"), "CHIDAO_DATABASE_URL": url}
    run = subprocess.Popen(
        [sys.executable, "-m", "chidao", "issue", str(spec), "--auto-release"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    engine = create_engine(url)
    while time.monotonic() < deadline and run.poll() is None:
        try:
            with engine.connect() as db:
                if db.execute(text("SELECT count(*) FROM directive")).scalar_one() >= 1:
                    break
        except Exception:  # noqa: BLE001 - the schema is not there yet
            pass
        time.sleep(0.05)
    engine.dispose()
    with psycopg.connect(POSTGRES, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _, err = run.communicate(timeout=300)
    assert run.returncode == 4, err
    assert "Lỗi: Cơ sở dữ liệu" in err and "Traceback" not in err


# What can be run from anywhere ------------------------------------------------------------------


# The tree is read from the database the same way on both kinds (the escalation fault tests
# run on PostgreSQL); this one, three whole commands in subprocesses, runs on the default.
@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_release_and_escalate_work_from_another_directory(
    database: str, tmp_path: Path, clock: Callable[[str], None]
) -> None:
    """The directive was issued from the repository with a relative spec path; its tree is
    kept in the database, so a command run elsewhere (another folder, another machine) works."""
    env = dict(os.environ)
    relative = ["issue", "examples/quang-ngai-2371.yaml"]
    assert (
        subprocess.run(
            [sys.executable, "-m", "chidao", *relative],
            cwd=ROOT,
            env=env,
            capture_output=True,
            check=False,
        ).returncode
        == 0
    )
    elsewhere = tmp_path / "noi-khac"
    elsewhere.mkdir()
    release = subprocess.run(
        [sys.executable, "-m", "chidao", "release", BINH_SON],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert release.returncode == 0, release.stderr
    late = {**env, "CHIDAO_SIMULATED_NOW": "2024-05-21T07:30:00+07:00"}
    escalate = subprocess.run(
        [sys.executable, "-m", "chidao", "escalate"],
        cwd=elsewhere,
        env=late,
        capture_output=True,
        text=True,
        check=False,
    )
    assert escalate.returncode == 0, escalate.stderr
    assert "don-doc" in escalate.stdout
