"""Reading a Word letter (.docx) as lines: paragraphs and table cells in reading order, with
the numbers Word draws before list paragraphs, from the package's main, styles and numbering
parts only."""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from typing import Any

from docx.oxml.parser import parse_xml
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from lxml import etree

from models.errors import InputError
from models.letterlines import Line, clean
from models.limits import MAX_WORD_BYTES, MAX_WORD_PARAGRAPHS
from models.vntext import roman


def word_lines(path: Path) -> list[Line]:
    """PATH's paragraphs as lines (a table row of three cells or more keeps its cells apart)."""
    return _docx_lines(*_word_parts(path))


_W_P = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"


def _word_parts(path: Path) -> tuple[Any, Any, Any]:
    """The body of PATH's main part, with its styles and numbering parts (None when absent),
    found through the package's relationships. Only these three are parsed: opening the whole
    package (its images, theme, settings…) would take most of the time to read a letter."""
    with zipfile.ZipFile(path) as archive:
        main = _related(archive, "").get("officeDocument", "word/document.xml")
        _guard_word(path, archive, main)
        parts = _related(archive, main)
        styles, numbering = (
            parse_xml(archive.read(parts[kind])) if kind in parts else None
            for kind in ("styles", "numbering")
        )
        document = parse_xml(archive.read(main))
        if document.tag != f"{_W}document":  # a spreadsheet or slides renamed .docx
            raise ValueError(main)
        return document.body, styles, numbering


_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


def _related(archive: zipfile.ZipFile, part: str) -> dict[str, str]:
    """PART's relationships inside the package ("" for the package's own): each kind, as the
    last word of its type ("styles", "numbering"), to the part it names."""
    folder, _, name = part.rpartition("/")
    try:
        root = parse_xml(archive.read(posixpath.join(folder, "_rels", f"{name}.rels")))
    except KeyError:
        return {}
    related: dict[str, str] = {}
    for relationship in root.iter(_RELATIONSHIP):
        target = relationship.get("Target", "")
        if relationship.get("TargetMode") == "External" or not target:
            continue
        found = target[1:] if target.startswith("/") else posixpath.join(folder, target)
        kind = relationship.get("Type", "").rsplit("/", 1)[-1]
        related.setdefault(kind, posixpath.normpath(found))
    return related


def _guard_word(path: Path, archive: zipfile.ZipFile, main: str) -> None:
    """Refuse, before unpacking anything, a Word file that would swell beyond what a letter can
    be (a "zip bomb"): its parts' declared sizes (which reading holds them to), then its count
    of paragraphs, counted as the main part streams by."""
    unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > MAX_WORD_BYTES:
        limit = MAX_WORD_BYTES // 1024 // 1024
        raise InputError.one(
            path,
            "(tệp)",
            f"{unpacked} byte khi giải nén",
            f"tệp Word quá lớn; tối đa {limit} MB",
        )
    with archive.open(main) as part:
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


def _runs_text(paragraph: Paragraph) -> str:
    """The paragraph's text with italic runs as *…* (bold carries no meaning for a spec). Runs
    are read from their elements, each piece as python-docx renders it (a tab "\t", a line
    break "\n"): its Run objects cost a query per property, a third of the time to read."""
    out: list[str] = []
    for run in paragraph._p.iterchildren(f"{_W}r"):
        text = "".join(str(piece) for piece in run.iterchildren(*_RUN_TEXT))
        marks = run.rPr
        if marks is not None and _on(marks.i) and not _on(marks.b) and text.strip():
            out.append(f"*{text}*")
        else:
            out.append(text)
    return "".join(out).replace("**", "")


def _on(mark: Any) -> bool:
    """Whether a run's on/off property (w:i, w:b) is set on the run itself."""
    return mark is not None and bool(mark.val)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_RUN_TEXT = tuple(f"{_W}{tag}" for tag in ("br", "cr", "noBreakHyphen", "ptab", "t", "tab"))


