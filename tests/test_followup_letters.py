"""Every kind of letter chidao writes on its own, read back as a clerk reads it before signing:
who sends it, who it is addressed and copied to, who is listed late, what it cites and who
signs — on the Quảng Ngãi story (three tiers, `make demo`) and on a two-tier province (2025),
against values written here by hand. Layout is checked through LibreOffice's PDF."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlmodel import Session, select

from chidao import demo
from flows import letters
from flows.cascade import issue_directive
from flows.escalation import scan_deadlines
from flows.synthesis import synthesize
from models import assignments
from models.letters import waiting
from models.records import AssignmentRecord, LetterRecord
from models.spec import DirectiveSpec
from models.store import Store
from tests.conftest import EXAMPLES, STORY_START
from tests.letters import Letter, pdf_pages, read

pytestmark = pytest.mark.usefixtures("prefect_api")


@dataclass(frozen=True)
class Story:
    store: Store
    documents: Path

    def record(self, key: str) -> LetterRecord:
        with Session(self.store.engine) as session:
            return session.exec(select(LetterRecord).where(LetterRecord.key == key)).one()

    def path(self, key: str) -> Path:
        return self.documents / self.record(key).path

    def letter(self, key: str) -> Letter:
        return read(self.path(key))


@pytest.fixture(scope="module")
def quang_ngai(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Story]:
    """`make demo`'s story: Công văn 2268 and 2371, May 2024, every draft released."""
    home = tmp_path_factory.mktemp("quang-ngai")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("CHIDAO_HOME", str(home))
        env.delenv("CHIDAO_DATABASE_URL", raising=False)
        demo.run()
        yield Story(Store.open(), home / "documents")


def _release_drafts(store: Store) -> None:
    with Session(store.engine) as session:
        drafts = waiting(session)
    for letter in drafts:
        signer = DirectiveSpec.model_validate_json(letter.spec_json or "{}").signer.name
        letters.release(store, [letter.key], signer or "test")


def _at(moment: str) -> None:
    os.environ["CHIDAO_SIMULATED_NOW"] = f"{moment}:00+07:00"


@pytest.fixture(scope="module")
def two_tier(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Story]:
    """Công văn 512/UBND-NC of September 2025: communes report straight to the province; two
    communes pass it to their offices; Sở Tư pháp leads item 2 with Sở Nội vụ cooperating; three
    departments lead item 3 with Văn phòng UBND tỉnh cooperating and chased."""
    home = tmp_path_factory.mktemp("two-tier")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("CHIDAO_HOME", str(home))
        env.delenv("CHIDAO_DATABASE_URL", raising=False)
        _at("2025-09-03T08:00")
        issue_directive(spec_path=str(EXAMPLES / "quang-ngai-2025-512.yaml"), auto_release=True)
        store = Store.open()
        _at("2025-09-10T09:00")
        stp = assignments.find(store, "512/UBND-NC", "qn.stp", "2.")
        assignments.submit_report(store, stp, "Sở Tư pháp đã rà soát hồ sơ pháp chế.", [], "t")
        office = assignments.find(store, "qn:512/UBND-NC:2025-09-03>qn.binh-son", "qn.binh-son.kt")
        assignments.submit_report(store, office, "Phòng Kinh tế đã tự chấm điểm.", [], "t")
        for day in ("2025-09-12", "2025-09-16", "2025-09-22"):
            _at(f"{day}T07:30")
            scan_deadlines()
            _release_drafts(store)
        _at("2025-09-26T09:00")
        synthesize(ref="512/UBND-NC", as_of=dt.date(2025, 9, 26))
        _release_drafts(store)
        os.environ["CHIDAO_SIMULATED_NOW"] = STORY_START
        yield Story(store, home / "documents")


def _absent(letter: Letter, *names: str) -> None:
    """The sender is never among the addressees or the copies."""
    for name in names:
        assert not letter.addressed_to(name), f"addressed to {name}: {letter.recipients}"
        assert not letter.copied_to(name), f"copied to {name}: {letter.distribution}"


# Quảng Ngãi (three tiers) ------------------------------------------------------------------

