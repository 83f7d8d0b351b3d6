"""Letters' files on disk. chidao keeps the bytes it wrote in the database; a file is checked
against them on every run that touches its letter:

- missing, or not a readable .docx (truncated, overwritten with junk) → written again from the
  kept bytes;
- readable but different from anything chidao wrote → someone edited it: kept as it is, and
  reported, never overwritten;
- a draft whose facts changed is written anew, unless its file was edited;
- a released letter's bytes never change.

Replacing a file is announced first (`other_sha256`, committed before the file is written), so a
run killed between the file and the record still recognises both versions as chidao's own."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from lxml import etree

from models.files import sweep, write_atomic
from models.records import LetterRecord
from models.settings import settings


class OnDisk(Enum):
    MISSING = "missing"
    UNREADABLE = "unreadable"
    AS_WRITTEN = "as_written"  # the bytes chidao kept for the letter
    OUTDATED = "outdated"  # chidao's other version (the one replaced, or being replaced)
    EDITED = "edited"  # neither: somebody changed it


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def path_of(letter: LetterRecord) -> Path:
    """Where the letter's file is: under CHIDAO_HOME/documents (older records hold a full path)."""
    return settings().documents / letter.path


def readable_docx(path: Path) -> bool:
    """A Word file a clerk can open: a sound zip whose main part is well-formed XML."""
    try:
        with zipfile.ZipFile(path) as archive:
            if archive.testzip() is not None:
                return False
            etree.fromstring(archive.read("word/document.xml"))
        return True
    except (OSError, zipfile.BadZipFile, KeyError, etree.XMLSyntaxError):
        return False


def on_disk(letter: LetterRecord) -> tuple[OnDisk, str | None]:
    """The state of LETTER's file, and the sha256 of its bytes when it is readable."""
    path = path_of(letter)
    if not path.is_file():
        return OnDisk.MISSING, None
    if not readable_docx(path):
        return OnDisk.UNREADABLE, None
    found = sha256(path.read_bytes())
    if found == letter.sha256:
        return OnDisk.AS_WRITTEN, found
    if found == letter.other_sha256:
        return OnDisk.OUTDATED, found
    return (OnDisk.EDITED if letter.sha256 else OnDisk.OUTDATED), found


@dataclass
class Outcome:
    """What a run did to letters' files, for the user."""

    written: list[Path] = field(default_factory=list)
    restored: list[Path] = field(default_factory=list)
    edited: list[Path] = field(default_factory=list)  # kept as someone left them

    def __iadd__(self, other: Outcome) -> Outcome:
        self.written += other.written
        self.restored += other.restored
        self.edited += other.edited
        return self


def put(letter: LetterRecord, data: bytes) -> Outcome:
    """Make LETTER's file hold DATA, the bytes just rendered for it (announced in
    other_sha256) — unless someone edited the file chidao wrote before: then it is kept."""
    state, found = on_disk(letter)
    if found == sha256(data):
        return Outcome()
    if state is OnDisk.EDITED:
        return Outcome(edited=[path_of(letter)])
    _replace(letter, state, data)
    return Outcome(written=[path_of(letter)])


def _replace(letter: LetterRecord, state: OnDisk, data: bytes) -> None:
    if state is not OnDisk.AS_WRITTEN:  # perhaps a run killed while writing it: clear up
        sweep(path_of(letter))
    write_atomic(path_of(letter), data)


def check(letter: LetterRecord) -> Outcome:
    """Verify LETTER's file against the bytes kept for it; restore it when missing, broken or
    outdated. A letter not written yet has nothing to check."""
    state, _ = on_disk(letter)
    if state is OnDisk.EDITED:
        return Outcome(edited=[path_of(letter)])
    if state is OnDisk.AS_WRITTEN or letter.content is None:
        return Outcome()
    _replace(letter, state, letter.content)
    return Outcome(restored=[path_of(letter)])
