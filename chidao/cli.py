"""`chidao` command: render drafts, check and generate organisation trees. Output in Vietnamese."""

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

from chidao.status import status_text
from models import assignments, clock
from models.calendar import ZONE, WorkingCalendar
from models.directive import Directive
from models.documents import path_of
from models.errors import InputError
from models.evidence import read_evidence
from models.files import write_atomic
from models.importer import (
    implementing_letter,
    import_letter,
    letter_spec,
    org_reference,
    spec_yaml,
)
from models.letterfile import read_letter
from models.letters import find_letters, register_lines, set_first_number, waiting
from models.org import OrgTree
from models.settings import settings
from models.states import LetterKind
from models.store import Store
from models.synthetic import Shape, write_synthetic_org
from models.vntext import short_date
from renderer import default_filename, folders, render_directive, wording

if TYPE_CHECKING:
    from flows.cascade import CascadeResult

_T = TypeVar("_T")
EXIT_INPUT = 2


def _render(args: argparse.Namespace) -> int:
    directive = Directive.load(args.spec, args.org)
    out = args.output or Path(default_filename(directive))
    render_directive(directive, out, folders(args.templates))
    print(f"Đã tạo dự thảo văn bản: {out}")
    return 0


def _org_check(args: argparse.Namespace) -> int:
    tree = OrgTree.load(args.file)
    governing = sum(1 for u in tree.walk() if u.governs)
    print(f"Cây tổ chức hợp lệ: {tree.name} — {len(tree)} đơn vị, {governing} đơn vị có cấp dưới.")
    return 0


def _org_generate(args: argparse.Namespace) -> int:
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


