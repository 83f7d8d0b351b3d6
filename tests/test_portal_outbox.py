"""Notifications through a real SMTP server on loopback (aiosmtpd): a notice in the portal and
an email for a new assignment, a reminder, a đôn đốc, a returned report and an extension
decision; at least once, one Message-ID per (event, recipient), no second notice after a
crash and a retry; failures kept for the administrator."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import update
from sqlmodel import Session, select

from flows import letters
from flows.escalation import scan_deadlines
from models import notices, outbox
from models.records import AccountRecord, LetterRecord, NoticeRecord, OutboxCursorRecord
from tests.conftest import ROOT, Clock
from tests.portal_support import Browser, Story, assignment_of, rows, story_fixture  # noqa: F401

pytestmark = pytest.mark.usefixtures("prefect_api")


class Inbox:
    """What the SMTP server received."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802
        self.messages.append(message_from_bytes(envelope.content))  # type: ignore[attr-defined]
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("CHIDAO_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CHIDAO_SMTP_PORT", str(port))
    monkeypatch.setenv("CHIDAO_SMTP_FROM", "chidao@snv.quangngai.gov.vn")
    yield inbox
    controller.stop()


URGING = "don_doc:qng.snv:2024-05-21"  # Sở Nội vụ's công văn đôn đốc of 21/5/2024


def _account(story: Story, username: str) -> int:
    with Session(story.store.engine) as session:
        found = session.exec(select(AccountRecord).where(AccountRecord.username == username)).one()
    assert found.id is not None
    return found.id


def _to(inbox: Inbox, address: str) -> list[Message]:
    return [m for m in inbox.messages if m["To"] == address]


def _subject(message: Message) -> str:
    from email.header import decode_header, make_header

    return str(make_header(decode_header(message["Subject"])))


def test_each_event_is_one_notice_and_one_email_per_person(
    story: Story, smtp: Inbox, clock: Clock
) -> None:
    added = notices.collect(story.store)
    assert added > 0
    sent, failed = outbox.deliver(story.store)
    assert failed == 0 and sent == added
    lan = _to(smtp, "lan.stp@quangngai.gov.vn")
    assert [_subject(m) for m in lan] == ["Việc mới: 2371/UBND-TTHC, mục 1."]
    assert "/viec/" in lan[0].get_payload(decode=True).decode()  # type: ignore[union-attr]
    # Sở Xây dựng's clerk hears only of Sở Xây dựng's work; the administrator of nothing.
    assert all("mục" in _subject(m) for m in _to(smtp, "mai.sxd@quangngai.gov.vn"))
    assert _to(smtp, "quantri@quangngai.gov.vn") == []
    # Collecting and sending again adds and sends nothing.
    assert notices.collect(story.store) == 0
    assert outbox.deliver(story.store) == (0, 0)
    # The reminder on 16/5; on 21/5 the đôn đốc, once its letter is released: one notice each.
    clock("2024-05-16T07:30")
    scan_deadlines()
    clock("2024-05-21T07:30")
    scan_deadlines()
    notices.collect(story.store)
    outbox.deliver(story.store)
    subjects = [_subject(m) for m in _to(smtp, "lan.stp@quangngai.gov.vn")]
    assert "Nhắc hạn: 2371/UBND-TTHC, mục 1." in subjects
    assert "Đôn đốc: 2371/UBND-TTHC, mục 1." not in subjects  # a draft tells nobody
    letters.release(story.store, [URGING], "Nguyễn Thị Bình")
    with Session(story.store.engine) as session:
        urging = session.exec(select(LetterRecord).where(LetterRecord.key == URGING)).one()
    assert urging.reference.startswith("01/SNV-")  # numbered by its release
    notices.collect(story.store)
    outbox.deliver(story.store)
    urged = [m for m in _to(smtp, "lan.stp@quangngai.gov.vn") if _subject(m).startswith("Đôn")]
    assert [_subject(m) for m in urged] == ["Đôn đốc: 2371/UBND-TTHC, mục 1."]
    body = urged[0].get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert f"Công văn số {urging.reference} ngày 21/5/2024 đôn đốc đơn vị báo cáo ngay" in body
    assert notices.collect(story.store) == 0
    # A returned report.
    clerk, coordinator = Browser(story.app), Browser(story.app)
    clerk.log_in("lan.stp")
    coordinator.log_in("binh.snv")
    lan, other = _account(story, "lan.stp"), _account(story, "binh.snv")
    stp = assignment_of(story.store, "qng.stp")
    clerk.post(f"/viec/{stp}/bao-cao", {"text": "Xong"})
    coordinator.post(f"/viec/{stp}/tra-lai", {"reason": "Thiếu số liệu quý I"})
    notices.collect(story.store)
    outbox.deliver(story.store)
    returned = [m for m in _to(smtp, "lan.stp@quangngai.gov.vn") if "trả lại" in _subject(m)]
    assert len(returned) == 1
    assert "Thiếu số liệu quý I" in returned[0].get_payload(decode=True).decode()  # type: ignore[union-attr]
    # The same notices are in the portal, new until she has seen them, and only hers.
    with Session(story.store.engine) as session:
        hers = session.exec(select(NoticeRecord).where(NoticeRecord.account_id == lan)).all()
    assert len(hers) == 4  # a new assignment, a reminder, a đôn đốc, a returned report
    notices.mark_seen(story.store, account_id=other, ids=[n.id for n in hers if n.id])
    menu = clerk.get("/hop-viec").text  # type: ignore[attr-defined]
    assert '<span class="count" id="chua-doc">4</span>' in menu
    page = clerk.get("/thong-bao").text  # type: ignore[attr-defined]
    assert "Báo cáo bị trả lại: 2371/UBND-TTHC, mục 1." in page and "Đã gửi" in page
    assert page.count(">Mới</span>") == 4 and 'id="chua-doc"' not in page
    again = clerk.get("/thong-bao").text  # type: ignore[attr-defined]
    assert ">Mới</span>" not in again and 'id="chua-doc"' not in again
    ids = [m["Message-ID"] for m in smtp.messages]
    assert len(ids) == len(set(ids))


