"""argparse speaking Vietnamese: usage, section titles, help and every usage error, with
chidao's exit code for bad input (2)."""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any, NoReturn

from models.errors import InputError

# argparse's own messages (Python 3.11), as a clerk should read them.
_MESSAGES = [
    (r"the following arguments are required: (.+)", "thiếu tham số bắt buộc: {0}"),
    (r"argument (\S+): invalid choice: (.+) \(choose from (.+)\)", "{0}: {1} không có; chọn: {2}"),
    (r"argument (\S+): invalid (\w+) value: (.+)", "{0}: giá trị {2} không hợp lệ"),
    (r"argument (\S+): expected one argument", "{0}: thiếu giá trị"),
    (r"argument (\S+): expected at least one argument", "{0}: cần ít nhất một giá trị"),
    (r"argument (\S+): not allowed with argument (\S+)", "{0}: không dùng cùng {1}"),
    (r"unrecognized arguments: (.+)", "tham số không nhận ra: {0}"),
    (r"ambiguous option: (\S+) could match (.+)", "tùy chọn {0} có thể là: {1}"),
]


def translate(message: str) -> str:
    for pattern, vietnamese in _MESSAGES:
        found = re.fullmatch(pattern, message)
        if found:
            return vietnamese.format(*found.groups())
    return message


# What a value stands for, in the help of every command (by argument name).
_METAVARS = {
    "ref": "MÃ-CHỈ-ĐẠO",
    "unit": "ĐƠN-VỊ",
    "spec": "TỆP-YAML",
    "file": "TỆP",
    "item": "MỤC",
    "text": "NỘI-DUNG",
    "at": "THỜI-ĐIỂM",
    "reason": "LÝ-DO",
    "until": "NGÀY",
    "as_of": "NGÀY",
    "issued_on": "NGÀY",
    "output": "TỆP",
    "org": "TỆP-CÂY",
    "templates": "THƯ-MỤC",
    "home": "THƯ-MỤC",
    "out": "THƯ-MỤC",
    "year": "NĂM",
    "postgres": "URL",
    "host": "ĐỊA-CHỈ",
    "port": "CỔNG",
}


class Formatter(argparse.RawDescriptionHelpFormatter):
    """Help laid out as written (examples keep their lines), usage titled in Vietnamese."""

    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "Cách dùng: " if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """A (sub)command: its own arguments grouped under Vietnamese titles, -h/--help worded in
    Vietnamese, usage errors translated and exiting with 2."""

    def __init__(self, *args: Any, example: str | None = None, **kwargs: Any) -> None:
        kwargs.update(formatter_class=Formatter, add_help=False)
        if example:
            kwargs["epilog"] = "Ví dụ:\n  " + example.replace("\n", "\n  ")
        super().__init__(*args, **kwargs)
        self.positional = self.add_argument_group("tham số")
        self.options = self.add_argument_group("tùy chọn")
        self.options.add_argument("-h", "--help", action="help", help="in hướng dẫn này rồi thoát")

    def arg(self, *names: str, **kwargs: Any) -> argparse.Action:
        """An argument, filed under its title: a name (tham số) or a flag (tùy chọn)."""
        flag = names[0].startswith("-")
        name = names[-1].lstrip("-").replace("-", "_")
        if kwargs.get("action") not in ("store_true", "help") and "metavar" not in kwargs:
            kwargs["metavar"] = _METAVARS.get(
                name, "SỐ" if kwargs.get("type") is int else "GIÁ-TRỊ"
            )
        group = self.options if flag else self.positional
        return group.add_argument(*names, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(
            InputError.exit_code, f"Lỗi: tham số dòng lệnh không hợp lệ: {translate(message)}\n"
        )
