"""`make demo`: the Quảng Ngãi story from issue to synthesis, on the embedded default."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pendulum

from chidao.status import status_text
from flows.cascade import issue_directive
from flows.escalation import scan_deadlines
from flows.synthesis import synthesize
from models import assignments
from models.calendar import ZONE
from models.directive import Directive
from models.store import Store, home
from renderer import default_filename, render_directive

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
LETTER = "2371/UBND-TTHC"
# Who reports, when (May 2024), and what: the rest never report.
REPORTS = [
    (
        "qng.stp",
        "1.",
        16,
        "Đã rà soát 12 tiêu chí thành phần thuộc lĩnh vực tư pháp; nguyên nhân "
        "giảm điểm là chậm cập nhật văn bản quy phạm pháp luật.",
    ),
    (
        "qng.syt",
        "1.",
        17,
        "Chỉ số SIPAS lĩnh vực y tế giảm do thời gian chờ tại bộ phận một cửa; "
        "đã bố trí thêm cán bộ tiếp nhận.",
    ),
    (
        "qng.binh-son",
        "2.",
        17,
        "UBND huyện Bình Sơn đã tổng hợp báo cáo của 12 phòng, ban; đề xuất "
        "giải pháp nâng cao chỉ số PAR INDEX năm 2024.",
    ),
    ("qng.sxd", "1.", 22, "Sở Xây dựng báo cáo chậm do chờ số liệu quý I."),
]


def _scan(day: int, what: str) -> None:
    scan = scan_deadlines(as_of=dt.date(2024, 5, day))
    print(f"  {day}/5 quét hạn ({what}): {scan.taken}")
    if scan.documents:
        folder = Path(scan.documents[0]).parent
        province = next(p for p in scan.documents if p.endswith("/qng.snv.docx"))
        print(f"    {len(scan.documents)} văn bản trong {folder}; của Sở Nội vụ: {province}")


def _report(store: Store, unit: str, label: str, day: int, text: str) -> None:
    target = assignments.find(store, LETTER, unit, label)
    if target.state != "assigned":  # a re-run of the demo sends nothing twice
        print(f"  {unit} đã báo cáo mục {label} (lần chạy trước)")
        return
    at = pendulum.datetime(2024, 5, day, 9, 30, tz=ZONE)
    late = assignments.submit_report(store, target, text, [], "demo", at)
    print(f"  {day}/5 {unit} báo cáo mục {label}: {'trễ hạn' if late else 'đúng hạn'}")


def run() -> None:
    store = Store.open()
    for name, board in (("quang-ngai-2268.yaml", True), ("quang-ngai-2371.yaml", False)):
        print(f"== Phát hành {name}")
        result = issue_directive(spec_path=str(EXAMPLES / name), auto_release=True)
        print(status_text(store, store.lookup(result.root_key), board=board))
        print(f"Văn bản: {result.documents_dir}\n")
    district = store.lookup("qng:2371/UBND-TTHC:2024-05-13>qng.binh-son")
    print("== Văn bản triển khai của UBND huyện Bình Sơn (theo mẫu seed 002)")
    print(status_text(store, district), "\n")

    print("== Tháng 5/2024, theo thứ tự thời gian (công văn 2371: hạn trước ngày 20/5/2024)")
    scans = {16: "nhắc hạn", 21: "công văn đôn đốc", 27: "báo cáo cấp trên"}
    for day in range(16, 28):
        if day in scans:  # the pass runs at 07:30, before the day's reports
            _scan(day, scans[day])
        for unit, label, when, text in REPORTS:
            if when == day:
                _report(store, unit, label, day, text)
    print("  Các đơn vị còn lại không báo cáo.")
    print(f"\n== Báo cáo tổng hợp: {synthesize(ref=LETTER, as_of=dt.date(2024, 5, 27))}")

    drafts = home() / "documents" / "du-thao-mau"
    for name in ("binh-son-2024.yaml", "dong-ha-ke-hoach-2024.yaml"):
        directive = Directive.load(EXAMPLES / name)
        render_directive(directive, drafts / default_filename(directive))
    print(f"Dự thảo mẫu (Bình Sơn, kế hoạch Đông Hà): {drafts}")
    print(f"Tất cả văn bản nằm trong thư mục: {home() / 'documents'}")
