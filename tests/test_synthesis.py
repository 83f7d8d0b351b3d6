"""The synthesis report: each unit's and task's state, on-time and late counts and rates by unit
group, the units that never reported, excerpts of the reports, and a chart — in one ND 30 draft."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import docx
import pendulum
import pytest

from chidao.cli import main
from flows.cascade import issue_directive
from flows.synthesis import synthesize
from models import assignments
from models.calendar import ZONE
from models.store import Store
from tests.conftest import EXAMPLES, docx_text

pytestmark = pytest.mark.usefixtures("prefect_api")

LETTER = "2371/UBND-TTHC"


@pytest.fixture
def report_path(database: str) -> Path:
    issue_directive(spec_path=str(EXAMPLES / "quang-ngai-2371.yaml"), auto_release=False)
    store = Store.open()
    sent = [
        ("qng.stp", "1.", "Sở Tư pháp đã rà soát 12 tiêu chí thành phần.", (2024, 5, 17)),
        ("qng.snv", "1.", "Sở Nội vụ đã tổng hợp số liệu cải cách hành chính.", (2024, 5, 16)),
        ("qng.sxd", "1.", "Sở Xây dựng báo cáo chậm do chờ số liệu quý I.", (2024, 5, 22)),
    ]
    for unit, label, text, day in sent:
        target = assignments.find(store, LETTER, unit, label)
        at = pendulum.datetime(*day, 10, tz=ZONE)
        assignments.submit_report(store, target, text, [], "test", at)
    return Path(synthesize(ref=LETTER, as_of=dt.date(2024, 5, 27)))


def test_the_synthesis_counts_on_time_late_and_missing_reports(report_path: Path) -> None:
    text = docx_text(report_path)
    assert "SỞ NỘI VỤ" in text and "BÁO CÁO" in text
    assert "Tổng hợp kết quả thực hiện Công văn số 2371/UBND-TTHC" in text
    assert "Kính gửi: Ủy ban nhân dân tỉnh Quảng Ngãi." in text
    assert (
        "Tổng số 34 việc được giao: 2 việc báo cáo đúng hạn (6%), 1 việc báo cáo trễ hạn, "
        "31 việc chưa báo cáo." in text
    )


def test_the_rates_by_unit_group_are_in_a_table(report_path: Path) -> None:
    tables = docx.Document(str(report_path)).tables
    rates = next(t for t in tables if t.rows[0].cells[0].text == "Nhóm đơn vị")
    rows = [[c.text for c in row.cells] for row in rates.rows[1:]]
    assert rows == [
        ["Sở, ban, ngành", "21", "2", "1", "18", "10%"],
        ["UBND cấp huyện", "13", "0", "0", "13", "0%"],
    ]


def test_units_that_never_reported_and_report_excerpts_are_named(report_path: Path) -> None:
    text = docx_text(report_path)
    assert "- Ủy ban nhân dân huyện Bình Sơn (mục 2)." in text
    assert "- Sở Tư pháp (mục 1)." not in text
    assert "- Sở Xây dựng (mục 1): “Sở Xây dựng báo cáo chậm do chờ số liệu quý I.”" in text
    assert "22/5/2024 (trễ hạn)" in text


def test_the_chart_is_embedded_as_a_picture(report_path: Path) -> None:
    document = docx.Document(str(report_path))
    assert len(document.inline_shapes) == 1
    with zipfile.ZipFile(report_path) as archive:
        png = archive.read("word/media/bieu-do-1.png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert "Biểu đồ: tỷ lệ báo cáo đúng hạn theo nhóm đơn vị" in docx_text(report_path)


def test_the_command_writes_the_synthesis(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    issue_directive(spec_path=str(EXAMPLES / "quang-ngai-2371.yaml"), auto_release=False)
    assert main(["synthesize", LETTER, "--as-of", "2024-05-27"]) == 0
    out = capsys.readouterr().out
    assert "Đã viết báo cáo tổng hợp:" in out and "tong-hop-2024-05-27.docx" in out
