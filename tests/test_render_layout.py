"""The draft has the layout of Nghị định 30/2020/NĐ-CP, Phụ lục I, read back from the .docx."""

from __future__ import annotations

import unicodedata
import zipfile
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.oxml.ns import qn
from docx.shared import Length, Pt
from docx.text.paragraph import Paragraph
from lxml import etree

from models.directive import Directive
from renderer import render_directive
from tests.conftest import EXAMPLES


@pytest.fixture(scope="module")
def letter_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("layout") / "2268.docx"
    return render_directive(Directive.load(EXAMPLES / "quang-ngai-2268.yaml"), out)


@pytest.fixture(scope="module")
def letter(letter_path: Path) -> Document:
    return docx.Document(str(letter_path))


def _mm(length: Length | None) -> float:
    assert length is not None
    return length.mm


def _find(paragraphs: list[Paragraph], start: str) -> Paragraph:
    return next(p for p in paragraphs if p.text.startswith(start))


def _size(paragraph: Paragraph) -> float:
    sizes = {r.font.size.pt if r.font.size else 14.0 for r in paragraph.runs}
    assert len(sizes) == 1, sizes
    return sizes.pop()


def _all_paragraphs(document: Document) -> list[Paragraph]:
    found = list(document.paragraphs)
    for table in document.tables:
        for cell in table._cells:
            found += cell.paragraphs
    return found


def _is_short_rule(paragraph: Paragraph, column: Length | None) -> bool:
    """An empty paragraph whose top border, inset from both sides, draws the rule."""
    border = paragraph._p.pPr.find(qn("w:pBdr"))
    fmt = paragraph.paragraph_format
    assert column is not None and fmt.left_indent is not None and fmt.right_indent is not None
    length = column - fmt.left_indent - fmt.right_indent
    return paragraph.text == "" and border is not None and 0 < length < column


def test_page_is_a4_portrait_with_the_decree_margins(letter: Document) -> None:
    section = letter.sections[0]
    assert round(_mm(section.page_width)) == 210 and round(_mm(section.page_height)) == 297
    assert 20 <= round(_mm(section.top_margin)) <= 25
    assert 20 <= round(_mm(section.bottom_margin)) <= 25
    assert 30 <= round(_mm(section.left_margin)) <= 35
    assert 15 <= round(_mm(section.right_margin)) <= 20


def test_times_new_roman_fills_all_four_font_slots_and_text_is_vietnamese(
    letter: Document, letter_path: Path
) -> None:
    normal = letter.styles["Normal"].element
    fonts = normal.find(qn("w:rPr")).find(qn("w:rFonts"))
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        assert fonts.get(qn(slot)) == "Times New Roman"
    assert normal.find(qn("w:rPr")).find(qn("w:lang")).get(qn("w:val")) == "vi-VN"
    with zipfile.ZipFile(letter_path) as archive:
        xml = b"".join(archive.read(n) for n in archive.namelist())
    assert b"asciiTheme" not in xml and b"w:hint" not in xml
    assert b"word/theme" not in xml


def test_header_is_two_borderless_columns_with_rules(letter: Document) -> None:
    header = letter.tables[0]
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.get(qn("w:val")) for b in borders} == {"nil"}
    issuer, nation = header.rows[0].cells
    name, rule = issuer.paragraphs
    assert name.text == "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG\u00a0NGÃI"  # the name never breaks
    assert all(r.bold for r in name.runs) and 12 <= _size(name) <= 13
    assert _is_short_rule(rule, issuer.width)
    republic, motto, rule = nation.paragraphs
    assert republic.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert all(r.bold for r in republic.runs) and 12 <= _size(republic) <= 13
    assert motto.text == "Độc lập - Tự do - Hạnh phúc"
    assert all(r.bold for r in motto.runs) and 13 <= _size(motto) <= 14
    assert _is_short_rule(rule, nation.width)


def test_number_subject_and_italic_place_date(letter: Document) -> None:
    number_cell, date_cell = letter.tables[0].rows[1].cells
    number, subject = number_cell.paragraphs
    assert number.text == "Số: 2268/UBND-TTHC" and 12 <= _size(number) <= 13
    assert subject.text.startswith("V/v ") and 12 <= _size(subject) <= 13
    place_date = date_cell.paragraphs[0]
    assert all(r.italic for r in place_date.runs) and 13 <= _size(place_date) <= 14


def test_body_is_justified_indented_and_spaced(letter: Document) -> None:
    body = [_find(letter.paragraphs, "Qua xem xét"), _find(letter.paragraphs, "1. Các cơ quan")]
    for paragraph in body:
        fmt = paragraph.paragraph_format
        assert paragraph.alignment is not None and paragraph.alignment.name == "JUSTIFY"
        assert 10 <= round(_mm(fmt.first_line_indent)) <= 13
        assert fmt.space_after is not None and fmt.space_after >= Pt(6)
        assert fmt.line_spacing is not None and 1.0 <= fmt.line_spacing <= 1.5
        assert 13 <= _size(paragraph) <= 14


def test_signature_and_distribution_sizes(letter: Document) -> None:
    distribution, signature = letter.tables[1].rows[0].cells
    heading, *lines = distribution.paragraphs
    assert heading.text == "Nơi nhận:"
    assert all(r.bold and r.italic for r in heading.runs) and _size(heading) == 12
    assert all(_size(line) == 11 for line in lines)
    assert lines[-1].text == "- Lưu: VT, TTHC."
    titles = [p for p in signature.paragraphs if p.text]
    assert [p.text for p in titles] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Hoàng Tuấn"]
    assert all(r.bold for p in titles for r in p.runs)


def test_page_numbers_start_on_page_two(letter: Document) -> None:
    section = letter.sections[0]
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml
    assert "PAGE" not in section.first_page_header._element.xml
    assert section.header.paragraphs[0].alignment.name == "CENTER"


def test_every_text_is_nfc(letter: Document) -> None:
    for paragraph in _all_paragraphs(letter):
        assert unicodedata.is_normalized("NFC", paragraph.text)


def test_every_part_is_well_formed_xml(letter_path: Path) -> None:
    with zipfile.ZipFile(letter_path) as archive:
        assert archive.testzip() is None
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                etree.fromstring(archive.read(name))


def test_the_same_directive_always_gives_the_same_bytes(tmp_path: Path) -> None:
    directive = Directive.load(EXAMPLES / "quang-ngai-2268.yaml")
    first = render_directive(directive, tmp_path / "a.docx").read_bytes()
    second = render_directive(directive, tmp_path / "b.docx").read_bytes()
    assert first == second
