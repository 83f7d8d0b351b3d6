"""How the reader takes phrasings clerks use every day, each in a short letter of the genre
written for this test (Quảng Ngãi's tree): to whom a report goes, whom an opening asks, a
list of units without a colon, a group named with extra generic words, a signer's block beside
the copies, a subject column beside the date, a decision cited without "về", who is
criticised and who is asked, a department asked to direct others, and an office heading its
letter under its committee."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from models.importing import import_letter
from models.letterfile import read_letter
from models.org import OrgTree
from tests.conftest import EXAMPLES, ROOT

ORG = OrgTree.load(EXAMPLES / "org" / "quang-ngai.yaml")

HEAD = """ỦY BAN NHÂN DÂN
TỈNH QUẢNG NGÃI
Số: 1420/UBND-NC
V/v rà soát hồ sơ thủ tục hành chính trễ hạn
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Quảng Ngãi, ngày 10 tháng 6 năm 2024

Kính gửi:
- Các sở, ban, ngành, đơn vị cấp tỉnh;
- UBND các huyện, thị xã, thành phố.

"""

SIGNED = """
Nơi nhận:
- Như trên;
- CT, các PCT UBND tỉnh;
- Lưu: VT, NC.

KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Trần Phước Hiền
"""


def _read(tmp_path: Path, body: str, head: str = HEAD, signed: str = SIGNED) -> dict[str, Any]:
    letter = tmp_path / "cong-van.txt"
    letter.write_text(head + body + signed, encoding="utf-8")
    imported = import_letter(read_letter(letter), ORG, "org.yaml", letter.name)
    return {"spec": imported.spec, "tasks": {t["label"]: t for t in imported.facts["tasks"]}}


@pytest.mark.parametrize(
    ("sentence", "office"),
    [
        ("gửi danh sách về Sở Nội vụ trước ngày 20/6/2024.", "qng.snv"),
        ("gửi Báo cáo tự đánh giá kèm tài liệu kiểm chứng về Sở Tư pháp trước ngày 20/6/2024.",
         "qng.stp"),
        ("báo cáo kết quả thực hiện về UBND tỉnh (qua Sở Nội vụ) trước ngày 20/6/2024.",
         "qng.snv"),
        ("gửi báo cáo về UBND tỉnh (thông qua Sở Nội vụ) trước ngày 20/6/2024.", "qng.snv"),
        ("định kỳ hằng tháng báo cáo tiến độ về UBND tỉnh (qua Sở Tài chính).", "qng.stc"),
        ("báo cáo định kỳ (kèm số liệu, phân tích nguyên nhân), gửi về UBND tỉnh (qua Sở Nội vụ) "
         "trước ngày 20/6/2024.", "qng.snv"),
    ],
    ids=["list-sent-to", "report-sent-to", "through-office", "through-office-long",
         "monthly-through", "aside-first"],
)  # fmt: skip
def test_a_report_goes_to_the_office_the_sentence_reaches(
    tmp_path: Path, sentence: str, office: str
) -> None:
    read = _read(tmp_path, f"1. Giao Sở Xây dựng rà soát hồ sơ trễ hạn; {sentence}\n")
    assert read["tasks"]["1."]["lead"] == ["qng.sxd"]
    assert read["tasks"]["1."]["report_to"] == office


def test_the_units_an_opening_asks_carry_the_items_that_name_no_one(tmp_path: Path) -> None:
    body = (
        "Để có cơ sở tổng hợp, UBND tỉnh đề nghị Thủ trưởng các sở, ban, ngành tỉnh; Chủ tịch "
        "UBND các huyện, thị xã, thành phố thực hiện một số nội dung sau:\n"
        "1. Rà soát hồ sơ trễ hạn, hoàn thành trước ngày 25/6/2024.\n"
        "2. Đối với UBND các huyện, thị xã, thành phố: chỉ đạo bộ phận một cửa niêm yết thủ tục.\n"
        "3. Giao Sở Nội vụ tổng hợp, báo cáo UBND tỉnh trước ngày 30/6/2024.\n"
    )
    tasks = _read(tmp_path, body)["tasks"]
    assert tasks["1."]["lead"] == ["qng.so-nganh", "qng.huyen"]
    assert tasks["2."]["lead"] == ["qng.huyen"]
    assert tasks["3."]["lead"] == ["qng.snv"]


def test_districts_listed_without_a_colon_are_each_a_lead(tmp_path: Path) -> None:
    body = "1. UBND các huyện Bình Sơn, Sơn Tịnh, Tư Nghĩa rà soát hồ sơ trễ hạn.\n"
    tasks = _read(tmp_path, body)["tasks"]
    assert tasks["1."]["lead"] == ["qng.binh-son", "qng.son-tinh", "qng.tu-nghia"]


def test_the_wards_a_proposal_asks_the_province_to_direct_are_the_leads(tmp_path: Path) -> None:
    body = "1. Đề nghị UBND tỉnh chỉ đạo UBND các huyện: Bình Sơn, Sơn Tịnh phối hợp bàn giao.\n"
    tasks = _read(tmp_path, body)["tasks"]
    assert tasks["1."]["lead"] == ["qng.binh-son", "qng.son-tinh"]


def test_a_group_named_with_generic_words_added_is_still_the_group(tmp_path: Path) -> None:
    spec = _read(tmp_path, "1. Giao Sở Nội vụ tổng hợp.\n")["spec"]
    assert spec["recipients"][0] == {
        "label": "Các sở, ban, ngành, đơn vị cấp tỉnh",
        "units": ["qng.so-nganh"],
    }


def test_a_signature_laid_beside_the_copies_is_split_from_them(tmp_path: Path) -> None:
    """Text copied out of a PDF: the signer's lines run on the same lines as the copies."""
    signed = """
Nơi nhận: TL. CHỦ TỊCH
- Các Sở: Tài chính, Kế hoạch và Đầu tư, KT. CHÁNH VĂN PHÒNG
Tư pháp, Xây dựng; PHÓ CHÁNH VĂN PHÒNG
- Công an tỉnh;
- Lưu: VT, NC. Nguyễn Văn Hòa
"""
    spec = _read(tmp_path, "1. Giao Sở Nội vụ tổng hợp.\n", signed=signed)["spec"]
    assert spec["distribution"] == [
        "Các Sở: Tài chính, Kế hoạch và Đầu tư, Tư pháp, Xây dựng",
        "Công an tỉnh",
    ]
    assert spec["archive"] == ["VT", "NC"]
    signer = spec["signer"]
    assert (signer["body_authority"], signer["body"]) == ("TL", "Chủ tịch")
    assert (signer["authority"], signer["on_behalf_of"]) == ("KT", "Chánh văn phòng")
    assert (signer["position"], signer["name"]) == ("Phó chánh văn phòng", "Nguyễn Văn Hòa")


