"""Workflows from the portal are Prefect flow runs followed on their page: the coordinator
issues a directive by uploading the received letter (read into a spec, shown as a form to
check and correct, then issued by "Phát hành chỉ đạo"), and a district's coordinator releases
its drafts (numbered from its register by "Phát hành văn bản")."""

from __future__ import annotations

import time

import pytest
from sqlmodel import Session, select

from models import accounts
from models.directive import Directive
from models.records import DirectiveRecord, LetterRecord, PortalRunRecord
from renderer import render
from tests.conftest import EXAMPLES
from tests.portal_support import PASSWORD, Browser, Story, story_fixture  # noqa: F401

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
    form = coordinator.post("/phat-hanh-moi/doc", files=files)
    text = form.text  # type: ignore[attr-defined]
    assert form.status_code == 200 and 'name="spec"' in text  # type: ignore[attr-defined]
    assert "Các nhiệm vụ như đã đọc" in text and "Mục 1." in text
    import html
    import re

    spec = html.unescape(re.search(r'name="spec">(.*?)</textarea>', text, re.S).group(1))  # type: ignore[union-attr]
    assert "number: 2268" in spec
    broken = spec.replace("number: 2268", "number: hai nghìn")
    refused = coordinator.post("/phat-hanh-moi/phat-hanh", {"spec": broken})
    assert refused.status_code == 400  # type: ignore[attr-defined]
    assert "«number»" in refused.text  # type: ignore[attr-defined]
    corrected = spec.replace("subject: ", "subject: (đã kiểm tra) ", 1)
    answer = coordinator.post("/phat-hanh-moi/phat-hanh", {"spec": corrected})
    assert answer.status_code == 200 and "Phát hành 2268/UBND-TTHC" in answer.text  # type: ignore[attr-defined]
    run = _finished(story)
    assert run.state == "completed", run.message
    with Session(story.store.engine) as session:
        issued = session.exec(
            select(DirectiveRecord).where(DirectiveRecord.reference == "2268/UBND-TTHC")
        ).one()
    assert issued.subject.startswith("(đã kiểm tra)")
    page = coordinator.get(f"/luot-chay/{run.id}").text  # type: ignore[attr-defined]
    assert "Hoàn thành" in page


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
