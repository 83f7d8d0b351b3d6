"""Prefect run forms: parameter titles in Vietnamese."""

from __future__ import annotations

from typing import Any

from pydantic import Field


def titled(default: Any, title: str, description: str | None = None) -> Any:
    """A flow parameter with a Vietnamese title on the run form. Prefect titles a parameter by
    its name and only keeps `json_schema_extra`, so the title goes there."""
    return Field(default, description=description, json_schema_extra={"title": title})
