"""`make demo` tells the whole story on the embedded default, and telling it again adds nothing."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from chidao import demo
from models.store import Store
from tests.conftest import docx_text


def _line(path: Path, about: str) -> str:
    return next(p.text for p in docx.Document(str(path)).paragraphs if about in p.text)


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
    documents = tmp_path / "home" / "documents"
    # The line about letter 2371, item 1 (2268's own deadlines are chased in the same letter).
    urged = _line(documents / "don-doc" / "2024-05-21" / "qng.snv.docx", "mục 1 Công văn số 2371")
    assert "Sở Xây dựng" in urged and "Sở Tư pháp" not in urged and "Sở Y tế" not in urged
    late = _line(
        documents / "bao-cao-cham" / "2024-05-27" / "qng.snv.docx", "mục 1 Công văn số 2371"
    )
    assert "Sở Xây dựng" not in late  # it reported, late, before the 27th
    assert "Sở Tài chính" in late
    synthesis = next(documents.glob("qng-2371-*/tong-hop-2024-05-27.docx"))
    assert "3 việc báo cáo đúng hạn" in docx_text(synthesis)
    assert (documents / "du-thao-mau" / "qtr-dong-ha-du-thao-KH-UBND.docx").is_file()

    counts = Store.open().counts()
    demo.run()
    assert Store.open().counts() == counts
    assert "qng.stp đã báo cáo mục 1. (lần chạy trước)" in capsys.readouterr().out
