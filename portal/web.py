"""What every page of the portal shares: the templates, the logged-in person, CSRF checks,
cookies, and how a refusal is shown (a Vietnamese page, the right status, nothing written)."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from models.access import RIGHTS, Right, may
from models.accounts import Person, SessionExpired, visit_of
from models.bands import ORDER
from models.calendar import ZONE
from models.errors import ChidaoError, InputError
from models.settings import settings
from models.states import AccountRole, AssignmentState, Band, MailState, RequestState, Role
from models.store import Store
from models.vntext import short_date

HERE = Path(__file__).resolve().parent
SESSION_COOKIE = "chidao_phien"
LOGIN_CSRF_COOKIE = "chidao_dang_nhap"

templates = Jinja2Templates(directory=str(HERE / "pages"))
templates.env.auto_reload = False  # the pages ship with the code: no stat() per render
templates.env.globals.update(
    Band=Band,
    BANDS=ORDER,
    AccountRole=AccountRole,
    AssignmentState=AssignmentState,
    RequestState=RequestState,
    MailState=MailState,
    Role=Role,
    Right=Right,
    RIGHTS=RIGHTS,
    may=may,
)
templates.env.filters["day"] = lambda d: short_date(d) if d else "—"
templates.env.filters["plain"] = lambda t: (t or "").replace("**", "")
templates.env.filters["pct"] = lambda x: f"{100 * x:.0f}%"
templates.env.filters["moment"] = lambda m: (
    m.astimezone(ZONE).strftime("%H:%M %d/%m/%Y") if m else "—"
)


def store() -> Store:
    return Store.open()


class NotLoggedIn(Exception):
    """No login, or one that ended: pages send to the login form, posts are refused."""


class CsrfRefused(Exception):
    """A form without the login's token: refused, nothing written."""


def current(request: Request) -> Person:
    """The person logged in, kept on the request with their form token and unread count."""
    try:
        visit = visit_of(store(), request.cookies.get(SESSION_COOKIE))
    except SessionExpired:
        raise NotLoggedIn from None
    request.state.person = visit.person
    request.state.csrf = visit.csrf
    request.state.unread = visit.unread
    return visit.person


@asynccontextmanager
async def _form(request: Request) -> AsyncIterator[FormData]:
    form = await request.form()
    try:
        yield form
    finally:
        await form.close()  # the temporary files go, whatever happened


async def form_of(request: Request) -> AsyncIterator[FormData]:
    """The request's form, read on the event loop. The page itself then runs in the thread
    pool (a plain `def`), so its database work never holds up the other requests of its
    process."""
    async with _form(request) as form:
        yield form


@dataclass(frozen=True)
class Posted:
    """A form whose CSRF token matches its sender's login."""

    person: Person
    form: FormData


async def posted(request: Request) -> AsyncIterator[Posted]:
    """The login first (a stranger's body is never read), then the form and its token."""
    person = await run_in_threadpool(current, request)
    async with _form(request) as form:
        given = form.get("csrf")
        if not isinstance(given, str) or not secrets.compare_digest(given, request.state.csrf):
            raise CsrfRefused
        yield Posted(person, form)


Form = Annotated[FormData, Depends(form_of)]
Checked = Annotated[Posted, Depends(posted)]


def upload_in(form: Any, name: str, what: str) -> tuple[UploadFile, str]:
    """The file the form's field NAME carries and its name, or a refusal naming WHAT."""
    upload = form.get(name)
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise InputError.one("(biểu mẫu)", what, None, f"hãy chọn {what}")
    return upload, upload.filename


def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("person", getattr(request.state, "person", None))
    context.setdefault("unread", getattr(request.state, "unread", 0))
    context.setdefault("csrf", getattr(request.state, "csrf", ""))
    response = templates.TemplateResponse(request, name, context, status_code=status)
    # A page may show one unit's work: after logging out, Back must not show it from the cache.
    response.headers["Cache-Control"] = "no-store"
    return response


def refusal(request: Request, status: int, title: str, lines: list[str]) -> HTMLResponse:
    return page(request, "loi.html", status=status, title=title, lines=lines)


def status_of(error: ChidaoError) -> int:
    from models.access import Forbidden

    if isinstance(error, Forbidden):
        return 403
    if isinstance(error, InputError):
        return 400
    return {3: 409, 4: 503, 5: 503}.get(error.exit_code, 500)


def set_session_cookie(response: Response, token: str, max_age: int) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=settings().secure_cookies,
        path="/",
    )


def go(url: str) -> RedirectResponse:
    """After a post: to the page that shows the result (303, so a reload does not post again)."""
    return RedirectResponse(url, status_code=303)


def client_address(request: Request) -> str:
    return request.client.host if request.client else "?"


def require(person: Person, right: Right) -> None:
    from models import access

    access.require(person, right)
