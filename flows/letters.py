"""Drafting, writing and releasing letters: each kind drafted from its records by its builder in
models/, worded by its template, rendered, kept in the database and written to disk (announced
first, so a killed run leaves nothing it cannot recognise)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import Session, col, select

from models import clock, escalation, results, rollup, synthesis
from models.assignments import find, submit_report
from models.directive import Directive
from models.documents import Outcome, check, put, sha256
from models.errors import StateError
from models.evidence import Evidence
from models.followups import escalation_report, urging_letter
from models.letters import LetterDraft, find_letters, take_number
from models.org import OrgTree
from models.records import DirectiveRecord, LetterRecord, ReminderRecord
from models.spec import Ladder
from models.states import LetterKind, LetterState
from models.store import Store
from models.vntext import short_date
from renderer import Figure, Rendered, render
from renderer.chart import bar_chart

DIRECTIVE_KINDS = (LetterKind.DIRECTIVE, LetterKind.IMPLEMENTING)


@dataclass(frozen=True)
class Drafted:
    """A letter ready to render: its directive (header, signature) and what its template needs."""

    directive: Directive
    template: str | None = None
    context: dict[str, object] | None = None
    figures: tuple[Figure, ...] = ()
    due_on: dt.date | None = None

    def render(self) -> Rendered:
        return render(
            self.directive,
            template_name=self.template,
            context=self.context,
            figures=self.figures,
        )


def _directive_of(store: Store, letter: LetterRecord) -> DirectiveRecord:
    with Session(store.engine) as session:
        record = session.get(DirectiveRecord, letter.directive_id)
    assert record is not None, f"{letter.key} belongs to a directive"
    return record


def draft(
    store: Store, letter: LetterRecord, day: dt.date, number: int | None = None
) -> Drafted | None:
    """LETTER drafted from its records as of DAY (numbered NUMBER when released); None when
    there is nothing left to say (every unit it was to urge has reported since)."""
    kind = LetterKind(letter.kind)
    if kind in DIRECTIVE_KINDS:
        return Drafted(store.directive(_directive_of(store, letter)))
    made = _follow_up(store, letter, kind, day)
    if made is None:
        return None
    built, org, figures = made
    spec = built.spec.model_copy(update={"number": number, "issued_on": day})
    return Drafted(
        Directive(spec, org, letter.key), built.template, built.context, figures, built.due_on
    )


def _follow_up(
    store: Store, letter: LetterRecord, kind: LetterKind, day: dt.date
) -> tuple[LetterDraft, OrgTree, tuple[Figure, ...]] | None:
    if kind in (LetterKind.URGING, LetterKind.ESCALATION):
        lates = escalation.lates_of(store, letter.id or 0)
        if not lates:
            return None
        org = store.org(lates[0].directive)
        people = store.current_org(org.name) or org
        if kind is LetterKind.URGING:
            raw = lates[0].directive.ladder
            ladder = Ladder.model_validate_json(raw) if raw else Ladder()
            made = urging_letter(
                org,
                people,
                letter.issuer_code,
                lates,
                day,
                ladder,
                store.calendar,
                rollup.reporting_limit(store, [late.directive for late in lates]),
            )
        else:
            issuer = org.units[lates[0].directive.issuer_code]
            parent = org.parent_of(issuer)
            to = issuer if issuer.code != letter.issuer_code else parent
            assert to is not None, "an escalation report is claimed only when it has a recipient"
            made = escalation_report(org, people, letter.issuer_code, to.code, lates, day)
        return made, org, ()
    record = _directive_of(store, letter)
    org = store.org(record)
    people = store.current_org(org.name) or org
    assert record.id is not None
    counted = letter.as_of or day  # a synthesis counts to the day asked, whenever released
    table = results.rows(store, record.id, counted)
    if kind is LetterKind.ROLLUP:
        made = rollup.rollup_letter(
            org,
            people,
            record,
            rollup.own_letter(store, record),
            rollup.parent_of(store, record),
            rollup.addressee(store, record),
            table,
            day,
        )
        return made, org, ()
    passed = [
        synthesis.Passed(
            org.units[code].name,
            child.reference,
            child.issued_on,
            child.state == LetterState.RELEASED,
        )
        for code, child in results.implementing_letters(store, record.id).items()
    ]
    urgings = synthesis.follow_up_letters(store, record.id, LetterKind.URGING)
    made = synthesis.synthesis_letter(
        org,
        people,
        record,
        table,
        results.below(store, record.id, counted),
        passed,
        urgings,
        counted,
        {task.label: task.item.product for task in store.directive(record).tasks()},
    )
    by_group = results.by(table, "group")
    chart = bar_chart(
        list(by_group), [t.percent for t in by_group.values()], "Tỷ lệ báo cáo đúng hạn"
    )
    figure = Figure(chart, "Biểu đồ: tỷ lệ báo cáo đúng hạn theo nhóm cơ quan, đơn vị", width=14.0)
    return made, org, (figure,)


def write(store: Store, letters: Sequence[LetterRecord]) -> Outcome:
    """Draft, render and write LETTERS (drafts, and released letters not written since their
    release), keeping the bytes in the database. A draft with nothing left to say is dropped."""
    outcome = Outcome()
    ready: list[tuple[LetterRecord, Drafted, Rendered]] = []
    for letter in letters:
        made = draft(store, letter, letter.issued_on, letter.number)
        if made is None:
            _drop(store, letter)
            continue
        ready.append((letter, made, made.render()))
    _announce(store, [(letter, rendered.data) for letter, _, rendered in ready])
    for letter, _, rendered in ready:
        outcome += put(letter, rendered.data)
    _keep(store, ready)
    return outcome


def _announce(store: Store, new: Sequence[tuple[LetterRecord, bytes]]) -> None:
    """Record the bytes about to be written, before writing them (see models.documents)."""
    with store.session() as session:
        for letter, data in new:
            session.execute(
                update(LetterRecord)
                .where(col(LetterRecord.id) == letter.id)
                .values(other_sha256=sha256(data))
            )
            letter.other_sha256 = sha256(data)


def _keep(store: Store, written: Sequence[tuple[LetterRecord, Drafted, Rendered]]) -> None:
    """Record the bytes now on disk, in one transaction after the files."""
    with store.session() as session:
        for letter, made, rendered in written:
            session.execute(
                update(LetterRecord)
                .where(col(LetterRecord.id) == letter.id)
                .values(
                    content=rendered.data,
                    sha256=sha256(rendered.data),
                    other_sha256=None,
                    redraft=False,
                    spec_json=made.directive.as_kept().model_dump_json(),
                    subject=rendered.subject,
                    reference=made.directive.reference,
                    due_on=made.due_on,
                )
            )


def _drop(store: Store, letter: LetterRecord) -> None:
    """A claimed follow-up letter with nothing left to say is not kept."""
    with store.session() as session:
        session.execute(
            update(ReminderRecord)
            .where(col(ReminderRecord.letter_id) == letter.id)
            .values(letter_id=None)
        )
        current = session.get(LetterRecord, letter.id)
        if current is not None and current.state == LetterState.DRAFT:
            session.delete(current)


def verify(store: Store, letters: Sequence[LetterRecord]) -> Outcome:
    """Check written letters' files; restore the missing or broken, report the edited."""
    outcome = Outcome()
    for letter in letters:
        outcome += check(letter)
    return outcome


