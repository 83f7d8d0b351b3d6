"""User-input errors, worded in Vietnamese for the coordinator who has to fix the file."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one input file: where it is, what was found, why it is wrong."""

    file: str
    field: str
    value: Any
    message: str

    def __str__(self) -> str:
        shown = _show(self.value)
        return f"Tệp {self.file}, trường «{self.field}», giá trị {shown}: {self.message}"


class InputError(Exception):
    """Raised when a spec, tree or template cannot be used; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def one(cls, file: str | Path, field: str, value: Any, message: str) -> InputError:
        return cls([Problem(str(file), field, value, message)])


def _show(value: Any) -> str:
    if value is None:
        return "(trống)"
    text = value if isinstance(value, str) else repr(value)
    if len(text) > 80:
        text = text[:77] + "..."
    return f"«{text}»"


def field_path(loc: Iterable[str | int]) -> str:
    """('items', 0, 'deadline') -> 'items[1].deadline' (positions counted from 1, as people do)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(toàn bộ tệp)"
