"""What each `chidao` command does: read its arguments, call models and flows, print the
outcome in Vietnamese. The rules live in models/; the orchestration in flows/."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import os
import signal
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import pendulum
from rich.console import Console
from rich.table import Table
from sqlmodel import Session

from chidao.status import status_text, table_text
from models import assignments, clock, received
from models.calendar import ZONE
from models.cascade import issuable
from models.directive import Directive
from models.documents import path_of
from models.errors import InputError, Problem, ServiceError
from models.evidence import read_evidence
from models.files import write_atomic
from models.letters import find_letters, register_lines, set_first_number, waiting
from models.limits import FIRST_YEAR, LAST_YEAR, MAX_LEAD_DAYS
from models.org import OrgTree
from models.settings import settings
from models.states import LetterKind
from models.store import Store
from models.synthetic import Shape, write_synthetic_org
from models.vntext import short_date
from renderer import default_filename, folders
from renderer import render as render_letter

if TYPE_CHECKING:
    from flows.cascade import CascadeResult

_T = TypeVar("_T")


def render(args: argparse.Namespace) -> int:
    directive = Directive.load(args.spec, args.org)
    out = args.output or Path(default_filename(directive))
    if out.is_dir():
        raise InputError.one("(dòng lệnh)", "-o", str(out), "là một thư mục; hãy cho tên tệp .docx")
    data = render_letter(directive, search=folders(args.templates)).data
    if out.is_file() and out.read_bytes() != data and not args.overwrite:
        message = "tệp đã có, với nội dung khác; thêm --overwrite để thay, hoặc chọn tên khác"
        raise InputError.one("(dòng lệnh)", "-o", str(out), message)
    write_atomic(out, data)
    print(f"Đã tạo dự thảo văn bản: {out}")
    return 0


# A country has 63 provinces; these bounds leave room for any tree a test or a bench needs.
_SHAPE_BOUNDS = {
    "--provinces": 100,
    "--districts": 100,
    "--communes": 5000,
    "--departments": 100,
    "--offices": 100,
}


def org_check(args: argparse.Namespace) -> int:
    tree = OrgTree.load(args.file)
    governing = sum(1 for u in tree.walk() if u.governs)
    print(f"Cây tổ chức hợp lệ: {tree.name} — {len(tree)} đơn vị, {governing} đơn vị có cấp dưới.")
    return 0


def org_generate(args: argparse.Namespace) -> int:
    for field, high in _SHAPE_BOUNDS.items():
        low = 1 if field == "--provinces" else 0
        _within(getattr(args, field.lstrip("-")), field, low, high)
    if args.output.is_dir():
        raise InputError.one("(dòng lệnh)", "-o", str(args.output), "là một thư mục")
    count = write_synthetic_org(
        args.output,
        Shape(
            provinces=args.provinces,
            districts=args.districts,
            communes=args.communes,
            departments=args.departments,
            offices=args.offices,
            two_tier=args.two_tier,
        ),
    )
    print(f"Đã tạo cây tổ chức mẫu {args.output}: {count} đơn vị.")
    return 0


def embedded_prefect() -> None:
    """The embedded Prefect server is an implementation detail here: keep its English console
    chatter and its shutdown noise out of the coordinator's terminal (the UI keeps the logs),
    and give its first start on a new machine (creating its database) time to finish."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "CRITICAL")
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "WARNING")
    # A refused run logs its Vietnamese lines; the command prints them once itself.
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_FLOW_RUNS_LEVEL", "CRITICAL")
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_TASK_RUNS_LEVEL", "CRITICAL")


