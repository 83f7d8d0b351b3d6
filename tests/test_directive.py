"""What a directive spec means: its tasks, deadlines, dates and symbols, as chidao reads them."""

from __future__ import annotations

import datetime as dt

import pytest

from models.calendar import WorkingCalendar
from models.cascade import internal_deadline
from models.directive import Directive
from models.errors import InputError
from models.spec import Deadline
from models.vntext import long_date, roman, short_date
from tests.conftest import EXAMPLES


@pytest.fixture(scope="module")
def quang_ngai() -> Directive:
    return Directive.load(EXAMPLES / "quang-ngai-2268.yaml")


@pytest.fixture(scope="module")
def binh_son() -> Directive:
    return Directive.load(EXAMPLES / "binh-son-2024.yaml")


def test_the_provincial_letter_assigns_three_tasks(quang_ngai: Directive) -> None:
    tasks = quang_ngai.tasks()
    assert [t.label for t in tasks] == ["1.", "2.", "3."]
    everyone, departments, home_affairs = tasks
    # 20 departments, 5 central agencies, 13 districts / town / city.
    assert len(everyone.lead) == 38 and everyone.deadline is None
    assert len(departments.lead) == 20
    assert departments.deadline == Deadline(before=dt.date(2024, 5, 20))
    assert departments.report_to.name == "Sở Nội vụ"
    assert [u.name for u in home_affairs.lead] == ["Sở Nội vụ"]


def test_sub_items_with_their_own_deadlines_become_tasks(binh_son: Directive) -> None:
    tasks = binh_son.tasks()
    assert [t.label for t in tasks] == ["1.", "2.(1)", "2.(2)", "3."]
    report, synthesis, meeting, venue = tasks
    assert len(report.lead) == 9 and report.deadline == Deadline(before=dt.date(2024, 5, 17))
    assert report.report_to.name == "Phòng Nội vụ"
    assert [u.name for u in synthesis.lead] == ["Phòng Nội vụ"]
    assert synthesis.deadline == Deadline(before=dt.date(2024, 5, 20))
    assert meeting.deadline == Deadline(month="2024-06")
    # No report_to written: reports go to the issuer's coordinator.
    assert venue.report_to.name == "Phòng Nội vụ"


def test_a_unit_never_cooperates_on_the_task_it_leads() -> None:
    plan = Directive.load(EXAMPLES / "dong-ha-ke-hoach-2024.yaml")
    first = plan.tasks()[0]
    assert first.lead[0] not in first.cooperating
    assert len(first.cooperating) == 11


@pytest.mark.parametrize(
    ("deadline", "phrase"),
    [
        (Deadline(before=dt.date(2024, 5, 20)), "trước ngày 20/5/2024"),
        (Deadline(latest=dt.date(2023, 6, 9)), "chậm nhất đến ngày 09 tháng 6 năm 2023"),
        (Deadline(month="2024-06"), "trong tháng 6/2024"),
        (Deadline(month="2024-02"), "trong tháng 02/2024"),
        (Deadline(working_days=10), "trong thời hạn 10 ngày làm việc kể từ ngày ký văn bản"),
    ],
)
def test_each_deadline_form_is_written_as_documents_write_it(
    deadline: Deadline, phrase: str
) -> None:
    assert deadline.phrase() == phrase


def test_dates_take_leading_zeros_for_small_days_and_january_february() -> None:
    assert long_date(dt.date(2024, 5, 6)) == "ngày 06 tháng 5 năm 2024"
    assert long_date(dt.date(2024, 1, 15)) == "ngày 15 tháng 01 năm 2024"
    assert long_date(dt.date(2024, 12, 20)) == "ngày 20 tháng 12 năm 2024"
    assert short_date(dt.date(2024, 1, 9)) == "09/01/2024"
    assert short_date(dt.date(2024, 4, 22)) == "22/4/2024"


def test_section_numerals_are_roman() -> None:
    assert [roman(n) for n in (1, 2, 3, 4, 9, 14)] == ["I", "II", "III", "IV", "IX", "XIV"]


def test_symbols_follow_the_kind_of_document(quang_ngai: Directive, binh_son: Directive) -> None:
    assert quang_ngai.reference == "2268/UBND-TTHC"
    assert binh_son.is_draft and binh_son.reference == "/UBND-TTHC"
    plan = Directive.load(EXAMPLES / "dong-ha-ke-hoach-2024.yaml")
    assert plan.symbol == "KH-UBND"


