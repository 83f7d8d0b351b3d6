"""Reading a received letter (.docx, .txt, .md) back into a directive spec, and drafting the
receiving unit's implementing letter from it."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml

from chidao.cli import main
from flows.cascade import issue_directive
from models.board import cascade_summary
from models.directive import Directive
from models.errors import InputError
from models.importing import import_letter, stated_fields
from models.letterfile import read_letter
from models.org import OrgTree
from models.store import Store
from renderer import render
from tests.conftest import EXAMPLES, SEEDS, docx_text, normalise

IMPORTS = Path(__file__).parent / "imports"
LABELS: dict[str, dict[str, Any]] = yaml.safe_load((IMPORTS / "labels.yaml").read_text())
QUANG_NGAI = EXAMPLES / "org" / "quang-ngai.yaml"


def _labelled(name: str) -> tuple[Path, OrgTree]:
    label = LABELS[name]
    source = (IMPORTS / label["file"]).resolve()
    if not source.exists():
        pytest.skip(f"{source} is not beside the repository")
    return source, OrgTree.load((IMPORTS / label["org"]).resolve())


@pytest.mark.parametrize("name", sorted(LABELS))
def test_every_labelled_field_is_read_as_a_reader_reads_it(name: str) -> None:
    source, org = _labelled(name)
    imported = import_letter(read_letter(source), org, "org.yaml")
    read = stated_fields(imported.spec)
    expected = LABELS[name]["fields"]
    wrong = {
        path: (value, read.get(path))
        for path, value in expected.items()
        if read.get(path) != str(value)
    }
    assert wrong == {}
    # What the letter leaves out is reported with its line, and nothing else is.
    assert sorted((u.line, u.what) for u in imported.unread) == sorted(
        (line, what) for line, what in LABELS[name]["unread"]
    )


def _seed(number: str) -> Path:
    seed = next(SEEDS.glob(f"{number}_*.txt"), None)
    if seed is None:
        pytest.skip(f"the seeds are not beside the repository ({SEEDS})")
    return seed


def _rendered_text(directive: Directive, folder: Path) -> str:
    path = folder / "rendered.docx"
    path.write_bytes(render(directive).data)
    return docx_text(path)


@pytest.mark.parametrize("name", ["seed-000", "seed-002", "department-urging"])
def test_a_letter_typed_into_word_reads_as_its_text_does(name: str, tmp_path: Path) -> None:
    """A clerk's Word file: one paragraph per line, no header table, no blank paragraphs."""
    source, org = _labelled(name)
    typed = docx.Document()
    for line in source.read_text(encoding="utf-8").splitlines():
        if line.strip():
            typed.add_paragraph(line.replace("**", "").strip())
    word = tmp_path / "typed.docx"
    typed.save(str(word))
    imported = import_letter(read_letter(word), org, "org.yaml")
    read = stated_fields(imported.spec)
    expected = LABELS[name]["fields"]
    assert {p: read.get(p) for p in expected} == {p: str(v) for p, v in expected.items()}
    assert sorted(u.what for u in imported.unread) == sorted(w for _, w in LABELS[name]["unread"])


