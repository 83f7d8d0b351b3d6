"""A generated letter read back from its .docx the way a clerk reads it: who issues it, its
number, subject, whom it is addressed to, what it says, where copies go, and who signs."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph

from tests.conftest import normalise

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_RECIPIENT_INDENT = 2268  # twips: where chidao's renderer puts "Kính gửi" lines


@dataclass(frozen=True)
class Letter:
    issuer: list[str]  # header lines, superior body first
    number: str  # "Số: 01/SNV-CCHC"
    subject: str  # the V/v line without "V/v", or the report's subject line
    place_date: str
    recipients: list[str]  # each addressee line, without "- " and the final ";" or "."
    body: list[str]
    distribution: list[str]  # "Nơi nhận" lines other than "Lưu"
    archive: list[str]  # "Lưu: VT, CCHC." -> ["VT", "CCHC"]
    signature: list[str]  # authority and position lines
    signer: str  # the name
    tables: list[list[list[str]]]  # body tables (not the header or the signature)

    @property
    def text(self) -> str:
        return "\n".join(self.body)

    def addressed_to(self, name: str) -> bool:
        return any(name in line for line in self.recipients)

    def copied_to(self, name: str) -> bool:
        return any(name in line for line in self.distribution)


def _clean(line: str) -> str:
    return normalise(line).removeprefix("- ").rstrip(";.").strip()


def _indent(paragraph: Paragraph) -> int:
    ind = paragraph._p.find(f"{_W}pPr/{_W}ind")
    return int(ind.get(f"{_W}left", "0")) if ind is not None else 0


def read(path: Path) -> Letter:
    document = docx.Document(str(path))
    blocks: list[Paragraph | Table] = []
    for child in document.element.body.iterchildren():
        if child.tag == f"{_W}p":
            blocks.append(Paragraph(child, document))
        elif child.tag == f"{_W}tbl":
            blocks.append(Table(child, document))
    header = blocks[0]
    assert isinstance(header, Table)
    left_top, right_top = (c.paragraphs for c in header.rows[0].cells)
    left_bottom, right_bottom = (c.paragraphs for c in header.rows[1].cells)
    number, *subject_lines = [normalise(p.text) for p in left_bottom if p.text.strip()]
    closing = next(
        i
        for i, b in enumerate(blocks)
        if isinstance(b, Table) and "Nơi nhận:" in normalise(b.rows[0].cells[0].text)
    )
    paragraphs = [b for b in blocks[1:closing] if isinstance(b, Paragraph) and b.text.strip()]
    titles = [normalise(p.text) for p in paragraphs]
    subject = subject_lines[0].removeprefix("V/v ") if subject_lines else ""
    recipients: list[str] = []
    body: list[str] = []
    for paragraph, text in zip(paragraphs, titles, strict=True):
        if text.startswith("Kính gửi:"):
            rest = text.removeprefix("Kính gửi:").strip()
            recipients += [_clean(rest)] if rest else []
        elif _indent(paragraph) == _RECIPIENT_INDENT:
            recipients.append(_clean(text))
        elif text in ("BÁO CÁO", "KẾ HOẠCH") and not body:
            continue
        elif not subject and not body and not recipients:
            subject = text
        else:
            body.append(text)
    left, right = blocks[closing].rows[0].cells  # type: ignore[union-attr]
    copies = [_clean(p.text) for p in left.paragraphs if p.text.strip()][1:]
    archive = next((c for c in copies if c.startswith("Lưu:")), "Lưu:")
    signed = [normalise(p.text) for p in right.paragraphs if p.text.strip()]
    tables = [
        [[normalise(cell.text) for cell in row.cells] for row in b.rows]
        for b in blocks[1:closing] + blocks[closing + 1 :]
        if isinstance(b, Table)
    ]
    return Letter(
        issuer=[normalise(line) for p in left_top for line in p.text.split("\n") if line.strip()],
        number=number,
        subject=subject,
        place_date=" ".join(normalise(p.text) for p in right_bottom if p.text.strip()),
        recipients=recipients,
        body=body,
        distribution=[c for c in copies if not c.startswith("Lưu:")],
        archive=[x.strip() for x in archive.removeprefix("Lưu:").split(",") if x.strip()],
        signature=signed[:-1],
        signer=signed[-1] if signed else "",
        tables=tables,
    )


def pdf_pages(path: Path, folder: Path) -> list[str]:
    """The letter laid out by LibreOffice, as the text of each PDF page (pdftotext)."""
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(path)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = folder / (path.stem + ".pdf")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return [re.sub(r"[ \t]+", " ", page) for page in text.split("\f") if page.strip()]
