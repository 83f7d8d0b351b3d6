"""`make demo` tells the whole story on the embedded default — numbered letters included — and
telling it again adds nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, select

from chidao import demo
from models.board import counts
from models.documents import path_of
from models.letters import waiting
from models.records import LetterRecord
from models.store import Store
from tests.letters import read


def _letter(store: Store, key: str) -> LetterRecord:
    with Session(store.engine) as session:
        return session.exec(select(LetterRecord).where(LetterRecord.key == key)).one()


@pytest.mark.usefixtures("prefect_api")
def test_the_demo_story_runs_from_issue_to_synthesis_and_again_without_duplicates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CHIDAO_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CHIDAO_DATABASE_URL", raising=False)
    demo.run()
    out = capsys.readouterr().out
    assert "22/5 qng.sxd báo cáo mục 1.: trễ hạn" in out
    assert "21/5 quét hạn (công văn đôn đốc)" in out
    store = Store.open()
    with Session(store.engine) as session:
        assert waiting(session) == []  # every draft was released, so every letter is numbered

    urging = read(path_of(_letter(store, "don_doc:qng.snv:2024-05-21")))
    assert urging.number == "Số: 01/SNV-CCHC"
    line = next(p for p in urging.body if "Mục 1 Công văn số 2371" in p)
    assert "Sở Xây dựng" in line and "Sở Tư pháp" not in line and "Sở Y tế" not in line
    assert "Sở Nội vụ" not in line  # the coordinator never urges itself

    late = read(path_of(_letter(store, "bao_cao_cham:qng.snv:>qng:2024-05-27")))
    assert late.number == "Số: 02/BC-SNV"
    line = next(p for p in late.body if "Mục 1 Công văn số 2371" in p)
    assert "Sở Xây dựng" not in line  # it reported, late, before the 27th
    assert "Sở Tài chính" in line
    assert any("Công văn số 01/SNV-CCHC đôn đốc" in p for p in late.body)

    synthesis = read(path_of(_letter(store, "tong_hop:qng:2371/UBND-TTHC:2024-05-13:2024-05-27")))
    assert synthesis.number == "Số: 03/BC-SNV"
    assert synthesis.place_date == "Quảng Ngãi, ngày 28 tháng 5 năm 2024"
    # Departments: 2 on time, 1 late; the 13 districts' reports upward went up on 17/5.
    assert (
        "Tổng số 33 việc được giao: 15 việc báo cáo đúng hạn (45%), 1 việc báo cáo trễ hạn, "
        "17 việc chưa báo cáo." in synthesis.body
    )
    # What the synthesis says of Bình Sơn is what Bình Sơn's own report upward says.
    rollup = read(path_of(_letter(store, f"bao_cao_len:{demo.BINH_SON}")))
    assert "9/12 cơ quan, đơn vị đã báo cáo (9 đúng hạn, 0 trễ hạn)" in rollup.text
    binh_son = next(p for p in synthesis.body if p.startswith("- Ủy ban nhân dân huyện Bình Sơn"))
    assert "9/12 đơn vị trực thuộc đã báo cáo" in binh_son and rollup.number[4:] in binh_son
    home = tmp_path / "home" / "documents"
    assert (home / "du-thao-mau" / "qtr-dong-ha-du-thao-KH-UBND.docx").is_file()

    before = counts(store)
    demo.run()
    assert counts(store) == before
    assert "qng.stp đã báo cáo mục 1. (lần chạy trước)" in capsys.readouterr().out
