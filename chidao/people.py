"""The portal's commands: accounts (`chidao user add`, `chidao user import`) and `chidao web`."""

from __future__ import annotations

import argparse
import getpass
import os
import signal
import sys

from models import accounts
from models.errors import InputError
from models.org import OrgTree
from models.settings import settings
from models.states import AccountRole
from models.store import Store


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


def _store(org: object) -> Store:
    store = Store.open()
    if org is not None:
        store.sync_units(OrgTree.load(org), _actor())  # type: ignore[arg-type]
    return store


def _password(args: argparse.Namespace) -> str:
    """From CHIDAO_NEW_PASSWORD-free sources only: --password-stdin, or asked twice."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    if not sys.stdin.isatty():  # getpass would fall back to reading the input, and echo it
        message = (
            "không có cửa sổ lệnh để hỏi mật khẩu; đưa mật khẩu qua stdin với --password-stdin"
        )
        raise InputError.one("(dòng lệnh)", "mật khẩu", None, message)
    try:
        first = getpass.getpass("Mật khẩu: ")
        again = getpass.getpass("Nhập lại mật khẩu: ")
    except EOFError:  # Ctrl-D at the prompt
        raise InputError.one("(dòng lệnh)", "mật khẩu", None, "chưa nhập mật khẩu") from None
    if again != first:
        raise InputError.one("(dòng lệnh)", "mật khẩu", None, "hai lần nhập không giống nhau")
    return first


def user_add(args: argparse.Namespace) -> int:
    store = _store(args.org)
    record = accounts.add_account(
        store,
        args.username,
        args.name,
        args.unit,
        args.role,
        _password(args),
        args.email,
        _actor(),
    )
    role = AccountRole(record.role).label
    print(f"Đã thêm tài khoản {record.username} ({record.full_name}, {role}, {record.unit_code}).")
    return 0


def user_import(args: argparse.Namespace) -> int:
    store = _store(args.org)
    try:
        data = args.file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError.one(args.file, "(toàn bộ tệp)", None, f"không đọc được: {error}") from None
    count = accounts.import_accounts(store, data, str(args.file), _actor())
    print(f"Đã thêm {count} tài khoản từ {args.file}.")
    return 0


def web(args: argparse.Namespace) -> int:
    """The portal on the embedded default; workflows run as flows in its own process."""
    os.environ["CHIDAO_WEB_HOST"] = args.host
    os.environ["CHIDAO_WEB_PORT"] = str(args.port)
    from chidao.commands import embedded_prefect

    embedded_prefect()
    Store.open()  # the database must be usable before the first request
    from portal.__main__ import main

    config = settings()
    print(f"Cổng chidao: http://{config.web_host}:{config.web_port}  (Ctrl-C để dừng)")
    sys.stdout.flush()
    # uvicorn raises SIGTERM again once it has stopped; leaving through Python instead lets
    # the embedded Prefect server that the portal's flows started stop with it (atexit).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    main()
    return 0
