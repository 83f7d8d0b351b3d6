"""Hostile input across every command: each case is refused with its exit code and a
Vietnamese message naming what is wrong, never a traceback — and nothing is written, lost or
left half-written (every table's row count and every file's hash are the same after). The
bombs run in a subprocess under a 500 MB memory limit and must be refused within 5 seconds."""

from __future__ import annotations

import resource
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from chidao.cli import main
from flows.cascade import issue_directive
from flows.reporting import submit_report
from models.errors import InputError
from tests.conftest import EXAMPLES, ROOT
from tests.hostile import (
    BINH_SON,
    LETTER,
    MEMORY,
    SECONDS,
    Office,
    _nested,
    _refused,
    _set,
    _spec,
)
from tests.hostile import office as office  # the fixture, by its name

pytestmark = pytest.mark.usefixtures("prefect_api")

SPEC_CASES = {
    "control-character-in-subject": (
        _set("subject", "triển khai\x07 chỉ số"),
        "subject",
        "ký tự điều khiển U+0007",
    ),
    "issue-year-9999": (_set("issued_on", "9999-05-06"), "issued_on", "năm phải từ 2000 đến 2100"),
    "deadline-year-9999": (
        _set("items.1.deadline", {"before": "9999-05-20"}),
        "items[2].deadline.before",
        "năm phải",
    ),
    "deadline-month-9999": (
        _set("items.1.deadline", {"month": "9999-06"}),
        "items[2].deadline.month",
        "năm phải",
    ),
    "working-days-ten-thousand": (
        _set("items.1.deadline", {"working_days": 10000}),
        "items[2].deadline.working_days",
        "không được lớn hơn 366",
    ),
    "basis-year-1900": (_set("basis.0.date", "1900-04-22"), "basis[1].date", "năm phải"),
    "period-year-9999": (
        _set("items.1.period", {"start": "2024-01-01", "end": "9999-01-01"}),
        "items[2].period.end",
        "năm phải",
    ),
    "items-200-deep": (_set("items.0", _nested(200)), "(toàn bộ tệp)", "lồng quá 6 cấp"),
    "items-7-deep": (_set("items.0", _nested(7)), "(toàn bộ tệp)", "lồng quá 6 cấp"),
    "lead-is-its-issuer": (_set("items.2.lead", ["qng"]), "items[3].lead[1]", "chính cơ quan"),
    "number-not-a-number": (_set("number", "hai nghìn"), "number", "phải là số nguyên"),
}


@pytest.mark.parametrize("case", sorted(SPEC_CASES))
@pytest.mark.parametrize("command", ["render", "issue"])
def test_a_spec_no_office_can_mean_is_refused_before_anything_is_written(
    office: Office, capsys: pytest.CaptureFixture[str], case: str, command: str
) -> None:
    change, field, words = SPEC_CASES[case]
    spec = _spec(office, case, change)
    argv = [command, str(spec)] + (
        ["-o", str(office.inputs / "x.docx")] if command == "render" else []
    )
    _refused(office, capsys, argv, 2, f"«{field}»", words)
    assert not (office.inputs / "x.docx").exists()


def test_the_corrected_spec_is_then_issued(
    office: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    """Refused before any write, a spec corrected afterwards is not 'different content'."""
    bad = _spec(office, "sua-lai", _set("subject", "triển khai\x07 chỉ số"))
    _refused(office, capsys, ["issue", str(bad)], 2, "ký tự điều khiển")
    spec = yaml.safe_load(bad.read_text())
    spec["number"], spec["subject"] = 2999, "triển khai chỉ số (đã sửa)"
    good = office.inputs / "sua-lai-2.yaml"
    good.write_text(yaml.safe_dump(spec, allow_unicode=True))
    assert main(["render", str(good), "-o", str(office.inputs / "da-sua.docx")]) == 0


YAML_BOMB = """a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def _bounded(argv: list[str], cwd: Path | None = None) -> tuple[int, str, float]:
    """Run chidao in a subprocess limited to 500 MB of memory; its exit, stderr and seconds."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))

    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "chidao", *argv],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=limit,  # noqa: PLW1509 - no threads in the child before exec
        cwd=cwd or ROOT,
        check=False,
    )
    return done.returncode, done.stderr, time.perf_counter() - started


