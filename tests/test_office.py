"""The office set-up for real: a Prefect server on PostgreSQL, workers, the deployments, a cascade
triggered with `prefect deployment run`, and the Prefect UI seen in a real browser."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from sqlmodel import Session, select

from chidao.office import (
    Office,
    Running,
    check_health,
    prepare_databases,
    running,
    scheduled_runs,
)
from flows.cascade import board_key
from models.board import cascade_summary
from models.letters import folder_of
from models.records import LetterRecord
from models.store import Store
from tests.conftest import EXAMPLES, POSTGRES, _postgres_missing, docx_text
from tests.letters import read

ROOT_KEY = "qng:2268/UBND-TTHC:2024-05-06"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Cascade:
    office: Office
    parts: Running
    output: str
    returncode: int


@contextmanager
def _fresh_office(home: Path, **settings: Any) -> Iterator[Office]:
    """An office on a free port with databases of its own, dropped afterwards."""
    missing = _postgres_missing()
    if missing:
        pytest.skip(missing)
    import psycopg

    suffix = uuid.uuid4().hex[:10]
    office = Office(
        home=home,
        prefect_database=f"chidao_e2e_prefect_{suffix}",
        chidao_database=f"chidao_e2e_{suffix}",
        port=_free_port(),
        **settings,
    )
    try:
        yield office
    finally:
        Store.open(office.chidao_url).engine.dispose()
        with psycopg.connect(POSTGRES, autocommit=True) as admin:
            for name in (office.prefect_database, office.chidao_database):
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def cascade(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cascade]:
    """The office with two workers on fresh PostgreSQL databases, and Công văn 2268 issued
    through it once with `prefect deployment run`."""
    # The office works on 6 May 2024, the day Công văn 2268 is issued.
    simulated = {"CHIDAO_SIMULATED_NOW": "2024-05-06T08:00:00+07:00"}
    home = tmp_path_factory.mktemp("office")
    portal = {"portal": True, "web_port": _free_port()}  # as `chidao serve` starts it
    with _fresh_office(home, extra_env=simulated, **portal) as office, running(office) as parts:
        run = subprocess.run(
            [
                str(Path(sys.executable).with_name("prefect")),
                "deployment",
                "run",
                "Phát hành chỉ đạo/phat-hanh",
                "--param",
                f"spec_path={EXAMPLES / 'quang-ngai-2268.yaml'}",
                "--param",
                "auto_release=true",
                "--watch",
                "--watch-timeout",
                "300",
            ],
            env=office.env(),
            capture_output=True,
            text=True,
            timeout=400,
            check=False,
        )
        yield Cascade(office, parts, run.stdout + run.stderr, run.returncode)


def test_serve_offers_the_portal_on_the_records_the_workers_wrote(cascade: Cascade) -> None:
    """The portal `chidao serve` starts beside the server and workers: a coordinator added with
    `chidao user add` logs in and sees Công văn 2268's assignments, which a worker recorded."""
    office = cascade.office
    chidao = str(Path(sys.executable).with_name("chidao"))
    added = subprocess.run(
        [chidao, "user", "add", "binh.snv", "--name", "Phạm Văn Bình", "--unit", "qng.snv"]
        + ["--role", "coordinator", "--password-stdin"],
        input="mat-khau-van-phong-2024\n",
        env=office.env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert added.returncode == 0, added.stderr
    base = f"http://{office.web_host}:{office.web_port}"
    with httpx.Client(base_url=base, follow_redirects=True, timeout=30) as client:
        deadline = time.monotonic() + 60
        while True:
            try:
                form = client.get("/dang-nhap")
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the portal did not answer"
                time.sleep(0.5)
        assert form.status_code == 200 and "Đăng nhập" in form.text
        token = re.search(r'name="csrf" value="([^"]*)"', form.text)
        assert token is not None
        credentials = {"username": "binh.snv", "password": "mat-khau-van-phong-2024"}
        client.post("/dang-nhap", data={**credentials, "csrf": token[1]})
        board = client.get("/bang-theo-doi")
    assert board.status_code == 200 and "Bảng theo dõi — Sở Nội vụ" in board.text
    total = re.search(r"Tổng (\d+) việc", board.text)
    assert total is not None and int(total[1]) > 0


def test_a_deployment_run_on_the_office_server_records_and_writes_the_cascade(
    cascade: Cascade,
) -> None:
    assert cascade.returncode == 0, cascade.output
    assert "Completed" in cascade.output
    # The worker ran it: chidao's records are in PostgreSQL, not in a SQLite file.
    store = Store.open(cascade.office.chidao_url)
    root = store.lookup(ROOT_KEY)
    assert root.id is not None
    assert cascade_summary(store, root.id) == [(0, 1, 1, 59), (1, 13, 13, 174)]
    assert not (cascade.office.home / "chidao.db").exists()
    folder = cascade.office.home / "documents" / folder_of(ROOT_KEY)
    assert len(sorted(folder.glob("*.docx"))) == 14
    letter = docx_text(next(folder.glob("qng-2268-*.docx")))
    assert "Số: 2268/UBND-TTHC" in letter and "trước ngày 20/5/2024" in letter
    binh_son = read(next(folder.glob("qng.binh-son-trien-khai-*.docx")))
    assert binh_son.number == "Số: 01/UBND-NV"  # released at once: numbered from its register
    assert binh_son.body[0].startswith(
        "Thực hiện Công văn số 2268/UBND-TTHC ngày 06/5/2024 của UBND tỉnh"
    )
    assert len(cascade.parts.workers) == 2 and cascade.parts.alive()


def _weekday_mornings(count: int) -> list[dt.datetime]:
    """The next COUNT weekdays at 07:30 in Vietnam, worked out here from the calendar."""
    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    now = dt.datetime.now(zone)
    day, found = now.date(), []
    while len(found) < count:
        moment = dt.datetime.combine(day, dt.time(7, 30), zone)
        if day.weekday() < 5 and moment > now:
            found.append(moment)
        day += dt.timedelta(days=1)
    return found


def test_the_escalation_pass_is_scheduled_every_weekday_at_0730_vietnam_time(
    cascade: Cascade,
) -> None:
    """The server's scheduler, not only the deployment, has created the runs (it could not
    with SQLAlchemy 2.1), and `chidao serve`'s start-up check saw them."""
    health = check_health(cascade.parts)
    assert health.problems == [] and health.workers == 2
    runs = scheduled_runs(cascade.office, limit=3)
    starts = [dt.datetime.fromisoformat(run["expected_start_time"]) for run in runs]
    assert starts == _weekday_mornings(3)
    assert all(run["auto_scheduled"] for run in runs)


def test_a_scheduled_run_is_picked_up_and_completed_by_a_worker_with_its_letters(
    cascade: Cascade,
) -> None:
    """A deployment of the same flow, scheduled a few seconds ahead; its runs see 21 May 2024,
    the morning after 2268's deadline, so the pass drafts its công văn đôn đốc."""
    office = cascade.office
    scan = _api(office, "/deployments/name/" + urllib.parse.quote("Quét hạn/quet-han"))
    anchor = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=15)
    created = _post(
        office,
        "/deployments/",
        {
            "name": "quet-han-thu",
            "flow_id": scan["flow_id"],
            "entrypoint": scan["entrypoint"],
            "path": scan["path"],
            "pull_steps": scan["pull_steps"],
            "work_pool_name": "chidao",
            "parameter_openapi_schema": scan["parameter_openapi_schema"],
            "enforce_parameter_schema": True,
            "job_variables": {"env": {"CHIDAO_SIMULATED_NOW": "2024-05-21T07:30:00+07:00"}},
            "schedules": [
                {
                    "schedule": {"interval": 86400, "anchor_date": anchor.isoformat()},
                    "active": True,
                }
            ],
        },
    )
    deadline = time.monotonic() + 180
    run: dict[str, Any] = {}
    while time.monotonic() < deadline:
        found = _post(
            office,
            "/flow_runs/filter",
            {"deployments": {"id": {"any_": [created["id"]]}}, "sort": "EXPECTED_START_TIME_ASC"},
        )
        run = found[0] if found else {}
        if run.get("state_type") in ("COMPLETED", "FAILED", "CRASHED"):
            break
        time.sleep(2)
    assert run.get("state_type") == "COMPLETED", run
    assert run["auto_scheduled"]  # created by the scheduler, not by hand
    started = dt.datetime.fromisoformat(run["start_time"])
    assert started >= anchor - dt.timedelta(seconds=1)
    store = Store.open(office.chidao_url)
    with Session(store.engine) as session:
        urging = session.exec(
            select(LetterRecord).where(
                LetterRecord.kind == "don_doc", LetterRecord.issued_on == dt.date(2024, 5, 21)
            )
        ).all()
    assert urging and all(path_of_in(office, x).is_file() for x in urging)
    sent = read(next(path_of_in(office, x) for x in urging if x.issuer_code == "qng.snv"))
    assert sent.issuer == ["UBND TỈNH QUẢNG NGÃI", "SỞ NỘI VỤ"]


