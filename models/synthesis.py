"""The synthesis report (báo cáo tổng hợp) of a directive, as data for templates/tong_hop.xml.j2:
what was issued and passed down, the results by item, by unit group and by unit (on time,
late, never), what fell short and who never reported, and what the coordinator proposes. The
counts come from models.results, the same reading the reports upward use."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session, col

from models.addressing import recipient_lines
from models.directive import DirectiveSpec, DocumentKind, Reference
from models.letters import LetterDraft, letter_reference, reference_of
from models.org import OrgTree
from models.records import (
    AssignmentRecord,
    DirectiveRecord,
    LetterRecord,
    ReminderRecord,
)
from models.results import Row, Tally, by
from models.signing import signer_for
from models.states import LetterKind, LetterState
from models.store import Store
from models.vntext import short_date

EXCERPT = 200


@dataclass(frozen=True)
class Passed:
    """A governing unit's letter passing the directive down."""

    unit: str
    reference: str
    issued_on: dt.date
    released: bool


@dataclass(frozen=True)
class ItemResult:
    label: str
    summary: str
    tally: Tally


@dataclass(frozen=True)
class UnitLine:
    """A line of the appendix: one unit's assignment on one task."""

    unit: str
    label: str
    state: str
    first: str
    note: str


def follow_up_letters(store: Store, directive_id: int, kind: LetterKind) -> list[LetterRecord]:
    """The released letters of KIND the escalation pass wrote about this directive's work."""
    with Session(store.engine) as session:
        return list(
            session.execute(
                select(LetterRecord)
                .join(ReminderRecord, col(ReminderRecord.letter_id) == col(LetterRecord.id))
                .join(
                    AssignmentRecord,
                    col(AssignmentRecord.id) == col(ReminderRecord.assignment_id),
                )
                .where(col(AssignmentRecord.directive_id) == directive_id)
                .where(col(LetterRecord.kind) == kind)
                .where(col(LetterRecord.state) == LetterState.RELEASED)
                .distinct()
                .order_by(col(LetterRecord.issued_on))
            ).scalars()
        )


def excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"


SUMMARY = 110


def _summary(text: str) -> str:
    """An item's first clause, cut at a word under SUMMARY characters."""
    first = " ".join(text.replace("*", "").split(";")[0].split(". ")[0].split())
    if len(first) <= SUMMARY:
        return first
    return first[:SUMMARY].rsplit(" ", 1)[0].rstrip(" ,") + "…"


def _first(row: Row) -> str:
    if row.first_report is None:
        return ""
    day = short_date(row.first_report.submitted_at.date())
    return f"{day} ({'trễ hạn' if row.first_report.late else 'đúng hạn'})"


def synthesis_letter(
    org: OrgTree,
    people: OrgTree,
    directive: DirectiveRecord,
    table: list[Row],
    below: dict[str, Tally],
    passed: list[Passed],
    urgings: list[LetterRecord],
    day: dt.date,
) -> LetterDraft:
    """The coordinator's báo cáo tổng hợp to the issuer on DIRECTIVE, as of the end of DAY."""
    issuer = org.units[directive.issuer_code]
    sender = org.units[issuer.coordinator or issuer.code]
    recipient = issuer if sender != issuer else org.parent_of(issuer)
    cited: Reference = reference_of(directive, org)
    owed = [r for r in table if r.owed]
    by_item = by(table, "label")
    texts = {r.label: r.item_text for r in table}
    spec = DirectiveSpec(
        org=org.source,
        kind=DocumentKind.BAO_CAO,
        issuer=sender.code,
        drafting_unit=sender.drafting_unit,
        issued_on=day,
        subject=LetterKind.SYNTHESIS.label,
        basis=[cited],
        recipients=recipient_lines([recipient]) if recipient else [],
        signer=signer_for(people, people.units.get(sender.code, sender), LetterKind.SYNTHESIS),
        distribution=["Như trên"],
    )
    lines = [
        UnitLine(
            unit=r.unit,
            label=r.label.rstrip("."),
            state=r.state.label,
            first=_first(r),
            note=(
                f"{below[r.code].answered}/{below[r.code].total} đơn vị trực thuộc đã báo cáo"
                if r.code in below
                else ""
            ),
        )
        for r in owed
    ]
    context: dict[str, object] = {
        "sender": sender,
        "recipient": recipient,
        "cited": cited,
        "day": day,
        "units": len({r.code for r in owed}),
        "passed": passed,
        "urgings": [letter_reference(u, sender.text_name) for u in urgings],
        "total": Tally.of(table),
        "by_group": by(table, "group"),
        "by_item": [ItemResult(k.rstrip("."), _summary(texts[k]), t) for k, t in by_item.items()],
        "excerpts": [(r, excerpt(r.latest_report.text)) for r in owed if r.latest_report],
        "late": [r for r in owed if r.answered and not r.on_time],
        "never": [r for r in owed if not r.answered and r.code != sender.code],
        "own_never": [r for r in owed if not r.answered and r.code == sender.code],
        "below": below,
        "lines": lines,
    }
    return LetterDraft(spec, "tong_hop.xml.j2", context)
