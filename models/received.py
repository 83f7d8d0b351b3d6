"""The received-letters register (sổ đăng ký văn bản đến, ND 30/2020 art. 22 and Phụ lục IV):
every letter chidao imports is entered once, under the next number of the receiving office's
register for the year, with the day it was received — the day "N ngày làm việc kể từ ngày nhận
được" counts from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import UniqueConstraint, func
from sqlmodel import Field, Session, SQLModel, select

from models.records import _now, insert_ignoring


class ReceivedRecord(SQLModel, table=True):
    """One entry of a receiving office's register; a file entered twice is one entry."""

    __tablename__ = "received_letter"
    __table_args__ = (
        UniqueConstraint("receiver_code", "sha256"),
        UniqueConstraint("receiver_code", "year", "number_in"),
    )

    id: int | None = Field(default=None, primary_key=True)
    receiver_code: str = Field(index=True, max_length=80)
    year: int
    number_in: int = Field(description="số đến")
    received_on: dt.date
    issuer: str = Field(description="tác giả: the issuing body as the letter names it")
    reference: str = Field(max_length=120, description="số, ký hiệu as the letter carries it")
    issued_on: dt.date | None = None
    kind_and_subject: str
    file_name: str
    sha256: str = Field(max_length=64)
    created_at: dt.datetime = Field(default_factory=_now)


@dataclass(frozen=True)
class Received:
    """What the register needs of an imported letter."""

    issuer: str
    reference: str
    issued_on: dt.date | None
    kind_and_subject: str
    file_name: str
    sha256: str


def enter(
    session: Session, *, receiver: str, received_on: dt.date, letter: Received
) -> ReceivedRecord:
    """LETTER's entry in RECEIVER's register: the existing one when the same file was entered
    before, else a new one under the year's next number (a concurrent entry taking the same
    number makes this transaction fail rather than share it)."""
    existing = session.exec(
        select(ReceivedRecord).where(
            ReceivedRecord.receiver_code == receiver, ReceivedRecord.sha256 == letter.sha256
        )
    ).first()
    if existing is not None:
        return existing
    year = received_on.year
    last = session.exec(
        select(func.max(ReceivedRecord.number_in)).where(
            ReceivedRecord.receiver_code == receiver, ReceivedRecord.year == year
        )
    ).one()
    values = dict(
        receiver_code=receiver,
        year=year,
        number_in=(last or 0) + 1,
        received_on=received_on,
        issuer=letter.issuer,
        reference=letter.reference,
        issued_on=letter.issued_on,
        kind_and_subject=letter.kind_and_subject,
        file_name=letter.file_name,
        sha256=letter.sha256,
        created_at=_now(),
    )
    session.execute(insert_ignoring(session, ReceivedRecord).values(**values))
    entry = session.exec(
        select(ReceivedRecord).where(
            ReceivedRecord.receiver_code == receiver, ReceivedRecord.sha256 == letter.sha256
        )
    ).one()
    return entry


def register(session: Session, receiver: str, year: int) -> list[ReceivedRecord]:
    """RECEIVER's register for YEAR, in the order of its numbers."""
    return list(
        session.exec(
            select(ReceivedRecord)
            .where(ReceivedRecord.receiver_code == receiver, ReceivedRecord.year == year)
            .order_by(ReceivedRecord.number_in)  # type: ignore[arg-type]
        )
    )
