"""Issuing a directive: every assignment it implies, all the way down the organisation tree.

Prefect runs are kept at the granularity a coordinator watches: one flow run per cascade, one
task run per level of the tree (record the level's directives and assignments; write its
letters), and one for the status boards. A subflow per directive would cost ~1.3 s each here
(about 17 minutes at national scale); a task per level does the same bulk work in a few runs.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from uuid import UUID

from prefect import flow, get_run_logger
from prefect.artifacts import TableArtifact, create_progress_artifact, update_progress_artifact
from prefect.cache_policies import NO_CACHE
from prefect.client.orchestration import get_client

from flows import letters
from flows.context import actor, refusing, step
from flows.forms import lead_days_field, titled
from models import board, clock
from models.cascade import child_key, implementing_spec, issuable, root_key
from models.confine import confined
from models.directive import Directive
from models.documents import Outcome
from models.errors import InputError
from models.letters import folder_of, slug
from models.org import OrgTree
from models.records import DirectiveRecord
from models.settings import settings
from models.spec import DirectiveSpec
from models.states import LetterState
from models.store import NewDirective, Store, spec_sha256
from models.yamlfile import load_yaml
from renderer import wording

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
    edited: list[str] = field(default_factory=list)  # files someone changed, kept as they are
    restored: list[str] = field(default_factory=list)  # files missing or broken, written again


def documents_dir(root: DirectiveRecord) -> Path:
    """One folder per cascade, named after its root directive."""
    return settings().documents / folder_of(root.key)


# NO_CACHE: idempotency lives in the database's unique keys, not in Prefect's result cache.
@step(
    name="Ghi nhận cấp chỉ đạo",
    task_run_name="Cấp {level}: ghi nhận chỉ đạo và giao việc",
    cache_policy=NO_CACHE,
    retries=2,  # a concurrent run may win a unique key first; the retry then finds it
    retry_delay_seconds=1,
)
def record_level(
    level: int, parents: Sequence[int], folder: str, auto_release: bool, lead_days: int
) -> tuple[list[int], Timings]:
    """Create the implementing letters of every governing unit assigned work by PARENTS (those
    already recorded stay as they are). Returns the ids of this level's directives."""
    started = time.perf_counter()
    store = Store.open()
    say = wording("trien_khai.txt.j2")
    batch = []
    for parent in store.directives(parents):
        if parent.state != LetterState.RELEASED:
            continue
        directive = store.directive(parent)
        for code in store.governing_assignees(parent.id or 0):
            unit = directive.org.units[code]
            spec = implementing_spec(directive, unit, store.calendar, lead_days, say, clock.today())
            key = child_key(parent.key, unit)
            batch.append(
                NewDirective(
                    key=key,
                    directive=Directive(spec, directive.org, key),
                    parent_id=parent.id,
                    depth=level,
                    released=auto_release,
                    folder=folder,
                )
            )
    ids = list(store.record(batch, actor()).values()) if batch else []
    return ids, Timings(database=time.perf_counter() - started)


@step(
    name="Viết văn bản Word", task_run_name="Cấp {level}: viết văn bản Word", cache_policy=NO_CACHE
)
def write_documents(level: int, ids: Sequence[int]) -> tuple[Outcome, Timings]:
    """Write the level's letters not written yet (or redrafted since), and check the others'
    files against the bytes kept for them. Rendering is deterministic, so a rewrite after a
    crash gives the same bytes."""
    started = time.perf_counter()
    store = Store.open()
    kept = letters.letters_of(store, ids)
    pending = letters.to_write(kept)
    render_start = time.perf_counter()
    outcome = letters.write(store, pending)
    rendering = time.perf_counter() - render_start
    outcome += letters.verify(store, [x for x in kept if x not in pending])
    elapsed = time.perf_counter() - started
    return outcome, Timings(database=elapsed - rendering, rendering=rendering)


def board_key(key: str) -> str:
    """Artifact keys allow lowercase letters, digits and dashes only."""
    readable = re.sub(r"[^a-z0-9]+", "-", slug(key).lower()).strip("-")
    return f"trang-thai-{readable[:60]}-{hashlib.sha256(key.encode()).hexdigest()[:8]}"


