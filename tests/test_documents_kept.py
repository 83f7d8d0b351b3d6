"""No letter is ever lost through its file: every letter has a path of its own by construction
(names that read alike — "ĐT" and "DT", one district reached directly and through its province —
never share a file); a rerun writes again a file that is missing or broken and keeps, and
reports, a file someone edited; a released letter's bytes never change, whatever changes later;
`render` never silently replaces a different file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from sqlmodel import Session, select

from chidao.cli import main
from flows.cascade import issue_directive
from models.documents import path_of, readable_docx, sha256
from models.records import LetterRecord
from models.store import Store
from models.synthetic import Shape, synthetic_directive, synthetic_org
from tests.conftest import EXAMPLES
from tests.letters import read

pytestmark = pytest.mark.usefixtures("prefect_api")


def _letters(store: Store) -> list[LetterRecord]:
    with Session(store.engine) as session:
        return list(session.exec(select(LetterRecord).order_by(LetterRecord.id)))


def _spec(tmp_path: Path, name: str, **changes: object) -> Path:
    spec = yaml.safe_load((EXAMPLES / "quang-ngai-2371.yaml").read_text())
    spec["org"] = str(EXAMPLES / "org" / "quang-ngai.yaml")
    spec.update(changes)
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True))
    return path


def test_drafts_whose_symbols_differ_only_by_đ_and_d_are_two_files(
    database: str, tmp_path: Path
) -> None:
    for unit in ("ĐT", "DT"):
        spec = _spec(tmp_path, unit, number=None, drafting_unit=unit, issued_on="2024-05-10")
        issue_directive(spec_path=str(spec), auto_release=False)
    roots = [x for x in _letters(Store.open()) if x.key.startswith("qng:du-thao")]
    assert len(roots) == 2
    paths = {path_of(x) for x in roots}
    assert len(paths) == 2 and all(p.is_file() for p in paths)
    assert {read(p).number for p in paths} == {"Số: /UBND-ĐT", "Số: /UBND-DT"}
    # Every letter of both cascades has a file of its own.
    every = _letters(Store.open())
    assert len({x.path for x in every}) == len(every)
    assert all(sha256(path_of(x).read_bytes()) == x.sha256 for x in every)


def test_a_district_led_directly_and_through_its_province_keeps_both_letters(
    database: str, tmp_path: Path
) -> None:
    (tmp_path / "org.yaml").write_text(
        yaml.safe_dump(synthetic_org(Shape(provinces=2, districts=2)), allow_unicode=True)
    )
    spec = synthetic_directive("org.yaml")
    spec["items"][0]["lead"] = ["vn.tinh", "p01.h01"]
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True))
    issue_directive(spec_path=str(path), auto_release=True)
    district = [x for x in _letters(Store.open()) if x.issuer_code == "p01.h01"]
    # Its own letter passing the national letter down, and the one passing the province's.
    assert len(district) == 2
    assert len({x.path for x in district}) == 2
    assert all(sha256(path_of(x).read_bytes()) == x.sha256 for x in district)


@pytest.fixture
def issued(database: str) -> Store:
    issue_directive(spec_path=str(EXAMPLES / "quang-ngai-2371.yaml"), auto_release=False)
    return Store.open()


def _binh_son(store: Store) -> LetterRecord:
    return next(x for x in _letters(store) if x.key == "qng:2371/UBND-TTHC:2024-05-13>qng.binh-son")


def test_a_rerun_writes_again_a_file_that_is_missing_truncated_or_junk(
    issued: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    letters = _letters(issued)
    missing, truncated, junk = (path_of(x) for x in letters[1:4])
    missing.unlink()
    truncated.write_bytes(truncated.read_bytes()[:100])
    junk.write_bytes(b"khong phai van ban Word" * 50)
    assert main(["issue", str(EXAMPLES / "quang-ngai-2371.yaml")]) == 0
    err = capsys.readouterr().err
    for path in (missing, truncated, junk):
        assert f"Đã viết lại tệp bị mất hoặc hỏng: {path}" in err
    for letter in letters:
        assert readable_docx(path_of(letter))
        assert sha256(path_of(letter).read_bytes()) == letter.sha256


def test_a_file_someone_edited_is_kept_and_reported_never_overwritten(
    issued: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    letter = _binh_son(issued)
    path = path_of(letter)
    other = tmp_path / "khac.docx"  # a clerk's own version: a sound Word file
    shutil.copy(path_of(_letters(issued)[0]), other)
    shutil.copy(other, path)
    edited = path.read_bytes()
    assert main(["issue", str(EXAMPLES / "quang-ngai-2371.yaml")]) == 0
    assert f"tệp đã bị sửa ngoài chidao, được giữ nguyên: {path}" in capsys.readouterr().err
    assert path.read_bytes() == edited


def test_a_released_letter_never_changes_even_when_the_templates_do(
    issued: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    letter = _binh_son(issued)
    assert main(["release", letter.key, "--by", "Nguyễn Tường Duy"]) == 0
    released = _binh_son(issued)
    before = path_of(released).read_bytes()
    own = tmp_path / "mau"
    own.mkdir()
    wording = (Path(__file__).parent.parent / "templates" / "trien_khai.txt.j2").read_text()
    own.joinpath("trien_khai.txt.j2").write_text(wording.replace("khẩn trương", "nghiêm túc"))
    monkeypatch.setenv("CHIDAO_TEMPLATES", str(own))
    assert main(["issue", str(EXAMPLES / "quang-ngai-2371.yaml")]) == 0
    assert main(["release", letter.key, "--by", "Nguyễn Tường Duy"]) == 0
    assert path_of(_binh_son(issued)).read_bytes() == before
    assert _binh_son(issued).sha256 == released.sha256


def test_render_never_silently_replaces_a_different_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "du-thao.docx"
    first = _spec(tmp_path, "mot", number=None, subject="triển khai lần một")
    second = _spec(tmp_path, "hai", number=None, subject="triển khai lần hai")
    assert main(["render", str(first), "-o", str(out)]) == 0
    written = out.read_bytes()
    assert main(["render", str(first), "-o", str(out)]) == 0  # the same letter: nothing changes
    assert out.read_bytes() == written
    assert main(["render", str(second), "-o", str(out)]) == 2
    assert "«-o»" in capsys.readouterr().err and out.read_bytes() == written
    assert main(["render", str(second), "-o", str(out), "--overwrite"]) == 0
    assert out.read_bytes() != written
