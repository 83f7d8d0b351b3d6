"""The synthesis flow "Tổng hợp báo cáo": the coordinator's báo cáo tổng hợp for a directive."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pendulum
from prefect import flow

from flows.cascade import documents_dir
from flows.context import actor
from flows.forms import titled
from models import synthesis
from models.calendar import ZONE
from models.directive import Directive
from models.files import write_atomic
from models.org import OrgTree
from models.store import Store
from renderer import render_bytes
from renderer.chart import bar_chart
from renderer.render import Figure


@flow(name="Tổng hợp báo cáo")
def synthesize(
    ref: str = titled(..., "Mã hoặc số hiệu văn bản chỉ đạo"),
    as_of: dt.date | None = titled(None, "Tổng hợp đến ngày", "Mặc định: hôm nay"),
) -> str:
    """Write the báo cáo tổng hợp of directive REF; returns the document's path."""
    day = as_of or pendulum.now(ZONE).date()
    store = Store.open()
    record = store.lookup(ref)
    assert record.id is not None
    org = OrgTree.load(Path(record.org_path))
    table = synthesis.rows(store, record.id)
    spec = synthesis.synthesis_spec(org, record, table, day)
    by_group = synthesis.rates(table)
    chart = bar_chart(
        [g.group for g in by_group], [g.percent for g in by_group], "Tỷ lệ báo cáo đúng hạn"
    )
    figure = Figure(chart, "Biểu đồ: tỷ lệ báo cáo đúng hạn theo nhóm đơn vị")
    data = render_bytes(Directive(spec, org, f"tong-hop:{record.key}"), figures=[figure])
    path = documents_dir(store.cascade_root(record).key) / f"tong-hop-{day.isoformat()}.docx"
    sha = hashlib.sha256(data).hexdigest()
    known = store.documents([record.id], kind="tong-hop").get(record.id)
    if not (known and known.sha256 == sha and known.path == str(path) and path.is_file()):
        write_atomic(path, data)
        store.record_documents([(record.id, path, sha)], actor(), kind="tong-hop")
    return str(path)
