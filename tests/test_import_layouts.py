"""How the reader takes the layouts clerks and their tools produce, each in a short letter of
the genre written for this test (Quảng Ngãi's tree): a signature set as paragraphs before
«Nơi nhận», Word's automatic numbering by list style, a paragraph after a bulleted list,
Markdown's hard line breaks, a "—" in an appendix's product column, and pandoc's grid and
simple tables."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx

from models.importing import import_letter
from models.letterfile import read_letter
from models.org import OrgTree
from tests.conftest import EXAMPLES

ORG = OrgTree.load(EXAMPLES / "org" / "quang-ngai.yaml")

HEAD = [
    "ỦY BAN NHÂN DÂN",
    "TỈNH QUẢNG NGÃI",
    "Số: 1420/UBND-NC",
    "V/v rà soát hồ sơ thủ tục hành chính trễ hạn",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Quảng Ngãi, ngày 10 tháng 6 năm 2024",
    "",
    "Kính gửi: Các sở, ban, ngành tỉnh.",
    "",
]


def _imported(path: Path) -> dict[str, Any]:
    imported = import_letter(read_letter(path), ORG, "org.yaml", path.name)
    return {"spec": imported.spec, "tasks": {t["label"]: t for t in imported.facts["tasks"]}}


def _text_letter(tmp_path: Path, name: str, lines: list[str]) -> dict[str, Any]:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return _imported(path)


# A plan without a "Kính gửi", signed before its copies, its tasks in the appendix that follows.
PLAN = [
    *HEAD[:3],
    *HEAD[4:8],
    "KẾ HOẠCH",
    "Rà soát hồ sơ thủ tục hành chính trễ hạn",
    "",
    "Căn cứ tình hình thực tế, UBND tỉnh ban hành Kế hoạch như sau:",
    "",
    "I. MỤC ĐÍCH",
    "Nâng cao chất lượng giải quyết hồ sơ.",
    "",
    "TM. ỦY BAN NHÂN DÂN",
    "CHỦ TỊCH",
    "Đặng Văn Minh",
    "",
    "Nơi nhận:",
    "- Các sở, ban, ngành tỉnh;",
    "- Lưu: VT, NC.",
    "",
    "PHỤ LỤC",
    "",
]


def _plan(tmp_path: Path, appendix: list[str]) -> dict[str, Any]:
    return _text_letter(tmp_path, "ke-hoach.md", [*PLAN, *appendix])


def test_a_signature_set_as_paragraphs_before_the_copies_is_the_signer(tmp_path: Path) -> None:
    read = _text_letter(
        tmp_path,
        "cong-van.txt",
        [
            *HEAD,
            "1. Giao Sở Nội vụ tổng hợp, báo cáo trước ngày 20/6/2024.",
            "",
            "Trong quá trình thực hiện, nếu có vướng mắc, phản ánh về Sở Nội vụ./.",
            "",
            "TM. ỦY BAN NHÂN DÂN",
            "KT. CHỦ TỊCH",
            "PHÓ CHỦ TỊCH",
            "",
            "(Đã ký)",
            "",
            "Ông Ích Khiêm",
            "",
            "Nơi nhận:",
            "- Như trên;",
            "- Lưu: VT, NC.",
        ],
    )
    signer = read["spec"]["signer"]
    assert (signer["body"], signer["authority"], signer["on_behalf_of"]) == (
        "Ủy ban nhân dân",
        "KT",
        "Chủ tịch",
    )
    assert (signer["position"], signer["name"]) == ("Phó chủ tịch", "Ông Ích Khiêm")
    assert read["spec"]["distribution"] == ["Như trên"]
    assert "Ông Ích Khiêm" not in read["spec"].get("closing", "")


def test_word_numbering_by_list_style_reads_as_the_numbers_shown(tmp_path: Path) -> None:
    """A report's proposals numbered by Word ("List Number"), with bullets under the first:
    the paragraph after the bullets still belongs to proposal 1."""
    document = docx.Document()
    for line in HEAD:
        document.add_paragraph(line)
    document.add_paragraph("Sở Nội vụ kính đề nghị UBND tỉnh:")
    document.add_paragraph("Giao Sở Tư pháp rà soát các văn bản sau:", style="List Number")
    document.add_paragraph("Văn bản hết hiệu lực;", style="List Bullet")
    document.add_paragraph("Văn bản cần sửa đổi.", style="List Bullet")
    document.add_paragraph("Kết quả gửi về Sở Nội vụ trước ngày 30/6/2024.")
    document.add_paragraph(
        "Giao Sở Tài chính bố trí kinh phí trong quý III/2024.", style="List Number"
    )
    for line in ["", "Nơi nhận:", "- Như trên;", "- Lưu: VT, NC.", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH",
                 "Trần Phước Hiền"]:  # fmt: skip
        document.add_paragraph(line)
    path = tmp_path / "bao-cao.docx"
    document.save(str(path))
    tasks = _imported(path)["tasks"]
    assert sorted(tasks) == ["1.", "2."]
    assert tasks["1."]["lead"] == ["qng.stp"]
    assert tasks["1."]["report_to"] == "qng.snv"
    assert tasks["1."]["deadline"] == {"before": "2024-06-30"}
    assert tasks["2."]["lead"] == ["qng.stc"]
    assert tasks["2."]["deadline"] == {"quarter": "2024-Q3"}


def test_markdown_hard_breaks_keep_a_title_and_a_table_cell_together(tmp_path: Path) -> None:
    """What a converter writes: a title broken by "\\" at line ends, and a signature table
    whose cells break their lines with "\\ "."""
    read = _text_letter(
        tmp_path,
        "thong-bao.md",
        [
            "| **ỦY BAN NHÂN DÂN**\\ **TỈNH QUẢNG NGÃI** | **CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**"
            "\\ **Độc lập - Tự do - Hạnh phúc** |",
            "|----|----|",
            "| Số: 204/TB-UBND | *Quảng Ngãi, ngày 08 tháng 8 năm 2024* |",
            "",
            "**THÔNG BÁO**",
            "",
            "**Kết luận của Chủ tịch UBND tỉnh tại buổi làm việc\\",
            "với UBND huyện Bình Sơn\\",
            "về cải cách hành chính**",
            "",
            "Chủ tịch UBND tỉnh kết luận như sau:",
            "",
            "1\\. Giao UBND huyện Bình Sơn rà soát hồ sơ trễ hạn trước ngày 30/9/2024.",
            "",
            "|  |  |",
            "|----|----|",
            "| ***Nơi nhận:***\\ - UBND huyện Bình Sơn;\\ - Lưu: VT, TH. | **TL. CHỦ TỊCH**\\ "
            "**CHÁNH VĂN PHÒNG**\\ \\ \\ **Võ Thị Mỹ Hạnh** |",
        ],
    )
    spec = read["spec"]
    assert spec["subject"] == (
        "Kết luận của Chủ tịch UBND tỉnh tại buổi làm việc với UBND huyện Bình Sơn về cải "
        "cách hành chính"
    )
    assert spec["distribution"] == ["UBND huyện Bình Sơn"]
    assert spec["archive"] == ["VT", "TH"]
    assert (spec["signer"]["position"], spec["signer"]["name"]) == (
        "Chánh văn phòng",
        "Võ Thị Mỹ Hạnh",
    )
    assert read["tasks"]["1."]["lead"] == ["qng.binh-son"]


def test_a_dash_in_the_product_column_is_no_product(tmp_path: Path) -> None:
    read = _plan(
        tmp_path,
        [
            "| TT | Nội dung công việc | Cơ quan chủ trì | Cơ quan phối hợp | Sản phẩm "
            "| Thời gian |",
            "|---|---|---|---|---|---|",
            "| 1 | Rà soát hồ sơ trễ hạn | Sở Nội vụ | Sở Tư pháp | Báo cáo rà soát | Trước "
            "30/9/2024 |",
            "| 2 | Tập huấn cán bộ một cửa | Sở Tư pháp | | — | Trong quý IV/2024 |",
        ],
    )
    assert read["tasks"]["PL.1"]["product"] == "Báo cáo rà soát"
    assert read["tasks"]["PL.2"]["product"] is None


def test_a_markdown_list_of_copies_is_the_copies_list(tmp_path: Path) -> None:
    read = _text_letter(
        tmp_path,
        "cong-van.md",
        [
            *HEAD,
            "1. Giao Sở Nội vụ tổng hợp, báo cáo trước ngày 20/6/2024.",
            "",
            "**KT. CHỦ TỊCH**  ",
            "**PHÓ CHỦ TỊCH**",
            "",
            "**Trần Phước Hiền**",
            "",
            "**Nơi nhận:**",
            "",
            "* Như trên;",
            "* CT, các PCT UBND tỉnh;",
            "* Lưu: VT, NC.",
        ],
    )
    assert read["spec"]["distribution"] == ["Như trên", "CT, các PCT UBND tỉnh"]
    assert read["spec"]["archive"] == ["VT", "NC"]
    assert read["spec"]["signer"]["name"] == "Trần Phước Hiền"


def test_sub_items_under_a_lead_in_naming_nobody_are_each_a_doubt(tmp_path: Path) -> None:
    path = tmp_path / "cong-van.txt"
    path.write_text(
        "\n".join(
            [
                *HEAD,
                "1. Để khắc phục tình trạng trên, cần thực hiện:",
                "a) Số hóa hồ sơ ngay khi tiếp nhận.",
                "b) Rà soát hồ sơ tồn đọng.",
                "",
                "Nơi nhận:",
                "- Như trên;",
                "- Lưu: VT, NC.",
                "KT. CHỦ TỊCH",
                "PHÓ CHỦ TỊCH",
                "Trần Phước Hiền",
            ]
        ),
        encoding="utf-8",
    )
    imported = import_letter(read_letter(path), ORG, "org.yaml", path.name)
    doubts = [(u.field, u.what) for u in imported.unread]
    assert ("items (1.a))", "mục không ghi rõ đơn vị chủ trì") in doubts
    assert ("items (1.b))", "mục không ghi rõ đơn vị chủ trì") in doubts


def test_one_column_for_who_leads_and_who_cooperates_is_read_as_both(tmp_path: Path) -> None:
    """An appendix with "Cơ quan thực hiện" holding "Chủ trì: … Phối hợp: …" in each cell."""
    read = _plan(
        tmp_path,
        [
            "| TT | Nội dung nhiệm vụ | Cơ quan thực hiện | Thời hạn hoàn thành | Sản phẩm |",
            "|---|---|---|---|---|",
            "| 1 | Rà soát hồ sơ trễ hạn | Chủ trì: Sở Nội vụ Phối hợp: Sở Tư pháp; Sở Tài chính "
            "| Quý IV/2024 | Báo cáo rà soát |",
            "| 2 | Tập huấn cán bộ một cửa | Sở Tư pháp | Trước 15 giờ ngày 05/12/2024 | — |",
        ],
    )
    first, second = read["tasks"]["PL.1"], read["tasks"]["PL.2"]
    assert (first["lead"], first["cooperating"]) == (["qng.snv"], ["qng.stp", "qng.stc"])
    assert first["deadline"] == {"quarter": "2024-Q4"}
    assert (second["lead"], second["cooperating"]) == (["qng.stp"], [])
    assert second["deadline"] == {"before": "2024-12-05"}


def test_pandoc_grid_and_simple_tables_read_as_their_columns(tmp_path: Path) -> None:
    """A Word letter converted by pandoc: the header in a grid table (its subject wrapped over
    three lines), the copies and the signer side by side in a simple table laid out with
    spaces."""
    read = _text_letter(
        tmp_path,
        "cong-van.md",
        [
            "+-----------------------------------+-----------------------------------------+",
            "| **ỦY BAN NHÂN DÂN**               | **CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**  |",
            "| **TỈNH QUẢNG NGÃI**               | **Độc lập - Tự do - Hạnh phúc**         |",
            "|                                   |                                         |",
            "| Số: 1420/UBND-NC                  | *Quảng Ngãi, ngày 10 tháng 6 năm 2024*  |",
            "|                                   |                                         |",
            "| V/v rà soát hồ sơ thủ tục hành    |                                         |",
            "| chính trễ hạn                     |                                         |",
            "+-----------------------------------+-----------------------------------------+",
            "",
            "Kính gửi: Các sở, ban, ngành tỉnh.",
            "",
            "1\\. Giao Sở Nội vụ tổng hợp, báo cáo trước ngày 20/6/2024.",
            "",
            "  ------------------------------------------------------------------------",
            "  ***Nơi nhận:***                            **KT. CHỦ TỊCH**",
            "  \\- Như trên;                               **PHÓ CHỦ TỊCH**",
            "  \\- CT, các PCT UBND tỉnh;",
            "  \\- Công an tỉnh;                           **Trần Phước Hiền**",
            "  \\- Lưu: VT, NC.",
            "  ------------------------------------------------------------------------",
        ],
    )
    spec = read["spec"]
    assert spec["subject"] == "rà soát hồ sơ thủ tục hành chính trễ hạn"
    assert spec["distribution"] == ["Như trên", "CT, các PCT UBND tỉnh", "Công an tỉnh"]
    assert spec["archive"] == ["VT", "NC"]
    assert (spec["signer"]["position"], spec["signer"]["name"]) == (
        "Phó chủ tịch",
        "Trần Phước Hiền",
    )
