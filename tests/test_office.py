"""The office set-up for real: a Prefect server on PostgreSQL, workers, the deployments, a cascade
triggered with `prefect deployment run`, and the Prefect UI seen in a real browser."""

from __future__ import annotations

import base64
import json
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

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from chidao.office import Office, Running, prepare_databases, running
from flows.cascade import board_key
from models.store import Store
from tests.conftest import EXAMPLES, POSTGRES, _postgres_missing, docx_text

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
    with _fresh_office(tmp_path_factory.mktemp("office")) as office, running(office) as parts:
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


def test_a_deployment_run_on_the_office_server_records_and_writes_the_cascade(
    cascade: Cascade,
) -> None:
    assert cascade.returncode == 0, cascade.output
    assert "Completed" in cascade.output
    # The worker ran it: chidao's records are in PostgreSQL, not in a SQLite file.
    store = Store.open(cascade.office.chidao_url)
    root = store.lookup(ROOT_KEY)
    assert root.id is not None
    assert store.cascade_summary(root.id) == [(0, 1, 1, 59), (1, 13, 13, 174)]
    assert not (cascade.office.home / "chidao.db").exists()
    folder = cascade.office.home / "documents" / "qng-2268-UBND-TTHC-2024-05-06"
    drafts = sorted(folder.glob("*.docx"))
    assert len(drafts) == 14
    letter = docx_text(folder / "qng-2268-UBND-TTHC.docx")
    assert "Số: 2268/UBND-TTHC" in letter and "trước ngày 20/5/2024" in letter
    binh_son = docx_text(folder / "qng-binh-son-du-thao-UBND-NV.docx")
    assert "Thực hiện Công văn số 2268/UBND-TTHC ngày 06/5/2024 của UBND tỉnh" in binh_son
    assert len(cascade.parts.workers) == 2 and cascade.parts.alive()


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
            "Phát hành ngay văn bản triển khai của cấp dưới",
            "Hạn nội bộ sớm hơn (ngày làm việc)",
        ):
            assert title in form
        driver.save_screenshot(str(shots / "phat-hanh-form.png"))

        driver.get(f"{cascade.office.ui_url}/artifacts/key/{board_key(ROOT_KEY)}")
        _page_saying(driver, "2268/UBND-TTHC")
        links = driver.find_elements(By.CSS_SELECTOR, "a[href*='/artifacts/artifact/']")
        assert links, "the artifact's page links no version of the board"
        links[0].click()
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
    assert "trường «postgres», giá trị «postgresql://postgres@127.0.0.1:1»" in done.stderr
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
