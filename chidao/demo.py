"""`make demo`: the Quảng Ngãi story from issue to synthesis, on the embedded default, day by day
on a simulated clock (May 2024). Every letter chidao drafts is released by the person who signs
it, so every letter carries its number from its issuer's register."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pendulum
from sqlmodel import Session

from chidao.status import status_text
from flows import letters
from flows.cascade import issue_directive
from flows.escalation import scan_deadlines
from flows.synthesis import synthesize
from models import assignments
from models.calendar import ZONE
from models.directive import Directive, DirectiveSpec
from models.documents import path_of
from models.letters import register_lines, waiting
from models.states import LetterKind
from models.store import Store, home
from models.vntext import short_date
from renderer import default_filename, render_directive

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
LETTER = "2371/UBND-TTHC"
BINH_SON = "qng:2371/UBND-TTHC:2024-05-13>qng.binh-son"
# Who reports, when (May 2024), on what: the rest never report.
REPORTS = [
    (
        LETTER,
        "qng.stp",
        "1.",
        16,
        "Đã rà soát 12 tiêu chí thành phần thuộc lĩnh vực tư pháp; "
        "nguyên nhân giảm điểm là chậm cập nhật văn bản quy phạm pháp luật.",
    ),
    (
        LETTER,
        "qng.syt",
        "1.",
        17,
        "Chỉ số SIPAS lĩnh vực y tế giảm do thời gian chờ tại bộ phận "
        "một cửa; đã bố trí thêm cán bộ tiếp nhận.",
    ),
    *[
        (
            BINH_SON,
            f"qng.binh-son.{office}",
            "1.",
            16,
            "Đã đánh giá kết quả cải cách hành chính "
            "của phòng; đề xuất giải pháp cho các tiêu chí bị trừ điểm.",
        )
        for office in ("pnv", "ptp", "ptckh", "pvhtt", "pgddt", "pyt", "pktht", "vp", "ttr")
    ],
    (LETTER, "qng.sxd", "1.", 22, "Sở Xây dựng báo cáo chậm do chờ số liệu quý I."),
]


@contextmanager
def _on(day: int, hour: int = 8) -> Iterator[None]:
    """Run on the simulated clock: day DAY of May 2024."""
    os.environ["CHIDAO_SIMULATED_NOW"] = f"2024-05-{day:02d}T{hour:02d}:00:00+07:00"
    yield


def _release_drafts(store: Store) -> None:
    """Each waiting draft released by the person who signs it (as a clerk does on their say)."""
    with Session(store.engine) as session:
        drafts = waiting(session)
    for letter in drafts:
        spec = DirectiveSpec.model_validate_json(letter.spec_json or "{}")
        letters.release(store, [letter.key], spec.signer.name or "demo")
    released = letters.by_id(store, [x.id for x in drafts if x.id is not None])
    for kind in dict.fromkeys(LetterKind(x.kind) for x in released):
        of_kind = [x for x in released if x.kind == kind]
        first = of_kind[0]
        more = f" và {len(of_kind) - 1} văn bản khác" if len(of_kind) > 1 else ""
        print(
            f"    phát hành {kind.label.lower()}: {first.reference} ngày "
            f"{short_date(first.issued_on)} của {first.issuer_code}{more}; {path_of(first)}"
        )


def _report(store: Store, ref: str, unit: str, label: str, day: int, text: str) -> None:
    target = assignments.find(store, ref, unit, label)
    if target.state != "assigned":  # a re-run of the demo sends nothing twice
        print(f"  {unit} đã báo cáo mục {label} (lần chạy trước)")
        return
    at = pendulum.datetime(2024, 5, day, 9, 30, tz=ZONE)
    late = assignments.submit_report(store, target, text, [], "demo", at)
    print(f"  {day}/5 {unit} báo cáo mục {label}: {'trễ hạn' if late else 'đúng hạn'}")


def run() -> None:
    simulated = os.environ.get("CHIDAO_SIMULATED_NOW")
    try:
        _story()
    finally:
        if simulated is None:
            os.environ.pop("CHIDAO_SIMULATED_NOW", None)
        else:
            os.environ["CHIDAO_SIMULATED_NOW"] = simulated


def _story() -> None:
    store = Store.open()
    for name, day, board in (
        ("quang-ngai-2268.yaml", 6, True),
        ("quang-ngai-2371.yaml", 13, False),
    ):
        with _on(day):
            print(f"== {day}/5 Phát hành {name}: các huyện phát hành ngay văn bản triển khai")
            result = issue_directive(spec_path=str(EXAMPLES / name), auto_release=True)
        print(status_text(store, store.lookup(result.root_key), show_board=board))
        print(f"Văn bản: {result.documents_dir}\n")
    print("== Văn bản triển khai của UBND huyện Bình Sơn (theo mẫu seed 002)")
    print(status_text(store, store.lookup(BINH_SON)), "\n")

    print("== Tháng 5/2024, theo thứ tự thời gian (công văn 2371: hạn trước ngày 20/5/2024)")
    passes = {16: "nhắc hạn", 17: "báo cáo lên", 21: "công văn đôn đốc", 27: "báo cáo cấp trên"}
    for day in range(14, 28):
        if day in passes:  # the pass runs at 07:30, before the day's reports
            with _on(day, 7):
                scan = scan_deadlines()
                print(f"  {day}/5 quét hạn ({passes[day]}): {scan.taken}")
                _release_drafts(store)
        for ref, unit, label, when, text in REPORTS:
            if when == day:
                with _on(day, 10):
                    _report(store, ref, unit, label, day, text)
    print("  Các đơn vị còn lại không báo cáo.")
    with _on(28):
        path = synthesize(ref=LETTER, as_of=dt.date(2024, 5, 27))
        _release_drafts(store)
    print(f"\n== 28/5 Báo cáo tổng hợp: {path}")

    with Session(store.engine) as session:
        lines = register_lines(session, "qng.snv", 2024)
    print("\n== Sổ văn bản đi của Sở Nội vụ năm 2024 (chidao register qng.snv --year 2024)")
    for line in lines:
        print(f"  {line.reference}  {short_date(line.issued_on)}  {line.kind_and_subject}")

    drafts = home() / "documents" / "du-thao-mau"
    for name in ("binh-son-2024.yaml", "dong-ha-ke-hoach-2024.yaml"):
        directive = Directive.load(EXAMPLES / name)
        render_directive(directive, drafts / default_filename(directive))
    print(f"\nDự thảo mẫu (Bình Sơn, kế hoạch Đông Hà): {drafts}")
    print(f"Tất cả văn bản nằm trong thư mục: {home() / 'documents'}")
