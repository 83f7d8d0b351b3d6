"""Workflows from the portal are Prefect flow runs followed on their page: the coordinator
issues a directive by uploading the received letter (read into a spec, shown as a form to
check and correct, then issued by "Phát hành chỉ đạo"), and a district's coordinator releases
its drafts (numbered from its register by "Phát hành văn bản")."""

from __future__ import annotations

import datetime as dt
import html
import time

import pytest
from sqlmodel import Session, select

from models import accounts
from models.directive import Directive
from models.records import (
    AssignmentRecord,
    DirectiveRecord,
    ItemRecord,
    LetterRecord,
    PortalRunRecord,
)
from models.vntext import short_date
from renderer import render
from tests.conftest import EXAMPLES
from tests.portal_support import (  # noqa: F401
    PASSWORD,
    Browser,
    Story,
    form_fields,
    rows,
    story_fixture,
)

pytestmark = pytest.mark.usefixtures("prefect_api")


def _finished(story: Story, seconds: float = 120) -> PortalRunRecord:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with Session(story.store.engine) as session:
            run = session.exec(select(PortalRunRecord).order_by(PortalRunRecord.id.desc())).first()  # type: ignore[union-attr]
        if run is not None and run.state != "running":
            return run
        time.sleep(0.5)
    raise AssertionError("the workflow did not finish")