@step(
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
        labels, rows = board.board(store, record.id)
        table = [
            {"Đơn vị": r.unit, **{f"Mục {x}": r.states.get(x, "") for x in labels}} for r in rows
        ]
        state = LetterState(record.state).label.lower()
        description = f"**{record.reference}** — {record.subject} ({state})"
        boards.append((board_key(record.key), table, description))
    queries = Timings(database=time.perf_counter() - started)

    async def publish() -> None:
        limit = asyncio.Semaphore(BOARD_CONCURRENCY)
        # One client for the batch: a client per call costs a new connection each time.
        async with get_client() as client:

            async def one(key: str, table: list[dict[str, str]], description: str) -> None:
                async with limit:
                    artifact = TableArtifact(key=key, table=table, description=description)
                    await artifact.acreate(client=client)

            await asyncio.gather(*(one(*item) for item in boards))

    asyncio.run(publish())
    return queries


def run_cascade(
    store: Store,
    starts: Sequence[DirectiveRecord],
    auto_release: bool,
    lead_days: int,
    timings: Timings,
) -> CascadeResult:
    """Walk down from STARTS (letters of one cascade, at one depth) level by level until no
    released directive has governing units."""
    logger = get_run_logger()
    first = starts[0]
    root = store.cascade_root(first)
    folder = folder_of(root.key)
    org = store.org(first)
    height = max(max(org.height(s.issuer_code) for s in starts), 1)
    what = first.reference if len(starts) == 1 else f"{len(starts)} văn bản"
    progress: UUID = create_progress_artifact(  # type: ignore[assignment]  # sync call
        progress=0.0, description=f"Tiến độ phát hành {what}: {first.subject}"
    )
    level_ids = [s.id for s in starts if s.id is not None]
    every = list(level_ids)
    level = first.depth
    outcome = Outcome()
    while level_ids:
        written, spent = write_documents(level, level_ids)
        outcome += written
        timings += spent
        logger.info(
            "Cấp %s: %s chỉ đạo, %s văn bản mới", level, len(level_ids), len(written.written)
        )
        level += 1
        update_progress_artifact(progress, progress=100 * min(1.0, (level - first.depth) / height))
        level_ids, spent = record_level(level, level_ids, folder, auto_release, lead_days)
        timings += spent
        every += level_ids
    update_progress_artifact(progress, progress=100.0)
    timings += publish_boards(every, len(every))
    for path in outcome.edited:
        logger.warning("Giữ nguyên văn bản đã bị sửa ngoài chidao: %s", path)
    return CascadeResult(
        root.key,
        len(every),
        str(documents_dir(root)),
        timings,
        [str(p) for p in outcome.edited],
        [str(p) for p in outcome.restored],
    )


@flow(name="Phát hành chỉ đạo", log_prints=False)
@refusing
def issue_directive(
    spec_path: str | None = titled(None, "Tệp mô tả văn bản (YAML)", "Đường dẫn tới tệp YAML"),
    spec: DirectiveSpec | None = titled(None, "Nội dung văn bản", "Thay cho tệp YAML"),
    auto_release: bool = titled(
        False,
        "Phát hành ngay",
        "Cấp số cho văn bản dự thảo và văn bản triển khai của cấp dưới, không chờ duyệt",
    ),
    lead_days: int = lead_days_field(description="Cấp dưới báo cáo sớm hơn hạn của đơn vị"),
) -> CascadeResult:
    """Record a directive, assign its tasks, write its Word letter and cascade it downwards. A
    letter that carries its number (received, or numbered by hand) is issued as it is; a draft
    waits to be released (numbered) unless AUTO_RELEASE."""
    started = time.perf_counter()
    directive = issuable(_directive_from(spec_path, spec), clock.today())
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
    released = directive.spec.number is not None or auto_release
    new = NewDirective(key, directive, None, 0, released=released, folder=folder_of(key))
    store.record([new], actor())
    root = store.find(key)
    assert root is not None
    own = Timings(database=time.perf_counter() - started)
    return run_cascade(store, [root], auto_release, lead_days, own)


@flow(name="Phát hành văn bản")
@refusing
def release_letters(
    refs: list[str] = titled(..., "Mã hoặc số hiệu các văn bản dự thảo"),
    by: str = titled(..., "Người phát hành", "Họ tên người cho phát hành (ghi vào sổ)"),
    auto_release: bool = titled(False, "Phát hành ngay văn bản của các cấp dưới nữa"),
    lead_days: int = lead_days_field(),
) -> list[CascadeResult]:
    """Release drafts: each takes the next number of its issuer's register and today's date. A
    directive's units get their assignments and its governing units their drafts; letters of
    one cascade and level go down together, so releasing many costs a few task runs per level."""
    started = time.perf_counter()
    store = Store.open()
    released = letters.release(store, refs, by)
    groups: dict[tuple[str, int], list[DirectiveRecord]] = {}
    for letter in released:
        if letter.directive_id is None or letter.kind not in letters.DIRECTIVE_KINDS:
            continue
        record = store.directives([letter.directive_id])[0]
        groups.setdefault((store.cascade_root(record).key, record.depth), []).append(record)
    own = Timings(database=time.perf_counter() - started)
    return [run_cascade(store, starts, auto_release, lead_days, own) for starts in groups.values()]


def _directive_from(spec_path: str | None, spec: DirectiveSpec | None) -> Directive:
    if (spec_path is None) == (spec is None):
        raise InputError.one(
            "(tham số)", "spec_path / spec", None, "hãy cho đúng một trong: tệp YAML hoặc nội dung"
        )
    try:
        if spec_path is not None:
            path = confined(spec_path, "spec_path")
            return Directive.load(path, confined(str(path.parent / _org_of(path)), "org"))
        assert spec is not None
        return Directive(spec, OrgTree.load(confined(spec.org, "spec.org")), "biểu mẫu Prefect")
    except InputError as error:
        raise error.without_values() from None  # what the file holds stays out of the run


def _org_of(path: Path) -> str:
    """The `org` a spec file names, read without echoing anything else of it."""
    org = load_yaml(path).get("org")
    if not isinstance(org, str):
        raise InputError.one(path, "org", None, "thiếu tệp cây tổ chức (org)")
    return org
