"""Issuing a directive: every assignment it implies, all the way down the organisation tree.

Prefect runs are kept at the granularity a coordinator watches: one flow run per cascade, one
task run per level of the tree (record the level's directives and assignments; write its
documents), and one for the status boards. A subflow per directive would cost ~1.3 s each here
(about 17 minutes at national scale); a task per level does the same bulk work in a few runs.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

from prefect import flow, get_run_logger, task
from prefect.artifacts import TableArtifact, create_progress_artifact, update_progress_artifact
from prefect.cache_policies import NO_CACHE
from prefect.client.orchestration import get_client

from flows.context import actor
from flows.forms import titled
from models.cascade import child_key, implementing_spec, root_key
from models.directive import Directive, DirectiveSpec
from models.errors import InputError
from models.files import write_atomic
from models.org import OrgTree
from models.records import DirectiveRecord
from models.store import NewDirective, Store, home, spec_sha256
from renderer import default_filename, render_bytes, safe_filename

# Prefect's SQLite server serialises writes; more concurrency only adds 'database is locked'.
BOARD_CONCURRENCY = 2


@dataclass(frozen=True)
class Timings:
    """Seconds of chidao's own work, so Prefect's share of a run can be told apart."""

    database: float = 0.0  # queries, writes and the rules that decide them
    rendering: float = 0.0  # templates, layout and writing .docx files

    def __add__(self, other: Timings) -> Timings:
        return Timings(self.database + other.database, self.rendering + other.rendering)


@dataclass(frozen=True)
class CascadeResult:
    root_key: str
    directives: int
    documents_dir: str
    timings: Timings


def _load(record: DirectiveRecord, org: OrgTree) -> Directive:
    return Directive(DirectiveSpec.model_validate_json(record.spec_json), org, record.key)


def documents_dir(key: str) -> Path:
    """One folder per cascade, named after its root directive."""
    return home() / "documents" / safe_filename(key, suffix="")


# NO_CACHE: idempotency lives in the database's unique keys, not in Prefect's result cache.
@task(
    name="Ghi nhận cấp chỉ đạo",
    task_run_name="Cấp {level}: ghi nhận chỉ đạo và giao việc",
    cache_policy=NO_CACHE,
    retries=2,  # a concurrent run may win a unique key first; the retry then finds it
    retry_delay_seconds=1,
)
def record_level(
    level: int,
    parents: Sequence[int],
    org: OrgTree,
    auto_release: bool,
    lead_days: int,
) -> tuple[list[int], Timings]:
    """Create the implementing letters of every governing unit assigned work by PARENTS (those
    already recorded stay as they are). Returns the ids of this level's directives."""
    started = time.perf_counter()
    store = Store.open()
    calendar = store.calendar
    batch = []
    for parent in store.directives(parents):
        if parent.state != "released":
            continue
        directive = _load(parent, org)
        for code in store.governing_assignees(parent.id or 0):
            unit = org.units[code]
            spec = implementing_spec(directive, unit, calendar, lead_days)
            batch.append(
                NewDirective(
                    key=child_key(parent.key, unit),
                    directive=Directive(spec, org, child_key(parent.key, unit)),
                    parent_id=parent.id,
                    depth=level,
                    released=auto_release,
                )
            )
    ids = list(store.record(batch, actor()).values()) if batch else []
    return ids, Timings(database=time.perf_counter() - started)


@task(
    name="Viết văn bản Word", task_run_name="Cấp {level}: viết văn bản Word", cache_policy=NO_CACHE
)
def write_documents(
    level: int, ids: Sequence[int], org: OrgTree, folder: Path
) -> tuple[int, Timings]:
    """Render every directive of the level whose document is missing or changed on disk.
    Rendering is deterministic, so a rewrite after a crash gives the same bytes."""
    started = time.perf_counter()
    rendering = 0.0
    store = Store.open()
    known = store.documents(ids)
    written: list[tuple[int, Path, str]] = []
    for record in store.directives(ids):
        assert record.id is not None
        directive = _load(record, org)
        render_start = time.perf_counter()
        data = render_bytes(directive)
        sha = hashlib.sha256(data).hexdigest()
        path = folder / default_filename(directive)
        doc = known.get(record.id)
        if doc and doc.sha256 == sha and Path(doc.path).is_file() and path == Path(doc.path):
            rendering += time.perf_counter() - render_start
            continue
        write_atomic(path, data)
        rendering += time.perf_counter() - render_start
        written.append((record.id, path, sha))
    # Recorded after the files: a crash in between only means re-rendering the same bytes.
    store.record_documents(written, actor())
    elapsed = time.perf_counter() - started
    return len(written), Timings(database=elapsed - rendering, rendering=rendering)


def board_key(key: str) -> str:
    """Artifact keys allow lowercase letters, digits and dashes only."""
    slug = re.sub(r"[^a-z0-9]+", "-", safe_filename(key, suffix="").lower()).strip("-")
    return f"trang-thai-{slug[:60]}-{hashlib.sha256(key.encode()).hexdigest()[:8]}"