def issue(args: argparse.Namespace) -> int:
    _within(args.lead_days, "--lead-days", 0, MAX_LEAD_DAYS)
    directive = issuable(Directive.load(args.spec), clock.today())  # before Prefect starts
    # The files forms may name are confined to the office's folders; a command line reads
    # what its user names.
    named = [args.spec.resolve().parent, Path(directive.org.source).resolve().parent]
    os.environ["CHIDAO_FILES"] = os.pathsep.join(str(p) for p in [*settings().readable(), *named])
    embedded_prefect()
    from flows.cascade import issue_directive

    result = issue_directive(
        spec_path=str(args.spec), auto_release=args.auto_release, lead_days=args.lead_days
    )
    _print_cascade(result)
    return 0


def release(args: argparse.Namespace) -> int:
    _within(args.lead_days, "--lead-days", 0, MAX_LEAD_DAYS)
    store = Store.open()
    with Session(store.engine) as session:  # refuse an unknown one before Prefect starts
        keys = [letter.key for letter in find_letters(session, args.refs)]
    embedded_prefect()
    from flows.cascade import release_letters

    results = release_letters(
        refs=keys, by=args.by, auto_release=args.auto_release, lead_days=args.lead_days
    )
    with Session(store.engine) as session:
        for letter in find_letters(session, keys):
            print(
                f"Đã phát hành {letter.reference} ngày {short_date(letter.issued_on)}: "
                f"{LetterKind(letter.kind).label} — {path_of(letter)}"
            )
    for folder in sorted({result.documents_dir for result in results}):
        print(f"Các văn bản nằm trong thư mục: {folder}")
    return 0


def drafts(args: argparse.Namespace) -> int:
    store = Store.open()
    with Session(store.engine) as session:
        drafts = waiting(session, args.unit)
    if not drafts:
        print("Không có văn bản dự thảo nào chờ phát hành.")
        return 0
    rows = [
        [x.key, LetterKind(x.kind).label, x.issuer_code, x.subject, str(path_of(x))] for x in drafts
    ]
    print(table_text(["Mã văn bản", "Loại", "Cơ quan ban hành", "Trích yếu", "Tệp"], rows))
    print(f"{len(drafts)} văn bản chờ phát hành: chidao release MÃ-VĂN-BẢN …")
    return 0


def register(args: argparse.Namespace) -> int:
    year = args.year or clock.today().year
    store = Store.open()
    if args.org is not None:
        store.sync_units(OrgTree.load(args.org), _actor())
    if args.incoming:
        return _incoming(store, args.unit, year, args.width)
    with store.session() as session:
        if args.start is not None:
            set_first_number(session, args.unit, year, args.start)
            print(f"Sổ văn bản đi năm {year} của {args.unit} bắt đầu từ số {args.start:02d}.")
            return 0
        lines = register_lines(session, args.unit, year)
    table = Table(
        "Số, ký hiệu văn bản",
        "Ngày tháng văn bản",
        "Tên loại và trích yếu nội dung văn bản",
        "Người ký",
        "Nơi nhận văn bản",
        "Đơn vị, người nhận bản lưu",
        "Số lượng bản",
        "Ghi chú",
        title=f"SỔ ĐĂNG KÝ VĂN BẢN ĐI — {args.unit} — năm {year}",
        show_lines=True,
    )
    for line in lines:
        table.add_row(
            line.reference,
            short_date(line.issued_on),
            line.kind_and_subject,
            line.signer,
            line.recipients,
            line.archive,
            str(line.copies),
            line.note,
        )
    Console(width=args.width).print(table)
    if not lines:
        print("Sổ chưa có văn bản nào.")
    return 0


def _incoming(store: Store, unit: str, year: int, width: int) -> int:
    """The received-letters register (sổ văn bản đến) with the decree's columns."""
    with store.session() as session:
        entries = received.register(session, unit, year)
    table = Table(
        "Ngày đến",
        "Số đến",
        "Tác giả",
        "Số, ký hiệu",
        "Ngày tháng",
        "Tên loại và trích yếu nội dung",
        "Tệp",
        title=f"SỔ ĐĂNG KÝ VĂN BẢN ĐẾN — {unit} — năm {year}",
        show_lines=True,
    )
    for e in entries:
        table.add_row(
            short_date(e.received_on),
            str(e.number_in),
            e.issuer,
            e.reference,
            short_date(e.issued_on) if e.issued_on else "",
            e.kind_and_subject,
            e.file_name,
        )
    Console(width=width).print(table)
    if not entries:
        print("Sổ chưa có văn bản nào.")
    return 0


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


