"""The coordinator's pages: the live board with its filters, accepting and returning reports,
deciding extension requests, every document (the synthesis included), releasing drafts,
issuing a directive from a received letter, and the workflows (escalate, synthesise)."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session
from starlette.datastructures import UploadFile

from models import clock, work, worklist
from models.access import Forbidden, Right, followed_up_by
from models.cascade import issuable
from models.directive import Directive
from models.errors import InputError
from models.files import write_atomic
from models.importing import (
    Unread,
    checked_text,
    import_letter,
    letter_spec,
    received_entry,
    spec_yaml,
    task_lines,
)
from models.letterfile import SUFFIXES, read_letter
from models.letters import find_letters
from models.org import OrgTree
from models.received import enter
from models.records import DirectiveRecord
from models.settings import settings
from models.states import Band, LetterState
from models.store import home
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
    chi_dao: int | None = None,
    don_vi: str | None = None,
    muc: str | None = None,
    band: str | None = None,
) -> Response:
    person = _coordinator(request)
    store = web.store()
    chosen = Band(band) if band in {b.value for b in Band} else None
    with Session(store.engine) as session:
        found = worklist.board(
            session,
            person.unit_code,
            store.calendar,
            directive_id=chi_dao,
            unit=don_vi or None,
            band=chosen,
            item=muc or None,
        )
        requests = worklist.pending_requests(session, person.unit_code)
    filters = {"chi_dao": chi_dao, "don_vi": don_vi or "", "muc": muc or "", "band": chosen}
    return page(request, "bang_theo_doi.html", board=found, requests=requests, filters=filters)


@router.post("/viec/{assignment_id}/chap-nhan")
async def accept(request: Request, assignment_id: int) -> Response:
    person, _ = await web.checked_form(request)
    work.review(web.store(), person, assignment_id, True, None)
    return go(f"/viec/{assignment_id}?da-chap-nhan=1")


@router.post("/viec/{assignment_id}/tra-lai")
async def return_report(request: Request, assignment_id: int) -> Response:
    person, form = await web.checked_form(request)
    work.review(web.store(), person, assignment_id, False, str(form.get("reason", "")))
    return go(f"/viec/{assignment_id}?da-tra-lai=1")


@router.post("/de-nghi/{request_id}")
async def decide(request: Request, request_id: int) -> Response:
    person, form = await web.checked_form(request)
    grant = form.get("decision") == "grant"
    work.decide_extension(web.store(), person, request_id, grant, str(form.get("note", "")) or None)
    return go("/bang-theo-doi#de-nghi")


@router.get("/van-ban", response_class=HTMLResponse)
def letters(request: Request) -> Response:
    person = _coordinator(request)
    with Session(web.store().engine) as session:
        found = worklist.letters_of(session, person.unit_code)
    drafts = [x for x in found if x.state == LetterState.DRAFT]
    return page(request, "van_ban.html", letters=found, drafts=drafts)


@router.post("/van-ban/phat-hanh")
async def release(request: Request) -> Response:
    person, form = await web.checked_form(request)
    web.require(person, Right.RUN_WORKFLOWS)
    keys = [str(k) for k in form.getlist("key")]
    if not keys:
        raise InputError.one("(biểu mẫu)", "văn bản", None, "hãy chọn ít nhất một văn bản")
    store = web.store()
    with Session(store.engine) as session:
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
async def escalate(request: Request) -> Response:
    person, _ = await web.checked_form(request)
    web.require(person, Right.RUN_WORKFLOWS)
    run = runs.start(web.store(), person, "escalate", "Quét hạn hôm nay", {})
    return go(f"/luot-chay/{run}")


@router.post("/tong-hop")
async def synthesize(request: Request) -> Response:
    person, form = await web.checked_form(request)
    web.require(person, Right.RUN_WORKFLOWS)
    store = web.store()
    directive_id = _int(str(form.get("directive", "")), "chỉ đạo")
    with Session(store.engine) as session:
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


@router.get("/phat-hanh-moi", response_class=HTMLResponse)
def import_form(request: Request) -> Response:
    _coordinator(request, Right.RUN_WORKFLOWS)
    return page(request, "phat_hanh_moi.html", text=None, notes=[], problems=[], tasks=[])


def _org() -> tuple[OrgTree, Path]:
    path = settings().org
    if path is None:
        message = "chưa đặt cây tổ chức của văn phòng (biến CHIDAO_ORG)"
        raise InputError.one("(cấu hình)", "CHIDAO_ORG", None, message)
    return OrgTree.load(path), path.resolve()


@router.post("/phat-hanh-moi/doc", response_class=HTMLResponse)
async def read_received(request: Request) -> Response:
    """Read the uploaded letter into a spec and show it to be checked and corrected."""
    person, form = await web.checked_form(request)
    web.require(person, Right.RUN_WORKFLOWS)
    try:
        upload = form.get("letter")
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise InputError.one("(biểu mẫu)", "văn bản đến", None, "hãy chọn tệp văn bản đến")
        suffix = Path(upload.filename).suffix.lower()
        if suffix not in LETTER_SUFFIXES:
            message = f"chỉ nhận {', '.join(LETTER_SUFFIXES)}"
            raise InputError.one("(biểu mẫu)", "văn bản đến", upload.filename, message)
        org, org_path = _org()
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"van-ban-den{suffix}"
            data = await upload.read()
            path.write_bytes(data)
            lines = read_letter(path)
        imported = import_letter(lines, org, str(org_path), upload.filename)
    finally:
        await form.close()
    today = clock.today()
    imported.spec["received_on"] = today.isoformat()
    notes = list(imported.unread)
    try:
        letter_spec(imported.spec, org, Path(upload.filename))
    except InputError as error:
        notes += [Unread(0, "", p.message, p.field) for p in error.problems]
    origin = f"Đọc từ {upload.filename} trên cổng chidao"
    text = spec_yaml(imported.spec, origin, notes, upload.filename)
    with web.store().session() as session:
        entry = received_entry(imported, org, upload.filename, data)
        enter(session, receiver=person.unit_code, received_on=today, letter=entry)
    tasks = task_lines(imported, org, web.store().calendar)
    shown = [n.describe(upload.filename) for n in notes]
    return page(request, "phat_hanh_moi.html", text=text, notes=shown, problems=[], tasks=tasks)


@router.post("/phat-hanh-moi/phat-hanh", response_class=HTMLResponse)
async def issue(request: Request) -> Response:
    """Issue the checked spec through the issue flow."""
    person, form = await web.checked_form(request)
    web.require(person, Right.RUN_WORKFLOWS)
    text = checked_text(str(form.get("spec", "")))  # read and corrected on this page
    folder = home() / "nhap-van-ban"
    path = folder / f"{hashlib.sha256(text.encode()).hexdigest()[:16]}.yaml"
    write_atomic(path, text.encode())
    try:
        directive = issuable(Directive.load(path), clock.today())
    except InputError as error:
        path.unlink(missing_ok=True)
        problems = [str(p) for p in error.problems]
        return page(
            request,
            "phat_hanh_moi.html",
            status=400,
            text=text,
            notes=[],
            problems=problems,
            tasks=[],
        )
    if (
        directive.issuer.coordinator not in (person.unit_code, None)
        and directive.issuer.code != person.unit_code
    ):
        path.unlink(missing_ok=True)
        raise Forbidden.one(
            "(quyền truy cập)",
            "issuer",
            directive.issuer.code,
            "cơ quan thường trực của đơn vị khác mới phát hành được",
        )
    auto = form.get("auto_release") == "1"
    title = f"Phát hành {directive.reference}: {directive.spec.subject}"
    run = runs.start(
        web.store(), person, "issue", title, {"spec_path": str(path), "auto_release": auto}
    )
    return go(f"/luot-chay/{run}")