class _Numbering:
    """The marks Word draws before list paragraphs ("1.", "a)", "II.", "-"), which are not in
    their text: a clerk's numbered or bulleted list reads as the same letter typed by hand. A
    paragraph is numbered by its own properties or by its style's ("List Number")."""

    def __init__(self, styles: Any, numbering: Any):
        # (numId, level) -> (format, text such as "%1." or "%1.%2", first value)
        self.formats: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.styled = _styled_numbering(styles)
        root = numbering
        if root is None:
            return
        abstract = {a.get(f"{_W}abstractNumId"): a for a in root.iterchildren(f"{_W}abstractNum")}
        for num in root.iterchildren(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            levels = abstract.get(ref.get(f"{_W}val") if ref is not None else None)
            for level in levels.iterchildren(f"{_W}lvl") if levels is not None else ():
                fmt, text = level.find(f"{_W}numFmt"), level.find(f"{_W}lvlText")
                start = level.find(f"{_W}start")
                first = start.get(f"{_W}val") if start is not None else "1"
                self.formats[(num.get(f"{_W}numId") or "", int(level.get(f"{_W}ilvl") or 0))] = (
                    fmt.get(f"{_W}val") if fmt is not None else "decimal",
                    text.get(f"{_W}val") if text is not None else "",
                    int(first) if (first or "").isdigit() else 1,
                )

    def mark(self, p: Paragraph) -> str:
        found = _numbered(p, self.styled)
        if found is None:
            return ""
        num_id, level = found
        fmt, text, _ = self.formats.get((num_id, level), ("bullet", "-", 1))
        if fmt == "bullet" or "%" not in text:
            return "- "
        counts = self.counters.setdefault(num_id, {})
        first = self.formats.get((num_id, level), ("", "", 1))[2]
        counts[level] = counts.get(level, first - 1) + 1
        for deeper in [k for k in counts if k > level]:  # a new item restarts its sub-items
            del counts[deeper]

        def shown(found: re.Match[str]) -> str:
            at = int(found[1]) - 1
            at_fmt, _, at_first = self.formats.get((num_id, at), ("decimal", "", 1))
            return _counted(counts.get(at, at_first), at_fmt)

        return re.sub(r"%(\d)", shown, text) + " "


def _numbered(p: Paragraph, styled: dict[str, tuple[str, int] | None]) -> tuple[str, int] | None:
    """The list (numId) and level of P, from its own properties or else its style's."""
    found = _num_pr(p._p)
    if found is not None:
        return found or None
    style = p._p.find(f"{_W}pPr/{_W}pStyle")
    return styled.get(style.get(f"{_W}val", "") if style is not None else "")


def _num_pr(element: Any) -> tuple[str, int] | tuple[()] | None:
    """ELEMENT's own numbering: None when it has none, () when it switches numbering off."""
    num_id = element.find(f"{_W}pPr/{_W}numPr/{_W}numId")
    if num_id is None:
        return None
    if num_id.get(f"{_W}val") == "0":
        return ()
    level = element.find(f"{_W}pPr/{_W}numPr/{_W}ilvl")
    return num_id.get(f"{_W}val", ""), int(level.get(f"{_W}val", "0")) if level is not None else 0


def _styled_numbering(root: Any) -> dict[str, tuple[str, int] | None]:
    """Each paragraph style's numbering, through the styles it is based on, read once from the
    styles' XML (looking styles up paragraph by paragraph would double the time to read a
    letter). The default paragraph style is also under ""."""
    styles = {
        s.get(f"{_W}styleId", ""): s
        for s in (root.iterchildren(f"{_W}style") if root is not None else ())
        if s.get(f"{_W}type") == "paragraph"
    }
    out: dict[str, tuple[str, int] | None] = {}
    for style_id, style in styles.items():
        current, found = style, None
        for _ in range(len(styles)):  # a based-on chain ends, even if a file loops it
            if current is None or (found := _num_pr(current)) is not None:
                break
            based = current.find(f"{_W}basedOn")
            current = styles.get(based.get(f"{_W}val", "")) if based is not None else None
        out[style_id] = found or None
        if style.get(f"{_W}default") in ("1", "true"):
            out[""] = out[style_id]
    return out


def _counted(count: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter") and 1 <= count <= 26:
        letter = chr(ord("a") + count - 1)
        return letter if fmt == "lowerLetter" else letter.upper()
    if fmt in ("lowerRoman", "upperRoman") and 1 <= count < 40:
        numeral = roman(count)
        return numeral.lower() if fmt == "lowerRoman" else numeral
    return str(count)


# python-docx's paragraphs and tables ask their parent for their part only for images, links
# and styles, which a letter's text never needs.
_NO_PART: Any = None


def _docx_lines(body: Any, styles: Any, numbering_part: Any) -> list[Line]:
    lines: list[Line] = []
    numbering = _Numbering(styles, numbering_part)

    def add(text: str, cells: tuple[str, ...] = (), whole: bool = False) -> None:
        lines.append(Line(len(lines) + 1, clean(text), cells, whole))

    def paragraph(p: Paragraph) -> None:
        # A line break inside a header paragraph separates lines a reader sees as two.
        parts = _runs_text(p).split("\n")
        for n, part in enumerate(parts):
            add((numbering.mark(p) if n == 0 else "") + part, whole=len(parts) == 1)

    for element in body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph(Paragraph(element, _NO_PART))
        elif tag == "tbl":
            table = Table(element, _NO_PART)
            for row in table.rows:
                cells = row.cells
                if len(cells) > 2:  # a data table: one line per row, cells kept apart
                    texts = tuple(_cell_text(c) for c in cells)
                    add(" | ".join(texts), texts)
                    continue
                for cell in cells:
                    for p in cell.paragraphs:
                        paragraph(p)
                    add("")
    return lines


def _cell_text(cell: _Cell) -> str:
    """A data cell's paragraphs as one line (a merged cell repeats across its columns)."""
    return clean(" ".join(p.text.replace("\n", " ") for p in cell.paragraphs))
