"""The synthesis flow "Tổng hợp báo cáo": the coordinator's báo cáo tổng hợp for a directive."""

from __future__ import annotations

import datetime as dt

from prefect import flow
from sqlmodel import select

from flows import letters
from flows.context import refusing
from flows.escalation import AUTO
from flows.forms import titled
from models import clock
from models.documents import path_of
from models.letters import claimed, folder_of, letter_key, letter_path
from models.records import LetterRecord, insert_ignoring
from models.states import LetterKind, LetterState
from models.store import Store


@flow(name="Tổng hợp báo cáo")
@refusing
def synthesize(
    ref: str = titled(..., "Mã hoặc số hiệu văn bản chỉ đạo"),
    as_of: dt.date | None = titled(None, "Tổng hợp đến ngày", "Mặc định: hôm nay"),
    auto_release: bool = titled(False, "Phát hành ngay", "Cấp số, không chờ duyệt"),
) -> str:
    """Draft (or redraft) the báo cáo tổng hợp of directive REF as of the end of AS_OF;
    returns the document's path. A released synthesis is never redrafted."""
    day = as_of or clock.today()
    clock.not_ahead(day, "as_of")
    store = Store.open()
    record = store.lookup(ref)
    issuer = store.org(record).units[record.issuer_code]
    key = letter_key(LetterKind.SYNTHESIS, record.key, day.isoformat())
    folder = folder_of(store.cascade_root(record).key)
    row = claimed(
        key,
        LetterKind.SYNTHESIS,
        issuer.coordinator or issuer.code,
        day,
        letter_path(folder, f"tong-hop-{day.isoformat()}", key),
        directive_id=record.id,
        as_of=day,
    )
    with store.session() as session:
        session.execute(insert_ignoring(session, LetterRecord).values(**row))
        letter = session.exec(select(LetterRecord).where(LetterRecord.key == key)).one()
        if letter.state == LetterState.DRAFT:
            letter.redraft = True
    if letter.state == LetterState.DRAFT:
        letters.write(store, letters.by_id(store, [letter.id or 0]))
        if auto_release:
            letters.release(store, [key], AUTO)
    else:
        letters.verify(store, [letter])
    return str(path_of(letter))
