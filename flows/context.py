"""Who is acting, for the audit log: the Prefect flow run doing the work."""

from __future__ import annotations

from prefect.runtime import flow_run


def actor() -> str:
    return f"prefect:{flow_run.id}" if flow_run.id else "chidao"
