"""The check form of a received letter, as a coordinator fills it in: what it shows for the
letter chidao's importer read, and what it refuses so that nothing is issued wrong — an
issuer nobody chose, work given to nobody, a date typed without its form, a name several
units share — each refusal named by the field's label on the form."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from models.confine import confined
from models.directive import Directive
from models.errors import InputError, Problem
from models.importing import corrected, import_letter, spec_form
from models.importing.corrections import on_the_form
from models.letterfile import read_letter
from models.org import OrgTree
from renderer import render
from tests.conftest import EXAMPLES

ORG = OrgTree.load(EXAMPLES / "org" / "quang-ngai.yaml")


@pytest.fixture(scope="module")
def letter(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Công văn 2268/UBND-TTHC as a district receives it, read by the importer."""
    path = tmp_path_factory.mktemp("den") / "cong-van-2268.docx"
    path.write_bytes(render(Directive.load(EXAMPLES / "quang-ngai-2268.yaml")).data)
    return import_letter(read_letter(path), ORG, "org.yaml", path.name).spec


def _as_shown(spec: dict[str, Any]) -> dict[str, str]:
    """What the form sends when the person changes nothing."""
    values = {}
    for part in spec_form(spec, ORG, [], ""):
        for field in part.fields:
            values[field.name] = field.value
            if field.entry == "deadline":
                values[f"{field.name}.detail"] = field.detail
    return values


def _refusals(spec: dict[str, Any], **changes: str) -> dict[str, str]:
    with pytest.raises(InputError) as refused:
        corrected(spec, ORG, {**_as_shown(spec), **changes}, checked=True)
    return {p.field: f"{p.value}: {p.message}" for p in refused.value.problems}


def test_unchanged_and_ticked_the_form_gives_back_the_letter_as_read(
    letter: dict[str, Any],
) -> None:
    spec = corrected(letter, ORG, _as_shown(letter), checked=True)
    assert "unchecked" not in spec
    assert spec["items"] == letter["items"] and spec["recipients"] == letter["recipients"]
    assert spec["signer"] == letter["signer"] and spec["basis"] == letter["basis"]


def test_not_ticked_it_stays_unchecked_with_every_other_refusal(letter: dict[str, Any]) -> None:
    with pytest.raises(InputError) as refused:
        corrected(letter, ORG, {**_as_shown(letter), "number": "0"}, checked=False)
    assert [p.field for p in refused.value.problems] == ["Số văn bản", "Tôi đã kiểm tra"]


def test_an_issuer_outside_the_tree_is_left_blank_and_must_be_chosen(
    letter: dict[str, Any],
) -> None:
    other = {**letter, "issuer": "bdh"}  # a letter of Bình Định read against Quảng Ngãi's tree
    issuer = next(f for f in spec_form(other, ORG, [], "")[0].fields if f.name == "issuer")
    assert issuer.value == "" and issuer.choices[0] == ("", "— chọn cơ quan ban hành —")
    assert _refusals(other)["Cơ quan ban hành"] == ": phải chọn"


def test_work_left_to_nobody_is_refused(letter: dict[str, Any]) -> None:
    refused = _refusals(letter, **{"items.1.lead": ""})  # item 2 has a deadline
    assert refused["Mục 2. — Đơn vị chủ trì"].endswith("không giao cho đơn vị nào")


@pytest.mark.parametrize(
    ("form", "typed", "deadline"),
    [
        ("quarter", "quý II/2024", {"quarter": "2024-Q2"}),
        ("quarter", "2/2024", {"quarter": "2024-Q2"}),
        ("month", "tháng 9/2024", {"month": "2024-09"}),
        ("working_days", "5 ngày làm việc", {"working_days": 5, "from_receipt": False}),
        ("from_receipt", "05", {"working_days": 5, "from_receipt": True}),
        ("latest", "ngày 30/4/2024", {"latest": "2024-04-30"}),
        ("recurring", "", {"recurring": True}),
    ],
)
def test_a_deadline_reads_as_people_type_it(
    letter: dict[str, Any], form: str, typed: str, deadline: dict[str, Any]
) -> None:
    values = {**_as_shown(letter), "items.1.deadline": form, "items.1.deadline.detail": typed}
    assert corrected(letter, ORG, values, checked=True)["items"][1]["deadline"] == deadline


