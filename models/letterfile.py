"""Reading a received letter (văn bản đến) as numbered lines of plain text: .docx, .pdf, .txt
or .md.

A line is what a reader sees as one: a paragraph of a Word file (table cells in reading order,
left column first), a line of a PDF's text layer or of a text file. Text is NFC; soft hyphens,
Markdown bold, headings and escapes are dropped; italics stay as *…*, the emphasis a spec's text
keeps. A table row of three cells or more (an appendix) keeps its cells apart, from Word, from a
Markdown pipe table and from tab-separated text alike. Word files are read in
models/wordletter.py; a line and how its text is cleaned are in models/letterlines.py.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

from models.errors import InputError
from models.letterlines import Line, clean
from models.limits import MAX_INPUT_BYTES, MAX_PDF_PAGES
from models.wordletter import word_lines

SUFFIXES = (".docx", ".pdf", ".txt", ".md")

_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_HARD_BREAK = re.compile(r"\\[ \t]*$", re.MULTILINE)  # Markdown's "\" at a line's end


def read_letter(path: Path) -> list[Line]:
    """PATH's lines, blank lines kept (they separate blocks of a text file)."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError.one(
            path, "(tệp)", path.name, "chỉ đọc được văn bản .docx, .pdf, .txt hoặc .md"
        )
    if not path.is_file():
        raise InputError.one(path, "(tệp)", str(path), "không tìm thấy tệp")
    try:
        if suffix == ".docx":
            return word_lines(path)
        if path.stat().st_size > MAX_INPUT_BYTES * (10 if suffix == ".pdf" else 1):
            limit = MAX_INPUT_BYTES // 1024 // 1024
            raise InputError.one(path, "(tệp)", path.name, f"tệp quá lớn; tối đa {limit} MB")
        if suffix == ".pdf":
            return _pdf_lines(path)
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
    return _text_lines(text, markdown=suffix == ".md")


def _pdf_lines(path: Path) -> list[Line]:
    """The text layer of a PDF, page by page, top to bottom; a ruled table's rows keep their
    cells apart. A scan without a text layer is refused by name."""
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import PdfminerException

    lines: list[Line] = []
    try:
        with pdfplumber.open(path) as pdf:
            if len(pdf.pages) > MAX_PDF_PAGES:
                raise InputError.one(
                    path, "(tệp)", f"{len(pdf.pages)} trang", f"tối đa {MAX_PDF_PAGES} trang"
                )
            for page in pdf.pages:
                top = 0.0
                for table in sorted(page.find_tables(), key=lambda t: t.bbox[1]):
                    x0, y0, x1, y1 = table.bbox
                    lines += _text_lines(
                        page.within_bbox((0, top, page.width, y0)).extract_text() or ""
                    )
                    for row in table.extract():
                        cells = tuple(clean((c or "").replace("\n", " ")) for c in row)
                        lines.append(Line(0, " | ".join(cells), cells if len(cells) > 2 else ()))
                    top = y1
                lines += _text_lines(
                    page.within_bbox((0, top, page.width, page.height)).extract_text()
                )
    except (PDFSyntaxError, PdfminerException, ValueError, KeyError, TypeError):
        raise InputError.one(path, "(tệp)", path.name, "không phải tệp PDF đọc được") from None
    if sum(len(line.text) for line in lines) < 40:
        raise InputError.one(
            path,
            "(tệp)",
            path.name,
            "tệp PDF không có lớp chữ (bản quét): hãy dùng bản Word hoặc PDF có chữ, "
            "hoặc nhận dạng chữ (OCR) trước",
        )
    return [Line(n, line.text, line.cells) for n, line in enumerate(lines, start=1)]


_PAGE_NUMBER = re.compile(r"^\s*(?:-\s*)?\d{1,3}(?:\s*-)?\s*$")
# A table's rule: Markdown's "|---|:--|", pandoc's grid "+----+----+" or "+====+", a simple
# table's "-----  -----".
_TABLE_RULE = re.compile(
    r"^\s*[|+]?\s*:?(?:-{3,}|={3,}):?\s*([|+ ]\s*:?(?:-{3,}|={3,}):?\s*)*[|+]?\s*$"
)
# Columns laid out with spaces in pandoc's simple tables: four spaces or more between two texts.
_SPACED_COLUMNS = re.compile(r"(?<=\S) {4,}(?=\S)")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_LIST_ITEM = re.compile(r"^\s*[*+]\s+")
_CELL_BREAK = re.compile(r"<br\s*/?>|\\ ", re.IGNORECASE)  # Markdown cells also break at "\ "


def _text_lines(text: str, *, markdown: bool = False) -> list[Line]:
    """A text file's lines: a Markdown table row becomes its cells (each cell's <br> or "\\ "
    a line of its own when the row is a layout of two columns), a tab-separated row likewise,
    and a page number standing alone is dropped. A Markdown line ending in "\\" (a hard line
    break) and the line after it are parts of one paragraph."""
    lines: list[Line] = []
    raws = text.splitlines()
    # A copy whose paragraphs run past any page width was typed a paragraph to a line: its
    # lines are whole. One wrapped at the page's width may break a phrase anywhere.
    whole = max((len(raw) for raw in raws), default=0) > 110
    broken = False  # the line before ended in a hard break
    simple_table = False  # inside pandoc's simple table: columns laid out with spaces
    for n, raw in enumerate(raws, start=1):
        if markdown:  # a Markdown list item "* Như trên;" is the letter's "- Như trên;"
            raw = _LIST_ITEM.sub("- ", raw)
        ends_broken = markdown and bool(_HARD_BREAK.search(raw))
        if ends_broken:
            raw = _HARD_BREAK.sub("", raw)
        after_break, broken = broken, ends_broken
        if _TABLE_RULE.match(raw) or _PAGE_NUMBER.match(raw):
            if markdown and raw[:1] == " " and raw.count("-") >= 10 and not set(raw) & set("|+="):
                simple_table = not simple_table  # pandoc's simple table opens or closes
            lines.append(Line(n, ""))
            continue
        stripped = raw.strip()
        cells: list[str] | None = None
        if stripped.startswith("|") and stripped.endswith("|") and stripped.count("|") >= 3:
            cells = [c for c in stripped[1:-1].split("|")]
        elif "\t" in stripped:
            cells = [c for c in re.split(r"\t+", stripped)]
        elif simple_table:
            cells = _SPACED_COLUMNS.split(stripped)
        if cells is None:
            lines.append(Line(n, clean(raw), whole=whole and not (ends_broken or after_break)))
            continue
        breaks = _CELL_BREAK if markdown else _BREAK
        parts = [[clean(x) for x in breaks.split(c)] for c in cells]
        if len(parts) >= 3:
            texts = tuple(" ".join(x for x in p if x) for p in parts)
            lines.append(Line(n, " | ".join(texts), texts))
        else:
            # A layout table (header, signature block): each column read in turn.
            for part in parts:
                lines.extend(Line(n, x) for x in part if x)
    return lines
