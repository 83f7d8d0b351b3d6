"""Reading a received letter (văn bản đến) as numbered lines of plain text: .docx, .txt or .md.

A line is what a reader sees as one: a paragraph of a Word file (table cells in reading order,
left column first), or a line of a text file. Text is NFC; Markdown bold and headings are
dropped; italics stay as *…*, the emphasis a spec's text keeps.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.document import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from models.errors import InputError
from models.limits import MAX_INPUT_BYTES, MAX_WORD_BYTES, MAX_WORD_PARAGRAPHS

SUFFIXES = (".docx", ".txt", ".md")


@dataclass(frozen=True)
class Line:
    """One line of the letter: its number as a reader counts (line or paragraph), its text,
    and the cells when it is a row of a table with several columns (an appendix)."""

    no: int
    text: str
    cells: tuple[str, ...] = ()


def read_letter(path: Path) -> list[Line]:
    """PATH's lines, blank lines kept (they separate blocks of a text file)."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError.one(path, "(tệp)", path.name, "chỉ đọc được văn bản .docx, .txt hoặc .md")
    if not path.is_file():
        raise InputError.one(path, "(tệp)", str(path), "không tìm thấy tệp")
    try:
        if suffix == ".docx":
            _guard_word(path)
            return _docx_lines(docx.Document(str(path)))
        if path.stat().st_size > MAX_INPUT_BYTES:
            limit = MAX_INPUT_BYTES // 1024 // 1024
            raise InputError.one(path, "(tệp)", path.name, f"tệp quá lớn; tối đa {limit} MB")
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError.one(
            path, "(mã hóa)", f"byte {exc.start}", "tệp không phải UTF-8; hãy lưu lại với mã UTF-8"
        ) from None
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, etree.XMLSyntaxError):
        raise InputError.one(
            path, "(tệp)", path.name, "không phải tệp Word (.docx) đọc được"
        ) from None
    if suffix == ".md":
        # An HTML comment is not part of the letter; blank it, keeping the line numbers.
        text = _COMMENT.sub(lambda found: "\n" * found[0].count("\n"), text)
    return [Line(n, clean(raw)) for n, raw in enumerate(text.splitlines(), start=1)]


_W_P = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"


def _guard_word(path: Path) -> None:
    """Refuse, before unpacking anything, a Word file that would swell beyond what a letter can
    be (a "zip bomb"): its parts' declared sizes (which reading holds them to), then its count
    of paragraphs, counted as the main part streams by."""
    with zipfile.ZipFile(path) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_WORD_BYTES:
            limit = MAX_WORD_BYTES // 1024 // 1024
            raise InputError.one(
                path,
                "(tệp)",
                f"{unpacked} byte khi giải nén",
                f"tệp Word quá lớn; tối đa {limit} MB",
            )
        with archive.open("word/document.xml") as part:
            paragraphs = etree.iterparse(part, tag=_W_P, resolve_entities=False)
            for count, (_, element) in enumerate(paragraphs, start=1):
                element.clear()
                if count > MAX_WORD_PARAGRAPHS:
                    raise InputError.one(
                        path,
                        "(tệp)",
                        f"hơn {MAX_WORD_PARAGRAPHS} đoạn",
                        "tệp Word có quá nhiều đoạn văn cho một văn bản",
                    )


_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_BOLD = re.compile(r"\*\*|__")
_HEADING = re.compile(r"^#{1,6}\s+")
_SPACES = re.compile(r"[ \t\u00a0]+")


def clean(text: str) -> str:
    """NFC, no Markdown bold or heading marks, single spaces."""
    text = unicodedata.normalize("NFC", text)
    text = _HEADING.sub("", _BOLD.sub("", text))
    return _SPACES.sub(" ", text).strip()


def _runs_text(paragraph: Paragraph) -> str:
    """The paragraph's text with italic runs as *…* (bold carries no meaning for a spec)."""
    out: list[str] = []
    for run in paragraph.runs:
        text = run.text
        if run.italic and not run.bold and text.strip():
            out.append(f"*{text}*")
        else:
            out.append(text)
    return "".join(out).replace("**", "")


def _docx_lines(document: Document) -> list[Line]:
    lines: list[Line] = []

    def add(text: str, cells: tuple[str, ...] = ()) -> None:
        lines.append(Line(len(lines) + 1, clean(text), cells))

    def paragraph(p: Paragraph) -> None:
        # A line break inside a header paragraph separates lines a reader sees as two.
        for part in _runs_text(p).split("\n"):
            add(part)

    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph(Paragraph(element, document))
        elif tag == "tbl":
            table = Table(element, document)
            for row in table.rows:
                cells = row.cells
                if len(cells) > 2:  # a data table: one line per row, cells kept apart
                    texts = tuple(clean(c.text.replace("\n", " ")) for c in cells)
                    add(" | ".join(texts), texts)
                    continue
                for cell in cells:
                    for p in cell.paragraphs:
                        paragraph(p)
                    add("")
    return lines
