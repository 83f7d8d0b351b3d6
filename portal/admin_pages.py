"""The administrator's page: accounts (add, import a CSV, lock and unlock) and the outbox's
troubles (emails that failed, sent again on request)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import select

from models import accounts, notices, outbox
from models.access import Right
from models.errors import InputError
from models.records import UnitRecord
from models.settings import settings
from portal import web
from portal.web import current, go, page

router = APIRouter()


def _admin(request: Request) -> web.Person:
    person = current(request)
    web.require(person, Right.ACCOUNTS)
    return person


@router.get("/quan-tri", response_class=HTMLResponse)
def admin(request: Request, done: str | None = None) -> Response:
    _admin(request)
    store = web.store()
    with store.reading() as session:
        units = list(
            session.exec(select(UnitRecord.code, UnitRecord.name).order_by(UnitRecord.code))
        )
    return page(
        request,
        "quan_tri.html",
        accounts=accounts.accounts(store),
        units=units,
        troubled=outbox.troubled(store),
        mail=outbox.mail_counts(store),
        smtp=settings().smtp_host,
        done=done,
    )


@router.post("/quan-tri/tai-khoan")
def add(sent: web.Checked) -> Response:
    person, form = sent.person, sent.form
    web.require(person, Right.ACCOUNTS)
    accounts.add_account(
        web.store(),
        str(form.get("username", "")).strip(),
        str(form.get("full_name", "")),
        str(form.get("unit", "")).strip(),
        str(form.get("role", "")),
        str(form.get("password", "")),
        str(form.get("email", "")).strip() or None,
        person.actor,
        "(biểu mẫu)",
    )
    return go("/quan-tri?done=them")


@router.post("/quan-tri/nhap-csv")
def import_csv(sent: web.Checked) -> Response:
    web.require(sent.person, Right.ACCOUNTS)
    try:
        upload, given = web.upload_in(sent.form, "file", "tệp CSV")
        data = upload.file.read().decode("utf-8-sig", errors="strict")
    except UnicodeDecodeError:
        raise InputError.one("(biểu mẫu)", "tệp CSV", None, "tệp phải là UTF-8") from None
    count = accounts.import_accounts(web.store(), data, given, sent.person.actor)
    return go(f"/quan-tri?done=nhap-{count}")


@router.post("/quan-tri/tai-khoan/{account_id}/{action}")
def lock(account_id: int, action: str, sent: web.Checked) -> Response:
    web.require(sent.person, Right.ACCOUNTS)
    if action not in ("khoa", "mo"):
        raise InputError.one("(biểu mẫu)", "thao tác", action, "chỉ có khóa hoặc mở")
    accounts.set_active(web.store(), account_id, action == "mo", sent.person.actor)
    return go("/quan-tri")


@router.post("/quan-tri/thu/gui-lai")
def resend(sent: web.Checked) -> Response:
    web.require(sent.person, Right.OUTBOX)
    ids = [int(str(x)) for x in sent.form.getlist("notice") if str(x).isdigit()]
    store = web.store()
    outbox.retry(store, ids)
    outbox.deliver(store)
    return go("/quan-tri?done=gui")


@router.post("/quan-tri/thu/gui-ngay")
def send_now(sent: web.Checked) -> Response:
    web.require(sent.person, Right.OUTBOX)
    store = web.store()
    notices.collect(store)
    outbox.deliver(store)
    return go("/quan-tri?done=gui")
