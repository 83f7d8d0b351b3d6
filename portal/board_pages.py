"""The coordinator's pages: the live board with its filters, accepting and returning reports,
deciding extension requests, every document (the synthesis included), releasing drafts,
issuing a directive from a received letter, and the workflows (escalate, synthesise)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from models import work, worklist
from models.access import Forbidden, Right, followed_up_by
from models.errors import InputError
from models.letterfile import SUFFIXES
from models.letters import find_letters
from models.records import DirectiveRecord
from models.states import Band, LetterState
from portal import runs, web
from portal.web import current, go, page

router = APIRouter()
LETTER_SUFFIXES = SUFFIXES  # what the importer reads


def _coordinator(request: Request, right: Right = Right.BOARD) -> web.Person:
    person = current(request)
    web.require(person, right)
    return person


@router.get("/bang-theo-doi", response_class=HTMLResponse)
def board(
    request: Request,
    chi_dao: str | None = None,  # the form sends "" for "Tất cả"
    don_vi: str | None = None,
    muc: str | None = None,
    band: str | None = None,
) -> Response:
    person = _coordinator(request)
    store = web.store()
    chosen = Band(band) if band in {b.value for b in Band} else None
    directive_id = int(chi_dao) if chi_dao and chi_dao.isdecimal() else None
    with store.reading() as session:
        found = worklist.board(
            session,
            person.unit_code,
            store.calendar,
            directive_id=directive_id,
            unit=don_vi or None,
            band=chosen,
            item=muc or None,
        )
        requests = worklist.pending_requests(session, person.unit_code)
    filters = {"chi_dao": directive_id, "don_vi": don_vi or "", "muc": muc or "", "band": chosen}
    return page(request, "bang_theo_doi.html", board=found, requests=requests, filters=filters)


@router.post("/viec/{assignment_id}/chap-nhan")
def accept(assignment_id: int, sent: web.Checked) -> Response:
    work.review(web.store(), sent.person, assignment_id, True, None)
    return go(f"/viec/{assignment_id}?da-chap-nhan=1")


@router.post("/viec/{assignment_id}/tra-lai")
def return_report(assignment_id: int, sent: web.Checked) -> Response:
    reason = str(sent.form.get("reason", ""))
    work.review(web.store(), sent.person, assignment_id, False, reason)
    return go(f"/viec/{assignment_id}?da-tra-lai=1")


@router.post("/de-nghi/{request_id}")
def decide(request_id: int, sent: web.Checked) -> Response:
    person, form = sent.person, sent.form
    grant = form.get("decision") == "grant"
    work.decide_extension(web.store(), person, request_id, grant, str(form.get("note", "")) or None)
    return go(f"/bang-theo-doi?da-quyet-dinh={'dong-y' if grant else 'khong-dong-y'}#de-nghi")


@router.get("/van-ban", response_class=HTMLResponse)
def letters(request: Request) -> Response:
    person = _coordinator(request)
    with web.store().reading() as session:
        found = worklist.letters_of(session, person.unit_code)
    drafts = [x for x in found if x.state == LetterState.DRAFT]
    return page(request, "van_ban.html", letters=found, drafts=drafts)


@router.post("/van-ban/phat-hanh")
def release(sent: web.Checked) -> Response:
    person, form = sent.person, sent.form
    web.require(person, Right.RUN_WORKFLOWS)
    keys = [str(k) for k in form.getlist("key")]
    if not keys:
        raise InputError.one("(biểu mẫu)", "văn bản", None, "hãy chọn ít nhất một văn bản")
    store = web.store()
    with store.reading() as session:
        allowed = {x.key for x in worklist.letters_of(session, person.unit_code)}
        chosen = find_letters(session, keys)
    if any(x.key not in allowed or x.state != LetterState.DRAFT for x in chosen):
        raise Forbidden.one(
            "(quyền truy cập)", "văn bản", None, "chỉ phát hành dự thảo trong phạm vi"
        )
    title = f"Phát hành {len(keys)} văn bản"
    run = runs.start(store, person, "release", title, {"refs": keys, "by": person.full_name})
    return go(f"/luot-chay/{run}")


@router.post("/quet-han")
def escalate(sent: web.Checked) -> Response:
    person = sent.person
    web.require(person, Right.RUN_WORKFLOWS)
    run = runs.start(web.store(), person, "escalate", "Quét hạn hôm nay", {})
    return go(f"/luot-chay/{run}")


@router.post("/tong-hop")
def synthesize(sent: web.Checked) -> Response:
    person, form = sent.person, sent.form
    web.require(person, Right.RUN_WORKFLOWS)
    store = web.store()
    directive_id = _int(str(form.get("directive", "")), "chỉ đạo")
    with store.reading() as session:
        scope = followed_up_by(person.unit_code).where(DirectiveRecord.id == directive_id)  # type: ignore[arg-type]
        record = session.get(DirectiveRecord, directive_id)
        if record is None or session.execute(scope).first() is None:
            raise Forbidden.one("(quyền truy cập)", "chỉ đạo", directive_id, "không thuộc phạm vi")
    title = f"Tổng hợp báo cáo {record.reference}"
    run = runs.start(store, person, "synthesize", title, {"ref": record.key})
    return go(f"/luot-chay/{run}")


def _int(value: str, field: str) -> int:
    if not value.isdigit():
        raise InputError.one("(biểu mẫu)", field, value, "hãy chọn trong danh sách")
    return int(value)


@router.get("/luot-chay/{run_id}", response_class=HTMLResponse)
def run_page(request: Request, run_id: int) -> Response:
    person = _coordinator(request)
    run = runs.progress(web.store(), run_id)
    if run is None or run.unit_code != person.unit_code:
        raise Forbidden.one("(quyền truy cập)", "lượt chạy", run_id, "không thuộc đơn vị của bạn")
    return page(request, "luot_chay.html", run=run, state=runs.STATES.get(run.state, run.state))