@pytest.mark.parametrize(
    ("field", "ref", "words"),
    [
        ("items[1].lead[1]", "qng", "đơn vị chủ trì không được là chính cơ quan ban hành"),
        ("recipients[1].units[1]", "qng", "nơi nhận (Kính gửi) không được là chính cơ quan"),
    ],
)
def test_a_letter_never_gives_work_to_or_addresses_its_own_issuer(
    quang_ngai: Directive, field: str, ref: str, words: str
) -> None:
    spec = quang_ngai.spec
    if field.startswith("items"):
        items = [spec.items[0].model_copy(update={"lead": [ref]}), *spec.items[1:]]
        spec = spec.model_copy(update={"items": items})
    else:
        recipients = [spec.recipients[0].model_copy(update={"units": [ref]}), *spec.recipients[1:]]
        spec = spec.model_copy(update={"recipients": recipients})
    with pytest.raises(InputError) as refused:
        Directive(spec, quang_ngai.org, "2268.yaml")
    (problem,) = refused.value.problems
    assert (problem.field, problem.value) == (field, ref) and words in problem.message


@pytest.mark.parametrize(
    ("deadline", "due"),
    [
        (Deadline(before=dt.date(2024, 5, 20)), dt.date(2024, 5, 19)),
        (Deadline(latest=dt.date(2024, 5, 20)), dt.date(2024, 5, 20)),
        (Deadline(month="2024-12"), dt.date(2024, 12, 31)),
        (Deadline(month="2024-02"), dt.date(2024, 2, 29)),
        # Issued Friday 26/4/2024: 29/4 (swapped day off), 30/4 and 1/5 are not working days.
        (Deadline(working_days=2), dt.date(2024, 5, 3)),
    ],
)
def test_the_due_day_is_the_last_day_a_report_is_on_time(deadline: Deadline, due: dt.date) -> None:
    assert deadline.due_on(dt.date(2024, 4, 26), WorkingCalendar()) == due


@pytest.mark.parametrize(
    ("own", "lead_days", "internal"),
    [
        # Seed 002: the district reports before 20/5, its offices before 17/5 (Friday).
        (Deadline(before=dt.date(2024, 5, 20)), 1, Deadline(before=dt.date(2024, 5, 17))),
        # Before 2/5/2024: 1/5, 30/4 and 29/4 are days off, so one working day earlier is 26/4.
        (Deadline(before=dt.date(2024, 5, 2)), 1, Deadline(before=dt.date(2024, 4, 26))),
        # Within June 2024 (last working day Friday 28/6), three working days ahead.
        (Deadline(month="2024-06"), 3, Deadline(latest=dt.date(2024, 6, 25))),
    ],
)
def test_a_district_sets_its_offices_an_earlier_deadline_in_working_days(
    own: Deadline, lead_days: int, internal: Deadline
) -> None:
    calendar = WorkingCalendar()
    assert internal_deadline(own, dt.date(2024, 4, 20), calendar, lead_days) == internal


def test_a_letter_passed_down_too_late_for_the_lead_days_gives_the_shortest_time() -> None:
    # Bình Sơn passes 2371 (due before 20/5) down only on Friday 17/5: "before 17/5" is gone,
    # so its offices get two working days from the letter's date instead.
    own = Deadline(before=dt.date(2024, 5, 20))
    internal = internal_deadline(own, dt.date(2024, 5, 17), WorkingCalendar(), 1)
    assert internal == Deadline(working_days=2)
    assert internal.phrase() == "trong thời hạn 02 ngày làm việc kể từ ngày ký văn bản"


def test_a_task_reads_whole_with_the_sub_items_that_belong_to_it(quang_ngai: Directive) -> None:
    task = next(t for t in quang_ngai.tasks() if t.label == "2.")
    lines = quang_ngai.task_text(task).split("\n")
    assert lines[0].startswith("Giao các sở, ban, ngành chủ trì") and lines[0].endswith(":")
    assert [line[:3] for line in lines[1:]] == ["a) ", "b) ", "c) "]
    assert "a) Phân tích, đánh giá và làm rõ nguyên nhân giảm điểm" in lines[1]
    # The sub-item's own {deadline} is the item's, filled in as the letter prints it.
    assert lines[3].endswith("Thời hạn hoàn thành **trước ngày 20/5/2024**.")