BINH_SON = "qng:2371/UBND-TTHC:2024-05-13>qng.binh-son"


def test_binh_sons_implementing_letter_carries_the_substance_and_is_signed_by_its_chairman(
    quang_ngai: Story,
) -> None:
    letter = quang_ngai.letter(BINH_SON)
    assert letter.issuer == ["ỦY BAN NHÂN DÂN", "HUYỆN BÌNH SƠN"]
    # Its register stood at 1175 when it took up chidao; 1175 passed 2268 down on 6/5.
    assert letter.number == "Số: 1176/UBND-NV"
    assert letter.subject == (
        "triển khai thực hiện Công văn số 2371/UBND-TTHC ngày 13/5/2024 của UBND tỉnh"
    )
    # Offices by their heads, as seed 002 writes them, and the units beside them likewise.
    assert letter.recipients == [
        "Thủ trưởng các Phòng: Nội vụ, Tư pháp, Tài chính - Kế hoạch, Tài nguyên và Môi trường,"
        " Lao động - Thương binh và Xã hội, Văn hóa và Thông tin, Giáo dục và Đào tạo, Y tế, Kinh"
        " tế và Hạ tầng, Nông nghiệp và Phát triển nông thôn",
        "Chánh Văn phòng HĐND và UBND huyện",
        "Chánh Thanh tra huyện",
    ]
    preamble, task, follow_up = letter.body[:3]
    assert preamble.startswith(
        "Thực hiện Công văn số 2371/UBND-TTHC ngày 13/5/2024 của UBND tỉnh về chuẩn bị tổ chức "
        "họp đánh giá kết quả thực hiện các chỉ số PAR INDEX, SIPAS, PCI, PAPI. Để chuẩn bị nội "
        "dung phiên họp Ban Chỉ đạo cải cách hành chính tỉnh"
    )
    assert preamble.endswith("Chủ tịch UBND huyện Bình Sơn yêu cầu:")
    # What item 2 of 2371 asks of the districts, asked of the offices in their own field (an
    # office has no territory), with the reporting period.
    assert task == (
        "1. Thủ trưởng các cơ quan, đơn vị nêu trên đánh giá kết quả công tác chỉ đạo, điều hành "
        "và triển khai cải cách hành chính thuộc lĩnh vực phụ trách từ ngày 15/12/2023 đến ngày "
        "15/5/2024, làm rõ trách nhiệm đối với các tiêu chí bị giảm điểm (nội dung tại mục 2 Công "
        "văn số 2371/UBND-TTHC); báo cáo kết quả gửi về UBND huyện Bình Sơn (qua Phòng Nội vụ) "
        "trước ngày 17/5/2024."
    )
    assert follow_up.startswith("2. Giao Phòng Nội vụ chủ trì, theo dõi, đôn đốc, tổng hợp")
    assert follow_up.endswith("báo cáo UBND tỉnh (qua Sở Nội vụ) trước ngày 20/5/2024.")
    assert (letter.signature, letter.signer) == (["CHỦ TỊCH"], "Nguyễn Tường Duy")
    assert letter.distribution == ["Như trên", "UBND tỉnh (b/c)", "Sở Nội vụ (b/c)"]
    assert letter.archive == ["VT", "NV"]
    _absent(letter, "Bình Sơn")


def test_a_district_never_tells_its_offices_to_instruct_the_districts(quang_ngai: Story) -> None:
    """Item 1 of 2268 is addressed to the departments and the districts; passed down by a
    district, it is addressed to its offices alone, in one sentence."""
    letter = quang_ngai.letter("qng:2268/UBND-TTHC:2024-05-06>qng.binh-son")
    assert letter.number == "Số: 1175/UBND-NV"
    assert letter.body[0] == (
        "Thực hiện Công văn số 2268/UBND-TTHC ngày 06/5/2024 của UBND tỉnh về triển khai khắc "
        "phục, nâng cao Chỉ số PAR INDEX, Chỉ số SIPAS trong năm 2024, Chủ tịch UBND huyện Bình "
        "Sơn yêu cầu:"
    )
    assert letter.body[1].startswith(
        "1. Thủ trưởng các cơ quan, đơn vị nêu trên tổ chức tuyên truyền, quán triệt về ý nghĩa"
    )
    assert "huyện, thị xã, thành phố" not in letter.text


