"""`make demo`: the Quảng Ngãi story from issue to synthesis, on the embedded default, day by day
on a simulated clock (May 2024): most units report on time, a few after the công văn đôn đốc,
some never. Every letter chidao drafts is released by the person who signs it, so every letter
carries its number from its issuer's register, which continues from where the office was."""

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
from models.database import home
from models.directive import Directive
from models.documents import path_of
from models.letters import register_lines, set_first_number, waiting
from models.org import OrgTree
from models.spec import DirectiveSpec
from models.states import LetterKind
from models.store import Store
from models.vntext import short_date
from renderer import default_filename, render_directive

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
LETTER = "2371/UBND-TTHC"
EARLIER = "2268/UBND-TTHC"
BINH_SON = "qng:2371/UBND-TTHC:2024-05-13>qng.binh-son"
DISTRICTS = (
    "tp-quang-ngai", "tx-duc-pho", "binh-son", "son-tinh", "tu-nghia", "nghia-hanh", "mo-duc",
    "ba-to", "minh-long", "son-ha", "son-tay", "tra-bong", "ly-son",
)  # fmt: skip

# Who reports in May 2024, on which day, on what: most on time, a few after the đôn đốc, some
# never (the departments not named for an item, and the offices marked below).
ON_TIME_2371 = {
    15: ("stp", "skhdt", "skhcn"),
    16: ("syt", "stc", "sct", "stnmt", "svhttdl", "vpub"),
    17: ("snnptnt", "sgtvt", "stttt", "sldtbxh", "sgddt", "sngv"),
}
ON_TIME_2268 = {
    16: ("skhdt", "stc", "sct", "snnptnt", "stnmt", "vpub"),
    17: ("sldtbxh", "svhttdl", "sgddt", "syt"),
}
AFTER_URGING = {22: [(LETTER, "sxd"), (EARLIER, "stp"), (EARLIER, "sgtvt")], 23: [(LETTER, "ttr")]}
# Offices that miss their district's deadline (they report on 20/5, urged on 17/5) or never do.
LATE_OFFICES = {"ba-to": ("pdt", "ptnmt"), "son-ha": ("ptckh",), "ly-son": ("pyt",)}
SILENT_OFFICES = {"son-ha": ("pnnptnt",), "son-tay": ("ttr", "pktht"), "tra-bong": ("pdt",)}
# Where each issuer's register for 2024 stood when it took up chidao (chidao register --start):
# Sở Nội vụ had given 84/BC-SNV on 22/4 and Bình Sơn 855/UBND-TTHC on 26/3.
REGISTERS = {
    "qng.snv": 1051,
    **{f"qng.{d}": 1101 + 37 * n for n, d in enumerate(DISTRICTS)},
    **{f"qng.{d}.pnv": 181 + 11 * n for n, d in enumerate(DISTRICTS)},
}

_CAUSES = (
    "tiêu chí cải cách thủ tục hành chính giảm điểm do tỷ lệ hồ sơ giải quyết đúng hạn chưa cao",
    "tiêu chí kiểm tra, rà soát văn bản bị trừ điểm do ban hành kế hoạch chậm",
    "mức độ hài lòng của người dân giảm ở khâu tiếp nhận và trả kết quả hồ sơ",
    "tỷ lệ hồ sơ nộp và thanh toán trực tuyến còn thấp",
    "việc công khai thủ tục hành chính trên Cổng dịch vụ công chưa đầy đủ",
)
_REMEDIES = (
    "tăng cường kiểm tra việc giải quyết hồ sơ tại bộ phận một cửa",
    "rà soát, công khai đầy đủ thủ tục hành chính thuộc thẩm quyền",
    "bố trí thêm công chức tiếp nhận hồ sơ vào các ngày cao điểm",
    "đẩy mạnh hướng dẫn người dân nộp hồ sơ, thanh toán trực tuyến",
    "ban hành kế hoạch khắc phục trong tháng 6/2024",
)


def _finding(n: int) -> str:
    """A plausible report: a cause of lost points in the unit's field and a remedy."""
    return (
        "Kết quả thực hiện nhiệm vụ cải cách hành chính thuộc lĩnh vực phụ trách từ ngày "
        f"15/12/2023 đến ngày 15/5/2024: {_CAUSES[n % len(_CAUSES)]}; giải pháp khắc phục: "
        f"{_REMEDIES[(n + 2) % len(_REMEDIES)]}."
    )


ITEM = {LETTER: "1.", EARLIER: "2."}  # the departments' item in each letter


def _schedule() -> dict[int, list[tuple[str, str, str]]]:
    """(directive, unit, item) reporting on each day of May."""
    days: dict[int, list[tuple[str, str, str]]] = {}
    for day, units in ON_TIME_2371.items():
        days.setdefault(day, []).extend((LETTER, f"qng.{u}", "1.") for u in units)
    for day, units in ON_TIME_2268.items():
        days.setdefault(day, []).extend((EARLIER, f"qng.{u}", "2.") for u in units)
    for day, pairs in AFTER_URGING.items():
        days.setdefault(day, []).extend((ref, f"qng.{u}", ITEM[ref]) for ref, u in pairs)
    return days


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


def _report(store: Store, ref: str, unit: str, label: str, day: int, text: str) -> bool | None:
    """UNIT reports on item LABEL of REF at 09:30 on DAY; whether it was late, or None when a
    previous run of the demo sent it already."""
    target = assignments.find(store, ref, unit, label)
    if target.state != "assigned":  # a re-run of the demo sends nothing twice
        return None
    at = pendulum.datetime(2024, 5, day, 9, 30, tz=ZONE)
    return assignments.submit_report(store, target, text, [], "demo", at)


def _office_reports(org: OrgTree) -> dict[int, list[tuple[str, str, str]]]:
    """Each district's offices' reports on its letter passing 2371 down, by day."""
    days: dict[int, list[tuple[str, str, str]]] = {}
    for district in DISTRICTS:
        ref = f"qng:{LETTER}:2024-05-13>qng.{district}"
        for n, office in enumerate(org.children(f"qng.{district}")):
            short = office.code.rpartition(".")[2]
            if short in SILENT_OFFICES.get(district, ()):
                continue
            day = 20 if short in LATE_OFFICES.get(district, ()) else 15 + n % 2
            days.setdefault(day, []).append((ref, office.code, "1."))
    return days


def _open_registers(store: Store, org: OrgTree) -> None:
    """Each issuer's register for 2024 continues from where the office had got to by hand."""
    store.sync_units(org, "demo")
    with store.session() as session:
        for issuer, first in REGISTERS.items():
            if not register_lines(session, issuer, 2024):
                set_first_number(session, issuer, 2024, first)


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
    org = OrgTree.load(EXAMPLES / "org" / "quang-ngai.yaml")
    _open_registers(store, org)
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
    reports = _schedule()
    for day, pairs in _office_reports(org).items():
        reports.setdefault(day, []).extend(pairs)
    n = 0
    for day in range(14, 28):
        if day in passes:  # the pass runs at 07:30, before the day's reports
            with _on(day, 7):
                scan = scan_deadlines()
                print(f"  {day}/5 quét hạn ({passes[day]}): {scan.taken}")
                _release_drafts(store)
        sent = {True: 0, False: 0}
        for ref, unit, label in reports.get(day, []):
            n += 1
            with _on(day, 10):
                late = _report(store, ref, unit, label, day, _finding(n))
            if late is not None:
                sent[late] += 1
        if any(sent.values()):
            print(f"  {day}/5 {sent[False]} báo cáo đúng hạn, {sent[True]} báo cáo trễ hạn")
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
