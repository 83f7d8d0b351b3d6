"""How letters name the units they address (ND 30/2020, Phụ lục I): one "Kính gửi" line per
recipient or group of recipients of one kind ("- Các sở: Tư pháp, Xây dựng;", "- UBND các
huyện: Ba Tơ, Lý Sơn;"), and heads by their title ("Giám đốc các sở, Chủ tịch UBND các huyện")
— never "Thủ trưởng" for a People's Committee."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from models.directive import RecipientLine
from models.org import Level, Unit, UnitKind

# Administrative types in the order letters list them, per level.
_TYPES = {
    Level.PROVINCE: ("tỉnh", "thành phố"),
    Level.DISTRICT: ("huyện", "quận", "thị xã", "thành phố"),
    Level.COMMUNE: ("xã", "phường", "thị trấn", "đặc khu"),
}
_COMMITTEE = re.compile(
    r"^(?:Ủy ban nhân dân|UBND) (tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn|đặc khu) "
    r"(.+)$"
)
_BRANCHES = {"Sở": ("Các sở", "Giám đốc"), "Phòng": ("Thủ trưởng các Phòng", "Trưởng")}
_MANY_OTHERS = 3  # more than this many units of no common kind are addressed together


@dataclass(frozen=True)
class _Group:
    """Units of one kind addressed on one line, with each unit's own name within it."""

    kind: str  # "Sở", "Phòng", or a committee level
    units: list[Unit]
    names: list[str]


@dataclass(frozen=True)
class _Addressees:
    """Units as letters list them: branches (sở, phòng), then units of no common kind, then
    People's Committees by level."""

    branches: list[_Group]
    loose: list[Unit]
    committees: list[_Group]


def _sort(units: Sequence[Unit]) -> _Addressees:
    branches: dict[str, _Group] = {}
    committees: dict[str, _Group] = {}
    loose: list[Unit] = []
    for unit in units:
        first, _, rest = unit.name.partition(" ")
        if unit.kind is UnitKind.COMMITTEE and (m := _COMMITTEE.match(unit.name)):
            group = committees.setdefault(unit.level.value, _Group(unit.level.value, [], []))
            group.units.append(unit)
            group.names.append(m.group(2))
        elif first in _BRANCHES and rest:
            group = branches.setdefault(first, _Group(first, [], []))
            group.units.append(unit)
            group.names.append(rest)
        else:
            loose.append(unit)
    return _Addressees(list(branches.values()), loose, list(committees.values()))


def _committees_label(group: _Group) -> str:
    """'UBND các huyện, thị xã, thành phố' for the types present, in the usual order."""
    types = {m.group(1) for u in group.units if (m := _COMMITTEE.match(u.name))}
    ordered = [t for t in _TYPES.get(group.units[0].level, ()) if t in types]
    return "UBND các " + ", ".join(ordered or sorted(types))


def recipient_lines(units: Sequence[Unit]) -> list[RecipientLine]:
    """'Kính gửi' lines for UNITS: one per group of two or more units of a kind, one per unit
    otherwise; a crowd of units of no common kind is named on one line."""
    sorted_ = _sort(units)

    def line(group: _Group, label: str) -> RecipientLine:
        if len(group.units) == 1:
            return RecipientLine(units=[group.units[0].code], label=group.units[0].name)
        return RecipientLine(
            units=[u.code for u in group.units], label=f"{label}: " + ", ".join(group.names)
        )

    lines = [line(g, _BRANCHES[g.kind][0]) for g in sorted_.branches]
    if len(sorted_.loose) > _MANY_OTHERS:
        names = ", ".join(u.name for u in sorted_.loose)
        lines.append(RecipientLine(units=[u.code for u in sorted_.loose], label=names))
    else:
        lines += [RecipientLine(units=[u.code], label=u.name) for u in sorted_.loose]
    return lines + [line(g, _committees_label(g)) for g in sorted_.committees]


def head_of(unit: Unit) -> str:
    """'Giám đốc Sở Tư pháp', 'Chánh Văn phòng UBND tỉnh' (not 'Chánh Văn phòng Văn phòng …')."""
    title, name = unit.head_title.split(), unit.name.split()
    for n in range(len(title), 0, -1):
        if title[-n:] == name[:n]:
            return " ".join(title[:-n] + name)
    return f"{unit.head_title} {unit.name}"


def heads(units: Sequence[Unit]) -> str:
    """The heads of UNITS by their titles, for "Đề nghị …": 'Giám đốc các sở, Chủ tịch UBND
    các huyện', 'Giám đốc Sở Tư pháp'."""
    sorted_ = _sort(units)
    phrases = []
    for group in sorted_.branches:
        unit = group.units[0]
        if len(group.units) == 1:
            phrases.append(head_of(unit))
        else:
            phrases.append(f"{_BRANCHES[group.kind][1]} các {group.kind.lower()}")
    if len(sorted_.loose) > _MANY_OTHERS:
        phrases.append("Thủ trưởng các cơ quan, đơn vị")
    else:
        phrases += [head_of(u) for u in sorted_.loose]
    for group in sorted_.committees:
        if len(group.units) == 1:
            phrases.append("Chủ tịch " + group.units[0].name.replace("Ủy ban nhân dân", "UBND", 1))
        else:
            phrases.append(f"Chủ tịch {_committees_label(group)}")
    return ", ".join(phrases)
