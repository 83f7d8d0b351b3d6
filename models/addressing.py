"""How letters name the units they address (ND 30/2020, Phụ lục I): one "Kính gửi" line per
recipient or group of recipients of one kind ("- Các sở: Tư pháp, Xây dựng;", "- UBND các
huyện: Ba Tơ, Lý Sơn;"), and heads by their title ("Giám đốc các sở, Chủ tịch UBND các huyện")
— never "Thủ trưởng" for a People's Committee."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from models.org import COMMITTEE_NAME, Level, Unit, UnitKind
from models.spec import RecipientLine

# Administrative types in the order letters list them, per level.
_TYPES = {
    Level.PROVINCE: ("tỉnh", "thành phố"),
    Level.DISTRICT: ("huyện", "quận", "thị xã", "thành phố"),
    Level.COMMUNE: ("xã", "phường", "thị trấn", "đặc khu"),
}
_COMMITTEE = COMMITTEE_NAME  # "UBND huyện Ba Tơ": type, name
_BRANCHES = {"Sở": ("Các sở", "Giám đốc"), "Phòng": ("Thủ trưởng các Phòng", "Trưởng")}
_MANY_OTHERS = 3  # more than this many units of no common kind are addressed together


@dataclass(frozen=True)
class _Group:
    """Units of one kind addressed on one line, with each unit's own name within it."""

    kind: str  # "Sở", "Phòng", or a committee's type ("huyện", "đặc khu")
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
            # One line per type: "UBND các xã: …" and "UBND đặc khu Lý Sơn", so that a reader
            # can tell a xã from a đặc khu by its line.
            key = f"{unit.level}:{m.group(1)}"
            group = committees.setdefault(key, _Group(m.group(1), [], []))
            group.units.append(unit)
            group.names.append(m.group(2))
        elif first in _BRANCHES and rest:
            group = branches.setdefault(first, _Group(first, [], []))
            group.units.append(unit)
            group.names.append(rest)
        else:
            loose.append(unit)
    order = [(level, t) for level, types in _TYPES.items() for t in types]
    by_type = sorted(
        committees.values(),
        key=lambda g: (
            order.index((g.units[0].level, g.kind))
            if (g.units[0].level, g.kind) in order
            else len(order)
        ),
    )
    return _Addressees(list(branches.values()), loose, by_type)


def _committees_label(group: _Group) -> str:
    return f"UBND các {group.kind}"


def recipient_lines(units: Sequence[Unit]) -> list[RecipientLine]:
    """'Kính gửi' lines for UNITS: one per group of two or more units of a kind, one per unit
    otherwise; a crowd of units of no common kind is named on one line. Where the offices are
    addressed by their heads ("Thủ trưởng các Phòng: …"), so are the units beside them
    ("Chánh Văn phòng HĐND và UBND huyện"), as seed 002 does."""
    sorted_ = _sort(units)

    by_head = any(len(g.units) > 1 and g.kind == "Phòng" for g in sorted_.branches)
    name = head_of if by_head else (lambda u: u.name)

    def line(group: _Group, label: str) -> list[RecipientLine]:
        # A name with a comma in it ("Kinh tế, Hạ tầng và Đô thị") cannot share a list.
        if len(group.units) == 1 or any("," in n for n in group.names):
            return [RecipientLine(units=[u.code], label=name(u)) for u in group.units]
        label = f"{label}: " + ", ".join(group.names)
        return [RecipientLine(units=[u.code for u in group.units], label=label)]

    lines = [x for g in sorted_.branches for x in line(g, _BRANCHES[g.kind][0])]
    if len(sorted_.loose) > _MANY_OTHERS:
        names = ", ".join(name(u) for u in sorted_.loose)
        lines.append(RecipientLine(units=[u.code for u in sorted_.loose], label=names))
    else:
        lines += [RecipientLine(units=[u.code], label=name(u)) for u in sorted_.loose]
    return lines + [x for g in sorted_.committees for x in line(g, _committees_label(g))]


def head_of(unit: Unit) -> str:
    """'Giám đốc Sở Tư pháp', 'Chánh Văn phòng UBND tỉnh' (not 'Chánh Văn phòng Văn phòng …'),
    'Trưởng phòng Kinh tế' (not 'Trưởng phòng Phòng Kinh tế')."""
    title, name = unit.head_title.split(), unit.name.split()
    for n in range(len(title), 0, -1):
        if [w.lower() for w in title[-n:]] == [w.lower() for w in name[:n]]:
            return " ".join(title + name[n:])
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


def leaders_of(unit: Unit) -> list[str]:
    """The sender's own leaders, as its letters copy them: 'CT, các PCT UBND huyện', 'Giám đốc,
    các Phó Giám đốc Sở'; none for an office, which does not copy itself."""
    if unit.kind is UnitKind.COMMITTEE and (m := _COMMITTEE.match(unit.name)):
        return [f"CT, các PCT UBND {m.group(1)}"]
    if unit.name.startswith("Sở "):
        return [f"{unit.head_title}, các Phó {unit.head_title} Sở"]
    return []


def reported_to(unit: Unit) -> list[str]:
    """The leaders of a People's Committee a report to it is copied to."""
    if unit.kind is UnitKind.COMMITTEE and (m := _COMMITTEE.match(unit.name)):
        return [f"CT, các PCT UBND {m.group(1)} (b/c)"]
    return []


def seen_from(unit: Unit, sender: Unit, parent: Unit | None) -> str:
    """UNIT's name as SENDER writes it: a department of another body is named with its
    locality ('Sở Nội vụ tỉnh Quảng Ngãi' in a district's report), not bare as its peers name
    it."""
    peers = sender.kind is not UnitKind.COMMITTEE and sender.parent == unit.parent
    own = unit.parent == sender.code
    if unit.kind is UnitKind.COMMITTEE or parent is None or peers or own:
        return unit.name
    m = _COMMITTEE.match(parent.name)
    return f"{unit.name} {m.group(1)} {m.group(2)}" if m else unit.name


def locality(unit: Unit) -> str:
    """What a People's Committee governs, as its letters say 'của …': 'huyện', 'xã', 'phường'."""
    m = _COMMITTEE.match(unit.name)
    return m.group(1) if m else "địa phương"
