"""Received letters as an office gets them: PDFs, the corpus read by the reader, the
received-letters register, deadlines counted from receipt, and the "chưa kiểm tra" mark."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PIL import Image

from chidao.cli import main
from models.calendar import WorkingCalendar
from models.importing import import_letter
from models.letterfile import read_letter
from models.org import OrgTree
from models.spec import Deadline
from tests.imports.scoring import CORPUS, labelled, score

DEV = CORPUS / "dev"
HA_TINH = DEV / "orgs" / "ha-tinh-2024.yaml"
BINH_DINH = DEV / "orgs" / "binh-dinh-2023.yaml"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CHIDAO_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CHIDAO_DATABASE_URL", raising=False)
    return tmp_path / "home"


def test_the_dev_half_of_the_corpus_reads_at_least_95_percent_of_its_fields() -> None:
    right = total = 0
    for label in labelled("dev"):
        org = OrgTree.load(label.org)
        result = score(label, import_letter(read_letter(label.file), org, "org.yaml"), org)
        right, total = right + result.right, total + result.total
    assert total > 900 and right / total >= 0.95, f"{right}/{total}"


def test_a_conclusion_notice_from_a_pdf_assigns_each_task_to_whom_it_names() -> None:
    """TB 142 of UBND tỉnh Hà Tĩnh, received as a PDF: no Kính gửi, tasks a)–d) under item 2."""
    imported = import_letter(
        read_letter(DEV / "ht-ubnd-2024-tb-142.pdf"), OrgTree.load(HA_TINH), "org.yaml"
    )
    spec, tasks = imported.spec, {t["label"]: t for t in imported.facts["tasks"]}
    assert (spec["kind"], spec["issuer"], spec["number"]) == ("thong_bao", "ht", 142)
    assert tasks["2.a)"]["lead"] == ["ht.snv"]
    assert tasks["2.a)"]["cooperating"] == ["ht.stp", "ht.vpub"]
    assert tasks["2.a)"]["deadline"] == {"month": "2024-06"}
    assert tasks["2.c)"]["deadline"] == {"recurring": True}
    assert tasks["2.d)"]["report_to"] == "ht.snv"
    assert tasks["2.d)"]["deadline"] == {"latest": "2024-07-05"}
    assert spec["basis"][0]["number"] == "131/BC-SNV" and spec["basis"][0]["issuer"] == "Sở Nội vụ"
    signer = spec["signer"]
    assert (signer["authority"], signer["position"], signer["name"]) == (
        "TL",
        "Chánh văn phòng",
        "Phan Đình Tường",
    )


def test_a_scanned_pdf_without_text_is_refused_with_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scan = tmp_path / "cong-van-scan.pdf"
    Image.new("RGB", (600, 800), "white").save(scan)
    code, _, err = _run(capsys, "import", str(scan), "--org", str(HA_TINH))
    assert code == 2
    assert "cong-van-scan.pdf" in err and "không có lớp chữ (bản quét)" in err
    assert "Traceback" not in err


def test_each_letter_enters_the_received_register_once_under_the_next_number(
    tmp_path: Path, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = DEV / "ht-ubnd-2024-cv-1835.docx", DEV / "ht-ubnd-2024-tb-142.pdf"
    for letter, day in ((first, "2024-05-08"), (second, "2024-05-27"), (first, "2024-05-30")):
        out = tmp_path / f"{letter.stem}.yaml"
        args = ["import", str(letter), "--org", str(HA_TINH), "-o", str(out)]
        code, printed, err = _run(capsys, *args, "--received-on", day, "--received-by", "ht.snv")
        assert code == 0, err
    assert "Vào sổ văn bản đến của ht.snv: số đến 1, ngày đến 08/5/2024" in printed  # not again
    code, printed, _ = _run(capsys, "register", "ht.snv", "--year", "2024", "--incoming")
    assert code == 0
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" in printed
    rows = [line for line in printed.splitlines() if "/5/2024" in line and "│" in line]
    assert [r.split("│")[2].strip() for r in rows] == ["1", "2"]
    assert "1835/UBND-NC1" in printed and "142/TB-UBND" in printed


def test_working_days_from_receipt_count_from_the_day_the_letter_came(
    tmp_path: Path, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Sở Tư pháp's 1052: "05 ngày làm việc kể từ ngày nhận được văn bản này"."""
    letter, out = DEV / "bdh-stp-2023-cv-1052.docx", tmp_path / "1052.yaml"
    args = ["import", str(letter), "--org", str(BINH_DINH), "-o", str(out)]
    code, printed, err = _run(capsys, *args, "--received-on", "2023-08-16")
    assert code == 0, err
    # Issued Monday 14/8, received Wednesday 16/8/2023: + 5 working days = Wednesday 23/8.
    assert "Mục 1. hạn cuối 23/8/2023" in printed
    assert "nơi nhận (Kính gửi) không được là chính" not in err  # "các sở" means the others
    deadline = Deadline(working_days=5, from_receipt=True)
    calendar = WorkingCalendar.load()
    issued, received = dt.date(2023, 8, 14), dt.date(2023, 8, 16)
    assert deadline.due_on(issued, calendar, received) == dt.date(2023, 8, 23)
    assert deadline.phrase().endswith("kể từ ngày nhận được văn bản")