def person() -> str:
    """Who releases, when --by is not given: the person logged in."""
    return getpass.getuser()


def _target(args: argparse.Namespace) -> assignments.AssignmentRef:
    return assignments.find(Store.open(), args.ref, args.unit, args.item)


def _parse(value: str, field: str, parse: Callable[[str], _T], expected: str) -> _T:
    try:
        return parse(value)
    except ValueError:
        raise InputError.one("(dòng lệnh)", field, value, f"phải là {expected}") from None


def _date(value: str, field: str) -> dt.date:
    """A date given on the command line: YYYY-MM-DD, in the years an office can mean."""
    day = _parse(value, field, dt.date.fromisoformat, "ngày dạng YYYY-MM-DD")
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        message = f"năm phải từ {FIRST_YEAR} đến {LAST_YEAR}"
        raise InputError.one("(dòng lệnh)", field, value, message)
    return day


def _within(value: int, field: str, low: int, high: int) -> int:
    if not low <= value <= high:
        raise InputError.one("(dòng lệnh)", field, value, f"phải từ {low} đến {high}")
    return value


def report(args: argparse.Namespace) -> int:
    evidence = [read_evidence(path, "--file") for path in args.file]
    at = args.at and _parse(args.at, "--at", _moment, "thời điểm dạng 2024-05-16T09:30")
    target = _target(args)
    late = assignments.submit_report(Store.open(), target, args.text, evidence, _actor(), at)
    timing = "trễ hạn" if late else "đúng hạn"
    print(f"Đã nhận báo cáo của {args.unit}, mục {target.label} ({timing}).")
    return 0


def _moment(value: str) -> pendulum.DateTime:
    moment = pendulum.parse(value, tz=ZONE)
    if not isinstance(moment, pendulum.DateTime):
        raise ValueError(value)
    return moment


def accept(args: argparse.Namespace) -> int:
    target = _target(args)
    assignments.review(Store.open(), target, True, None, _actor())
    print(f"Đã chấp nhận báo cáo của {args.unit}, mục {target.label}.")
    return 0


def return_report(args: argparse.Namespace) -> int:
    target = _target(args)
    assignments.review(Store.open(), target, False, args.reason, _actor())
    print(f"Đã trả lại báo cáo của {args.unit}, mục {target.label}: {args.reason}")
    return 0


def extend(args: argparse.Namespace) -> int:
    until = _date(args.until, "--until")
    target = _target(args)
    assignments.extend(Store.open(), target, until, args.reason, _actor())
    print(f"Đã gia hạn cho {args.unit}, mục {target.label} đến hết ngày {short_date(until)}.")
    return 0


def escalate(args: argparse.Namespace) -> int:
    day = args.as_of and _date(args.as_of, "--as-of")
    if day:
        clock.not_ahead(day, "--as-of")
    Store.open()  # the database must be usable before Prefect starts
    embedded_prefect()
    from flows.escalation import scan_deadlines

    result = scan_deadlines(as_of=day or None, auto_release=args.auto_release)
    if not result.working_day:
        print(f"Ngày {short_date(result.day)} là ngày nghỉ: không quét hạn.")
        return 0
    print(
        f"Quét hạn ngày {short_date(result.day)}: nhắc hạn {result.taken['remind']}, "
        f"đôn đốc {result.taken['urge']}, báo cáo cấp trên {result.taken['escalate']} việc mới."
    )
    for path in result.documents:
        print(f"  {path}")
    _print_edited(result.edited)
    return 0