def test_the_provincial_urging_letter_names_each_late_unit_once_and_never_its_sender(
    quang_ngai: Story,
) -> None:
    letter = quang_ngai.letter("don_doc:qng.snv:2024-05-21")
    assert letter.issuer == ["UBND TỈNH QUẢNG NGÃI", "SỞ NỘI VỤ"]
    assert letter.number == "Số: 1051/SNV-CCHC"
    assert letter.place_date == "Quảng Ngãi, ngày 21 tháng 5 năm 2024"
    assert letter.subject == (
        "đôn đốc báo cáo kết quả thực hiện Công văn số 2268/UBND-TTHC và Công văn số "
        "2371/UBND-TTHC của UBND tỉnh"
    )
    assert letter.recipients == [
        "Các sở: Tư pháp, Giao thông vận tải, Xây dựng, Thông tin và Truyền thông, Khoa học và "
        "Công nghệ, Ngoại vụ",
        "Thanh tra tỉnh",
        "Ban Dân tộc",
        "Ban Quản lý Khu kinh tế Dung Quất và các Khu công nghiệp Quảng Ngãi",
    ]
    _absent(letter, "Sở Nội vụ", "Nội vụ")
    assert letter.body[0].startswith(
        "Thực hiện Công văn số 2268/UBND-TTHC ngày 06/5/2024 của UBND tỉnh về triển khai khắc "
        "phục, nâng cao Chỉ số PAR INDEX"
    )
    assert "Công văn số 2371/UBND-TTHC ngày 13/5/2024 của UBND tỉnh về chuẩn bị" in letter.body[0]
    # Late on both letters: named once, under both items. The districts' reports upward went
    # up on 17/5; Sở Nội vụ's own part and its synthesis task are never urged.
    assert [p for p in letter.body if p.startswith("- ")] == [
        "- Mục 2 Công văn số 2268/UBND-TTHC (thời hạn trước ngày 20/5/2024) và mục 1 Công văn số "
        "2371/UBND-TTHC (thời hạn trước ngày 20/5/2024): Sở Xây dựng, Thanh tra tỉnh, Ban Dân "
        "tộc, Ban Quản lý Khu kinh tế Dung Quất và các Khu công nghiệp Quảng Ngãi.",
        "- Mục 2 Công văn số 2268/UBND-TTHC (thời hạn trước ngày 20/5/2024): Sở Tư pháp, Sở Giao "
        "thông vận tải, Sở Thông tin và Truyền thông, Sở Khoa học và Công nghệ, Sở Ngoại vụ.",
    ]
    assert letter.body[-1].startswith(
        "Để kịp thời tổng hợp, báo cáo UBND tỉnh, Sở Nội vụ đề nghị Giám đốc các sở, Chánh "
        "Thanh tra tỉnh, Trưởng ban Dân tộc,"
    )
    assert letter.body[-1].endswith("gửi báo cáo về Sở Nội vụ trước ngày 24/5/2024./.")
    assert (letter.signature, letter.signer) == (
        ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"],
        "Phạm Xuân Thắng",
    )
    assert letter.distribution == [
        "Như trên",
        "UBND tỉnh (b/c)",
        "Giám đốc, các Phó Giám đốc Sở",
    ]
    assert letter.archive == ["VT", "CCHC"]