def test_a_recurring_duty_has_no_last_day() -> None:
    assert Deadline(recurring=True).due_on(dt.date(2024, 5, 7), WorkingCalendar.load()) is None
    assert Deadline(quarter="2024-Q2").due_on(dt.date(2024, 5, 7), WorkingCalendar.load()) == (
        dt.date(2024, 6, 30)
    )


def test_issue_refuses_a_spec_nobody_has_checked(
    tmp_path: Path, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "1835.yaml"
    letter = DEV / "ht-ubnd-2024-cv-1835.docx"
    assert _run(capsys, "import", str(letter), "--org", str(HA_TINH), "-o", str(out))[0] == 0
    code, _, err = _run(capsys, "issue", str(out))
    assert code == 2 and "chưa kiểm tra" in err and "chidao import --check" in err
    assert not (home / "documents").exists()


def test_an_item_keeps_its_bullets_and_its_italic_deadline(tmp_path: Path) -> None:
    """A clerk's Word letter: item 1 has two bullets after its first sentence and its deadline
    in italics; the spec holds them, and chidao writes the item back the same way."""
    import docx

    from models.directive import Directive
    from models.spec import DirectiveSpec
    from renderer import render

    letter = docx.Document()
    for text in (
        "ỦY BAN NHÂN DÂN",
        "TỈNH HÀ TĨNH",
        "Số: 1901/UBND-NC1",
        "V/v rà soát thủ tục hành chính",
        "Hà Tĩnh, ngày 10 tháng 6 năm 2024",
        "Kính gửi: Sở Tư pháp.",
        "Thực hiện chỉ đạo của Chủ tịch UBND tỉnh, UBND tỉnh yêu cầu:",
    ):
        letter.add_paragraph(text)
    item = letter.add_paragraph("1. Giao Sở Tư pháp rà soát các thủ tục hành chính, báo cáo ")
    item.add_run("trước ngày 20/6/2024").italic = True
    item.add_run(":")
    letter.add_paragraph("- Thủ tục còn giấy tờ trùng lặp;")
    letter.add_paragraph("- Thủ tục chưa cung cấp trực tuyến toàn trình.")
    for text in ("Nơi nhận:", "- Như trên;", "- Lưu: VT, NC1.", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"):
        letter.add_paragraph(text)
    letter.add_paragraph("Nguyễn Hữu Khang")
    source = tmp_path / "1901.docx"
    letter.save(str(source))

    org = OrgTree.load(HA_TINH)
    spec = import_letter(read_letter(source), org, str(HA_TINH)).spec
    first = spec["items"][0]
    assert first["lead"] == ["ht.stp"] and first["deadline"] == {"before": "2024-06-20"}
    assert first["paragraphs"] == [
        "- Thủ tục còn giấy tờ trùng lặp;",
        "- Thủ tục chưa cung cấp trực tuyến toàn trình.",
    ]
    assert first["deadline_emphasis"] == "italic"
    directive = Directive(DirectiveSpec.model_validate(spec), org, str(source))
    written = tmp_path / "written.docx"
    written.write_bytes(render(directive).data)
    runs = [r for p in docx.Document(str(written)).paragraphs for r in p.runs]
    deadline = next(r for r in runs if "trước ngày 20/6/2024" in r.text)
    assert deadline.italic and not deadline.bold
    texts = [p.text for p in docx.Document(str(written)).paragraphs]
    assert "- Thủ tục còn giấy tờ trùng lặp;" in texts


def test_each_doubt_stands_once_above_the_field_it_concerns(
    tmp_path: Path, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Sở Nội vụ Long An's report 241 proposes, in III.3, work for Sở Nội vụ itself."""
    out = tmp_path / "241.yaml"
    letter = DEV / "la-snv-2024-bc-241.docx"
    org = DEV / "orgs" / "long-an-2024.yaml"
    code, _, err = _run(capsys, "import", str(letter), "--org", str(org), "-o", str(out))
    assert code == 0 and "mục giao cho chính cơ quan ban hành" in err
    lines = out.read_text(encoding="utf-8").splitlines()
    notes = [n for n, line in enumerate(lines) if line.startswith("# ? ")]
    assert notes and lines[notes[-1] + 1] == "items:"  # the doubts sit above the items
    assert len({lines[n] for n in notes}) == len(notes)  # each said once
    assert sum("mục giao cho chính cơ quan ban hành" in lines[n] for n in notes) == 1
