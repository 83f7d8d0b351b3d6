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
LANDSCAPE_TEXT_WIDTH = PAGE_HEIGHT - MARGIN_LEFT - MARGIN_RIGHT
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
    rule: int | None = None  # a rule under it, centred in a column this wide (twips) …
    rule_share: float = 0.4  # … this share of the text's width long
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
    "issuer": Look(size=13, bold=True, align="center", after=40, rule=HEADER_COLUMNS[0]),
    "number": Look(size=13, align="center", before=60),
    "subject": Look(size=12, align="center", before=40),
    "nation": Look(size=12, bold=True, align="center"),
    # ND 30: the motto's rule is as long as the motto; the others a third to a half of the line.
    "motto": Look(
        size=13, bold=True, align="center", after=40, rule=HEADER_COLUMNS[1], rule_share=1.0
    ),
    "place-date": Look(size=14, italic=True, align="center", before=60),
    "title": Look(size=14, bold=True, align="center", before=360),
    "title-subject": Look(size=14, bold=True, align="center", rule=TEXT_WIDTH),
    "recipients-label": Look(left=1134, before=240, after=120),
    "recipients-line": Look(left=2268, after=60),
    "p": Look(first_line=FIRST_LINE_INDENT, after=120, line=276),
    "h1": Look(bold=True, first_line=FIRST_LINE_INDENT, before=120, after=120, keep_next=True),
    "h2": Look(bold=True, first_line=FIRST_LINE_INDENT, before=120, after=120, keep_next=True),
    "closing-space": Look(keep_next=True),
    "distribution-heading": Look(size=12, bold=True, italic=True, align="left"),
    "distribution-line": Look(size=11, align="left"),
    "signature-title": Look(bold=True, align="center"),
    "signature-space": Look(after=1440, align="center"),
    "signature-name": Look(bold=True, align="center"),
    "appendix-title": Look(bold=True, align="center", page_break=True),
    "appendix-title-section": Look(bold=True, align="center"),
    "note": Look(size=13, italic=True, align="center", after=240),
    "cell": Look(size=12, align="left", before=40, after=40),
    "cell-header": Look(size=12, bold=True, align="center", before=40, after=40),
    "cell-group": Look(size=12, bold=True, align="left", before=40, after=40),
    "cell-center": Look(size=12, align="center", before=40, after=40),
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


# Widths of Times New Roman glyphs in ems, near enough to size a rule: capitals, lower case,
# digits and spaces.
_EM = {"upper": 0.70, "lower": 0.47, "digit": 0.50, "space": 0.25}
_RULE_GAP = 60  # twips between the text's descenders and the rule


def text_width(text: str, size: float) -> int:
    """The width of TEXT in twips at SIZE points, estimated glyph by glyph."""
    ems = sum(
        _EM["upper"]
        if c.isupper()
        else _EM["digit"]
        if c.isdigit()
        else _EM["space"]
        if c.isspace()
        else _EM["lower"]
        for c in text
    )
    return round(ems * size * 20)