def test_a_district_coordinator_urges_its_offices_to_answer_before_the_district_reports_up(
    quang_ngai: Story,
) -> None:
    """Ba Tơ's report to the province is due before 20/5 (Friday 17/5 is its last working
    day): on 17/5 its Phòng Nội vụ gives the two late offices until Monday 20/5, not a week."""
    letter = quang_ngai.letter("don_doc:qng.ba-to.pnv:2024-05-17")
    assert letter.issuer == ["UBND HUYỆN BA TƠ", "PHÒNG NỘI VỤ"]
    assert letter.number == "Số: 258/NV"
    assert letter.recipients == ["Thủ trưởng các Phòng: Tài nguyên và Môi trường, Dân tộc"]
    _absent(letter, "Phòng Nội vụ")
    assert not letter.addressed_to("Ba Tơ")
    assert letter.distribution == ["Như trên", "UBND huyện Ba Tơ (b/c)"]
    assert (
        "- Mục 1 Công văn số 1361/UBND-NV (thời hạn trước ngày 17/5/2024): Phòng Tài nguyên và "
        "Môi trường, Phòng Dân tộc." in letter.body
    )
    assert letter.body[-1].endswith(
        "gửi báo cáo về Phòng Nội vụ chậm nhất đến ngày 20 tháng 5 năm 2024./."
    )
    assert letter.signature == ["KT. TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG"] and letter.signer


def test_the_escalation_report_names_who_is_still_late_and_not_its_sender(
    quang_ngai: Story,
) -> None:
    letter = quang_ngai.letter("bao_cao_cham:qng.snv:>qng:2024-05-27")
    assert letter.number == "Số: 1052/BC-SNV"
    assert letter.recipients == ["Ủy ban nhân dân tỉnh Quảng Ngãi"]
    _absent(letter, "Sở Nội vụ")
    opening = letter.body[0]
    assert "Ngày 21/5/2024, Sở Nội vụ đã có Công văn số 1051/SNV-CCHC đôn đốc" in opening
    assert opening.endswith("Sở Nội vụ báo cáo tình hình như sau:")
    assert not any(p.endswith("yêu cầu:") for p in letter.body)
    # Sở Xây dựng and Thanh tra tỉnh reported on 2371 after the đôn đốc, not on 2268.
    assert "còn 7 cơ quan, đơn vị chưa gửi báo cáo:" in letter.text
    assert [p for p in letter.body if p.startswith("- ")] == [
        "- Mục 2 Công văn số 2268/UBND-TTHC (thời hạn trước ngày 20/5/2024) và mục 1 Công văn số "
        "2371/UBND-TTHC (thời hạn trước ngày 20/5/2024): Ban Dân tộc, Ban Quản lý Khu kinh tế "
        "Dung Quất và các Khu công nghiệp Quảng Ngãi.",
        "- Mục 2 Công văn số 2268/UBND-TTHC (thời hạn trước ngày 20/5/2024): Sở Xây dựng, Sở "
        "Thông tin và Truyền thông, Sở Khoa học và Công nghệ, Sở Ngoại vụ, Thanh tra tỉnh.",
    ]
    # Its own part of item 1 goes into its synthesis: nothing to own up to here.
    assert "Sở Nội vụ đang khẩn trương hoàn thành" not in letter.text
    assert letter.body[-1] == "Sở Nội vụ kính báo cáo UBND tỉnh xem xét, chỉ đạo./."
    assert (letter.signature, letter.signer) == (["GIÁM ĐỐC"], "Lê Ngọc Nam")
    assert letter.distribution == [
        "Như trên",
        "CT, các PCT UBND tỉnh (b/c)",
        "Giám đốc, các Phó Giám đốc Sở",
    ]


def test_a_districts_escalation_report_goes_to_its_district_committee(quang_ngai: Story) -> None:
    letter = quang_ngai.letter("bao_cao_cham:qng.son-tay.pnv:>qng.son-tay:2024-05-27")
    assert letter.issuer == ["UBND HUYỆN SƠN TÂY", "PHÒNG NỘI VỤ"]
    assert letter.number == "Số: 292/BC-NV"  # 291/NV was its đôn đốc of 17/5
    assert letter.recipients == ["Ủy ban nhân dân huyện Sơn Tây"]
    _absent(letter, "Phòng Nội vụ")
    assert "Phòng Nội vụ đề nghị UBND huyện Sơn Tây:" in letter.body
    assert "còn 2 cơ quan, đơn vị chưa gửi báo cáo:" in letter.text
    assert (
        "1. Phê bình Trưởng phòng Kinh tế và Hạ tầng, Chánh Thanh tra huyện chậm báo cáo kết quả "
        "thực hiện nhiệm vụ được giao." in letter.body
    )


