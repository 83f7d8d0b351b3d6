"""A governing unit's report upward is drafted from its subordinates' reports: as soon as they
are all in, or at its internal deadline with the missing ones named — and not before."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pendulum
import pytest
from sqlmodel import Session, select

from flows.cascade import issue_directive
from flows.escalation import scan_deadlines
from models import assignments
from models.calendar import ZONE
from models.records import AssignmentRecord
from models.store import Store
from tests.conftest import EXAMPLES, docx_text

pytestmark = pytest.mark.usefixtures("prefect_api")

BINH_SON = "qng:2371/UBND-TTHC:2024-05-13>qng.binh-son"  # its offices report before 17/5


@pytest.fixture
def store(database: str) -> Store:
    issue_directive(spec_path=str(EXAMPLES / "quang-ngai-2371.yaml"), auto_release=True)
    return Store.open()


def _offices(store: Store) -> list[str]:
    """The units whose reports Bình Sơn's coordinator (Phòng Nội vụ) gathers."""
    letter = store.lookup(BINH_SON)
    with Session(store.engine) as session:
        owed = session.exec(
            select(AssignmentRecord).where(
                AssignmentRecord.directive_id == letter.id,
                AssignmentRecord.report_to_code == "qng.binh-son.pnv",
            )
        )
        return [a.unit_code for a in owed]


def _report(store: Store, unit: str, day: int) -> None:
    target = assignments.find(store, BINH_SON, unit, "1.")
    text = f"Báo cáo của {unit} về cải cách hành chính."
    assignments.submit_report(
        store, target, text, [], "test", pendulum.datetime(2024, 5, day, 9, tz=ZONE)
    )


def _rollup(paths: list[str]) -> Path | None:
    found = [Path(p) for p in paths if "/bao-cao-len/" in p and p.endswith("/qng.binh-son.docx")]
    return found[0] if found else None


def test_nothing_is_drafted_while_reports_are_missing_before_the_deadline(store: Store) -> None:
    for unit in _offices(store)[:5]:
        _report(store, unit, 15)
    assert _rollup(scan_deadlines(as_of=dt.date(2024, 5, 16)).documents) is None


def test_the_report_upward_is_drafted_when_every_office_has_reported(store: Store) -> None:
    offices = _offices(store)
    assert len(offices) == 12
    for unit in offices:
        _report(store, unit, 15)
    path = _rollup(scan_deadlines(as_of=dt.date(2024, 5, 16)).documents)
    assert path is not None
    text = docx_text(path)
    assert "ỦY BAN NHÂN DÂN HUYỆN BÌNH SƠN" in text and "BÁO CÁO" in text
    assert "Kính gửi: Ủy ban nhân dân tỉnh Quảng Ngãi." in text
    assert "12/12 cơ quan, đơn vị đã báo cáo." in text
    assert "- Phòng Tư pháp: Báo cáo của qng.binh-son.ptp về cải cách hành chính." in text
    assert "Không có: tất cả các cơ quan, đơn vị đã báo cáo." in text


def test_at_the_internal_deadline_the_draft_names_the_gaps(store: Store) -> None:
    offices = _offices(store)
    for unit in offices[:9]:
        _report(store, unit, 15)
    path = _rollup(scan_deadlines(as_of=dt.date(2024, 5, 17)).documents)
    assert path is not None
    text = docx_text(path)
    assert "9/12 cơ quan, đơn vị đã báo cáo." in text
    assert "CÁC ĐƠN VỊ CHƯA BÁO CÁO" in text and "(mục 1)." in text
    before = Store.open().counts()
    scan_deadlines(as_of=dt.date(2024, 5, 17))
    assert Store.open().counts() == before  # the same draft again records nothing
