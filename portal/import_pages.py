"""Issuing a directive from a received letter: the coordinator uploads it, the letter is read
into a spec and entered in the received-letters register, the spec is shown as a form to check
and correct field by field, and the checked spec is issued by the "Phát hành chỉ đạo" flow."""

from __future__ import annotations

import hashlib
import json
import tempfile
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from models import clock
from models.access import Forbidden, Right
from models.cascade import issuable, root_key
from models.database import home
from models.directive import Directive
from models.errors import InputError, Problem
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
)
from models.importing.corrections import on_the_form
from models.importing.form import WHERE, UnitNames
from models.letterfile import SUFFIXES, read_letter
from models.org import OrgTree
from models.received import enter
from models.settings import settings
from models.store import spec_sha256
from models.vntext import short_date
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
    notes: list[Unread],
    file: str,
    typed: dict[str, str] | None = None,
    problems: list[Problem] | None = None,
) -> Response:
    """The check form; the reader's doubts travel with it, so a refused submit still shows
    them, and each refused field carries its message beside it."""
    errors: dict[str, list[str]] = {}
    for problem in problems or []:
        errors.setdefault(problem.field, []).append(f"{_shown(problem.value)}: {problem.message}")
    return page(
        request,
        "phat_hanh_moi.html",
        status=400 if problems else 200,
        suffixes=SUFFIXES,
        parts=spec_form(spec, org, notes, file),
        spec=json.dumps(spec, ensure_ascii=False),
        doubts=json.dumps([asdict(n) for n in notes], ensure_ascii=False),
        file=file,
        typed=typed or {},
        problems=[f"{p.field} — {_shown(p.value)}: {p.message}" for p in problems or []],
        errors=errors,
        unit_names=sorted(UnitNames(org).shown.values()),
    )


def _shown(value: object) -> str:
    return "(để trống)" if value in ("", None) else f"«{value}»"


@router.get("/phat-hanh-moi", response_class=HTMLResponse)
def import_form(request: Request) -> Response:
    web.require(web.current(request), Right.RUN_WORKFLOWS)
    return page(request, "phat_hanh_moi.html", suffixes=SUFFIXES, parts=None, problems=[])


@router.post("/phat-hanh-moi/doc", response_class=HTMLResponse)
def read_received(request: Request, sent: web.Checked) -> Response:
    """Read the uploaded letter into a spec, register it as received, show the check form."""
    person = sent.person
    web.require(person, Right.RUN_WORKFLOWS)
    upload, given = web.upload_in(sent.form, "letter", "tệp văn bản đến")
    name = Path(given).name
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES or name != given:
        message = f"chỉ nhận tệp {', '.join(SUFFIXES)}, tên không kèm thư mục"
        raise InputError.one("(biểu mẫu)", "văn bản đến", given, message)
    org, org_path = _org()
    data = upload.file.read()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            lines = read_letter(path)
        except InputError as error:  # named as the person knows it, not by a temporary path
            raise InputError(replace(p, file=name) for p in error.problems) from None
    imported = import_letter(lines, org, str(org_path), name)
    today = clock.today()
    imported.spec["received_on"] = today.isoformat()
    notes = list(imported.unread)
    try:
        directive = Directive(letter_spec(imported.spec, org, Path(name)), org, name)
    except InputError as error:
        notes += [
            Unread(0, "", f"{p.field}: {p.message}", _spec_field(p.field))
            for p in on_the_form(error, imported.spec, org).problems
        ]
    else:
        if (issued := web.store().find(root_key(directive))) is not None:
            when = short_date(issued.created_at.date())
            what = f"văn bản này đã được phát hành trên chidao ngày {when}; xem Bảng theo dõi"
            notes.insert(0, Unread(0, "", what, "number"))
    with web.store().session() as session:
        entry = received_entry(imported, org, name, data)
        enter(session, receiver=person.unit_code, received_on=today, letter=entry)
    return _form_page(request, org, imported.spec, notes=notes, file=name)


def _spec_field(label: str) -> str:
    """The part of the form a label belongs to ("Mục 2. — Thời hạn" is about items)."""
    return "items" if label.startswith("Mục ") else "basis" if label.startswith("Căn cứ") else ""


def _typed(form: FormData) -> dict[str, str]:
    hidden = ("csrf", "spec", "doubts", "file")
    return {k: v for k, v in form.multi_items() if isinstance(v, str) and k not in hidden}


@router.post("/phat-hanh-moi/phat-hanh", response_class=HTMLResponse)
def issue(request: Request, sent: web.Checked) -> Response:
    """Issue the spec as corrected on the form, once the person has ticked that it is checked."""
    person, form = sent.person, sent.form
    web.require(person, Right.RUN_WORKFLOWS)
    org, org_path = _org()
    try:
        read: dict[str, Any] = json.loads(str(form.get("spec", "")))
        notes = [Unread(**n) for n in json.loads(str(form.get("doubts", "[]")))]
    except (json.JSONDecodeError, TypeError):
        message = "biểu mẫu không còn nội dung văn bản đã đọc; hãy tải văn bản lên lại"
        raise InputError.one("(biểu mẫu)", "spec", None, message) from None
    file = str(form.get("file", ""))
    typed = _typed(form)
    again = {"notes": notes, "file": file, "typed": typed}
    try:
        spec = corrected(read, org, typed, checked=form.get("checked") == "1")
    except InputError as error:
        return _form_page(request, org, read, problems=error.problems, **again)  # type: ignore[arg-type]
    spec["org"] = str(org_path)
    text = checked_text(spec_yaml(spec, f"Kiểm tra trên cổng chidao: {person.full_name}", [], ""))
    folder = home() / "nhap-van-ban"
    path = folder / f"{hashlib.sha256(text.encode()).hexdigest()[:16]}.yaml"
    write_atomic(path, text.encode())
    try:
        directive = issuable(Directive.load(path), clock.today())
        issued = web.store().find(root_key(directive))
        if issued is not None and issued.spec_sha256 != spec_sha256(directive):
            when = short_date(issued.created_at.date())
            message = f"đã được phát hành trên chidao ngày {when} với nội dung khác"
            raise InputError.one(WHERE, "Số văn bản", directive.reference, message)
    except InputError as error:
        path.unlink(missing_ok=True)
        problems = on_the_form(error, spec, org).problems
        return _form_page(request, org, read, problems=problems, **again)  # type: ignore[arg-type]
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
