"""PostgreSQL connections: a pooled connection that sat idle is checked before use, so a page
after a database restart still answers; a busy pool is used without that extra round trip."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import exc, text

from models import database
from models.database import engine_for
from models.store import Store
from tests.conftest import POSTGRES


def _backend_of(engine: object) -> int:
    with engine.connect() as connection:  # type: ignore[attr-defined]
        return int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())


def _terminate(pid: int) -> None:
    """End the server side of connection PID and wait until it is gone."""
    with psycopg.connect(POSTGRES, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])


def test_a_connection_idle_in_the_pool_is_replaced_when_its_server_side_has_gone(
    postgresql: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = engine_for(postgresql)
    first = _backend_of(engine)
    _terminate(first)  # as a restart of PostgreSQL would
    monkeypatch.setattr(database, "IDLE_BEFORE_PING", 0.0)
    assert _backend_of(engine) != first  # answered, on a new connection


def test_a_checked_connection_serves_a_page_read_outside_any_transaction(
    postgresql: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(engine_for(postgresql))
    monkeypatch.setattr(database, "IDLE_BEFORE_PING", 0.0)
    for _ in range(2):  # the second read gets the connection back, checked
        with store.reading() as session:
            assert session.connection().execute(text("SELECT 1")).scalar_one() == 1


def test_a_connection_just_returned_to_the_pool_is_used_without_a_check(
    postgresql: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = engine_for(postgresql)
    first = _backend_of(engine)
    monkeypatch.setattr(database, "IDLE_BEFORE_PING", 3600.0)
    assert _backend_of(engine) == first
    _terminate(first)
    # Not checked, so the dead connection surfaces once; the pool then starts afresh.
    with pytest.raises(exc.OperationalError):
        _backend_of(engine)
    assert _backend_of(engine) != first