def test_issuing_a_received_letter_checked_and_corrected_on_a_form(
    story: Story, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHIDAO_ORG", str(EXAMPLES / "org" / "quang-ngai.yaml"))
    letter = render(Directive.load(EXAMPLES / "quang-ngai-2268.yaml")).data
    coordinator = Browser(story.app)
    coordinator.log_in("binh.snv")
    coordinator.get("/phat-hanh-moi")
    files = {"letter": ("cong-van-2268.docx", letter, "application/octet-stream")}
    page = coordinator.post("/phat-hanh-moi/doc", files=files).text  # type: ignore[attr-defined]
    for part in ("Thông tin văn bản", "Nơi nhận văn bản (Kính gửi)", "Căn cứ", "Các nhiệm vụ"):
        assert f"<legend>{part}</legend>" in page
    read = form_fields(page, "kiem-tra")
    # The form shows what the letter says, in the tree's words, field by field.
    assert read["number"] == "2268" and read["issued_on"] == "06/5/2024"
    assert read["subject"].startswith("triển khai khắc phục, nâng cao Chỉ số PAR INDEX")
    assert read["recipients"].splitlines()[0] == "Các sở, ban, ngành tỉnh"
    assert read["items.1.lead"] == "Các sở, ban, ngành tỉnh"
    assert (read["items.1.deadline"], read["items.1.deadline.detail"]) == ("before", "20/5/2024")
    assert read["basis.0.number"] == "84/BC-SNV" and read["basis.0.date"] == "22/4/2024"
    assert read["signer.authority"] == "KT" and read["signer.name"] == "Trần Hoàng Tuấn"
    assert "checked" not in read  # "chưa kiểm tra" until the person says otherwise

    before = rows(story.store, DirectiveRecord)
    # Two wrong fields are both named, by their label on the form, and kept as typed.
    wrong = {**read, "number": "hai nghìn", "items.2.lead": "Sở Nội vụu", "checked": "1"}
    refused = coordinator.post("/phat-hanh-moi/phat-hanh", wrong)
    assert refused.status_code == 400  # type: ignore[attr-defined]
    said = html.unescape(refused.text)  # type: ignore[attr-defined]
    assert "Số văn bản — «hai nghìn»: phải là số nguyên dương" in said
    assert "Mục 3. — Đơn vị chủ trì — «Sở Nội vụu»: không có trong cây tổ chức" in said
    assert '<p class="field-error">«Sở Nội vụu»: không có trong cây tổ chức' in said  # beside it
    assert form_fields(refused.text, "kiem-tra")["number"] == "hai nghìn"  # type: ignore[attr-defined]

    # Corrected but not ticked as checked: still refused, nothing issued.
    fixed = {
        **read,
        "subject": "(đã kiểm tra) " + read["subject"],
        "items.1.deadline": "latest",
        "items.1.deadline.detail": "24/5/2024",
        "items.2.cooperating": "Sở Tư pháp\nVăn phòng UBND tỉnh",
    }
    unticked = coordinator.post("/phat-hanh-moi/phat-hanh", fixed)
    assert unticked.status_code == 400  # type: ignore[attr-defined]
    assert "Tôi đã kiểm tra — «chưa đánh dấu»" in html.unescape(unticked.text)  # type: ignore[attr-defined]
    assert rows(story.store, DirectiveRecord) == before  # nothing issued

    answer = coordinator.post("/phat-hanh-moi/phat-hanh", {**fixed, "checked": "1"})
    assert answer.status_code == 200 and "Phát hành 2268/UBND-TTHC" in answer.text  # type: ignore[attr-defined]
    run = _finished(story)
    assert run.state == "completed", run.message
    with Session(story.store.engine) as session:
        issued = session.exec(
            select(DirectiveRecord).where(DirectiveRecord.reference == "2268/UBND-TTHC")
        ).one()
        item = session.exec(
            select(ItemRecord).where(ItemRecord.directive_id == issued.id, ItemRecord.label == "2.")
        ).one()
        helpers = session.exec(
            select(AssignmentRecord.unit_code).where(
                AssignmentRecord.directive_id == issued.id, AssignmentRecord.role == "cooperating"
            )
        ).all()
    assert issued.subject.startswith("(đã kiểm tra)")
    issued_count = rows(story.store, DirectiveRecord)
    assert (
        item.due_on == dt.date(2024, 5, 24)
        and item.deadline == "chậm nhất đến ngày 24 tháng 5 năm 2024"
    )
    assert sorted(set(helpers)) == ["qng.stp", "qng.vpub"]
    page = coordinator.get(f"/luot-chay/{run.id}").text  # type: ignore[attr-defined]
    assert "Hoàn thành" in page
    with Session(story.store.engine) as session:  # the districts' implementing drafts
        drafts = session.exec(
            select(DirectiveRecord).where(
                DirectiveRecord.parent_id == issued.id, DirectiveRecord.state == "draft"
            )
        ).all()
    assert drafts  # the run says what was released and what waits, not "14 issued"
    said = f"Đã ghi nhận {len(drafts) + 1} văn bản: 1 đã phát hành, {len(drafts)} dự thảo"
    assert said in page

    # The same letter received again: the form says it is already issued, and keeps saying so
    # after a refused submit; issuing it with other content is refused by the letter's number.
    page = coordinator.post("/phat-hanh-moi/doc", files=files).text  # type: ignore[attr-defined]
    already = "văn bản này đã được phát hành trên chidao ngày"
    assert already in page
    again = coordinator.post(
        "/phat-hanh-moi/phat-hanh", {**form_fields(page, "kiem-tra"), "checked": "1"}
    )
    said = html.unescape(again.text)  # type: ignore[attr-defined]
    assert again.status_code == 400 and already in said  # type: ignore[attr-defined]
    assert "Số văn bản — «2268/UBND-TTHC»: đã được phát hành trên chidao ngày" in said
    assert rows(story.store, DirectiveRecord) == issued_count


def test_a_district_coordinator_releases_its_draft_which_takes_a_number(story: Story) -> None:
    accounts.add_account(
        story.store,
        "tam.pnv",
        "Đặng Văn Tâm",
        "qng.binh-son.pnv",
        "coordinator",
        PASSWORD,
        None,
        "test",
    )
    district = Browser(story.app)
    district.log_in("tam.pnv")
    page = district.get("/van-ban").text  # type: ignore[attr-defined]
    assert "Dự thảo chờ phát hành (1)" in page
    with Session(story.store.engine) as session:
        draft = session.exec(
            select(LetterRecord).where(LetterRecord.issuer_code == "qng.binh-son")
        ).one()
    assert draft.number is None
    other = Browser(story.app)
    other.log_in("binh.snv")  # the province's coordinator does not release a district's letter
    other.get("/van-ban")
    assert other.post("/van-ban/phat-hanh", {"key": draft.key}).status_code == 403  # type: ignore[attr-defined]
    answer = district.post("/van-ban/phat-hanh", {"key": draft.key})
    assert answer.status_code == 200  # type: ignore[attr-defined]
    run = _finished(story)
    assert run.state == "completed", run.message
    with Session(story.store.engine) as session:
        released = session.get(LetterRecord, draft.id)
    assert released is not None and released.number == 1 and released.state == "released"
    assert released.released_by == "Đặng Văn Tâm"
    # The run's page tells the district the number and date its letter took.
    page = district.get(f"/luot-chay/{run.id}").text  # type: ignore[attr-defined]
    assert f"Đã phát hành: {released.reference} ngày {short_date(released.issued_on)}." in page
    assert released.reference.startswith("01/")
