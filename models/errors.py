"""Errors a user can act on, worded in Vietnamese, each kind with its exit code:

- InputError (2): a file, a field or an argument is wrong — fix it and run again;
- StateError (3): not possible now (a report already accepted, a draft with nothing to say);
- FaultError (4): the machine — disk full, read-only folder, database unreadable or gone;
- ServiceError (5): the office's Prefect server or workers."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Self


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one input file: where it is, what was found, why it is wrong."""

    file: str
    field: str
    value: Any
    message: str

    def __str__(self) -> str:
        shown = _show(self.value)
        if self.file.startswith("("):  # not a file: the command line, the database …
            where = self.file.strip("()")
            return (
                f"{where[:1].upper()}{where[1:]}, «{self.field}», giá trị {shown}: {self.message}"
            )
        return f"Tệp {self.file}, trường «{self.field}», giá trị {shown}: {self.message}"


class ChidaoError(Exception):
    """Carries every problem found; the command prints them and exits with EXIT_CODE."""

    exit_code = 1

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def one(cls, file: str | Path, field: str, value: Any, message: str) -> Self:
        return cls([Problem(str(file), field, value, message)])

    def without_values(self) -> Self:
        """The same problems without the values read: for a file a form named, whose content
        must not travel into a run's state and logs."""
        return type(self)(replace(p, value=HIDDEN) for p in self.problems)


class InputError(ChidaoError):
    """A spec, tree, template, letter or argument cannot be used as it is."""

    exit_code = 2


class StateError(ChidaoError):
    """What was asked is not possible in the records' present state."""

    exit_code = 3


class FaultError(ChidaoError):
    """The machine failed chidao: disk, permissions, the database."""

    exit_code = 4


class ServiceError(ChidaoError):
    """The office's Prefect server or workers are not doing their part."""

    exit_code = 5


HIDDEN = object()  # a value not shown (see ChidaoError.without_values)


def _show(value: Any) -> str:
    if value is HIDDEN:
        return "(không hiển thị)"
    if value is None:
        return "(trống)"
    text = value if isinstance(value, str) else repr(value)
    # A control character would act on the terminal instead of being seen.
    text = "".join(
        f"\\u{ord(c):04x}" if unicodedata.category(c) == "Cc" and c != " " else c for c in text
    )
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
