"""Letters chidao keeps (văn bản đi): their identity, where their file lives, and the outgoing
register (sổ văn bản đi, ND 30/2020 art. 15–16) that numbers them when they are released.

A letter's key is its identity; its path is derived from the key and carries a hash of it,
and the database refuses a second letter on the same path, so two letters never share a file.
Numbers are taken from a per-issuer, per-year counter inside the releasing transaction: one
number, one letter, no gaps, whatever releases run at once."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, update
from sqlmodel import Session, col, select

from models.errors import InputError
from models.org import OrgTree
from models.records import (
    DirectiveRecord,
    LetterRecord,
    RegisterCounter,
    UnitRecord,
    insert_ignoring,
)
from models.spec import DirectiveSpec, DocumentKind, Reference
from models.states import LetterKind, LetterState

_HASHED = 10  # hex digits of the key's hash in a file name


def slug(text: str, limit: int = 80) -> str:
    """ASCII for a file name: 'Đ' -> 'D', other marks dropped, separators -> '-'."""
    ascii_text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = ascii_text.encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", ascii_text).strip("-_.")[:limit].rstrip("-_.")


def hashed(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:_HASHED]


def folder_of(root_key: str) -> str:
    """A cascade's folder: its root directive, readable, and unique by the key's hash."""
    return f"{slug(root_key, 60) or 'chi-dao'}-{hashed(root_key)}"


def letter_path(folder: str, name: str, key: str) -> str:
    """Where a letter's file lives, relative to CHIDAO_HOME/documents. NAME makes it readable;
    the hash of KEY makes it unique to this letter."""
    return f"{folder}/{slug(name) or 'van-ban'}-{hashed(key)}.docx"


def letter_key(kind: LetterKind, *parts: object) -> str:
    return ":".join([kind.value, *(str(p) for p in parts)])


def claimed(
    key: str, kind: LetterKind, issuer_code: str, issued_on: dt.date, path: str, **link: object
) -> dict[str, object]:
    """The row of a follow-up letter that is owed but not drafted yet: the pass that writes it
    drafts it from the records linked to it (its rungs, its directive)."""
    return {
        "key": key,
        "kind": kind.value,
        "issuer_code": issuer_code,
        "state": LetterState.DRAFT.value,
        "carried": False,
        "reference": "",
        "subject": kind.label,
        "issued_on": issued_on,
        "path": path,
        **link,
    }


@dataclass(frozen=True)
class LetterDraft:
    """A letter to render: its header and signature (spec), the template that words it and
    what that template is given, and — for a công văn đôn đốc — the new deadline it sets."""

    spec: DirectiveSpec
    template: str
    context: dict[str, object]
    due_on: dt.date | None = None


def reference_of(record: DirectiveRecord, org: OrgTree) -> Reference:
    """A recorded directive as documents cite it: kind, number, date, issuer, subject."""
    return Reference(
        kind=DocumentKind(record.kind).label,
        number=record.reference,
        date=record.issued_on,
        issuer=org.units[record.issuer_code].text_name,
        subject=record.subject,
    )


def letter_reference(letter: LetterRecord, issuer: str) -> Reference:
    """A released letter of ISSUER's that chidao wrote, as a later letter cites it."""
    assert letter.spec_json is not None, "a released letter has been drafted"
    spec = DirectiveSpec.model_validate_json(letter.spec_json)
    return Reference(
        kind=spec.kind.label,
        number=letter.reference,
        date=letter.issued_on,
        issuer=issuer,
        subject=letter.subject,
    )


# The register --------------------------------------------------------------------------------


def take_number(session: Session, issuer: str, year: int) -> int:
    """The next number of ISSUER's register for YEAR, taken inside SESSION's transaction: the
    counter row is locked by the update, so concurrent releases queue and none is skipped."""
    session.execute(
        insert_ignoring(session, RegisterCounter).values(
            issuer_code=issuer, year=year, next_number=1
        )
    )
    taken = session.execute(
        update(RegisterCounter)
        .where(col(RegisterCounter.issuer_code) == issuer, col(RegisterCounter.year) == year)
        .values(next_number=col(RegisterCounter.next_number) + 1)
        .returning(col(RegisterCounter.next_number))
    ).scalar_one()
    return int(taken) - 1


def note_carried_number(session: Session, issuer: str, year: int, number: int) -> None:
    """A letter numbered outside chidao (received, or numbered by hand) takes its number: the
    register continues after it, so chidao never gives the same number twice."""
    session.execute(
        insert_ignoring(session, RegisterCounter).values(
            issuer_code=issuer, year=year, next_number=number + 1
        )
    )
    session.execute(
        update(RegisterCounter)
        .where(
            col(RegisterCounter.issuer_code) == issuer,
            col(RegisterCounter.year) == year,
            col(RegisterCounter.next_number) <= number,
        )
        .values(next_number=number + 1)
    )


