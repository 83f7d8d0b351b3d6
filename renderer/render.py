"""Directive -> .docx file: template (what it says), layout (how it looks), package (the file)."""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2
from lxml import etree

from models.directive import Directive
from models.errors import InputError
from models.files import write_atomic
from renderer import layout
from renderer.package import docx_bytes, figure_ref, safe_filename
from renderer.templating import TEMPLATES, template

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


@dataclass(frozen=True)
class Figure:
    """A picture for a report (PNG), shown WIDTH cm wide under its caption."""

    png: bytes
    caption: str
    width: float = 15.0

    @property
    def height(self) -> float:
        width, height = struct.unpack(">II", self.png[16:24])  # the PNG header's IHDR size
        return round(self.width * height / width, 2)


def render_bytes(
    directive: Directive, templates: Path = TEMPLATES, figures: Sequence[Figure] = ()
) -> bytes:
    name = f"{directive.spec.kind.value}.xml.j2"
    try:
        markup = template(name, templates).render(
            d=directive,
            header_lines=directive.org.header_lines(directive.issuer),
            superior=directive.org.superior_line(directive.issuer),
            figures=[
                {"ref": figure_ref(n), "width": f.width, "height": f.height, "caption": f.caption}
                for n, f in enumerate(figures, start=1)
            ],
        )
        body = layout.body(etree.fromstring(markup.encode(), _PARSER))
    except (jinja2.TemplateError, etree.XMLSyntaxError, ValueError, AttributeError) as exc:
        raise InputError.one(
            templates / name, "(nội dung mẫu)", type(exc).__name__, f"mẫu văn bản lỗi: {exc}"
        ) from None
    return docx_bytes(
        body, directive.spec.subject, directive.spec.issued_on, [f.png for f in figures]
    )


def default_filename(directive: Directive) -> str:
    """Issuer code and document number: '2268/UBND-TTHC' of qng -> 'qng-2268-UBND-TTHC.docx'."""
    number = directive.reference if not directive.is_draft else f"du-thao-{directive.symbol}"
    return safe_filename(f"{directive.issuer.code}-{number}")


def render_directive(directive: Directive, out: Path, templates: Path = TEMPLATES) -> Path:
    """Render and write atomically; nothing is written when rendering fails."""
    data = render_bytes(directive, templates)
    write_atomic(out, data)
    return out
