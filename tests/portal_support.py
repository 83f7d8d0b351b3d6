"""What the portal's tests share: the Quảng Ngãi story of Công văn 2371/UBND-TTHC issued on a
fresh database, the people who use it (one account per row of the README's role table), and
a browser-like client that logs in and posts forms with their CSRF token."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlmodel import Session, col

from flows.cascade import issue_directive
from models import accounts
from models.records import AssignmentRecord, ItemRecord
from models.store import Store
from portal.app import create_app
from tests.conftest import EXAMPLES

LETTER = "2371/UBND-TTHC"  # Sở Tư pháp reports item 1. before 20/5/2024
PASSWORD = "mat-khau-du-dai-1"

# username: (full name, unit, role) — one account per role, and a second unit's clerk.
PEOPLE = {
    "lan.stp": ("Nguyễn Thị Lan", "qng.stp", "clerk"),
    "hung.stp": ("Trần Văn Hùng", "qng.stp", "head"),
    "mai.sxd": ("Lê Thị Mai", "qng.sxd", "clerk"),
    "binh.snv": ("Phạm Văn Bình", "qng.snv", "coordinator"),
    "quantri": ("Võ Quản Trị", "qng.vpub", "admin"),
}


@dataclass
class Story:
    store: Store
    app: object


@pytest.fixture(name="story")
def story_fixture(database: str, prefect_api: str) -> Story:
    issue_directive(spec_path=str(EXAMPLES / "quang-ngai-2371.yaml"), auto_release=False)
    store = Store.open()
    for username, (name, unit, role) in PEOPLE.items():
        email = f"{username}@quangngai.gov.vn"
        accounts.add_account(store, username, name, unit, role, PASSWORD, email, "test")
    return Story(store, create_app(send_outbox=False))


class Browser:
    """A TestClient that behaves like a person's browser: it logs in through the form and
    sends each form with the token the page gave it."""

    def __init__(self, app: object) -> None:
        self.client = TestClient(app, follow_redirects=True)  # type: ignore[arg-type]
        self.csrf = ""

    def log_in(self, username: str, password: str = PASSWORD) -> object:
        form = self.client.get("/dang-nhap")
        token = _csrf(form.text)
        answer = self.client.post(
            "/dang-nhap", data={"username": username, "password": password, "csrf": token}
        )
        self.csrf = _csrf(answer.text) if 'name="csrf"' in answer.text else ""
        return answer

    def get(self, url: str) -> object:
        answer = self.client.get(url)
        if 'name="csrf"' in answer.text:
            self.csrf = _csrf(answer.text)
        return answer

    def post(self, url: str, data: dict[str, object] | None = None, **more: object) -> object:
        return self.client.post(url, data={"csrf": self.csrf, **(data or {})}, **more)  # type: ignore[arg-type]


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]*)"', html)
    assert found, "the page has no form token"
    return found.group(1)


def assignment_of(store: Store, unit: str, label: str | None = None) -> int:
    with Session(store.engine) as session:
        statement = (
            select(col(AssignmentRecord.id))
            .join(ItemRecord, col(ItemRecord.id) == col(AssignmentRecord.item_id))
            .where(col(AssignmentRecord.unit_code) == unit)
            .order_by(col(AssignmentRecord.id))
        )
        if label:
            statement = statement.where(col(ItemRecord.label) == label)
        found = session.execute(statement).scalars().first()
    assert found is not None
    return found


def rows(store: Store, table: type) -> int:
    with Session(store.engine) as session:
        return session.execute(select(func.count()).select_from(table)).scalar_one()


class _Fields(HTMLParser):
    """What a browser would send for one form of a page: its inputs, ticked boxes, selected
    options and text areas, with their current values."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id, self.inside, self.values = form_id, False, {}
        self.select: str | None = None
        self.area: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside or "name" not in a and tag != "option":
            return
        if tag == "input" and (a.get("type") != "checkbox" or "checked" in a):
            self.values[a["name"]] = a.get("value", "")
        elif tag == "select":
            self.select = a["name"]
            self.values.setdefault(self.select, "")
        elif tag == "option" and self.select and "selected" in a:
            self.values[self.select] = a.get("value", "")
        elif tag == "textarea":
            self.area = a["name"]
            self.values[self.area] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.area = None

    def handle_data(self, data: str) -> None:
        if self.area:
            self.values[self.area] += data


def form_fields(page: str, form_id: str) -> dict[str, str]:
    """The values the form FORM_ID of PAGE would send as it stands."""
    reader = _Fields(form_id)
    reader.feed(page)
    assert reader.values, f"the page has no form {form_id!r}"
    return dict(reader.values)
