"""`make demo` tells the whole story on the embedded default — numbered letters included — and
telling it again adds nothing."""

from __future__ import annotations

import re
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
    assert "16/5 87 báo cáo đúng hạn, 0 báo cáo trễ hạn" in out
    assert "22/5 0 báo cáo đúng hạn, 3 báo cáo trễ hạn" in out
    assert "21/5 quét hạn (công văn đôn đốc)" in out
    assert "1051/SNV-CCHC  21/5/2024  Công văn đôn đốc báo cáo kết quả thực hiện" in out
    store = Store.open()
    with Session(store.engine) as session:
        assert waiting(session) == []  # every draft was released, so every letter is numbered

    synthesis = read(path_of(_letter(store, "tong_hop:qng:2371/UBND-TTHC:2024-05-13:2024-05-27")))
    assert synthesis.number == "Số: 1053/BC-SNV"  # Sở Nội vụ's register continued from 1051
    assert synthesis.place_date == "Quảng Ngãi, ngày 28 tháng 5 năm 2024"
    # What the synthesis says of Bình Sơn is what Bình Sơn's own report upward says.
    rollup = read(path_of(_letter(store, f"bao_cao_len:{demo.BINH_SON}")))
    assert "11/11 cơ quan, đơn vị đã báo cáo (11 đúng hạn, 0 trễ hạn)" in rollup.text
    binh_son = next(p for p in synthesis.body if p.startswith("- Ủy ban nhân dân huyện Bình Sơn"))
    assert "11/11 cơ quan, đơn vị trực thuộc đã báo cáo" in binh_son
    assert rollup.number[4:] in binh_son
    home = tmp_path / "home" / "documents"
    assert (home / "du-thao-mau" / "qtr-dong-ha-du-thao-KH-UBND.docx").is_file()

    before = counts(store)
    demo.run()
    assert counts(store) == before
    again = capsys.readouterr().out
    assert not re.search(r"^  \d+/5 \d+ báo cáo", again, re.M)  # no report sent twice
    assert not re.search(r"^    phát hành ", again, re.M)  # no letter released twice
