"""People who use the portal: accounts (one unit, one role), their password hashes (argon2id),
logins that expire, and a limit on guessing passwords per account and address."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from models.errors import InputError, StateError
from models.records import (
    AccountRecord,
    LoginAttemptRecord,
    NoticeRecord,
    UnitRecord,
    WebSessionRecord,
)
from models.settings import settings
from models.states import AccountRole
from models.store import Store

_HASHER = PasswordHasher()
# A hash to verify against when the account does not exist, so that a wrong name costs the
# same time as a wrong password and names cannot be told apart by timing.
_DUMMY = _HASHER.hash("chidao-no-such-account")
MIN_PASSWORD = 10
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,79}")
CSV_COLUMNS = ("username", "full_name", "unit", "role", "email", "password")


@dataclass(frozen=True)
class Person:
    """Who is acting: the account, its unit and its role."""

    account_id: int
    username: str
    full_name: str
    unit_code: str
    unit_name: str
    role: AccountRole
    email: str | None = None

    @property
    def actor(self) -> str:
        """How the audit log names the person and the unit."""
        return f"{self.full_name} ({self.username}) — {self.unit_name} ({self.unit_code})"[:200]


@dataclass(frozen=True)
class Login:
    token: str  # goes into the cookie; only its hash is stored
    csrf: str
    expires_at: dt.datetime


def _now() -> dt.datetime:
    # Logins and login limits follow the real clock, never the simulated one.
    return dt.datetime.now(dt.UTC)


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add_account(
    store: Store,
    username: str,
    full_name: str,
    unit_code: str,
    role: str,
    password: str,
    email: str | None,
    actor: str,
    where: str = "(dòng lệnh)",
) -> AccountRecord:
    """Create an account; every problem is refused in Vietnamese before anything is written."""
    with store.session() as session:
        record = _new_account(session, username, full_name, unit_code, role, password, email, where)
        session.add(record)
        store.audit(session, actor, "account.created", "account", [f"{username}@{unit_code}"])
    return record


def _new_account(
    session: Session,
    username: str,
    full_name: str,
    unit_code: str,
    role: str,
    password: str,
    email: str | None,
    where: str,
) -> AccountRecord:
    if not USERNAME.fullmatch(username):
        message = "tên đăng nhập chỉ gồm chữ thường không dấu, số, '.', '_', '-' (2–80 ký tự)"
        raise InputError.one(where, "tên đăng nhập", username, message)
    if not full_name.strip() or len(full_name) > 120:
        raise InputError.one(where, "họ tên", full_name, "họ tên không được trống (≤ 120 ký tự)")
    if role not in {r.value for r in AccountRole}:
        choices = ", ".join(f"{r.value} ({r.label})" for r in AccountRole)
        raise InputError.one(where, "vai trò", role, f"vai trò không có; chọn: {choices}")
    if len(password) < MIN_PASSWORD:
        message = f"mật khẩu phải có ít nhất {MIN_PASSWORD} ký tự"
        raise InputError.one(where, "mật khẩu", "(không hiển thị)", message)
    if email is not None and email and "@" not in email:
        raise InputError.one(where, "email", email, "địa chỉ email không hợp lệ")
    if session.get(UnitRecord, unit_code) is None:
        message = "đơn vị chưa có trong cơ sở dữ liệu (nạp cây tổ chức bằng --org)"
        raise InputError.one(where, "đơn vị", unit_code, message)
    taken = session.exec(select(AccountRecord.id).where(AccountRecord.username == username))
    if taken.first() is not None:
        raise StateError.one(where, "tên đăng nhập", username, "tên đăng nhập đã có người dùng")
    return AccountRecord(
        username=username,
        full_name=full_name.strip(),
        email=email or None,
        unit_code=unit_code,
        role=role,
        password_hash=_HASHER.hash(password),
    )


def import_accounts(store: Store, data: str, source: str, actor: str) -> int:
    """Accounts from a CSV text (columns CSV_COLUMNS, a header line first), all or none."""
    reader = csv.DictReader(io.StringIO(data))
    missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        message = f"thiếu cột: {', '.join(missing)} (cần: {', '.join(CSV_COLUMNS)})"
        raise InputError.one(source, "dòng tiêu đề", None, message)
    rows = list(reader)
    problems = []
    records = []
    names: set[str] = set()
    with store.session() as session:
        for n, row in enumerate(rows, start=2):
            where = f"{source} (dòng {n})"
            try:
                if row["username"] in names:
                    raise StateError.one(where, "tên đăng nhập", row["username"], "trùng trong tệp")
                names.add(row["username"])
                records.append(
                    _new_account(
                        session,
                        (row["username"] or "").strip(),
                        row["full_name"] or "",
                        (row["unit"] or "").strip(),
                        (row["role"] or "").strip(),
                        row["password"] or "",
                        (row["email"] or "").strip() or None,
                        where,
                    )
                )
            except (InputError, StateError) as error:
                problems += error.problems
        if problems:
            raise InputError(problems)
        session.add_all(records)
        keys = [f"{r.username}@{r.unit_code}" for r in records]
        store.audit(session, actor, "account.created", "account", keys)
    return len(records)


def accounts(store: Store) -> list[AccountRecord]:
    with Session(store.engine) as session:
        statement = select(AccountRecord).order_by(
            col(AccountRecord.unit_code), col(AccountRecord.username)
        )
        return list(session.exec(statement))


def set_active(store: Store, account_id: int, active: bool, actor: str) -> None:
    with store.session() as session:
        record = session.get(AccountRecord, account_id)
        if record is None:
            raise InputError.one("(biểu mẫu)", "tài khoản", account_id, "không có tài khoản này")
        record.active = active
        if not active:
            session.execute(
                delete(WebSessionRecord).where(col(WebSessionRecord.account_id) == account_id)
            )
        action = "account.enabled" if active else "account.disabled"
        store.audit(session, actor, action, "account", [f"{record.username}@{record.unit_code}"])


class LoginRefused(Exception):
    """A login that failed; MESSAGE is what the person reads."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def log_in(store: Store, username: str, password: str, address: str) -> Login:
    """Check the password and open a login, or refuse; too many failures for this account from
    this address within the window refuse even the right password until the window passes."""
    config = settings()
    now = _now()
    since = now - dt.timedelta(minutes=config.login_window_minutes)
    username = username.strip()[:80]
    address = address[:64]
    with store.session() as session:
        failures = session.exec(
            select(func.count())
            .select_from(LoginAttemptRecord)
            .where(
                LoginAttemptRecord.username == username,
                LoginAttemptRecord.address == address,
                col(LoginAttemptRecord.at) >= since,
                col(LoginAttemptRecord.ok).is_(False),
            )
        ).one()
    if failures >= config.login_attempts:
        raise LoginRefused(
            f"Đăng nhập sai quá {config.login_attempts} lần; hãy thử lại sau "
            f"{config.login_window_minutes} phút."
        )
    account = _account_named(store, username)
    ok = _verified(account.password_hash if account else _DUMMY, password) and (
        account is not None and account.active
    )
    with store.session() as session:
        session.add(LoginAttemptRecord(username=username, address=address, at=now, ok=ok))
        if not ok or account is None or account.id is None:
            login = None
        else:
            login = Login(
                secrets.token_urlsafe(32),
                secrets.token_urlsafe(32),
                now + dt.timedelta(minutes=config.session_minutes),
            )
            session.add(
                WebSessionRecord(
                    token_sha256=hash_token(login.token),
                    account_id=account.id,
                    csrf=login.csrf,
                    created_at=now,
                    expires_at=login.expires_at,
                    address=address,
                )
            )
            # Expired logins are cleared as new ones come.
            session.execute(delete(WebSessionRecord).where(col(WebSessionRecord.expires_at) < now))
    if login is None:
        raise LoginRefused("Tên đăng nhập hoặc mật khẩu không đúng.")
    return login


