"""chidao for an office: a Prefect server on PostgreSQL, a process work pool, several workers and
the deployments of prefect.yaml, all bound to loopback unless told otherwise.

The embedded default (SQLite and a temporary server) serves one desk. Here every part is a
separate process: the server keeps its state in one PostgreSQL database, chidao its records in
another, and each worker runs flow runs as child processes that inherit the office's settings.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models.errors import InputError, ServiceError

ROOT = Path(__file__).resolve().parent.parent
POOL = "chidao"
STOP_SECONDS = 10  # a process still running after this is killed


@dataclass(frozen=True)
class Office:
    """Where the office's parts listen and keep their data."""

    home: Path  # chidao's documents and evidence, Prefect's profile, the processes' logs
    postgres: str = "postgresql://postgres@127.0.0.1:5432"  # the cluster, without a database
    prefect_database: str = "chidao_prefect"
    chidao_database: str = "chidao"
    host: str = "127.0.0.1"
    port: int = 4200
    workers: int = 2
    worker_limit: int | None = None  # flow runs one worker runs at once (None: no limit)
    web_host: str = "127.0.0.1"  # the portal: the one face offered to the office's network
    web_port: int = 8080
    portal: bool = False  # chidao serve starts it (the tests of the office do not)
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def api_url(self) -> str:
        return f"http://{self.host}:{self.port}/api"

    @property
    def ui_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def chidao_url(self) -> str:
        return f"{_with_driver(self.postgres, 'psycopg')}/{self.chidao_database}"

    def env(self) -> dict[str, str]:
        """Settings shared by the server, the deploy step, the workers and their flow runs."""
        env = {
            **os.environ,
            "PREFECT_HOME": str(self.home / "prefect"),
            "PREFECT_API_URL": self.api_url,
            "PREFECT_UI_API_URL": self.api_url,
            "PREFECT_SERVER_API_HOST": self.host,
            "PREFECT_SERVER_API_PORT": str(self.port),
            "PREFECT_API_DATABASE_CONNECTION_URL": (
                f"{_with_driver(self.postgres, 'asyncpg')}/{self.prefect_database}"
            ),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_WORKER_QUERY_SECONDS": "2",  # pick a triggered run up within seconds
            # The scheduler looks for deployments to schedule every 10 s (default 60), so the
            # start-up check sees the escalation pass scheduled within seconds.
            "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "10",
            "PREFECT_LOGGING_TO_API_BATCH_INTERVAL": "0.5",
            "CHIDAO_HOME": str(self.home),
            "CHIDAO_DATABASE_URL": self.chidao_url,
            **self.extra_env,
        }
        # Basic authentication: the server checks PREFECT_SERVER_API_AUTH_STRING, every client
        # sends PREFECT_API_AUTH_STRING; one setting gives both.
        if env.get("PREFECT_SERVER_API_AUTH_STRING"):
            env["PREFECT_API_AUTH_STRING"] = env["PREFECT_SERVER_API_AUTH_STRING"]
        return env


def _with_driver(url: str, driver: str) -> str:
    scheme, rest = url.split("://", 1)
    return f"{scheme.split('+')[0]}+{driver}://{rest}"


def prepare_databases(office: Office) -> None:
    """Create the two databases if missing, and the pg_trgm extension Prefect's server needs."""
    import psycopg

    cluster = office.postgres
    try:
        with psycopg.connect(f"{cluster}/postgres", autocommit=True, connect_timeout=5) as admin:
            for name in (office.prefect_database, office.chidao_database):
                known = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
                if known.fetchone() is None:
                    admin.execute(f'CREATE DATABASE "{name}"')
        with psycopg.connect(f"{cluster}/{office.prefect_database}", autocommit=True) as db:
            db.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except psycopg.Error as exc:
        raise InputError.one(
            "(cấu hình máy chủ)",
            "postgres",
            cluster,
            f"không chuẩn bị được cơ sở dữ liệu PostgreSQL ({str(exc).strip()}); "
            "máy chủ Prefect cần PostgreSQL có phần mở rộng pg_trgm (gói postgresql-contrib)",
        ) from exc