def _zip_bomb(path: Path) -> Path:
    body = b"<w:p/>" * 40_000_000  # 240 MB of paragraphs, a few hundred kilobytes zipped
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "word/document.xml",
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            b"<w:body>" + body + b"</w:body></w:document>",
        )
    return path


def _many_paragraphs(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "word/document.xml",
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            b"<w:body>" + b"<w:p/>" * 60_000 + b"</w:body></w:document>",
        )
    return path


BOMBS: dict[str, tuple[Callable[[Path], Path], list[str], str]] = {
    "yaml-alias-bomb-spec": (
        lambda d: _write(d / "bomb.yaml", YAML_BOMB),
        ["render", "{}", "-o", "{out}"],
        "bí danh",
    ),
    "yaml-alias-bomb-tree": (
        lambda d: _write(d / "bomb-org.yaml", YAML_BOMB),
        ["org", "check", "{}"],
        "bí danh",
    ),
    "yaml-self-reference": (
        lambda d: _write(d / "vong.yaml", "a: &x [*x]\n"),
        ["render", "{}"],
        "tự tham chiếu",
    ),
    "yaml-six-megabytes": (
        lambda d: _write(d / "lon.yaml", "a: " + "x" * (6 * 1024 * 1024) + "\n"),
        ["render", "{}"],
        "tối đa 5 MB",
    ),
    "word-zip-bomb": (
        lambda d: _zip_bomb(d / "bomb.docx"),
        ["import", "{}", "--org", str(EXAMPLES / "org" / "quang-ngai.yaml")],
        "tối đa 50 MB",
    ),
    "word-60000-paragraphs": (
        lambda d: _many_paragraphs(d / "nhieu-doan.docx"),
        ["import", "{}", "--org", str(EXAMPLES / "org" / "quang-ngai.yaml")],
        "quá nhiều đoạn",
    ),
    "text-letter-six-megabytes": (
        lambda d: _write(d / "lon.txt", "Kính gửi: " + "x" * (6 * 1024 * 1024)),
        ["import", "{}", "--org", str(EXAMPLES / "org" / "quang-ngai.yaml")],
        "tối đa 5 MB",
    ),
}


def _write(path: Path, content: str) -> Path:
    path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize("case", sorted(BOMBS))
def test_a_bomb_is_refused_within_five_seconds_and_500_megabytes(case: str, tmp_path: Path) -> None:
    make, argv, words = BOMBS[case]
    path = make(tmp_path)
    argv = [a.replace("{}", str(path)).replace("{out}", str(tmp_path / "x.docx")) for a in argv]
    code, err, seconds = _bounded(argv)
    assert code == 2, err
    assert words in err and "Traceback" not in err
    assert seconds < SECONDS
    assert not (tmp_path / "x.docx").exists()


