"""Reading YAML input files strictly: UTF-8, NFC, dates left as text for the schema to judge."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import yaml

from models.errors import InputError, Problem, field_path


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """SafeLoader without the timestamp rule: '2024-02-30' must reach validation as text,
    so the error can name the field instead of crashing inside the YAML parser."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Loader.yaml_implicit_resolvers.items()
}


def load_yaml(path: Path) -> Any:
    """Parse PATH; every failure is an InputError naming the file."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError.one(path, "(tệp)", str(path), "không tìm thấy tệp") from None
    except OSError as exc:
        raise InputError.one(
            path, "(tệp)", str(path), f"không đọc được tệp ({exc.strerror})"
        ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError.one(
            path, "(mã hóa)", f"byte {exc.start}", "tệp không phải UTF-8; hãy lưu lại với mã UTF-8"
        ) from None
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"dòng {mark.line + 1}, cột {mark.column + 1}" if mark else "(không rõ vị trí)"
        raise InputError.one(
            path, where, exc.problem or "", "lỗi cú pháp YAML; kiểm tra thụt lề và dấu hai chấm"
        ) from None
    except yaml.YAMLError as exc:
        raise InputError.one(path, "(cú pháp)", str(exc), "lỗi cú pháp YAML") from None
    if not isinstance(data, dict):
        raise InputError.one(
            path, "(toàn bộ tệp)", type(data).__name__, "tệp phải là một bảng khóa: giá trị"
        )
    problems = list(_non_nfc(path, data, ()))
    if problems:
        raise InputError(problems)
    return data


def _non_nfc(path: Path, node: Any, loc: tuple[str | int, ...]) -> list[Problem]:
    """Text in decomposed Unicode looks right but never matches a name typed in NFC."""
    if isinstance(node, str):
        if not unicodedata.is_normalized("NFC", node):
            return [
                Problem(
                    str(path),
                    field_path(loc),
                    node,
                    "chữ tiếng Việt chưa ở dạng Unicode dựng sẵn (NFC); hãy chuyển mã sang "
                    "Unicode dựng sẵn rồi lưu lại",
                )
            ]
        return []
    found: list[Problem] = []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _non_nfc(path, value, (*loc, str(key)))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _non_nfc(path, value, (*loc, i))
    return found
