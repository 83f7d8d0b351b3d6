"""The synthesis report (báo cáo tổng hợp) of a directive, as data for templates/tong_hop.xml.j2:
what was issued and passed down, the results by item, by unit group and by unit (on time,
late, never), what fell short and who never reported, and what the coordinator proposes. The
counts come from models.results, the same reading the reports upward use."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session, col

from models.addressing import leaders_of, recipient_lines, reported_to
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
from models.spec import DirectiveSpec, DocumentKind, Reference
from models.states import LetterKind, LetterState
from models.store import Store
from models.vntext import short_date

EXCERPT = 320


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


@dataclass(frozen=True)
class UnitGroup:
    """The appendix's lines of one group of units (Sở, ban, ngành; UBND cấp huyện)."""

    number: str
    name: str
    lines: list[UnitLine]


_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


def _groups(owed: list[Row], below: dict[str, Tally]) -> list[UnitGroup]:
    grouped: dict[str, list[UnitLine]] = {}
    for r in owed:
        note = ""
        if r.code in below:
            note = f"{below[r.code].answered}/{below[r.code].total} đơn vị trực thuộc đã báo cáo"
        grouped.setdefault(r.group, []).append(
            UnitLine(r.unit, r.label.rstrip("."), r.state.as_reported, _first(r), note)
        )
    return [
        UnitGroup(_ROMAN[n] if n < len(_ROMAN) else str(n + 1), name, lines)
        for n, (name, lines) in enumerate(grouped.items())
    ]


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
    """A report's opening, whole clauses up to EXCERPT characters (one clause cut at a word
    when it is longer)."""
    text = " ".join(text.split())
    if len(text) <= EXCERPT:
        return text
    head = text[:EXCERPT]
    cut = max(head.rfind("; "), head.rfind(". "))
    if cut > EXCERPT // 3:
        return head[:cut].rstrip(" ,;") + "…"
    return head.rsplit(" ", 1)[0].rstrip(" ,;") + "…"


def _summary(item_text: str, product: str | None) -> str:
    """What an item asks, for a table cell: its product when it names one, else its first
    clause, whole."""
    if product:
        return product
    return " ".join(item_text.replace("*", "").split(";")[0].split(". ")[0].split())


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
    products: dict[str, str | None],
) -> LetterDraft:
    """The coordinator's báo cáo tổng hợp to the issuer on DIRECTIVE, as of the end of DAY.
    PRODUCTS: what each item asks for by label ('Báo cáo …'), where the directive says."""
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
        distribution=[
            "Như trên",
            *(reported_to(recipient) if recipient else []),
            *leaders_of(sender),
        ],
    )
    total = Tally.of(table)
    context: dict[str, object] = {
        "sender": sender,
        "recipient": recipient,
        "cited": cited,
        "day": day,
        "units": len({r.code for r in owed}),
        "passed": passed,
        "urgings": [letter_reference(u, sender.text_name) for u in urgings],
        "total": total,
        "most_short": 2 * (total.late + total.never) > total.total,
        "labelled": len(by_item) > 1,
        "by_group": by(table, "group"),
        "by_item": [
            ItemResult(k.rstrip("."), _summary(texts[k], products.get(k)), t)
            for k, t in by_item.items()
        ],
        "excerpts": [(r, excerpt(r.latest_report.text)) for r in owed if r.latest_report],
        "late": [r for r in owed if r.answered and not r.on_time],
        "never": [r for r in owed if not r.answered and r.code != sender.code],
        "own_never": [r for r in owed if not r.answered and r.code == sender.code],
        "below": below,
        "groups": _groups(owed, below),
    }
    return LetterDraft(spec, "tong_hop.xml.j2", context)
