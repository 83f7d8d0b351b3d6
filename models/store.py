"""chidao's database: where it is, its schema migrations, and the operations the flows need."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pendulum
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, event, func, insert
from sqlalchemy import select as columns
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, create_engine, select

from models.calendar import ZONE, WorkingCalendar, end_of_day
from models.directive import Directive
from models.errors import InputError
from models.org import OrgTree
from models.records import (
    AssignmentRecord,
    AuditRecord,
    DirectiveRecord,
    DocumentRecord,
    ItemRecord,
    NoticeRecord,
    UnitRecord,
)
from models.settings import settings

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def home() -> Path:
    """CHIDAO_HOME: the embedded database and the documents (default ./.chidao)."""
    return settings().home.resolve()


def database_url() -> str:
    """CHIDAO_DATABASE_URL (e.g. postgresql+psycopg://…), else SQLite under CHIDAO_HOME."""
    return settings().database()


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    # WAL lets readers (status, the UI) work while a cascade writes; wait, don't fail, on locks.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def engine_for(url: str) -> Engine:
    if url.startswith("sqlite"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (a no-op when it is there)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


@dataclass(frozen=True)
class NewDirective:
    """A directive to record, with where it sits in its cascade."""

    key: str
    directive: Directive
    parent_id: int | None
    depth: int
    released: bool


@dataclass(frozen=True)
class BoardRow:
    unit: str
    states: dict[str, str]


def spec_sha256(directive: Directive) -> str:
    return hashlib.sha256(directive.spec.model_dump_json().encode()).hexdigest()


class Store:
    """All reads and writes of chidao's own database."""

    def __init__(self, engine: Engine, calendar: WorkingCalendar | None = None):
        self.engine = engine
        self.calendar = calendar or WorkingCalendar.load()
        dialects = {"sqlite": sqlite, "postgresql": postgresql}
        self._dialect = dialects[engine.dialect.name]

    @classmethod
    def open(cls, url: str | None = None) -> Store:
        """The store for URL (default: CHIDAO_DATABASE_URL or CHIDAO_HOME), migrated once."""
        return _open(url or database_url())

    @contextmanager
    def session(self) -> Iterator[Session]:
        with Session(self.engine) as session, session.begin():
            yield session

    def insert_ignoring_duplicates(self, table: Any) -> Any:
        return self._dialect.insert(table).on_conflict_do_nothing()

    # Organisation -----------------------------------------------------------------------------

    def sync_units(self, org: OrgTree, actor: str) -> int:
        """Upsert the tree's units; returns how many were new."""
        rows = [
            {
                "code": u.code,
                "name": u.name,
                "abbreviation": u.abbreviation,
                "level": u.level.value,
                "kind": u.kind.value,
                "parent_code": u.parent,
                "governs": u.governs,
                "coordinator_code": u.coordinator,
            }
            for u in org.walk()
        ]
        with self.session() as session:
            known = set(session.exec(select(UnitRecord.code)))
            statement = self._dialect.insert(UnitRecord)
            columns = {c: statement.excluded[c] for c in rows[0] if c != "code"}
            session.execute(
                statement.on_conflict_do_update(index_elements=["code"], set_=columns), rows
            )
            new = [u.code for u in org.walk() if u.code not in known]
            self.audit(session, actor, "unit.created", "unit", new)
        return len(new)

    # Directives ---------------------------------------------------------------------------

    def find(self, key: str) -> DirectiveRecord | None:
        with Session(self.engine) as session:
            return session.exec(select(DirectiveRecord).where(DirectiveRecord.key == key)).first()

    def lookup(self, ref: str) -> DirectiveRecord:
        """A directive by its key or its document reference ('2268/UBND-TTHC')."""
        with Session(self.engine) as session:
            found = list(
                session.exec(
                    select(DirectiveRecord).where(
                        (col(DirectiveRecord.key) == ref) | (col(DirectiveRecord.reference) == ref)
                    )
                )
            )
        if len(found) == 1:
            return found[0]
        message = (
            "không có chỉ đạo nào với mã hoặc số hiệu này"
            if not found
            else f"có {len(found)} chỉ đạo cùng số hiệu; hãy dùng mã chỉ đạo (key)"
        )
        raise InputError.one("(cơ sở dữ liệu)", "REF", ref, message)

    def record(self, batch: Sequence[NewDirective], actor: str) -> dict[str, int]:
        """Record new directives with their tasks and — when released — their assignments, in
        one transaction. Keys already recorded are left as they are. Returns key -> id."""
        ids: dict[str, int] = {}
        with self.session() as session:
            keys = [n.key for n in batch]
            existing: dict[str, int] = {
                key: id_
                for key, id_ in session.exec(
                    select(DirectiveRecord.key, DirectiveRecord.id).where(
                        col(DirectiveRecord.key).in_(keys)
                    )
                )
                if id_ is not None
            }
            ids.update(existing)
            assignments: list[dict[str, Any]] = []
            audit_keys: list[str] = []
            for new in batch:
                if new.key in existing:
                    continue
                ids[new.key] = self._insert_directive(session, new, assignments, audit_keys)
            if assignments:
                session.execute(insert(AssignmentRecord), assignments)
            created = [n.key for n in batch if n.key not in existing]
            self.audit(session, actor, "directive.issued", "directive", created)
            self.audit(session, actor, "assignment.created", "assignment", audit_keys)
        return ids

    def _insert_directive(
        self,
        session: Session,
        new: NewDirective,
        assignments: list[dict[str, Any]],
        audit_keys: list[str],
    ) -> int:
        d = new.directive
        record = DirectiveRecord(
            key=new.key,
            parent_id=new.parent_id,
            depth=new.depth,
            issuer_code=d.issuer.code,
            kind=d.spec.kind.value,
            reference=d.reference,
            subject=d.spec.subject,
            issued_on=d.spec.issued_on,
            state="released" if new.released else "draft",
            spec_json=d.spec.model_dump_json(),
            spec_sha256=spec_sha256(d),
            ladder=d.spec.escalation.model_dump_json() if d.spec.escalation else None,
            org_path=d.org.source,
            released_at=dt.datetime.now(dt.UTC) if new.released else None,
        )
        session.add(record)
        session.flush()
        assert record.id is not None
        if new.released:
            self._assignments(session, record.id, new.key, d, assignments, audit_keys)
        return record.id

    def _assignments(
        self,
        session: Session,
        directive_id: int,
        key: str,
        d: Directive,
        rows: list[dict[str, Any]],
        audit_keys: list[str],
    ) -> None:
        """Add the directive's tasks as items; append their assignment rows to ROWS."""
        for task in d.tasks():
            due = task.deadline.due_on(d.spec.issued_on, self.calendar) if task.deadline else None
            item = ItemRecord(
                directive_id=directive_id,
                label=task.label,
                text=d.item_text(task.item, task.deadline),
                deadline=task.deadline.phrase() if task.deadline else None,
                due_on=due,
            )
            session.add(item)
            session.flush()
            for unit in task.lead:
                rows.append(
                    {
                        "directive_id": directive_id,
                        "item_id": item.id,
                        "unit_code": unit.code,
                        "report_to_code": task.report_to.code,
                        "due_on": due,
                    }
                )
                audit_keys.append(f"{key}#{task.label}#{unit.code}")

    def release(self, record: DirectiveRecord, directive: Directive, actor: str) -> None:
        """Release a held draft: it gets its assignments now. Releasing twice changes nothing."""
        with self.session() as session:
            current = session.get(DirectiveRecord, record.id)
            assert current is not None and current.id is not None
            if current.state == "released":
                return
            current.state = "released"
            current.released_at = dt.datetime.now(dt.UTC)
            rows: list[dict[str, Any]] = []
            audit_keys: list[str] = []
            self._assignments(session, current.id, current.key, directive, rows, audit_keys)
            if rows:
                session.execute(insert(AssignmentRecord), rows)
            self.audit(session, actor, "directive.released", "directive", [current.key])
            self.audit(session, actor, "assignment.created", "assignment", audit_keys)

    def cascade_root(self, record: DirectiveRecord) -> DirectiveRecord:
        with Session(self.engine) as session:
            while record.parent_id is not None:
                parent = session.get(DirectiveRecord, record.parent_id)
                assert parent is not None
                record = parent
        return record

    def directives(self, ids: Iterable[int]) -> list[DirectiveRecord]:
        with Session(self.engine) as session:
            statement = select(DirectiveRecord).where(col(DirectiveRecord.id).in_(list(ids)))
            return list(session.exec(statement))

    def cascade(self, root_id: int) -> list[DirectiveRecord]:
        """The root and every directive below it, level by level."""
        with Session(self.engine) as session:
            found = list(session.exec(select(DirectiveRecord).where(DirectiveRecord.id == root_id)))
            frontier = [root_id]
            while frontier:
                children = list(
                    session.exec(
                        select(DirectiveRecord).where(col(DirectiveRecord.parent_id).in_(frontier))
                    )
                )
                found += children
                frontier = [c.id for c in children if c.id is not None]
        return found

    def governing_assignees(self, directive_id: int) -> list[str]:
        """Units assigned work by this directive that cascade it further down."""
        with Session(self.engine) as session:
            statement = (
                select(AssignmentRecord.unit_code)
                .join(UnitRecord, col(UnitRecord.code) == col(AssignmentRecord.unit_code))
                .where(AssignmentRecord.directive_id == directive_id, col(UnitRecord.governs))
                .distinct()
                .order_by(col(AssignmentRecord.unit_code))
            )
            return list(session.exec(statement))

    # Documents -------------------------------------------------------------------------------

    def documents(
        self, directive_ids: Iterable[int], kind: str = "directive"
    ) -> dict[int, DocumentRecord]:
        with Session(self.engine) as session:
            statement = select(DocumentRecord).where(
                col(DocumentRecord.directive_id).in_(list(directive_ids)),
                DocumentRecord.kind == kind,
            )
            return {d.directive_id: d for d in session.exec(statement)}

    def record_documents(
        self, written: Sequence[tuple[int, Path, str]], actor: str, kind: str = "directive"
    ) -> None:
        """Upsert (directive id, path, sha256) rows of KIND (the letter itself, or its synthesis
        report): a re-rendered document replaces its entry."""
        if not written:
            return
        now = dt.datetime.now(dt.UTC)
        rows = [
            {"directive_id": i, "kind": kind, "path": str(p), "sha256": h, "created_at": now}
            for i, p, h in written
        ]
        with self.session() as session:
            statement = self._dialect.insert(DocumentRecord)
            session.execute(
                statement.on_conflict_do_update(
                    index_elements=["directive_id", "kind"],
                    set_={"path": statement.excluded.path, "sha256": statement.excluded.sha256},
                ),
                rows,
            )
            keys = [f"{p}@{h}" for _, p, h in written]
            self.audit(session, actor, "document.written", "document", keys)

    def notice_sha256(self, kind: str, coordinator: str, day: dt.date) -> str | None:
        with Session(self.engine) as session:
            notice = session.exec(
                select(NoticeRecord).where(
                    NoticeRecord.kind == kind,
                    NoticeRecord.coordinator_code == coordinator,
                    NoticeRecord.day == day,
                )
            ).first()
        return notice.sha256 if notice else None

    def record_notice(
        self, kind: str, coordinator: str, day: dt.date, path: Path, sha256: str, actor: str
    ) -> None:
        """Upsert: a pass that saw more claims rewrites the day's letter with all of them."""
        with self.session() as session:
            statement = self._dialect.insert(NoticeRecord).values(
                kind=kind, coordinator_code=coordinator, day=day, path=str(path), sha256=sha256
            )
            session.execute(
                statement.on_conflict_do_update(
                    index_elements=["kind", "coordinator_code", "day"],
                    set_={"path": statement.excluded.path, "sha256": statement.excluded.sha256},
                )
            )
            self.audit(session, actor, f"notice.{kind}", "notice", [f"{path}@{sha256}"])

    # Reading ---------------------------------------------------------------------------------

    def cascade_summary(self, root_id: int) -> list[tuple[int, int, int, int]]:
        """Per level of the cascade: (depth, directives, of which released, assignments)."""
        records = self.cascade(root_id)
        ids = [r.id for r in records]
        with Session(self.engine) as session:
            per_directive = dict(
                session.exec(
                    select(AssignmentRecord.directive_id, func.count())
                    .where(col(AssignmentRecord.directive_id).in_(ids))
                    .group_by(col(AssignmentRecord.directive_id))
                ).all()
            )
        levels: dict[int, list[int]] = {}
        for r in records:
            row = levels.setdefault(r.depth, [0, 0, 0])
            row[0] += 1
            row[1] += r.state == "released"
            row[2] += per_directive.get(r.id or 0, 0)
        return [(depth, row[0], row[1], row[2]) for depth, row in sorted(levels.items())]

    def counts(self) -> dict[str, int]:
        tables = {
            "directive": DirectiveRecord,
            "item": ItemRecord,
            "assignment": AssignmentRecord,
            "document": DocumentRecord,
            "audit_log": AuditRecord,
        }
        with Session(self.engine) as session:
            return {
                name: session.exec(select(func.count()).select_from(table)).one()
                for name, table in tables.items()
            }

    def board(
        self, directive_id: int, as_of: pendulum.DateTime | None = None
    ) -> tuple[list[str], list[BoardRow]]:
        """The status board: one row per assigned unit, one column per task label; work still
        owed after its due day (extensions counted) is marked late as of AS_OF (default: now)."""
        moment = as_of or pendulum.now(ZONE)
        with Session(self.engine) as session:
            statement = (
                columns(  # five columns: beyond SQLModel's typed select
                    col(UnitRecord.name),
                    col(ItemRecord.label),
                    col(AssignmentRecord.state),
                    col(ItemRecord.deadline),
                    col(AssignmentRecord.due_on),
                )
                .join(ItemRecord, col(ItemRecord.id) == col(AssignmentRecord.item_id))
                .join(UnitRecord, col(UnitRecord.code) == col(AssignmentRecord.unit_code))
                .where(col(AssignmentRecord.directive_id) == directive_id)
                .order_by(col(AssignmentRecord.id))
            )
            rows: dict[str, dict[str, str]] = {}
            labels: dict[str, None] = {}
            for unit, label, state, deadline, due in session.execute(statement):
                labels[label] = None
                text = ", ".join(x for x in (STATE_NAMES[state], deadline) if x)
                if is_overdue(state, due, moment):
                    text += ", quá hạn"
                rows.setdefault(unit, {})[label] = text
        return list(labels), [BoardRow(unit, states) for unit, states in rows.items()]

    def audit(
        self, session: Session, actor: str, action: str, entity: str, keys: Sequence[str]
    ) -> None:
        if keys:
            now = dt.datetime.now(dt.UTC)
            session.execute(
                insert(AuditRecord),
                [
                    {"at": now, "actor": actor, "action": action, "entity": entity, "entity_key": k}
                    for k in keys
                ],
            )


@cache
def _open(url: str) -> Store:
    engine = engine_for(url)
    migrate(engine)
    return Store(engine)


# An assignment's states, as the board names them; OPEN ones are still owed and can be late.
STATE_NAMES = {
    "assigned": "Đã giao",
    "reported": "Đã báo cáo",
    "accepted": "Đã chấp nhận",
    "returned": "Bị trả lại",
}
OPEN = ("assigned", "returned")


def is_overdue(state: str, due_on: dt.date | None, as_of: pendulum.DateTime) -> bool:
    """Derived whenever asked, never stored: owed, and its due day has ended."""
    return state in OPEN and due_on is not None and as_of >= end_of_day(due_on)
