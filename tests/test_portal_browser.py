"""The portal as people use it, in Debian's chromium (headless) at a phone's width, 375 px: a
clerk of Sở Tư pháp logs in, finds her assignment in the inbox, uploads her evidence and
reports; the coordinator at Sở Nội vụ sees the board change band and accepts. No page scrolls
sideways. Screenshots are saved in the test's temporary folder."""

from __future__ import annotations

import base64
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from models import notices
from models.directive import Directive
from portal.app import create_app
from renderer import render
from tests.conftest import EXAMPLES
from tests.portal_support import PASSWORD, Story, assignment_of, story_fixture  # noqa: F401

pytestmark = pytest.mark.usefixtures("prefect_api")

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
WIDTH = 375


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def portal(story: Story) -> Iterator[str]:
    """The portal under uvicorn in a thread, on a free loopback port."""
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(send_outbox=False), host="127.0.0.1", port=port, log_level="warning"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def chromium() -> Iterator[WebDriver]:
    for needed in (CHROMIUM, CHROMEDRIVER):
        if not needed.exists():
            pytest.skip(f"{needed} is not installed (Debian packages chromium, chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ):
        options.add_argument(flag)
    options.add_experimental_option(
        "mobileEmulation", {"deviceMetrics": {"width": WIDTH, "height": 800, "pixelRatio": 2}}
    )
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


class Phone:
    def __init__(self, driver: WebDriver, base: str, shots: Path) -> None:
        self.driver, self.base, self.shots = driver, base, shots
        self.pages: list[str] = []

    def open(self, path: str) -> None:
        self.driver.get(self.base + path)
        self.check(path)

    def check(self, name: str) -> None:
        """The page fits the phone's width, and is kept as a screenshot."""
        width = self.driver.execute_script("return window.innerWidth")
        scroll = self.driver.execute_script("return document.documentElement.scrollWidth")
        assert width == WIDTH
        assert scroll <= width, f"{name} scrolls sideways ({scroll} px > {width} px)"
        self.pages.append(name)
        safe = name.strip("/").replace("/", "_").replace("?", "_") or "trang-dau"
        whole = self.driver.execute_cdp_cmd(
            "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}
        )  # the whole page, not only what the phone's screen shows
        shot = self.shots / f"{len(self.pages):02d}-{safe}.png"
        shot.write_bytes(base64.b64decode(whole["data"]))

    def log_in(self, username: str) -> None:
        self.open("/dang-nhap")
        self.driver.find_element(By.ID, "username").send_keys(username)
        self.driver.find_element(By.ID, "password").send_keys(PASSWORD)
        self.driver.find_element(By.ID, "dang-nhap").click()

    def log_out(self) -> None:
        self.driver.find_element(By.XPATH, "//button[text()='Đăng xuất']").click()

    def text(self) -> str:
        return str(self.driver.find_element(By.TAG_NAME, "body").text)


def test_a_clerk_reports_from_her_phone_and_the_coordinator_accepts(
    story: Story,
    portal: str,
    chromium: WebDriver,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shots = tmp_path / "anh-chup"
    shots.mkdir()
    phone = Phone(chromium, portal, shots)
    monkeypatch.setenv("CHIDAO_ORG", str(EXAMPLES / "org" / "quang-ngai.yaml"))
    received = tmp_path / "cong-van-2268.docx"
    received.write_bytes(render(Directive.load(EXAMPLES / "quang-ngai-2268.yaml")).data)
    evidence = tmp_path / "bao-cao-cai-cach-hanh-chinh.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% bao cao ket qua cai cach hanh chinh\n" * 200)

    notices.collect(story.store)  # what the portal's outbox round does every few seconds
    phone.log_in("lan.stp")
    phone.check("hop-viec")
    assert "Hộp việc của Sở Tư pháp" in phone.text()
    assert chromium.find_element(By.ID, "chua-doc").text == "1"  # one new notice: her task
    chromium.find_element(By.PARTIAL_LINK_TEXT, "2371/UBND-TTHC — mục 1.").click()
    phone.check("viec")
    assert "Chưa đến hạn" in phone.text()
    chromium.find_element(By.ID, "text").send_keys("Đã rà soát 12 tiêu chí; gửi kèm báo cáo.")
    chromium.find_element(By.ID, "files").send_keys(str(evidence))
    chromium.find_element(By.ID, "nop").click()
    phone.check("da-bao-cao")
    assert "Đã nhận báo cáo (đúng hạn)." in phone.text()
    assert "bao-cao-cai-cach-hanh-chinh.pdf" in phone.text()
    phone.open("/thong-bao")
    assert "Mới Việc mới: 2371/UBND-TTHC, mục 1." in phone.text()
    phone.log_out()

    phone.log_in("binh.snv")
    phone.check("bang-theo-doi")
    summary = chromium.find_element(By.ID, "tong").text
    assert "Đã báo cáo đúng hạn: 1" in summary
    target = assignment_of(story.store, "qng.stp")
    phone.open(f"/viec/{target}")
    chromium.find_element(By.ID, "chap-nhan").click()
    phone.check("da-chap-nhan")
    assert "Đã chấp nhận báo cáo." in phone.text()
    phone.open("/bang-theo-doi")
    summary = chromium.find_element(By.ID, "tong").text
    assert "Đã được chấp nhận: 1" in summary and "Đã báo cáo đúng hạn: 0" in summary
    for path in ("/van-ban", "/bang-theo-doi?band=accepted", "/hop-viec"):
        phone.open(path)
    phone.open("/phat-hanh-moi")  # a received letter, read and shown as a form to check
    chromium.find_element(By.ID, "letter").send_keys(str(received))
    chromium.find_element(By.XPATH, "//button[text()='Đọc văn bản']").click()
    chromium.find_element(By.ID, "kiem-tra")  # waits for the form
    phone.check("phat-hanh-moi-kiem-tra")
    shown = phone.text()
    assert "Trích yếu" in shown and "Mục 2.\nNội dung\n" in shown and "Đơn vị chủ trì" in shown
    phone.log_out()

    phone.log_in("quantri")
    phone.check("quan-tri")
    phone.open("/viec/999999")  # a refusal page fits too
    assert "không thuộc đơn vị của bạn" in phone.text()
    assert len(list(shots.glob("*.png"))) == len(phone.pages) >= 12
