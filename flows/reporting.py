"""A unit submits its report through a Prefect form ("Nộp báo cáo")."""

from __future__ import annotations

from prefect import flow

from flows.context import actor, refusing
from flows.forms import titled
from models import assignments
from models.confine import confined
from models.evidence import read_evidence
from models.store import Store


@flow(name="Nộp báo cáo")
@refusing
def submit_report(
    ref: str = titled(..., "Mã hoặc số hiệu văn bản chỉ đạo"),
    unit: str = titled(..., "Mã đơn vị báo cáo"),
    text: str = titled(..., "Nội dung báo cáo"),
    item: str | None = titled(None, "Mục", "Chỉ cần khi đơn vị được giao nhiều mục"),
    files: list[str] = titled([], "Tệp kiểm chứng", "Đường dẫn tệp trên máy chạy chidao"),
) -> bool:
    """Record a unit's report with its evidence files; returns whether it came late."""
    store = Store.open()
    target = assignments.find(store, ref, unit, item)
    fields = [f"files[{i + 1}]" for i in range(len(files))]
    evidence = [
        read_evidence(confined(f, field), field) for f, field in zip(files, fields, strict=True)
    ]
    return assignments.submit_report(store, target, text, evidence, actor())
