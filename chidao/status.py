"""The status of a directive as the coordinator reads it in a terminal."""

from __future__ import annotations

import io
import shutil
import sys

from rich import box
from rich.console import Console
from rich.table import Table

from models import board
from models.records import DirectiveRecord
from models.states import LetterState
from models.store import Store

_LEVELS = {0: "Văn bản gốc", 1: "Cấp dưới trực tiếp", 2: "Cấp dưới nữa"}


def table_text(header: list[str], rows: list[list[str]], title: str | None = None) -> str:
    """A table as text (rich): as wide as the terminal; unwrapped when written to a file or a
    pipe, so each row stays on one line for whoever reads it there."""
    table = Table(*header, title=title, box=box.SIMPLE_HEAD, title_justify="left")
    for row in rows:
        table.add_row(*row)
    width = shutil.get_terminal_size().columns if sys.stdout.isatty() else 1000
    console = Console(width=width, file=io.StringIO())
    console.print(table)
    return "\n".join(line.rstrip() for line in console.file.getvalue().splitlines())  # type: ignore[attr-defined]


def status_text(store: Store, record: DirectiveRecord, show_board: bool = True) -> str:
    assert record.id is not None
    state = LetterState(record.state).label.lower()
    out = [f"Chỉ đạo {record.reference} ({state}): {record.subject}", f"Mã: {record.key}", ""]
    summary = board.cascade_summary(store, record.id)
    rows = [
        [
            _LEVELS.get(depth - record.depth, f"Cấp {depth - record.depth}"),
            str(n),
            str(n - released),
            str(a),
        ]
        for depth, n, released, a in summary
    ]
    out += [table_text(["Cấp", "Số văn bản", "Đang chờ phát hành", "Số việc đã giao"], rows), ""]
    if not show_board:
        return "\n".join(out).rstrip()
    labels, units = board.board(store, record.id)
    if units:
        header = ["Đơn vị", *[f"Mục {x}" for x in labels]]
        out.append(
            table_text(header, [[r.unit, *[r.states.get(x, "") for x in labels]] for r in units])
        )
    else:
        out.append("Chưa giao việc cho đơn vị nào (văn bản còn là dự thảo).")
    return "\n".join(out)
