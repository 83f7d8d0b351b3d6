"""Organisation trees: who issues, who carries out, who coordinates — as data of any depth."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from models.errors import InputError, Problem
from models.states import LetterKind
from models.validation import validate
from models.yamlfile import load_yaml

Code = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=80)]


def _printable(text: str) -> str:
    """Control characters (a bell, an escape, a NUL pasted from somewhere) cannot go into a
    document: refused here, naming the field, before anything is written."""
    bad = next((c for c in text if unicodedata.category(c) == "Cc" and c not in "\n\t"), None)
    if bad is not None:
        raise ValueError(f"chứa ký tự điều khiển U+{ord(bad):04X}, không in được trong văn bản")
    return text


Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_printable)
]
Abbreviation = Annotated[str, StringConstraints(pattern=r"^[A-ZĐ0-9&]{1,12}$")]


_COMMITTEE = "Ủy ban nhân dân"
# A People's Committee's name: its type of locality and the locality's own name.
COMMITTEE_NAME = re.compile(
    r"^(?:Ủy ban nhân dân|UBND) (tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn|đặc khu) "
    r"(.+)$"
)


_LOCALITY = re.compile(r"\b(?:tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn|đặc khu) (.+)$")


def _unbroken_locality(text: str) -> str:
    """TEXT with the locality's own name held together by no-break spaces, so that a long
    header line breaks before it ("PHƯỜNG / TRƯƠNG QUANG TRỌNG"), never inside it."""
    found = _LOCALITY.search(text)
    if found is None:
        return text
    return text[: found.start(1)] + found.group(1).replace(" ", "\u00a0")


class Level(StrEnum):
    """Tier of government a unit belongs to (cấp): trung ương, tỉnh, huyện, xã."""

    CENTRAL = "central"
    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"


class UnitKind(StrEnum):
    """COMMITTEE: a People's Committee (UBND); DEPARTMENT: sở, ban, phòng; AGENCY: a central
    agency placed in the province (Công an tỉnh, Cục Thuế …)."""

    COMMITTEE = "committee"
    DEPARTMENT = "department"
    AGENCY = "agency"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Signatory(StrEnum):
    """Who signs: the head (người đứng đầu) or, for the head, a deputy (cấp phó, ký thay)."""

    HEAD = "head"
    DEPUTY = "deputy"


class SigningRule(_Strict):
    """Who signs one kind of letter chidao drafts for a unit, and whether for its collective body
    ("TM. ỦY BAN NHÂN DÂN"). `collective` unset: reports of a People's Committee are signed
    for the committee, everything else in the signer's own name."""

    by: Signatory = Signatory.HEAD
    collective: bool | None = None


# Defaults an organisation file may change under `signing:` (and a unit under its own).
SIGNING = {
    LetterKind.IMPLEMENTING: SigningRule(by=Signatory.HEAD),
    LetterKind.URGING: SigningRule(by=Signatory.DEPUTY),
    LetterKind.ESCALATION: SigningRule(by=Signatory.HEAD),
    LetterKind.ROLLUP: SigningRule(by=Signatory.DEPUTY),
    LetterKind.SYNTHESIS: SigningRule(by=Signatory.HEAD),
}


class Unit(_Strict):
    """An organisation unit (cơ quan, đơn vị)."""

    code: Code
    name: Text = Field(description="full name, as in 'Kính gửi' lines")
    short_name: Text | None = Field(None, description="name in running text: 'UBND tỉnh'")
    abbreviation: Abbreviation = Field(description="for document symbols: UBND, SNV, TTHC")
    level: Level
    kind: UnitKind
    parent: Code | None = None
    governs: bool = Field(False, description="has subordinate units, so directives cascade")
    coordinator: Code | None = Field(None, description="cơ quan thường trực: Sở/Phòng Nội vụ")
    place: Text | None = Field(None, description="địa danh for the date line; else the parent's")
    head_title: Text = Field(description="title of the head: Chủ tịch, Giám đốc, Trưởng phòng")
    head: Text | None = Field(None, description="full name of the head (người đứng đầu)")
    deputies: list[Text] = Field(default_factory=list, description="deputies' names (cấp phó)")
    drafting_unit: Abbreviation | None = Field(
        None, description="its division that drafts the letters chidao writes for it (CCHC)"
    )
    signing: dict[LetterKind, SigningRule] = Field(
        default_factory=dict, description="who signs which kind, where it differs from the tree"
    )
    header: list[Text] | None = Field(None, description="issuer lines in the document header")
    superior: Text | None = Field(None, description="governing body's line above the issuer")

    def __hash__(self) -> int:  # a unit is its code; its lists of people are not hashable
        return hash(self.code)

    @property
    def text_name(self) -> str:
        return self.short_name or self.name


