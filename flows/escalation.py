"""The escalation pass "Quét hạn": scheduled on weekday mornings, or run for a simulated date."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pendulum
from prefect import flow, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE

from flows.cascade import documents_dir
from flows.context import actor
from flows.forms import titled
from models import escalation, rollup, synthesis
from models.calendar import ZONE
from models.directive import Directive, Ladder
from models.files import write_atomic
from models.org import OrgTree
from models.store import Store, home
from renderer import render_bytes

_NOTICES = {escalation.URGE: "don-doc", escalation.ESCALATE: "bao-cao-cham"}


@dataclass(frozen=True)
class ScanResult:
    day: dt.date
    taken: dict[str, int]
    documents: list[str]


@cache
def _org(path: str) -> OrgTree:
    return OrgTree.load(Path(path))


@task(name="Nhận các bậc đôn đốc", cache_policy=NO_CACHE)
def take_rungs(day: dt.date) -> dict[str, int]:
    return escalation.claim(Store.open(), day, actor())


@task(name="Viết công văn đôn đốc và báo cáo", cache_policy=NO_CACHE)
def write_notices(day: dt.date) -> list[str]:
    """One công văn đôn đốc per coordinator per day, one escalation report per coordinator per
    day — each written from every rung taken that day, so overlapping passes converge."""
    store = Store.open()
    written = []
    for step, kind in _NOTICES.items():
        for coordinator, lates in escalation.late_on(store, day, step).items():
            org = _org(lates[0].directive.org_path)
            if step == escalation.URGE:
                raw = lates[0].directive.ladder
                ladder = Ladder.model_validate_json(raw) if raw else Ladder()
                spec = escalation.urging_letter(
                    org, coordinator, lates, day, ladder, store.calendar
                )
            else:
                spec = escalation.escalation_report(org, coordinator, lates, day)
            data = render_bytes(Directive(spec, org, f"{kind}:{coordinator}:{day}"))
            path = home() / "documents" / kind / day.isoformat() / f"{coordinator}.docx"
            sha = hashlib.sha256(data).hexdigest()
            written.append(str(path))
            if store.notice_sha256(kind, coordinator, day) == sha and path.is_file():
                continue  # the same letter again: nothing to rewrite or record
            write_atomic(path, data)
            store.record_notice(kind, coordinator, day, path, sha, actor())
    return written


@task(name="Soạn báo cáo lên cấp trên", cache_policy=NO_CACHE)
def draft_rollups(day: dt.date) -> list[str]:
    """Each governing unit's report upward, from its subordinates' reports (gaps named)."""
    store = Store.open()
    written = []
    for letter in rollup.due(store, day):
        assert letter.id is not None
        org = _org(letter.org_path)
        parent = rollup.parent_of(store, letter)
        spec = rollup.rollup_spec(org, letter, parent, synthesis.rows(store, letter.id), day)
        data = render_bytes(Directive(spec, org, f"bao-cao-len:{letter.key}"))
        sha = hashlib.sha256(data).hexdigest()
        root = store.cascade_root(letter)
        path = (
            documents_dir(root.key) / "bao-cao-len" / day.isoformat() / f"{letter.issuer_code}.docx"
        )
        known = store.documents([letter.id], kind="bao-cao-len").get(letter.id)
        # A draft never goes back in time: a pass for an earlier day leaves a later draft alone.
        if known and (Path(known.path).parent.name > day.isoformat() or known.sha256 == sha):
            written.append(known.path)
            continue
        write_atomic(path, data)
        store.record_documents([(letter.id, path, sha)], actor(), kind="bao-cao-len")
        written.append(str(path))
    return written


@flow(name="Quét hạn")
def scan_deadlines(
    as_of: dt.date | None = titled(None, "Ngày quét", "Mặc định: hôm nay (giờ Việt Nam)"),
) -> ScanResult:
    """Remind units before their due day, urge the late ones, report those still late, and
    draft governing units' reports upward from their subordinates' reports."""
    day = as_of or pendulum.now(ZONE).date()
    taken = take_rungs(day)
    documents = write_notices(day) + draft_rollups(day)
    names = {
        escalation.REMIND: "Nhắc hạn",
        escalation.URGE: "Đôn đốc",
        escalation.ESCALATE: "Báo cáo cấp trên",
    }
    create_table_artifact(
        table=[{"Bậc": names[step], "Số việc mới": str(n)} for step, n in taken.items()],
        key="quet-han",
        description=f"Quét hạn ngày {day.strftime('%d/%m/%Y')}: {len(documents)} văn bản",
    )
    return ScanResult(day, taken, documents)
