"""The `chidao` command line: its commands, their Vietnamese help with an example each, and how
every failure ends — a Vietnamese message, an exit code by kind, never a traceback."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from chidao import commands, people, receiving
from chidao.args import Parser
from models.errors import ChidaoError
from models.faults import as_fault
from models.settings import settings
from models.states import AccountRole

EXIT_INTERRUPTED = 130


def _parser() -> Parser:
    parser = Parser(
        prog="chidao",
        description="chidao — điều phối văn bản chỉ đạo: phát hành, giao việc xuống các cấp, "
        "theo dõi báo cáo, đôn đốc, tổng hợp.",
        example="chidao issue examples/quang-ngai-2371.yaml\nchidao status 2371/UBND-TTHC\n"
        "chidao LỆNH --help   (hướng dẫn và ví dụ của từng lệnh)",
    )
    sub = parser.add_subparsers(
        dest="command", required=True, title="các lệnh", metavar="LỆNH", parser_class=Parser
    )

    def command(name: str, help_text: str, run: Callable[..., int], example: str) -> Parser:
        found: Parser = sub.add_parser(
            name, help=help_text, description=help_text + ".", example=example
        )
        found.set_defaults(run=run)
        return found

    render = command(
        "render",
        "tạo dự thảo văn bản Word từ tệp mô tả (YAML)",
        commands.render,
        "chidao render examples/quang-ngai-2268.yaml -o du-thao-2268.docx",
    )
    render.arg("spec", type=Path, help="tệp mô tả văn bản (YAML)")
    render.arg("-o", "--output", type=Path, help="tệp .docx kết quả")
    render.arg(
        "--overwrite",
        action="store_true",
        help="thay tệp kết quả đã có với nội dung khác (mặc định: từ chối)",
    )
    render.arg("--org", type=Path, help="cây tổ chức thay cho trường org của tệp mô tả")
    render.arg(
        "--templates", type=Path, help="thư mục mẫu văn bản riêng (dùng trước mẫu của chidao)"
    )

    org: Parser = sub.add_parser(
        "org",
        help="cây tổ chức: kiểm tra, tạo mẫu",
        description="Cây tổ chức: kiểm tra, tạo mẫu.",
        example="chidao org check examples/org/quang-ngai.yaml",
    )
    org_sub = org.add_subparsers(
        dest="org_command", required=True, title="các lệnh", metavar="LỆNH", parser_class=Parser
    )
    check = org_sub.add_parser(
        "check",
        help="kiểm tra một cây tổ chức",
        description="Kiểm tra một cây tổ chức.",
        example="chidao org check examples/org/quang-ngai.yaml",
    )
    check.arg("file", type=Path, help="tệp cây tổ chức (YAML)")
    check.set_defaults(run=commands.org_check)
    gen = org_sub.add_parser(
        "generate",
        help="tạo cây tổ chức mẫu cỡ bất kỳ (kiểm thử, đo tốc độ)",
        description="Tạo cây tổ chức mẫu cỡ bất kỳ (kiểm thử, đo tốc độ).",
        example="chidao org generate --provinces 63 --districts 11 --communes 15 -o vn.yaml",
    )
    gen.arg("-o", "--output", type=Path, required=True, help="tệp YAML kết quả")
    gen.arg("--provinces", type=int, default=1, help="số tỉnh (1–100)")
    gen.arg("--districts", type=int, default=10, help="số huyện mỗi tỉnh (0–100)")
    gen.arg("--communes", type=int, default=10, help="số xã mỗi huyện, hoặc mỗi tỉnh (0–5000)")
    gen.arg("--departments", type=int, default=15, help="số sở mỗi tỉnh (0–100)")
    gen.arg("--offices", type=int, default=10, help="số phòng mỗi huyện (0–100)")
    gen.arg("--two-tier", action="store_true", help="chính quyền hai cấp (sau 07/2025)")
    gen.set_defaults(run=commands.org_generate)

    issue = command(
        "issue",
        "phát hành một chỉ đạo và chuyển xuống các cấp",
        commands.issue,
        "chidao issue examples/quang-ngai-2371.yaml --auto-release",
    )
    issue.arg("spec", type=Path, help="tệp mô tả văn bản (YAML)")
    issue.arg(
        "--auto-release",
        action="store_true",
        help="cấp số ngay cho văn bản dự thảo và văn bản triển khai của cấp dưới",
    )
    issue.arg(
        "--lead-days",
        type=int,
        default=1,
        metavar="SỐ-NGÀY",
        help="hạn nội bộ sớm hơn (ngày làm việc, 0–30)",
    )

    release = command(
        "release",
        "phát hành văn bản dự thảo: cấp số trong sổ văn bản đi, ghi ngày",
        commands.release,
        "chidao release 'qng:2371/UBND-TTHC:2024-05-13>qng.binh-son' --by 'Nguyễn Tường Duy'",
    )
    release.arg(
        "refs", nargs="+", metavar="MÃ", help="mã văn bản hoặc số hiệu (xem: chidao drafts)"
    )
    release.arg(
        "--by", metavar="HỌ-TÊN", default=commands.person(), help="người cho phát hành (ghi vào sổ)"
    )
    release.arg("--auto-release", action="store_true", help="phát hành luôn văn bản của cấp dưới")
    release.arg(
        "--lead-days",
        type=int,
        default=1,
        metavar="SỐ-NGÀY",
        help="hạn nội bộ sớm hơn (ngày làm việc, 0–30)",
    )

    drafts = command(
        "drafts",
        "các văn bản dự thảo chờ phát hành",
        commands.drafts,
        "chidao drafts --unit qng.snv",
    )
    drafts.arg("--unit", help="chỉ của đơn vị này (mã)")

    register = command(
        "register",
        "sổ đăng ký văn bản đi (hoặc đến, với --incoming) của một cơ quan",
        commands.register,
        "chidao register qng.snv --year 2024\n  chidao register qng.binh-son --incoming",
    )
    register.arg("unit", help="mã cơ quan ban hành")
    register.arg("--year", type=int, help="năm (mặc định: năm nay)")
    register.arg("--start", type=int, help="số bắt đầu của sổ năm đó (đã cấp số ngoài chidao)")
    register.arg("--org", type=Path, help="cây tổ chức có đơn vị này (nạp trước khi đặt số)")
    register.arg("--width", type=int, default=180, help="độ rộng bảng (ký tự)")
    register.arg("--incoming", action="store_true", help="sổ văn bản đến thay cho sổ văn bản đi")

    def work(name: str, help_text: str, run: Callable[..., int], example: str) -> Parser:
        found = command(name, help_text, run, example)
        found.arg("ref", help="mã chỉ đạo hoặc số hiệu văn bản")
        found.arg("unit", help="mã đơn vị")
        found.arg("--item", help="mục, khi đơn vị được giao nhiều mục")
        return found

    report = work(
        "report",
        "đơn vị nộp báo cáo kết quả, kèm tài liệu kiểm chứng",
        commands.report,
        "chidao report 2371/UBND-TTHC qng.stp --text 'Đã rà soát 12 tiêu chí' --file bao-cao.pdf",
    )
    report.arg("--text", required=True, help="nội dung báo cáo")
    report.arg(
        "--file", type=Path, action="append", default=[], help="tệp kiểm chứng (lặp lại được)"
    )
    report.arg("--at", help="thời điểm nộp (mặc định: bây giờ), ghi bù một báo cáo đã nhận")
    work("accept", "chấp nhận báo cáo", commands.accept, "chidao accept 2371/UBND-TTHC qng.stp")
    returned = work(
        "return",
        "trả lại báo cáo để làm lại",
        commands.return_report,
        "chidao return 2371/UBND-TTHC qng.stp --reason 'Thiếu số liệu quý I'",
    )
    returned.arg("--reason", required=True, help="lý do")
    extension = work(
        "extend",
        "gia hạn",
        commands.extend,
        "chidao extend 2371/UBND-TTHC qng.sxd --until 2024-05-24 --reason 'Chờ số liệu'",
    )
    extension.arg("--until", required=True, help="hạn mới (YYYY-MM-DD), tính hết ngày")
    extension.arg("--reason", required=True, help="lý do gia hạn")

    escalate = command(
        "escalate",
        "quét hạn: nhắc, soạn công văn đôn đốc, báo cáo cấp trên",
        commands.escalate,
        "chidao escalate --as-of 2024-05-21",
    )
    escalate.arg("--as-of", help="ngày quét (YYYY-MM-DD), hôm nay hoặc ngày đã qua")
    escalate.arg("--auto-release", action="store_true", help="phát hành ngay các văn bản vừa soạn")

    synthesis = command(
        "synthesize",
        "soạn báo cáo tổng hợp của một chỉ đạo",
        commands.synthesize,
        "chidao synthesize 2371/UBND-TTHC --as-of 2024-05-27",
    )
    synthesis.arg("ref", help="mã chỉ đạo hoặc số hiệu văn bản")
    synthesis.arg("--as-of", help="tổng hợp đến ngày (YYYY-MM-DD); mặc định hôm nay")
    synthesis.arg("--auto-release", action="store_true", help="phát hành ngay")

    status = command(
        "status", "bảng trạng thái của một chỉ đạo", commands.status, "chidao status 2371/UBND-TTHC"
    )
    status.arg("ref", help="mã chỉ đạo hoặc số hiệu văn bản")

    imports = command(
        "import",
        "đọc văn bản đến (.docx, .pdf, .txt, .md) thành tệp mô tả chỉ đạo (YAML) «chưa kiểm tra» "
        "và vào sổ văn bản đến; --check khi đã kiểm tra xong",
        receiving.import_letter_file,
        "chidao import cong-van-den.pdf --org examples/org/quang-ngai.yaml -o spec.yaml\n"
        "  chidao import --check spec.yaml",
    )
    imports.arg("file", type=Path, help="văn bản đến, hoặc tệp mô tả khi dùng --check")
    imports.arg(
        "--check",
        action="store_true",
        help="đã kiểm tra tệp mô tả: kiểm lại và bỏ dấu «chưa kiểm tra» để có thể phát hành",
    )
    imports.arg("--received-on", metavar="NGÀY", help="ngày nhận văn bản (mặc định: hôm nay)")
    imports.arg("--received-by", metavar="ĐƠN-VỊ", help="đơn vị nhận (mặc định: gốc cây tổ chức)")
    imports.arg("-o", "--output", type=Path, help="tệp YAML kết quả (mặc định: in ra)")
    imports.arg("--org", type=Path, help="cây tổ chức (mặc định: biến CHIDAO_ORG)")
    imports.arg("--issued-on", help="ngày dự kiến khi văn bản để trống ngày (YYYY-MM-DD)")
    imports.arg("--implement-as", metavar="ĐƠN-VỊ", help="soạn luôn văn bản triển khai của đơn vị")
    imports.arg(
        "--lead-days",
        type=int,
        default=1,
        metavar="SỐ-NGÀY",
        help="hạn nội bộ sớm hơn (ngày làm việc)",
    )

    serve = command(
        "serve",
        "chạy cho cả văn phòng: máy chủ Prefect trên PostgreSQL và các worker",
        commands.serve,
        "chidao serve --home /srv/chidao --workers 2",
    )
    serve.arg("--home", type=Path, default=Path("out/office"), help="thư mục dữ liệu")
    serve.arg(
        "--postgres",
        default=settings().postgres,
        help="cụm PostgreSQL (không kèm tên cơ sở dữ liệu)",
    )
    serve.arg("--host", default="127.0.0.1", help="địa chỉ lắng nghe (mặc định: chỉ máy này)")
    serve.arg("--port", type=int, default=4200, help="cổng")
    serve.arg("--workers", type=int, default=2, help="số worker")
    serve.arg("--limit", type=int, help="số lượt chạy đồng thời tối đa của mỗi worker")
    serve.arg(
        "--web-host",
        default=settings().web_host,
        help="địa chỉ của cổng thông tin (0.0.0.0: mở cho mạng của văn phòng)",
    )
    serve.arg("--web-port", type=int, default=settings().web_port, help="cổng của cổng thông tin")

    user: Parser = sub.add_parser(
        "user",
        help="tài khoản cổng thông tin: thêm, nhập từ CSV",
        description="Tài khoản cổng thông tin: thêm, nhập từ CSV.",
        example="chidao user add lan.stp --name 'Nguyễn Thị Lan' --unit qng.stp --role clerk",
    )
    user_sub = user.add_subparsers(
        dest="user_command", required=True, title="các lệnh", metavar="LỆNH", parser_class=Parser
    )
    add = user_sub.add_parser(
        "add",
        help="thêm một tài khoản (mật khẩu được hỏi, hoặc đọc từ stdin)",
        description="Thêm một tài khoản; mật khẩu được hỏi hai lần, hoặc đọc từ stdin.",
        example="chidao user add lan.stp --name 'Nguyễn Thị Lan' --unit qng.stp --role clerk "
        "--email lan@stp.quangngai.gov.vn",
    )
    add.arg("username", metavar="TÊN-ĐĂNG-NHẬP", help="chữ thường không dấu, số, '.', '_', '-'")
    add.arg("--name", required=True, metavar="HỌ-TÊN", help="họ và tên")
    add.arg("--unit", required=True, metavar="ĐƠN-VỊ", help="mã đơn vị")
    add.arg(
        "--role",
        required=True,
        choices=[r.value for r in AccountRole],
        help="; ".join(f"{r.value}: {r.label}" for r in AccountRole),
    )
    add.arg("--email", metavar="EMAIL", help="địa chỉ nhận thông báo")
    add.arg("--password-stdin", action="store_true", help="đọc mật khẩu từ dòng đầu của stdin")
    add.arg("--org", type=Path, help="cây tổ chức có đơn vị này (nạp trước)")
    add.set_defaults(run=people.user_add)
    imported = user_sub.add_parser(
        "import",
        help="nhập nhiều tài khoản từ tệp CSV (tất cả hoặc không tài khoản nào)",
        description="Nhập tài khoản từ tệp CSV có dòng tiêu đề: username, full_name, unit, "
        "role, email, password. Một dòng sai thì không tài khoản nào được thêm.",
        example="chidao user import tai-khoan.csv --org examples/org/quang-ngai.yaml",
    )
    imported.arg("file", type=Path, help="tệp CSV (UTF-8)")
    imported.arg("--org", type=Path, help="cây tổ chức có các đơn vị này (nạp trước)")
    imported.set_defaults(run=people.user_import)

    web = command(
        "web",
        "chạy cổng thông tin cho các đơn vị (mặc định: SQLite, Prefect tạm thời)",
        people.web,
        "chidao web --port 8080",
    )
    web.arg("--host", default=settings().web_host, help="địa chỉ lắng nghe")
    web.arg("--port", type=int, default=settings().web_port, help="cổng")

    demo = command(
        "demo",
        "chạy câu chuyện mẫu của tỉnh Quảng Ngãi",
        commands.demo,
        "chidao demo --out out/demo",
    )
    demo.arg("--out", type=Path, default=Path("out/demo"), help="thư mục dữ liệu (CHIDAO_HOME)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
        run: Callable[[argparse.Namespace], int] = args.run
        return run(args)
    except ChidaoError as error:
        return _failed(error)
    except KeyboardInterrupt:
        print("Đã dừng theo yêu cầu.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the output went to a program that stopped reading (| head)
        sys.stderr.close()
        return 0
    except Exception as error:  # noqa: BLE001 - the last line: a message, never a traceback
        fault = as_fault(error)
        return _failed(fault) if fault is not None else _unexpected(error)


def _failed(error: ChidaoError) -> int:
    for problem in error.problems:
        print(f"Lỗi: {problem}", file=sys.stderr)
    return error.exit_code


def _unexpected(error: Exception) -> int:
    """A fault chidao did not foresee: say so plainly, and keep the details in a file for
    whoever maintains it."""
    details = "".join(traceback.format_exception(error))
    where = "không ghi được tệp chi tiết"
    try:
        log = settings().home.resolve() / "logs" / f"loi-{dt.datetime.now():%Y%m%d-%H%M%S}.txt"
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(details, encoding="utf-8")
        where = f"chi tiết kỹ thuật cho người quản trị: {log}"
    except (OSError, ChidaoError):
        pass
    print(
        f"Lỗi ngoài dự kiến của chidao ({type(error).__name__}: {error}); {where}", file=sys.stderr
    )
    return 1