def test_a_key_written_twice_is_refused_not_silently_the_last(
    office: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = (
        (EXAMPLES / "quang-ngai-2268.yaml")
        .read_text()
        .replace("number: 2268\n", "number: 2268\nnumber: 2269\n")
    )
    path = _write(
        office.inputs / "trung-khoa.yaml", spec.replace("org: org/", f"org: {EXAMPLES}/org/")
    )
    _refused(
        office,
        capsys,
        ["issue", str(path)],
        2,
        "«dòng 9»",
        "number",
        "mỗi khóa chỉ được ghi một lần",
    )


# Arguments no office can mean ---------------------------------------------------------------


def _dir(office: Office, name: str) -> str:
    folder = office.inputs / name
    folder.mkdir(exist_ok=True)
    return str(folder)


ARGUMENT_CASES: dict[str, tuple[Callable[[Office], list[str]], int, tuple[str, ...]]] = {
    "render-output-is-a-folder": (
        lambda o: ["render", str(EXAMPLES / "quang-ngai-2268.yaml"), "-o", _dir(o, "ra")],
        2,
        ("«-o»", "là một thư mục"),
    ),
    "issue-lead-days-ten-million": (
        lambda o: ["issue", str(EXAMPLES / "quang-ngai-2268.yaml"), "--lead-days", "10000000"],
        2,
        ("«--lead-days»", "phải từ 0 đến 30"),
    ),
    "issue-lead-days-negative": (
        lambda o: ["issue", str(EXAMPLES / "quang-ngai-2268.yaml"), "--lead-days", "-1"],
        2,
        ("«--lead-days»",),
    ),
    "issue-missing-spec": (lambda o: ["issue"], 2, ("thiếu tham số bắt buộc: TỆP-YAML",)),
    "issue-no-such-file": (
        lambda o: ["issue", str(o.inputs / "khong-co.yaml")],
        2,
        ("không tìm thấy tệp",),
    ),
    "issue-a-folder": (lambda o: ["issue", _dir(o, "thu-muc.yaml")], 2, ("là một thư mục",)),
    "issue-numbered-letter-dated-tomorrow": (
        lambda o: ["issue", str(_spec(o, "ngay-mai", _set("issued_on", "2024-05-14")))],
        2,
        ("«issued_on»", "sau ngày hôm nay"),
    ),
    "issue-another-letter-under-2371": (
        lambda o: [
            "issue",
            str(_spec(o, "trung-so", lambda s: s.update(number=2371, issued_on="2024-05-13"))),
        ],
        2,
        ("đã được phát hành với nội dung khác",),
    ),
    "release-unknown-letter": (
        lambda o: ["release", "qng:9999/UBND-TTHC:2024-05-13"],
        2,
        ("không có văn bản nào",),
    ),
    "release-lead-days-too-many": (
        lambda o: ["release", BINH_SON, "--lead-days", "31"],
        2,
        ("«--lead-days»",),
    ),
    "release-no-letter-named": (lambda o: ["release"], 2, ("thiếu tham số bắt buộc",)),
    "report-empty-text": (
        lambda o: ["report", LETTER, "qng.stp", "--text", "   "],
        2,
        ("«--text»", "để trống"),
    ),
    "report-unknown-unit": (
        lambda o: ["report", LETTER, "qng.khong-co", "--text", "x"],
        2,
        ("không được giao việc",),
    ),
    "report-unknown-item": (
        lambda o: ["report", LETTER, "qng.snv", "--item", "9.", "--text", "x"],
        2,
        ("không được giao việc",),
    ),
    "report-at-before-its-assignment": (
        lambda o: ["report", LETTER, "qng.stp", "--text", "x", "--at", "2024-05-01T08:00"],
        2,
        ("«--at»", "từ lúc được giao việc"),
    ),
    "report-at-in-the-future": (
        lambda o: ["report", LETTER, "qng.stp", "--text", "x", "--at", "2024-05-20T08:00"],
        2,
        ("«--at»", "đến bây giờ"),
    ),
    "report-at-not-a-moment": (
        lambda o: ["report", LETTER, "qng.stp", "--text", "x", "--at", "hôm qua"],
        2,
        ("«--at»",),
    ),
    "report-evidence-link-to-shadow": (
        lambda o: ["report", LETTER, "qng.stp", "--text", "x", "--file", _link(o, "/etc/shadow")],
        2,
        ("liên kết",),
    ),
    "report-evidence-program-named-pdf": (
        lambda o: ["report", LETTER, "qng.stp", "--text", "x", "--file", _elf(o)],
        2,
        ("nội dung tệp không phải .pdf",),
    ),
    "report-evidence-folder-named-pdf": (
        lambda o: ["report", LETTER, "qng.stp", "--text", "x", "--file", _dir(o, "x.pdf")],
        2,
        ("không phải là một tệp",),
    ),
    "report-evidence-too-large": (
        lambda o: ["report", LETTER, "qng.stp", "--text", "x", "--file", _big(o)],
        2,
        ("tối đa 20 MB",),
    ),
    "report-evidence-empty": (
        lambda o: ["report", LETTER, "qng.stp", "--text", "x", "--file", _empty(o)],
        2,
        ("tệp rỗng",),
    ),
    "report-evidence-executable": (
        lambda o: ["report", LETTER, "qng.stp", "--text", "x", "--file", str(_named(o, "a.exe"))],
        2,
        ("không được nhận",),
    ),
    "report-evidence-missing": (
        lambda o: ["report", LETTER, "qng.stp", "--text", "x", "--file", str(o.inputs / "no.pdf")],
        2,
        ("không tìm thấy",),
    ),
    "accept-nothing-reported": (lambda o: ["accept", LETTER, "qng.stp"], 3, ("không thể chuyển",)),
    "return-without-reason": (
        lambda o: ["return", LETTER, "qng.stp", "--reason", " "],
        2,
        ("«--reason»",),
    ),
    "accept-unknown-letter": (
        lambda o: ["accept", "9999/KHONG", "qng.stp"],
        2,
        ("không có chỉ đạo",),
    ),
    "extend-to-year-9999": (
        lambda o: ["extend", LETTER, "qng.stp", "--until", "9999-01-01", "--reason", "x"],
        2,
        ("«--until»", "năm phải từ 2000 đến 2100"),
    ),
    "extend-to-an-earlier-day": (
        lambda o: ["extend", LETTER, "qng.stp", "--until", "2024-05-10", "--reason", "x"],
        2,
        ("hạn mới phải sau hạn hiện tại",),
    ),
    "extend-to-an-impossible-day": (
        lambda o: ["extend", LETTER, "qng.stp", "--until", "2024-02-30", "--reason", "x"],
        2,
        ("«--until»",),
    ),
    "extend-without-reason": (
        lambda o: ["extend", LETTER, "qng.stp", "--until", "2024-05-24", "--reason", ""],
        2,
        ("«--reason»",),
    ),
    "escalate-in-2042": (
        lambda o: ["escalate", "--as-of", "2042-05-21"],
        2,
        ("«--as-of»", "sau ngày hôm nay"),
    ),
    "escalate-impossible-day": (lambda o: ["escalate", "--as-of", "2024-13-01"], 2, ("«--as-of»",)),
    "escalate-in-1999": (lambda o: ["escalate", "--as-of", "1999-05-21"], 2, ("năm phải",)),
    "synthesize-unknown-letter": (lambda o: ["synthesize", "9999/KHONG"], 2, ("không có chỉ đạo",)),
    "synthesize-day-ahead": (
        lambda o: ["synthesize", LETTER, "--as-of", "2025-01-01"],
        2,
        ("sau ngày hôm nay",),
    ),
    "status-unknown-letter": (lambda o: ["status", "9999/KHONG"], 2, ("không có chỉ đạo",)),
    "register-start-below-a-given-number": (
        lambda o: ["register", "qng", "--year", "2024", "--start", "5"],
        2,
        ("đã cấp đến số 2371",),
    ),
    "org-generate-negative-count": (
        lambda o: ["org", "generate", "-o", str(o.inputs / "t.yaml"), "--communes", "-5"],
        2,
        ("«--communes»", "phải từ 0"),
    ),
    "org-generate-no-province": (
        lambda o: ["org", "generate", "-o", str(o.inputs / "t.yaml"), "--provinces", "0"],
        2,
        ("«--provinces»",),
    ),
    "org-generate-into-a-folder": (
        lambda o: ["org", "generate", "-o", _dir(o, "cay")],
        2,
        ("là một thư mục",),
    ),
    "org-check-missing": (lambda o: ["org", "check"], 2, ("thiếu tham số bắt buộc",)),
    "import-without-tree": (
        lambda o: ["import", str(_named(o, "x.txt", b"Kinh gui"))],
        2,
        ("«--org»",),
    ),
    "import-a-picture": (
        lambda o: [
            "import",
            str(_named(o, "anh.docx", b"\x89PNG\r\n\x1a\n" + b"0" * 100)),
            "--org",
            str(EXAMPLES / "org" / "quang-ngai.yaml"),
        ],
        2,
        ("không phải tệp Word",),
    ),
    "import-an-empty-letter": (
        lambda o: [
            "import",
            str(_named(o, "rong.txt", b"")),
            "--org",
            str(EXAMPLES / "org" / "quang-ngai.yaml"),
        ],
        2,
        ("không phải văn bản hành chính",),
    ),
    "import-a-spreadsheet": (
        lambda o: [
            "import",
            str(_named(o, "bang-tong-hop.xlsx", b"PK\x03\x04" + b"0" * 100)),
            "--org",
            str(EXAMPLES / "org" / "quang-ngai.yaml"),
        ],
        2,
        ("chỉ đọc được văn bản .docx, .pdf, .txt hoặc .md",),
    ),
    "import-check-a-missing-spec": (
        lambda o: ["import", "--check", str(o.inputs / "khong-co.yaml")],
        2,
        ("khong-co.yaml", "không tìm thấy tệp"),
    ),
    "import-impossible-issue-day": (
        lambda o: [
            "import",
            str(_named(o, "y.txt", b"x")),
            "--org",
            str(EXAMPLES / "org" / "quang-ngai.yaml"),
            "--issued-on",
            "2024-13-40",
        ],
        2,
        ("«--issued-on»",),
    ),
    "serve-on-the-network-without-a-password": (
        lambda o: ["serve", "--host", "0.0.0.0"],
        2,
        ("«--host»", "PREFECT_SERVER_API_AUTH_STRING"),
    ),
    "unknown-command": (lambda o: ["xoa-het"], 2, ("không có; chọn",)),
    "unknown-option": (lambda o: ["status", LETTER, "--khong-co"], 2, ("tham số không nhận ra",)),
}


def _named(office: Office, name: str, data: bytes = b"MZ\x90\x00") -> Path:
    path = office.inputs / name
    path.write_bytes(data)
    return path


def _link(office: Office, target: str) -> str:
    link = office.inputs / "bao-cao.pdf"
    link.unlink(missing_ok=True)
    link.symlink_to(target)
    return str(link)


def _elf(office: Office) -> str:
    return str(_named(office, "chuong-trinh.pdf", Path(sys.executable).read_bytes()[:4096]))


def _big(office: Office) -> str:
    return str(_named(office, "lon.pdf", b"%PDF-" + b"0" * (20 * 1024 * 1024)))


def _empty(office: Office) -> str:
    return str(_named(office, "rong.pdf", b""))


@pytest.mark.parametrize("case", sorted(ARGUMENT_CASES))
def test_a_command_given_what_no_office_can_mean_refuses_it_and_writes_nothing(
    office: Office, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    argv, code, words = ARGUMENT_CASES[case]
    _refused(office, capsys, argv(office), code, *words)


def test_help_is_vietnamese_with_an_example_for_every_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    names = [
        "render", "issue", "release", "drafts", "register", "report", "accept", "return",
        "extend", "escalate", "synthesize", "status", "import", "serve", "demo",
    ]  # fmt: skip
    for name in [*names, "org check", "org generate"]:
        with pytest.raises(SystemExit) as done:
            main([*name.split(), "--help"])
        assert done.value.code == 0
        out = capsys.readouterr().out
        assert out.startswith(f"Cách dùng: chidao {name}") and "tùy chọn:" in out
        assert "Ví dụ:\n  chidao " in out
        for english in ("usage:", "options:", "positional arguments", "show this help"):
            assert english not in out


# Forms: what a Prefect form names is confined and never echoed ------------------------------


def test_a_form_cannot_read_a_file_outside_the_office_folders(office: Office) -> None:
    with pytest.raises(InputError) as refused:
        issue_directive(spec_path="/etc/passwd")
    assert "ngoài các thư mục được phép đọc" in str(refused.value)
    with pytest.raises(InputError) as refused:
        submit_report(ref=LETTER, unit="qng.stp", text="x", files=["/etc/hostname"])
    assert "«files[1]»" in str(refused.value)


def test_a_form_never_echoes_what_a_file_holds(office: Office) -> None:
    secret = "mat-khau-bi-mat-123"
    spec = _spec(office, "la", lambda s: s.update(khong_co=secret))
    with pytest.raises(InputError) as refused:
        issue_directive(spec_path=str(spec))
    assert "khong_co" in str(refused.value) and secret not in str(refused.value)


# The machine fails: database, disk, folders ---------------------------------------------------
