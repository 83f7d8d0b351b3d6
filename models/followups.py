"""The letters the escalation pass writes, as data for their templates: the công văn đôn đốc from
the follow-up unit to its late units (templates/don_doc.xml.j2) and its report to the issuer
on the units still late after it (templates/bao_cao_cham.xml.j2). Who is addressed, who is
late, what is cited and who signs are decided here; how it is worded is in the templates."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from models.addressing import heads, leaders_of, recipient_lines, reported_to
from models.calendar import WorkingCalendar
from models.escalation import Late
from models.letters import LetterDraft, letter_reference, reference_of
from models.org import OrgTree, Unit
from models.signing import signer_for
from models.spec import Deadline, DirectiveSpec, DocumentKind, Ladder, Reference
from models.states import LetterKind, Role


@dataclass(frozen=True)
class LateItem:
    """One item of one directive: what it is and its deadline."""

    cited: Reference
    label: str
    deadline: str | None


@dataclass(frozen=True)
class LateLine:
    """Units late on the same items, named once: a unit late on two items is one name on one
    line, not two. COOPERATING units are late on their part in them (phối hợp)."""

    items: list[LateItem]
    units: list[Unit]
    cooperating: bool = False

    @property
    def names(self) -> str:
        return ", ".join(u.text_name for u in self.units)


def _in_tree_order(units: list[Unit], org: OrgTree) -> list[Unit]:
    """Units as the organisation lists them (departments before districts, as in the tree)."""
    order = {code: n for n, code in enumerate(org.units)}
    return sorted(dict.fromkeys(units), key=lambda u: order.get(u.code, len(order)))


def _lines(lates: list[Late], org: OrgTree) -> list[LateLine]:
    """LATES as lines of units late on the same items, in item order, leads before those who
    cooperate."""
    items: dict[tuple[str, str], LateItem] = {}
    owes: dict[tuple[str, Role], list[tuple[str, str]]] = defaultdict(list)
    for late in lates:  # in directive, item and unit order
        key = (late.directive.key, late.label)
        if key not in items:
            items[key] = LateItem(
                reference_of(late.directive, org), late.label.rstrip("."), late.deadline
            )
        owes[(late.unit, late.role)].append(key)
    grouped: dict[tuple[Role, tuple[tuple[str, str], ...]], list[Unit]] = defaultdict(list)
    for (unit, role), keys in owes.items():
        grouped[(role, tuple(keys))].append(org.units[unit])
    order = list(items)
    ranked = sorted(
        grouped.items(),
        key=lambda g: (
            g[0][0] is Role.COOPERATING,
            -len(g[0][1]),
            [order.index(k) for k in g[0][1]],
        ),
    )
    return [
        LateLine([items[k] for k in keys], _in_tree_order(units, org), role is Role.COOPERATING)
        for (role, keys), units in ranked
    ]


def _units(lines: list[LateLine], *, cooperating: bool) -> list[Unit]:
    return list(
        dict.fromkeys(u for line in lines if line.cooperating == cooperating for u in line.units)
    )


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
    limit: dt.date | None = None,
) -> LetterDraft:
    """Công văn đôn đốc dated DAY: from the follow-up unit to its late units (never itself),
    citing each directive in full and each late item with its deadline, copied to each issuer,
    and setting a new deadline NEW_DEADLINE_DAYS working days after DAY — but no later than
    LIMIT, the day the unit itself must report upward, or the next working day when that has
    come. PEOPLE is the office's current tree, for who signs."""
    sender = org.units[sender_code]
    units = _in_tree_order([org.units[late.unit] for late in lates], org)
    respond_by = Deadline(before=calendar.add(day, ladder.new_deadline_days))
    if limit is not None:
        latest = max(limit, calendar.add(day, 1))
        if calendar.add(day, ladder.new_deadline_days) - dt.timedelta(days=1) > latest:
            respond_by = Deadline(latest=latest)
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
        distribution=[
            "Như trên",
            *sorted(f"{name} (b/c)" for name in issuers),
            *leaders_of(sender),
        ],
    )
    lines = _lines(lates, org)
    context: dict[str, object] = {
        "sender": sender,
        "day": day,
        "cited": _citations(lates, org),
        "lines": lines,
        "heads": heads(_units(lines, cooperating=False)),
        "cooperating_heads": heads(_units(lines, cooperating=True)),
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
        that urged them, per item; the follow-up unit's own late work on items it owes the issuer,
    honestly; and a proposal."""
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
        distribution=["Như trên", *reported_to(recipient), *leaders_of(sender)],
    )
    lines = _lines(others, org)
    context: dict[str, object] = {
        "sender": sender,
        "recipient": recipient,
        "day": day,
        "cited": _citations(lates, org),
        "lines": lines,
        "own_late": [item for line in _lines(own, org) for item in line.items],
        "late_units": _in_tree_order([u for line in lines for u in line.units], org),
        "heads": heads(_units(lines, cooperating=False)),
        "cooperating_heads": heads(_units(lines, cooperating=True)),
        "urgings": [letter_reference(u, sender.text_name) for u in urgings.values()],
    }
    return LetterDraft(spec, "bao_cao_cham.xml.j2", context)
