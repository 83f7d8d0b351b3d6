"""Organisation trees as data: the shipped provinces, both shapes of government, any size."""

from __future__ import annotations

from pathlib import Path

import pytest

from chidao.cli import main
from models.org import Level, OrgFile, OrgTree
from models.synthetic import Shape, synthetic_org
from models.validation import validate
from tests.conftest import EXAMPLES, SEED_002_OFFICES, normalise


@pytest.fixture(scope="module")
def quang_ngai() -> OrgTree:
    return OrgTree.load(EXAMPLES / "org" / "quang-ngai.yaml")


def _tree(shape: Shape) -> OrgTree:
    return OrgTree(validate(OrgFile, synthetic_org(shape), "synthetic"), "synthetic")


def test_quang_ngai_addresses_every_recipient_group_of_letter_2268(
    quang_ngai: OrgTree, seeds: dict[str, str]
) -> None:
    assert [u.name for u in quang_ngai.expand("qng.trung-uong")] == [
        "Công an tỉnh",
        "Cục Thuế tỉnh",
        "Cục Quản lý thị trường tỉnh",
        "Cục Hải quan tỉnh",
        "Bảo hiểm xã hội tỉnh",
    ]
    assert len(quang_ngai.expand("qng.so-nganh")) == 20
    districts = quang_ngai.expand("qng.huyen")
    assert len(districts) == 13 and all(u.governs and u.coordinator for u in districts)
    for group in ("qng.so-nganh", "qng.huyen"):
        assert quang_ngai.label(group) in normalise(seeds["000"])


def test_binh_son_has_the_offices_named_in_its_letter(
    quang_ngai: OrgTree, seeds: dict[str, str]
) -> None:
    offices = {u.name for u in quang_ngai.children("qng.binh-son")}
    for name in SEED_002_OFFICES:
        assert f"Phòng {name}" in offices and name in normalise(seeds["002"])
    assert {"Văn phòng HĐND và UBND huyện", "Thanh tra huyện"} <= offices
    binh_son = quang_ngai.units["qng.binh-son"]
    assert quang_ngai.units[binh_son.coordinator or ""].name == "Phòng Nội vụ"
    assert quang_ngai.place_of(quang_ngai.units["qng.binh-son.ptp"]) == "Bình Sơn"


def test_headers_name_the_issuer_and_a_department_its_governing_body(
    quang_ngai: OrgTree,
) -> None:
    province = quang_ngai.units["qng"]
    # The locality's own name is held together (no-break spaces): a long line breaks before it.
    assert quang_ngai.header_lines(province) == ["ỦY BAN NHÂN DÂN", "TỈNH QUẢNG\u00a0NGÃI"]
    assert quang_ngai.superior_line(province) is None
    home_affairs = quang_ngai.units["qng.snv"]
    assert quang_ngai.header_lines(home_affairs) == ["SỞ NỘI VỤ"]
    assert quang_ngai.superior_line(home_affairs) == "UBND TỈNH QUẢNG\u00a0NGÃI"


def test_dong_ha_has_its_wards_and_offices() -> None:
    tree = OrgTree.load(EXAMPLES / "org" / "quang-tri.yaml")
    assert len(tree.expand("qtr.dong-ha.phuong")) == 9
    assert tree.label("qtr.dong-ha.phuong") == "UBND các phường"
    assert tree.units["qtr.dong-ha"].coordinator == "qtr.dong-ha.pnv"


def test_a_three_tier_country_is_province_district_commune() -> None:
    tree = _tree(Shape(provinces=3, districts=4, communes=5, departments=6, offices=7))
    assert len(tree) == 2 + 3 * (1 + 6 + 4 * (1 + 7 + 5))
    commune = tree.units["p02.h03.x05"]
    district = tree.parent_of(commune)
    assert district is not None and district.level is Level.DISTRICT and district.governs
    assert tree.units[district.coordinator or ""].name == "Phòng Nội vụ"
    assert len(tree.expand("p02.huyen")) == 4


def test_a_two_tier_country_has_communes_straight_under_the_province() -> None:
    tree = _tree(Shape(provinces=2, communes=30, departments=5, two_tier=True))
    assert not [u for u in tree.walk() if u.level is Level.DISTRICT]
    communes = tree.expand("p01.xa")
    assert len(communes) == 30
    assert all(tree.parent_of(c) == tree.units["p01"] for c in communes)


def test_national_scale_tree_has_about_twenty_thousand_units() -> None:
    tree = _tree(Shape(provinces=63, districts=11, communes=15, departments=20, offices=12))
    assert 19_000 < len(tree) < 22_000


def test_org_commands_generate_and_check_a_tree(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "nuoc.yaml"
    assert main(["org", "generate", "-o", str(path), "--provinces", "2", "--two-tier"]) == 0
    assert main(["org", "check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Đã tạo cây tổ chức mẫu" in out and "Cây tổ chức hợp lệ" in out
    assert "54 đơn vị" in out  # 2 central + 2 × (1 committee + 15 departments + 10 communes)
