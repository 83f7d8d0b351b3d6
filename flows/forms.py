"""Prefect run forms: parameter titles in Vietnamese."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from models.limits import MAX_LEAD_DAYS


def titled(default: Any, title: str, description: str | None = None, **bounds: Any) -> Any:
    """A flow parameter with a Vietnamese title on the run form. Prefect titles a parameter by
    its name and only keeps `json_schema_extra`, so the title goes there. BOUNDS (ge, le …)
    are checked before the run starts."""
    return Field(default, description=description, json_schema_extra={"title": title}, **bounds)


def lead_days_field(title: str = "Hạn nội bộ sớm hơn (ngày làm việc)", **more: Any) -> Any:
    """How many working days earlier a unit's own units report: 0 to MAX_LEAD_DAYS."""
    return titled(1, title, ge=0, le=MAX_LEAD_DAYS, **more)
