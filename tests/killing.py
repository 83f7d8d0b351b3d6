"""What the kill -9 tests of the cascade and of the escalation pass share: start a chidao command,
kill it with SIGKILL the moment a table holds a given number of rows, then run it again."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from sqlalchemy import create_engine, text


def row_count(url: str, table: str) -> int:
    """TABLE's rows in the database at URL; 0 while its schema is not there yet."""
    engine = create_engine(url)
    try:
        with engine.connect() as db:
            return int(db.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())  # noqa: S608
    except Exception:  # the schema is not there yet
        return 0
    finally:
        engine.dispose()


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
    process = _chidao(command, env)
    deadline = time.monotonic() + 120
    while row_count(url, table) < rows:
        assert process.poll() is None, "the command ended before the kill point: test is void"
        assert time.monotonic() < deadline, "the kill point was never reached"
        time.sleep(pause)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL


def run_again(command: list[str], env: dict[str, str]) -> None:
    """Run `chidao COMMAND` to its end; it must succeed."""
    resumed = _chidao(command, env)
    _, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, err.decode()
