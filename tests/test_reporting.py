"""Units report on their assignments; the coordinator accepts, returns or extends. Every change
is audited, lateness is derived from the due day, and no state can be reached twice."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path

import pendulum
import pytest
from sqlmodel import Session, col, select

from chidao.cli import main
from flows.cascade import issue_directive
from flows.reporting import submit_report
from models import assignments
from models.board import counts, is_overdue
from models.calendar import ZONE
from models.database import home
from models.errors import StateError
from models.evidence import read_evidence
from models.records import (
    AssignmentRecord,
    AuditRecord,
    EvidenceRecord,
    ExtensionRecord,
    ItemRecord,
    ReportRecord,
)
from models.store import Store
from tests.conftest import EXAMPLES, Clock

pytestmark = pytest.mark.usefixtures("prefect_api")

LETTER = "2371/UBND-TTHC"  # Sở Tư pháp must report before 20/5/2024 (due end of 19/5)


@pytest.fixture
def store(database: str) -> Store:
    issue_directive(spec_path=str(EXAMPLES / "quang-ngai-2371.yaml"), auto_release=False)
    return Store.open()


def _evidence(tmp_path: Path, name: str = "bao-cao.pdf", data: bytes = b"%PDF-1.4 ...") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _state(store: Store, unit: str) -> str:
    return assignments.find(store, LETTER, unit).state


def test_a_report_on_time_with_evidence_is_recorded_and_audited(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str], clock: Clock
) -> None:
    clock("2024-05-18T08:00")
    pdf = _evidence(tmp_path)
    args = ["report", LETTER, "qng.stp", "--text", "Đã rà soát 12 tiêu chí", "--file", str(pdf)]
    assert main([*args, "--file", str(pdf), "--at", "2024-05-17T16:00"]) == 0
    assert "Đã nhận báo cáo của qng.stp, mục 1. (đúng hạn)" in capsys.readouterr().out
    assert _state(store, "qng.stp") == "reported"
    with Session(store.engine) as session:
        report = session.exec(select(ReportRecord)).one()
        assert report.late is False and report.text == "Đã rà soát 12 tiêu chí"
        evidence = session.exec(select(EvidenceRecord)).all()
        actions = [a.action for a in session.exec(select(AuditRecord))]
    assert len(evidence) == 1  # the same file twice is one piece of evidence
    stored = home() / "evidence" / evidence[0].sha256[:2] / evidence[0].sha256
    assert stored.read_bytes() == pdf.read_bytes()
    assert "assignment.reported" in actions


def test_a_report_sent_on_the_day_of_trước_ngày_is_late(store: Store, clock: Clock) -> None:
    clock("2024-05-20T09:00")
    target = assignments.find(store, LETTER, "qng.stp")
    at = pendulum.datetime(2024, 5, 20, 8, 0, tz=ZONE)
    assert assignments.submit_report(store, target, "Báo cáo", [], "test", at) is True


def test_overdue_is_derived_from_the_due_day_and_the_state(store: Store) -> None:
    target = assignments.find(store, LETTER, "qng.stp")
    before = pendulum.datetime(2024, 5, 19, 23, 59, tz=ZONE)
    after = pendulum.datetime(2024, 5, 20, 0, 0, tz=ZONE)
    assert not is_overdue(target.state, target.due_on, before)
    assert is_overdue(target.state, target.due_on, after)
    assert not is_overdue("reported", target.due_on, after)


def test_review_accepts_or_returns_and_a_returned_report_can_be_sent_again(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", LETTER, "qng.stp", "--text", "Lần 1"]) == 0
    assert main(["return", LETTER, "qng.stp", "--reason", "Thiếu số liệu quý I"]) == 0
    assert _state(store, "qng.stp") == "returned"
    assert main(["report", LETTER, "qng.stp", "--text", "Lần 2, đủ số liệu"]) == 0
    assert main(["accept", LETTER, "qng.stp"]) == 0
    assert _state(store, "qng.stp") == "accepted"
    capsys.readouterr()
    assert main(["report", LETTER, "qng.stp", "--text", "Lần 3"]) == 3  # not now: a state
    err = capsys.readouterr().err
    assert "trạng thái" in err and "Đã được chấp nhận" in err


def test_an_extension_moves_the_due_day_with_its_reason(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["extend", LETTER, "qng.stp", "--until", "2024-05-24", "--reason", "Chờ số liệu"]
    assert main(args) == 0
    assert "đến hết ngày 24/5/2024" in capsys.readouterr().out
    target = assignments.find(store, LETTER, "qng.stp")
    assert target.due_on == dt.date(2024, 5, 24)
    with Session(store.engine) as session:
        extension = session.exec(select(ExtensionRecord)).one()
    assert (extension.old_due_on, extension.reason) == (dt.date(2024, 5, 19), "Chờ số liệu")
    earlier = ["extend", LETTER, "qng.stp", "--until", "2024-05-20", "--reason", "x"]
    assert main(earlier) == 2
    assert "hạn mới phải sau hạn hiện tại (2024-05-24)" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "field", "words"),
    [
        (["report", LETTER, "qng.khong-co", "--text", "x"], "UNIT", "không được giao việc"),
        (["report", LETTER, "qng.snv", "--text", "x"], "--item", "nhiều mục (1., 3.)"),
        (["report", LETTER, "qng.stp", "--text", "  "], "--text", "không được để trống"),
        (["report", LETTER, "qng.stp", "--text", "x", "--at", "hôm qua"], "--at", "thời điểm"),
        (
            ["extend", LETTER, "qng.stp", "--until", "2024-02-30", "--reason", "x"],
            "--until",
            "ngày",
        ),
        # Nothing was reported yet: not wrong input, a state that does not allow it (exit 3).
        (["return", LETTER, "qng.stp", "--reason", "x"], "trạng thái", "không thể chuyển"),
        (["accept", "9999/KHONG", "qng.stp"], "REF", "không có chỉ đạo"),
    ],
)
def test_bad_requests_are_refused_in_vietnamese(
    store: Store, args: list[str], field: str, words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = counts(store)
    assert main(args) == (3 if words == "không thể chuyển" else 2)
    err = capsys.readouterr().err
    assert f"«{field}»" in err and words in err
    assert counts(store) == before


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("bao-cao.exe", b"MZ", "loại tệp không được nhận"),
        ("rong.pdf", b"", "tệp rỗng"),
        ("lon.pdf", b"0" * (20 * 1024 * 1024 + 1), "tệp quá lớn"),
    ],
)
def test_evidence_outside_the_limits_is_refused_and_nothing_is_stored(
    store: Store,
    tmp_path: Path,
    name: str,
    data: bytes,
    words: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = _evidence(tmp_path, name, data)
    assert main(["report", LETTER, "qng.stp", "--text", "x", "--file", str(path)]) == 2
    assert words in capsys.readouterr().err
    assert _state(store, "qng.stp") == "assigned"
    assert not (home() / "evidence").exists()


def test_a_refused_second_report_leaves_no_evidence_behind(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _evidence(tmp_path, "lan-1.pdf", b"%PDF-1.4 lan mot")
    second = _evidence(tmp_path, "lan-2.pdf", b"%PDF-1.4 lan hai")
    assert main(["report", LETTER, "qng.stp", "--text", "x", "--file", str(first)]) == 0
    kept = sorted((home() / "evidence").rglob("*"))
    assert main(["report", LETTER, "qng.stp", "--text", "y", "--file", str(second)]) == 3
    assert "không thể chuyển" in capsys.readouterr().err
    assert sorted((home() / "evidence").rglob("*")) == kept  # the second file was not kept


def _all_at_once(count: int, send: Callable[[int], None]) -> None:
    threads = [threading.Thread(target=send, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_two_simultaneous_reports_record_exactly_one(store: Store) -> None:
    target = assignments.find(store, LETTER, "qng.stp")
    outcomes: list[str] = []

    def send(n: int) -> None:
        try:
            assignments.submit_report(store, target, f"Báo cáo {n}", [], f"test-{n}")
            outcomes.append("ok")
        except StateError:
            outcomes.append("refused")

    _all_at_once(8, send)
    assert sorted(outcomes) == ["ok"] + ["refused"] * 7
    with Session(store.engine) as session:
        assert len(session.exec(select(ReportRecord)).all()) == 1


def test_fifty_reports_at_once_lose_nothing_and_duplicate_nothing(
    store: Store, tmp_path: Path
) -> None:
    root = store.lookup(LETTER)
    with Session(store.engine) as session:
        statement = (
            select(AssignmentRecord.unit_code, ItemRecord.label)
            .join(ItemRecord, col(ItemRecord.id) == col(AssignmentRecord.item_id))
            .where(AssignmentRecord.directive_id == root.id)
            .order_by(col(AssignmentRecord.id))
        )
        pairs = session.exec(statement).all()[:25]
    assert len(pairs) == 25
    targets = [assignments.find(store, LETTER, unit, label) for unit, label in pairs]
    pdf = _evidence(tmp_path)  # every unit attaches the same file: one stored copy
    start = threading.Barrier(50)
    outcomes: list[str] = []

    def send(n: int) -> None:
        target = targets[n % 25]
        start.wait()
        try:
            evidence = [read_evidence(pdf, "--file")]
            assignments.submit_report(store, target, f"Báo cáo {n}", evidence, f"test-{n}")
            outcomes.append("ok")
        except StateError:
            outcomes.append("refused")

    _all_at_once(50, send)
    assert sorted(outcomes) == ["ok"] * 25 + ["refused"] * 25
    with Session(store.engine) as session:
        reports = session.exec(select(ReportRecord.assignment_id)).all()
        audited = session.exec(
            select(AuditRecord).where(AuditRecord.action == "assignment.reported")
        ).all()
        evidence_rows = session.exec(select(EvidenceRecord)).all()
    assert sorted(reports) == sorted(t.id for t in targets)  # each once, none lost
    assert len(audited) == 25
    assert len({e.sha256 for e in evidence_rows}) == 1
    assert {assignments.find(store, LETTER, u, label).state for u, label in pairs} == {"reported"}


def test_a_report_through_the_prefect_form(store: Store, tmp_path: Path) -> None:
    pdf = _evidence(tmp_path)
    late = submit_report(ref=LETTER, unit="qng.snv", item="1.", text="Đã xong", files=[str(pdf)])
    assert late is False  # sent on 13/5/2024, the simulated day, before 20/5/2024
    assert assignments.find(store, LETTER, "qng.snv", "1.").state == "reported"
