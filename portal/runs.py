"""Workflows started from the portal — issue, release, escalate, synthesise — are Prefect flow
runs. In an office (`chidao serve`, CHIDAO_WEB_DEPLOYMENTS) the portal asks the Prefect server
for a run of the deployment and a worker runs it; on the embedded default the flow itself runs
in a thread of the portal's process. Either way a portal_run row follows it for its page."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import update
from sqlmodel import col

from models.accounts import Person
from models.errors import ChidaoError
from models.letters import find_letters
from models.records import PortalRunRecord
from models.settings import settings
from models.states import LetterState
from models.store import Store
from models.vntext import short_date

DEPLOYMENTS = {
    "issue": "Phát hành chỉ đạo/phat-hanh",
    "release": "Phát hành văn bản/phat-hanh-van-ban",
    "escalate": "Quét hạn/quet-han",
    "synthesize": "Tổng hợp báo cáo/tong-hop-bao-cao",
}
STATES = {
    "running": "Đang chạy",
    "completed": "Hoàn thành",
    "failed": "Không thành công",
}


def _flow(kind: str) -> Callable[..., Any]:
    """The flow function itself (imported late: Prefect is heavy)."""
    if kind == "issue":
        from flows.cascade import issue_directive

        return issue_directive
    if kind == "release":
        from flows.cascade import release_letters

        return release_letters
    if kind == "escalate":
        from flows.escalation import scan_deadlines

        return scan_deadlines
    from flows.synthesis import synthesize

    return synthesize


def start(store: Store, person: Person, kind: str, title: str, parameters: dict[str, Any]) -> int:
    """Record the run and start it; returns the portal_run id whose page shows its progress."""
    with store.session() as session:
        run = PortalRunRecord(
            kind=kind, title=title[:300], unit_code=person.unit_code, started_by=person.actor
        )
        session.add(run)
        session.flush()
        assert run.id is not None
        run_id = run.id
        store.audit(session, person.actor, f"workflow.{kind}", "portal_run", [str(run_id)])
    if settings().web_deployments:
        _deployment_run(store, run_id, kind, parameters)
    else:
        threading.Thread(
            target=_in_process, args=(store, run_id, kind, parameters), daemon=True
        ).start()
    return run_id


def _finish(store: Store, run_id: int, state: str, message: str | None) -> None:
    with store.session() as session:
        session.execute(
            update(PortalRunRecord)
            .where(col(PortalRunRecord.id) == run_id)
            .values(state=state, message=message, ended_at=dt.datetime.now(dt.UTC))
        )


def _in_process(store: Store, run_id: int, kind: str, parameters: dict[str, Any]) -> None:
    try:
        result = _flow(kind)(**parameters)
    except ChidaoError as error:
        _finish(store, run_id, "failed", str(error))
    except Exception as error:  # noqa: BLE001 - shown on the run's page, not lost in a thread
        _finish(store, run_id, "failed", f"Lỗi ngoài dự kiến: {type(error).__name__}: {error}")
    else:
        _finish(store, run_id, "completed", _summary(store, kind, result, parameters))


def _summary(store: Store, kind: str, result: Any, parameters: dict[str, Any]) -> str:
    if kind == "escalate":
        taken = getattr(result, "taken", {})
        return (
            f"Nhắc hạn {taken.get('remind', 0)}, đôn đốc {taken.get('urge', 0)}, "
            f"báo cáo cấp trên {taken.get('escalate', 0)} việc mới."
        )
    if kind == "issue":
        root = store.find(result.root_key)
        cascade = store.cascade(root.id) if root and root.id is not None else []
        drafts = sum(1 for d in cascade if d.state == LetterState.DRAFT)
        return (
            f"Đã ghi nhận {len(cascade)} văn bản: {len(cascade) - drafts} đã phát hành, "
            f"{drafts} dự thảo chờ phát hành."
        )
    if kind == "release":  # the numbers and dates the letters took
        with store.reading() as session:
            released = find_letters(session, parameters["refs"])
        taken = "; ".join(f"{x.reference} ngày {short_date(x.issued_on)}" for x in released)
        return f"Đã phát hành: {taken}."
    return "Đã soạn báo cáo tổng hợp."


def _deployment_run(store: Store, run_id: int, kind: str, parameters: dict[str, Any]) -> None:
    from prefect.deployments import run_deployment

    async def create() -> Any:
        run = run_deployment(DEPLOYMENTS[kind], parameters=_jsonable(parameters), timeout=0)
        return await run  # type: ignore[misc]  # a coroutine inside an event loop

    try:
        flow_run = asyncio.run(create())
    except Exception as error:  # noqa: BLE001 - the server refused: say so on the page
        _finish(store, run_id, "failed", f"Máy chủ Prefect không nhận lượt chạy: {error}")
        return
    with store.session() as session:
        session.execute(
            update(PortalRunRecord)
            .where(col(PortalRunRecord.id) == run_id)
            .values(flow_run_id=str(flow_run.id))
        )


def _jsonable(parameters: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for name, value in parameters.items():
        if hasattr(value, "model_dump"):
            value = value.model_dump(mode="json")
        elif isinstance(value, dt.date):
            value = value.isoformat()
        out[name] = value
    return out


def progress(store: Store, run_id: int) -> PortalRunRecord | None:
    """The run, its state refreshed from the Prefect server when a worker runs it."""
    with store.reading() as session:
        run = session.get(PortalRunRecord, run_id)
    if run is None or run.flow_run_id is None or run.state != "running":
        return run
    state, message = _prefect_state(run.flow_run_id)
    if state in ("completed", "failed"):
        _finish(store, run_id, state, message)
        with store.reading() as session:
            return session.get(PortalRunRecord, run_id)
    return run


def _prefect_state(flow_run_id: str) -> tuple[str, str | None]:
    from uuid import UUID

    from prefect.client.orchestration import get_client

    async def read() -> Any:
        async with get_client() as client:
            return await client.read_flow_run(UUID(flow_run_id))

    try:
        flow_run = asyncio.run(read())
    except Exception:  # noqa: BLE001 - the server is away: show the run as still running
        return "running", None
    state = flow_run.state
    if state is None or not state.is_final():
        return "running", None
    if state.is_completed():
        return "completed", "Hoàn thành (worker)."
    return "failed", state.message or state.name
