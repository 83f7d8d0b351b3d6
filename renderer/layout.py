"""Document markup -> WordprocessingML body, with the layout of ND 30/2020, Phụ lục I.

Strings are assembled directly (no python-docx object model): that is what makes a one-page
công văn cost about a millisecond instead of forty.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from xml.sax.saxutils import escape

from lxml import etree

# Geometry in twips (567 per cm). A4; margins top/bottom 20 mm, left 30 mm, right 15 mm.
PAGE_WIDTH, PAGE_HEIGHT = 11906, 16838
MARGIN_TOP = MARGIN_BOTTOM = 1134
MARGIN_LEFT, MARGIN_RIGHT = 1701, 851
HEADER_DISTANCE = 567
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
HEADER_COLUMNS = (3402, TEXT_WIDTH - 3402)
CLOSING_COLUMNS = (4536, TEXT_WIDTH - 4536)
FIRST_LINE_INDENT = 720  # 1.27 cm


@dataclass(frozen=True)
class Look:
    """How one kind of paragraph looks: font size (pt), weight, alignment, spacing, rule."""

    size: float = 14
    bold: bool = False
    italic: bool = False
    align: str = "both"
    first_line: int = 0
    left: int = 0
    before: int = 0
    after: int = 0
    line: int = 240
    rule: tuple[int, int] | None = None  # a short rule under it, inset (left, right) in its column
    page_break: bool = False
    keep_next: bool = False

    @property
    def ppr(self) -> str:
        return _ppr(self)


@cache
def _ppr(look: Look) -> str:
    parts = ["<w:pPr>"]
    if look.keep_next:
        parts.append("<w:keepNext/>")
    if look.page_break:
        parts.append("<w:pageBreakBefore/>")
    parts.append(
        f'<w:spacing w:before="{look.before}" w:after="{look.after}" '
        f'w:line="{look.line}" w:lineRule="auto"/>'
    )
    parts.append(f'<w:ind w:left="{look.left}" w:right="0" w:firstLine="{look.first_line}"/>')
    parts.append(f'<w:jc w:val="{look.align}"/>{rpr(look.size, look.bold, look.italic)}</w:pPr>')
    return "".join(parts)


@cache
def rpr(size: float, bold: bool, italic: bool) -> str:
    half_points = round(size * 2)
    return (
        "<w:rPr>"
        + ("<w:b/><w:bCs/>" if bold else "")
        + ("<w:i/><w:iCs/>" if italic else "")
        + f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/></w:rPr>'
    )


_CENTER = Look(align="center")
LOOKS: dict[str, Look] = {
    "superior": Look(size=13, align="center"),
    "issuer": Look(size=13, bold=True, align="center", after=40, rule=(1134, 1134)),
    "number": Look(size=13, align="center", before=60),
    "subject": Look(size=12, align="center", before=40),
    "nation": Look(size=12, bold=True, align="center"),
    "motto": Look(size=13, bold=True, align="center", after=40, rule=(1190, 1190)),
    "place-date": Look(size=14, italic=True, align="center", before=60),
    "title": Look(size=14, bold=True, align="center", before=360),
    "title-subject": Look(size=14, bold=True, align="center", rule=(4110, 4110)),
    "recipients-label": Look(left=1134, before=240, after=120),
    "recipients-line": Look(left=2268, after=60),
    "p": Look(first_line=FIRST_LINE_INDENT, after=120, line=276),
    "h1": Look(bold=True, first_line=FIRST_LINE_INDENT, before=120, after=120, keep_next=True),
    "h2": Look(bold=True, first_line=FIRST_LINE_INDENT, after=120, keep_next=True),
    "distribution-heading": Look(size=12, bold=True, italic=True, align="left"),
    "distribution-line": Look(size=11, align="left"),
    "signature-title": Look(bold=True, align="center"),
    "signature-space": Look(after=1440, align="center"),
    "signature-name": Look(bold=True, align="center"),
    "appendix-title": Look(bold=True, align="center", page_break=True),
    "note": Look(size=13, italic=True, align="center", after=240),
    "cell": Look(size=12, align="left", before=40, after=40),
    "cell-header": Look(size=12, bold=True, align="center", before=40, after=40),
    "caption": Look(size=12, italic=True, align="center", after=120),
}


def run(text: str, look: Look, bold: bool = False, italic: bool = False) -> str:
    props = rpr(look.size, look.bold or bold, look.italic or italic)
    return f'<w:r>{props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def runs(el: etree._Element, look: Look, bold: bool = False, italic: bool = False) -> str:
    """Inline content: text with <b>, <i> and <line> (a line break between lines)."""
    out = [run(el.text, look, bold, italic)] if el.text else []
    for i, child in enumerate(el):
        if child.tag == "line" and i:
            out.append(
                f"<w:r>{rpr(look.size, look.bold or bold, look.italic or italic)}<w:br/></w:r>"
            )
        out.append(runs(child, look, bold or child.tag == "b", italic or child.tag == "i"))
        if child.tail:
            out.append(run(child.tail, look, bold, italic))
    return "".join(out)


@cache
def _rule(left: int, right: int) -> str:
    """ND 30's short solid line under the issuer, the motto or a plan's subject: the top border
    of an empty 2-pt paragraph, so the text above keeps its full width."""
    return (
        '<w:p><w:pPr><w:pBdr><w:top w:val="single" w:sz="6" w:space="0" w:color="000000"/>'
        f'</w:pBdr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
        f'<w:ind w:left="{left}" w:right="{right}"/><w:jc w:val="center"/>'
        '<w:rPr><w:sz w:val="4"/></w:rPr></w:pPr></w:p>'
    )


def paragraph(el: etree._Element | None, role: str) -> str:
    look = LOOKS[role]
    content = runs(el, look) if el is not None else ""
    rule = _rule(*look.rule) if look.rule else ""
    return f"<w:p>{look.ppr}{content}</w:p>{rule}"


def table(widths: tuple[int, ...], rows: list[list[str]], borders: bool) -> str:
    """A fixed-layout table; cells hold ready paragraph XML."""
    edge = 'w:val="single" w:sz="4" w:space="0" w:color="000000"' if borders else 'w:val="nil"'
    sides = "".join(f"<w:{s} {edge}/>" for s in ("top", "left", "bottom", "right"))
    inner = "".join(f"<w:{s} {edge}/>" for s in ("insideH", "insideV"))
    margin = 57 if borders else 0
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    body = "".join(
        "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
        + "".join(
            f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr>{cell or "<w:p/>"}</w:tc>'
            for w, cell in zip(widths, row, strict=True)
        )
        + "</w:tr>"
        for row in rows
    )
    return (
        f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        f'<w:tblBorders>{sides}{inner}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:left w:w="{margin}" w:type="dxa"/>'
        f'<w:right w:w="{margin}" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{body}</w:tbl>"
    )


def _cell(el: etree._Element, *roles: str) -> str:
    """Paragraphs for the children of EL with the given tags, in document order."""
    return "".join(paragraph(child, child.tag) for child in el if child.tag in roles)


def _header(el: etree._Element) -> str:
    """Two borderless columns: issuer and number | nation, motto and place-date."""
    rows = [
        [_cell(el, "superior", "issuer"), _cell(el, "nation", "motto")],
        [_cell(el, "number", "subject"), _cell(el, "place-date")],
    ]
    return table(HEADER_COLUMNS, rows, borders=False)


def _recipients(el: etree._Element) -> str:
    label = el.find("label")
    lines = el.findall("line")
    return paragraph(label, "recipients-label") + "".join(
        paragraph(line, "recipients-line") for line in lines
    )


def _closing_block(el: etree._Element) -> str:
    """ND 30: 'Nơi nhận' at the bottom left, the signature at the bottom right."""
    dist, sig = el.find("distribution"), el.find("signature")
    left = paragraph(dist.find("heading"), "distribution-heading") + "".join(
        paragraph(line, "distribution-line") for line in dist.findall("line")
    )
    right = (
        "".join(paragraph(t, "signature-title") for t in sig.findall("title"))
        + paragraph(None, "signature-space")
        + paragraph(sig.find("name"), "signature-name")
    )
    return paragraph(None, "p") + table(CLOSING_COLUMNS, [[left, right]], borders=False)


def _shares(rows: list[etree._Element]) -> list[int]:
    """Column widths by the longest text in each column, within 4 to 40 characters."""
    longest: dict[int, int] = {}
    for row in rows:
        for i, cell in enumerate(row.findall("cell")):
            longest[i] = max(longest.get(i, 0), len("".join(cell.itertext())))
    return [min(max(longest[i], 4), 40) for i in sorted(longest)] or [1]


def _data_table(tab: etree._Element) -> str:
    """A bordered table; column widths from `widths` shares, else from the content."""
    rows = tab.findall("row")
    shares = [int(x) for x in tab.get("widths", "").split(",") if x] or _shares(rows)
    widths = tuple(TEXT_WIDTH * share // sum(shares) for share in shares)
    cells = []
    for row in rows:
        role = "cell-header" if row.get("header") else "cell"
        cells.append([paragraph(cell, role) for cell in row.findall("cell")])
    return table(widths, cells, borders=True)


def _appendix(el: etree._Element) -> str:
    out = [paragraph(el.find("title"), "appendix-title")]
    out += [paragraph(child, child.tag) for child in el if child.tag in ("title-subject", "note")]
    out.append(_data_table(el.find("table")))
    return "".join(out)


_EMU_PER_CM = 360000


def _figure(el: etree._Element) -> str:
    """An inline picture; its relationship id and size come from the renderer."""
    ref = el.get("ref", "")
    number = int(ref.removeprefix("rIdFig") or 0)
    cx = round(float(el.get("width", "0")) * _EMU_PER_CM)
    cy = round(float(el.get("height", "0")) * _EMU_PER_CM)
    picture = (
        '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f'<pic:nvPicPr><pic:cNvPr id="{number}" name="bieu-do-{number}.png"/><pic:cNvPicPr/>'
        f'</pic:nvPicPr><pic:blipFill><a:blip r:embed="{ref}"/><a:stretch><a:fillRect/>'
        f'</a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/>'
        f'<a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/>'
        "</a:prstGeom></pic:spPr></pic:pic>"
    )
    return (
        f'<w:p>{_CENTER.ppr}<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:docPr id="{number}" name="Biểu đồ {number}"/>'
        '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f"{picture}</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
    )


_BLOCKS: dict[str, Callable[[etree._Element], str]] = {
    "header": _header,
    "recipients": _recipients,
    "closing-block": _closing_block,
    "appendix": _appendix,
    "table": _data_table,
    "figure": _figure,
}


def body(root: etree._Element) -> str:
    """The body XML for a parsed <document>; unknown elements are a template error."""
    out = []
    for el in root:
        if el.tag in _BLOCKS:
            out.append(_BLOCKS[el.tag](el))
        elif el.tag in LOOKS:
            out.append(paragraph(el, el.tag))
        else:
            raise ValueError(f"phần tử <{el.tag}> không thuộc ngôn ngữ mẫu của chidao")
    return "".join(out)
