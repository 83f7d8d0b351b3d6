"""Issuing a directive from a received letter: the coordinator uploads it, the letter is read
into a spec and entered in the received-letters register, the spec is shown as a form to check
and correct field by field, and the checked spec is issued by the "Phát hành chỉ đạo" flow."""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData, UploadFile

from models import clock
from models.access import Forbidden, Right
from models.cascade import issuable
from models.directive import Directive
from models.errors import InputError
from models.files import write_atomic
from models.importing import (
    Unread,
    checked_text,
    corrected,
    import_letter,
    letter_spec,
    received_entry,
    spec_form,
    spec_yaml,
    task_lines,
)
from models.importing.form import WHERE, UnitNames
from models.letterfile import SUFFIXES, read_letter
from models.org import OrgTree
from models.received import enter
from models.settings import settings
from models.store import home
from portal import runs, web
from portal.web import go, page

router = APIRouter()


def _org() -> tuple[OrgTree, Path]:
    path = settings().org
    if path is None:
        message = "chưa đặt cây tổ chức của văn phòng (biến CHIDAO_ORG)"
        raise InputError.one("(cấu hình)", "CHIDAO_ORG", None, message)
    return OrgTree.load(path), path.resolve()


def _form_page(
    request: Request,
    org: OrgTree,
    spec: dict[str, Any],
    *,
    notes: list[Unread] | None = None,
    file: str = "",
    typed: dict[str, str] | None = None,
    problems: list[str] | None = None,
    tasks: list[str] | None = None,
) -> Response:
    return page(
        request,
        "phat_hanh_moi.html",
        status=400 if problems else 200,
        suffixes=SUFFIXES,
        parts=spec_form(spec, org, notes or [], file),
        spec=json.dumps(spec, ensure_ascii=False),
        file=file,
        typed=typed or {},
        problems=problems or [],
        tasks=tasks or [],
        unit_names=sorted(UnitNames(org).shown.values()),
    )


@router.get("/phat-hanh-moi", response_class=HTMLResponse)
def import_form(request: Request) -> Response:
    web.require(web.current(request), Right.RUN_WORKFLOWS)
    return page(request, "phat_hanh_moi.html", suffixes=SUFFIXES, parts=None, problems=[])


@router.post("/phat-hanh-moi/doc", response_class=HTMLResponse)
async def read_received(request: Request) -> Response:
    """Read the uploaded letter into a spec, register it as received, show the check form."""
    person, form = await web.checked_form(request)
    web.require(person, Right.RUN_WORKFLOWS)
    try:
        upload = form.get("letter")
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise InputError.one("(biểu mẫu)", "văn bản đến", None, "hãy chọn tệp văn bản đến")
        suffix = Path(upload.filename).suffix.lower()
        if suffix not in SUFFIXES:
            message = f"chỉ nhận {', '.join(SUFFIXES)}"
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
    with web.store().session() as session:
        entry = received_entry(imported, org, upload.filename, data)
        enter(session, receiver=person.unit_code, received_on=today, letter=entry)
    tasks = task_lines(imported, org, web.store().calendar)
    return _form_page(request, org, imported.spec, notes=notes, file=upload.filename, tasks=tasks)


def _typed(form: FormData) -> dict[str, str]:
    return {k: v for k, v in form.multi_items() if isinstance(v, str) and k not in ("csrf", "spec")}


@router.post("/phat-hanh-moi/phat-hanh", response_class=HTMLResponse)
async def issue(request: Request) -> Response:
    """Issue the spec as corrected on the form, once the person has ticked that it is checked."""
    person, form = await web.checked_form(request)
    web.require(person, Right.RUN_WORKFLOWS)
    org, org_path = _org()
    try:
        read: dict[str, Any] = json.loads(str(form.get("spec", "")))
    except json.JSONDecodeError:
        message = "biểu mẫu không còn nội dung văn bản đã đọc; hãy tải văn bản lên lại"
        raise InputError.one("(biểu mẫu)", "spec", None, message) from None
    typed = _typed(form)
    checked = form.get("checked") == "1"
    try:
        spec = corrected(read, org, typed, checked=checked)
        if not checked:
            message = "văn bản đọc tự động phải được người kiểm tra trước khi phát hành"
            raise InputError.one(WHERE, "Tôi đã kiểm tra", "chưa đánh dấu", message)
    except InputError as error:
        problems = [str(p) for p in error.problems]
        return _form_page(request, org, read, typed=typed, problems=problems)
    spec["org"] = str(org_path)
    text = spec_yaml(spec, f"Kiểm tra trên cổng chidao: {person.full_name}", [], "")
    if checked:
        text = checked_text(text)
    folder = home() / "nhap-van-ban"
    path = folder / f"{hashlib.sha256(text.encode()).hexdigest()[:16]}.yaml"
    write_atomic(path, text.encode())
    try:
        directive = issuable(Directive.load(path), clock.today())
    except InputError as error:
        path.unlink(missing_ok=True)
        problems = [str(p) for p in error.problems]
        return _form_page(request, org, read, typed=typed, problems=problems)
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
