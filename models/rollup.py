"""A governing unit's own report upward (báo cáo lên cấp trên), drafted from its subordinates'
reports — when they are all in, or at its internal deadline with the gaps named."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

from models.directive import DirectiveSpec, DocumentKind, RecipientLine, Section, Signer
from models.org import OrgTree
from models.records import AssignmentRecord, DirectiveRecord, ItemRecord
from models.store import Store
from models.synthesis import Row, reference_of
from models.vntext import short_date

ANSWERED = ("reported", "accepted")


def due(store: Store, as_of: dt.date) -> list[DirectiveRecord]:
    """Released implementing letters whose subordinates' work (what reports to the letter's
    coordinator) is all in, or whose internal deadline has passed by AS_OF."""
    with Session(store.engine) as session:
        letters = session.exec(
            select(DirectiveRecord).where(
                col(DirectiveRecord.parent_id).is_not(None), DirectiveRecord.state == "released"
            )
        ).all()
        ready = []
        for letter in letters:
            owed = session.exec(
                select(AssignmentRecord)
                .join(ItemRecord, col(ItemRecord.id) == col(AssignmentRecord.item_id))
                .where(AssignmentRecord.directive_id == letter.id)
                .where(col(AssignmentRecord.report_to_code) != letter.issuer_code)
            ).all()
            if not owed:
                continue
            all_in = all(a.state in ANSWERED for a in owed)
            deadlines = [a.due_on for a in owed if a.due_on]
            if all_in or (deadlines and as_of > min(deadlines)):
                ready.append(letter)
    return ready


def rollup_spec(
    org: OrgTree,
    letter: DirectiveRecord,
    parent: DirectiveRecord,
    table: list[Row],
    as_of: dt.date,
) -> DirectiveSpec:
    """The unit's báo cáo to whoever its parent letter's tasks report to."""
    unit = org.units[letter.issuer_code]
    coordinator = org.units[unit.coordinator or unit.code]
    # What the subordinates owe (reported to the coordinator), not the coordinator's own task.
    owed = [r for r in table if r.report_to != letter.issuer_code]
    answered = [r for r in owed if r.latest_report]
    gaps = [r for r in owed if r.latest_report is None]
    recipient = org.units[parent.issuer_code]
    cited_as = reference_of(parent, org)
    return DirectiveSpec(
        org=org.source,
        kind=DocumentKind.BAO_CAO,
        issuer=unit.code,
        drafting_unit=coordinator.abbreviation,
        issued_on=as_of,
        subject=f"kết quả thực hiện {cited_as.kind} số {cited_as.number} của {cited_as.issuer}",
        basis=[cited_as],
        recipients=[RecipientLine(units=[recipient.code])],
        preamble=[
            f"Thực hiện {cited_as.citation()}, {unit.text_name} báo cáo kết quả thực hiện đến "
            f"ngày {short_date(as_of)} như sau:"
        ],
        sections=[
            Section(
                heading="KẾT QUẢ THỰC HIỆN",
                paragraphs=[
                    f"{len(answered)}/{len(owed)} cơ quan, đơn vị đã báo cáo.",
                    *[
                        f"- {r.unit}: {' '.join(r.latest_report.text.split())}"
                        for r in answered
                        if r.latest_report
                    ],
                ],
            ),
            Section(
                heading="CÁC ĐƠN VỊ CHƯA BÁO CÁO",
                paragraphs=[f"- {r.unit} (mục {r.label.rstrip('.')})." for r in gaps]
                or ["Không có: tất cả các cơ quan, đơn vị đã báo cáo."],
            ),
        ],
        closing=f"{unit.text_name} kính báo cáo {recipient.text_name}./.",
        signer=Signer(position=unit.head_title),
        distribution=["Như trên"],
    )


def parent_of(store: Store, letter: DirectiveRecord) -> DirectiveRecord:
    with Session(store.engine) as session:
        parent = session.get(DirectiveRecord, letter.parent_id)
    assert parent is not None
    return parent
