"""The escalation ladder: remind before the due day, a công văn đôn đốc after it, a report to
the issuer once the đôn đốc's own deadline has passed — each rung once per assignment, even
when passes overlap, never for the coordinator's own follow-up, never for a day ahead, never
on a day offices do not work, and never spent without the letter that carries it."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from sqlmodel import Session, col, func, select

from chidao.cli import main
from flows import letters
from flows.cascade import issue_directive
from flows.escalation import ScanResult, scan_deadlines
from models import assignments, escalation
from models.documents import path_of
from models.errors import InputError
from models.records import AssignmentRecord, AuditRecord, LetterRecord, ReminderRecord
from models.states import LetterKind
from models.store import Store
from tests.conftest import EXAMPLES, Clock
from tests.letters import read

pytestmark = pytest.mark.usefixtures("prefect_api")

LETTER = "2371/UBND-TTHC"  # departments (item 1) and districts (item 2): due end of 19/5/2024
D = dt.date


@pytest.fixture
def store(database: str) -> Store:
    issue_directive(spec_path=str(EXAMPLES / "quang-ngai-2371.yaml"), auto_release=False)
    return Store.open()


def _rungs(store: Store, step: str) -> int:
    with Session(store.engine) as session:
        return session.exec(
            select(func.count()).select_from(ReminderRecord).where(ReminderRecord.step == step)
        ).one()


def _letters(store: Store, kind: LetterKind) -> list[LetterRecord]:
    with Session(store.engine) as session:
        return list(
            session.exec(
                select(LetterRecord).where(LetterRecord.kind == kind).order_by(col(LetterRecord.id))
            )
        )


def _pass(clock: Clock, day: dt.date) -> ScanResult:
    clock(f"{day.isoformat()}T07:30")
    return scan_deadlines(as_of=day)


def test_the_ladder_reminds_urges_and_escalates_on_the_right_days(
    store: Store, clock: Clock
) -> None:
    assert _pass(clock, D(2024, 5, 15)).taken == {"remind": 0, "urge": 0, "escalate": 0}
    # Two working days ahead of the due day: 19 departments and 13 districts are reminded;
    # not Sở Nội vụ, whose own part of item 1 goes into the synthesis it writes.
    assert _pass(clock, D(2024, 5, 16)).taken == {"remind": 32, "urge": 0, "escalate": 0}
    assert _pass(clock, D(2024, 5, 16)).taken == {"remind": 0, "urge": 0, "escalate": 0}

    target = assignments.find(store, LETTER, "qng.stp")
    assignments.submit_report(store, target, "Đã báo cáo", [], "test")
    assert _pass(clock, D(2024, 5, 20)).taken["urge"] == 0
    # One working day after the due day: a công văn đôn đốc to the units still owing — not to
    # Sở Nội vụ, the coordinator, whose own late work is never urged by itself.
    result = _pass(clock, D(2024, 5, 21))
    assert result.taken == {"remind": 0, "urge": 31, "escalate": 0}
    (urging,) = _letters(store, LetterKind.URGING)
    assert urging.issuer_code == "qng.snv" and urging.state == "draft"

    # Nothing goes to the issuer while the đôn đốc has not been sent: nobody was urged yet.
    assert _pass(clock, D(2024, 5, 28)).taken == {"remind": 0, "urge": 0, "escalate": 0}
    # Released on 28/5, the đôn đốc asks for reports "trước ngày 31/5/2024".
    assert main(["release", urging.key, "--by", "Phạm Xuân Thắng"]) == 0
    assert _pass(clock, D(2024, 5, 30)).taken["escalate"] == 0
    # Its deadline has passed too: the units still late are reported to UBND tỉnh.
    assert _pass(clock, D(2024, 5, 31)).taken == {"remind": 0, "urge": 0, "escalate": 31}
    reports = _letters(store, LetterKind.ESCALATION)
    assert [(r.issuer_code, r.issued_on) for r in reports] == [("qng.snv", D(2024, 5, 31))]


def test_the_coordinators_own_work_is_never_chased(store: Store, clock: Clock) -> None:
    """Neither its part of item 1, which it reports to itself, nor item 3, its synthesis."""
    _pass(clock, D(2024, 7, 2))  # item 3 was due in June
    with Session(store.engine) as session:
        taken = session.exec(
            select(ReminderRecord.step)
            .join(AssignmentRecord, col(AssignmentRecord.id) == col(ReminderRecord.assignment_id))
            .where(AssignmentRecord.unit_code == "qng.snv")
        ).all()
    assert taken == []


def test_the_coordinators_late_work_for_the_issuer_is_reported_honestly_never_urged(
    database: str, tmp_path: Path, clock: Clock
) -> None:
    """Work Sở Nội vụ owes UBND tỉnh itself (not its synthesis) is late like anyone's: it is
    not urged by itself, and its report to UBND tỉnh says so."""
    spec = yaml.safe_load((EXAMPLES / "quang-ngai-2371.yaml").read_text())
    spec["items"].insert(
        2,
        {
            "text": "Giao Sở Nội vụ xây dựng dự thảo Kế hoạch khắc phục, trình UBND tỉnh "
            "{deadline}.",
            "lead": ["qng.snv"],
            "follow_up": False,
            "deadline": {"before": "2024-05-20"},
            "report_to": "qng",
        },
    )
    shutil.copytree(EXAMPLES / "org", tmp_path / "org")
    path = tmp_path / "2371.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True))
    issue_directive(spec_path=str(path), auto_release=False)
    store = Store.open()
    assert _pass(clock, D(2024, 5, 21)).taken["urge"] == 32  # Sở Nội vụ is not among them
    assert _pass(clock, D(2024, 5, 27)).taken["escalate"] == 1  # its own item 3, unurged
    (report,) = _letters(store, LetterKind.ESCALATION)
    letter = read(path_of(report))
    assert letter.recipients == ["Ủy ban nhân dân tỉnh Quảng Ngãi"]
    assert (
        "Sở Nội vụ đang khẩn trương hoàn thành nội dung tại mục 3 Công văn số 2371/UBND-TTHC "
        "(thời hạn trước ngày 20/5/2024) để báo cáo UBND tỉnh trong thời gian sớm nhất."
        in letter.body
    )


def test_two_overlapping_passes_take_each_rung_once(store: Store, prefect_api: str) -> None:
    env = {
        **os.environ,
        "PREFECT_API_URL": prefect_api,
        "CHIDAO_SIMULATED_NOW": "2024-05-21T07:30:00+07:00",
    }
    command = [sys.executable, "-m", "chidao", "escalate", "--as-of", "2024-05-21"]
    passes = [subprocess.Popen(command, env=env, stderr=subprocess.PIPE) for _ in range(2)]
    for run in passes:
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0, err.decode()
    assert _rungs(store, escalation.URGE) == 32
    with Session(store.engine) as session:
        audited = select(func.count()).where(AuditRecord.action == "reminder.urge")
        assert session.exec(audited.select_from(AuditRecord)).one() == 32
        linked = select(func.count()).where(col(ReminderRecord.letter_id).is_not(None))
        assert session.exec(linked.select_from(ReminderRecord)).one() == 32
    (urging,) = _letters(store, LetterKind.URGING)
    letter = read(path_of(urging))
    assert "Sở Tư pháp" in letter.text and "UBND huyện Lý Sơn" in letter.text


def test_a_pass_finishes_the_letters_an_earlier_pass_claimed(
    store: Store, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock("2024-05-21T07:30")

    write = letters.write

    def killed(store: Store, owed: list[LetterRecord]) -> object:
        if any(x.kind == LetterKind.URGING for x in owed):
            raise RuntimeError("killed while writing the công văn đôn đốc")
        return write(store, owed)

    with monkeypatch.context() as broken:
        broken.setattr(letters, "write", killed)
        with pytest.raises(RuntimeError):
            scan_deadlines(as_of=D(2024, 5, 21))
    (urging,) = _letters(store, LetterKind.URGING)
    assert urging.content is None and _rungs(store, escalation.URGE) == 32

    _pass(clock, D(2024, 5, 22))  # the next day's pass writes what the 21st claimed
    (urging,) = _letters(store, LetterKind.URGING)
    assert urging.content is not None and path_of(urging).is_file()
    assert urging.issued_on == D(2024, 5, 21)


def test_a_directive_can_set_its_own_ladder(database: str, tmp_path: Path, clock: Clock) -> None:
    spec = yaml.safe_load((EXAMPLES / "quang-ngai-2371.yaml").read_text())
    spec["escalation"] = {"remind_before": 4}
    shutil.copytree(EXAMPLES / "org", tmp_path / "org")
    path = tmp_path / "2371.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True))
    issue_directive(spec_path=str(path), auto_release=False)
    # Four working days ahead of 19/5 reaches back to Tuesday 14/5.
    assert _pass(clock, D(2024, 5, 14)).taken["remind"] == 32


def test_a_day_offices_do_not_work_passes_without_doing_anything(
    store: Store, clock: Clock, capsys: pytest.CaptureFixture[str]
) -> None:
    clock("2025-01-30T07:30")  # Thursday of Tết At Ty: the weekday schedule fires anyway
    result = scan_deadlines()
    assert not result.working_day and result.taken == {"remind": 0, "urge": 0, "escalate": 0}
    assert main(["escalate", "--as-of", "2024-05-25"]) == 0  # a Saturday
    assert "Ngày 25/5/2024 là ngày nghỉ: không quét hạn." in capsys.readouterr().out
    assert _rungs(store, escalation.REMIND) == 0


def test_a_pass_for_a_day_ahead_is_refused_and_takes_nothing(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(InputError, match="ngày sau ngày hôm nay"):
        scan_deadlines(as_of=D(2042, 5, 21))
    assert main(["escalate", "--as-of", "2042-05-21"]) == 2
    assert "«--as-of»" in capsys.readouterr().err
    assert sum(_rungs(store, step) for step in ("remind", "urge", "escalate")) == 0


def test_an_impossible_date_is_refused(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["escalate", "--as-of", "2024-13-01"]) == 2
    assert "«--as-of»" in capsys.readouterr().err
