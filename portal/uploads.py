"""Evidence uploaded from the browser: the request body is bounded before it is read, each file
streams to a temporary file (Starlette spools past 1 MB), and is then checked like any evidence
(models/evidence.py: size, type by content). A name that carries a path is refused."""

from __future__ import annotations

import asyncio
import unicodedata
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from typing import Annotated, Any

from fastapi import Depends
from starlette.datastructures import UploadFile

from models.errors import InputError
from models.evidence import Evidence, evidence_of
from models.limits import MAX_EVIDENCE_BYTES

FORM = "(biểu mẫu)"
FIELD = "tệp kiểm chứng"
MAX_FILES = 5
# A report's whole request: its files at their limit and room for the text.
MAX_BODY = MAX_FILES * MAX_EVIDENCE_BYTES + 1024 * 1024
MAX_FORM_BODY = 1024 * 1024  # every other form

# Reports with evidence read and stored at once by one portal process. The others wait, unread,
# before their bodies are taken in: a clerk opening her inbox is then not queued behind fifty
# 1 MB uploads, and memory and database connections stay bounded however many clerks send.
REPORTS_AT_ONCE = 2
_SLOTS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary()
)


async def report_slot() -> AsyncIterator[None]:
    loop = asyncio.get_running_loop()
    slots = _SLOTS.setdefault(loop, asyncio.Semaphore(REPORTS_AT_ONCE))
    async with slots:
        yield


Slot = Annotated[None, Depends(report_slot)]

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


def too_large_message(limit: int) -> str:
    return (
        f"Yêu cầu quá lớn: tối đa {limit // 1024 // 1024} MB "
        f"(mỗi tệp kiểm chứng tối đa {MAX_EVIDENCE_BYTES // 1024 // 1024} MB, "
        f"tối đa {MAX_FILES} tệp). Không có gì được ghi."
    )


class BodyLimit:
    """ASGI middleware: refuse a body larger than its route allows, by its declared length
    before reading, and by counting while it streams when no length is declared."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT"):
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        limit = (
            MAX_BODY
            if path.endswith("/bao-cao") or path.startswith("/phat-hanh-moi")
            else MAX_FORM_BODY
        )
        if path.startswith("/quan-tri/nhap"):
            limit = 5 * 1024 * 1024
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _refuse(send, limit)
            return
        seen = 0

        async def counted() -> MutableMapping[str, Any]:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)
            return message

        try:
            await self.app(scope, counted, send)
        except BodyTooLarge:
            await _refuse(send, limit)


class BodyTooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


async def _refuse(send: Send, limit: int) -> None:
    body = (
        "<!doctype html><html lang='vi'><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>Tệp quá lớn</title><p>{too_large_message(limit)}</p>"
        "<p><a href='javascript:history.back()'>Quay lại</a></p></html>"
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"text/html; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def safe_name(name: str | None) -> str:
    """The file's own name; refused when it carries a folder, a parent step or control
    characters (a crafted request), or is empty."""
    if not name or not name.strip():
        raise InputError.one(FORM, FIELD, name, "tệp không có tên")
    bad = (
        "/" in name
        or "\\" in name
        or name in (".", "..")
        or name.startswith("..")
        or any(unicodedata.category(c) == "Cc" for c in name)
        or len(name) > 200
    )
    if bad:
        message = "tên tệp không hợp lệ: không được chứa đường dẫn (/, \\, ..) hay ký tự điều khiển"
        raise InputError.one(FORM, FIELD, name, message)
    return unicodedata.normalize("NFC", name)


def evidence_from(files: list[UploadFile]) -> list[Evidence]:
    """Check every uploaded file; all are refused together if any is wrong."""
    if len(files) > MAX_FILES:
        raise InputError.one(FORM, FIELD, len(files), f"tối đa {MAX_FILES} tệp mỗi báo cáo")
    problems = []
    found = []
    for upload in files:
        try:
            name = safe_name(upload.filename)
            size = upload.size if upload.size is not None else 0
            if size > MAX_EVIDENCE_BYTES:
                limit = MAX_EVIDENCE_BYTES // 1024 // 1024
                raise InputError.one(FORM, FIELD, name, f"tệp quá lớn; tối đa {limit} MB")
            upload.file.seek(0)
            data = upload.file.read(MAX_EVIDENCE_BYTES + 1)
            found.append(evidence_of(name, data, FIELD, FORM))
        except InputError as error:
            problems += error.problems
    if problems:
        raise InputError(problems)
    return found
