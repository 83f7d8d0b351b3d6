"""Who may see and do what in the portal — the README's role table, row by row — and the
refusals: another unit's work by a crafted address, a form without its token, an ended login,
a file name that carries a path, an upload over the limit, guessed passwords. Each refusal is a
Vietnamese sentence and writes nothing (rows and files counted before and after)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import update
from sqlmodel import Session, col, select

from chidao.cli import main
from models.database import home
from models.records import (
    AccountRecord,
    AuditRecord,
    EvidenceRecord,
    ExtensionRequestRecord,
    LoginAttemptRecord,
    PortalRunRecord,
    ReportRecord,
    ReviewRecord,
    WebSessionRecord,
)
from tests.conftest import EXAMPLES
from tests.portal_support import (  # noqa: F401
    PASSWORD,
    PEOPLE,
    Browser,
    Story,
    assignment_of,
    rows,
    story_fixture,
)

pytestmark = pytest.mark.usefixtures("prefect_api")

PDF = b"%PDF-1.4 bao cao ket qua"
ROLES = {"clerk": "lan.stp", "head": "hung.stp", "coordinator": "binh.snv", "admin": "quantri"}
OWN_UNIT = {"clerk": "qng.stp", "head": "qng.stp", "coordinator": "qng.snv", "admin": "qng.stp"}


def _as(story: Story, role: str) -> Browser:
    browser = Browser(story.app)
    browser.log_in(ROLES[role])
    return browser


def _written(story: Story) -> tuple[int, ...]:
    """Everything a refused request must leave as it was."""
    evidence = home() / "evidence"
    files = len(list(evidence.rglob("*"))) if evidence.exists() else 0
    tables = (ReportRecord, EvidenceRecord, ReviewRecord, ExtensionRequestRecord, PortalRunRecord)
    return (*(rows(story.store, t) for t in tables), files)


def _report(browser: Browser, assignment: int, name: str = "bc.pdf", data: bytes = PDF) -> object:
    files = [("files", (name, data, "application/pdf"))]
    return browser.post(f"/viec/{assignment}/bao-cao", {"text": "Đã thực hiện"}, files=files)


# Row 1 — the unit's inbox: clerk, head, coordinator (its own unit's work); not the admin.
@pytest.mark.parametrize(
    ("role", "allowed"), [("clerk", 1), ("head", 1), ("coordinator", 1), ("admin", 0)]
)
def test_row_1_the_inbox_of_ones_own_unit(story: Story, role: str, allowed: int) -> None:
    answer = _as(story, role).get("/hop-viec")
    assert answer.status_code == (200 if allowed else 403)  # type: ignore[attr-defined]
    if allowed:
        assert "2371/UBND-TTHC" in answer.text  # type: ignore[attr-defined]
    else:
        assert "không có hộp việc" in answer.text  # type: ignore[attr-defined]


# Row 2 — reporting with evidence on the unit's own work: clerk, head, coordinator; not admin.
@pytest.mark.parametrize(
    ("role", "allowed"), [("clerk", 1), ("head", 1), ("coordinator", 1), ("admin", 0)]
)
def test_row_2_reporting_on_ones_own_work(story: Story, role: str, allowed: int) -> None:
    target = assignment_of(story.store, OWN_UNIT[role])
    before = _written(story)
    answer = _report(_as(story, role), target)
    if allowed:
        assert answer.status_code == 200 and "Đã nhận báo cáo" in answer.text  # type: ignore[attr-defined]
        with Session(story.store.engine) as session:
            report = session.exec(select(ReportRecord)).one()
            audit = session.exec(
                select(AuditRecord).where(AuditRecord.action == "assignment.reported")
            ).one()
        name, unit, _ = PEOPLE[ROLES[role]]
        assert name in report.actor and unit in report.actor
        assert name in audit.actor and unit in audit.actor  # the audit names person and unit
    else:
        assert answer.status_code == 403  # type: ignore[attr-defined]
        assert _written(story) == before


# Row 3 — asking for more time: the unit's head and the coordinator; not a clerk, not admin.
@pytest.mark.parametrize(
    ("role", "allowed"), [("clerk", 0), ("head", 1), ("coordinator", 1), ("admin", 0)]
)
def test_row_3_requesting_an_extension(story: Story, role: str, allowed: int) -> None:
    target = assignment_of(story.store, OWN_UNIT[role])
    before = _written(story)
    data = {"until": "2024-06-28", "reason": "Chờ số liệu của các huyện"}
    answer = _as(story, role).post(f"/viec/{target}/gia-han", data)
    if allowed:
        assert answer.status_code == 200  # type: ignore[attr-defined]
        assert rows(story.store, ExtensionRequestRecord) == 1
    else:
        assert answer.status_code == 403  # type: ignore[attr-defined]
        assert _written(story) == before


# Row 4 — the board of the directives the unit follows up: the coordinator only.
@pytest.mark.parametrize(
    ("role", "allowed"), [("clerk", 0), ("head", 0), ("coordinator", 1), ("admin", 0)]
)
def test_row_4_the_board(story: Story, role: str, allowed: int) -> None:
    answer = _as(story, role).get("/bang-theo-doi")
    assert answer.status_code == (200 if allowed else 403)  # type: ignore[attr-defined]
    assert ("Bảng theo dõi — Sở Nội vụ" in answer.text) == bool(allowed)  # type: ignore[attr-defined]


# Row 5 — accepting and returning reports: the coordinator only.
@pytest.mark.parametrize(
    ("role", "allowed"), [("clerk", 0), ("head", 0), ("coordinator", 1), ("admin", 0)]
)
def test_row_5_reviewing_reports(story: Story, role: str, allowed: int) -> None:
    target = assignment_of(story.store, "qng.stp")
    _report(_as(story, "clerk"), target)
    before = _written(story)
    answer = _as(story, role).post(f"/viec/{target}/chap-nhan")
    if allowed:
        assert answer.status_code == 200 and "Đã chấp nhận" in answer.text  # type: ignore[attr-defined]
        assert rows(story.store, ReviewRecord) == 1
    else:
        assert answer.status_code == 403  # type: ignore[attr-defined]
        assert _written(story) == before


# Row 6 — workflows (escalate, synthesise, release, issue): the coordinator only.
@pytest.mark.parametrize(
    ("role", "allowed"), [("clerk", 0), ("head", 0), ("coordinator", 1), ("admin", 0)]
)
def test_row_6_starting_workflows(story: Story, role: str, allowed: int) -> None:
    before = _written(story)
    browser = _as(story, role)
    answer = browser.post("/quet-han")
    if allowed:
        assert answer.status_code == 200  # type: ignore[attr-defined]
        _wait_for_runs(story)
        assert "Hoàn thành" in browser.get("/luot-chay/1").text  # type: ignore[attr-defined]
    else:
        assert answer.status_code == 403  # type: ignore[attr-defined]
        assert _written(story) == before


def _wait_for_runs(story: Story, seconds: float = 120) -> None:
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with Session(story.store.engine) as session:
            states = session.exec(select(PortalRunRecord.state)).all()
        if states and all(s != "running" for s in states):
            return
        time.sleep(0.5)
    raise AssertionError("the workflow did not finish")


# Row 7 — accounts and the outbox: the administrator only.
@pytest.mark.parametrize(
    ("role", "allowed"), [("clerk", 0), ("head", 0), ("coordinator", 0), ("admin", 1)]
)
def test_row_7_accounts_and_outbox(story: Story, role: str, allowed: int) -> None:
    browser = _as(story, role)
    assert browser.get("/quan-tri").status_code == (200 if allowed else 403)  # type: ignore[attr-defined]
    data = {"username": "moi.stp", "full_name": "Người Mới", "unit": "qng.stp", "role": "clerk"}
    answer = browser.post("/quan-tri/tai-khoan", {**data, "password": PASSWORD})
    assert answer.status_code == (200 if allowed else 403)  # type: ignore[attr-defined]
    assert rows(story.store, AccountRecord) == len(PEOPLE) + allowed


# Row 8 — another unit's work: refused to everyone, even by a crafted address.
def test_row_8_another_units_assignment_report_and_evidence_are_refused(story: Story) -> None:
    own = assignment_of(story.store, "qng.stp")
    _report(_as(story, "clerk"), own)
    with Session(story.store.engine) as session:
        evidence = session.exec(select(EvidenceRecord)).one()
    stranger = Browser(story.app)
    stranger.log_in("mai.sxd")  # Sở Xây dựng's clerk
    before = _written(story)
    for url in (f"/viec/{own}", f"/kiem-chung/{evidence.id}", "/viec/999999"):
        answer = stranger.get(url)
        assert answer.status_code == 403, url  # type: ignore[attr-defined]
        assert "không thuộc đơn vị của bạn" in answer.text  # type: ignore[attr-defined]
    answer = _report(stranger, own, "gia-mao.pdf", b"%PDF-1.4 gia mao")
    assert answer.status_code == 403  # type: ignore[attr-defined]
    answer = stranger.post(f"/viec/{own}/gia-han", {"until": "2024-06-01", "reason": "x"})
    assert answer.status_code == 403  # type: ignore[attr-defined]
    assert _written(story) == before
    # Sở Xây dựng still sees its own work.
    assert stranger.get(f"/viec/{assignment_of(story.store, 'qng.sxd')}").status_code == 200  # type: ignore[attr-defined]


def test_a_form_without_its_token_is_refused_and_writes_nothing(story: Story) -> None:
    browser = _as(story, "clerk")
    target = assignment_of(story.store, "qng.stp")
    before = _written(story)
    files = [("files", ("bc.pdf", PDF, "application/pdf"))]
    for token in (None, "sai-ma"):
        data = {"text": "x"} if token is None else {"text": "x", "csrf": token}
        answer = browser.client.post(f"/viec/{target}/bao-cao", data=data, files=files)
        assert answer.status_code == 403
        assert "thiếu mã xác thực (CSRF)" in answer.text
    # Another person's token does not do either.
    other = _as(story, "head")
    answer = browser.client.post(
        f"/viec/{target}/bao-cao", data={"text": "x", "csrf": other.csrf}, files=files
    )
    assert answer.status_code == 403
    assert _written(story) == before


def test_an_ended_login_is_refused_and_writes_nothing(story: Story) -> None:
    browser = _as(story, "clerk")
    target = assignment_of(story.store, "qng.stp")
    with story.store.session() as session:
        past = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
        session.execute(update(WebSessionRecord).values(expires_at=past))
    before = _written(story)
    answer = _report(browser, target)
    assert answer.status_code == 401  # type: ignore[attr-defined]
    assert "Phiên đăng nhập đã hết hạn" in answer.text  # type: ignore[attr-defined]
    assert _written(story) == before
    page = browser.get("/hop-viec")
    assert "/dang-nhap" in str(page.url)  # type: ignore[attr-defined]
    assert "Phiên đăng nhập đã hết hạn; vui lòng đăng nhập lại." in page.text  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", ["../../etc/bc.pdf", "..\\..\\bc.pdf", "thu-muc/bc.pdf", ".."])
def test_file_names_that_carry_a_path_are_refused(story: Story, name: str) -> None:
    browser = _as(story, "clerk")
    target = assignment_of(story.store, "qng.stp")
    before = _written(story)
    answer = _report(browser, target, name)
    assert answer.status_code == 400  # type: ignore[attr-defined]
    assert "tên tệp không hợp lệ" in answer.text  # type: ignore[attr-defined]
    assert _written(story) == before
    assert not (Path(home()).parent / "etc").exists()


def test_an_oversize_upload_is_refused_and_writes_nothing(
    story: Story, monkeypatch: pytest.MonkeyPatch
) -> None:
    browser = _as(story, "clerk")
    target = assignment_of(story.store, "qng.stp")
    before = _written(story)
    big = b"%PDF-1.4 " + b"0" * (20 * 1024 * 1024)  # one byte over 20 MB
    answer = _report(browser, target, "lon.pdf", big)
    assert answer.status_code == 400  # type: ignore[attr-defined]
    assert "tệp quá lớn; tối đa 20 MB" in answer.text  # type: ignore[attr-defined]
    # A request larger than any report may be is refused before it is read.
    monkeypatch.setattr("portal.uploads.MAX_BODY", 1024 * 1024)
    answer = _report(browser, target, "lon.pdf", b"%PDF-1.4 " + b"0" * (2 * 1024 * 1024))
    assert answer.status_code == 413  # type: ignore[attr-defined]
    assert "Yêu cầu quá lớn" in answer.text and "Không có gì được ghi" in answer.text  # type: ignore[attr-defined]
    assert _written(story) == before


def test_guessing_passwords_is_limited_per_account_and_address(story: Story) -> None:
    browser = Browser(story.app)
    for _ in range(5):
        answer = browser.log_in("lan.stp", "sai-mat-khau-roi")
        assert answer.status_code == 401 and "không đúng" in answer.text  # type: ignore[attr-defined]
    answer = browser.log_in("lan.stp")  # the right password, too late
    assert answer.status_code == 401  # type: ignore[attr-defined]
    assert "Đăng nhập sai quá 5 lần" in answer.text  # type: ignore[attr-defined]
    assert rows(story.store, WebSessionRecord) == 0
    with Session(story.store.engine) as session:
        kept = session.exec(select(LoginAttemptRecord).where(col(LoginAttemptRecord.ok))).all()
    assert kept == []
    # Another account from the same address is not locked out.
    assert Browser(story.app).log_in("hung.stp").status_code == 200  # type: ignore[attr-defined]


def test_passwords_are_kept_as_argon2_hashes(story: Story) -> None:
    with Session(story.store.engine) as session:
        hashes = session.exec(select(AccountRecord.password_hash)).all()
    assert all(h.startswith("$argon2id$") and PASSWORD not in h for h in hashes)


def test_user_add_and_import_on_the_command_line(
    story: Story,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("mat-khau-rat-dai\n"))
    args = ["user", "add", "thu.stp", "--name", "Đỗ Thị Thu", "--unit", "qng.stp"]
    assert main([*args, "--role", "head", "--password-stdin"]) == 0
    assert "Đã thêm tài khoản thu.stp" in capsys.readouterr().out
    # Piped without --password-stdin: there is no terminal to ask twice.
    monkeypatch.setattr("sys.stdin", io.StringIO("mat-khau-rat-dai\n"))
    other = ["user", "add", "ha.stp", "--name", "Lê Thị Hà", "--unit", "qng.stp"]
    assert main([*other, "--role", "clerk"]) == 2
    assert "đưa mật khẩu qua stdin với --password-stdin" in capsys.readouterr().err
    table = tmp_path / "tai-khoan.csv"
    table.write_text(
        "username,full_name,unit,role,email,password\n"
        "an.stc,Ngô Văn An,qng.stc,clerk,an@stc.vn,mat-khau-rat-dai\n"
        "sai,Không Có,qng.khong-co,clerk,,ngan\n",
        encoding="utf-8",
    )
    before = rows(story.store, AccountRecord)
    assert main(["user", "import", str(table)]) == 2  # one bad line: none are added
    err = capsys.readouterr().err
    assert "dòng 3" in err and "mật khẩu phải có ít nhất 10 ký tự" in err
    assert rows(story.store, AccountRecord) == before
    table.write_text(
        table.read_text(encoding="utf-8").splitlines()[0]
        + "\n"
        + table.read_text(encoding="utf-8").splitlines()[1]
        + "\n",
        encoding="utf-8",
    )
    assert main(["user", "import", str(table)]) == 0
    assert rows(story.store, AccountRecord) == before + 1


def test_chidao_web_runs_a_workflow_on_the_embedded_default_and_stops_whole(
    tmp_path: Path,
) -> None:
    """`chidao web` as an office tries it first: a coordinator logs in, starts the escalation
    pass (a flow run on the embedded Prefect server the portal starts for it), and a SIGTERM
    stops the portal and that server with it, leaving no process behind."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "CHIDAO_"))}
    env |= {
        "CHIDAO_HOME": str(tmp_path / "home"),
        "PREFECT_HOME": str(tmp_path / "prefect"),
        "CHIDAO_SIMULATED_NOW": "2024-05-21T07:30:00+07:00",
    }
    chidao = str(Path(sys.executable).with_name("chidao"))
    org = str(EXAMPLES / "org" / "quang-ngai.yaml")
    added = subprocess.run(
        [chidao, "user", "add", "binh.snv", "--name", "Phạm Văn Bình", "--unit", "qng.snv",
         "--role", "coordinator", "--org", org, "--password-stdin"],
        input=f"{PASSWORD}\n", capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    port = _free_port()
    log = (tmp_path / "web.log").open("w")
    web = subprocess.Popen(
        [chidao, "web", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base}/dang-nhap").status_code == 200:
                    break
            time.sleep(0.3)
        with httpx.Client(base_url=base, follow_redirects=True, timeout=60) as person:
            token = _token(person.get("/dang-nhap").text)
            board = person.post(
                "/dang-nhap", data={"username": "binh.snv", "password": PASSWORD, "csrf": token}
            )
            assert "Bảng theo dõi" in board.text
            run = person.post("/quet-han", data={"csrf": _token(board.text)})
            assert "/luot-chay/" in str(run.url)
            while "Đang chạy" in run.text and time.monotonic() < deadline + 120:
                time.sleep(1)
                run = person.get(str(run.url))
            assert "Hoàn thành" in run.text, run.text[-1500:]
        helpers = subprocess.run(
            ["pgrep", "-P", str(web.pid)], capture_output=True, text=True, check=False
        ).stdout.split()
        assert helpers, "the embedded Prefect server runs beside the portal"
        web.send_signal(signal.SIGTERM)
        assert web.wait(timeout=60) == 0
    finally:
        if web.poll() is None:
            web.kill()
        log.close()
    time.sleep(2)
    left = [pid for pid in helpers if Path(f"/proc/{pid}").exists()]
    assert not left, f"left running after the portal stopped: {left}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _token(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]*)"', page)
    assert found, page[:500]
    return found.group(1)