@pytest.mark.parametrize("form", ["", "recurring"])
def test_a_date_typed_without_its_form_is_refused_not_dropped(
    letter: dict[str, Any], form: str
) -> None:
    refused = _refusals(letter, **{"items.1.deadline": form, "items.1.deadline.detail": "30/4"})
    assert refused["Mục 2. — Thời hạn"].startswith("30/4: đã ghi ngày, tháng hoặc số ngày")


def test_a_name_several_units_share_asks_for_its_governing_unit(letter: dict[str, Any]) -> None:
    refused = _refusals(letter, **{"items.2.cooperating": "Phòng Nội vụ"})
    said = refused["Mục 3. — Đơn vị phối hợp"]
    assert "đơn vị cùng tên; ghi kèm cơ quan của nó" in said
    assert "«Phòng Nội vụ — Ủy ban nhân dân" in said
    named = {
        **_as_shown(letter),
        "items.2.cooperating": "Phòng Nội vụ — Ủy ban nhân dân huyện Bình Sơn",
    }
    spec = corrected(letter, ORG, named, checked=True)
    assert spec["items"][2]["cooperating"] == ["qng.binh-son.pnv"]


def test_the_deadline_s_place_in_the_text_is_shown_in_words_and_kept(
    letter: dict[str, Any],
) -> None:
    sub = next(
        f for f in spec_form(letter, ORG, [], "")[3].fields if f.name == "items.1.items.2.text"
    )
    assert "{thời hạn}" in sub.value and "{deadline}" not in sub.value
    spec = corrected(letter, ORG, _as_shown(letter), checked=True)
    assert spec["items"][1]["items"][2]["text"].endswith("Thời hạn hoàn thành {deadline}.")


def test_a_receipt_before_the_letter_s_own_date_is_refused(letter: dict[str, Any]) -> None:
    refused = _refusals(letter, received_on="01/5/2024")  # the letter is dated 06/5/2024
    assert refused["Ngày nhận"] == "01/5/2024: ngày nhận trước ngày ban hành của văn bản"


def test_what_the_made_spec_breaks_is_said_in_the_form_s_words(letter: dict[str, Any]) -> None:
    found = InputError(
        [
            Problem("/srv/nhap/3f.yaml", "items[2].deadline.before", "2024-05-01", "trước ngày ký"),
            Problem("/srv/nhap/3f.yaml", "issued_on", "2024-05-20", "sau ngày hôm nay"),
        ]
    )
    said = on_the_form(found, copy.deepcopy(letter), ORG).problems
    assert [(p.field, p.value) for p in said] == [
        ("Mục 2. — Thời hạn", "01/5/2024"),
        ("Ngày ban hành", "20/5/2024"),
    ]
    assert all("/srv" not in str(p) for p in said)


def test_the_office_s_own_tree_is_readable_wherever_the_operator_keeps_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The specs the portal writes name CHIDAO_ORG; the issue flow reads only the office's
    folders (CHIDAO_FILES), and the tree the office configured is one of them."""
    tree = tmp_path / "cau-hinh" / "cay-to-chuc.yaml"
    tree.parent.mkdir()
    tree.write_bytes((EXAMPLES / "org" / "quang-ngai.yaml").read_bytes())
    other = tmp_path / "cau-hinh" / "khac.yaml"
    other.write_bytes(tree.read_bytes())
    monkeypatch.setenv("CHIDAO_FILES", str(tmp_path / "ho-so"))
    monkeypatch.setenv("CHIDAO_ORG", str(tree))
    assert confined(str(tree), "org") == tree.resolve()
    with pytest.raises(InputError, match="ngoài các thư mục được phép đọc"):
        confined(str(other), "org")