def test_a_subject_column_beside_the_date_is_read_whole(tmp_path: Path) -> None:
    head = HEAD.replace(
        "V/v rà soát hồ sơ thủ tục hành chính trễ hạn\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\nQuảng Ngãi, ngày 10 tháng 6 năm 2024\n",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "V/v triển khai thực hiện Công văn          Quảng Ngãi, ngày 10 tháng 6 năm 2024\n"
        "số 2095/BNV-CCHC ngày 26/4/2024\ncủa Bộ Nội vụ\n",
    )
    spec = _read(tmp_path, "1. Giao Sở Nội vụ tổng hợp.\n", head=head)["spec"]
    assert spec["subject"] == (
        "triển khai thực hiện Công văn số 2095/BNV-CCHC ngày 26/4/2024 của Bộ Nội vụ"
    )
    assert spec["issued_on"] == "2024-06-10"


def test_a_decision_cited_without_about_ends_its_issuer_where_its_subject_begins(
    tmp_path: Path,
) -> None:
    body = (
        "Căn cứ Quyết định số 4918/QĐ-UBND ngày 25 tháng 12 năm 2023 của Chủ tịch UBND tỉnh "
        "ban hành Kế hoạch cải cách hành chính năm 2024; UBND tỉnh yêu cầu:\n"
        "1. Giao Sở Nội vụ tổng hợp.\n"
    )
    cited = _read(tmp_path, body)["spec"]["basis"][0]
    assert (cited["number"], cited["date"], cited["issuer"]) == (
        "4918/QĐ-UBND",
        "2023-12-25",
        "Chủ tịch UBND tỉnh",
    )
    assert cited["subject"] == "ban hành Kế hoạch cải cách hành chính năm 2024"


