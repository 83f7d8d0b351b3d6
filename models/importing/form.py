"""The imported spec as a form a coordinator checks and corrects field by field before issuing
(the portal's "Phát hành từ văn bản đến" page): the fields it shows, with the reader's doubts
beside the part they concern, and the spec the corrected form means. Labels are the spec
schema's own titles, so a field is named the same on the form, in errors and in the YAML."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from models.directive import item_label
from models.errors import InputError
from models.importing.facts import Unread
from models.importing.names import key
from models.org import OrgTree
from models.spec import Authority, Deadline, DirectiveSpec, DocumentKind, Item, Reference, Signer
from models.vntext import roman, short_date

WHERE = "(biểu mẫu kiểm tra)"


class Entry(StrEnum):
    """How a field is typed on the form and read back."""

    TEXT = "text"  # one line, required
    OPTIONAL = "optional"  # one line, may be blank
    PROSE = "prose"  # running text over several lines
    PARAGRAPHS = "paragraphs"  # one paragraph per line
    LINES = "lines"  # one entry per line
    WORDS = "words"  # a comma-separated list (Lưu: VT, NC)
    NUMBER = "number"  # a positive whole number, blank for a draft
    DATE = "date"  # dd/mm/yyyy
    OPTIONAL_DATE = "optional_date"
    UNITS = "units"  # unit or group names of the tree, one per line
    UNIT = "unit"  # one unit name, may be blank
    RECIPIENTS = "recipients"  # Kính gửi lines
    CHOICE = "choice"
    REQUIRED_CHOICE = "required_choice"  # a choice that may not stay blank
    DEADLINE = "deadline"  # a form (choice) and its day, month, quarter or days (detail)


@dataclass(frozen=True)
class FormField:
    name: str  # the path into the spec: "items.2.items.0.lead"
    label: str
    entry: Entry
    value: str
    choices: tuple[tuple[str, str], ...] = ()
    detail: str = ""  # a deadline's day, month, quarter or number of working days
    hint: str = ""
    group: str = ""  # the item or citation it belongs to: "Mục 2.a)", "Căn cứ 1"
    title: str = ""  # the label within its group


@dataclass(frozen=True)
class FormPart:
    title: str
    fields: tuple[FormField, ...]
    notes: tuple[str, ...] = ()


def _title(model: type[BaseModel], name: str) -> str:
    return model.model_fields[name].title or name


_DEADLINE_FORMS: tuple[tuple[str, str], ...] = (
    ("", "Không ghi thời hạn"),
    ("before", _title(Deadline, "before")),
    ("latest", _title(Deadline, "latest")),
    ("month", _title(Deadline, "month")),
    ("quarter", _title(Deadline, "quarter")),
    ("working_days", "Số ngày làm việc kể từ ngày ký"),
    ("from_receipt", "Số ngày làm việc kể từ ngày nhận được"),
    ("recurring", _title(Deadline, "recurring")),
)
# A spec's text holds {deadline} and {period} where the document prints them; the form shows
# them in words and reads them back.
PLACEHOLDERS = {"{deadline}": "{thời hạn}", "{period}": "{kỳ báo cáo}"}
_TEXT_HINT = "«{thời hạn}» là chỗ văn bản in thời hạn ghi ở dưới; «{kỳ báo cáo}» là kỳ báo cáo"
_DEADLINE_HINT = "ngày dd/mm/yyyy; tháng mm/yyyy; quý II/2024; số ngày làm việc: 05"
_REPORT_HINT = "để trống: cơ quan thường trực"
_UNITS_HINT = "mỗi dòng một đơn vị hoặc nhóm, viết như trong cây tổ chức"
_RECIPIENTS_HINT = (
    "mỗi dòng một dòng «Kính gửi»; nhiều đơn vị trên một dòng ngăn bằng «;»; "
    "cơ quan ngoài cây tổ chức ghi trong ngoặc vuông: [Thường trực Tỉnh ủy]"
)


class UnitNames:
    """How the tree's units and groups are written on the form, and read back: the name, with
    the governing unit's name after "—" where several units share it."""

    def __init__(self, org: OrgTree):
        self.org = org
        counts = Counter(key(u.name) for u in org.units.values())
        self.shown: dict[str, str] = {}
        for unit in org.units.values():
            parent = org.parent_of(unit)
            shared = counts[key(unit.name)] > 1 and parent is not None
            self.shown[unit.code] = f"{unit.name} — {parent.name}" if shared else unit.name  # type: ignore[union-attr]
        for group in org.groups.values():
            self.shown[group.code] = group.label
        named = Counter(key(n) for n in self.shown.values())
        self.codes = {key(n): c for c, n in self.shown.items() if named[key(n)] == 1}
        self.codes.update({key(c): c for c in self.shown})

    def units(self) -> tuple[tuple[str, str], ...]:
        """Every unit as the form names it, in the tree's order."""
        return tuple((u.code, self.shown[u.code]) for u in self.org.units.values())

    def show(self, refs: list[str]) -> str:
        return "\n".join(self.shown.get(r, r) for r in refs)

    def read(self, text: str, label: str) -> str:
        code = self.codes.get(key(text))
        if code is None:
            shared = [c for c, n in self.shown.items() if key(n).split(" — ")[0] == key(text)]
            message = (
                f"có {len(shared)} đơn vị cùng tên; ghi kèm cơ quan của nó, ví dụ "
                f"«{self.shown[shared[0]]}»"
                if len(shared) > 1
                else "không có trong cây tổ chức (viết đúng tên như trong cây, hoặc mã đơn vị)"
            )
            raise InputError.one(WHERE, label, text, message)
        return code


