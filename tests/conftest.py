"""Shared fixtures: the repository's examples and the real seed documents in ../shared/seeds."""

from __future__ import annotations

import os
import re
import unicodedata
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import docx
import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SEEDS = ROOT.parent / "shared" / "seeds"

# The files that take longest (kill tests, faults of the machine, the office's processes, the
# portal), run first: the two workers then share the long files instead of one finishing them
# alone at the end (longest first, as xdist hands out files in collection order).
LONGEST_FIRST = (
    "test_crash_safety.py",
    "test_hostile_faults.py",
    "test_escalation_faults.py",
    "test_office.py",
    "test_portal_access.py",
    "test_escalation.py",
    "test_hostile.py",
    "test_portal_browser.py",
    "test_register.py",
    "test_portal_workflows.py",
    "test_portal_outbox.py",
    "test_followup_letters.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: n for n, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: order kept within


# The offices Bình Sơn's letter (seed 002) addresses as "Thủ trưởng các Phòng: …".
SEED_002_OFFICES = (
    "Nội vụ",
    "Tư pháp",
    "Văn hóa và Thông tin",
    "Tài chính - Kế hoạch",
    "Kinh tế và Hạ tầng",
    "Y tế",
    "Giáo dục và Đào tạo",
)


# Old-style tone placement at the end of a word ("hoá", "thuý") and the style chidao writes
# ("hóa", "thúy"): the same word, spelt both ways in real letters.
_TONES = {
    f"{first}{tone}": f"{marked}{second}"
    for first, second, row_first, row_second in (
        ("o", "a", "óòỏõọ", "áàảãạ"),
        ("o", "e", "óòỏõọ", "éèẻẽẹ"),
        ("u", "y", "úùủũụ", "ýỳỷỹỵ"),
    )
    for marked, tone in zip(row_first, row_second, strict=True)
}
_OLD_TONES = re.compile(r"(?<![qQ])(" + "|".join(_TONES) + r")(?!\w)")  # "quý" stays


def normalise(text: str) -> str:
    """Text as a reader compares it: NFC, one tone placement, no markdown emphasis, single
    spaces."""
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ")
    text = _OLD_TONES.sub(lambda m: _TONES[m.group(1)], text)
    text = re.sub(r"\*+", "", text)
    return re.sub(r"\s+", " ", text).strip()


def docx_text(path: Path) -> str:
    """Every paragraph of the document, tables included, in reading order."""
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts += [p.text for p in cell.paragraphs]
    return normalise("\n".join(parts))


@pytest.fixture(scope="session")
def seeds() -> dict[str, str]:
    if not SEEDS.is_dir():
        pytest.skip(f"the seed documents are not beside the repository ({SEEDS})")
    return {p.name[:3]: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}


# The one clock, simulated for every test: the stories here happen in May 2024. A test that
# needs another moment sets CHIDAO_SIMULATED_NOW itself (see `clock`).
STORY_START = "2024-05-13T08:00:00+07:00"
os.environ["CHIDAO_SIMULATED_NOW"] = STORY_START  # for fixtures wider than one test, too


Clock = Callable[[str], None]


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Set the simulated clock: clock("2024-05-21T07:30")."""

    def set_clock(moment: str) -> None:
        monkeypatch.setenv("CHIDAO_SIMULATED_NOW", moment)

    set_clock(STORY_START)
    return set_clock


POSTGRES = "host=127.0.0.1 port=5432 user=postgres dbname=postgres connect_timeout=3"


def _postgres_missing() -> str | None:
    """Why PostgreSQL cannot be used here, or None when it can."""
    try:
        import psycopg

        with psycopg.connect(POSTGRES):
            return None
    except Exception as exc:  # any failure means: skip, and say why
        return f"PostgreSQL on 127.0.0.1:5432 is not reachable ({type(exc).__name__}: {exc})"


@pytest.fixture(params=["sqlite", "postgresql"])
def database(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """A fresh chidao database: the embedded SQLite default, and PostgreSQL where it runs."""
    monkeypatch.setenv("CHIDAO_HOME", str(tmp_path / "home"))
    if request.param == "sqlite":
        monkeypatch.delenv("CHIDAO_DATABASE_URL", raising=False)
        yield f"sqlite:///{tmp_path / 'home' / 'chidao.db'}"
        return
    yield from _fresh_postgresql(monkeypatch)


@pytest.fixture
def postgresql(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh chidao database on PostgreSQL, for what concerns PostgreSQL alone."""
    monkeypatch.setenv("CHIDAO_HOME", str(tmp_path / "home"))
    yield from _fresh_postgresql(monkeypatch)


def _fresh_postgresql(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    missing = _postgres_missing()
    if missing:
        pytest.skip(missing)
    import psycopg

    name = f"chidao_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    monkeypatch.setenv("CHIDAO_DATABASE_URL", url)
    yield url
    with psycopg.connect(POSTGRES, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session", autouse=True)
def readable_folders(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The flows read spec files the tests write in their temporary folders."""
    os.environ["CHIDAO_FILES"] = os.pathsep.join(
        [str(tmp_path_factory.getbasetemp()), str(EXAMPLES)]
    )


@pytest.fixture(scope="session")
def prefect_api() -> Iterator[str]:
    """A real Prefect server (temporary SQLite) for the whole session; yields its API URL."""
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        url = PREFECT_API_URL.value()
        assert url
        yield url
