"""A line of a received letter as the importer reads it, and how every line's text is cleaned,
whatever the file it came from."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    """One line of the letter: its number as a reader counts (line or paragraph), its text,
    and the cells when it is a row of a table with several columns (an appendix)."""

    no: int
    text: str
    cells: tuple[str, ...] = ()
    whole: bool = False  # a Word paragraph: never a line wrapped in the middle of a phrase


_BOLD = re.compile(r"\*\*|__")
_HEADING = re.compile(r"^#{1,6}\s+")
_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f]+")
_INVISIBLE = re.compile(r"[\u00ad\u200b\u200c\u200d\ufeff]")
_ESCAPE = re.compile(r"\\([.()\[\]*_#+\-!|])")


def clean(text: str) -> str:
    """NFC, no soft hyphens or Markdown bold, heading and escape marks, single spaces."""
    text = unicodedata.normalize("NFC", _INVISIBLE.sub("", text))
    text = _HEADING.sub("", _BOLD.sub("", text.strip()))
    text = _ESCAPE.sub(r"\1", text)
    return _SPACES.sub(" ", text).strip()
