"""Every malformed spec or tree is refused with a Vietnamese message that names the file, the
field and the value; the exit code is 2 and nothing is written."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from chidao.cli import main
from tests.conftest import ROOT

BAD = ROOT / "tests" / "bad"

# file -> (field, value, words of the message) as the coordinator reads them.
BAD_SPECS = {
    "bad-yaml-syntax": ("dòng 4, cột 9", "mapping values", "lỗi cú pháp YAML"),
    "not-a-mapping": ("(toàn bộ tệp)", "list", "bảng khóa: giá trị"),
    "not-utf8": ("(mã hóa)", "byte 47", "không phải UTF-8"),
    "impossible-date": ("issued_on", "2024-02-30", "ngày không tồn tại"),
    "deadline-not-leap-year": ("items[1].deadline.before", "2023-02-29", "ngày không tồn tại"),
    "deadline-before-issue": ("items[1].deadline.before", "2024-04-30", "trước ngày ban hành"),
    "unknown-issuer": ("issuer", "qng.khong-co", "không có trong cây tổ chức"),
    "unknown-recipient": ("recipients[2].units[1]", "qng.huyen-ma", "không có trong cây tổ chức"),
    "unknown-lead": ("items[1].lead[1]", "qng.so-ma", "không có trong cây tổ chức"),
    "empty-recipients": ("recipients", "[]", "phải có nơi nhận"),
    "missing-subject": ("subject", "(trống)", "thiếu trường bắt buộc"),
    "number-not-integer": ("number", "hai nghìn", "phải là số nguyên"),
    "number-negative": ("number", "-5", "phải lớn hơn 0"),
    "unknown-kind": ("kind", "quyet_dinh", "chọn một trong: 'cong_van', 'ke_hoach'"),
    "misspelt-field": ("subjet", "kiểm tra dữ liệu đầu vào", "không được hỗ trợ"),
    # The message quotes the value as written: decomposed.
    "non-nfc-text": ("subject", unicodedata.normalize("NFD", "triển khai"), "dựng sẵn (NFC)"),
    "deadline-two-forms": ("items[1].deadline", "2024-05-20", "đúng một trong"),
    "deadline-bad-month": ("items[1].deadline.month", "2024-13", "không đúng dạng"),
    "deadline-zero-working-days": ("items[1].deadline.working_days", "0", "lớn hơn 0"),
    "signer-kt-without-principal": ("signer", "Phó Chủ tịch", "phải ghi on_behalf_of"),
    "signer-bad-authority": ("signer.authority", "KY", "chọn một trong"),
    "placeholder-without-deadline": ("items[1].text", "{deadline}", "chỗ điền không dùng được"),
    "unknown-placeholder": ("items[1].text", "{han}", "chỗ điền không dùng được"),
    "period-reversed": ("items[1].period", "2023-12-15", "kỳ báo cáo"),
    "report-to-group": ("items[1].report_to", "qng.huyen", "không có trong cây tổ chức"),
    "basis-after-issue": ("basis[1].date", "2024-06-01", "ban hành sau ngày ký"),
    "recipient-line-empty": ("recipients[1]", "{'units': []}", "phải có đơn vị (units) hoặc"),
    "plan-without-items": ("items", "[]", "kế hoạch phải có nhiệm vụ"),
    "date-with-time": ("issued_on", "2024-05-06T10:00:00", "không ghi giờ"),
    "org-file-missing": ("org", "../khong-co.yaml", "không tìm thấy tệp cây tổ chức"),
    "empty-subject": ("subject", "«»", "không được để trống"),
    "items-not-a-list": ("items", "Báo cáo kết quả", "phải là một danh sách"),
    "drafting-unit-lowercase": ("drafting_unit", "tthc", "không đúng dạng"),
    "lead-is-issuer": ("items[1].lead[1]", "qng", "không được là chính cơ quan ban hành"),
    "addressed-to-issuer": ("recipients[2].units[1]", "qng", "không được là chính cơ quan"),
}

BAD_TREES = {
    "duplicate-code": ("units[5].code", "t.snv", "mã đơn vị bị trùng"),
    "unknown-parent": ("units[4].parent", "t.h9", "đơn vị cha"),
    "cycle": ("units[3].parent", "t.h1.pnv", "vòng lặp: t.h1 → t.h1.pnv → t.h1"),
    "missing-coordinator": ("units[3].coordinator", "(trống)", "phải có cơ quan thường trực"),
    "coordinator-not-subordinate": ("units[3].coordinator", "t.snv", "trực thuộc «t.h1»"),
    "group-unknown-member": ("groups[2].members[1]", "t.khong-co", "không có trong cây"),
    "missing-place": ("units[1].place", "(trống)", "thiếu địa danh"),
    "unknown-level": ("units[2].level", "ward", "chọn một trong"),
    "empty-group": ("groups[2].kind", "agency", "không chọn được đơn vị nào"),
    "bad-code": ("units[2].code", "T SNV", "không đúng dạng"),
    "no-units": ("units", "[]", "không được để trống"),
}


def test_there_are_at_least_thirty_malformed_inputs() -> None:
    files = list((BAD / "specs").glob("*.yaml")) + list((BAD / "org").glob("*.yaml"))
    bad = [f for f in files if f.stem != "valid"]
    assert len(bad) >= 30
    assert {f.stem for f in bad} == set(BAD_SPECS) | set(BAD_TREES)


def _assert_refused(code: int, err: str, file: Path, expected: tuple[str, str, str]) -> None:
    field, value, words = expected
    assert code == 2
    assert f"Tệp {file}" in err
    assert f"trường «{field}»" in err
    assert value in err
    assert words in err


@pytest.mark.parametrize("name", sorted(BAD_SPECS))
def test_malformed_spec_is_refused_and_writes_nothing(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = BAD / "specs" / f"{name}.yaml"
    code = main(["render", str(spec), "-o", str(tmp_path / "out" / "van-ban.docx")])
    _assert_refused(code, capsys.readouterr().err, spec, BAD_SPECS[name])
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name", sorted(BAD_TREES))
def test_malformed_tree_is_refused(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    tree = BAD / "org" / f"{name}.yaml"
    code = main(["org", "check", str(tree)])
    _assert_refused(code, capsys.readouterr().err, tree, BAD_TREES[name])


def test_the_valid_bases_pass(tmp_path: Path) -> None:
    """The bad files are one mistake away from these, so each refusal is about that mistake."""
    assert main(["org", "check", str(BAD / "org" / "valid.yaml")]) == 0
    out = tmp_path / "van-ban.docx"
    assert main(["render", str(BAD / "specs" / "valid.yaml"), "-o", str(out)]) == 0
    assert out.stat().st_size > 0


def test_the_installed_command_exits_2_with_the_message_on_stderr(tmp_path: Path) -> None:
    spec = BAD / "specs" / "impossible-date.yaml"
    result = subprocess.run(
        [sys.executable, "-m", "chidao", "render", str(spec), "-o", str(tmp_path / "x.docx")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "issued_on" in result.stderr and "2024-02-30" in result.stderr
    assert result.stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_command_line_option_is_a_vietnamese_usage_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["render", "--khong-co"])
    assert exit_info.value.code == 2
    assert "tham số dòng lệnh không hợp lệ" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["lead-is-issuer", "addressed-to-issuer"])
def test_issuing_a_letter_that_gives_work_to_its_own_issuer_is_refused(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CHIDAO_HOME", str(tmp_path / "home"))
    spec = BAD / "specs" / f"{name}.yaml"
    assert main(["issue", str(spec)]) == 2
    _assert_refused(2, capsys.readouterr().err, spec, BAD_SPECS[name])
    assert not (tmp_path / "home").exists()  # refused before anything was opened or written
