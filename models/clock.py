"""The one clock: the real one, or a simulated one that the demo and the tests set explicitly
(CHIDAO_SIMULATED_NOW). Everything that dates a change, a report or a letter asks it."""

from __future__ import annotations

import datetime as dt

import pendulum

from models.calendar import ZONE
from models.errors import InputError
from models.settings import settings


def now() -> pendulum.DateTime:
    """Now in Asia/Ho_Chi_Minh; a simulated time without a zone is read in that zone."""
    simulated = settings().simulated_now
    if simulated is None:
        return pendulum.now(ZONE)
    if simulated.tzinfo is None:
        simulated = simulated.replace(tzinfo=ZONE)
    return pendulum.instance(simulated).in_timezone(ZONE)


def today() -> dt.date:
    moment = now()
    return dt.date(moment.year, moment.month, moment.day)  # a plain date: drivers bind it


def simulated() -> bool:
    return settings().simulated_now is not None


def not_ahead(day: dt.date, field: str) -> dt.date:
    """DAY, if it is today or a day gone by: a pass or a synthesis for a day ahead (a typo like
    2042) would spend rungs and write letters nobody could send."""
    if day > today():
        raise InputError.one(
            "(tham số)",
            field,
            day.isoformat(),
            f"ngày sau ngày hôm nay ({today().isoformat()}); chỉ dùng hôm nay hoặc ngày đã qua",
        )
    return day
