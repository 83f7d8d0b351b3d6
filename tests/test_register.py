"""The register of outgoing letters (sổ văn bản đi, ND 30/2020 art. 15–16): a draft gets no
number; releasing takes the next number of its issuer's register for the year — from 01, or
from where the office says its register stands — one number per letter, no gaps, whatever
releases run at once; letters numbered outside chidao keep their numbers."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
import yaml
from sqlmodel import Session

from chidao.cli import main
from flows.cascade import issue_directive
from models.letters import register_lines
from models.store import Store
from tests.conftest import EXAMPLES, Clock

pytestmark = pytest.mark.usefixtures("prefect_api")


def _drafts(tmp_path: Path, count: int, due: str | None = None) -> list[str]:
    """COUNT draft letters of UBND tỉnh Quảng Ngãi (no number), issued as drafts; every item
    due before DUE when given."""
    shutil.copytree(EXAMPLES / "org", tmp_path / "org", dirs_exist_ok=True)
    spec = yaml.safe_load((EXAMPLES / "quang-ngai-2371.yaml").read_text())
    del spec["number"]
    if due:
        for item in spec["items"]:
            item["deadline"] = {"before": due}
    keys = []
    for n in range(count):
        spec["subject"] = f"nội dung dự thảo số {n + 1}"
        path = tmp_path / f"du-thao-{n}.yaml"
        path.write_text(yaml.safe_dump(spec, allow_unicode=True))
        keys.append(issue_directive(spec_path=str(path)).root_key)
    return keys


def _register(store: Store, unit: str, year: int) -> list[tuple[str, str]]:
    with Session(store.engine) as session:
        return [(x.reference, x.note) for x in register_lines(session, unit, year)]


def test_a_draft_has_no_number_until_it_is_released_and_numbers_follow_the_register(
    database: str, tmp_path: Path, clock: Clock
) -> None:
    keys = _drafts(tmp_path, 2)
    store = Store.open()
    assert {store.lookup(k).reference for k in keys} == {"/UBND-TTHC"}
    assert _register(store, "qng", 2024) == []
    clock("2024-05-14T09:00")
    assert main(["release", keys[1], "--by", "Trần Hoàng Tuấn"]) == 0
    assert main(["release", keys[0], "--by", "Trần Hoàng Tuấn"]) == 0
    assert [store.lookup(k).reference for k in keys] == ["02/UBND-TTHC", "01/UBND-TTHC"]
    assert _register(store, "qng", 2024) == [("01/UBND-TTHC", ""), ("02/UBND-TTHC", "")]


def test_numbers_start_again_at_01_on_1_january(
    database: str, tmp_path: Path, clock: Clock
) -> None:
    keys = _drafts(tmp_path, 2, due="2025-02-28")
    clock("2024-12-31T16:00")
    assert main(["release", keys[0]]) == 0
    clock("2025-01-02T08:00")
    assert main(["release", keys[1]]) == 0
    store = Store.open()
    assert _register(store, "qng", 2024) == [("01/UBND-TTHC", "")]
    assert _register(store, "qng", 2025) == [("01/UBND-TTHC", "")]


def test_the_office_sets_where_its_register_stands_and_carried_numbers_are_recorded(
    database: str, tmp_path: Path, clock: Clock, capsys: pytest.CaptureFixture[str]
) -> None:
    issue_directive(spec_path=str(EXAMPLES / "quang-ngai-2268.yaml"))  # numbered by UBND tỉnh
    keys = _drafts(tmp_path, 1)
    store = Store.open()
    assert _register(store, "qng", 2024) == [("2268/UBND-TTHC", "số do văn bản mang sẵn")]
    assert main(["register", "qng", "--year", "2024", "--start", "2200"]) == 2
    assert "đã cấp đến số 2268" in capsys.readouterr().err
    assert main(["register", "qng", "--year", "2024", "--start", "2300"]) == 0
    clock("2024-05-20T08:00")
    assert main(["release", keys[0]]) == 0
    assert store.lookup(keys[0]).reference == "2300/UBND-TTHC"
    capsys.readouterr()
    assert main(["register", "qng", "--year", "2024", "--width", "250"]) == 0
    out = capsys.readouterr().out
    for column in (
        "Số, ký hiệu văn bản",
        "Ngày tháng văn bản",
        "Tên loại và trích yếu",
        "Người ký",
    ):
        assert column in out
    assert "2268/UBND-TTHC" in out and "2300/UBND-TTHC" in out and "20/5/2024" in out


def test_a_carried_number_already_in_the_register_is_refused(database: str, tmp_path: Path) -> None:
    issue_directive(spec_path=str(EXAMPLES / "quang-ngai-2268.yaml"))
    spec = yaml.safe_load((EXAMPLES / "quang-ngai-2268.yaml").read_text())
    spec["issued_on"] = "2024-05-07"  # another letter under the same number, the next day
    shutil.copytree(EXAMPLES / "org", tmp_path / "org")
    path = tmp_path / "trung-so.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True))
    assert main(["issue", str(path)]) == 2


def test_simultaneous_releases_take_one_number_each_with_no_gap(
    database: str, tmp_path: Path, clock: Clock
) -> None:
    keys = _drafts(tmp_path, 12)
    clock("2024-05-14T09:00")
    store = Store.open()
    start = threading.Barrier(len(keys))
    failures: list[BaseException] = []

    def release(key: str) -> None:
        start.wait()
        try:
            store.release(store.lookup(key), "test")
        except BaseException as exc:  # noqa: BLE001 - collected and reported below
            failures.append(exc)

    threads = [threading.Thread(target=release, args=(k,)) for k in keys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    numbers = sorted(int(store.lookup(k).reference.split("/")[0]) for k in keys)
    assert numbers == list(range(1, 13))
