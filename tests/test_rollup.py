"""A governing unit's report upward is drafted from its own units' reports: as soon as they are
all in, or at their internal deadline with the missing ones named — and not before. Released,
it is the unit's report on the province's letter, so the two levels never disagree."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest
from sqlmodel import Session, select

from chidao.cli import main
from flows.cascade import issue_directive
from flows.escalation import scan_deadlines
from models import assignments
from models.board import counts
from models.calendar import ZONE
from models.documents import path_of
from models.records import AssignmentRecord, LetterRecord, ReportRecord
from models.states import LetterKind
from models.store import Store
from tests.conftest import EXAMPLES, Clock
from tests.letters import Letter, read

pytestmark = pytest.mark.usefixtures("prefect_api")

BINH_SON = "qng:2371/UBND-TTHC:2024-05-13>qng.binh-son"  # its offices report before 17/5


@pytest.fixture
def store(database: str) -> Store:
    issue_directive(spec_path=str(EXAMPLES / "quang-ngai-2371.yaml"), auto_release=True)
    return Store.open()


def _offices(store: Store) -> list[str]:
    """The units whose reports Bình Sơn's coordinator (Phòng Nội vụ) gathers: not its own
    part, which goes into the report it drafts."""
    letter = store.lookup(BINH_SON)
    with Session(store.engine) as session:
        owed = session.exec(
            select(AssignmentRecord).where(
                AssignmentRecord.directive_id == letter.id,
                AssignmentRecord.report_to_code == "qng.binh-son.pnv",
                AssignmentRecord.unit_code != "qng.binh-son.pnv",
            )
        )
        return [a.unit_code for a in owed]


def _report(store: Store, unit: str, day: int) -> None:
    target = assignments.find(store, BINH_SON, unit, "1.")
    text = f"Báo cáo của {unit} về cải cách hành chính."
    at = pendulum.datetime(2024, 5, day, 9, tz=ZONE)
    assignments.submit_report(store, target, text, [], "test", at)


def _rollup(store: Store) -> LetterRecord | None:
    with Session(store.engine) as session:
        return session.exec(
            select(LetterRecord).where(
                LetterRecord.kind == LetterKind.ROLLUP,
                LetterRecord.key == f"bao_cao_len:{BINH_SON}",
            )
        ).first()


def _pass(clock: Clock, day: int) -> None:
    clock(f"2024-05-{day:02d}T07:30")
    scan_deadlines(as_of=dt.date(2024, 5, day))


def test_nothing_is_drafted_while_reports_are_missing_before_the_deadline(
    store: Store, clock: Clock
) -> None:
    clock("2024-05-15T10:00")
    for unit in _offices(store)[:5]:
        _report(store, unit, 15)
    _pass(clock, 16)
    assert _rollup(store) is None


def test_the_report_upward_is_drafted_when_every_office_has_reported(
    store: Store, clock: Clock
) -> None:
    clock("2024-05-15T10:00")
    offices = _offices(store)
    assert len(offices) == 11
    for unit in offices:
        _report(store, unit, 15)
    _pass(clock, 16)
    drafted = _rollup(store)
    assert drafted is not None and drafted.state == "draft"
    letter = read(path_of(drafted))
    assert letter.issuer == ["ỦY BAN NHÂN DÂN", "HUYỆN BÌNH SƠN"]
    assert letter.number == "Số: /BC-UBND"
    # Whom item 2 of 2371 reports to, as a district names a department of the province.
    assert letter.recipients == ["Sở Nội vụ tỉnh Quảng Ngãi"]
    assert "11/11 cơ quan, đơn vị đã báo cáo (11 đúng hạn, 0 trễ hạn)" in letter.text
    assert "- Phòng Tư pháp: Báo cáo của qng.binh-son.ptp về cải cách hành chính." in letter.body
    assert letter.signature == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert letter.signer  # a deputy's name from the tree


def _released(store: Store, clock: Clock) -> Letter:
    clock("2024-05-17T09:00")
    drafted = _rollup(store)
    assert drafted is not None
    assert main(["release", drafted.key, "--by", "Nguyễn Tường Duy"]) == 0
    released = _rollup(store)
    assert released is not None and released.state == "released"
    return read(path_of(released))


def test_at_the_internal_deadline_the_draft_names_the_gaps_and_its_release_is_the_report(
    store: Store, clock: Clock
) -> None:
    clock("2024-05-16T10:00")
    offices = _offices(store)
    for unit in offices[:9]:
        _report(store, unit, 16)
    _pass(clock, 17)
    letter = read(path_of(_rollup(store)))  # type: ignore[arg-type]
    assert "9/11 cơ quan, đơn vị đã báo cáo (9 đúng hạn, 0 trễ hạn)" in letter.text
    gaps = next(p for p in letter.body if p.startswith("Các cơ quan, đơn vị chưa báo cáo:"))
    # The offices had one item each: no item numbers, and never Phòng Nội vụ, who writes it.
    assert gaps.startswith(
        "Các cơ quan, đơn vị chưa báo cáo: Phòng Kinh tế và Hạ tầng, Phòng Nông nghiệp và Phát "
        "triển nông thôn."
    )
    before = counts(Store.open())
    _pass(clock, 17)
    assert counts(Store.open()) == before  # the same draft again records nothing

    released = _released(store, clock)
    assert released.number == "Số: 02/BC-UBND"  # 01 was its letter passing 2371 down
    assert released.place_date == "Bình Sơn, ngày 17 tháng 5 năm 2024"
    # Released, it is Bình Sơn's report on item 2 of 2371, sent on 17/5 with itself attached.
    target = assignments.find(store, "2371/UBND-TTHC", "qng.binh-son", "2.")
    assert target.state == "reported"
    with Session(store.engine) as session:
        report = session.exec(
            select(ReportRecord).where(ReportRecord.assignment_id == target.id)
        ).one()
    assert report.text.startswith("Báo cáo số 02/BC-UBND ngày 17/5/2024")
    assert report.late is False
    # It also answers Phòng Nội vụ's own work below: its part of item 1 and its item 2.
    for label in ("1.", "2."):
        own = assignments.find(store, BINH_SON, "qng.binh-son.pnv", label)
        assert own.state == "reported"