def test_the_report_upward_agrees_with_the_synthesis(quang_ngai: Story) -> None:
    rollup = quang_ngai.letter(f"bao_cao_len:{BINH_SON}")
    assert rollup.number == "Số: 1177/BC-UBND"
    assert rollup.recipients == ["Sở Nội vụ tỉnh Quảng Ngãi"]
    assert rollup.signature == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert rollup.distribution == ["Như trên", "CT, các PCT UBND huyện"]
    # Its Phòng Nội vụ writes this report: it is neither counted nor listed as owing one.
    assert "11/11 cơ quan, đơn vị đã báo cáo (11 đúng hạn, 0 trễ hạn)" in rollup.text
    assert not any(p.startswith("- Phòng Nội vụ") for p in rollup.body)
    # A district whose offices had not all reported names them, without item numbers.
    son_tay = quang_ngai.letter("bao_cao_len:qng:2371/UBND-TTHC:2024-05-13>qng.son-tay")
    assert (
        "Các cơ quan, đơn vị chưa báo cáo: Thanh tra huyện, Phòng Kinh tế và Hạ tầng. UBND huyện "
        "Sơn Tây đã chỉ đạo Phòng Nội vụ tiếp tục đôn đốc và sẽ báo cáo bổ sung." in son_tay.body
    )
    synthesis = quang_ngai.letter("tong_hop:qng:2371/UBND-TTHC:2024-05-13:2024-05-27")
    appendix = synthesis.tables[-1]
    line = next(row for row in appendix if row[1] == "Ủy ban nhân dân huyện Bình Sơn")
    assert line[2:] == [
        "2",
        "Đã báo cáo",
        "17/5/2024 (đúng hạn)",
        "11/11 đơn vị trực thuộc đã báo cáo",
    ]


def test_the_synthesis_counts_agree_with_its_appendix_and_leave_out_its_sender(
    quang_ngai: Story,
) -> None:
    synthesis = quang_ngai.letter("tong_hop:qng:2371/UBND-TTHC:2024-05-13:2024-05-27")
    assert synthesis.number == "Số: 1053/BC-SNV"
    appendix = synthesis.tables[-1]
    assert [row[:2] for row in appendix if row[0] in ("I", "II")] == [
        ["I", "Sở, ban, ngành"],
        ["II", "UBND cấp huyện"],
    ]
    units = [row[1] for row in appendix if row[0].isdigit()]
    assert "Sở Nội vụ" not in units and len(units) == 32
    never = [row[1] for row in appendix if row[3] == "Chưa báo cáo"]
    assert never == [
        "Ban Dân tộc",
        "Ban Quản lý Khu kinh tế Dung Quất và các Khu công nghiệp Quảng Ngãi",
    ]
    assert (
        "Tổng số 32 việc được giao: 28 việc báo cáo đúng hạn (88%), 2 việc báo cáo trễ hạn, 2 "
        "việc chưa báo cáo." in synthesis.body
    )
    assert (
        "Đến ngày 27/5/2024, còn 2 việc chưa được báo cáo: Ban Dân tộc (mục 1)," in synthesis.text
    )
    assert (
        "Sau thời hạn báo cáo, Sở Nội vụ đã ban hành Công văn số 1051/SNV-CCHC ngày 21/5/2024 đôn "
        "đốc các cơ quan, đơn vị chưa báo cáo." in synthesis.body
    )
    # Items by what they ask for, whole; no text is cut off in a table.
    by_item = next(t for t in synthesis.tables if t[0][0] == "Mục")
    assert [row[1] for row in by_item[1:]] == [
        "Báo cáo kết quả thực hiện nhiệm vụ cải cách hành chính",
        "Báo cáo đánh giá kết quả cải cách hành chính của địa phương",
    ]
    assert synthesis.distribution == [
        "Như trên",
        "CT, các PCT UBND tỉnh (b/c)",
        "Giám đốc, các Phó Giám đốc Sở",
    ]