def _account_named(store: Store, username: str) -> AccountRecord | None:
    with Session(store.engine) as session:
        return session.exec(select(AccountRecord).where(AccountRecord.username == username)).first()


def _verified(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


class SessionExpired(Exception):
    """The cookie names no login, or one that has ended."""


@dataclass(frozen=True)
class Visit:
    """What every page needs of the login cookie: the person, the login's CSRF token and how many
    of the person's notices are unread (the count beside the menu)."""

    person: Person
    csrf: str
    unread: int


# The visit's query, built once: every page starts with it.
_UNREAD = (
    select(func.count())
    .select_from(NoticeRecord)
    .where(
        col(NoticeRecord.account_id) == col(AccountRecord.id),
        col(NoticeRecord.read_at).is_(None),
    )
    .scalar_subquery()
)
_VISIT = (
    sa.select(  # columns beyond sqlmodel.select's four
        col(WebSessionRecord.expires_at),
        col(WebSessionRecord.csrf),
        col(AccountRecord.id),
        col(AccountRecord.username),
        col(AccountRecord.full_name),
        col(AccountRecord.unit_code),
        col(UnitRecord.name),
        col(AccountRecord.role),
        col(AccountRecord.email),
        col(AccountRecord.active),
        _UNREAD,
    )
    .join(AccountRecord, col(AccountRecord.id) == col(WebSessionRecord.account_id))
    .join(UnitRecord, col(UnitRecord.code) == col(AccountRecord.unit_code))
    .where(col(WebSessionRecord.token_sha256) == sa.bindparam("token"))
)


def visit_of(store: Store, token: str | None) -> Visit:
    """The visit a login cookie belongs to, read in one query."""
    if not token:
        raise SessionExpired
    with store.reading() as session:  # plain rows: no entities to build on every page
        row = session.connection().execute(_VISIT, {"token": hash_token(token)}).first()
    if row is None:
        raise SessionExpired
    expires_at, csrf, account_id, username, full_name, unit_code, unit_name, role, email = row[:9]
    if _aware(expires_at) <= _now() or not row.active:
        raise SessionExpired
    person = Person(account_id, username, full_name, unit_code, unit_name, AccountRole(role), email)
    return Visit(person, csrf, int(row[10]))


def log_out(store: Store, token: str | None) -> None:
    if token:
        with store.session() as session:
            session.execute(
                delete(WebSessionRecord).where(
                    col(WebSessionRecord.token_sha256) == hash_token(token)
                )
            )


def open_login_for(store: Store, account_id: int, minutes: int | None = None) -> Login:
    """A login for an account without its password: for benchmarks and tests that must not
    spend their time hashing (never reachable from the web)."""
    now = _now()
    login = Login(
        secrets.token_urlsafe(32),
        secrets.token_urlsafe(32),
        now + dt.timedelta(minutes=minutes or settings().session_minutes),
    )
    with store.session() as session:
        session.add(
            WebSessionRecord(
                token_sha256=hash_token(login.token),
                account_id=account_id,
                csrf=login.csrf,
                expires_at=login.expires_at,
            )
        )
    return login


def members(session: Session, units: Sequence[str], roles: Sequence[AccountRole]) -> list[int]:
    """The active accounts of UNITS with one of ROLES."""
    statement = select(AccountRecord.id).where(
        col(AccountRecord.unit_code).in_(list(units)),
        col(AccountRecord.role).in_([r.value for r in roles]),
        col(AccountRecord.active),
    )
    return [i for i in session.exec(statement) if i is not None]