def _print_edited(paths: Sequence[str]) -> None:
    for path in paths:
        print(f"Lưu ý: tệp đã bị sửa ngoài chidao, được giữ nguyên: {path}", file=sys.stderr)


def synthesize(args: argparse.Namespace) -> int:
    day = args.as_of and _date(args.as_of, "--as-of")
    if day:
        clock.not_ahead(day, "--as-of")
    Store.open().lookup(args.ref)  # refuse an unknown directive before Prefect starts
    embedded_prefect()
    from flows.synthesis import synthesize

    path = synthesize(ref=args.ref, as_of=day or None, auto_release=args.auto_release)
    print(f"Đã viết báo cáo tổng hợp: {path}")
    return 0


def status(args: argparse.Namespace) -> int:
    store = Store.open()
    record = store.lookup(args.ref)
    print(status_text(store, record))
    return 0


def _print_cascade(result: CascadeResult) -> None:
    store = Store.open()
    root = store.lookup(result.root_key)
    print(status_text(store, root))
    print(f"Các văn bản nằm trong thư mục: {result.documents_dir}")
    for path in result.restored:
        print(f"Đã viết lại tệp bị mất hoặc hỏng: {path}", file=sys.stderr)
    _print_edited(result.edited)


_LOOPBACK = ("127.0.0.1", "::1", "localhost")


def serve(args: argparse.Namespace) -> int:
    from chidao.office import Office, check_health, running

    if args.host not in _LOOPBACK and not os.environ.get("PREFECT_SERVER_API_AUTH_STRING"):
        raise InputError.one(
            "(dòng lệnh)",
            "--host",
            args.host,
            "mở ra mạng mà không có mật khẩu: hãy đặt PREFECT_SERVER_API_AUTH_STRING="
            "'người-dùng:mật-khẩu' (README, «Running it for an office»)",
        )

    office = Office(
        home=args.home.resolve(),
        postgres=args.postgres,
        host=args.host,
        port=args.port,
        workers=args.workers,
        worker_limit=args.limit,
        web_host=args.web_host,
        web_port=args.web_port,
        portal=True,
    )

    def stop_on_terminate(signum: int, frame: object) -> None:
        raise KeyboardInterrupt  # a service manager's stop ends the workers and server too

    signal.signal(signal.SIGTERM, stop_on_terminate)
    try:
        with running(office) as parts:
            health = check_health(parts)
            if health.problems:
                raise ServiceError(
                    Problem("(văn phòng)", "kiểm tra khi khởi động", None, p)
                    for p in health.problems
                )
            print(
                f"Kiểm tra: {health.workers}/{office.workers} worker đang hoạt động; lượt «Quét "
                f"hạn» kế tiếp theo lịch: {_vn_time(health.scheduled[0])}"
            )
            print(f"Cổng chidao cho các đơn vị: http://{office.web_host}:{office.web_port}")
            print(f"Giao diện Prefect: {office.ui_url}  (API: {office.api_url})")
            print(f"Cơ sở dữ liệu chidao: {office.chidao_url}")
            print(f"Văn bản: {office.home / 'documents'}; nhật ký: {parts.logs}")
            print(
                f"{office.workers} worker đang chờ việc trong nhóm «chidao». Nhấn Ctrl-C để dừng."
            )
            sys.stdout.flush()
            while parts.alive():
                time.sleep(1)
            raise ServiceError.one(
                parts.logs, "tiến trình", None, "một tiến trình đã dừng bất thường"
            )
    except KeyboardInterrupt:
        print("Đã dừng máy chủ và các worker.")
        return 0


def _vn_time(moment: str) -> str:
    local = pendulum.parse(moment).in_timezone(ZONE)  # type: ignore[union-attr]
    return f"{local:HH:mm} ngày {short_date(local.date())}"


def demo(args: argparse.Namespace) -> int:
    os.environ.setdefault("CHIDAO_HOME", str(args.out))
    embedded_prefect()
    from chidao import demo

    demo.run()
    return 0