def _spec_of(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["import", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    "example",
    [p.stem for p in sorted(EXAMPLES.glob("*.yaml"))],
)
def test_a_letter_chidao_rendered_imports_back_to_an_equal_spec(
    example: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Equal means: the same document, and the same facts for the engine — issuer, number,
    date, subject, the units addressed, each task's lead units, deadline and report-to,
    the signer, nơi nhận and Lưu. It does not mean the same YAML: a group written as its
    members, or a basis document the letter never cites, cannot come back from the text."""
    original = Directive.load(EXAMPLES / f"{example}.yaml")
    letter = tmp_path / "letter.docx"
    letter.write_bytes(render(original).data)
    out = tmp_path / "spec.yaml"
    args = [str(letter), "-o", str(out), "--org", str(EXAMPLES / original.spec.org)]
    if original.is_draft:  # a draft's day is blank: the coordinator gives the planned one
        args += ["--issued-on", original.spec.issued_on.isoformat()]
    code, _, err = _run(capsys, *args)
    assert code == 0, err
    back = Directive.load(out)

    again = tmp_path / "again.docx"
    again.write_bytes(render(back).data)
    assert docx_text(again) == docx_text(letter)
    assert _facts(back) == _facts(original)


def _facts(directive: Directive) -> dict[str, Any]:
    spec = directive.spec
    return {
        "header": (spec.kind, spec.issuer, spec.number, spec.issued_on, spec.drafting_unit),
        "subject": spec.subject,
        "recipients": [
            sorted(u.code for u in directive.units_of(tuple(line.units)))
            for line in spec.recipients
        ],
        "tasks": [
            (
                t.label,
                sorted(u.code for u in t.lead),
                t.deadline,
                t.report_to.code,
                t.item.period,
            )
            for t in directive.tasks()
        ],
        "signer": [
            str(x).casefold()
            for x in (spec.signer.authority, spec.signer.on_behalf_of, spec.signer.position)
        ]
        + [spec.signer.name],
        "distribution": (spec.distribution, directive.archive()),
    }


def test_seed_002_with_its_planned_date_becomes_a_spec_chidao_can_issue(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed = _seed("002")
    out = tmp_path / "binh-son.yaml"
    code, _, err = _run(capsys, str(seed), "-o", str(out), "--org", str(QUANG_NGAI))
    # Written all the same, marked "chưa kiểm tra", each doubt beside its field and on screen.
    assert code == 0, err
    assert "dòng 16 («Bình Sơn, ngày tháng năm 2024»): ngày ban hành để trống" in err
    written = out.read_text(encoding="utf-8")
    assert written.count("unchecked: true") == 1 and "# ? Tệp" in written
    code, _, err = _run(capsys, "--check", str(out))
    assert code == 2 and "trường «issued_on», giá trị (trống): thiếu trường bắt buộc" in err
    assert out.read_text(encoding="utf-8") == written  # the mark stays until the spec holds

    code, printed, err = _run(
        capsys, str(seed), "-o", str(out), "--org", str(QUANG_NGAI), "--issued-on", "2024-05-14"
    )
    assert code == 0, err
    assert f"Tệp mô tả đã ghi: {out} (3 mục" in printed
    code, printed, err = _run(capsys, "--check", str(out))
    assert code == 0 and f"Đã kiểm tra: {out}" in printed, err
    assert "unchecked" not in out.read_text(encoding="utf-8")
    directive = Directive.load(out)
    assert directive.is_draft and directive.spec.issued_on.isoformat() == "2024-05-14"
    # The phrase broken over a blank line in the seed ("PAR" / "INDEX") is one sentence again.
    assert "các Chỉ số: PAR INDEX, SIPAS năm 2024" in directive.spec.items[1].items[0].text
    text = _rendered_text(directive, tmp_path)
    assert "gửi về UBND huyện (qua Phòng Nội vụ) trước ngày 17/5/2024" in text
    # The tree spells the office "Văn hóa"; the seed "Văn hoá": the same word.
    assert "Thủ trưởng các Phòng: Nội vụ, Tư pháp, Văn hóa và Thông tin" in normalise(text)


def _implement_seed_000(
    capsys: pytest.CaptureFixture[str], unit: str, out: Path
) -> tuple[int, str, str]:
    seed = str(_seed("000"))
    return _run(capsys, seed, "--org", str(QUANG_NGAI), "--implement-as", unit, "-o", str(out))


def test_a_district_drafts_its_implementing_letter_from_the_provincial_letter(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    prefect_api: str,
) -> None:
    out = tmp_path / "binh-son.yaml"
    code, printed, err = _implement_seed_000(capsys, "qng.binh-son", out)
    assert code == 0, err
    assert "Văn bản triển khai đã ghi" in printed
    assert "không đọc được chức vụ người ký" in err  # of the received letter: still reported
    letter = Directive.load(out)
    assert letter.spec.issuer == "qng.binh-son"
    assert [ref.number for ref in letter.spec.basis] == ["2268/UBND-TTHC"]
    offices = {u.code for task in letter.tasks() for u in task.lead}
    assert {"qng.binh-son.pnv", "qng.binh-son.ptp", "qng.binh-son.vp"} <= offices
    text = _rendered_text(letter, tmp_path)
    assert "ỦY BAN NHÂN DÂN HUYỆN BÌNH SƠN" in text and "Công văn số 2268/UBND-TTHC" in text
    # Ready for `chidao issue`: released (numbered 01 of Bình Sơn's register), its offices get
    # their assignments.
    monkeypatch.setenv("CHIDAO_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CHIDAO_DATABASE_URL", raising=False)
    with pytest.raises(InputError, match="chưa kiểm tra"):
        issue_directive(spec_path=str(out), auto_release=True)  # nobody has read it yet
    assert _run(capsys, "--check", str(out))[0] == 0
    result = issue_directive(spec_path=str(out), auto_release=True)
    store = Store.open()
    root = store.lookup(result.root_key)
    assert root.reference == "01/UBND-NV"
    assignments = sum(len(task.lead) for task in letter.tasks())  # 12 offices + Phòng Nội vụ
    assert root.id is not None and cascade_summary(store, root.id)[0][3] == assignments == 13


def test_a_unit_given_no_item_gets_no_implementing_letter(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.yaml"
    code, _, err = _implement_seed_000(capsys, "qng.stp", out)
    assert code == 2 and not out.exists()
    assert "trường «--implement-as», giá trị «qng.stp»: đơn vị này không có cấp dưới" in err


def test_a_letter_with_no_recipients_is_written_with_the_doubt_and_refused_at_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.yaml"
    letter = IMPORTS / "no-recipients.txt"
    code, _, err = _run(capsys, str(letter), "--org", str(QUANG_NGAI), "-o", str(out))
    assert code == 0 and "công văn phải có nơi nhận" in err
    code, _, err = _run(capsys, "--check", str(out))
    assert code == 2
    assert f"Lỗi: Tệp {out}, trường «recipients», giá trị «[]»: công văn phải có nơi nhận" in err


def test_an_impossible_deadline_is_reported_with_its_line_never_guessed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.yaml"
    letter = IMPORTS / "impossible-date.txt"
    code, _, err = _run(capsys, str(letter), "--org", str(QUANG_NGAI), "-o", str(out))
    assert code == 0
    assert "dòng 11" in err and "thời hạn không tồn tại: trước ngày 31/6/2024" in err
    item = _spec_of(out)["items"][0]
    assert "deadline" not in item and "trước ngày 31/6/2024" in item["text"]
    assert "# ? Tệp" in out.read_text(encoding="utf-8")  # the note travels with the spec


def test_decomposed_unicode_reads_the_same_as_composed(tmp_path: Path) -> None:
    source, org = _labelled("seed-002")
    decomposed = tmp_path / "002.txt"
    decomposed.write_text(unicodedata.normalize("NFD", source.read_text(encoding="utf-8")))
    composed = import_letter(read_letter(source), org, "org.yaml")
    assert import_letter(read_letter(decomposed), org, "org.yaml").spec == composed.spec


def test_unreadable_files_are_refused_in_vietnamese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "cong-van.docx"
    broken.write_bytes(b"not a zip")
    code, _, err = _run(capsys, str(broken), "--org", str(QUANG_NGAI))
    assert code == 2 and "không phải tệp Word (.docx) đọc được" in err
    pdf = tmp_path / "cong-van.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    code, _, err = _run(capsys, str(pdf), "--org", str(QUANG_NGAI))
    assert code == 2 and "không phải tệp PDF đọc được" in err
    sheet = tmp_path / "bang-tong-hop.xlsx"
    sheet.write_bytes(b"PK\x03\x04")
    code, _, err = _run(capsys, str(sheet), "--org", str(QUANG_NGAI))
    assert code == 2 and "chỉ đọc được văn bản .docx, .pdf, .txt hoặc .md" in err
    latin = tmp_path / "cong-van.txt"  # saved as Word's "Unicode" (UTF-16) text
    latin.write_bytes(
        "Số: 1/UBND-TTHC\nKính gửi: Sở Tư pháp".encode("utf-16")
    )  # Word's "Unicode" text
    code, _, err = _run(capsys, str(latin), "--org", str(QUANG_NGAI))
    assert code == 2 and "tệp không phải UTF-8" in err
    code, _, err = _run(capsys, str(latin))
    assert code == 2 and "trường «--org»" in err


def test_a_recipient_outside_the_tree_is_kept_as_written_and_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "512.yaml"
    letter = IMPORTS / "two-tier-2025.md"
    org = IMPORTS / "org-quang-ngai-2025.yaml"
    code, printed, err = _run(capsys, str(letter), "--org", str(org), "-o", str(out))
    assert code == 0, err
    assert "dòng 21 («- Thường trực Tỉnh ủy.»): nơi nhận không khớp đơn vị nào" in err
    # Deadlines resolved to days: 05 working days from Wednesday 03/9/2025 end on 10/9.
    assert "Mục 1. hạn cuối 30/9/2025; chủ trì: Sở Nội vụ" in printed
    assert "Mục 2. hạn cuối 10/9/2025; chủ trì: UBND các xã, phường, đặc khu" in printed
    assert "Mục 3. hạn cuối 31/10/2025; chủ trì: Sở Tư pháp" in printed
    directive = Directive.load(out)
    assert [line.label for line in directive.spec.recipients][-1] == "Thường trực Tỉnh ủy"
    text = _rendered_text(directive, tmp_path)
    assert "- UBND các xã, phường, đặc khu;" in text and "- Thường trực Tỉnh ủy." in text
    # Nobody outside the tree is given work: the addressed communes are.
    leads = {u.code for task in directive.tasks() for u in task.lead}
    assert {"qn.binh-son", "qn.tqt", "qn.ly-son", "qn.snv", "qn.stp"} == leads