@pytest.mark.parametrize(
    "key",
    [
        BINH_SON,
        "don_doc:qng.snv:2024-05-21",
        "bao_cao_cham:qng.snv:>qng:2024-05-27",
        "bao_cao_cham:qng.son-tay.pnv:>qng.son-tay:2024-05-27",
        f"bao_cao_len:{BINH_SON}",
        "tong_hop:qng:2371/UBND-TTHC:2024-05-13:2024-05-27",
    ],
)
def test_no_signature_stands_alone_on_a_page_and_table_headings_stay_whole(
    quang_ngai: Story, key: str, tmp_path: Path
) -> None:
    if not (shutil.which("soffice") and shutil.which("pdftotext")):
        pytest.skip("LibreOffice (soffice) and poppler (pdftotext) are needed to lay letters out")
    letter = quang_ngai.letter(key)
    pages = pdf_pages(quang_ngai.path(key), tmp_path)
    signed = next(page for page in pages if letter.signer in page)
    last_words = " ".join(letter.body[-1].split()[:4])
    assert last_words in " ".join(signed.split()), "the signature's page has no body text"
    if key.startswith("tong_hop"):
        headers = [line.split() for page in pages for line in page.splitlines()]
        assert any(words[:2] == ["TT", "Cơ"] for words in headers)  # "TT" never broken
        assert any(words[:1] == ["Mục"] for words in headers)


# Two tiers (2025) -----------------------------------------------------------------------------

XA_BINH_SON = "qn:512/UBND-NC:2025-09-03>qn.binh-son"


def test_a_communes_implementing_letter_carries_the_reporting_period(two_tier: Story) -> None:
    letter = two_tier.letter(XA_BINH_SON)
    assert letter.issuer == ["ỦY BAN NHÂN DÂN", "XÃ BÌNH SƠN"]
    assert letter.number == "Số: 01/UBND-VHXH"
    assert letter.place_date == "Bình Sơn, ngày 03 tháng 9 năm 2025"
    assert letter.recipients == [
        "Thủ trưởng các Phòng: Kinh tế, Văn hóa - Xã hội",
        "Chánh Văn phòng HĐND và UBND xã",
    ]
    assert "chấm điểm của xã, Chủ tịch UBND xã Bình Sơn yêu cầu:" in letter.body[0]
    # Each office scores its own field, not the whole commune.
    assert letter.body[1] == (
        "1. Thủ trưởng các cơ quan, đơn vị nêu trên tự đánh giá, chấm điểm kết quả cải cách hành "
        "chính thuộc lĩnh vực phụ trách từ ngày 01/7/2025 đến ngày 31/8/2025, kèm hồ sơ, tài liệu "
        "kiểm chứng (nội dung tại mục 1 Công văn số 512/UBND-NC); báo cáo kết quả gửi về UBND xã "
        "Bình Sơn (qua Phòng Văn hóa - Xã hội) trước ngày 12/9/2025."
    )
    assert (letter.signature, letter.signer) == (["CHỦ TỊCH"], "Nguyễn Văn Thanh")
    _absent(letter, "xã Bình Sơn")


def test_a_ward_named_after_a_person_is_written_in_full_and_its_offices_one_per_line(
    two_tier: Story,
) -> None:
    letter = two_tier.letter("qn:512/UBND-NC:2025-09-03>qn.tqt")
    assert letter.place_date == "Phường Trương Quang Trọng, ngày 03 tháng 9 năm 2025"
    # "Kinh tế, Hạ tầng và Đô thị" has a comma of its own: it cannot share a list.
    assert letter.recipients == [
        "Trưởng phòng Kinh tế, Hạ tầng và Đô thị",
        "Trưởng phòng Văn hóa - Xã hội",
        "Chánh Văn phòng HĐND và UBND phường",
    ]