@cache
def _rule(length: int, column: int) -> str:
    """ND 30's short solid line under the issuer, the motto or a plan's subject, LENGTH twips
    long and centred in its COLUMN: the top border of an empty 2-pt paragraph set a little
    below the text, so it neither touches the descenders nor narrows the text above."""
    inset = max(0, (column - length) // 2)
    return (
        '<w:p><w:pPr><w:pBdr><w:top w:val="single" w:sz="6" w:space="0" w:color="000000"/>'
        f'</w:pBdr><w:spacing w:before="{_RULE_GAP}" w:after="0" w:line="240" w:lineRule="auto"/>'
        f'<w:ind w:left="{inset}" w:right="{inset}"/><w:jc w:val="center"/>'
        '<w:rPr><w:sz w:val="4"/></w:rPr></w:pPr></w:p>'
    )


def _lines(el: etree._Element) -> list[str]:
    """The text of EL line by line (<line> children, else the whole text)."""
    lines = el.findall("line")
    return ["".join(line.itertext()) for line in lines] or ["".join(el.itertext())]


def paragraph(el: etree._Element | None, role: str) -> str:
    look = LOOKS[role]
    content = runs(el, look) if el is not None else ""
    rule = ""
    if look.rule and el is not None:
        widest = max(text_width(line, look.size) for line in _lines(el))
        rule = _rule(round(look.rule_share * min(widest, look.rule)), look.rule)
    return f"<w:p>{look.ppr}{content}</w:p>{rule}"


def table(
    widths: tuple[int, ...], rows: list[list[str]], borders: bool, header_rows: int = 0
) -> str:
    """A fixed-layout table; cells hold ready paragraph XML. The first HEADER_ROWS rows are
    repeated at the top of every page the table runs onto."""
    edge = 'w:val="single" w:sz="4" w:space="0" w:color="000000"' if borders else 'w:val="nil"'
    sides = "".join(f"<w:{s} {edge}/>" for s in ("top", "left", "bottom", "right"))
    inner = "".join(f"<w:{s} {edge}/>" for s in ("insideH", "insideV"))
    margin = 57 if borders else 0
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    body = "".join(
        "<w:tr><w:trPr><w:cantSplit/>"
        + ("<w:tblHeader/>" if n < header_rows else "")
        + "</w:trPr>"
        + "".join(
            f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr>{cell or "<w:p/>"}</w:tc>'
            for w, cell in zip(widths, row, strict=True)
        )
        + "</w:tr>"
        for n, row in enumerate(rows)
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
    return paragraph(None, "closing-space") + table(CLOSING_COLUMNS, [[left, right]], borders=False)


_CELL_PADDING = 2 * 57 + 60  # both cell margins and a little air, in twips


def _least(rows: list[etree._Element], column: int) -> int:
    """The narrowest a column can be without breaking a word of it ('TT', 'Mục')."""
    words = [
        (word, 12)
        for row in rows
        for cell in row.findall("cell")[column : column + 1]
        for word in "".join(cell.itertext()).split()
    ]
    return max((text_width(w, size) for w, size in words), default=0) + _CELL_PADDING


def _widths(tab: etree._Element, rows: list[etree._Element], width: int) -> tuple[int, ...]:
    """Column widths: the table's `widths` shares, else shares by the longest text in each
    column (4 to 40 characters); never narrower than a column's longest word."""
    given = [float(x) for x in tab.get("widths", "").split(",") if x]
    if not given:
        longest: dict[int, int] = {}
        for row in rows:
            for i, cell in enumerate(row.findall("cell")):
                longest[i] = max(longest.get(i, 0), len("".join(cell.itertext())))
        given = [float(min(max(longest[i], 4), 40)) for i in sorted(longest)] or [1.0]
    least = [_least(rows, i) for i in range(len(given))]
    widths = [max(width * share / sum(given), low) for share, low in zip(given, least, strict=True)]
    # Take what the narrow columns gained from the wide ones, in proportion to their width.
    excess = sum(widths) - width
    wide = [i for i, w in enumerate(widths) if w > least[i]]
    room = sum(widths[i] - least[i] for i in wide) or 1
    return tuple(
        round(w - excess * (w - least[i]) / room) if i in wide else round(w)
        for i, w in enumerate(widths)
    )


_CENTRED = {"cell": "cell-center", "cell-group": "cell-header"}  # a group row's number: bold


def _data_table(tab: etree._Element, width: int = TEXT_WIDTH) -> str:
    """A bordered table; its header rows repeat on every page it runs onto. A group row
    (row group="1") is bold; a cell align="center" is centred (numbers, dates)."""
    rows = tab.findall("row")
    cells = []
    for row in rows:
        role = "cell-header" if row.get("header") else "cell-group" if row.get("group") else "cell"
        cells.append(
            [
                paragraph(cell, _CENTRED.get(role, role) if cell.get("align") == "center" else role)
                for cell in row.findall("cell")
            ]
        )
    header_rows = sum(1 for row in rows if row.get("header"))
    return table(_widths(tab, rows, width), cells, borders=True, header_rows=header_rows)


def _appendix(el: etree._Element) -> str:
    """An appendix on a new page — on landscape pages of its own when it is wide."""
    landscape = el.get("orientation") == "landscape"
    title = "appendix-title-section" if landscape else "appendix-title"
    out = [section_break(landscape=False, first=True)] if landscape else []
    out.append(paragraph(el.find("title"), title))
    out += [paragraph(child, child.tag) for child in el if child.tag in ("title-subject", "note")]
    out.append(_data_table(el.find("table"), LANDSCAPE_TEXT_WIDTH if landscape else TEXT_WIDTH))
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


def section(*, landscape: bool, first: bool) -> str:
    """A section's page: A4 with the decree's margins; page numbers centred at the top from page
    2 on (the first section's first page has none). Header relationships: rId3 (numbered),
    rId4 (empty, first page)."""
    width, height = (PAGE_HEIGHT, PAGE_WIDTH) if landscape else (PAGE_WIDTH, PAGE_HEIGHT)
    orient = ' w:orient="landscape"' if landscape else ""
    headers = '<w:headerReference w:type="default" r:id="rId3"/>'
    if first:
        headers += '<w:headerReference w:type="first" r:id="rId4"/>'
    return (
        f'<w:sectPr>{headers}<w:pgSz w:w="{width}" w:h="{height}"{orient}/>'
        f'<w:pgMar w:top="{MARGIN_TOP}" w:right="{MARGIN_RIGHT}" w:bottom="{MARGIN_BOTTOM}" '
        f'w:left="{MARGIN_LEFT}" w:header="{HEADER_DISTANCE}" w:footer="{HEADER_DISTANCE}" '
        f'w:gutter="0"/>{"<w:titlePg/>" if first else ""}</w:sectPr>'
    )


def section_break(*, landscape: bool, first: bool) -> str:
    """Ends the section so far (its page given here); what follows starts on a new page."""
    return f"<w:p><w:pPr>{section(landscape=landscape, first=first)}</w:pPr></w:p>"


def _keep_with_next(xml: str) -> str:
    """The paragraph XML, kept on the page of what follows it."""
    return xml.replace("<w:pPr>", "<w:pPr><w:keepNext/>", 1) if xml.startswith("<w:p>") else xml


def body(root: etree._Element) -> str:
    """The body XML for a parsed <document>, its last section included; unknown elements are a
    template error. The paragraph before the signature is kept with it, so a signature never
    stands alone on a page."""
    out: list[str] = []
    landscape_end = False
    for el in root:
        if el.tag == "closing-block" and out:
            out[-1] = _keep_with_next(out[-1])
        if el.tag in _BLOCKS:
            out.append(_BLOCKS[el.tag](el))
            landscape_end = landscape_end or el.get("orientation") == "landscape"
        elif el.tag in LOOKS:
            out.append(paragraph(el, el.tag))
        else:
            raise ValueError(f"phần tử <{el.tag}> không thuộc ngôn ngữ mẫu của chidao")
    return "".join(out) + section(landscape=landscape_end, first=not landscape_end)