def path_of_in(office: Office, letter: LetterRecord) -> Path:
    return office.home / "documents" / letter.path


def _post(office: Office, path: str, body: dict[str, Any]) -> Any:
    request = urllib.request.Request(
        f"{office.api_url}{path}",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.load(answer)


def _browser() -> WebDriver:
    for needed in (CHROMIUM, CHROMEDRIVER):
        if not needed.exists():
            pytest.skip(f"{needed} is not installed (Debian packages chromium, chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    # This machine has no network: without these Chromium keeps trying to reach Google.
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1400,1000",
    ):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)


def _page_saying(driver: WebDriver, words: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    text = ""
    while time.monotonic() < deadline:
        text = driver.find_element(By.TAG_NAME, "body").text
        if words in text:
            return str(text)
        time.sleep(0.5)
    raise AssertionError(f"the page never showed {words!r}; it showed:\n{text[:2000]}")


def _links(driver: WebDriver, css: str, timeout: float = 60) -> list[WebElement]:
    """The page's text can arrive before the list of versions it links to."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found := driver.find_elements(By.CSS_SELECTOR, css):
            return list(found)
        time.sleep(0.5)
    raise AssertionError(f"the page never linked {css!r}; it showed:\n{driver.page_source[:2000]}")


def _api(office: Office, path: str) -> dict[str, str]:
    with urllib.request.urlopen(f"{office.api_url}{path}", timeout=10) as answer:
        return dict(json.load(answer))


def test_the_prefect_ui_shows_the_vietnamese_form_and_the_status_board(
    cascade: Cascade, tmp_path: Path
) -> None:
    assert cascade.returncode == 0, cascade.output
    driver = _browser()
    shots = tmp_path / "screenshots"
    shots.mkdir()
    try:
        name = urllib.parse.quote("Phát hành chỉ đạo/phat-hanh")
        deployment = _api(cascade.office, f"/deployments/name/{name}")
        driver.get(f"{cascade.office.ui_url}/deployments/deployment/{deployment['id']}/run")
        form = _page_saying(driver, "Tệp mô tả văn bản (YAML)")
        for title in (
            "Nội dung văn bản",
            "Phát hành ngay",
            "Hạn nội bộ sớm hơn (ngày làm việc)",
        ):
            assert title in form
        driver.save_screenshot(str(shots / "phat-hanh-form.png"))

        driver.get(f"{cascade.office.ui_url}/artifacts/key/{board_key(ROOT_KEY)}")
        _page_saying(driver, "2268/UBND-TTHC")
        _links(driver, "a[href*='/artifacts/artifact/']")[0].click()
        board = _page_saying(driver, "Sở Tư pháp")
        assert "Đơn vị" in board and "Ủy ban nhân dân huyện Bình Sơn" in board
        assert "trước ngày 20/5/2024" in board
        driver.save_screenshot(str(shots / "bang-trang-thai.png"))
    finally:
        driver.quit()
    assert all(p.stat().st_size > 10_000 for p in shots.glob("*.png"))
    print(f"Screenshots: {shots}")


def test_serve_explains_a_missing_postgresql_in_vietnamese(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            str(Path(sys.executable).with_name("chidao")),
            "serve",
            "--home",
            str(tmp_path),
            "--postgres",
            "postgresql://postgres@127.0.0.1:1",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "«postgres», giá trị «postgresql://postgres@127.0.0.1:1»" in done.stderr
    assert "không chuẩn bị được cơ sở dữ liệu PostgreSQL" in done.stderr
    assert not (tmp_path / "logs").exists()


def test_a_password_protected_office_serves_its_workers_and_stops_whole(
    tmp_path: Path,
) -> None:
    password = {"PREFECT_SERVER_API_AUTH_STRING": "vanthu:mat-khau"}
    with _fresh_office(tmp_path, extra_env=password) as office:
        assert office.env()["PREFECT_API_AUTH_STRING"] == "vanthu:mat-khau"  # clients send it
        assert office.env()["PREFECT_SERVER_API_HOST"] == "127.0.0.1"
        parts = Running(office)
        try:
            prepare_databases(office)
            parts.start_server()  # its health check authenticates
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(f"{office.api_url}/work_pools/filter", b"{}", timeout=10)
            assert refused.value.code == 401
            parts.start_workers()
            assert _workers_online(office, "Basic " + base64.b64encode(b"vanthu:mat-khau").decode())
        finally:
            processes = [*parts.workers, parts.server]
            parts.stop()
        assert all(p is not None and p.poll() is not None for p in processes)


def _workers_online(office: Office, authorization: str, timeout: float = 90) -> bool:
    """Both workers have reached the server with the password (they create the pool)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        request = urllib.request.Request(
            f"{office.api_url}/work_pools/chidao/workers/filter",
            data=b"{}",
            headers={"Authorization": authorization, "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                if len(json.load(answer)) == office.workers:
                    return True
        except urllib.error.HTTPError as exc:
            if exc.code != 404:  # 404: the pool does not exist yet
                raise
        time.sleep(1)
    return False