def test_the_provincial_urging_letter_groups_communes_by_kind_and_chases_cooperating_units(
    two_tier: Story,
) -> None:
    letter = two_tier.letter("don_doc:qn.snv:2025-09-16")
    assert letter.recipients == [
        "Các sở: Tài chính, Xây dựng, Y tế",
        "Văn phòng UBND tỉnh",
        "UBND các xã: Tịnh Khê, Sơn Tịnh",
        "Ủy ban nhân dân đặc khu Lý Sơn",
    ]
    _absent(letter, "Sở Nội vụ")
    # Item 3 asks that Văn phòng UBND tỉnh, cooperating, be chased too; item 2 does not.
    assert [p for p in letter.body if p.startswith("- ")] == [
        "- Mục 1 Công văn số 512/UBND-NC (thời hạn trước ngày 15/9/2025): UBND đặc khu Lý Sơn, "
        "UBND xã Tịnh Khê, UBND xã Sơn Tịnh.",
        "- Mục 3 Công văn số 512/UBND-NC (thời hạn trước ngày 15/9/2025): Sở Tài chính, Sở Xây "
        "dựng, Sở Y tế.",
        "- Phối hợp thực hiện mục 3 Công văn số 512/UBND-NC (thời hạn trước ngày 15/9/2025): Văn "
        "phòng UBND tỉnh.",
    ]
    assert "; Chánh Văn phòng UBND tỉnh phối hợp thực hiện, gửi báo cáo về" in letter.body[-1]
    assert (letter.signature, letter.signer) == (["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], "Lê Quang Vinh")


def test_cooperating_units_are_assigned_and_report_to_the_lead_unit(two_tier: Story) -> None:
    with Session(two_tier.store.engine) as session:
        roles = session.exec(
            select(
                AssignmentRecord.unit_code, AssignmentRecord.role, AssignmentRecord.report_to_code
            )
            .where(AssignmentRecord.role == "cooperating")
            .order_by(AssignmentRecord.unit_code)
        ).all()
    assert roles == [("qn.snv", "cooperating", "qn.stp"), ("qn.vpub", "cooperating", "qn.stc")]


def test_the_two_tier_synthesis_and_reports(two_tier: Story) -> None:
    synthesis = two_tier.letter("tong_hop:qn:512/UBND-NC:2025-09-03:2025-09-26")
    assert synthesis.issuer == ["UBND TỈNH QUẢNG NGÃI", "SỞ NỘI VỤ"]
    assert synthesis.recipients == ["Ủy ban nhân dân tỉnh Quảng Ngãi"]
    assert synthesis.signer == "Huỳnh Thị Thu Hà"
    rates = next(t for t in synthesis.tables if t[0][0] == "Nhóm đơn vị")
    assert [row[0] for row in rates[1:]] == ["UBND cấp xã", "Sở, ban, ngành"]
    assert "2 địa phương đã ban hành văn bản triển khai" in synthesis.text
    # Sent on 12/9, the commune's last working day before its deadline (before 15/9).
    rollup = two_tier.letter(f"bao_cao_len:{XA_BINH_SON}")
    assert rollup.place_date == "Bình Sơn, ngày 12 tháng 9 năm 2025"
    assert rollup.recipients == ["Sở Nội vụ tỉnh Quảng Ngãi"]
    assert "1/2 cơ quan, đơn vị đã báo cáo (1 đúng hạn, 0 trễ hạn)" in rollup.text
    assert rollup.signature == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert rollup.signer == "Lê Thị Hồng"


def test_an_office_words_a_letter_its_own_way_from_its_own_template_folder(
    database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CHIDAO_TEMPLATES: an office's file of the same name is used instead of chidao's."""
    own = tmp_path / "mau-rieng"
    own.mkdir()
    wording = (Path(__file__).parent.parent / "templates" / "trien_khai.txt.j2").read_text()
    own.joinpath("trien_khai.txt.j2").write_text(
        wording.replace("khẩn trương triển khai thực hiện./.", "nghiêm túc thực hiện./.")
    )
    monkeypatch.setenv("CHIDAO_TEMPLATES", str(own))
    issue_directive(spec_path=str(EXAMPLES / "quang-ngai-2371.yaml"), auto_release=True)
    store = Store.open()
    with Session(store.engine) as session:
        record = session.exec(select(LetterRecord).where(LetterRecord.key == BINH_SON)).one()
    letter = read(Path(os.environ["CHIDAO_HOME"]) / "documents" / record.path)
    assert letter.body[-1] == "Yêu cầu Thủ trưởng các cơ quan, đơn vị nghiêm túc thực hiện./."
