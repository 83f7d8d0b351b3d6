"""Rendering each example spec gives a draft that says what the real document (the seed) says:
every sentence of its body, its recipients, its signer and its nơi nhận lines."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest

from models.directive import Directive
from renderer import render_directive
from tests.conftest import EXAMPLES, docx_text, normalise

# seed -> (example spec, first words of the body, last words of the body)
CASES = {
    "000": ("quang-ngai-2268.yaml", "Qua xem xét đề nghị", "chỉ đạo thực hiện./."),
    "002": ("binh-son-2024.yaml", "Thực hiện Công văn số 2371", "khẩn trương thực hiện./."),
    "003": ("dong-ha-ke-hoach-2024.yaml", "Thực hiện Quyết định số 35", "triển khai thực hiện./."),
}


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.;:])\s+", normalise(text)) if s]


def _list_lines(seed: str, after: str) -> list[str]:
    """The '- …' lines that follow a heading such as 'Kính gửi:' or 'Nơi nhận:'."""
    block = seed.split(after, 1)[1].lstrip("*\n ")
    lines = []
    for line in block.splitlines():
        if not line.strip():
            continue
        if not line.startswith("- "):
            break
        lines.append(normalise(line[2:]).rstrip(";.,"))
    return lines


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("fidelity")
    texts = {}
    for seed, (spec, _, _) in CASES.items():
        path = render_directive(Directive.load(EXAMPLES / spec), out / f"{seed}.docx")
        texts[seed] = docx_text(path)
    return texts


@pytest.mark.parametrize("seed", sorted(CASES))
def test_every_body_sentence_of_the_seed_is_in_the_draft(
    seed: str, seeds: dict[str, str], rendered: dict[str, str]
) -> None:
    _, first, last = CASES[seed]
    body = seeds[seed][seeds[seed].index(first) : seeds[seed].index(last) + len(last)]
    missing = [s for s in _sentences(body) if s not in rendered[seed]]
    assert missing == []
    assert len(_sentences(body)) > 10


@pytest.mark.parametrize("seed", ["000", "002"])
def test_every_recipient_line_of_the_seed_is_in_the_draft(
    seed: str, seeds: dict[str, str], rendered: dict[str, str]
) -> None:
    lines = _list_lines(seeds[seed], "Kính gửi:")
    assert len(lines) == 3
    assert [line for line in lines if line not in rendered[seed]] == []


@pytest.mark.parametrize("seed", sorted(CASES))
def test_every_distribution_line_of_the_seed_is_in_the_draft(
    seed: str, seeds: dict[str, str], rendered: dict[str, str]
) -> None:
    lines = _list_lines(seeds[seed], "Nơi nhận:")
    assert lines[-1].startswith("Lưu: VT")
    assert [line for line in lines if line not in rendered[seed]] == []


@pytest.mark.parametrize(
    ("seed", "signer_lines"),
    [
        ("000", ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Hoàng Tuấn"]),
        ("002", ["CHỦ TỊCH", "Nguyễn Tường Duy"]),
        ("003", ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Hồ Sỹ Trung"]),
    ],
)
def test_the_signature_block_names_authority_position_and_signer(
    seed: str, signer_lines: list[str], seeds: dict[str, str], rendered: dict[str, str]
) -> None:
    name = signer_lines[-1]
    assert name in normalise(seeds[seed])
    assert " ".join(signer_lines) in rendered[seed]


def test_the_numbered_letter_carries_number_subject_place_and_date(
    rendered: dict[str, str],
) -> None:
    text = rendered["000"]
    assert "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI" in text
    assert "Số: 2268/UBND-TTHC" in text
    assert (
        "V/v triển khai khắc phục, nâng cao Chỉ số PAR INDEX, Chỉ số SIPAS trong năm 2024" in text
    )
    assert "Quảng Ngãi, ngày 06 tháng 5 năm 2024" in text


def test_a_draft_leaves_number_and_day_blank_for_the_clerk(rendered: dict[str, str]) -> None:
    assert "Số: /UBND-TTHC" in rendered["002"]
    assert re.search(r"Bình Sơn, ngày\s+tháng 5 năm 2024", rendered["002"])
    assert "Số: /KH-UBND" in rendered["003"]
    assert re.search(r"Đông Hà, ngày\s+tháng 02 năm 2024", rendered["003"])


def test_the_plan_has_its_title_and_a_five_column_task_appendix(tmp_path: Path) -> None:
    path = render_directive(
        Directive.load(EXAMPLES / "dong-ha-ke-hoach-2024.yaml"), tmp_path / "kh.docx"
    )
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    assert "KẾ HOẠCH" in texts
    assert "Khắc phục một số tồn tại, hạn chế về chỉ số PAR INDEX, SIPAS năm 2023" in texts
    assert "PHỤ LỤC" in texts
    appendix = document.tables[-1]
    header = [c.text for c in appendix.rows[0].cells]
    assert header == [
        "TT",
        "Nội dung",
        "Đơn vị chủ trì",
        "Đơn vị phối hợp",
        "Sản phẩm",
        "Thời gian hoàn thành",
    ]
    first = [c.text for c in appendix.rows[1].cells]
    assert first[0] == "1"
    assert first[2] == "Văn phòng HĐND và UBND thành phố"
    assert first[5] == "chậm nhất đến ngày 31 tháng 3 năm 2024"
    # Groups are written by their label, as a clerk would, not unit by unit.
    assert first[3] == "Các cơ quan, đơn vị trực thuộc UBND thành phố"
    assert appendix.rows[2].cells[2].text == (
        "Các cơ quan, đơn vị trực thuộc UBND thành phố; UBND các phường"
    )
    assert len(appendix.rows) == 1 + 4


def test_deadlines_in_the_text_are_bold_as_in_the_seed(tmp_path: Path) -> None:
    path = render_directive(Directive.load(EXAMPLES / "quang-ngai-2268.yaml"), tmp_path / "a.docx")
    runs = [r for p in docx.Document(str(path)).paragraphs for r in p.runs]
    deadline = [r for r in runs if r.text == "trước ngày 20/5/2024"]
    assert len(deadline) == 1 and deadline[0].bold
