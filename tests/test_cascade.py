"""Issuing a directive creates every assignment it implies down the tree, with its Word drafts,
in the database — and issuing it again creates nothing new."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pendulum
import pytest
import yaml
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
from prefect.client.schemas.sorting import ArtifactSort
from sqlmodel import Session

from chidao.cli import main
from flows.cascade import board_key, issue_directive
from flows.letters import letters_of
from models import assignments
from models.board import board, cascade_summary, counts
from models.calendar import ZONE
from models.database import home
from models.documents import path_of
from models.errors import InputError
from models.letters import register_lines
from models.spec import DirectiveSpec
from models.store import Store
from tests.conftest import EXAMPLES, SEED_002_OFFICES, Clock, docx_text, normalise
from tests.letters import read

pytestmark = pytest.mark.usefixtures("prefect_api")

LETTER = EXAMPLES / "quang-ngai-2371.yaml"
ROOT_KEY = "qng:2371/UBND-TTHC:2024-05-13"
BINH_SON_KEY = f"{ROOT_KEY}>qng.binh-son"
QUANG_NGAI_DISTRICTS = [
    "qng.binh-son",
    "qng.son-tinh",
    "qng.tu-nghia",
    "qng.nghia-hanh",
    "qng.mo-duc",
    "qng.tx-duc-pho",
    "qng.ba-to",
    "qng.minh-long",
    "qng.son-ha",
    "qng.son-tay",
    "qng.tra-bong",
    "qng.ly-son",
    "qng.tp-quang-ngai",
]


def _issue(spec: Path = LETTER, auto_release: bool = True) -> Store:
    issue_directive(spec_path=str(spec), auto_release=auto_release)
    return Store.open()


def _letter_path(store: Store, key: str) -> Path:
    record = store.lookup(key)
    assert record.id is not None
    (letter,) = letters_of(store, [record.id])
    return path_of(letter)


def _document_text(store: Store, key: str) -> str:
    return docx_text(_letter_path(store, key))


def test_the_quang_ngai_cascade_assigns_work_at_every_level(database: str) -> None:
    store = _issue()
    root = store.lookup(ROOT_KEY)
    assert root.id is not None
    # Level 0: 20 departments (item 1), 13 districts (item 2), Sở Nội vụ (item 3).
    # Level 1: each district's letter to its 12 or 13 offices plus its coordinator's task.
    assert cascade_summary(store, root.id) == [(0, 1, 1, 34), (1, 13, 13, 174)]
    rows = counts(store)
    assert rows["directive"] == 14 and rows["letter"] == 14
    folder = home() / "documents"
    kept = letters_of(store, [r.id for r in store.cascade(root.id) if r.id is not None])
    assert all(path_of(x).is_file() for x in kept)
    assert all(path_of(x).is_relative_to(folder) for x in kept)
    assert len({path_of(x) for x in kept}) == 14  # a file per letter
    # Each district numbered its letter from its own register: 01 of 2024.
    assert {x.reference for x in kept if x.kind == "trien_khai"} == {"01/UBND-NV"}


def test_binh_sons_letter_carries_what_seed_002_carries(
    database: str, seeds: dict[str, str]
) -> None:
    store = _issue()
    text = _document_text(store, BINH_SON_KEY)
    seed = normalise(seeds["002"])
    basis = "Thực hiện Công văn số 2371/UBND-TTHC ngày 13/5/2024 của UBND tỉnh về chuẩn bị tổ chức"
    assert basis in seed and basis in text
    assert "Thủ trưởng các Phòng: Nội vụ, Tư pháp" in text
    assert all(office in text for office in SEED_002_OFFICES)
    assert "Văn phòng HĐND và UBND huyện" in text and "Thanh tra huyện" in text
    # The earlier internal deadline, and the district's own one to the province.
    assert "gửi về UBND huyện Bình Sơn (qua Phòng Nội vụ) trước ngày 17/5/2024" in text
    assert "trước ngày 17/5/2024" in seed and "trước ngày 20/5/2024" in text
    assert "ỦY BAN NHÂN DÂN HUYỆN BÌNH SƠN" in text and "Số: 01/UBND-NV" in text


def test_the_offices_of_binh_son_are_assigned_with_the_internal_deadline(database: str) -> None:
    store = _issue()
    record = store.lookup(BINH_SON_KEY)
    assert record.id is not None
    labels, rows = board(store, record.id, as_of=pendulum.datetime(2024, 5, 15, tz=ZONE))
    assert labels == ["1.", "2."]
    by_unit = {r.unit: r.states for r in rows}
    assert by_unit["Phòng Tư pháp"] == {"1.": "Đã giao, chưa báo cáo, trước ngày 17/5/2024"}
    assert by_unit["Phòng Nội vụ"] == {
        "1.": "Đã giao, chưa báo cáo, trước ngày 17/5/2024",
        "2.": "Đã giao, chưa báo cáo, trước ngày 20/5/2024",
    }
    assert len(rows) == 12


def test_the_board_marks_late_work_and_names_reported_work(database: str) -> None:
    store = _issue()
    record = store.lookup(BINH_SON_KEY)
    assert record.id is not None
    target = assignments.find(store, BINH_SON_KEY, "qng.binh-son.pyt", "1.")
    assignments.submit_report(store, target, "Đã xong", [], "test")
    friday = pendulum.datetime(2024, 5, 17, 8, tz=ZONE)  # 'trước ngày 17/5' has passed
    states = {r.unit: r.states["1."] for r in board(store, record.id, as_of=friday)[1]}
    assert states["Phòng Tư pháp"] == "Đã giao, chưa báo cáo, trước ngày 17/5/2024, quá hạn"
    assert states["Phòng Y tế"] == "Đã báo cáo, chờ xem xét, trước ngày 17/5/2024"


def test_issuing_the_same_directive_again_creates_nothing(database: str) -> None:
    store = _issue()
    before = counts(store)
    files = {p: p.stat().st_mtime_ns for p in (home() / "documents").rglob("*.docx")}
    assert len(files) == 14
    _issue()
    assert counts(store) == before
    assert {p: p.stat().st_mtime_ns for p in (home() / "documents").rglob("*.docx")} == files


def test_draft_letters_wait_for_a_named_person_to_release_and_number_them(
    database: str, capsys: pytest.CaptureFixture[str], clock: Clock
) -> None:
    store = _issue(auto_release=False)
    root = store.lookup(ROOT_KEY)
    assert root.id is not None
    assert cascade_summary(store, root.id) == [(0, 1, 1, 34), (1, 13, 0, 0)]
    assert counts(store)["letter"] == 14  # the drafts are written for review
    draft = read(_letter_path(store, BINH_SON_KEY))
    assert draft.number == "Số: /UBND-NV"

    clock("2024-05-14T10:00")
    assert main(["release", BINH_SON_KEY, "--by", "Trần Văn Bình"]) == 0
    assert cascade_summary(store, root.id) == [(0, 1, 1, 34), (1, 13, 1, 13)]
    out = capsys.readouterr().out
    assert "Đã phát hành 01/UBND-NV ngày 14/5/2024: Văn bản triển khai" in out
    released = read(_letter_path(store, BINH_SON_KEY))
    assert released.number == "Số: 01/UBND-NV"
    assert released.place_date == "Bình Sơn, ngày 14 tháng 5 năm 2024"
    with Session(store.engine) as session:
        (line,) = register_lines(session, "qng.binh-son", 2024)
    assert (line.reference, line.issued_on) == ("01/UBND-NV", dt.date(2024, 5, 14))

    before = counts(store)
    assert main(["release", BINH_SON_KEY]) == 0
    assert counts(store) == before


def test_a_coordinator_releases_every_district_draft_in_one_command(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    store = _issue(auto_release=False)
    root = store.lookup(ROOT_KEY)
    assert root.id is not None
    drafts = [f"{ROOT_KEY}>{code}" for code in QUANG_NGAI_DISTRICTS]

    assert main(["release", *drafts, "qng:999/UBND-TTHC:2024-05-13"]) == 2
    assert "qng:999/UBND-TTHC:2024-05-13" in capsys.readouterr().err
    assert cascade_summary(store, root.id) == [(0, 1, 1, 34), (1, 13, 0, 0)]  # none released

    assert main(["release", *drafts]) == 0
    assert capsys.readouterr().out.count("Đã phát hành 01/UBND-NV ngày 13/5/2024") == 13
    summary = cascade_summary(store, root.id)
    assert summary[1][:3] == (1, 13, 13)
    assert summary[1][3] > 13 * 5  # every district gave work to its offices


def test_status_shows_the_board_of_a_directive(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _issue()
    capsys.readouterr()
    assert main(["status", "2371/UBND-TTHC"]) == 0
    out = capsys.readouterr().out
    assert "Chỉ đạo 2371/UBND-TTHC (đã phát hành)" in out
    assert re.search(r"Cấp dưới trực tiếp +13 +0 +174", out)
    assert "Ủy ban nhân dân huyện Bình Sơn" in out
    assert "Đã giao, chưa báo cáo, trước ngày 20/5/2024" in out


def test_an_unknown_directive_is_a_vietnamese_error(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["status", "9999/UBND-KHONG"]) == 2
    assert "không có chỉ đạo nào với mã hoặc số hiệu này" in capsys.readouterr().err


def test_a_different_letter_under_the_same_number_is_refused(database: str, tmp_path: Path) -> None:
    _issue()
    spec = yaml.safe_load(LETTER.read_text())
    spec["subject"] = "một nội dung khác"
    shutil.copytree(EXAMPLES / "org", tmp_path / "org")
    changed = tmp_path / "khac.yaml"
    changed.write_text(yaml.safe_dump(spec, allow_unicode=True))
    with pytest.raises(InputError, match="đã được phát hành với nội dung khác"):
        issue_directive(spec_path=str(changed), auto_release=True)


def test_each_directive_has_its_status_board_on_the_prefect_server(database: str) -> None:
    store = _issue()
    record = store.lookup(BINH_SON_KEY)

    async def read(key: str) -> list[dict[str, str]]:
        async with get_client() as client:
            # The newest version: other tests publish the same boards on this server.
            found = await client.read_artifacts(
                artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key])),
                sort=ArtifactSort.CREATED_DESC,
                limit=1,
            )
        return json.loads(found[0].data) if isinstance(found[0].data, str) else found[0].data

    table = asyncio.run(read(board_key(record.key)))
    assert {
        "Đơn vị": "Phòng Tư pháp",
        "Mục 1.": "Đã giao, chưa báo cáo, trước ngày 17/5/2024",
        "Mục 2.": "",
    } in table
    assert len(table) == 12
    root_board = asyncio.run(read(board_key(ROOT_KEY)))
    assert len(root_board) == 33  # 34 assignments; Sở Nội vụ holds two of them
    home_affairs = next(row for row in root_board if row["Đơn vị"] == "Sở Nội vụ")
    assert home_affairs["Mục 3."] == "Đã giao, chưa báo cáo, trong tháng 6/2024"


def test_a_spec_from_the_prefect_form_is_issued_like_a_file(database: str) -> None:
    data = yaml.safe_load(LETTER.read_text())
    data["org"] = str(EXAMPLES / "org" / "quang-ngai.yaml")
    result = issue_directive(spec=DirectiveSpec.model_validate(data), auto_release=False)
    assert result.root_key == ROOT_KEY
    assert counts(Store.open())["directive"] == 14
