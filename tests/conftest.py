"""Shared fixtures: the repository's examples and the real seed documents in ../shared/seeds."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import docx
import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SEEDS = ROOT.parent / "shared" / "seeds"


def normalise(text: str) -> str:
    """Text as a reader compares it: NFC, no markdown emphasis, single spaces."""
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ")
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