def spec_form(
    spec: Mapping[str, Any], org: OrgTree, notes: list[Unread], file: str
) -> list[FormPart]:
    """The parts of the form for SPEC, each with the doubts about it."""
    names = UnitNames(org)
    doubts: dict[str, list[str]] = {}
    for note in notes:
        top = re.match(r"[a-z_]*", note.field)
        part = _PART_OF.get(top[0] if top else "", "header")
        said = doubts.setdefault(part, [])
        if (shown := note.describe(file)) not in said:
            said.append(shown)
    parts = [
        FormPart("Thông tin văn bản", _header(spec, names), tuple(doubts.pop("header", []))),
        FormPart(
            "Nơi nhận văn bản (Kính gửi)",
            (_recipients(spec, names),),
            tuple(doubts.pop("recipients", [])),
        ),
        FormPart("Căn cứ", _basis(spec), tuple(doubts.pop("basis", []))),
        FormPart(
            "Các nhiệm vụ",
            _items(spec.get("items", []), "items", "", names),
            tuple(doubts.pop("items", [])),
        ),
        FormPart("Người ký, nơi nhận, lưu", _signature(spec), tuple(doubts.pop("signer", []))),
    ]
    return parts


_PART_OF = {
    "recipients": "recipients",
    "basis": "basis",
    "items": "items",
    "lead": "items",
    "deadline": "items",
    "cooperating": "items",
    "report_to": "items",
    "signer": "signer",
    "distribution": "signer",
    "archive": "signer",
}


def _field(
    path: str, model: type[BaseModel], entry: Entry, value: object, head: str = "", **more: Any
) -> FormField:
    """The field at PATH, labelled with its schema title (the path's last step)."""
    title = model.model_fields[path.rsplit(".", 1)[-1]].title or path
    shown = "" if value is None else str(value)
    group = head.removesuffix(" — ")
    return FormField(path, head + title, entry, shown, group=group, title=title, **more)


def _header(spec: Mapping[str, Any], names: UnitNames) -> tuple[FormField, ...]:
    kinds = tuple((k.value, k.label) for k in DocumentKind)
    # Blank, and refused, when the letter's issuer is not in the tree: never a silent default.
    issuers = (("", "— chọn cơ quan ban hành —"), *names.units())
    issuer = str(spec.get("issuer")) if spec.get("issuer") in names.org.units else ""
    d = DirectiveSpec
    return (
        _field("kind", d, Entry.CHOICE, spec.get("kind"), choices=kinds),
        FormField("issuer", "Cơ quan ban hành", Entry.REQUIRED_CHOICE, issuer, issuers),
        _field("number", d, Entry.NUMBER, spec.get("number"), hint="để trống khi là dự thảo"),
        _field("drafting_unit", d, Entry.OPTIONAL, spec.get("drafting_unit")),
        _field("issued_on", d, Entry.DATE, _day(spec.get("issued_on"))),
        _field("received_on", d, Entry.OPTIONAL_DATE, _day(spec.get("received_on"))),
        _field("subject", d, Entry.PROSE, spec.get("subject")),
        _field("preamble", d, Entry.PARAGRAPHS, "\n".join(spec.get("preamble") or [])),
        _field("closing", d, Entry.OPTIONAL, spec.get("closing")),
    )


def _day(value: object) -> str:
    return short_date(dt.date.fromisoformat(str(value))) if value else ""


def _recipients(spec: Mapping[str, Any], names: UnitNames) -> FormField:
    lines = []
    for line in spec.get("recipients", []):
        line = {"units": [line]} if isinstance(line, str) else line
        shown = "; ".join(names.shown.get(u, u) for u in line.get("units", []))
        label = f"[{line['label']}]" if line.get("label") else ""
        lines.append(" ".join(p for p in (label, shown) if p))
    text = "\n".join(lines)
    return _field("recipients", DirectiveSpec, Entry.RECIPIENTS, text, hint=_RECIPIENTS_HINT)


