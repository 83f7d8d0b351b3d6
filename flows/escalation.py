"""The escalation pass "Quét hạn": scheduled on weekday mornings, or run for a given date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from prefect import flow, get_run_logger
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE
from sqlmodel import col, select

from flows import letters
from flows.context import actor, refusing, step
from flows.forms import titled
from models import clock, escalation, rollup
from models.documents import Outcome, path_of
from models.letters import claimed, folder_of, letter_key, letter_path
from models.records import LetterRecord, insert_ignoring
from models.states import LetterKind, LetterState
from models.store import Store
from models.vntext import short_date

AUTO = "chidao (tự động phát hành)"


@dataclass(frozen=True)
class ScanResult:
    day: dt.date
    taken: dict[str, int]
    documents: list[str]
    working_day: bool = True
    released: list[str] = field(default_factory=list)
    edited: list[str] = field(default_factory=list)


@step(name="Nhận các bậc đôn đốc", cache_policy=NO_CACHE)
def take_rungs(day: dt.date) -> dict[str, int]:
    return escalation.claim(Store.open(), day, actor())


@step(name="Viết công văn đôn đốc và báo cáo", cache_policy=NO_CACHE)
def write_notices() -> tuple[list[int], Outcome]:
    """Every công văn đôn đốc and escalation report still owed — claimed by this pass or by an
    earlier one that did not finish — drafted from all the rungs linked to it."""
    store = Store.open()
    owed = escalation.pending(store, [LetterKind.URGING, LetterKind.ESCALATION])
    outcome = letters.write(store, owed)
    return [x.id for x in owed if x.id is not None], outcome


@step(name="Soạn báo cáo lên cấp trên", cache_policy=NO_CACHE)
def draft_rollups(day: dt.date) -> tuple[list[int], Outcome]:
    """Each governing unit's report upward, from its own units' reports (gaps named), as of
    DAY; a draft is never moved back in time, and a released report is never redrafted."""
    store = Store.open()
    ids = []
    with store.session() as session:
        for record in rollup.due(store, day):
            key = letter_key(LetterKind.ROLLUP, record.key)
            folder = folder_of(store.cascade_root(record).key)
            row = claimed(
                key,
                LetterKind.ROLLUP,
                record.issuer_code,
                day,
                letter_path(folder, f"{record.issuer_code}-bao-cao-len", key),
                directive_id=record.id,
            )
            session.execute(insert_ignoring(session, LetterRecord).values(**row))
            letter = session.exec(select(LetterRecord).where(LetterRecord.key == key)).one()
            if letter.state == LetterState.DRAFT and letter.issued_on <= day:
                letter.issued_on, letter.redraft = day, True
                ids.append(letter.id)
    with store.session() as session:
        due = list(session.exec(select(LetterRecord).where(col(LetterRecord.id).in_(ids))))
    return [x.id for x in due if x.id is not None], letters.write(store, due)


@flow(name="Quét hạn")
@refusing
def scan_deadlines(
    as_of: dt.date | None = titled(None, "Ngày quét", "Mặc định: hôm nay (giờ Việt Nam)"),
    auto_release: bool = titled(
        False, "Phát hành ngay", "Cấp số cho các văn bản vừa soạn, không chờ duyệt"
    ),
) -> ScanResult:
    """Remind units before their due day, urge the late ones, report those still late after
    the urging, and draft governing units' reports upward. On a day offices do not work (a
    weekend, Tết), the weekday schedule still fires and the pass does nothing."""
    logger = get_run_logger()
    day = as_of or clock.today()
    clock.not_ahead(day, "as_of")
    store = Store.open()
    if not store.calendar.is_working_day(day):
        logger.info("Ngày %s là ngày nghỉ: không quét hạn.", short_date(day))
        return ScanResult(day, {"remind": 0, "urge": 0, "escalate": 0}, [], working_day=False)
    # Reports upward first: a unit whose report goes up today is not urged today.
    rollups, outcome = draft_rollups(day)
    if auto_release:
        letters.release(store, [x.key for x in letters.by_id(store, rollups)], AUTO)
    taken = take_rungs(day)
    notices, written = write_notices()
    outcome += written
    released = []
    if auto_release:
        released = [x.key for x in letters.by_id(store, notices) if x.state == LetterState.DRAFT]
        letters.release(store, released, AUTO)
    paths = [str(path_of(x)) for x in letters.by_id(store, [*notices, *rollups])]
    names = {"remind": "Nhắc hạn", "urge": "Đôn đốc", "escalate": "Báo cáo cấp trên"}
    create_table_artifact(
        table=[{"Bậc": names[step], "Số việc mới": str(n)} for step, n in taken.items()],
        key="quet-han",
        description=f"Quét hạn ngày {short_date(day)}: {len(paths)} văn bản",
    )
    for path in outcome.edited:
        logger.warning("Giữ nguyên văn bản đã bị sửa ngoài chidao: %s", path)
    return ScanResult(day, taken, paths, True, released, [str(p) for p in outcome.edited])
