"""The synthesis report: what was issued and passed down, results by item, by unit group and by
unit (on time, late, never), what fell short and why, what the coordinator proposes — a báo cáo
tổng hợp a Giám đốc signs, whose counts agree with the districts' own reports."""

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
from tests.conftest import EXAMPLES, Clock
from tests.letters import Letter, read

pytestmark = pytest.mark.usefixtures("prefect_api")

LETTER = "2371/UBND-TTHC"


@pytest.fixture
def report_path(database: str, clock: Clock) -> Path:
    issue_directive(spec_path=str(EXAMPLES / "quang-ngai-2371.yaml"), auto_release=False)
    store = Store.open()
    clock("2024-05-27T08:00")
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


@pytest.fixture
def report(report_path: Path) -> Letter:
    return read(report_path)


def test_it_is_the_coordinators_report_to_the_issuer(report: Letter) -> None:
    assert report.issuer == ["UBND TỈNH QUẢNG NGÃI", "SỞ NỘI VỤ"]
    assert report.number == "Số: /BC-SNV"  # a draft until someone releases it
    assert report.subject == (
        "Tổng hợp kết quả thực hiện Công văn số 2371/UBND-TTHC ngày 13/5/2024 của UBND tỉnh"
    )
    assert report.recipients == ["Ủy ban nhân dân tỉnh Quảng Ngãi"]
    assert report.body[0].startswith(
        "Thực hiện Công văn số 2371/UBND-TTHC ngày 13/5/2024 của UBND tỉnh về chuẩn bị"
    )
    assert report.signature == ["GIÁM ĐỐC"] and report.signer == "Lê Ngọc Nam"
    assert not report.copied_to("Sở Nội vụ") and not report.addressed_to("Sở Nội vụ")
    assert report.archive == ["VT", "CCHC"]


def test_it_has_the_sections_of_a_bao_cao_tong_hop(report: Letter) -> None:
    headings = [p for p in report.body if p[:3] in ("I. ", "II.", "III", "IV.")]
    assert headings == [
        "I. TÌNH HÌNH TRIỂN KHAI",
        "II. KẾT QUẢ THỰC HIỆN",
        "III. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN",
        "IV. ĐỀ XUẤT, KIẾN NGHỊ",
    ]
    assert report.body[-1].endswith("Sở Nội vụ kính báo cáo UBND tỉnh xem xét, chỉ đạo./.")


def test_the_counts_leave_out_the_coordinators_own_work(report: Letter) -> None:
    # 19 departments on item 1 and 13 districts on item 2. Sở Nội vụ's own part of item 1 goes
    # into this report (what it sent itself is not counted), and item 3 is this very report.
    assert (
        "Tổng số 32 việc được giao: 1 việc báo cáo đúng hạn (3%), 1 việc báo cáo trễ hạn, "
        "30 việc chưa báo cáo." in report.body
    )
    by_item = next(t for t in report.tables if t[0][0] == "Mục")
    assert [row[0] for row in by_item[1:]] == ["1", "2"]
    assert by_item[1][2:] == ["19", "1", "1", "17"]
    never = next(p for p in report.body if p.startswith("Đến ngày 27/5/2024, còn"))
    assert "Sở Nội vụ" not in never and "Sở Tư pháp" not in never
    assert "Sở Tài chính (mục 1)" in never and "Ủy ban nhân dân huyện Bình Sơn (mục 2)" in never


def test_the_rates_by_unit_group_are_in_a_table(report: Letter) -> None:
    rates = next(t for t in report.tables if t[0][0] == "Nhóm đơn vị")
    assert rates[1:] == [
        ["Sở, ban, ngành", "19", "1", "1", "17", "5%"],
        ["UBND cấp huyện", "13", "0", "0", "13", "0%"],
    ]


def test_every_table_repeats_its_header_row_and_the_unit_list_is_a_landscape_appendix(
    report_path: Path,
) -> None:
    document = docx.Document(str(report_path))
    data = [t for t in document.tables if t.rows[0].cells[0].text in ("Mục", "Nhóm đơn vị", "TT")]
    assert len(data) == 3
    for table in data:
        first = table.rows[0]._tr
        assert (
            first.trPr is not None and first.trPr.find(docx.oxml.ns.qn("w:tblHeader")) is not None
        )
    sections = document.sections
    assert [s.orientation for s in sections] == [0, 1]  # portrait, then landscape
    appendix = document.tables[-1]
    assert [c.text for c in appendix.rows[0].cells][:3] == ["TT", "Cơ quan, đơn vị", "Mục"]
    assert len(appendix.rows) == 1 + 2 + 32  # header, two group rows, one row per unit


def test_excerpts_and_late_reports_are_named(report: Letter) -> None:
    assert "- Sở Xây dựng (mục 1): Sở Xây dựng báo cáo chậm do chờ số liệu quý I." in report.body
    late = next(p for p in report.body if "việc báo cáo trễ hạn:" in p)
    assert "Sở Xây dựng (mục 1)" in late


def test_the_chart_is_embedded_as_a_picture(report_path: Path, report: Letter) -> None:
    document = docx.Document(str(report_path))
    assert len(document.inline_shapes) == 1
    with zipfile.ZipFile(report_path) as archive:
        png = archive.read("word/media/bieu-do-1.png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert "Biểu đồ: tỷ lệ báo cáo đúng hạn theo nhóm cơ quan, đơn vị" in report.body


def test_the_command_writes_the_synthesis(
    database: str, capsys: pytest.CaptureFixture[str], clock: Clock
) -> None:
    issue_directive(spec_path=str(EXAMPLES / "quang-ngai-2371.yaml"), auto_release=False)
    clock("2024-05-27T09:00")
    assert main(["synthesize", LETTER, "--as-of", "2024-05-27"]) == 0
    out = capsys.readouterr().out
    assert "Đã viết báo cáo tổng hợp:" in out and "tong-hop-2024-05-27" in out
