"""The deadline bands as May 2024 goes by for Sở Tư pháp (item 1. of Công văn 2371, due by the
end of 19/5), and the coordinator's board, live from the database: counts and rates per band,
per unit and per item, filters, the late units; accept, return, grant and refuse extensions;
and the notices each of them leaves for the unit."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlmodel import Session, col, select

from flows.cascade import issue_directive
from models import notices
from models.records import (
    AssignmentRecord,
    DirectiveRecord,
    ExtensionRecord,
    ItemRecord,
    NoticeRecord,
)
from models.states import Band
from models.vntext import in_vietnamese_order
from tests.conftest import EXAMPLES, Clock
from tests.portal_support import Browser, Story, assignment_of, story_fixture  # noqa: F401

pytestmark = pytest.mark.usefixtures("prefect_api")
PDF = b"%PDF-1.4 bao cao"


def _band(browser: Browser, assignment: int) -> str:
    page = browser.get(f"/viec/{assignment}").text  # type: ignore[attr-defined]
    return next(b.label for b in Band if f'class="band {b.value}">{b.label}<' in page)


def _people(story: Story) -> tuple[Browser, Browser, Browser]:
    clerk, head, coordinator = Browser(story.app), Browser(story.app), Browser(story.app)
    clerk.log_in("lan.stp")
    head.log_in("hung.stp")
    coordinator.log_in("binh.snv")
    return clerk, head, coordinator


def test_the_band_follows_the_calendar_and_the_reports(story: Story, clock: Clock) -> None:
    clerk, _, coordinator = _people(story)
    stp = assignment_of(story.store, "qng.stp")
    assert _band(clerk, stp) == "Chưa đến hạn"  # 13/5
    clock("2024-05-16T08:00")  # the reminder step: 2 working days before the due day
    assert _band(clerk, stp) == "Sắp đến hạn"
    clock("2024-05-20T08:00")
    assert _band(clerk, stp) == "Quá hạn"
    board = coordinator.get("/bang-theo-doi").text  # type: ignore[attr-defined]
    assert 'id="don-vi-qua-han"' in board and "Sở Tư pháp</a>: 1 việc quá hạn" in board
    files = [("files", ("bc.pdf", PDF, "application/pdf"))]
    answer = clerk.post(f"/viec/{stp}/bao-cao", {"text": "Báo cáo muộn"}, files=files)
    assert "Đã nhận báo cáo (trễ hạn)" in answer.text  # type: ignore[attr-defined]
    assert _band(coordinator, stp) == "Báo cáo trễ"
    answer = coordinator.post(f"/viec/{stp}/tra-lai", {"reason": "Thiếu số liệu quý I"})
    assert answer.status_code == 200  # type: ignore[attr-defined]
    assert _band(clerk, stp) == "Quá hạn"  # returned, and past its day: still owed and late
    clock("2024-05-13T09:00")
    assert _band(clerk, stp) == "Bị trả lại"  # before the due day a return shows as such


def test_an_extension_is_requested_by_the_head_and_granted_by_the_coordinator(
    story: Story, clock: Clock
) -> None:
    _, head, coordinator = _people(story)
    stp = assignment_of(story.store, "qng.stp")
    answer = head.post(f"/viec/{stp}/gia-han", {"until": "2024-05-24", "reason": "Chờ số liệu"})
    assert "Đã gửi đề nghị gia hạn" in answer.text  # type: ignore[attr-defined]
    again = head.post(f"/viec/{stp}/gia-han", {"until": "2024-05-27", "reason": "Lần nữa"})
    assert again.status_code == 409  # type: ignore[attr-defined]
    assert "đã có một đề nghị gia hạn đang chờ" in again.text  # type: ignore[attr-defined]
    board = coordinator.get("/bang-theo-doi").text  # type: ignore[attr-defined]
    assert "Đề nghị gia hạn chờ quyết định (1)" in board and "Chờ số liệu" in board
    refused = coordinator.post("/de-nghi/1", {"decision": "refuse", "note": ""})
    assert refused.status_code == 400  # type: ignore[attr-defined]
    assert "không đồng ý gia hạn phải ghi rõ lý do" in refused.text  # type: ignore[attr-defined]
    granted = coordinator.post("/de-nghi/1", {"decision": "grant"})
    assert "Đề nghị gia hạn chờ quyết định (0)" in granted.text  # type: ignore[attr-defined]
    assert "Đã đồng ý gia hạn; đơn vị được báo." in granted.text  # type: ignore[attr-defined]
    with Session(story.store.engine) as session:
        record = session.get(AssignmentRecord, stp)
        extension = session.exec(select(ExtensionRecord)).one()
    assert record is not None and record.due_on == dt.date(2024, 5, 24)
    assert "Phạm Văn Bình" in extension.actor and "qng.snv" in extension.actor
    assert _band(head, stp) == "Đã gia hạn"
    clock("2024-05-21T08:00")  # past the old day, before the new one
    assert _band(head, stp) == "Đã gia hạn"
    twice = coordinator.post("/de-nghi/1", {"decision": "refuse", "note": "x"})
    assert twice.status_code == 409  # type: ignore[attr-defined]
    notices.collect(story.store)
    with Session(story.store.engine) as session:
        subjects = session.exec(select(NoticeRecord.subject)).all()
    assert "Được gia hạn: 2371/UBND-TTHC, mục 1." in subjects


def test_the_board_counts_rates_per_unit_and_item_and_filters(story: Story, clock: Clock) -> None:
    clerk, _, coordinator = _people(story)
    stp = assignment_of(story.store, "qng.stp")
    files = [("files", ("bc.pdf", PDF, "application/pdf"))]
    clerk.post(f"/viec/{stp}/bao-cao", {"text": "Xong"}, files=files)
    board = coordinator.get("/bang-theo-doi").text  # type: ignore[attr-defined]
    assert "Tổng 34 việc:" in board
    assert "Đã báo cáo đúng hạn: 1 (3%)" in board and "Chưa đến hạn: 33 (97%)" in board
    # The unit filter lists the units on the board by name, in Vietnamese order.
    offered = re.findall(r'<option value="(qng[^"]*)" >([^<]*)</option>', board)
    assert ("qng.stp", "Sở Tư pháp") in offered
    assert len(offered) == 33  # 34 assignments: Sở Nội vụ has item 3. too
    names = [name for _, name in offered]
    assert names == sorted(names, key=in_vietnamese_order) and names[0] == "Ban Dân tộc"
    one_unit = coordinator.get("/bang-theo-doi?don_vi=qng.stp").text  # type: ignore[attr-defined]
    assert "Tổng 1 việc:" in one_unit
    assert '<option value="qng.stp" selected>Sở Tư pháp</option>' in one_unit
    by_band = coordinator.get("/bang-theo-doi?band=on_time").text  # type: ignore[attr-defined]
    assert "Tổng 1 việc:" in by_band and f'data-id="{stp}"' in by_band
    by_item = coordinator.get("/bang-theo-doi?muc=3.").text  # type: ignore[attr-defined]
    assert "Tổng 1 việc:" in by_item  # item 3. is Sở Nội vụ's own
    accepted = coordinator.post(f"/viec/{stp}/chap-nhan")
    assert "Đã chấp nhận báo cáo" in accepted.text  # type: ignore[attr-defined]
    board = coordinator.get("/bang-theo-doi").text  # type: ignore[attr-defined]
    assert "Đã được chấp nhận: 1 (3%)" in board
    clock("2024-05-21T08:00")
    board = coordinator.get("/bang-theo-doi").text  # type: ignore[attr-defined]
    assert "Quá hạn: 32 (94%)" in board  # every other lead and cooperating unit is late
    docs = coordinator.get("/van-ban").text  # type: ignore[attr-defined]
    assert "Dự thảo chờ phát hành" in docs


def test_the_filter_form_works_as_the_browser_sends_it(story: Story) -> None:
    _, _, coordinator = _people(story)
    # "Tất cả" sends an empty value; a coordinator types an item's number without its period.
    sent = coordinator.get("/bang-theo-doi?chi_dao=&don_vi=qng.stp&muc=&band=")
    assert sent.status_code == 200  # type: ignore[attr-defined]
    assert "Tổng 1 việc:" in sent.text  # type: ignore[attr-defined]
    typed = coordinator.get("/bang-theo-doi?chi_dao=&don_vi=&muc=3&band=").text  # type: ignore[attr-defined]
    assert "Tổng 1 việc:" in typed  # item 3. is Sở Nội vụ's own


def test_work_without_a_deadline_comes_last_and_takes_no_extension(story: Story) -> None:
    _, head, coordinator = _people(story)
    stp = assignment_of(story.store, "qng.stp")
    with Session(story.store.engine) as session:  # as an item that sets no deadline leaves it
        record = session.get(AssignmentRecord, stp)
        assert record is not None
        record.due_on = None
        session.add(record)
        session.commit()
    page = head.get(f"/viec/{stp}").text  # type: ignore[attr-defined]
    assert "Đề nghị gia hạn" not in page
    asked = head.post(f"/viec/{stp}/gia-han", {"until": "2024-05-24", "reason": "Chờ số liệu"})
    assert asked.status_code == 400  # type: ignore[attr-defined]
    assert "việc này không ghi hạn nên không cần gia hạn" in asked.text  # type: ignore[attr-defined]
    board = coordinator.get("/bang-theo-doi").text  # type: ignore[attr-defined]
    shown = re.findall(r'<tr data-id="(\d+)">', board)
    assert shown[-1] == str(stp) and len(shown) == 34  # the dated work first, most urgent first


def test_pages_are_not_kept_by_the_browser_after_logging_out(story: Story) -> None:
    clerk, _, _ = _people(story)
    inbox = clerk.get("/hop-viec")
    assert inbox.headers["cache-control"] == "no-store"  # type: ignore[attr-defined]


def test_the_assignment_page_shows_the_whole_item_with_its_sub_items(story: Story) -> None:
    issue_directive(spec_path=str(EXAMPLES / "quang-ngai-2268.yaml"), auto_release=False)
    clerk, _, _ = _people(story)
    with Session(story.store.engine) as session:  # Sở Tư pháp's item 2. of Công văn 2268
        target = session.exec(
            select(AssignmentRecord.id)
            .join(DirectiveRecord, col(DirectiveRecord.id) == col(AssignmentRecord.directive_id))
            .join(ItemRecord, col(ItemRecord.id) == col(AssignmentRecord.item_id))
            .where(col(DirectiveRecord.reference).startswith("2268/"))
            .where(AssignmentRecord.unit_code == "qng.stp", ItemRecord.label == "2.")
        ).one()
    page = clerk.get(f"/viec/{target}").text  # type: ignore[attr-defined]
    shown = page[page.index('<pre class="text">') :].split("</pre>")[0]
    assert "tại khoản 2 Điều 1 Quyết định số 380/QĐ-UBND ngày 28/3/2022" in shown
    assert "\na) Phân tích, đánh giá và làm rõ nguyên nhân giảm điểm" in shown
    assert "\nb) Nghiên cứu các kiến nghị" in shown
    assert "\nc) Kịp thời tham mưu UBND tỉnh" in shown and "trước ngày 20/5/2024" in shown