def _embedded_prefect() -> None:
    """The embedded Prefect server is an implementation detail here: keep its English console
    chatter and its shutdown noise out of the coordinator's terminal (the UI keeps the logs),
    and give its first start on a new machine (creating its database) time to finish."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "CRITICAL")
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_FLOW_RUNS_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_TASK_RUNS_LEVEL", "WARNING")


def _issue(args: argparse.Namespace) -> int:
    Directive.load(args.spec)  # refuse bad input before Prefect starts
    _embedded_prefect()
    from flows.cascade import issue_directive

    result = issue_directive(
        spec_path=str(args.spec), auto_release=args.auto_release, lead_days=args.lead_days
    )
    _print_cascade(result)
    return 0


def _release(args: argparse.Namespace) -> int:
    store = Store.open()
    with Session(store.engine) as session:  # refuse an unknown one before Prefect starts
        keys = [letter.key for letter in find_letters(session, args.refs)]
    _embedded_prefect()
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


def _drafts(args: argparse.Namespace) -> int:
    store = Store.open()
    with Session(store.engine) as session:
        drafts = waiting(session, args.unit)
    if not drafts:
        print("Không có văn bản dự thảo nào chờ phát hành.")
        return 0
    table = Table("Mã văn bản", "Loại", "Cơ quan ban hành", "Trích yếu", "Tệp", box=None)
    for letter in drafts:
        table.add_row(
            letter.key,
            LetterKind(letter.kind).label,
            letter.issuer_code,
            letter.subject,
            str(path_of(letter)),
        )
    Console(width=200).print(table)
    print(f"{len(drafts)} văn bản chờ phát hành: chidao release MÃ-VĂN-BẢN …")
    return 0


def _register(args: argparse.Namespace) -> int:
    year = args.year or clock.today().year
    store = Store.open()
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


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


def _person() -> str:
    """Who releases, when --by is not given: the person logged in."""
    return getpass.getuser()


def _target(args: argparse.Namespace) -> assignments.AssignmentRef:
    return assignments.find(Store.open(), args.ref, args.unit, args.item)


def _parse(value: str, field: str, parse: Callable[[str], _T], expected: str) -> _T:
    try:
        return parse(value)
    except ValueError:
        raise InputError.one("(dòng lệnh)", field, value, f"phải là {expected}") from None


def _report(args: argparse.Namespace) -> int:
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


def _accept(args: argparse.Namespace) -> int:
    target = _target(args)
    assignments.review(Store.open(), target, True, None, _actor())
    print(f"Đã chấp nhận báo cáo của {args.unit}, mục {target.label}.")
    return 0


def _return(args: argparse.Namespace) -> int:
    target = _target(args)
    assignments.review(Store.open(), target, False, args.reason, _actor())
    print(f"Đã trả lại báo cáo của {args.unit}, mục {target.label}: {args.reason}")
    return 0


def _extend(args: argparse.Namespace) -> int:
    until = _parse(args.until, "--until", dt.date.fromisoformat, "ngày dạng YYYY-MM-DD")
    target = _target(args)
    assignments.extend(Store.open(), target, until, args.reason, _actor())
    print(f"Đã gia hạn cho {args.unit}, mục {target.label} đến hết ngày {short_date(until)}.")
    return 0


def _escalate(args: argparse.Namespace) -> int:
    day = args.as_of and _parse(args.as_of, "--as-of", dt.date.fromisoformat, "ngày YYYY-MM-DD")
    Store.open()  # the database must be usable before Prefect starts
    _embedded_prefect()
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


def _synthesize(args: argparse.Namespace) -> int:
    day = args.as_of and _parse(args.as_of, "--as-of", dt.date.fromisoformat, "ngày YYYY-MM-DD")
    Store.open().lookup(args.ref)  # refuse an unknown directive before Prefect starts
    _embedded_prefect()
    from flows.synthesis import synthesize

    path = synthesize(ref=args.ref, as_of=day or None, auto_release=args.auto_release)
    print(f"Đã viết báo cáo tổng hợp: {path}")
    return 0


def _status(args: argparse.Namespace) -> int:
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


def _import(args: argparse.Namespace) -> int:
    org_path = args.org or settings().org
    if org_path is None:
        raise InputError.one(
            args.file, "--org", None, "hãy cho cây tổ chức để khớp các đơn vị (--org TỆP.yaml)"
        )
    org = OrgTree.load(org_path)
    lines = read_letter(args.file)
    imported = import_letter(lines, org, org_reference(org_path, args.output))
    data = imported.spec
    if args.issued_on:
        data["issued_on"] = _parse(
            args.issued_on, "--issued-on", dt.date.fromisoformat, "YYYY-MM-DD"
        ).isoformat()
    notes = [u.describe(str(args.file)) for u in imported.unread]
    try:
        if args.implement_as:
            say = wording("trien_khai.txt.j2")
            spec = implementing_letter(data, org, args.file, args.implement_as, args.lead_days, say)
        else:
            spec = letter_spec(data, org, args.file)
    except InputError:
        for note in notes:
            print(f"Chưa đọc được: {note}", file=sys.stderr)
        raise
    text = spec_yaml(spec, f"Đọc từ {args.file.name} bằng «chidao import»", notes)
    for note in notes:
        print(f"Lưu ý: {note}", file=sys.stderr)
    summary = sys.stdout
    if args.output is None:
        print(text, end="")
        summary = sys.stderr  # keep standard output a YAML file
    else:
        write_atomic(args.output, text.encode())
        what = "Văn bản triển khai" if args.implement_as else "Tệp mô tả"
        print(f"{what} đã ghi: {args.output} ({len(spec.items)} mục, {len(notes)} lưu ý)")
    print(_tasks_text(Directive(spec, org, str(args.file))), file=summary)
    return 0


def _tasks_text(directive: Directive) -> str:
    """Each task as the coordinator checks it: who leads, and the day it is due."""
    calendar = WorkingCalendar.load()
    lines = []
    for task in directive.tasks():
        who = ", ".join(u.name for u in task.lead) or "(chưa rõ đơn vị chủ trì)"
        due = task.deadline.due_on(directive.spec.issued_on, calendar) if task.deadline else None
        when = f"hạn cuối {short_date(due)}" if due else "không ghi hạn"
        lines.append(f"  Mục {task.label} {when}; chủ trì: {who}")
    return "\n".join(lines)


def _serve(args: argparse.Namespace) -> int:
    from chidao.office import Office, check_health, running

    office = Office(
        home=args.home.resolve(),
        postgres=args.postgres,
        host=args.host,
        port=args.port,
        workers=args.workers,
        worker_limit=args.limit,
    )

    def stop_on_terminate(signum: int, frame: object) -> None:
        raise KeyboardInterrupt  # a service manager's stop ends the workers and server too

    signal.signal(signal.SIGTERM, stop_on_terminate)
    try:
        with running(office) as parts:
            health = check_health(parts)
            for problem in health.problems:
                print(f"Lỗi: {problem}", file=sys.stderr)
            if health.problems:
                return 1
            print(
                f"Kiểm tra: {health.workers}/{office.workers} worker đang hoạt động; lượt «Quét "
                f"hạn» kế tiếp theo lịch: {_vn_time(health.scheduled[0])}"
            )
            print(f"Giao diện Prefect: {office.ui_url}  (API: {office.api_url})")
            print(f"Cơ sở dữ liệu chidao: {office.chidao_url}")
            print(f"Văn bản: {office.home / 'documents'}; nhật ký: {parts.logs}")
            print(
                f"{office.workers} worker đang chờ việc trong nhóm «chidao». Nhấn Ctrl-C để dừng."
            )
            sys.stdout.flush()
            while parts.alive():
                time.sleep(1)
            print(f"Lỗi: một tiến trình đã dừng bất thường; xem {parts.logs}", file=sys.stderr)
            return 1
    except KeyboardInterrupt:
        print("Đã dừng máy chủ và các worker.")
        return 0
    except RuntimeError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 1


def _vn_time(moment: str) -> str:
    local = pendulum.parse(moment).in_timezone(ZONE)  # type: ignore[union-attr]
    return f"{local:HH:mm} ngày {short_date(local.date())}"


def _demo(args: argparse.Namespace) -> int:
    os.environ.setdefault("CHIDAO_HOME", str(args.out))
    _embedded_prefect()
    from chidao import demo

    demo.run()
    return 0


class _Parser(argparse.ArgumentParser):
    """argparse with Vietnamese usage errors and chidao's exit code for bad input."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_INPUT, f"Lỗi: tham số dòng lệnh không hợp lệ ({message})\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="chidao", description="chidao — điều phối văn bản chỉ đạo.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    render = commands.add_parser("render", help="tạo dự thảo văn bản Word từ tệp mô tả (YAML)")
    render.add_argument("spec", type=Path, help="tệp mô tả văn bản (YAML)")
    render.add_argument("-o", "--output", type=Path, help="tệp .docx kết quả")
    render.add_argument("--org", type=Path, help="cây tổ chức thay cho trường org của tệp mô tả")
    render.add_argument(
        "--templates", type=Path, help="thư mục mẫu văn bản riêng (dùng trước mẫu của chidao)"
    )
    render.set_defaults(run=_render)

    org = commands.add_parser("org", help="cây tổ chức").add_subparsers(
        dest="org_command", required=True, parser_class=_Parser
    )
    check = org.add_parser("check", help="kiểm tra một cây tổ chức")
    check.add_argument("file", type=Path)
    check.set_defaults(run=_org_check)
    gen = org.add_parser("generate", help="tạo cây tổ chức mẫu cỡ bất kỳ (kiểm thử, đo tốc độ)")
    gen.add_argument("-o", "--output", type=Path, required=True)
    gen.add_argument("--provinces", type=int, default=1, help="số tỉnh")
    gen.add_argument("--districts", type=int, default=10, help="số huyện mỗi tỉnh")
    gen.add_argument("--communes", type=int, default=10, help="số xã mỗi huyện (hoặc mỗi tỉnh)")
    gen.add_argument("--departments", type=int, default=15, help="số sở mỗi tỉnh")
    gen.add_argument("--offices", type=int, default=10, help="số phòng mỗi huyện")
    gen.add_argument("--two-tier", action="store_true", help="chính quyền hai cấp (sau 07/2025)")
    gen.set_defaults(run=_org_generate)

    issue = commands.add_parser("issue", help="phát hành một chỉ đạo và chuyển xuống các cấp")
    issue.add_argument("spec", type=Path, help="tệp mô tả văn bản (YAML)")
    issue.add_argument(
        "--auto-release", action="store_true", help="phát hành ngay văn bản triển khai của cấp dưới"
    )
    issue.add_argument(
        "--lead-days", type=int, default=1, help="hạn nội bộ sớm hơn (ngày làm việc)"
    )
    issue.set_defaults(run=_issue)

    release = commands.add_parser(
        "release", help="phát hành văn bản dự thảo: cấp số trong sổ văn bản đi, ghi ngày"
    )
    release.add_argument("refs", nargs="+", metavar="ref", help="mã văn bản hoặc số hiệu")
    release.add_argument("--by", default=_person(), help="người cho phát hành (ghi vào sổ)")
    release.add_argument("--auto-release", action="store_true", help="phát hành luôn cấp dưới")
    release.add_argument("--lead-days", type=int, default=1)
    release.set_defaults(run=_release)

    drafts = commands.add_parser("drafts", help="các văn bản dự thảo chờ phát hành")
    drafts.add_argument("--unit", help="chỉ của đơn vị này (mã)")
    drafts.set_defaults(run=_drafts)

    register = commands.add_parser("register", help="sổ đăng ký văn bản đi của một cơ quan")
    register.add_argument("unit", help="mã cơ quan ban hành")
    register.add_argument("--year", type=int, help="năm (mặc định: năm nay)")
    register.add_argument(
        "--start", type=int, help="đặt số bắt đầu của sổ năm đó (đã cấp số ngoài chidao)"
    )
    register.add_argument("--width", type=int, default=180, help="độ rộng bảng (ký tự)")
    register.set_defaults(run=_register)

    def work(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text)
        sub.add_argument("ref", help="mã chỉ đạo hoặc số hiệu văn bản")
        sub.add_argument("unit", help="mã đơn vị")
        sub.add_argument("--item", help="mục, khi đơn vị được giao nhiều mục")
        return sub

    report = work("report", "đơn vị nộp báo cáo kết quả")
    report.add_argument("--text", required=True, help="nội dung báo cáo")
    report.add_argument("--file", type=Path, action="append", default=[], help="tệp kiểm chứng")
    report.add_argument("--at", help="thời điểm nộp (mặc định: bây giờ), để mô phỏng")
    report.set_defaults(run=_report)
    work("accept", "chấp nhận báo cáo").set_defaults(run=_accept)
    returned = work("return", "trả lại báo cáo để làm lại")
    returned.add_argument("--reason", required=True, help="lý do")
    returned.set_defaults(run=_return)
    extension = work("extend", "gia hạn")
    extension.add_argument("--until", required=True, help="hạn mới (YYYY-MM-DD), tính hết ngày")
    extension.add_argument("--reason", required=True, help="lý do gia hạn")
    extension.set_defaults(run=_extend)

    escalate = commands.add_parser("escalate", help="quét hạn: nhắc, đôn đốc, báo cáo cấp trên")
    escalate.add_argument("--as-of", help="ngày quét (YYYY-MM-DD), để mô phỏng; mặc định hôm nay")
    escalate.add_argument(
        "--auto-release", action="store_true", help="phát hành ngay các văn bản vừa soạn"
    )
    escalate.set_defaults(run=_escalate)

    synthesis = commands.add_parser("synthesize", help="viết báo cáo tổng hợp của một chỉ đạo")
    synthesis.add_argument("ref", help="mã chỉ đạo hoặc số hiệu văn bản")
    synthesis.add_argument("--as-of", help="tổng hợp đến ngày (YYYY-MM-DD); mặc định hôm nay")
    synthesis.add_argument("--auto-release", action="store_true", help="phát hành ngay")
    synthesis.set_defaults(run=_synthesize)

    status = commands.add_parser("status", help="bảng trạng thái của một chỉ đạo")
    status.add_argument("ref", help="mã chỉ đạo hoặc số hiệu văn bản")
    status.set_defaults(run=_status)

    imports = commands.add_parser(
        "import", help="đọc văn bản đến (.docx, .txt, .md) thành tệp mô tả chỉ đạo (YAML)"
    )
    imports.add_argument("file", type=Path, help="văn bản đến")
    imports.add_argument("-o", "--output", type=Path, help="tệp YAML kết quả (mặc định: in ra)")
    imports.add_argument("--org", type=Path, help="cây tổ chức (mặc định: biến CHIDAO_ORG)")
    imports.add_argument("--issued-on", help="ngày dự kiến khi văn bản để trống ngày (YYYY-MM-DD)")
    imports.add_argument(
        "--implement-as", metavar="UNIT", help="soạn luôn văn bản triển khai của đơn vị UNIT"
    )
    imports.add_argument(
        "--lead-days", type=int, default=1, help="hạn nội bộ sớm hơn (ngày làm việc)"
    )
    imports.set_defaults(run=_import)

    serve = commands.add_parser(
        "serve", help="chạy cho cả văn phòng: máy chủ Prefect trên PostgreSQL và các worker"
    )
    serve.add_argument("--home", type=Path, default=Path("out/office"), help="thư mục dữ liệu")
    serve.add_argument(
        "--postgres",
        default=settings().postgres,
        help="cụm PostgreSQL (không kèm tên cơ sở dữ liệu)",
    )
    serve.add_argument(
        "--host", default="127.0.0.1", help="địa chỉ lắng nghe (mặc định: chỉ máy này)"
    )
    serve.add_argument("--port", type=int, default=4200)
    serve.add_argument("--workers", type=int, default=2, help="số worker")
    serve.add_argument("--limit", type=int, help="số lượt chạy đồng thời tối đa của mỗi worker")
    serve.set_defaults(run=_serve)

    demo = commands.add_parser("demo", help="chạy câu chuyện mẫu của tỉnh Quảng Ngãi")
    demo.add_argument("--out", type=Path, default=Path("out/demo"), help="CHIDAO_HOME mặc định")
    demo.set_defaults(run=_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except InputError as exc:
        for problem in exc.problems:
            print(f"Lỗi: {problem}", file=sys.stderr)
        return EXIT_INPUT