class Running:
    """The office's processes while they run; stop() ends them, workers first."""

    def __init__(self, office: Office) -> None:
        self.office = office
        self.logs = office.home / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.server: subprocess.Popen[bytes] | None = None
        self.workers: list[subprocess.Popen[bytes]] = []
        self.portal: subprocess.Popen[bytes] | None = None

    def _spawn(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{name}.log").open("ab")
        return subprocess.Popen(
            [_prefect(), *args],
            cwd=ROOT,
            env=self.office.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C in the terminal reaches chidao, which stops them
        )

    def start_server(self, timeout: float = 180) -> None:
        office = self.office
        self.server = self._spawn(
            "server", "server", "start", "--host", office.host, "--port", str(office.port)
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                raise ServiceError.one(
                    self.logs / "server.log", "máy chủ Prefect", None, "đã dừng khi khởi động"
                )
            if _healthy(office.api_url, office.env().get("PREFECT_API_AUTH_STRING")):
                return
            time.sleep(0.5)
        raise ServiceError.one(
            self.logs / "server.log",
            "máy chủ Prefect",
            None,
            f"không sẵn sàng sau {timeout:.0f} giây",
        )

    def deploy(self) -> None:
        """The process work pool and every deployment of prefect.yaml; safe to repeat."""
        env = {**self.office.env(), "PWD": str(ROOT)}
        for args in (
            ["work-pool", "create", POOL, "--type", "process", "--overwrite"],
            ["--no-prompt", "deploy", "--all"],
        ):
            done = subprocess.run(
                [_prefect(), *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
            )
            if done.returncode != 0:
                raise ServiceError.one(
                    "(prefect)",
                    " ".join(args),
                    done.stderr.strip()[-300:],
                    "lệnh triển khai bị lỗi",
                )

    def start_workers(self) -> None:
        office = self.office
        limit = ["--limit", str(office.worker_limit)] if office.worker_limit else []
        for n in range(1, office.workers + 1):
            name = f"chidao-{office.port}-{n}"
            args = ["worker", "start", "--pool", POOL, "--type", "process", "--name", name]
            self.workers.append(self._spawn(f"worker-{n}", *args, *limit))

    def start_portal(self) -> None:
        """The portal (uvicorn) beside the server and workers; its workflows are deployment
        runs for the workers (CHIDAO_WEB_DEPLOYMENTS)."""
        office = self.office
        env = {
            **office.env(),
            "CHIDAO_WEB_DEPLOYMENTS": "true",
            "CHIDAO_WEB_HOST": office.web_host,
            "CHIDAO_WEB_PORT": str(office.web_port),
        }
        log = (self.logs / "portal.log").open("ab")
        self.portal = subprocess.Popen(
            [sys.executable, "-m", "portal"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def _processes(self) -> list[subprocess.Popen[bytes]]:
        portal = [self.portal] if self.portal else []
        return [*portal, *self.workers, *([self.server] if self.server else [])]

    def alive(self) -> bool:
        return all(p.poll() is None for p in self._processes())

    def stop(self) -> None:
        """Workers first, while the server can still hear them say goodbye; then the server."""
        portal = [self.portal] if self.portal else []
        for group in (portal, self.workers, [self.server] if self.server else []):
            for process in group:
                if process.poll() is None:
                    process.send_signal(signal.SIGINT)  # as Ctrl-C: Prefect stops at once
            deadline = time.monotonic() + STOP_SECONDS  # one wait for the whole group
            for process in group:
                try:
                    process.wait(timeout=max(0.0, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        self.workers, self.server, self.portal = [], None, None


SCAN = "Quét hạn/quet-han"
HEARTBEAT_BOUND = 60  # seconds: a worker silent longer than this is not working
_SCHEDULER_FAILURES = ("bulk DML", "services.scheduler")


@dataclass(frozen=True)
class Health:
    """What the start-up check found: the escalation pass's next scheduled runs, the workers
    heard from lately, and what is wrong (in Vietnamese; empty when all is well)."""

    scheduled: list[str]
    workers: int
    problems: list[str]


def check_health(parts: Running, timeout: float = 90) -> Health:
    """Wait (up to TIMEOUT s) until the scheduler has scheduled the escalation pass and every
    worker has sent a heartbeat; then say what is still wrong."""
    office = parts.office
    deadline = time.monotonic() + timeout
    while True:
        scheduled = _scheduled(office)
        workers = _recent_workers(office)
        errors = _scheduler_errors(parts.logs / "server.log")
        done = bool(scheduled) and workers >= office.workers
        if done or errors or time.monotonic() > deadline:
            break
        time.sleep(2)
    problems = [f"bộ lập lịch của Prefect báo lỗi: {line}" for line in errors[:3]]
    if not scheduled:
        problems.append(
            f"bộ lập lịch chưa tạo lượt chạy nào cho «{SCAN}» sau {timeout:.0f} giây: lượt quét "
            f"hạn hằng ngày sẽ không chạy (xem {parts.logs / 'server.log'})"
        )
    if workers < office.workers:
        problems.append(
            f"chỉ {workers}/{office.workers} worker gửi tín hiệu trong {HEARTBEAT_BOUND} giây "
            f"gần nhất (xem {parts.logs})"
        )
    return Health(scheduled, workers, problems)


def _post(office: Office, path: str, body: dict[str, object]) -> object:
    request = urllib.request.Request(
        f"{office.api_url}{path}",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **_authorization(office)},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.load(answer)


def _authorization(office: Office) -> dict[str, str]:
    auth = office.env().get("PREFECT_API_AUTH_STRING")
    return {"Authorization": "Basic " + base64.b64encode(auth.encode()).decode()} if auth else {}


def scheduled_runs(office: Office, deployment: str = SCAN, limit: int = 5) -> list[dict[str, Any]]:
    """The next runs the scheduler created for DEPLOYMENT, soonest first."""
    name = urllib.parse.quote(deployment)
    request = urllib.request.Request(
        f"{office.api_url}/deployments/name/{name}", headers=_authorization(office)
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        deployment_id = json.load(answer)["id"]
    found = _post(
        office,
        "/flow_runs/filter",
        {
            "deployments": {"id": {"any_": [deployment_id]}},
            "flow_runs": {"state": {"type": {"any_": ["SCHEDULED"]}}},
            "sort": "EXPECTED_START_TIME_ASC",
            "limit": limit,
        },
    )
    return list(found)  # type: ignore[call-overload]


def _scheduled(office: Office) -> list[str]:
    try:
        return [str(run["expected_start_time"]) for run in scheduled_runs(office)]
    except (urllib.error.URLError, OSError, KeyError, ValueError):
        return []


def _recent_workers(office: Office) -> int:
    try:
        workers = _post(office, f"/work_pools/{POOL}/workers/filter", {})
    except (urllib.error.URLError, OSError, ValueError):
        return 0
    now = dt.datetime.now(dt.UTC)
    recent = 0
    for worker in workers:  # type: ignore[attr-defined]
        beat = worker.get("last_heartbeat_time")
        if beat and (now - dt.datetime.fromisoformat(beat)).total_seconds() <= HEARTBEAT_BOUND:
            recent += 1
    return recent


def _scheduler_errors(log: Path) -> list[str]:
    """Lines where the server's scheduler failed (as it does with SQLAlchemy 2.1)."""
    if not log.is_file():
        return []
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    return [
        line.strip()
        for line in lines
        if "ERROR" in line and any(w in line for w in _SCHEDULER_FAILURES)
    ]


@contextmanager
def running(office: Office) -> Iterator[Running]:
    """Start the whole office (databases, server, pool, deployments, workers) and stop it after."""
    prepare_databases(office)
    parts = Running(office)
    try:
        parts.start_server()
        parts.deploy()
        parts.start_workers()
        if office.portal:
            parts.start_portal()
        yield parts
    finally:
        parts.stop()


def _prefect() -> str:
    beside = Path(sys.executable).with_name("prefect")
    return str(beside) if beside.exists() else shutil.which("prefect") or "prefect"


def _healthy(api_url: str, auth: str | None) -> bool:
    request = urllib.request.Request(f"{api_url}/health")
    if auth:
        request.add_header("Authorization", "Basic " + base64.b64encode(auth.encode()).decode())
    try:
        with urllib.request.urlopen(request, timeout=2) as answer:
            return bool(answer.status == 200)
    except (urllib.error.URLError, OSError):
        return False