class Group(_Strict):
    """A named set of units addressed together: 'UBND các huyện, thị xã, thành phố'."""

    code: Code
    label: Text
    members: list[Code] = Field(default_factory=list)
    parent: Code | None = Field(None, description="select children of this unit …")
    kind: UnitKind | None = Field(None, description="… of this kind")

    @model_validator(mode="after")
    def _has_a_rule(self) -> Group:
        if not self.members and self.parent is None:
            raise ValueError("nhóm phải có danh sách members hoặc điều kiện parent")
        return self


class OrgFile(_Strict):
    name: Text
    units: list[Unit] = Field(min_length=1)
    groups: list[Group] = Field(default_factory=list)
    signing: dict[LetterKind, SigningRule] = Field(default_factory=dict)


class OrgTree:
    """A validated tree (or forest) of units with the lookups directives need."""

    def __init__(self, data: OrgFile, source: str):
        self.data = data
        self.name = data.name
        self.source = source
        self.units: dict[str, Unit] = {}
        self._children: dict[str, list[Unit]] = {}
        self.groups: dict[str, Group] = {g.code: g for g in data.groups}
        self.signing = {**SIGNING, **data.signing}
        problems = self._index(data.units)
        problems += self._check(data)
        if problems:
            raise InputError(problems)

    @classmethod
    def load(cls, path: Path) -> OrgTree:
        return cls(validate(OrgFile, load_yaml(path), path), str(path))

    @cached_property
    def content(self) -> str:
        """The tree as stored with the directives issued under it (JSON)."""
        return self.data.model_dump_json(exclude_defaults=True)

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.content.encode()).hexdigest()

    def _index(self, units: list[Unit]) -> list[Problem]:
        problems = []
        for i, unit in enumerate(units):
            if unit.code in self.units:
                problems.append(self._problem(i, "code", unit.code, "mã đơn vị bị trùng"))
                continue
            self.units[unit.code] = unit
            self._children.setdefault(unit.code, [])
        for unit in self.units.values():
            if unit.parent in self.units:
                self._children[unit.parent].append(unit)
        return problems

    def _problem(self, i: int, field: str, value: object, message: str) -> Problem:
        return Problem(self.source, f"units[{i + 1}].{field}", value, message)

    def _check(self, data: OrgFile) -> list[Problem]:
        problems = []
        position = {u.code: i for i, u in enumerate(data.units)}
        for code, unit in self.units.items():
            i = position[code]
            if unit.parent is not None and unit.parent not in self.units:
                problems.append(
                    self._problem(i, "parent", unit.parent, f"đơn vị cha của «{code}» không có")
                )
            elif (cycle := self._cycle_from(unit)) is not None:
                problems.append(
                    self._problem(i, "parent", unit.parent, f"tạo thành vòng lặp: {cycle}")
                )
            if unit.governs:
                problems += self._check_coordinator(i, unit)
            if unit.coordinator is not None and not unit.governs:
                problems.append(
                    self._problem(
                        i, "coordinator", unit.coordinator, f"«{code}» không có cấp dưới (governs)"
                    )
                )
        for i, unit in enumerate(data.units):
            # Places are inherited down the line, so only a root has to carry one.
            if unit.parent is None and not unit.place:
                problems.append(
                    self._problem(i, "place", None, f"đơn vị gốc «{unit.code}» thiếu địa danh")
                )
        for j, group in enumerate(data.groups):
            problems += self._check_group(j, group)
        return problems

    def _check_coordinator(self, i: int, unit: Unit) -> list[Problem]:
        if unit.coordinator is None:
            message = f"«{unit.code}» có cấp dưới nên phải có cơ quan thường trực"
            return [self._problem(i, "coordinator", None, message)]
        coordinator = self.units.get(unit.coordinator)
        if coordinator is None:
            message = "cơ quan thường trực không có trong cây tổ chức"
            return [self._problem(i, "coordinator", unit.coordinator, message)]
        if coordinator.parent != unit.code:
            message = f"cơ quan thường trực phải là đơn vị trực thuộc «{unit.code}»"
            return [self._problem(i, "coordinator", unit.coordinator, message)]
        return []

    def _check_group(self, j: int, group: Group) -> list[Problem]:
        where = f"groups[{j + 1}]"
        if group.code in self.units:
            message = "mã nhóm trùng với mã một đơn vị"
            return [Problem(self.source, f"{where}.code", group.code, message)]
        for k, member in enumerate(group.members):
            if member not in self.units:
                message = "đơn vị không có trong cây tổ chức"
                return [Problem(self.source, f"{where}.members[{k + 1}]", member, message)]
        if group.parent is not None and group.parent not in self.units:
            message = "đơn vị không có trong cây tổ chức"
            return [Problem(self.source, f"{where}.parent", group.parent, message)]
        if not self.group_members(group):
            message = "nhóm không chọn được đơn vị nào"
            return [Problem(self.source, f"{where}.kind", group.kind, message)]
        return []

    def _cycle_from(self, unit: Unit) -> str | None:
        seen = [unit.code]
        current = unit
        while current.parent is not None and current.parent in self.units:
            if current.parent in seen:
                return " → ".join([*seen[seen.index(current.parent) :], current.parent])
            seen.append(current.parent)
            current = self.units[current.parent]
        return None

    # Lookups -------------------------------------------------------------------------------

    def __contains__(self, ref: str) -> bool:
        return ref in self.units or ref in self.groups

    def __len__(self) -> int:
        return len(self.units)

    def children(self, code: str) -> list[Unit]:
        return self._children.get(code, [])

    def parent_of(self, unit: Unit) -> Unit | None:
        return self.units.get(unit.parent) if unit.parent else None

    def place_of(self, unit: Unit) -> str | None:
        """The địa danh of the date line: the unit's own, or, for a district's or commune's
        committee, its locality's name ("Bình Sơn"); else its parent's. A locality named after
        a person or a number ("Phường Trương Quang Trọng", "Phường 1") sets `place` in full."""
        current: Unit | None = unit
        for _ in range(len(self.units)):
            if current is None or current.place:
                break
            local = current.level in (Level.DISTRICT, Level.COMMUNE)
            found = COMMITTEE_NAME.match(current.name)
            if local and current.kind is UnitKind.COMMITTEE and found:
                return found.group(2)
            current = self.parent_of(current)
        return current.place if current else None

    def group_members(self, group: Group) -> list[Unit]:
        chosen = [self.units[c] for c in group.members]
        if group.parent is not None:
            chosen += [
                u for u in self.children(group.parent) if group.kind is None or u.kind == group.kind
            ]
        return chosen

    def expand(self, ref: str) -> list[Unit]:
        """A unit code or a group code -> the units it names."""
        if ref in self.units:
            return [self.units[ref]]
        return self.group_members(self.groups[ref])

    def label(self, ref: str) -> str:
        """How a reference is written in a document: a unit's name or a group's label."""
        return self.units[ref].name if ref in self.units else self.groups[ref].label

    def header_lines(self, unit: Unit) -> list[str]:
        """Issuer lines: 'ỦY BAN NHÂN DÂN' / 'TỈNH QUẢNG NGÃI' for a committee."""
        if unit.header:
            return unit.header
        body, _, rest = unit.name.partition(f"{_COMMITTEE} ")
        if unit.kind is UnitKind.COMMITTEE and not body and rest:
            return [_COMMITTEE.upper(), _unbroken_locality(rest).upper()]
        return [unit.name.upper()]

    def superior_line(self, unit: Unit) -> str | None:
        """ND 30: a department's header names its governing body above it."""
        if unit.superior is not None:
            return unit.superior
        parent = self.parent_of(unit)
        if parent is None or unit.kind is UnitKind.COMMITTEE:
            return None
        return _unbroken_locality(parent.name.replace(_COMMITTEE, "UBND")).upper()

    def signing_rule(self, unit: Unit, kind: LetterKind) -> SigningRule:
        return unit.signing.get(kind) or self.signing[kind]

    def height(self, code: str) -> int:
        """How many levels of governing units a directive from CODE cascades through."""
        below = [self.height(c.code) for c in self.children(code) if c.governs]
        return 1 + max(below, default=0) if self.units[code].governs else 0

    def walk(self) -> Iterator[Unit]:
        return iter(self.units.values())
