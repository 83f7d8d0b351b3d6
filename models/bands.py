"""Deadline bands: where each assignment stands, derived at read time from its state, its due
day, its extensions, its last report and its directive's reminder step (never stored)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import pendulum

from models.calendar import WorkingCalendar, end_of_day
from models.spec import Ladder
from models.states import AssignmentState, Band

# Colours the pages use for each band (CSS classes are the band's value).
ORDER = [
    Band.OVERDUE,
    Band.DUE_SOON,
    Band.RETURNED,
    Band.EXTENDED,
    Band.NOT_DUE,
    Band.REPORTED_LATE,
    Band.ON_TIME,
    Band.ACCEPTED,
]


@dataclass(frozen=True)
class Standing:
    """What a band is derived from."""

    state: str
    due_on: dt.date | None
    ladder: str | None  # the directive's ladder (JSON), None: the default
    last_report_late: bool | None  # None: never reported
    extended: bool


@lru_cache(maxsize=64)
def _remind_before(ladder: str | None) -> int:
    return (Ladder.model_validate_json(ladder) if ladder else Ladder()).remind_before


def band_of(
    standing: Standing, now: pendulum.DateTime, calendar: WorkingCalendar, today: dt.date
) -> Band:
    """The band of one assignment at NOW."""
    state = standing.state  # compared as text: a board derives thousands of bands
    if state == AssignmentState.ACCEPTED:
        return Band.ACCEPTED
    if state == AssignmentState.REPORTED:
        return Band.REPORTED_LATE if standing.last_report_late else Band.ON_TIME
    due = standing.due_on
    if due is not None and now >= end_of_day(due):
        return Band.OVERDUE
    if state == AssignmentState.RETURNED:
        return Band.RETURNED
    if standing.extended:
        return Band.EXTENDED
    if due is not None and due <= _horizon(calendar, today, _remind_before(standing.ladder)):
        return Band.DUE_SOON
    return Band.NOT_DUE


_horizons: dict[tuple[int, dt.date, int], dt.date] = {}


def _horizon(calendar: WorkingCalendar, today: dt.date, days: int) -> dt.date:
    """The last due day the reminder step has reached today (as the escalation pass counts)."""
    key = (id(calendar), today, days)
    if key not in _horizons:
        if len(_horizons) > 256:
            _horizons.clear()
        _horizons[key] = calendar.add(today, days)
    return _horizons[key]


@dataclass(frozen=True)
class Tally:
    """Counts per band, with the total and rates."""

    counts: dict[Band, int]

    @classmethod
    def of(cls, bands: Iterable[Band]) -> Tally:
        counts = dict.fromkeys(ORDER, 0)
        for band in bands:
            counts[band] += 1
        return cls(counts)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def rate(self, band: Band) -> float:
        return self.counts[band] / self.total if self.total else 0.0

    @property
    def late(self) -> int:
        return self.counts[Band.OVERDUE] + self.counts[Band.REPORTED_LATE]

    @property
    def answered_on_time(self) -> int:
        return self.counts[Band.ON_TIME] + self.counts[Band.ACCEPTED]
