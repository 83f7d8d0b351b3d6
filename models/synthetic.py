"""Synthetic organisation trees of any size, in either shape, for tests and benchmarks."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@dataclass(frozen=True)
class Shape:
    """How many of each: per country, per province, per district.

    Three-tier (before 07/2025): province → departments, districts → offices, communes.
    Two-tier (after): province → departments, communes; `districts` and `offices` are ignored
    and `communes` counts communes per province."""

    provinces: int = 1
    districts: int = 10
    communes: int = 10
    departments: int = 15
    offices: int = 10
    two_tier: bool = False


def _committee(code: str, name: str, level: str, parent: str | None, place: str) -> dict[str, Any]:
    return {
        "code": code,
        "name": f"Ủy ban nhân dân {name}",
        "short_name": f"UBND {name}",
        "abbreviation": "UBND",
        "level": level,
        "kind": "committee",
        "parent": parent,
        "place": place,
        "head_title": "Chủ tịch",
    }


def _staff(code: str, name: str, abbreviation: str, level: str, parent: str) -> dict[str, Any]:
    return {
        "code": code,
        "name": name,
        "abbreviation": abbreviation,
        "level": level,
        "kind": "department",
        "parent": parent,
        "head_title": "Trưởng phòng" if level == "district" else "Giám đốc",
    }


def _governing(unit: dict[str, Any], coordinator: str) -> dict[str, Any]:
    return {**unit, "governs": True, "coordinator": coordinator, **_people(unit["code"])}


_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ")
_GIVEN = ("An", "Bình", "Cường", "Dũng", "Giang", "Hải", "Hòa", "Lan", "Minh", "Nam", "Sơn")


def _people(code: str) -> dict[str, Any]:
    """Made-up names for a unit that signs letters: its head and one deputy."""
    n = sum(map(ord, code))
    return {
        "head": f"{_FAMILY[n % 10]} Văn {_GIVEN[n % 11]}",
        "deputies": [f"{_FAMILY[(n + 3) % 10]} Thị {_GIVEN[(n + 5) % 11]}"],
    }


def synthetic_org(shape: Shape) -> dict[str, Any]:
    """The tree as YAML-ready data (an OrgFile)."""
    units: list[dict[str, Any]] = [
        {
            "code": "vn",
            "name": "Chính phủ",
            "abbreviation": "CP",
            "level": "central",
            "kind": "committee",
            "governs": True,
            "coordinator": "vn.bnv",
            "place": "Hà Nội",
            "head_title": "Thủ tướng",
        },
        {**_staff("vn.bnv", "Bộ Nội vụ", "BNV", "central", "vn"), **_people("vn.bnv")},
    ]
    groups: list[dict[str, Any]] = [
        {
            "code": "vn.tinh",
            "label": "UBND các tỉnh, thành phố trực thuộc Trung ương",
            "parent": "vn",
            "kind": "committee",
        }
    ]
    for p in range(1, shape.provinces + 1):
        pc = f"p{p:02d}"
        place = f"Tỉnh Mẫu {p:02d}"
        units.append(
            _governing(_committee(pc, f"tỉnh Mẫu {p:02d}", "province", "vn", place), f"{pc}.snv")
        )
        units.append({**_staff(f"{pc}.snv", "Sở Nội vụ", "SNV", "province", pc), **_people(pc)})
        units += [
            _staff(f"{pc}.s{d:02d}", f"Sở Mẫu {d:02d}", f"S{d:02d}", "province", pc)
            for d in range(2, shape.departments + 1)
        ]
        groups.append(
            {
                "code": f"{pc}.so-nganh",
                "label": "Các sở, ban, ngành tỉnh",
                "parent": pc,
                "kind": "department",
            }
        )
        if shape.two_tier:
            units += [
                _committee(f"{pc}.x{c:03d}", f"xã Mẫu {p:02d}-{c:03d}", "commune", pc, place)
                for c in range(1, shape.communes + 1)
            ]
            groups.append(
                {
                    "code": f"{pc}.xa",
                    "label": "UBND các xã, phường",
                    "parent": pc,
                    "kind": "committee",
                }
            )
            continue
        groups.append(
            {
                "code": f"{pc}.huyen",
                "label": "UBND các huyện, thị xã, thành phố",
                "parent": pc,
                "kind": "committee",
            }
        )
        for d in range(1, shape.districts + 1):
            dc = f"{pc}.h{d:02d}"
            name = f"huyện Mẫu {p:02d}-{d:02d}"
            units.append(_governing(_committee(dc, name, "district", pc, place), f"{dc}.pnv"))
            units.append(
                {**_staff(f"{dc}.pnv", "Phòng Nội vụ", "NV", "district", dc), **_people(dc + "n")}
            )
            units += [
                _staff(f"{dc}.p{o:02d}", f"Phòng Mẫu {o:02d}", f"P{o:02d}", "district", dc)
                for o in range(2, shape.offices + 1)
            ]
            units += [
                _committee(
                    f"{dc}.x{c:02d}", f"xã Mẫu {p:02d}-{d:02d}-{c:02d}", "commune", dc, place
                )
                for c in range(1, shape.communes + 1)
            ]
    shape_name = "hai cấp" if shape.two_tier else "ba cấp"
    return {
        "name": f"Cây tổ chức mẫu ({shape_name}, {shape.provinces} tỉnh)",
        "units": units,
        "groups": groups,
    }


def synthetic_directive(org: str) -> dict[str, Any]:
    """A national letter to every province of a synthetic tree, asking for a report: issued
    with --auto-release it reaches every district and commune."""
    return {
        "org": org,
        "kind": "cong_van",
        "issuer": "vn",
        "drafting_unit": "CCHC",
        "number": 100,
        "issued_on": "2024-05-06",
        "subject": "đánh giá kết quả thực hiện Chỉ số cải cách hành chính năm 2023",
        "recipients": ["vn.tinh"],
        "items": [
            {
                "text": "UBND các tỉnh, thành phố báo cáo kết quả về Bộ Nội vụ {deadline}.",
                "lead": ["vn.tinh"],
                "product": "Báo cáo kết quả thực hiện",
                "deadline": {"before": "2024-06-14"},
                "report_to": "vn.bnv",
            }
        ],
        "signer": {"authority": "KT", "on_behalf_of": "Thủ tướng", "position": "Phó Thủ tướng"},
        "distribution": ["Như trên"],
    }


def write_synthetic_org(path: Path, shape: Shape) -> int:
    data = synthetic_org(shape)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False))
    return len(data["units"])
