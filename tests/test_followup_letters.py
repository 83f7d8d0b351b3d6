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
from models.directive import DirectiveSpec
from models.letters import waiting
from models.records import AssignmentRecord, LetterRecord
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
        for day in ("2025-09-16", "2025-09-22"):
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
    assert letter.number == "Số: 02/UBND-NV"  # 01 passed 2268 down on 6/5
    assert letter.subject == (
        "triển khai thực hiện Công văn số 2371/UBND-TTHC ngày 13/5/2024 của UBND tỉnh"
    )
    assert letter.recipients == [
        "Thủ trưởng các Phòng: Nội vụ, Tư pháp, Tài chính - Kế hoạch, Tài nguyên và Môi trường,"
        " Lao động - Thương binh và Xã hội, Văn hoá và Thông tin, Giáo dục và Đào tạo, Y tế, Kinh"
        " tế và Hạ tầng, Nông nghiệp và Phát triển nông thôn",
        "Văn phòng HĐND và UBND huyện",
        "Thanh tra huyện",
    ]
    preamble, task, follow_up = letter.body[:3]
    assert preamble.startswith(
        "Thực hiện Công văn số 2371/UBND-TTHC ngày 13/5/2024 của UBND tỉnh về chuẩn bị tổ chức "
        "họp đánh giá kết quả thực hiện các chỉ số PAR INDEX, SIPAS, PCI, PAPI. Để chuẩn bị nội "
        "dung phiên họp Ban Chỉ đạo cải cách hành chính tỉnh"
    )
    assert preamble.endswith("Chủ tịch UBND huyện Bình Sơn yêu cầu:")
    # What item 2 of 2371 asks of the districts, now asked of Bình Sơn's own units.
    assert task == (
        "1. Thủ trưởng các cơ quan, đơn vị nêu trên đánh giá kết quả công tác chỉ đạo, điều hành "
        "và triển khai cải cách hành chính trên địa bàn, làm rõ trách nhiệm đối với các tiêu chí "
        "bị giảm điểm (nội dung tại mục 2 Công văn số 2371/UBND-TTHC); báo cáo kết quả gửi về "
        "UBND huyện Bình Sơn (qua Phòng Nội vụ) trước ngày 17/5/2024."
    )
    assert follow_up.startswith("2. Giao Phòng Nội vụ chủ trì, theo dõi, đôn đốc, tổng hợp")
    assert follow_up.endswith("báo cáo UBND tỉnh (qua Sở Nội vụ) trước ngày 20/5/2024.")
    assert (letter.signature, letter.signer) == (["CHỦ TỊCH"], "Nguyễn Tường Duy")
    assert letter.distribution == ["Như trên", "UBND tỉnh (b/c)", "Sở Nội vụ (b/c)"]
    assert letter.archive == ["VT", "NV"]
    _absent(letter, "Bình Sơn")