def _basis(spec: Mapping[str, Any]) -> tuple[FormField, ...]:
    fields: list[FormField] = []
    for n, cited in enumerate(spec.get("basis", [])):
        at, head = f"basis.{n}", f"Căn cứ {n + 1} — "
        for name in ("kind", "number", "issuer"):
            fields.append(_field(f"{at}.{name}", Reference, Entry.TEXT, cited.get(name), head))
        fields.append(_field(f"{at}.date", Reference, Entry.DATE, _day(cited.get("date")), head))
        fields.append(
            _field(f"{at}.subject", Reference, Entry.OPTIONAL, cited.get("subject"), head)
        )
    return tuple(fields)


def _items(
    items: list[dict[str, Any]], at: str, prefix: str, names: UnitNames, style: str = "1."
) -> tuple[FormField, ...]:
    fields: list[FormField] = []
    for n, item in enumerate(items):
        here, label = f"{at}.{n}", prefix + item_label(style, n + 1)
        head = f"Mục {label} — "
        form, detail = _deadline_shown(item.get("deadline") or {})
        report_to = names.show([item["report_to"]]) if item.get("report_to") else ""
        text = shown_text(item.get("text"))
        fields += [
            _field(f"{here}.text", Item, Entry.PROSE, text, head, hint=_TEXT_HINT),
            *(
                _field(
                    f"{here}.{role}",
                    Item,
                    Entry.UNITS,
                    names.show(item.get(role, [])),
                    head,
                    hint=_UNITS_HINT,
                )
                for role in ("lead", "cooperating")
            ),
            _field(f"{here}.report_to", Item, Entry.UNIT, report_to, head, hint=_REPORT_HINT),
            _field(f"{here}.product", Item, Entry.OPTIONAL, item.get("product"), head),
            _field(
                f"{here}.deadline",
                Item,
                Entry.DEADLINE,
                form,
                head,
                choices=_DEADLINE_FORMS,
                detail=detail,
                hint=_DEADLINE_HINT,
            ),
        ]
        fields += _items(
            item.get("items", []), f"{here}.items", label, names, str(item.get("sublabels", "a)"))
        )
    return tuple(fields)


def shown_text(text: object) -> str:
    shown = "" if text is None else str(text)
    for placeholder, words in PLACEHOLDERS.items():
        shown = shown.replace(placeholder, words)
    return shown


def _deadline_shown(deadline: Mapping[str, Any]) -> tuple[str, str]:
    if deadline.get("recurring"):
        return "recurring", ""
    if deadline.get("working_days"):
        form = "from_receipt" if deadline.get("from_receipt") else "working_days"
        return form, f"{int(deadline['working_days']):02d}"
    for form in ("before", "latest"):
        if deadline.get(form):
            return form, _day(deadline[form])
    if deadline.get("month"):
        year, month = str(deadline["month"]).split("-")
        return "month", f"{int(month)}/{year}"
    if deadline.get("quarter"):
        year, quarter = str(deadline["quarter"]).split("-Q")
        return "quarter", f"{roman(int(quarter))}/{year}"
    return "", ""


def _signature(spec: Mapping[str, Any]) -> tuple[FormField, ...]:
    signer = spec.get("signer") or {}
    principal = ("", "Không (người đứng đầu ký)")
    authorities = (principal, *((a.value, f"{a.value}.") for a in Authority))
    bodies = (
        ("", "Không có dòng này"),
        *((a.value, f"{a.value}.") for a in (Authority.TM, Authority.TL)),
    )
    at = "signer."
    return (
        _field(
            at + "body_authority",
            Signer,
            Entry.CHOICE,
            signer.get("body_authority", "TM") if signer.get("body") else "",
            choices=bodies,
        ),
        _field(
            at + "body", Signer, Entry.OPTIONAL, signer.get("body"), hint="khi ký thay có hai dòng"
        ),
        _field(
            at + "authority", Signer, Entry.CHOICE, signer.get("authority"), choices=authorities
        ),
        _field(at + "on_behalf_of", Signer, Entry.OPTIONAL, signer.get("on_behalf_of")),
        _field(at + "position", Signer, Entry.TEXT, signer.get("position")),
        _field(at + "name", Signer, Entry.OPTIONAL, signer.get("name")),
        _field(
            "distribution", DirectiveSpec, Entry.LINES, "\n".join(spec.get("distribution") or [])
        ),
        _field("archive", DirectiveSpec, Entry.WORDS, ", ".join(spec.get("archive") or [])),
    )
