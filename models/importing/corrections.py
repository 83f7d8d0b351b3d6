"""Reading back the check form of an imported spec (models/importing/form.py): the spec the
corrected fields mean, with every field that cannot be read named in one error."""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from models.errors import InputError, Problem
from models.importing.form import PLACEHOLDERS, WHERE, Entry, FormField, UnitNames, spec_form
from models.org import OrgTree
from models.vntext import roman, short_date


def corrected(
    spec: Mapping[str, Any], org: OrgTree, values: Mapping[str, str], *, checked: bool
) -> dict[str, Any]:
    """SPEC with every field of its form set to what the form says now; "chưa kiểm tra" is
    lifted only when the person ticked that they checked it. Every unreadable field, and every
    item left with work but nobody to do it, is named in one error, so one correction round
    shows them all."""
    out: dict[str, Any] = copy.deepcopy(dict(spec))
    problems: list[Problem] = []
    names = UnitNames(org)
    fields = [f for part in spec_form(spec, org, [], "") for f in part.fields]
    for field in fields:
        if field.name not in values:
            continue  # a field the form did not send keeps what was read
        try:
            value = _read(field, values, names)
        except InputError as error:
            problems += error.problems
            continue
        _put(out, field.name, value)
    labels = {f.name: f.label for f in fields}
    problems += _nobody_to_do(out.get("items", []), "items", False, labels)
    received, issued = out.get("received_on"), out.get("issued_on")
    if received and issued and received < issued:
        message = "ngày nhận trước ngày ban hành của văn bản"
        problems.append(Problem(WHERE, labels["received_on"], _day_shown(received), message))
    if not checked:
        message = "văn bản đọc tự động phải được người kiểm tra trước khi phát hành"
        problems.append(Problem(WHERE, "Tôi đã kiểm tra", "chưa đánh dấu", message))
    if problems:
        raise InputError(problems)
    out.pop("unchecked", None)
    return out


def _nobody_to_do(
    items: list[dict[str, Any]], at: str, led: bool, labels: Mapping[str, str]
) -> list[Problem]:
    """Items with a deadline, a report or a product but no lead of their own or above."""
    problems = []
    for n, item in enumerate(items):
        here = f"{at}.{n}"
        has_lead = led or bool(item.get("lead"))
        work = item.get("deadline") or item.get("report_to") or item.get("product")
        subs_led = item.get("items") and all(sub.get("lead") for sub in item["items"])
        if work and not has_lead and not subs_led:
            message = "mục có thời hạn hoặc báo cáo nhưng không giao cho đơn vị nào"
            problems.append(Problem(WHERE, labels[f"{here}.lead"], "", message))
        problems += _nobody_to_do(item.get("items", []), f"{here}.items", has_lead, labels)
    return problems


def on_the_form(error: InputError, spec: Mapping[str, Any], org: OrgTree) -> InputError:
    """ERROR, found in the spec the form made, said in the form's words: "Mục 3. — Thời hạn"
    for items[3].deadline.before, dates as the form writes them, no file path."""
    fields = [f for part in spec_form(spec, org, [], "") for f in part.fields]
    labels = {f.name: f.label for f in fields}
    said = []
    for problem in error.problems:
        path = re.sub(r"\[(\d+)\]", lambda m: f".{int(m[1]) - 1}", problem.field)
        steps = path.split(".")
        names = [".".join(steps[:n]) for n in range(len(steps), 0, -1)]
        label = next((labels[n] for n in names if n in labels), problem.field)
        said.append(Problem(WHERE, label, _day_shown(problem.value), problem.message))
    return InputError(said)


def _day_shown(value: object) -> object:
    text = str(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return short_date(dt.date.fromisoformat(text))
    return value


def _read(field: FormField, values: Mapping[str, str], names: UnitNames) -> Any:
    text = values[field.name].replace("\r\n", "\n").strip()
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    entry = field.entry
    if entry in (Entry.TEXT, Entry.PROSE):
        if not text:
            raise InputError.one(WHERE, field.label, text, "không được để trống")
        joined = " ".join(lines)
        for placeholder, words in PLACEHOLDERS.items():
            joined = joined.replace(words, placeholder)
        return joined
    if entry is Entry.REQUIRED_CHOICE and not text:
        raise InputError.one(WHERE, field.label, text, "phải chọn")
    if entry in (Entry.CHOICE, Entry.REQUIRED_CHOICE):
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
    # The words a person may type before or after the value: "quý II/2024", "5 ngày".
    detail = re.sub(
        r"^(?:trong\s+)?(?:quý|tháng|ngày)\s+|\s+ngày(?: làm việc)?$",
        "",
        detail.strip(),
        flags=re.I,
    )
    if form in ("", "recurring"):
        if detail:
            message = "đã ghi ngày, tháng hoặc số ngày nhưng chưa chọn dạng thời hạn tương ứng"
            raise InputError.one(WHERE, label, detail, message)
        return {"recurring": True} if form else None
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
