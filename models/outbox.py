"""The outbox: an email for each notice (models/notices.py), sent at least once — a notice is
marked sent only after the server took it, and a resend after a crash carries the same
Message-ID, so the recipient's mail system sees one message. Failures stay visible to the
administrator."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import smtplib
from collections.abc import Iterable
from email.message import EmailMessage
from email.utils import formatdate

from sqlalchemy import func, select, update
from sqlmodel import Session, col

from models.records import AccountRecord, NoticeRecord
from models.settings import settings
from models.states import MailState
from models.store import Store


def message_id(notice: NoticeRecord) -> str:
    """The same for every send of one notice: (event, recipient) decide it."""
    digest = hashlib.sha256(f"{notice.event_key}|{notice.account_id}".encode()).hexdigest()[:32]
    domain = settings().smtp_from.rpartition("@")[2] or "chidao.local"
    return f"<{digest}@{domain}>"


def _email(notice: NoticeRecord, to: str) -> EmailMessage:
    config = settings()
    message = EmailMessage()
    message["From"] = config.smtp_from
    message["To"] = to
    message["Subject"] = notice.subject
    message["Message-ID"] = message_id(notice)
    message["Date"] = formatdate(localtime=False)
    link = config.web_url.rstrip("/") + notice.link
    message.set_content(
        f"{notice.body}\n\nXem và xử lý trên cổng chidao: {link}\n\n"
        "Thư này do hệ thống chidao gửi tự động; xin không trả lời thư này.\n"
    )
    return message


def deliver(store: Store, limit: int = 500) -> tuple[int, int]:
    """Send pending emails; returns (sent, failed this round). Without CHIDAO_SMTP_HOST nothing
    is sent and the emails wait."""
    config = settings()
    if not config.smtp_host:
        return 0, 0
    with Session(store.engine) as session:
        pending = session.execute(
            select(NoticeRecord, col(AccountRecord.email))
            .join(AccountRecord, col(AccountRecord.id) == col(NoticeRecord.account_id))
            .where(col(NoticeRecord.mail_state) == MailState.PENDING)
            .order_by(col(NoticeRecord.id))
            .limit(limit)
        ).all()
    if not pending:
        return 0, 0
    sent = failed = 0
    try:
        server = _connect()
    except (OSError, smtplib.SMTPException) as error:
        for notice, _ in pending:
            _failed(store, notice, f"không kết nối được máy chủ thư: {error}")
        return 0, len(pending)
    try:
        for notice, email in pending:
            if not email:
                _mark(store, notice, MailState.NONE, None)
                continue
            try:
                server.send_message(_email(notice, email))
            except (OSError, smtplib.SMTPException) as error:
                _failed(store, notice, f"máy chủ thư từ chối: {error}")
                failed += 1
                continue
            _mark(store, notice, MailState.SENT, None)
            sent += 1
    finally:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            server.quit()
    return sent, failed


def _connect() -> smtplib.SMTP:
    config = settings()
    assert config.smtp_host
    server = smtplib.SMTP(config.smtp_host, config.smtp_port, timeout=30)
    if config.smtp_starttls:
        server.starttls()
    if config.smtp_user:
        server.login(config.smtp_user, config.smtp_password or "")
    return server


def _mark(store: Store, notice: NoticeRecord, state: MailState, error: str | None) -> None:
    with store.session() as session:
        session.execute(
            update(NoticeRecord)
            .where(col(NoticeRecord.id) == notice.id)
            .values(
                mail_state=state,
                last_error=error,
                sent_at=dt.datetime.now(dt.UTC) if state == MailState.SENT else None,
            )
        )


def _failed(store: Store, notice: NoticeRecord, error: str) -> None:
    """One more failed try; after CHIDAO_SMTP_ATTEMPTS the email is failed for good (the
    administrator sees it and may send it again)."""
    attempts = notice.attempts + 1
    state = MailState.FAILED if attempts >= settings().smtp_attempts else MailState.PENDING
    with store.session() as session:
        session.execute(
            update(NoticeRecord)
            .where(col(NoticeRecord.id) == notice.id)
            .values(attempts=attempts, last_error=error[:2000], mail_state=state)
        )


def retry(store: Store, ids: Iterable[int]) -> None:
    """Put failed emails back in the queue (the administrator's button)."""
    with store.session() as session:
        session.execute(
            update(NoticeRecord)
            .where(
                col(NoticeRecord.id).in_(list(ids)),
                col(NoticeRecord.mail_state) == MailState.FAILED,
            )
            .values(mail_state=MailState.PENDING, attempts=0)
        )


def troubled(store: Store, limit: int = 200) -> list[tuple[NoticeRecord, str]]:
    """Emails that failed or are failing, for the administrator."""
    with Session(store.engine) as session:
        return [
            (n, name)
            for n, name in session.execute(
                select(NoticeRecord, col(AccountRecord.username))
                .join(AccountRecord, col(AccountRecord.id) == col(NoticeRecord.account_id))
                .where(col(NoticeRecord.last_error).is_not(None))
                .order_by(col(NoticeRecord.id).desc())
                .limit(limit)
            )
        ]


def mail_counts(store: Store) -> dict[str, int]:
    with Session(store.engine) as session:
        return {
            state: n
            for state, n in session.execute(
                select(col(NoticeRecord.mail_state), func.count()).group_by(
                    col(NoticeRecord.mail_state)
                )
            )
        }
