"""Directive -> .docx file: template (what it says), layout (how it looks), package (the file)."""

from __future__ import annotations

import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2
from lxml import etree

from models.directive import Directive
from models.errors import InputError
from models.files import write_atomic
from renderer import layout
from renderer.package import docx_bytes, figure_ref, safe_filename
from renderer.templating import folders, template

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


@dataclass(frozen=True)
class Rendered:
    """A letter's bytes, and its subject as the document states it (a follow-up letter's
    template words its own)."""

    data: bytes
    subject: str


def render(
    directive: Directive,
    *,
    template_name: str | None = None,
    context: Mapping[str, object] | None = None,
    figures: Sequence[Figure] = (),
    search: tuple[Path, ...] | None = None,
) -> Rendered:
    """Render DIRECTIVE through TEMPLATE_NAME (default: its kind's), which also sees CONTEXT."""
    name = template_name or f"{directive.spec.kind.value}.xml.j2"
    search = search or folders()
    try:
        markup = template(name, search).render(
            **(context or {}),
            d=directive,
            header_lines=directive.org.header_lines(directive.issuer),
            superior=directive.org.superior_line(directive.issuer),
            figures=[
                {"ref": figure_ref(n), "width": f.width, "height": f.height, "caption": f.caption}
                for n, f in enumerate(figures, start=1)
            ],
        )
        root = etree.fromstring(markup.encode(), _PARSER)
        body = layout.body(root)
    except (
        jinja2.TemplateError,
        etree.XMLSyntaxError,
        ValueError,
        AttributeError,
        TypeError,
    ) as exc:
        raise InputError.one(
            search[0] / name, "(nội dung mẫu)", type(exc).__name__, f"mẫu văn bản lỗi: {exc}"
        ) from None
    subject = root.get("title") or directive.spec.subject
    data = docx_bytes(body, subject, directive.spec.issued_on, [f.png for f in figures])
    return Rendered(data, subject)


def default_filename(directive: Directive) -> str:
    """Issuer code and document number: '2268/UBND-TTHC' of qng -> 'qng-2268-UBND-TTHC.docx'."""
    number = directive.reference if not directive.is_draft else f"du-thao-{directive.symbol}"
    return safe_filename(f"{directive.issuer.code}-{number}")


def render_directive(
    directive: Directive, out: Path, search: tuple[Path, ...] | None = None
) -> Path:
    """Render and write atomically; nothing is written when rendering fails."""
    write_atomic(out, render(directive, search=search).data)
    return out
