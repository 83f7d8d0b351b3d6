"""The portal's FastAPI application: its pages, static files, how refusals are shown, and the
outbox sender that runs beside it."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from anyio import to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from models import notices, outbox
from models.errors import ChidaoError
from models.faults import as_fault
from models.settings import settings
from models.store import Store
from portal import admin_pages, board_pages, import_pages, unit_pages, web
from portal.uploads import BodyLimit

PAGE_THREADS = 4  # per portal process

log = logging.getLogger("chidao.portal")


def outbox_rounds(stop: threading.Event) -> None:
    """Collect notices and send emails every CHIDAO_OUTBOX_SECONDS until STOP."""
    while not stop.wait(settings().outbox_seconds):
        try:
            store = Store.open()
            notices.collect(store)
            outbox.deliver(store)
        except Exception:  # noqa: BLE001 - keep sending later; failures are kept per email
            log.exception("outbox round failed")


def worker_app() -> FastAPI:
    """The app of one of several portal processes: the launcher sends the outbox for all."""
    return create_app(send_outbox=False)


def create_app(send_outbox: bool = True) -> FastAPI:
    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        Store.open()  # migrate before the first request
        # Pages are CPU work under one GIL: a few threads at a time serve a burst first come,
        # first served, where forty would all share the core and all finish late.
        to_thread.current_default_thread_limiter().total_tokens = PAGE_THREADS
        stop = threading.Event()
        if send_outbox:
            threading.Thread(target=outbox_rounds, args=(stop,), daemon=True).start()
        yield
        stop.set()

    app = FastAPI(
        title="chidao", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan
    )
    app.mount("/tinh", StaticFiles(directory=str(web.HERE / "static")), name="static")
    app.include_router(unit_pages.router)
    app.include_router(board_pages.router)
    app.include_router(import_pages.router)
    app.include_router(admin_pages.router)

    @app.exception_handler(web.NotLoggedIn)
    async def not_logged_in(request: Request, _: Exception) -> Response:
        return unit_pages.not_logged_in(request)

    @app.exception_handler(web.CsrfRefused)
    async def csrf(request: Request, _: Exception) -> Response:
        lines = [
            "Biểu mẫu thiếu mã xác thực (CSRF) hoặc mã không đúng; không có gì được ghi.",
            "Hãy mở lại trang rồi gửi lại biểu mẫu.",
        ]
        return web.refusal(request, 403, "Biểu mẫu không hợp lệ", lines)

    @app.exception_handler(ChidaoError)
    async def refused(request: Request, error: Exception) -> Response:
        assert isinstance(error, ChidaoError)
        lines = [str(p) for p in error.problems]
        return web.refusal(request, web.status_of(error), "Không thực hiện được", lines)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: Exception) -> Response:
        lines = ["Địa chỉ hoặc biểu mẫu có giá trị không hợp lệ; không có gì được ghi."]
        return web.refusal(request, 400, "Yêu cầu không hợp lệ", lines)

    @app.exception_handler(HTTPException)
    async def http(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        titles = {404: "Không tìm thấy trang", 405: "Thao tác không được phép"}
        title = titles.get(error.status_code, "Yêu cầu không thực hiện được")
        return web.refusal(request, error.status_code, title, [f"{title}."])

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> Response:
        fault = as_fault(error)
        if fault is not None:
            return web.refusal(request, 503, "Máy chủ gặp sự cố", [str(p) for p in fault.problems])
        log.exception("unexpected error")
        lines = ["Lỗi ngoài dự kiến của chidao; người quản trị xem chi tiết trong nhật ký."]
        return web.refusal(request, 500, "Lỗi hệ thống", lines)

    app.add_middleware(BodyLimit)
    return app
