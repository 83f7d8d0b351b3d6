"""Logging in and out; a unit's inbox, one assignment (its directive, documents, history), the
report form with evidence, the extension request; downloads; notices."""

from __future__ import annotations

import datetime as dt
import secrets
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from models import access, notices, work, worklist
from models.access import Right
from models.accounts import LoginRefused, log_in, log_out
from models.database import home
from models.documents import path_of
from models.errors import InputError
from models.states import AccountRole, Band
from portal import web
from portal.uploads import Slot, evidence_from
from portal.web import current, go, page

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def start(request: Request) -> Response:
    person = current(request)
    if person.role == AccountRole.ADMIN:
        return go("/quan-tri")
    if person.role == AccountRole.COORDINATOR:
        return go("/bang-theo-doi")
    return go("/hop-viec")


@router.get("/dang-nhap", response_class=HTMLResponse)
def login_form(request: Request, het_han: int = 0) -> Response:
    token = secrets.token_urlsafe(24)
    note = "Phiên đăng nhập đã hết hạn; vui lòng đăng nhập lại." if het_han else None
    response = page(request, "dang_nhap.html", login_csrf=token, note=note, error=None)
    response.set_cookie(
        web.LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        max_age=3600,
        secure=web.settings().secure_cookies,
    )
    return response


@router.post("/dang-nhap", response_class=HTMLResponse)
def login(request: Request, form: web.Form) -> Response:
    cookie = request.cookies.get(web.LOGIN_CSRF_COOKIE, "")
    given = form.get("csrf")
    if not cookie or not isinstance(given, str) or not secrets.compare_digest(given, cookie):
        raise web.CsrfRefused
    username, password = str(form.get("username", "")), str(form.get("password", ""))
    try:
        login = log_in(web.store(), username, password, web.client_address(request))
    except LoginRefused as refused:
        return page(
            request,
            "dang_nhap.html",
            status=401,
            login_csrf=cookie,
            note=None,
            error=refused.message,
            username=username,
        )
    response = go("/")
    web.set_session_cookie(response, login.token, web.settings().session_minutes * 60)
    response.delete_cookie(web.LOGIN_CSRF_COOKIE)
    return response


@router.post("/dang-xuat")
def logout(request: Request, _: web.Checked) -> Response:
    log_out(web.store(), request.cookies.get(web.SESSION_COOKIE))
    response = go("/dang-nhap")
    response.delete_cookie(web.SESSION_COOKIE)
    return response


@router.get("/hop-viec", response_class=HTMLResponse)
def inbox(request: Request, band: str | None = None) -> Response:
    person = current(request)
    web.require(person, Right.INBOX)
    chosen = Band(band) if band in {b.value for b in Band} else None
    store = web.store()
    with store.reading() as session:
        rows = worklist.inbox(session, person.unit_code, person.unit_name, store.calendar)
    shown = [r for r in rows if chosen is None or r.band == chosen]
    counts = {b: sum(1 for r in rows if r.band == b) for b in Band}
    return page(request, "hop_viec.html", rows=shown, counts=counts, chosen=chosen)


@router.get("/viec/{assignment_id}", response_class=HTMLResponse)
def assignment(request: Request, assignment_id: int) -> Response:
    person = current(request)
    store = web.store()
    with store.reading() as session:
        record = access.assignment_for(session, person, assignment_id)
        row = worklist.work_row(session, assignment_id, store.calendar)
        text = worklist.task_text(store, session, row)
        past = worklist.history(session, record)
    own = record.unit_code == person.unit_code
    return page(
        request, "viec.html", row=row, text=text, history=past, own=own, today=dt.date.today()
    )


@router.post("/viec/{assignment_id}/bao-cao")
def report(assignment_id: int, _: Slot, sent: web.Checked) -> Response:
    files = sent.form.getlist("files")
    evidence = evidence_from([f for f in files if isinstance(f, UploadFile) and f.filename])
    text = str(sent.form.get("text", ""))
    if not text.strip():
        raise InputError.one("(biểu mẫu)", "nội dung", text, "nội dung báo cáo không được để trống")
    late = work.report(web.store(), sent.person, assignment_id, text, evidence)
    return go(f"/viec/{assignment_id}?da-bao-cao={'tre' if late else 'dung-han'}")


@router.post("/viec/{assignment_id}/gia-han")
def request_extension(assignment_id: int, sent: web.Checked) -> Response:
    until = _day(str(sent.form.get("until", "")), "hạn mới")
    reason = str(sent.form.get("reason", ""))
    work.request_extension(web.store(), sent.person, assignment_id, until, reason)
    return go(f"/viec/{assignment_id}?da-de-nghi=1")


def _day(value: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError.one("(biểu mẫu)", field, value, "phải là ngày dạng YYYY-MM-DD") from None


def _attachment(name: str) -> str:
    ascii_name = name.encode("ascii", "ignore").decode() or "tep"
    ascii_name = ascii_name.replace('"', "").replace("\\", "")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


@router.get("/van-ban/{letter_id}")
def letter(request: Request, letter_id: int) -> Response:
    person = current(request)
    with web.store().reading() as session:
        found = access.letter_for(session, person, letter_id)
    path = path_of(found)
    name = f"{found.reference.replace('/', '-') or 'du-thao'}-{found.kind}.docx"
    kind = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    headers = {"Content-Disposition": _attachment(name)}
    if path.is_file():
        return FileResponse(path, media_type=kind, headers=headers)
    if found.content:
        return Response(found.content, media_type=kind, headers=headers)
    raise InputError.one("(văn bản)", "tệp", found.reference, "văn bản chưa được viết ra tệp")


@router.get("/kiem-chung/{evidence_id}")
def evidence(request: Request, evidence_id: int) -> Response:
    person = current(request)
    with web.store().reading() as session:
        found = access.evidence_for(session, person, evidence_id)
    path = home() / "evidence" / found.sha256[:2] / found.sha256  # as evidence_path keeps it
    headers = {"Content-Disposition": _attachment(found.filename)}
    return FileResponse(path, media_type=found.content_type, headers=headers)


@router.get("/thong-bao", response_class=HTMLResponse)
def notices_page(request: Request) -> Response:
    person = current(request)
    store = web.store()
    shown = notices.notices_for(store, person.account_id)
    answer = page(request, "thong_bao.html", notices=shown, unread=0)
    # Seen once listed: the page marks them "Mới" this time, the menu counts them no more.
    notices.mark_seen(store, account_id=person.account_id, ids=[n.id for n in shown if n.id])
    return answer


def not_logged_in(request: Request) -> Response:
    if request.method == "GET":
        had = bool(request.cookies.get(web.SESSION_COOKIE))
        return RedirectResponse(f"/dang-nhap{'?het_han=1' if had else ''}", status_code=303)
    return web.refusal(
        request,
        401,
        "Phiên đăng nhập đã hết hạn",
        [
            "Phiên đăng nhập đã hết hạn hoặc chưa đăng nhập; không có gì được ghi.",
            "Hãy đăng nhập lại rồi gửi lại biểu mẫu.",
        ],
    )
