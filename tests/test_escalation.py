"""The escalation ladder: remind before the due day, a công văn đôn đốc after it, a report to
the issuer after more working days — each rung once per assignment, even when passes overlap."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from sqlmodel import Session, func, select

from chidao.cli import main
from flows.cascade import issue_directive
from flows.escalation import scan_deadlines
from models import assignments, escalation
from models.records import AuditRecord, NoticeRecord, ReminderRecord
from models.store import Store
from tests.conftest import EXAMPLES, docx_text

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


def _notice(store: Store, kind: str, day: dt.date) -> str:
    with Session(store.engine) as session:
        notice = session.exec(
            select(NoticeRecord).where(NoticeRecord.kind == kind, NoticeRecord.day == day)
        ).one()
    return docx_text(Path(notice.path))


def test_the_ladder_reminds_urges_and_escalates_on_the_right_days(store: Store) -> None:
    assert scan_deadlines(as_of=D(2024, 5, 15)).taken == {"remind": 0, "urge": 0, "escalate": 0}
    # Two working days ahead of the due day: 20 departments and 13 districts are reminded.
    assert scan_deadlines(as_of=D(2024, 5, 16)).taken == {"remind": 33, "urge": 0, "escalate": 0}
    assert scan_deadlines(as_of=D(2024, 5, 16)).taken == {"remind": 0, "urge": 0, "escalate": 0}

    target = assignments.find(store, LETTER, "qng.stp")
    assignments.submit_report(store, target, "Đã báo cáo", [], "test")
    assert scan_deadlines(as_of=D(2024, 5, 20)).taken["urge"] == 0
    # One working day after the due day: a công văn đôn đốc to the 32 units still owing.
    result = scan_deadlines(as_of=D(2024, 5, 21))
    assert result.taken == {"remind": 0, "urge": 32, "escalate": 0}
    assert len(result.documents) == 1
    letter = _notice(store, "don-doc", D(2024, 5, 21))
    assert "SỞ NỘI VỤ" in letter and "V/v đôn đốc báo cáo kết quả thực hiện" in letter
    assert "Sở Xây dựng" in letter and "Ủy ban nhân dân huyện Bình Sơn" in letter
    assert "Sở Tư pháp" not in letter
    assert "chưa báo cáo mục 1 Công văn số 2371/UBND-TTHC (thời hạn trước ngày 20/5/2024)" in letter
    assert "gửi báo cáo về Sở Nội vụ trước ngày 24/5/2024" in letter

    # Five working days after the due day: the units still late are reported to UBND tỉnh.
    assert scan_deadlines(as_of=D(2024, 5, 27)).taken == {"remind": 0, "urge": 0, "escalate": 32}
    report = _notice(store, "bao-cao-cham", D(2024, 5, 27))
    assert "BÁO CÁO" in report and "Kính gửi: Ủy ban nhân dân tỉnh Quảng Ngãi." in report
    assert "còn 32 cơ quan, đơn vị chưa gửi báo cáo" in report
    assert "xếp loại mức độ hoàn thành nhiệm vụ cuối năm" in report


def test_two_overlapping_passes_take_each_rung_once(store: Store, prefect_api: str) -> None:
    env = {**os.environ, "PREFECT_API_URL": prefect_api}
    command = [sys.executable, "-m", "chidao", "escalate", "--as-of", "2024-05-21"]
    passes = [subprocess.Popen(command, env=env, stderr=subprocess.PIPE) for _ in range(2)]
    for run in passes:
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0, err.decode()
    assert _rungs(store, escalation.URGE) == 33
    with Session(store.engine) as session:
        assert session.exec(select(func.count()).select_from(NoticeRecord)).one() == 1
        audited = select(func.count()).where(AuditRecord.action == "reminder.urge")
        assert session.exec(audited.select_from(AuditRecord)).one() == 33
    letter = _notice(store, "don-doc", D(2024, 5, 21))
    assert "Sở Tư pháp" in letter and "Ủy ban nhân dân huyện Lý Sơn" in letter


def test_a_directive_can_set_its_own_ladder(database: str, tmp_path: Path) -> None:
    spec = yaml.safe_load((EXAMPLES / "quang-ngai-2371.yaml").read_text())
    spec["escalation"] = {"remind_before": 4}
    shutil.copytree(EXAMPLES / "org", tmp_path / "org")
    path = tmp_path / "2371.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True))
    issue_directive(spec_path=str(path), auto_release=False)
    # Four working days ahead of 19/5 reaches back to Tuesday 14/5.
    assert scan_deadlines(as_of=D(2024, 5, 14)).taken["remind"] == 33


def test_an_impossible_date_is_refused(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["escalate", "--as-of", "2024-13-01"]) == 2
    assert "«--as-of»" in capsys.readouterr().err
