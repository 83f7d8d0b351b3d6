"""Reading back the check form of an imported spec (models/importing/form.py): the spec the
corrected fields mean, with every field that cannot be read named in one error."""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from models.errors import InputError, Problem
from models.importing.form import WHERE, Entry, FormField, UnitNames, spec_form
from models.org import OrgTree
from models.vntext import roman


def corrected(
    spec: Mapping[str, Any], org: OrgTree, values: Mapping[str, str], *, checked: bool
) -> dict[str, Any]:
    """SPEC with every field of its form set to what the form says now; "chưa kiểm tra" is
    lifted only when the person ticked that they checked it. Every unreadable field is named
    in one error, so one correction round shows them all."""
    out: dict[str, Any] = copy.deepcopy(dict(spec))
    problems: list[Problem] = []
    names = UnitNames(org)
    for part in spec_form(spec, org, [], ""):
        for field in part.fields:
            if field.name not in values:
                continue  # a field the form did not send keeps what was read
            try:
                value = _read(field, values, names)
            except InputError as error:
                problems += error.problems
                continue
            _put(out, field.name, value)
    if problems:
        raise InputError(problems)
    if checked:
        out.pop("unchecked", None)
    return out


def _read(field: FormField, values: Mapping[str, str], names: UnitNames) -> Any:
    text = values[field.name].replace("\r\n", "\n").strip()
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    entry = field.entry
    if entry in (Entry.TEXT, Entry.PROSE):
        if not text:
            raise InputError.one(WHERE, field.label, text, "không được để trống")
        return " ".join(lines)
    if entry is Entry.CHOICE:
        if text not in dict(field.choices):
            raise InputError.one(WHERE, field.label, text, "không phải một lựa chọn của biểu mẫu")
        return text or None
    if entry is Entry.OPTIONAL:
        return " ".join(lines) or None
    if entry in (Entry.PARAGRAPHS, Entry.LINES):
        return lines
    if entry is Entry.WORDS:
        return [w.strip() for w in text.split(",") if w.strip()] or None
    if entry is Entry.NUMBER:
        if not text:
            return None
        if not text.isdigit() or int(text) == 0:
            raise InputError.one(
                WHERE, field.label, text, "phải là số nguyên dương, hoặc để trống khi là dự thảo"
            )
        return int(text)
    if entry in (Entry.DATE, Entry.OPTIONAL_DATE):
        if not text and entry is Entry.OPTIONAL_DATE:
            return None
        return _date(text, field.label).isoformat()
    if entry is Entry.UNITS:
        return [names.read(line, field.label) for line in lines]
    if entry is Entry.UNIT:
        return names.read(text, field.label) if text else None
    if entry is Entry.RECIPIENTS:
        return [_recipient(line, names, field.label) for line in lines]
    return _deadline(
        values.get(field.name, ""), values.get(f"{field.name}.detail", ""), field.label
    )


_LABELLED = re.compile(r"^\[(?P<label>[^\]]+)\]\s*(?P<units>.*)$")


def _recipient(line: str, names: UnitNames, label: str) -> dict[str, Any]:
    found = _LABELLED.match(line)
    units_text = found["units"] if found else line
    units = [names.read(u.strip(), label) for u in units_text.split(";") if u.strip()]
    return {"label": found["label"].strip(), "units": units} if found else {"units": units}


_DAY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$|^(\d{4})-(\d{2})-(\d{2})$")


def _date(text: str, label: str) -> dt.date:
    found = _DAY.match(text.replace(" ", ""))
    if found:
        day, month, year = (
            (found[1], found[2], found[3]) if found[1] else (found[6], found[5], found[4])
        )
        try:
            return dt.date(int(year), int(month), int(day))
        except ValueError:
            pass
        raise InputError.one(WHERE, label, text, "ngày không tồn tại")
    raise InputError.one(WHERE, label, text, "phải là ngày dạng ngày/tháng/năm, ví dụ 20/5/2024")


_ROMAN = {roman(n): n for n in range(1, 5)}


def _deadline(form: str, detail: str, label: str) -> dict[str, Any] | None:
    detail = detail.strip()
    if form == "":
        return None
    if form == "recurring":
        return {"recurring": True}
    if form in ("before", "latest"):
        return {form: _date(detail, label).isoformat()}
    if form == "month":
        found = re.fullmatch(r"(\d{1,2})\s*/\s*(\d{4})", detail)
        if not found or not 1 <= int(found[1]) <= 12:
            raise InputError.one(WHERE, label, detail, "tháng phải dạng tháng/năm, ví dụ 6/2024")
        return {"month": f"{found[2]}-{int(found[1]):02d}"}
    if form == "quarter":
        found = re.fullmatch(r"([IV]+|[1-4])\s*/\s*(\d{4})", detail.upper())
        quarter = (
            (_ROMAN.get(found[1]) or (int(found[1]) if found[1].isdigit() else None))
            if found
            else None
        )
        if not found or quarter is None:
            raise InputError.one(WHERE, label, detail, "quý phải dạng quý/năm, ví dụ II/2024")
        return {"quarter": f"{found[2]}-Q{quarter}"}
    if form in ("working_days", "from_receipt"):
        if not detail.isdigit() or int(detail) == 0:
            raise InputError.one(WHERE, label, detail, "số ngày làm việc phải là số nguyên dương")
        return {"working_days": int(detail), "from_receipt": form == "from_receipt"}
    raise InputError.one(WHERE, label, form, "không phải một dạng thời hạn")


def _put(spec: dict[str, Any], path: str, value: Any) -> None:
    """Set the field at PATH ("items.2.lead"); a blank optional field is removed."""
    *within, last = path.split(".")
    node: Any = spec
    for step in within:
        node = node[int(step)] if isinstance(node, list) else node.setdefault(step, {})
    if value is None or value == []:
        if isinstance(node, dict):
            node.pop(last, None)
        return
    node[last] = value