def test_the_provincial_urging_letter_names_the_late_units_and_never_its_sender(
    quang_ngai: Story,
) -> None:
    letter = quang_ngai.letter("don_doc:qng.snv:2024-05-21")
    assert letter.issuer == ["UBND TỈNH QUẢNG NGÃI", "SỞ NỘI VỤ"]
    assert letter.number == "Số: 01/SNV-CCHC"
    assert letter.place_date == "Quảng Ngãi, ngày 21 tháng 5 năm 2024"
    # Sở Tư pháp reported on 2371 on time, but not yet on item 2 of 2268.
    assert letter.recipients[0].startswith("Các sở: Tư pháp, Kế hoạch và Đầu tư, Tài chính,")
    assert letter.recipients[1] == (
        "Văn phòng UBND tỉnh, Thanh tra tỉnh, Ban Dân tộc, Ban Quản lý Khu kinh tế Dung Quất và "
        "các Khu công nghiệp Quảng Ngãi"
    )
    assert len(letter.recipients) == 2  # the districts' reports upward went up on 17/5
    _absent(letter, "Sở Nội vụ", "Nội vụ")
    assert letter.body[0].startswith(
        "Thực hiện Công văn số 2268/UBND-TTHC ngày 06/5/2024 của UBND tỉnh về triển khai khắc "
        "phục, nâng cao Chỉ số PAR INDEX"
    )
    assert "Công văn số 2371/UBND-TTHC ngày 13/5/2024 của UBND tỉnh về chuẩn bị" in letter.body[0]
    late = [p for p in letter.body if p.startswith("- Mục")]
    assert all("Sở Nội vụ" not in p for p in late)  # its own work is never urged by itself
    item_1 = next(p for p in late if p.startswith("- Mục 1 Công văn số 2371/UBND-TTHC"))
    assert "(thời hạn trước ngày 20/5/2024)" in item_1
    assert "Sở Tư pháp" not in item_1 and "Sở Y tế" not in item_1  # they reported on time
    assert "Sở Tài chính" in item_1
    assert not any("Mục 3 Công văn số 2371" in p for p in late)  # the synthesis task
    assert letter.body[-1].startswith(
        "Để kịp thời tổng hợp, báo cáo UBND tỉnh, Sở Nội vụ đề nghị Giám đốc các sở,"
    )
    assert letter.body[-1].endswith("gửi báo cáo về Sở Nội vụ trước ngày 24/5/2024./.")
    assert (letter.signature, letter.signer) == (
        ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"],
        "Phạm Xuân Thắng",
    )
    assert letter.distribution == ["Như trên", "UBND tỉnh (b/c)"]
    assert letter.archive == ["VT", "CCHC"]


def test_a_district_coordinator_urges_its_own_offices_not_its_district(quang_ngai: Story) -> None:
    letter = quang_ngai.letter("don_doc:qng.binh-son.pnv:2024-05-17")
    assert letter.issuer == ["UBND HUYỆN BÌNH SƠN", "PHÒNG NỘI VỤ"]
    assert letter.number == "Số: 01/NV"
    assert letter.recipients == [
        "Thủ trưởng các Phòng: Tài nguyên và Môi trường, Lao động - Thương binh và Xã hội, "
        "Nông nghiệp và Phát triển nông thôn"
    ]
    _absent(letter, "Phòng Nội vụ")
    assert not letter.addressed_to("Bình Sơn")
    assert letter.distribution == ["Như trên", "UBND huyện Bình Sơn (b/c)"]
    assert "Mục 1 Công văn số 02/UBND-NV (thời hạn trước ngày 17/5/2024)" in letter.text
    assert letter.signature == ["KT. TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG"] and letter.signer


def test_the_escalation_report_reports_to_the_issuer_and_owns_up_to_its_own_late_work(
    quang_ngai: Story,
) -> None:
    letter = quang_ngai.letter("bao_cao_cham:qng.snv:>qng:2024-05-27")
    assert letter.number == "Số: 02/BC-SNV"
    assert letter.recipients == ["Ủy ban nhân dân tỉnh Quảng Ngãi"]
    _absent(letter, "Sở Nội vụ")
    opening = letter.body[0]
    assert "Ngày 21/5/2024, Sở Nội vụ đã có Công văn số 01/SNV-CCHC đôn đốc" in opening
    assert opening.endswith("Sở Nội vụ báo cáo tình hình như sau:")
    assert not any(p.endswith("yêu cầu:") for p in letter.body)
    item_1 = next(p for p in letter.body if p.startswith("- Mục 1 Công văn số 2371/UBND-TTHC"))
    assert "Sở Xây dựng" not in item_1 and "Sở Tài chính" in item_1
    assert "Sở Nội vụ" not in item_1
    own = next(p for p in letter.body if p.startswith("Đối với nhiệm vụ của mình, Sở Nội vụ"))
    assert "mục 1 Công văn số 2371/UBND-TTHC (thời hạn trước ngày 20/5/2024)" in own
    assert letter.body[-1] == "Sở Nội vụ kính báo cáo UBND tỉnh xem xét, chỉ đạo./."
    assert (letter.signature, letter.signer) == (["GIÁM ĐỐC"], "Lê Ngọc Nam")


