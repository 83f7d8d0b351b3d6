"""The escalation ladder (đôn đốc): remind before the due day, urge late units with a công văn
đôn đốc after it, and report the units still late to the issuer after more working days.

A pass claims each rung for each assignment with one set-based INSERT … SELECT per ladder and
rung; the unique (assignment, rung) key makes each rung happen once, however passes overlap."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import ColumnElement, String, cast, func, literal, select
from sqlmodel import Session, col

from models.calendar import WorkingCalendar
from models.directive import (
    DirectiveSpec,
    DocumentKind,
    Item,
    Ladder,
    RecipientLine,
    Reference,
    Section,
    Signer,
)
from models.org import OrgTree
from models.records import (
    AssignmentRecord,
    AuditRecord,
    DirectiveRecord,
    ItemRecord,
    ReminderRecord,
)
from models.store import OPEN, Store
from models.synthesis import reference_of
from models.vntext import short_date

REMIND, URGE, ESCALATE = "remind", "urge", "escalate"


def _windows(
    ladder: Ladder, as_of: dt.date, calendar: WorkingCalendar
) -> dict[str, ColumnElement[bool]]:
    """Which due days each rung takes on AS_OF (due_on is the last day on time)."""
    return {
        REMIND: (col(AssignmentRecord.due_on) >= as_of)
        & (col(AssignmentRecord.due_on) <= calendar.add(as_of, ladder.remind_before)),
        URGE: col(AssignmentRecord.due_on) <= calendar.add(as_of, -ladder.urge_after),
        ESCALATE: col(AssignmentRecord.due_on) <= calendar.add(as_of, -ladder.escalate_after),
    }


def claim(store: Store, as_of: dt.date, actor: str) -> dict[str, int]:
    """Take every rung that is due on AS_OF and not taken yet; returns how many per rung."""
    with store.session() as session:
        first_new = session.execute(
            select(func.coalesce(func.max(ReminderRecord.id), 0))
        ).scalar_one()
        ladders = session.execute(select(col(DirectiveRecord.ladder)).distinct()).scalars().all()
        for raw in ladders:
            ladder = Ladder.model_validate_json(raw) if raw else Ladder()
            same_ladder = (
                col(DirectiveRecord.ladder) == raw if raw else col(DirectiveRecord.ladder).is_(None)
            )
            for step, window in _windows(ladder, as_of, store.calendar).items():
                taken_already = (
                    select(literal(1))
                    .where(col(ReminderRecord.assignment_id) == col(AssignmentRecord.id))
                    .where(col(ReminderRecord.step) == step)
                    .exists()
                )
                chosen = (
                    select(col(AssignmentRecord.id), literal(step), literal(as_of), literal(actor))
                    .join(
                        DirectiveRecord,
                        col(DirectiveRecord.id) == col(AssignmentRecord.directive_id),
                    )
                    .where(col(AssignmentRecord.state).in_(OPEN), same_ladder, window)
                    # Skip rungs already taken; the unique key still guards concurrent passes.
                    .where(~taken_already)
                )
                statement = store.insert_ignoring_duplicates(ReminderRecord).from_select(
                    ["assignment_id", "step", "day", "actor"], chosen
                )
                session.execute(statement)
        # This pass's own new rungs: an overlapping pass may commit rows in between, but it has
        # its own actor (its flow run).
        mine = (col(ReminderRecord.id) > first_new) & (col(ReminderRecord.actor) == actor)
        # Audit the new rungs in the same transaction, set-based like the claims.
        audit = select(
            literal(dt.datetime.now(dt.UTC)),
            literal(actor),
            literal("reminder.") + col(ReminderRecord.step),
            literal("assignment"),
            cast(col(ReminderRecord.assignment_id), String),
        ).where(mine)
        session.execute(
            AuditRecord.__table__.insert().from_select(  # type: ignore[attr-defined]
                ["at", "actor", "action", "entity", "entity_key"], audit
            )
        )
        # Counted, not taken from rowcount: drivers disagree on it for INSERT … SELECT.
        counts = session.execute(
            select(col(ReminderRecord.step), func.count())
            .where(mine)
            .group_by(col(ReminderRecord.step))
        ).all()
    return {REMIND: 0, URGE: 0, ESCALATE: 0, **{step: n for step, n in counts}}


@dataclass(frozen=True)
class Late:
    """One late assignment, as the letters about it need it."""

    directive: DirectiveRecord
    label: str
    deadline: str | None
    unit: str
    coordinator: str


def late_on(store: Store, as_of: dt.date, step: str) -> dict[str, list[Late]]:
    """The assignments that took STEP on AS_OF, by the coordinator they report to."""
    with Session(store.engine) as session:
        rows = session.execute(
            select(  # type: ignore[call-overload]  # SQLModel columns confuse the overloads
                DirectiveRecord,
                col(ItemRecord.label),
                col(ItemRecord.deadline),
                col(AssignmentRecord.unit_code),
                col(AssignmentRecord.report_to_code),
            )
            .select_from(ReminderRecord)
            .join(AssignmentRecord, col(AssignmentRecord.id) == col(ReminderRecord.assignment_id))
            .join(ItemRecord, col(ItemRecord.id) == col(AssignmentRecord.item_id))
            .join(DirectiveRecord, col(DirectiveRecord.id) == col(AssignmentRecord.directive_id))
            .where(col(ReminderRecord.day) == as_of, col(ReminderRecord.step) == step)
            .order_by(
                col(DirectiveRecord.id), col(ItemRecord.label), col(AssignmentRecord.unit_code)
            )
        ).all()
    grouped: dict[str, list[Late]] = defaultdict(list)
    for directive, label, deadline, unit, coordinator in rows:
        grouped[coordinator].append(Late(directive, label, deadline, unit, coordinator))
    return dict(grouped)


def _basis(lates: list[Late], org: OrgTree) -> list[Reference]:
    seen = {late.directive.key: late.directive for late in lates}
    return [reference_of(d, org) for d in seen.values()]


def _by_item(lates: list[Late], org: OrgTree) -> list[tuple[Late, str]]:
    """(first late assignment, the late units' names) for each directive item."""
    items: dict[tuple[str, str], list[Late]] = defaultdict(list)
    for late in lates:
        items[(late.directive.key, late.label)].append(late)
    return [
        (group[0], "; ".join(org.units[x.unit].name for x in group)) for group in items.values()
    ]


def _cited(late: Late) -> str:
    kind = DocumentKind(late.directive.kind).label
    deadline = f" (thời hạn {late.deadline})" if late.deadline else ""
    return f"mục {late.label.rstrip('.')} {kind} số {late.directive.reference}{deadline}"


def urging_letter(
    org: OrgTree,
    coordinator: str,
    lates: list[Late],
    as_of: dt.date,
    ladder: Ladder,
    calendar: WorkingCalendar,
) -> DirectiveSpec:
    """Công văn đôn đốc: from the coordinator to the late units, citing each directive and its
    deadline, and setting a new one."""
    sender = org.units[coordinator]
    new = calendar.add(as_of, ladder.new_deadline_days)
    units = list(dict.fromkeys(late.unit for late in lates))
    issuers = {org.units[late.directive.issuer_code].text_name for late in lates}
    return DirectiveSpec(
        org=org.source,
        kind=DocumentKind.CONG_VAN,
        issuer=sender.code,
        drafting_unit="VP",
        issued_on=as_of,
        subject="đôn đốc báo cáo kết quả thực hiện nhiệm vụ được giao",
        basis=_basis(lates, org),
        recipients=[RecipientLine(units=units)],
        preamble=[
            f"{sender.name} được giao theo dõi, đôn đốc, tổng hợp kết quả thực hiện. Đến ngày "
            f"{short_date(as_of)}, các cơ quan, đơn vị sau chưa gửi báo cáo theo thời hạn:"
        ],
        items=[
            Item(text=f"{names}: chưa báo cáo {_cited(first)}.")
            for first, names in _by_item(lates, org)
        ],
        closing=(
            "Đề nghị Thủ trưởng các cơ quan, đơn vị khẩn trương hoàn thành, gửi báo cáo về "
            f"{sender.name} **trước ngày {short_date(new)}** để tổng hợp./."
        ),
        signer=Signer(position=sender.head_title),
        distribution=["Như trên", *sorted(f"{name} (b/c)" for name in issuers)],
    )


def escalation_report(
    org: OrgTree, coordinator: str, lates: list[Late], as_of: dt.date
) -> DirectiveSpec:
    """Báo cáo to the issuer: the units still late after the công văn đôn đốc, and a proposal
    for handling them (the Trà Vinh pattern: criticise, and count it in the yearly assessment)."""
    sender = org.units[coordinator]
    issuer = org.units[lates[0].directive.issuer_code]
    units = set(late.unit for late in lates)
    return DirectiveSpec(
        org=org.source,
        kind=DocumentKind.BAO_CAO,
        issuer=sender.code,
        drafting_unit="VP",
        issued_on=as_of,
        subject="tình hình báo cáo và đề xuất xử lý các cơ quan, đơn vị chậm thực hiện",
        basis=_basis(lates, org),
        recipients=[RecipientLine(units=[issuer.code])],
        sections=[
            Section(
                heading="TÌNH HÌNH THỰC HIỆN",
                paragraphs=[
                    f"Đến ngày {short_date(as_of)}, mặc dù đã được đôn đốc, còn {len(units)} cơ "
                    "quan, đơn vị chưa gửi báo cáo:",
                    *[f"- {names}: {_cited(first)}." for first, names in _by_item(lates, org)],
                ],
            ),
            Section(
                heading="ĐỀ XUẤT",
                paragraphs=[
                    f"{sender.name} đề nghị {issuer.name} phê bình các cơ quan, đơn vị nêu trên; "
                    "yêu cầu hoàn thành báo cáo ngay; và xem xét trách nhiệm người đứng đầu khi "
                    "đánh giá, xếp loại mức độ hoàn thành nhiệm vụ cuối năm."
                ],
            ),
        ],
        closing=f"{sender.name} kính báo cáo {issuer.name} xem xét, chỉ đạo./.",
        signer=Signer(position=sender.head_title),
        distribution=["Như trên"],
    )
