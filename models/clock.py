"""The one clock: the real one, or a simulated one that the demo and the tests set explicitly
(CHIDAO_SIMULATED_NOW). Everything that dates a change, a report or a letter asks it."""

from __future__ import annotations

import datetime as dt

import pendulum

from models.calendar import ZONE
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
