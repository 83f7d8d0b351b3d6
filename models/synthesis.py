"""The synthesis report (báo cáo tổng hợp): every unit's and task's state, on-time and late
counts and rates by unit group, the units that never reported, and excerpts of the reports."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session, col

from models.directive import DirectiveSpec, DocumentKind, RecipientLine, Reference, Section, Signer
from models.org import OrgTree
from models.records import AssignmentRecord, DirectiveRecord, ItemRecord, ReportRecord, UnitRecord
from models.store import Store
from models.vntext import short_date

_GROUPS = {
    ("department", "province"): "Sở, ban, ngành",
    ("agency", "province"): "Cơ quan Trung ương trên địa bàn",
    ("committee", "district"): "UBND cấp huyện",
    ("committee", "commune"): "UBND cấp xã",
    ("department", "district"): "Phòng, ban cấp huyện",
}
_STATES = {
    "assigned": "Chưa báo cáo",
    "returned": "Bị trả lại, chưa báo cáo lại",
    "reported": "Đã báo cáo, chờ xem xét",
    "accepted": "Đã được chấp nhận",
}
EXCERPT = 160


@dataclass(frozen=True)
class Row:
    unit: str
    group: str
    label: str
    state: str
    report_to: str
    first_report: ReportRecord | None
    latest_report: ReportRecord | None


@dataclass(frozen=True)
class GroupRate:
    group: str
    total: int
    on_time: int
    late: int
    never: int

    @property
    def percent(self) -> float:
        return 100 * self.on_time / self.total if self.total else 0.0


def rows(store: Store, directive_id: int) -> list[Row]:
    with Session(store.engine) as session:
        found = session.execute(
            select(  # type: ignore[call-overload]  # SQLModel columns confuse the overloads
                col(AssignmentRecord.id),
                col(AssignmentRecord.state),
                col(ItemRecord.label),
                UnitRecord,
                col(AssignmentRecord.report_to_code),
            )
            .join(ItemRecord, col(ItemRecord.id) == col(AssignmentRecord.item_id))
            .join(UnitRecord, col(UnitRecord.code) == col(AssignmentRecord.unit_code))
            .where(col(AssignmentRecord.directive_id) == directive_id)
            .order_by(col(AssignmentRecord.id))
        ).all()
        reports: dict[int, list[ReportRecord]] = defaultdict(list)
        for report in session.execute(
            select(ReportRecord)
            .where(col(ReportRecord.assignment_id).in_([r[0] for r in found]))
            .order_by(col(ReportRecord.submitted_at))
        ).scalars():
            reports[report.assignment_id].append(report)
    return [
        Row(
            unit=unit.name,
            group=_GROUPS.get((unit.kind, unit.level), "Đơn vị khác"),
            label=label,
            state=state,
            report_to=report_to,
            first_report=reports[id_][0] if reports[id_] else None,
            latest_report=reports[id_][-1] if reports[id_] else None,
        )
        for id_, state, label, unit, report_to in found
    ]


def rates(table: list[Row]) -> list[GroupRate]:
    """By group: lateness of the first report counts, as the assessment of a unit does."""
    groups: dict[str, list[Row]] = defaultdict(list)
    for row in table:
        groups[row.group].append(row)
    return [
        GroupRate(
            group=name,
            total=len(members),
            on_time=sum(1 for r in members if r.first_report and not r.first_report.late),
            late=sum(1 for r in members if r.first_report and r.first_report.late),
            never=sum(1 for r in members if r.first_report is None),
        )
        for name, members in groups.items()
    ]


def reference_of(record: DirectiveRecord, org: OrgTree) -> Reference:
    """A recorded directive as the documents about it cite it."""
    return Reference(
        kind=DocumentKind(record.kind).label,
        number=record.reference,
        date=record.issued_on,
        issuer=org.units[record.issuer_code].text_name,
        subject=record.subject,
    )


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"


def synthesis_spec(
    org: OrgTree, directive: DirectiveRecord, table: list[Row], as_of: dt.date
) -> DirectiveSpec:
    issuer = org.units[directive.issuer_code]
    sender = org.units[issuer.coordinator or issuer.code]
    cited_as = reference_of(directive, org)
    cited = f"{cited_as.kind} số {directive.reference}"
    by_group = rates(table)
    total = len(table)
    on_time = sum(g.on_time for g in by_group)
    late = sum(g.late for g in by_group)
    never = [r for r in table if r.first_report is None]
    percent = 100 * on_time / total if total else 0.0
    return DirectiveSpec(
        org=org.source,
        kind=DocumentKind.BAO_CAO,
        issuer=sender.code,
        drafting_unit="VP",
        issued_on=as_of,
        subject=f"tổng hợp kết quả thực hiện {cited}",
        basis=[cited_as],
        recipients=[RecipientLine(units=[issuer.code])],
        preamble=[
            f"Thực hiện {cited_as.citation()}, {sender.name} tổng hợp kết quả đến ngày "
            f"{short_date(as_of)} như sau:"
        ],
        sections=[
            Section(
                heading="TÌNH HÌNH BÁO CÁO",
                paragraphs=[
                    f"Tổng số {total} việc được giao: {on_time} việc báo cáo đúng hạn "
                    f"({percent:.0f}%), {late} việc báo cáo trễ hạn, {len(never)} việc chưa báo "
                    "cáo."
                ],
                table=[
                    [
                        "Nhóm đơn vị",
                        "Số việc",
                        "Đúng hạn",
                        "Trễ hạn",
                        "Chưa báo cáo",
                        "Tỷ lệ đúng hạn",
                    ],
                    *[
                        [
                            g.group,
                            str(g.total),
                            str(g.on_time),
                            str(g.late),
                            str(g.never),
                            f"{g.percent:.0f}%",
                        ]
                        for g in by_group
                    ],
                ],
            ),
            Section(
                heading="KẾT QUẢ THEO ĐƠN VỊ VÀ NHIỆM VỤ",
                table=[
                    ["TT", "Đơn vị", "Mục", "Trạng thái", "Báo cáo lần đầu"],
                    *[
                        [
                            str(n),
                            r.unit,
                            r.label,
                            _STATES.get(r.state, r.state),
                            _first(r),
                        ]
                        for n, r in enumerate(table, start=1)
                    ],
                ],
            ),
            Section(
                heading="CÁC ĐƠN VỊ CHƯA BÁO CÁO",
                paragraphs=[f"- {r.unit} (mục {r.label.rstrip('.')})." for r in never]
                or ["Tất cả các cơ quan, đơn vị đã báo cáo."],
            ),
            Section(
                heading="TRÍCH NỘI DUNG BÁO CÁO",
                paragraphs=[
                    f"- {r.unit} (mục {r.label.rstrip('.')}): “{_excerpt(r.latest_report.text)}”"
                    for r in table
                    if r.latest_report
                ]
                or ["Chưa có báo cáo nào."],
            ),
        ],
        closing=f"Trên đây là báo cáo tổng hợp của {sender.name}, kính báo cáo {issuer.name}./.",
        signer=Signer(position=sender.head_title),
        distribution=["Như trên"],
    )


def _first(row: Row) -> str:
    if row.first_report is None:
        return ""
    day = short_date(row.first_report.submitted_at.date())
    return f"{day} ({'trễ hạn' if row.first_report.late else 'đúng hạn'})"
