"""Where chidao's database is, how it is connected to, and its schema migrations."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, event, exc
from sqlmodel import create_engine

from models.settings import settings

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# A pooled PostgreSQL connection idle this long is checked before use (the server may have
# restarted meanwhile); one back in the pool sooner is used as it is, saving a round trip on
# every page of a busy portal.
IDLE_BEFORE_PING = 10.0  # seconds


def home() -> Path:
    """CHIDAO_HOME: the embedded database and the documents (default ./.chidao)."""
    return settings().home.resolve()


def database_url() -> str:
    """CHIDAO_DATABASE_URL (e.g. postgresql+psycopg://…), else SQLite under CHIDAO_HOME."""
    return settings().database()


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    # WAL lets readers (status, the UI) work while a cascade writes; wait, don't fail, on locks.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def engine_for(url: str) -> Engine:
    if url.startswith("sqlite"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # No JIT: every query here answers a page or a pass in milliseconds, and PostgreSQL's JIT,
    # triggered by row estimates on a large table, spends 30-50 ms compiling one.
    engine = create_engine(url, connect_args={"options": "-c jit=off"})
    event.listen(engine, "checkin", _note_idle_since)
    event.listen(engine, "checkout", _ping_if_idle)
    return engine


def _note_idle_since(_connection: Any, record: Any) -> None:
    record.info["idle_since"] = time.monotonic()


def _ping_if_idle(connection: Any, record: Any, _proxy: Any) -> None:
    """Check a connection that sat idle in the pool; a dead one is replaced, not handed out.
    A connection just opened has no idle time yet (the pool clears it when it reconnects)."""
    since = record.info.get("idle_since")
    if since is None or time.monotonic() - since < IDLE_BEFORE_PING:
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        connection.rollback()  # hand it out outside a transaction, as the pool keeps it
    except Exception as error:  # noqa: BLE001 - any failure means this connection is unusable
        raise exc.DisconnectionError(str(error)) from error


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (a no-op when it is there), all of it or
    nothing: a full disk half way leaves the schema as it was."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if engine.dialect.name != "sqlite":
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
        return
    # Python's sqlite3 runs CREATE and ALTER outside any transaction; say BEGIN ourselves.
    with engine.connect() as connection:
        raw = connection.connection.driver_connection
        assert raw is not None
        raw.isolation_level = None
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            config.attributes["connection"] = connection
            try:
                command.upgrade(config, "head")
            except BaseException:
                connection.exec_driver_sql("ROLLBACK")
                raise
            connection.exec_driver_sql("COMMIT")
        finally:
            raw.isolation_level = ""
