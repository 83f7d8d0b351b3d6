"""Reading a received letter (văn bản đến) into a directive spec: what it says, matched to an
organisation tree, with every doubt noted beside its field (see reader.py)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from models import clock
from models.calendar import WorkingCalendar
from models.cascade import Wording, implementing_spec
from models.directive import Directive
from models.errors import InputError
from models.importing.corrections import corrected
from models.importing.form import spec_form
from models.importing.names import key
from models.importing.reader import Imported, Reader, Unread
from models.letterlines import Line
from models.org import OrgTree
from models.received import Received
from models.spec import Deadline, DirectiveSpec, DocumentKind
from models.validation import validate
from models.vntext import short_date

__all__ = ["Imported", "Unread", "corrected", "import_letter", "key", "spec_form"]


def received_entry(imported: Imported, org: OrgTree, file_name: str, data: bytes) -> Received:
    """What the received-letters register records of an imported letter."""
    spec = imported.spec
    issuer = org.units.get(str(spec.get("issuer")))
    number = f"{spec['number']}/" if spec.get("number") else "/"
    kind = DocumentKind(str(spec.get("kind", "cong_van"))).label
    return Received(
        issuer=issuer.text_name if issuer else "(chưa rõ)",
        reference=number + str(imported.facts.get("symbol", "")),
        issued_on=dt.date.fromisoformat(str(spec["issued_on"])) if spec.get("issued_on") else None,
        kind_and_subject=f"{kind} {spec.get('subject', '')}".strip(),
        file_name=file_name,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def task_lines(imported: Imported, org: OrgTree, calendar: WorkingCalendar) -> list[str]:
    """Each task as the letter labels it, as the coordinator checks it against the letter: who
    leads, and its last day."""
    spec = imported.spec
    issued = dt.date.fromisoformat(spec["issued_on"]) if spec.get("issued_on") else None
    received = dt.date.fromisoformat(spec["received_on"]) if spec.get("received_on") else None
    lines = []
    for task in imported.facts.get("tasks", []):
        who = ", ".join(org.label(c) for c in task["lead"] if c in org)
        when = _when(task.get("deadline"), issued, received, calendar)
        lines.append(f"  Mục {task['label']} {when}; chủ trì: {who or '(chưa rõ đơn vị chủ trì)'}")
    return lines


def _when(
    deadline: dict[str, object] | None,
    issued: dt.date | None,
    received: dt.date | None,
    calendar: WorkingCalendar,
) -> str:
    if not deadline:
        return "không ghi hạn"
    read = dict(deadline)
    if read.pop("from", "issue") == "receipt":
        read["from_receipt"] = True
    try:
        due = Deadline.model_validate(read).due_on(issued or clock.today(), calendar, received)
    except ValueError:
        return "hạn không đọc được"
    return (
        f"hạn cuối {short_date(due)}"
        if due and issued
        else "không có hạn cuối"
        if not due
        else "hạn tính từ ngày ban hành"
    )


def import_letter(lines: list[Line], org: OrgTree, org_ref: str, file: str = "") -> Imported:
    """The spec LINES state, with ORG_REF as its 'org' field."""
    return Reader(lines, org, org_ref, file).read()


def org_reference(org_path: Path, spec_path: Path | None) -> str:
    """The 'org' field: the tree's path relative to where the spec will be written."""
    if spec_path is None:
        return str(org_path.resolve())
    try:
        return str(org_path.resolve().relative_to(spec_path.resolve().parent))
    except ValueError:
        return str(org_path.resolve())


def letter_spec(data: dict[str, Any], org: OrgTree, file: Path) -> DirectiveSpec:
    """DATA as a spec checked against ORG; every problem is raised together."""
    spec = validate(DirectiveSpec, data, file)
    Directive(spec, org, str(file))
    return spec