def test_a_crash_after_sending_resends_with_the_same_message_id_and_no_second_notice(
    story: Story, smtp: Inbox
) -> None:
    notices.collect(story.store)
    outbox.deliver(story.store)
    kept = rows(story.store, NoticeRecord)
    first = [(m["To"], m["Message-ID"]) for m in smtp.messages]
    # As if the process died after the server took the emails, before marking them sent,
    # and the collection ran again from the start.
    with story.store.session() as session:
        session.execute(update(NoticeRecord).values(mail_state="pending"))
        session.execute(update(OutboxCursorRecord).values(last_id=0))
    assert notices.collect(story.store) == 0
    assert rows(story.store, NoticeRecord) == kept
    outbox.deliver(story.store)
    again = [(m["To"], m["Message-ID"]) for m in smtp.messages[len(first) :]]
    assert sorted(again) == sorted(first)  # the same messages again, each with its own id


def test_failures_are_kept_and_shown_to_the_administrator(
    story: Story, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHIDAO_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CHIDAO_SMTP_PORT", str(_free_port()))  # nobody listens there
    monkeypatch.setenv("CHIDAO_SMTP_ATTEMPTS", "2")
    notices.collect(story.store)
    for _ in range(2):
        sent, failed = outbox.deliver(story.store)
        assert sent == 0 and failed > 0
    with Session(story.store.engine) as session:
        states = set(session.exec(select(NoticeRecord.mail_state)).all())
        error = session.exec(select(NoticeRecord.last_error)).first()
    assert states == {"failed"}
    assert error is not None and "không kết nối được máy chủ thư" in error
    admin = Browser(story.app)
    admin.log_in("quantri")
    page = admin.get("/quan-tri").text  # type: ignore[attr-defined]
    assert "Gửi không được" in page and "không kết nối được máy chủ thư" in page


def test_the_portal_on_two_processes_sends_each_email_once(
    story: Story, smtp: Inbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As an office runs it with CHIDAO_WEB_WORKERS=2: both processes serve, and the one
    outbox sender of the launcher sends every email exactly once."""
    port = _free_port()
    monkeypatch.setenv("CHIDAO_WEB_WORKERS", "2")
    monkeypatch.setenv("CHIDAO_WEB_PORT", str(port))
    monkeypatch.setenv("CHIDAO_OUTBOX_SECONDS", "1")
    portal = subprocess.Popen([sys.executable, "-m", "portal"], cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            url = f"http://127.0.0.1:{port}/dang-nhap"
            with contextlib.suppress(OSError), urllib.request.urlopen(url) as page:
                assert "Đăng nhập" in page.read().decode()
                break
            time.sleep(0.3)
        else:
            raise AssertionError("the portal did not answer")
        children = subprocess.run(
            ["pgrep", "-P", str(portal.pid)], capture_output=True, text=True, check=False
        ).stdout.split()
        assert len(children) >= 2  # the two serving processes
        while time.monotonic() < deadline:
            with Session(story.store.engine) as session:
                stored = session.exec(select(NoticeRecord)).all()
            if stored and all(n.mail_state == "sent" for n in stored):
                break
            time.sleep(0.5)
        time.sleep(2)  # one more round of the sender: it must send nothing again
    finally:
        portal.terminate()
        portal.wait(timeout=30)
    assert stored and all(n.mail_state == "sent" for n in stored)
    ids = [m["Message-ID"] for m in smtp.messages]
    assert len(ids) == len(set(ids)) == len(stored), ids