@task(
    name="Bảng trạng thái", task_run_name="Bảng trạng thái {count} chỉ đạo", cache_policy=NO_CACHE
)
def publish_boards(ids: Sequence[int], count: int) -> Timings:
    """One table artifact per directive: its units × tasks × state."""
    started = time.perf_counter()
    store = Store.open()
    records = store.directives(ids)
    boards = []
    for record in records:
        assert record.id is not None
        labels, rows = store.board(record.id)
        table = [
            {"Đơn vị": r.unit, **{f"Mục {x}": r.states.get(x, "") for x in labels}} for r in rows
        ]
        state = "đã phát hành" if record.state == "released" else "dự thảo, chờ phát hành"
        description = f"**{record.reference}** — {record.subject} ({state})"
        boards.append((board_key(record.key), table, description))
    queries = Timings(database=time.perf_counter() - started)

    async def publish() -> None:
        limit = asyncio.Semaphore(BOARD_CONCURRENCY)
        # One client for the batch: a client per call costs a new connection each time.
        async with get_client() as client:

            async def one(key: str, table: list[dict[str, str]], description: str) -> None:
                async with limit:
                    board = TableArtifact(key=key, table=table, description=description)
                    await board.acreate(client=client)

            await asyncio.gather(*(one(*board) for board in boards))

    asyncio.run(publish())
    return queries


def run_cascade(
    store: Store,
    org: OrgTree,
    starts: Sequence[DirectiveRecord],
    auto_release: bool,
    lead_days: int,
    timings: Timings,
) -> CascadeResult:
    """Walk down from STARTS (released letters of one cascade, at one depth) level by level
    until no released directive has governing units."""
    logger = get_run_logger()
    first = starts[0]
    root = store.cascade_root(first)
    folder = documents_dir(root.key)
    height = max(max(org.height(s.issuer_code) for s in starts), 1)
    what = first.reference if len(starts) == 1 else f"{len(starts)} văn bản"
    progress: UUID = create_progress_artifact(  # type: ignore[assignment]  # sync call
        progress=0.0, description=f"Tiến độ phát hành {what}: {first.subject}"
    )
    level_ids = [s.id for s in starts if s.id is not None]
    every = list(level_ids)
    level = first.depth
    while level_ids:
        written, spent = write_documents(level, level_ids, org, folder)
        timings += spent
        logger.info("Cấp %s: %s chỉ đạo, %s văn bản mới", level, len(level_ids), written)
        level += 1
        update_progress_artifact(progress, progress=100 * min(1.0, (level - first.depth) / height))
        level_ids, spent = record_level(level, level_ids, org, auto_release, lead_days)
        timings += spent
        every += level_ids
    update_progress_artifact(progress, progress=100.0)
    timings += publish_boards(every, len(every))
    return CascadeResult(root.key, len(every), str(folder), timings)


@flow(name="Phát hành chỉ đạo", log_prints=False)
def issue_directive(
    spec_path: str | None = titled(None, "Tệp mô tả văn bản (YAML)", "Đường dẫn tới tệp YAML"),
    spec: DirectiveSpec | None = titled(None, "Nội dung văn bản", "Thay cho tệp YAML"),
    auto_release: bool = titled(
        False,
        "Phát hành ngay văn bản triển khai của cấp dưới",
        "Không chờ cơ quan thường trực duyệt",
    ),
    lead_days: int = titled(
        1, "Hạn nội bộ sớm hơn (ngày làm việc)", "Cấp dưới báo cáo sớm hơn hạn của đơn vị"
    ),
) -> CascadeResult:
    """Record a directive, assign its tasks, write its Word draft and cascade it downwards."""
    started = time.perf_counter()
    directive = _directive_from(spec_path, spec)
    store = Store.open()
    store.sync_units(directive.org, actor())
    key = root_key(directive)
    existing = store.find(key)
    if existing is not None and existing.spec_sha256 != spec_sha256(directive):
        raise InputError.one(
            directive.source,
            "(toàn bộ tệp)",
            key,
            "chỉ đạo này đã được phát hành với nội dung khác; hãy đổi số hoặc ngày văn bản",
        )
    store.record([NewDirective(key, directive, None, 0, released=True)], actor())
    root = store.find(key)
    assert root is not None
    own = Timings(database=time.perf_counter() - started)
    return run_cascade(store, directive.org, [root], auto_release, lead_days, own)


@flow(name="Phát hành văn bản triển khai")
def release_directive(
    refs: list[str] = titled(..., "Mã hoặc số hiệu các văn bản dự thảo"),
    auto_release: bool = titled(False, "Phát hành ngay văn bản của các cấp dưới nữa"),
    lead_days: int = titled(1, "Hạn nội bộ sớm hơn (ngày làm việc)"),
) -> list[CascadeResult]:
    """A coordinator releases held implementing letters: their units get their assignments and
    their own governing units get their drafts. Letters of one cascade and level go down
    together, so releasing many costs a few task runs per level, not a few per letter."""
    started = time.perf_counter()
    store = Store.open()
    records = [store.lookup(ref) for ref in refs]  # every reference known before any change
    groups: dict[tuple[str, int, str], list[DirectiveRecord]] = {}
    orgs: dict[str, OrgTree] = {}
    for record in records:
        if record.org_path not in orgs:
            orgs[record.org_path] = OrgTree.load(Path(record.org_path))
        org = orgs[record.org_path]
        store.release(record, _load(record, org), actor())
        released = store.find(record.key)
        assert released is not None
        group = (store.cascade_root(released).key, released.depth, record.org_path)
        groups.setdefault(group, []).append(released)
    own = Timings(database=time.perf_counter() - started)
    return [
        run_cascade(store, orgs[org_path], starts, auto_release, lead_days, own)
        for (_, _, org_path), starts in groups.items()
    ]


def _directive_from(spec_path: str | None, spec: DirectiveSpec | None) -> Directive:
    if (spec_path is None) == (spec is None):
        raise InputError.one(
            "(tham số)", "spec_path / spec", None, "hãy cho đúng một trong: tệp YAML hoặc nội dung"
        )
    if spec_path is not None:
        return Directive.load(Path(spec_path))
    assert spec is not None
    return Directive(spec, OrgTree.load(Path(spec.org)), "biểu mẫu Prefect")
