"""The letters the escalation pass writes, as data for their templates: the công văn đôn đốc from
the follow-up unit to its late units (templates/don_doc.xml.j2) and its report to the issuer
on the units still late after it (templates/bao_cao_cham.xml.j2). Who is addressed, who is
late, what is cited and who signs are decided here; how it is worded is in the templates."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from models.addressing import heads, recipient_lines
from models.calendar import WorkingCalendar
from models.directive import Deadline, DirectiveSpec, DocumentKind, Ladder, Reference
from models.escalation import Late
from models.letters import LetterDraft, letter_reference, reference_of
from models.org import OrgTree, Unit
from models.signing import signer_for
from models.states import LetterKind, Role


@dataclass(frozen=True)
class LateItem:
    """One item of one directive and the units late on it."""

    cited: Reference
    label: str
    deadline: str | None
    units: list[Unit]
    cooperating: list[Unit] = field(default_factory=list)

    @property
    def names(self) -> str:
        return ", ".join(u.text_name for u in self.units)


def _in_tree_order(units: list[Unit], org: OrgTree) -> list[Unit]:
    """Units as the organisation lists them (departments before districts, as in the tree)."""
    order = {code: n for n, code in enumerate(org.units)}
    return sorted(dict.fromkeys(units), key=lambda u: order.get(u.code, len(order)))


def _by_item(lates: list[Late], org: OrgTree) -> list[LateItem]:
    groups: dict[tuple[str, str], list[Late]] = defaultdict(list)
    for late in lates:
        groups[(late.directive.key, late.label)].append(late)
    items = []
    for group in groups.values():
        first = group[0]
        items.append(
            LateItem(
                cited=reference_of(first.directive, org),
                label=first.label.rstrip("."),
                deadline=first.deadline,
                units=_in_tree_order(
                    [org.units[x.unit] for x in group if x.role is Role.LEAD], org
                ),
                cooperating=_in_tree_order(
                    [org.units[x.unit] for x in group if x.role is Role.COOPERATING], org
                ),
            )
        )
    return items


def _citations(lates: list[Late], org: OrgTree) -> list[Reference]:
    seen = {late.directive.key: late.directive for late in lates}
    return [reference_of(d, org) for d in seen.values()]


def urging_letter(
    org: OrgTree,
    people: OrgTree,
    sender_code: str,
    lates: list[Late],
    day: dt.date,
    ladder: Ladder,
    calendar: WorkingCalendar,
) -> LetterDraft:
    """Công văn đôn đốc dated DAY: from the follow-up unit to its late units (never itself),
    citing each directive in full and each late item with its deadline, copied to each issuer,
    and setting a new deadline NEW_DEADLINE_DAYS working days after DAY. PEOPLE is the
    office's current tree, for who signs."""
    sender = org.units[sender_code]
    units = _in_tree_order([org.units[late.unit] for late in lates], org)
    respond_by = Deadline(before=calendar.add(day, ladder.new_deadline_days))
    issuers = {org.units[late.directive.issuer_code].text_name for late in lates}
    spec = DirectiveSpec(
        org=org.source,
        kind=DocumentKind.CONG_VAN,
        issuer=sender.code,
        drafting_unit=sender.drafting_unit,
        issued_on=day,
        subject=LetterKind.URGING.label,
        basis=_citations(lates, org),
        recipients=recipient_lines(units),
        signer=signer_for(people, people.units.get(sender.code, sender), LetterKind.URGING),
        distribution=["Như trên", *sorted(f"{name} (b/c)" for name in issuers)],
    )
    context: dict[str, object] = {
        "sender": sender,
        "day": day,
        "late_items": _by_item(lates, org),
        "heads": heads(units),
        "respond_by": respond_by.phrase(),
        "issuers": sorted(issuers),
    }
    return LetterDraft(spec, "don_doc.xml.j2", context, respond_by.due_on(day, calendar))


def escalation_report(
    org: OrgTree,
    people: OrgTree,
    sender_code: str,
    recipient_code: str,
    lates: list[Late],
    day: dt.date,
) -> LetterDraft:
    """Báo cáo dated DAY from the follow-up unit to RECIPIENT (the directives' issuer, or its
    superior for the unit's own directives): the units still late after the công văn đôn đốc
    that urged them, per item; the follow-up unit's own late work, honestly; and a proposal."""
    sender, recipient = org.units[sender_code], org.units[recipient_code]
    others = [late for late in lates if late.unit != sender_code]
    own = [late for late in lates if late.unit == sender_code]
    urgings = {late.urged_by.key: late.urged_by for late in others if late.urged_by}
    spec = DirectiveSpec(
        org=org.source,
        kind=DocumentKind.BAO_CAO,
        issuer=sender.code,
        drafting_unit=sender.drafting_unit,
        issued_on=day,
        subject=LetterKind.ESCALATION.label,
        basis=_citations(lates, org),
        recipients=recipient_lines([recipient]),
        signer=signer_for(people, people.units.get(sender.code, sender), LetterKind.ESCALATION),
        distribution=["Như trên"],
    )
    units = _in_tree_order([org.units[x.unit] for x in others], org)
    context: dict[str, object] = {
        "sender": sender,
        "recipient": recipient,
        "day": day,
        "late_items": _by_item(others, org),
        "own_late": _by_item(own, org),
        "late_units": units,
        "heads": heads(units),
        "urgings": [letter_reference(u, sender.text_name) for u in urgings.values()],
    }
    return LetterDraft(spec, "bao_cao_cham.xml.j2", context)
