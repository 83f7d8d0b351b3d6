"""chidao's database writes, those the flows need, and the reads the writes need.
Directives and their letters are recorded together; reading for people is in models/board.py."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert, update
from sqlmodel import Session, col, select

from models import clock
from models.calendar import WorkingCalendar
from models.database import database_url, engine_for, migrate
from models.directive import Directive
from models.errors import InputError
from models.letters import letter_path, note_carried_number, take_number
from models.org import OrgFile, OrgTree
from models.records import (
    AssignmentRecord,
    AuditRecord,
    DirectiveRecord,
    ItemRecord,
    LetterRecord,
    OrgSnapshotRecord,
    UnitRecord,
    dialect_insert,
)
from models.spec import DirectiveSpec
from models.states import AssignmentState, LetterKind, LetterState, Role


@dataclass(frozen=True)
class NewDirective:
    """A directive to record, with where it sits in its cascade and where its letter goes."""

    key: str
    directive: Directive
    parent_id: int | None
    depth: int
    released: bool
    folder: str  # its cascade's folder under CHIDAO_HOME/documents

    @property
    def letter_kind(self) -> LetterKind:
        return LetterKind.DIRECTIVE if self.parent_id is None else LetterKind.IMPLEMENTING

    @property
    def letter_name(self) -> str:
        if self.parent_id is None:
            return self.key
        return f"{self.directive.issuer.code}-trien-khai"


def spec_sha256(directive: Directive) -> str:
    return hashlib.sha256(directive.spec.model_dump_json().encode()).hexdigest()


class Store:
    """All writes of chidao's own database, and the reads the writes need."""

    def __init__(self, engine: Engine, calendar: WorkingCalendar | None = None):
        self.engine = engine
        self.calendar = calendar or WorkingCalendar.load()

    @classmethod
    def open(cls, url: str | None = None) -> Store:
        """The store for URL (default: CHIDAO_DATABASE_URL or CHIDAO_HOME), migrated once."""
        return _open(url or database_url())

    @contextmanager
    def session(self) -> Iterator[Session]:
        # Records stay readable after the commit (as committed): callers use them outside.
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for a page's reads, outside any transaction: each statement sees what is
        committed (as it does inside PostgreSQL's default READ COMMITTED transaction), without
        the BEGIN and ROLLBACK round trips that every page would otherwise pay."""
        with (
            self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection,
            Session(bind=connection) as session,
        ):
            yield session

    # Organisation -----------------------------------------------------------------------------

    def sync_units(self, org: OrgTree, actor: str) -> int:
        """Upsert the tree's units and keep the tree itself; returns how many units were new."""
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
            upsert = dialect_insert(session, UnitRecord)
            columns = {c: upsert.excluded[c] for c in rows[0] if c != "code"}
            session.execute(
                upsert.on_conflict_do_update(index_elements=["code"], set_=columns), rows
            )
            snapshot = dialect_insert(session, OrgSnapshotRecord).values(
                sha256=org.sha256, name=org.name, content=org.content, synced_at=clock.now()
            )
            session.execute(
                snapshot.on_conflict_do_update(
                    index_elements=["sha256"], set_={"synced_at": snapshot.excluded.synced_at}
                )
            )
            new = [u.code for u in org.walk() if u.code not in known]
            self.audit(session, actor, "unit.created", "unit", new)
        return len(new)

    def org(self, record: DirectiveRecord) -> OrgTree:
        """The tree RECORD was issued under, from the database (any directory, any machine)."""
        if record.org_sha256 is None:  # recorded before trees were kept
            return OrgTree.load(Path(record.org_path))
        return self._snapshot(record.org_sha256)

    def current_org(self, name: str) -> OrgTree | None:
        """The office's newest tree of that name (its people now), if any was kept."""
        with Session(self.engine) as session:
            sha = session.exec(
                select(OrgSnapshotRecord.sha256)
                .where(OrgSnapshotRecord.name == name)
                .order_by(col(OrgSnapshotRecord.synced_at).desc())
            ).first()
        return self._snapshot(sha) if sha else None

    @lru_cache(maxsize=32)  # noqa: B019 - one store per database for the process's life
    def _snapshot(self, sha: str) -> OrgTree:
        with Session(self.engine) as session:
            snapshot = session.get(OrgSnapshotRecord, sha)
        if snapshot is None:
            raise InputError.one("(cơ sở dữ liệu)", "org_sha256", sha, "không còn cây tổ chức")
        return OrgTree(OrgFile.model_validate_json(snapshot.content), f"(cây {snapshot.name})")

    def directive(self, record: DirectiveRecord) -> Directive:
        spec = DirectiveSpec.model_validate_json(record.spec_json)
        return Directive(spec, self.org(record), record.key)

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
        """Record new directives with their letters, tasks and — when released — numbers and
        assignments, in one transaction. Keys already recorded stay as they are. Returns
        key -> id."""
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
                if new.key not in existing:
                    ids[new.key] = self._insert(session, new, actor, assignments, audit_keys)
            if assignments:
                session.execute(insert(AssignmentRecord), assignments)
            created = [n.key for n in batch if n.key not in existing]
            self.audit(session, actor, "directive.issued", "directive", created)
            self.audit(session, actor, "assignment.created", "assignment", audit_keys)
        return ids

    def _insert(
        self,
        session: Session,
        new: NewDirective,
        actor: str,
        assignments: list[dict[str, Any]],
        audit_keys: list[str],
    ) -> int:
        d = new.directive
        carried = d.spec.number is not None
        if new.released:
            d = _numbered(session, d)
        record = DirectiveRecord(
            key=new.key,
            parent_id=new.parent_id,
            depth=new.depth,
            issuer_code=d.issuer.code,
            kind=d.spec.kind.value,
            reference=d.reference,
            subject=d.spec.subject,
            issued_on=d.spec.issued_on,
            state=LetterState.RELEASED if new.released else LetterState.DRAFT,
            spec_json=d.spec.model_dump_json(),
            spec_sha256=spec_sha256(new.directive),
            ladder=d.spec.escalation.model_dump_json() if d.spec.escalation else None,
            org_path=d.org.source,
            org_sha256=d.org.sha256,
            released_at=clock.now() if new.released else None,
        )
        session.add(record)
        session.flush()
        assert record.id is not None
        session.add(
            LetterRecord(
                key=new.key,
                kind=new.letter_kind,
                directive_id=record.id,
                issuer_code=d.issuer.code,
                state=record.state,
                number=d.spec.number if new.released else None,
                year=d.spec.issued_on.year if new.released else None,
                carried=carried,
                reference=d.reference,
                subject=d.spec.subject,
                issued_on=d.spec.issued_on,
                spec_json=d.as_kept().model_dump_json(),
                path=letter_path(new.folder, new.letter_name, new.key),
                released_at=record.released_at,
                released_by=actor if new.released else None,
            )
        )
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
        """Add the directive's tasks as items; append their assignment rows to ROWS: each lead
        unit, and each cooperating unit (reporting to the lead unit)."""
        now = clock.now()
        for task in d.tasks():
            due = (
                task.deadline.due_on(d.spec.issued_on, self.calendar, d.spec.received_on)
                if task.deadline
                else None
            )
            item = ItemRecord(
                directive_id=directive_id,
                label=task.label,
                text=d.item_text(task.item, task.deadline),
                deadline=task.deadline.phrase() if task.deadline else None,
                due_on=due,
                follow_up=task.follow_up,
                chase_cooperating=task.item.chase_cooperating,
            )
            session.add(item)
            session.flush()
            parts = [(u, Role.LEAD, task.report_to) for u in task.lead]
            parts += [(u, Role.COOPERATING, task.cooperating_report_to) for u in task.cooperating]
            for unit, role, report_to in parts:
                rows.append(
                    {
                        "directive_id": directive_id,
                        "item_id": item.id,
                        "unit_code": unit.code,
                        "report_to_code": report_to.code,
                        "role": role.value,
                        "due_on": due,
                        "state": AssignmentState.ASSIGNED.value,
                        "created_at": now,
                    }
                )
                audit_keys.append(f"{key}#{task.label}#{unit.code}")

    def release(self, record: DirectiveRecord, actor: str) -> None:
        """Release a held draft: it takes the next number of its issuer's register and today's
        date, and its units get their assignments. Releasing twice changes nothing."""
        with self.session() as session:
            current = session.get(DirectiveRecord, record.id, with_for_update=True)
            assert current is not None and current.id is not None
            if current.state == LetterState.RELEASED:
                return
            d = _numbered(session, self.directive(current))
            current.state = LetterState.RELEASED
            current.released_at = clock.now()
            current.reference = d.reference
            current.issued_on = d.spec.issued_on
            current.spec_json = d.spec.model_dump_json()
            session.execute(
                update(LetterRecord)
                .where(col(LetterRecord.directive_id) == current.id)
                .where(col(LetterRecord.kind).in_([LetterKind.DIRECTIVE, LetterKind.IMPLEMENTING]))
                .values(
                    state=LetterState.RELEASED,
                    number=d.spec.number,
                    year=d.spec.issued_on.year,
                    reference=d.reference,
                    issued_on=d.spec.issued_on,
                    spec_json=d.as_kept().model_dump_json(),
                    released_at=current.released_at,
                    released_by=actor,
                    redraft=True,  # to be written again, now numbered and dated
                )
            )
            rows: list[dict[str, Any]] = []
            audit_keys: list[str] = []
            self._assignments(session, current.id, current.key, d, rows, audit_keys)
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
            return list(session.exec(statement.order_by(col(DirectiveRecord.id))))

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
        """Units leading work of this directive that cascade it further down."""
        with Session(self.engine) as session:
            statement = (
                select(AssignmentRecord.unit_code)
                .join(UnitRecord, col(UnitRecord.code) == col(AssignmentRecord.unit_code))
                .where(AssignmentRecord.directive_id == directive_id, col(UnitRecord.governs))
                .where(AssignmentRecord.role == Role.LEAD)
                .distinct()
                .order_by(col(AssignmentRecord.unit_code))
            )
            return list(session.exec(statement))

    def audit(
        self, session: Session, actor: str, action: str, entity: str, keys: Sequence[str]
    ) -> None:
        """One row per changed record: who, what, real time — and the simulated time when the
        clock is simulated."""
        if keys:
            now = dt.datetime.now(dt.UTC)
            simulated = clock.now() if clock.simulated() else None
            # Core, not the ORM's bulk insert: written beside every change, entities unneeded.
            session.connection().execute(
                insert(AuditRecord),
                [
                    {
                        "at": now,
                        "simulated_at": simulated,
                        "actor": actor,
                        "action": action,
                        "entity": entity,
                        "entity_key": k,
                    }
                    for k in keys
                ],
            )


def _numbered(session: Session, d: Directive) -> Directive:
    """D as released: a number carried in from outside is recorded in its issuer's register; a
    draft takes the next number of that register, and today's date."""
    spec = d.spec
    if spec.number is not None:
        _refuse_taken(session, d)
        note_carried_number(session, d.issuer.code, spec.issued_on.year, spec.number)
        return d
    today = clock.today()
    number = take_number(session, d.issuer.code, today.year)
    numbered = spec.model_copy(update={"number": number, "issued_on": today})
    return Directive(numbered, d.org, d.source)


def _refuse_taken(session: Session, d: Directive) -> None:
    taken = session.exec(
        select(LetterRecord.key).where(
            LetterRecord.issuer_code == d.issuer.code,
            LetterRecord.year == d.spec.issued_on.year,
            LetterRecord.number == d.spec.number,
        )
    ).first()
    if taken is not None:
        raise InputError.one(
            d.source,
            "number",
            d.spec.number,
            f"số này đã có trong sổ văn bản đi năm {d.spec.issued_on.year} của "
            f"{d.issuer.name} (văn bản {taken})",
        )


@cache
def _open(url: str) -> Store:
    engine = engine_for(url)
    migrate(engine)
    return Store(engine)
