"""Working days in Vietnam: Monday–Friday less public holidays (Labour Code 2019, art. 112),
from the `holidays` package's Vietnam calendar (lunar Tết and Hùng Kings included), corrected
by the government's day swaps from a data file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cached_property, lru_cache
from pathlib import Path

import holidays
import pendulum
from pydantic import BaseModel, ConfigDict, Field

from models.settings import settings
from models.validation import validate
from models.yamlfile import load_yaml

ZONE = pendulum.timezone("Asia/Ho_Chi_Minh")
DAY_SWAPS = Path(__file__).resolve().parent / "day-swaps.yaml"


class _Swap(BaseModel):
    model_config = ConfigDict(extra="forbid")
    date: dt.date
    reason: str = Field(min_length=1)


class _SwapFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    working_days: list[_Swap] = Field(default_factory=list)
    days_off: list[_Swap] = Field(default_factory=list)


class WorkingCalendar:
    """Which days offices work. `days_off` and `working_days` override the package, for the
    government's day swaps (a Saturday worked in exchange for a bridge day)."""

    def __init__(
        self, days_off: Iterable[dt.date] = (), working_days: Iterable[dt.date] = ()
    ) -> None:
        self._days_off = frozenset(days_off)
        self._working_days = frozenset(working_days)

    @classmethod
    def load(cls, path: Path | None = None) -> WorkingCalendar:
        """The calendar with the swaps of PATH (default: CHIDAO_CALENDAR or day-swaps.yaml)."""
        path = path or settings().calendar or DAY_SWAPS
        swaps = validate(_SwapFile, load_yaml(path), path)
        return cls(
            days_off=[s.date for s in swaps.days_off],
            working_days=[s.date for s in swaps.working_days],
        )

    @cached_property
    def _holidays(self) -> holidays.HolidayBase:
        # Years are added on first lookup of a date in them.
        return holidays.country_holidays("VN")

    def is_working_day(self, day: dt.date) -> bool:
        if day in self._working_days:
            return True
        if day in self._days_off or day.weekday() >= 5:
            return False
        return day not in self._holidays

    def add(self, day: dt.date, count: int) -> dt.date:
        """The COUNT-th working day after DAY (counting back when COUNT is negative)."""
        step = dt.timedelta(days=1 if count >= 0 else -1)
        remaining = abs(count)
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day

    def on_or_before(self, day: dt.date) -> dt.date:
        """DAY itself if offices work then, else the working day before it."""
        while not self.is_working_day(day):
            day -= dt.timedelta(days=1)
        return day


@lru_cache(maxsize=4096)
def end_of_day(day: dt.date) -> pendulum.DateTime:
    """The moment a day ends in Vietnam: 00:00 of the next day, Asia/Ho_Chi_Minh. Kept per day:
    a board compares thousands of assignments against a few dozen due days."""
    following = day + dt.timedelta(days=1)
    return pendulum.datetime(following.year, following.month, following.day, tz=ZONE)