@pytest.mark.parametrize(
    ("sentence", "number", "issuer"),
    [
        ("Căn cứ Nghị quyết số 57-NQ/TW ngày 22 tháng 12 năm 2024 của Bộ Chính trị về đột phá "
         "phát triển khoa học, công nghệ;", "57-NQ/TW", "Bộ Chính trị"),
        ("Thực hiện Kế hoạch số 162/KH-UBND ngày 15/7/2024 của Ủy ban nhân dân tỉnh Quảng Ngãi "
         "về khảo sát sự hài lòng;", "162/KH-UBND", "Ủy ban nhân dân tỉnh Quảng Ngãi"),
    ],
    ids=["party-number", "issuer-with-toned-capital"],
)  # fmt: skip
def test_a_citation_is_read_whatever_its_number_or_issuer_begins_with(
    tmp_path: Path, sentence: str, number: str, issuer: str
) -> None:
    cited = _read(tmp_path, f"{sentence}\n1. Giao Sở Nội vụ tổng hợp.\n")["spec"]["basis"][0]
    assert (cited["number"], cited["issuer"]) == (number, issuer)


def test_two_documents_cited_in_one_sentence_are_two_citations(tmp_path: Path) -> None:
    body = (
        "Văn phòng UBND tỉnh sao gửi Báo cáo ban hành kèm theo Quyết định số 273/QĐ-BNV ngày "
        "10/4/2024 của Bộ Nội vụ và Báo cáo số 118/BC-SNV ngày 29/4/2024 của Sở Nội vụ và ý "
        "kiến của các đại biểu dự họp.\n1. Giao Sở Nội vụ tổng hợp.\n"
    )
    basis = _read(tmp_path, body)["spec"]["basis"]
    assert [(c["number"], c["issuer"]) for c in basis] == [
        ("273/QĐ-BNV", "Bộ Nội vụ"),
        ("118/BC-SNV", "Sở Nội vụ"),
    ]


def test_an_item_whose_time_is_another_items_takes_that_time(tmp_path: Path) -> None:
    body = (
        "1. Giao Sở Tài chính rà soát trụ sở dôi dư, báo cáo trước ngày 25/7/2024.\n"
        "2. Đề nghị Sở Tài nguyên và Môi trường cung cấp hồ sơ đất đai, gửi Sở Tài chính; thời "
        "hạn như mục 1.\n"
    )
    tasks = _read(tmp_path, body)["tasks"]
    assert tasks["2."]["deadline"] == tasks["1."]["deadline"] == {"before": "2024-07-25"}


def test_a_department_named_with_its_province_is_that_department(tmp_path: Path) -> None:
    head = HEAD.replace(
        "- Các sở, ban, ngành, đơn vị cấp tỉnh;\n- UBND các huyện, thị xã, thành phố.",
        "- Ủy ban nhân dân tỉnh Quảng Ngãi;\n- Sở Nội vụ tỉnh Quảng Ngãi.",
    )
    spec = _read(tmp_path, "1. Giao Sở Nội vụ tổng hợp.\n", head=head)["spec"]
    assert [r.get("units") for r in spec["recipients"]] == [["qng"], ["qng.snv"]]


@pytest.mark.parametrize(
    ("sentence", "deadline"),
    [
        ("tổng hợp, báo cáo UBND tỉnh trước 16 giờ 00 ngày 20/6/2024.", {"before": "2024-06-20"}),
        ("báo cáo chậm nhất 10h30 ngày 28/6/2024.", {"latest": "2024-06-28"}),
        ("gửi kết quả về Sở Nội vụ trước ngày 25/6.", {"before": "2024-06-25"}),
        ("hoàn thành trong tháng 7.", {"month": "2024-07"}),
        ("định kỳ 6 tháng báo cáo UBND tỉnh.", {"recurring": True}),
    ],
    ids=["hour-before-day", "hour-latest", "day-without-year", "month-without-year",
         "every-six-months"],
)  # fmt: skip
def test_a_time_is_read_as_letters_write_it(
    tmp_path: Path, sentence: str, deadline: dict[str, Any]
) -> None:
    """The letter is dated 10/6/2024: a day or month without its year is the next one."""
    task = _read(tmp_path, f"1. Giao Sở Nội vụ rà soát hồ sơ trễ hạn; {sentence}\n")["tasks"]
    assert task["1."]["deadline"] == deadline


