"""The status of a directive as the coordinator reads it in a terminal."""

from __future__ import annotations

from models import board
from models.records import DirectiveRecord
from models.states import LetterState
from models.store import Store

_LEVELS = {0: "Văn bản gốc", 1: "Cấp dưới trực tiếp", 2: "Cấp dưới nữa"}


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(c) for c in column) for column in zip(header, *rows, strict=True)]
    lines = [
        " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in [header, *rows]
    ]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)


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
    out += [_table(["Cấp", "Số văn bản", "Đang chờ phát hành", "Số việc đã giao"], rows), ""]
    if not show_board:
        return "\n".join(out).rstrip()
    labels, units = board.board(store, record.id)
    if units:
        header = ["Đơn vị", *[f"Mục {x}" for x in labels]]
        out.append(
            _table(header, [[r.unit, *[r.states.get(x, "") for x in labels]] for r in units])
        )
    else:
        out.append("Chưa giao việc cho đơn vị nào (văn bản còn là dự thảo).")
    return "\n".join(out)