def test_a_districts_escalation_report_goes_to_its_district_committee(quang_ngai: Story) -> None:
    letter = quang_ngai.letter("bao_cao_cham:qng.binh-son.pnv:>qng.binh-son:2024-05-27")
    assert letter.issuer == ["UBND HUYỆN BÌNH SƠN", "PHÒNG NỘI VỤ"]
    assert letter.recipients == ["Ủy ban nhân dân huyện Bình Sơn"]
    _absent(letter, "Phòng Nội vụ")
    assert "Phòng Nội vụ đề nghị UBND huyện Bình Sơn:" in letter.body
    assert "còn 3 cơ quan, đơn vị chưa gửi báo cáo" in letter.text


def test_the_report_upward_agrees_with_the_synthesis(quang_ngai: Story) -> None:
    rollup = quang_ngai.letter(f"bao_cao_len:{BINH_SON}")
    assert rollup.recipients == ["Sở Nội vụ"]
    assert rollup.signature == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert "9/12 cơ quan, đơn vị đã báo cáo (9 đúng hạn, 0 trễ hạn)" in rollup.text
    synthesis = quang_ngai.letter("tong_hop:qng:2371/UBND-TTHC:2024-05-13:2024-05-27")
    line = next(row for row in synthesis.tables[-1] if row[1] == "Ủy ban nhân dân huyện Bình Sơn")
    assert line[2:] == [
        "2",
        "Đã báo cáo, chờ xem xét",
        "17/5/2024 (đúng hạn)",
        "9/12 đơn vị trực thuộc đã báo cáo",
    ]


@pytest.mark.parametrize(
    "key",
    [
        BINH_SON,
        "don_doc:qng.snv:2024-05-21",
        "bao_cao_cham:qng.snv:>qng:2024-05-27",
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
    assert letter.recipients == [
        "Thủ trưởng các Phòng: Kinh tế, Văn hóa - Xã hội",
        "Văn phòng HĐND và UBND xã",
    ]
    assert letter.body[1] == (
        "1. Thủ trưởng các cơ quan, đơn vị nêu trên tự đánh giá, chấm điểm kết quả cải cách hành "
        "chính của địa phương từ ngày 01/7/2025 đến ngày 31/8/2025, kèm hồ sơ, tài liệu kiểm chứng"
        " (nội dung tại mục 1 Công văn số 512/UBND-NC); báo cáo kết quả gửi về UBND xã Bình Sơn "
        "(qua Phòng Văn hóa - Xã hội) trước ngày 12/9/2025."
    )
    assert (letter.signature, letter.signer) == (["CHỦ TỊCH"], "Nguyễn Văn Sáu")
    _absent(letter, "xã Bình Sơn")


def test_the_provincial_urging_letter_groups_communes_and_chases_cooperating_units_on_request(
    two_tier: Story,
) -> None:
    letter = two_tier.letter("don_doc:qn.snv:2025-09-16")
    assert letter.recipients == [
        "Các sở: Tài chính, Xây dựng, Y tế",
        "Văn phòng UBND tỉnh",
        "UBND các xã, đặc khu: Lý Sơn, Tịnh Khê, Sơn Tịnh",
    ]
    _absent(letter, "Sở Nội vụ")
    item_3 = next(p for p in letter.body if p.startswith("- Mục 3 Công văn số 512/UBND-NC"))
    # Item 3 asks that Văn phòng UBND tỉnh, cooperating, be chased too; item 2 does not.
    assert item_3.endswith(
        "Sở Tài chính, Sở Xây dựng, Sở Y tế; đơn vị phối hợp: Văn phòng UBND tỉnh."
    )
    assert not any(p.startswith("- Mục 2") for p in letter.body)
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
    rollup = two_tier.letter(f"bao_cao_len:{XA_BINH_SON}")
    assert rollup.recipients == ["Sở Nội vụ"]
    assert "1/3 cơ quan, đơn vị đã báo cáo (1 đúng hạn, 0 trễ hạn)" in rollup.text
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