def set_first_number(session: Session, issuer: str, year: int, first: int) -> None:
    """The office's register for YEAR starts at FIRST (it numbered letters before chidao). Only
    forward, and never below a number already given; the issuer must be known (its tree
    loaded)."""
    if session.get(UnitRecord, issuer) is None:
        raise InputError.one(
            "(dòng lệnh)",
            "UNIT",
            issuer,
            "đơn vị chưa có trong cơ sở dữ liệu; hãy cho cây tổ chức của đơn vị bằng --org",
        )
    given = session.execute(
        select(func.max(LetterRecord.number)).where(
            col(LetterRecord.issuer_code) == issuer, col(LetterRecord.year) == year
        )
    ).scalar_one()
    if given is not None and first <= given:
        raise InputError.one(
            "(dòng lệnh)",
            "--from",
            first,
            f"sổ văn bản đi năm {year} đã cấp đến số {given:02d}; số bắt đầu phải lớn hơn",
        )
    note_carried_number(session, issuer, year, first - 1)


# Reading -------------------------------------------------------------------------------------


def find_letters(session: Session, refs: Sequence[str]) -> list[LetterRecord]:
    """Letters by key, by reference ('15/SNV-CCHC') or by their directive's key; each ref must
    name exactly one letter."""
    found = []
    for ref in refs:
        matches = list(session.exec(select(LetterRecord).where(_names(ref))))
        if len(matches) != 1:
            message = (
                "không có văn bản nào với mã hoặc số hiệu này"
                if not matches
                else f"có {len(matches)} văn bản cùng số hiệu; hãy dùng mã văn bản"
            )
            raise InputError.one("(dòng lệnh)", "REF", ref, message)
        found.append(matches[0])
    return found


def waiting(session: Session, unit: str | None = None) -> list[LetterRecord]:
    """Drafts waiting to be released, oldest first; of UNIT only, when given."""
    statement = select(LetterRecord).where(col(LetterRecord.state) == LetterState.DRAFT)
    statement = statement.where(col(LetterRecord.spec_json).is_not(None))
    if unit is not None:
        statement = statement.where(col(LetterRecord.issuer_code) == unit)
    return list(session.exec(statement.order_by(col(LetterRecord.id))))


def _names(ref: str) -> ColumnElement[bool]:
    keyed = [letter_key(kind, ref) for kind in (LetterKind.DIRECTIVE, LetterKind.IMPLEMENTING)]
    return (
        (col(LetterRecord.key) == ref)
        | (col(LetterRecord.reference) == ref)
        | col(LetterRecord.key).in_(keyed)
    )


@dataclass(frozen=True)
class RegisterLine:
    """One line of a register of outgoing letters, in the decree's columns."""

    reference: str
    issued_on: dt.date
    kind_and_subject: str
    signer: str
    recipients: str
    archive: str
    copies: int
    note: str


def register_lines(session: Session, issuer: str, year: int) -> list[RegisterLine]:
    letters = session.exec(
        select(LetterRecord)
        .where(col(LetterRecord.issuer_code) == issuer, col(LetterRecord.year) == year)
        .where(col(LetterRecord.number).is_not(None), col(LetterRecord.spec_json).is_not(None))
        .order_by(col(LetterRecord.number))
    ).all()
    return [_register_line(letter, letter.spec_json or "") for letter in letters]


def _register_line(letter: LetterRecord, spec_json: str) -> RegisterLine:
    """Kept letters carry their recipient lines as printed (Directive.as_kept)."""
    spec = DirectiveSpec.model_validate_json(spec_json)
    signer = " ".join([*spec.signer.title_lines(), spec.signer.name or ""]).strip()
    units = [code for line in spec.recipients for code in line.units]
    recipients = [line.label or ", ".join(line.units) for line in spec.recipients]
    archive = spec.archive or ["VT", *([spec.drafting_unit] if spec.drafting_unit else [])]
    distribution = [d for d in spec.distribution if d != "Như trên"]
    kind = spec.kind.label
    return RegisterLine(
        reference=letter.reference,
        issued_on=letter.issued_on,
        kind_and_subject=f"{kind} {letter.subject}",
        signer=signer,
        recipients="; ".join([*recipients, *distribution]),
        archive=", ".join(archive),
        copies=len(units) + len(distribution) + len(archive),
        note="số do văn bản mang sẵn" if letter.carried else "",
    )
