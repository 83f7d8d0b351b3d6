"""Who signs the letters chidao drafts for a unit, in the authority form of ND 30 (thể thức đề
ký): the head in the unit's name, a deputy "KT." for the head, and "TM." for a People's
Committee when the letter speaks for the committee as a body."""

from __future__ import annotations

from models.org import OrgTree, Signatory, Unit, UnitKind
from models.spec import Authority, Signer
from models.states import LetterKind

_COLLECTIVE_BODY = "Ủy ban nhân dân"
# A report (báo cáo) of a People's Committee speaks for the committee; its letters for its head.
_REPORTS = (LetterKind.ROLLUP, LetterKind.ESCALATION, LetterKind.SYNTHESIS)


def deputy_title(head_title: str) -> str:
    """'Giám đốc' -> 'Phó Giám đốc', 'Chủ tịch' -> 'Phó Chủ tịch'."""
    return f"Phó {head_title}"


def signer_for(org: OrgTree, unit: Unit, kind: LetterKind) -> Signer:
    """The signature block of UNIT's letter of KIND, from the tree's names and signing rules.
    A deputy signs only where the unit has one; a name missing from the tree stays blank."""
    rule = org.signing_rule(unit, kind)
    collective = rule.collective
    if collective is None:
        collective = unit.kind is UnitKind.COMMITTEE and kind in _REPORTS
    body = _COLLECTIVE_BODY if collective and unit.kind is UnitKind.COMMITTEE else None
    if rule.by is Signatory.DEPUTY and unit.deputies:
        return Signer(
            body=body,
            authority=Authority.KT,
            on_behalf_of=unit.head_title,
            position=deputy_title(unit.head_title),
            name=unit.deputies[0],
        )
    if body:
        return Signer(
            authority=Authority.TM, on_behalf_of=body, position=unit.head_title, name=unit.head
        )
    return Signer(position=unit.head_title, name=unit.head)
