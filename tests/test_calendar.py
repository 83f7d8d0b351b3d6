"""Working days in Vietnam: weekends, public holidays (lunar ones included) and the government's
day swaps, and the exact moment each deadline form falls due (Asia/Ho_Chi_Minh)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pendulum
import pytest

from models.calendar import WorkingCalendar
from models.errors import InputError
from models.spec import Deadline

D = dt.date


@pytest.fixture(scope="module")
def calendar() -> WorkingCalendar:
    return WorkingCalendar.load()


def _off(calendar: WorkingCalendar, first: dt.date, last: dt.date) -> list[dt.date]:
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    return [d for d in days if not calendar.is_working_day(d)]


def test_tet_2024_is_off_from_8_to_14_february(calendar: WorkingCalendar) -> None:
    assert _off(calendar, D(2024, 2, 7), D(2024, 2, 15)) == [D(2024, 2, d) for d in range(8, 15)]


def test_tet_2025_is_off_from_25_january_to_2_february(calendar: WorkingCalendar) -> None:
    assert _off(calendar, D(2025, 1, 24), D(2025, 2, 3)) == [
        D(2025, 1, 25),
        D(2025, 1, 26),
        D(2025, 1, 27),
        D(2025, 1, 28),
        D(2025, 1, 29),
        D(2025, 1, 30),
        D(2025, 1, 31),
        D(2025, 2, 1),
        D(2025, 2, 2),
    ]


def test_30_april_and_1_may_with_the_swapped_saturday(calendar: WorkingCalendar) -> None:
    # 2024: Monday 29/4 off, worked back on Saturday 4/5.
    assert _off(calendar, D(2024, 4, 26), D(2024, 5, 6)) == [
        D(2024, 4, 27),
        D(2024, 4, 28),
        D(2024, 4, 29),
        D(2024, 4, 30),
        D(2024, 5, 1),
        D(2024, 5, 5),
    ]
    # 2025: Friday 2/5 off, worked back on Saturday 26/4.
    assert calendar.is_working_day(D(2025, 4, 26))
    assert not calendar.is_working_day(D(2025, 5, 2))


def test_national_day_takes_two_days(calendar: WorkingCalendar) -> None:
    assert _off(calendar, D(2024, 8, 30), D(2024, 9, 4)) == [
        D(2024, 8, 31),
        D(2024, 9, 1),
        D(2024, 9, 2),
        D(2024, 9, 3),
    ]
    assert _off(calendar, D(2025, 8, 29), D(2025, 9, 3)) == [
        D(2025, 8, 30),
        D(2025, 8, 31),
        D(2025, 9, 1),
        D(2025, 9, 2),
    ]


def test_working_days_skip_tet(calendar: WorkingCalendar) -> None:
    # Issued Wednesday 7/2/2024: 15, 16 and 19 February are the next three working days.
    deadline = Deadline(working_days=3)
    assert deadline.due_on(D(2024, 2, 7), calendar) == D(2024, 2, 19)
    assert calendar.add(D(2024, 2, 15), -1) == D(2024, 2, 7)


@pytest.mark.parametrize(
    ("deadline", "due_at"),
    [
        # "trước ngày 20/5/2024": due when 20 May begins; a report sent that day is late.
        (Deadline(before=D(2024, 5, 20)), "2024-05-20T00:00:00+07:00"),
        # "chậm nhất đến ngày 20/5/2024": 20 May counts; due when it ends.
        (Deadline(latest=D(2024, 5, 20)), "2024-05-21T00:00:00+07:00"),
        (Deadline(month="2024-06"), "2024-07-01T00:00:00+07:00"),
        # 5 working days from Friday 26/4/2024: 2, 3, 4 (swapped Saturday), 6 and 7 May.
        (Deadline(working_days=5), "2024-05-08T00:00:00+07:00"),
    ],
)
def test_every_deadline_form_falls_due_at_an_exact_moment_in_vietnam(
    deadline: Deadline, due_at: str, calendar: WorkingCalendar
) -> None:
    moment = deadline.due_at(D(2024, 4, 26), calendar)
    assert moment == pendulum.parse(due_at)
    assert moment.timezone_name == "Asia/Ho_Chi_Minh"


def test_day_swaps_come_from_a_data_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    swaps = tmp_path / "swaps.yaml"
    swaps.write_text(
        "working_days: []\ndays_off:\n  - {date: 2024-05-21, reason: Nghỉ bù theo quyết định}\n"
    )
    monkeypatch.setenv("CHIDAO_CALENDAR", str(swaps))
    assert not WorkingCalendar.load().is_working_day(D(2024, 5, 21))
    swaps.write_text("days_off:\n  - {date: 2024-02-30, reason: sai}\n")
    with pytest.raises(InputError, match=r"days_off\[1\]\.date.*2024-02-30"):
        WorkingCalendar.load()