@pytest.mark.parametrize(
    "item",
    [
        "1. Về rà soát hồ sơ trễ hạn: Sở Tư pháp chủ trì thực hiện trước ngày 20/6/2024.",
        "1. Rà soát hồ sơ trễ hạn (Sở Tư pháp chủ trì; hoàn thành trước ngày 20/6/2024).",
        "1. Rà soát hồ sơ trễ hạn: giao Sở Tư pháp thực hiện, hoàn thành trước ngày 20/6/2024.",
    ],
    ids=["topic-then-lead", "lead-in-brackets", "topic-then-given"],
)
def test_a_lead_named_after_the_work_is_the_lead(tmp_path: Path, item: str) -> None:
    task = _read(tmp_path, f"{item}\n")["tasks"]["1."]
    assert (task["lead"], task["deadline"]) == (["qng.stp"], {"before": "2024-06-20"})


def test_the_heads_of_departments_and_of_districts_lead_the_sub_items(tmp_path: Path) -> None:
    body = (
        "1. Yêu cầu Giám đốc các sở, Thủ trưởng các ban, ngành thuộc tỉnh và Chủ tịch UBND các "
        "huyện, thị xã, thành phố:\n"
        "a) Số hóa hồ sơ ngay khi tiếp nhận, hoàn thành trước ngày 30/9/2024.\n"
        "b) Rà soát hồ sơ tồn đọng; thời gian hoàn thành chậm nhất ngày 06/9/2024.\n"
    )
    tasks = _read(tmp_path, body)["tasks"]
    assert tasks["1.a)"]["lead"] == tasks["1.b)"]["lead"] == ["qng.so-nganh", "qng.huyen"]
    assert tasks["1.b)"]["deadline"] == {"latest": "2024-09-06"}


def test_wards_and_communes_listed_under_one_kind_are_each_a_lead(tmp_path: Path) -> None:
    """Đắk Lắk after 07/2025: "UBND các xã, phường:" lists units of either kind, and one
    named with its own kind after "và" keeps it."""
    org = OrgTree.load(ROOT / "tests" / "imports" / "corpus" / "dev" / "orgs" / "dak-lak-2025.yaml")
    letter = tmp_path / "cong-van.txt"
    letter.write_text(
        "ỦY BAN NHÂN DÂN\nTỈNH ĐẮK LẮK\nSố: 905/UBND-NC\nV/v bố trí công chức\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Đắk Lắk, ngày 15 tháng 8 năm 2025\n\nKính gửi: UBND các xã, phường.\n\n"
        "1. Chủ tịch UBND các xã, phường: Ea Kar, Tân An và UBND phường Tân Lập chỉ đạo rà "
        "soát, báo cáo trước ngày 29/8/2025.\n" + SIGNED,
        encoding="utf-8",
    )
    tasks = import_letter(read_letter(letter), org, "org.yaml", letter.name).facts["tasks"]
    assert tasks[0]["lead"] == ["dl.ea-kar", "dl.tan-an", "dl.tan-lap"]


def test_a_department_asked_to_direct_others_does_the_work_itself(tmp_path: Path) -> None:
    """Unlike UBND tỉnh asked to direct the districts, a department directs as part of its own
    task."""
    body = (
        "1. Đề nghị Sở Thông tin và Truyền thông phối hợp với Sở Y tế chỉ đạo UBND các huyện "
        "Bình Sơn, Sơn Tịnh tăng thời lượng tuyên truyền; hoàn thành trong tháng 7/2024.\n"
    )
    task = _read(tmp_path, body)["tasks"]["1."]
    assert task["lead"] == ["qng.stttt"]
    assert task["cooperating"] == ["qng.syt"]


def test_a_report_with_proposals_goes_to_whom_it_proposes_to(tmp_path: Path) -> None:
    body = "1. Giao Sở Xây dựng kiểm tra thực tế, báo cáo đề xuất UBND tỉnh trong tháng 7/2024.\n"
    task = _read(tmp_path, body)["tasks"]["1."]
    assert task["report_to"] == "qng"
    assert task["deadline"] == {"month": "2024-07"}