def letters_of(store: Store, directive_ids: Sequence[int]) -> list[LetterRecord]:
    with Session(store.engine) as session:
        return list(
            session.exec(
                select(LetterRecord)
                .where(col(LetterRecord.directive_id).in_(list(directive_ids)))
                .where(col(LetterRecord.kind).in_(DIRECTIVE_KINDS))
                .order_by(col(LetterRecord.id))
            )
        )


def by_id(store: Store, ids: Sequence[int]) -> list[LetterRecord]:
    with Session(store.engine) as session:
        statement = select(LetterRecord).where(col(LetterRecord.id).in_(list(ids)))
        return list(session.exec(statement.order_by(col(LetterRecord.id))))


def to_write(letters: Sequence[LetterRecord]) -> list[LetterRecord]:
    return [x for x in letters if x.content is None or x.redraft]


def release_follow_up(store: Store, letter: LetterRecord, by: str) -> LetterRecord:
    """Release a follow-up letter: the next number of its issuer's register and today's date,
    drafted again from today's facts, its bytes frozen; a report upward then also stands as its
    unit's report. Returns the letter as released."""
    today = clock.today()
    with store.session() as session:
        current = session.get(LetterRecord, letter.id, with_for_update=True)
        assert current is not None
        if current.state == LetterState.RELEASED:
            return current
        number = take_number(session, current.issuer_code, today.year)
        made = draft(store, current, today, number)
        if made is None:
            raise StateError.one(
                "(dòng lệnh)",
                "REF",
                current.key,
                "văn bản không còn nội dung: các đơn vị nêu trong văn bản đều đã báo cáo",
            )
        rendered = made.render()
        current.other_sha256, current.sha256 = current.sha256, sha256(rendered.data)
        current.content = rendered.data
        current.state = LetterState.RELEASED
        current.number, current.year = number, today.year
        current.issued_on = today
        current.reference = made.directive.reference
        current.subject = rendered.subject
        current.spec_json = made.directive.as_kept().model_dump_json()
        current.due_on = made.due_on
        current.redraft = False
        current.released_at, current.released_by = clock.now(), by
        store.audit(session, by, "letter.released", "letter", [current.key])
    check(current)
    if LetterKind(current.kind) in (LetterKind.ROLLUP, LetterKind.SYNTHESIS):
        _answer_with(store, current, by)
    return current


def _answer_with(store: Store, letter: LetterRecord, by: str) -> None:
    """A released report upward is its unit's report on its own assignments above, and it (or a
    released synthesis) answers the coordinator's own work below: its follow-up task and its
    part of the work it collected."""
    record = _directive_of(store, letter)
    assert letter.content is not None and record.id is not None
    evidence = Evidence(
        sha256(letter.content),
        f"{letter.reference.replace('/', '-')}.docx",
        len(letter.content),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        letter.content,
    )
    text = f"Báo cáo số {letter.reference} ngày {short_date(letter.issued_on)} về {letter.subject}"
    targets = []
    if LetterKind(letter.kind) is LetterKind.ROLLUP:
        parent = rollup.parent_of(store, record)
        targets += [
            find(store, parent.key, record.issuer_code, label)
            for label in rollup.owed_labels(store, record)
        ]
    coordinator = store.org(record).units[record.issuer_code].coordinator or record.issuer_code
    targets += [
        find(store, record.key, coordinator, label)
        for label in rollup.own_work_labels(store, record.id, coordinator)
    ]
    for target in targets:
        submit_report(store, target, text, [evidence], by)


def release(store: Store, refs: Sequence[str], by: str) -> list[LetterRecord]:
    """Find every letter first (an unknown one refuses them all), then release them in order."""
    with Session(store.engine) as session:
        letters = find_letters(session, refs)
    released = []
    for letter in letters:
        if LetterKind(letter.kind) in DIRECTIVE_KINDS:
            store.release(_directive_of(store, letter), by)
        else:
            release_follow_up(store, letter, by)
        released.append(letter)
    return released