def implementing_letter(
    data: dict[str, Any], org: OrgTree, file: Path, unit_code: str, lead_days: int, say: Wording
) -> DirectiveSpec:
    """UNIT's letter passing the received one down (the seed-002 pattern). The received
    letter's signer does not appear in it, so an unreadable signer does not stop it."""
    if unit_code not in org.units:
        raise InputError.one(
            file, "--implement-as", unit_code, f"đơn vị không có trong cây tổ chức {org.name}"
        )
    unit = org.units[unit_code]
    if not unit.governs or unit.coordinator is None:
        raise InputError.one(
            file, "--implement-as", unit_code, "đơn vị này không có cấp dưới để triển khai"
        )
    received = dict(data)
    issuer = org.units.get(str(data.get("issuer")))
    if issuer is not None:
        signer = dict(received.get("signer") or {})
        signer.setdefault("position", issuer.head_title)
        received["signer"] = signer
    parent_spec = letter_spec(received, org, file)
    if parent_spec.number is None:
        raise InputError.one(
            file, "number", None, "văn bản đến chưa có số (dự thảo): chưa thể triển khai"
        )
    parent = Directive(parent_spec, org, str(file))
    if not any(unit in task.lead for task in parent.tasks()):
        raise InputError.one(
            file,
            "--implement-as",
            unit_code,
            "văn bản đến không giao mục nào cho đơn vị này (theo những gì đọc được)",
        )
    return implementing_spec(parent, unit, WorkingCalendar.load(), lead_days, say, clock.today())


def spec_yaml(spec: dict[str, Any], origin: str, notes: list[Unread], file: str) -> str:
    """The spec as its author would write it, marked "chưa kiểm tra" (unchecked: true), with
    where it came from, and each doubt as a comment above the field it concerns."""
    data = {"unchecked": True, **{k: v for k, v in spec.items() if k != "unchecked"}}
    document = CommentedMap(data)
    document.yaml_set_start_comment(
        f"{origin}.\nChưa kiểm tra: đọc các lưu ý «# ?» bên dưới, sửa nếu cần, rồi chạy "
        "«chidao import --check TỆP» (hoặc xóa dòng unchecked)."
    )
    beside: dict[str, list[str]] = {}
    for note in notes:
        top = re.match(r"[a-z_]*", note.field)  # "items[3].lead[1]" is about "items"
        field = top[0] if top and top[0] else "unchecked"
        field = {"lead": "items", "deadline": "items"}.get(field, field)
        shown = f"? {note.describe(file)}"
        said = beside.setdefault(field if field in document else "unchecked", [])
        if shown not in said:
            said.append(shown)
    for target, said in beside.items():
        document.yaml_set_comment_before_after_key(target, before="\n".join(said))
    out = io.StringIO()
    writer = YAML()
    writer.width = 100
    writer.indent(mapping=2, sequence=4, offset=2)
    writer.dump(document, out)
    return out.getvalue()


_UNCHECKED = re.compile(r"^(?:unchecked:\s*true|# Chưa kiểm tra:.*)\n", re.MULTILINE)


def checked_text(text: str) -> str:
    """A spec file's text with its "chưa kiểm tra" mark removed, the notes kept."""
    return _UNCHECKED.sub("", text)


def stated_fields(spec: dict[str, Any]) -> dict[str, str]:
    """A spec flattened to 'items[2].deadline.before' -> '2024-05-20': what a letter states,
    field by field, for comparing an import with a reader's labels. Signer words are compared
    without case: the document prints them in capitals."""
    out: dict[str, str] = {}

    def walk(value: Any, path: str) -> None:
        if isinstance(value, dict):
            for name, inner in value.items():
                walk(inner, f"{path}.{name}" if path else name)
        elif isinstance(value, list):
            for n, inner in enumerate(value, start=1):
                walk(inner, f"{path}[{n}]")
        elif value is not None:
            out[path] = str(value)

    data = {name: value for name, value in spec.items() if name != "org"}
    walk(data, "")
    for path in [p for p in out if p.startswith("signer.") and p != "signer.name"]:
        out[path] = out[path].casefold()
    return out
