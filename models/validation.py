"""Turn pydantic's validation errors into Vietnamese problems naming file, field and value."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from models.errors import InputError, Problem, field_path

M = TypeVar("M", bound=BaseModel)

# pydantic error type -> what a clerk should read. Unknown types fall back to a generic line.
_MESSAGES = {
    "missing": "thiếu trường bắt buộc",
    "extra_forbidden": "trường không được hỗ trợ (viết sai tên trường?)",
    "string_type": "phải là chuỗi ký tự",
    "string_too_short": "không được để trống",
    "string_pattern_mismatch": "không đúng dạng quy định",
    "int_type": "phải là số nguyên",
    "int_parsing": "phải là số nguyên",
    "int_from_float": "phải là số nguyên",
    "bool_type": "phải là true hoặc false",
    "bool_parsing": "phải là true hoặc false",
    "date_type": "phải là ngày theo dạng YYYY-MM-DD (ví dụ 2024-05-20)",
    "date_parsing": "phải là ngày theo dạng YYYY-MM-DD (ví dụ 2024-05-20)",
    "date_from_datetime_parsing": "ngày không tồn tại hoặc sai dạng YYYY-MM-DD",
    "date_from_datetime_inexact": "chỉ ghi ngày, không ghi giờ",
    "list_type": "phải là một danh sách",
    "dict_type": "phải là một bảng khóa: giá trị",
    "model_type": "phải là một bảng khóa: giá trị",
    "too_short": "không được để trống",
    "literal_error": "giá trị không hợp lệ",
    "enum": "giá trị không hợp lệ",
}


# Bounds with their limit in the message.
_BOUNDS = {
    "greater_than": "phải lớn hơn {gt}",
    "greater_than_equal": "không được nhỏ hơn {ge}",
    "less_than": "phải nhỏ hơn {lt}",
    "less_than_equal": "không được lớn hơn {le}",
    "string_too_long": "dài quá {max_length} ký tự",
    "too_long": "nhiều quá {max_length} phần tử",
    "datetime_from_date_parsing": "phải là thời điểm dạng 2024-05-21T07:30",
    "datetime_parsing": "phải là thời điểm dạng 2024-05-21T07:30",
}


def validate(model: type[M], data: Any, file: str | Path) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputError(problems_of(exc, str(file))) from None


def problems_of(exc: ValidationError, file: str) -> list[Problem]:
    """Each pydantic error as a Vietnamese problem naming FILE, the field and the value."""
    out = []
    for err in exc.errors(include_url=False):
        kind = err["type"]
        if kind == "value_error":
            # Our own validators raise ValueError with a Vietnamese message.
            message = str(err["ctx"]["error"])
        elif kind in _BOUNDS:
            message = _BOUNDS[kind].format(**err.get("ctx", {}))
        elif kind in ("literal_error", "enum"):
            choices = str(err["ctx"]["expected"]).replace(" or ", ", ")
            message = f"{_MESSAGES[kind]}; chọn một trong: {choices}"
        else:
            message = _MESSAGES.get(kind, f"giá trị không hợp lệ ({kind})")
        loc = [p for p in err["loc"] if not _is_union_tag(p)]
        value = None if kind == "missing" else err.get("input")
        if isinstance(value, dict | list) and len(repr(value)) > 80:
            value = "(…)"  # a whole part of the file: the field says where
        out.append(Problem(file, field_path(loc), value, message))
    return out


def _is_union_tag(part: Any) -> bool:
    # pydantic adds the union member's name ('str', 'RecipientLine', 'function-after[...]') to loc.
    return isinstance(part, str) and (part[:1].isupper() or "[" in part or part in ("str", "int"))
