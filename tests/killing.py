"""What the kill -9 tests of the cascade and of the escalation pass share: start a chidao command,
kill it with SIGKILL the moment a table holds a given number of rows, then run it again."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from sqlalchemy import Connection, create_engine, text


class _Rows:
    """Counts a table's rows over one connection, opened once the database can be: a poll
    then costs a fraction of a millisecond, so a command that writes its rows quickly is still
    caught half-way. 0 while the database or its schema is not there yet."""

    def __init__(self, url: str) -> None:
        self.engine = create_engine(url, isolation_level="AUTOCOMMIT")
        self.db: Connection | None = None

    def __call__(self, table: str) -> int:
        try:
            self.db = self.db or self.engine.connect()
            return int(self.db.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())  # noqa: S608
        except Exception:  # not there yet
            return 0

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
        self.engine.dispose()


def _chidao(command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "chidao", *command],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def kill_when(
    command: list[str], env: dict[str, str], url: str, table: str, rows: int, pause: float
) -> None:
    """Run `chidao COMMAND` and kill it with SIGKILL as soon as TABLE holds ROWS rows."""
    count = _Rows(url)
    try:
        process = _chidao(command, env)
        deadline = time.monotonic() + 120
        while count(table) < rows:
            assert process.poll() is None, "the command ended before the kill point: test is void"
            assert time.monotonic() < deadline, "the kill point was never reached"
            time.sleep(pause)
        process.send_signal(signal.SIGKILL)
    finally:
        count.close()
    process.wait()
    assert process.returncode == -signal.SIGKILL


def run_again(command: list[str], env: dict[str, str]) -> None:
    """Run `chidao COMMAND` to its end; it must succeed."""
    resumed = _chidao(command, env)
    _, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, err.decode()