def test_cooperation_written_at_the_start_of_a_sentence_is_read(tmp_path: Path) -> None:
    body = "1. Sở Xây dựng: Phối hợp với Sở Tư pháp rà soát hồ sơ trễ hạn.\n"
    task = _read(tmp_path, body)["tasks"]["1."]
    assert (task["lead"], task["cooperating"]) == (["qng.sxd"], ["qng.stp"])


def test_a_copies_line_ending_with_a_comma_goes_on_even_in_capitals(tmp_path: Path) -> None:
    signed = """
Nơi nhận: TL. CHỦ TỊCH
- Chủ tịch, các PCT UBND tỉnh; CHÁNH VĂN PHÒNG
- Các sở: NN&PTNT, TC, KH&ĐT, XD, GTVT,
GD&ĐT, CT;
- Lưu: VT, NC. Nguyễn Văn Hòa
"""
    spec = _read(tmp_path, "1. Giao Sở Nội vụ tổng hợp.\n", signed=signed)["spec"]
    assert spec["distribution"] == [
        "Chủ tịch, các PCT UBND tỉnh",
        "Các sở: NN&PTNT, TC, KH&ĐT, XD, GTVT, GD&ĐT, CT",
    ]
    assert (spec["signer"]["position"], spec["signer"]["name"]) == (
        "Chánh văn phòng",
        "Nguyễn Văn Hòa",
    )


def test_an_office_heading_its_letter_under_its_committee_is_the_issuer(tmp_path: Path) -> None:
    head = HEAD.replace(
        "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\nSố: 1420/UBND-NC",
        "UBND TỈNH QUẢNG NGÃI\nVĂN PHÒNG\nSố: 1420/VPUB-NC",
    )
    spec = _read(tmp_path, "1. Giao Sở Nội vụ tổng hợp.\n", head=head)["spec"]
    assert spec["issuer"] == "qng.vpub"


def test_a_signer_name_beside_a_copies_line_is_the_signer(tmp_path: Path) -> None:
    """Text from a PDF: the name at the foot of the signature shares a line with a copy."""
    signed = """
Nơi nhận: KT. CHỦ TỊCH
- Như trên; PHÓ CHỦ TỊCH
- CT, các PCT UBND tỉnh;
- UBND các huyện, thành phố; Trần Phước Hiền
- Lưu: VT, NC.
"""
    spec = _read(tmp_path, "1. Giao Sở Nội vụ tổng hợp.\n", signed=signed)["spec"]
    assert spec["distribution"] == [
        "Như trên",
        "CT, các PCT UBND tỉnh",
        "UBND các huyện, thành phố",
    ]
    assert spec["signer"]["name"] == "Trần Phước Hiền"


@pytest.mark.parametrize(
    ("item", "leads"),
    [
        ("Phê bình và yêu cầu Sở Xây dựng, UBND huyện Bình Sơn hoàn thành các nhiệm vụ còn chậm",
         ["qng.sxd", "qng.binh-son"]),
        ("Phê bình UBND huyện Bình Sơn, UBND huyện Sơn Tịnh do tỷ lệ hồ sơ trễ hạn cao; yêu cầu "
         "Chủ tịch UBND huyện Bình Sơn, Chủ tịch UBND huyện Sơn Tịnh kiểm điểm trách nhiệm",
         ["qng.binh-son", "qng.son-tinh"]),
        ("Phê bình UBND huyện Bình Sơn, UBND huyện Sơn Tịnh và yêu cầu Chủ tịch UBND các huyện "
         "này chỉ đạo xử lý dứt điểm các hồ sơ quá hạn, thực hiện xin lỗi tổ chức, cá nhân",
         ["qng.binh-son", "qng.son-tinh"]),
    ],
    ids=["criticise-and-ask", "criticise-then-ask-by-name", "criticise-then-ask-these"],
)  # fmt: skip
def test_a_proposal_that_criticises_gives_the_work_to_those_it_asks(
    tmp_path: Path, item: str, leads: list[str]
) -> None:
    body = f"1. {item}; báo cáo kết quả về UBND tỉnh (qua Sở Nội vụ) trước ngày 15/11/2024.\n"
    task = _read(tmp_path, body)["tasks"]["1."]
    assert task["lead"] == leads
    assert task["report_to"] == "qng.snv"
    assert task["deadline"] == {"before": "2024-11-15"}
