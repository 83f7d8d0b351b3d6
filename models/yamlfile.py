"""Reading YAML input files strictly: UTF-8, NFC, dates left as text for the schema to judge —
and safely: bounded in size and in nodes after aliases are expanded (an "alias bomb" of a few
hundred bytes would otherwise expand to gigabytes), and no key given twice."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import yaml

from models.errors import InputError, Problem, field_path
from models.limits import MAX_INPUT_BYTES, MAX_YAML_NODES


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """SafeLoader without the timestamp rule: '2024-02-30' must reach validation as text,
    so the error can name the field instead of crashing inside the YAML parser."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Loader.yaml_implicit_resolvers.items()
}


def _read(path: Path) -> str:
    try:
        if not path.is_file():
            reason = "là một thư mục" if path.is_dir() else "không tìm thấy tệp"
            raise InputError.one(path, "(tệp)", str(path), reason)
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            limit = MAX_INPUT_BYTES // 1024 // 1024
            raise InputError.one(path, "(tệp)", f"{size} byte", f"tệp quá lớn; tối đa {limit} MB")
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError.one(
            path, "(tệp)", str(path), f"không đọc được tệp ({exc.strerror})"
        ) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError.one(
            path, "(mã hóa)", f"byte {exc.start}", "tệp không phải UTF-8; hãy lưu lại với mã UTF-8"
        ) from None


def _check(path: Path, root: yaml.Node) -> None:
    """Count the nodes as a reader of the data would see them (aliases expanded), refuse a key
    given twice in one mapping, and a node that contains itself."""
    sizes: dict[int, int] = {}
    busy: set[int] = set()

    def size(node: yaml.Node) -> int:
        if id(node) in sizes:
            return sizes[id(node)]
        if id(node) in busy:
            mark = node.start_mark
            raise InputError.one(
                path, f"dòng {mark.line + 1}", None, "bí danh (alias) tự tham chiếu chính nó"
            )
        busy.add(id(node))
        total = 1
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value in seen:
                    line = key.start_mark.line + 1
                    raise InputError.one(
                        path,
                        f"dòng {line}",
                        key.value,
                        f"khóa đã có ở dòng {seen[key.value]}; mỗi khóa chỉ được ghi một lần",
                    )
                if isinstance(key, yaml.ScalarNode):
                    seen[key.value] = key.start_mark.line + 1
                total += size(key) + size(value)
        elif isinstance(node, yaml.SequenceNode):
            total += sum(size(item) for item in node.value)
        busy.discard(id(node))
        sizes[id(node)] = total
        if total > MAX_YAML_NODES:
            raise InputError.one(
                path,
                "(toàn bộ tệp)",
                f"hơn {MAX_YAML_NODES:,} phần tử".replace(",", "."),
                "tệp có quá nhiều phần tử sau khi mở rộng bí danh (alias)",
            )
        return total

    size(root)


def load_yaml(path: Path) -> Any:
    """Parse PATH; every failure is an InputError naming the file."""
    text = _read(path)
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is not None:
            _check(path, root)
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"dòng {mark.line + 1}, cột {mark.column + 1}" if mark else "(không rõ vị trí)"
        raise InputError.one(
            path, where, exc.problem or "", "lỗi cú pháp YAML; kiểm tra thụt lề và dấu hai chấm"
        ) from None
    except yaml.YAMLError as exc:
        raise InputError.one(path, "(cú pháp)", str(exc), "lỗi cú pháp YAML") from None
    except RecursionError:
        raise InputError.one(path, "(toàn bộ tệp)", None, "dữ liệu lồng nhau quá sâu") from None
    finally:
        loader.dispose()
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
