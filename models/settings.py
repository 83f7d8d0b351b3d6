"""Every CHIDAO_* environment variable, read in one place and checked."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from models.errors import InputError
from models.validation import problems_of

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


class Settings(BaseSettings):
    """chidao's settings; each field is the variable CHIDAO_<FIELD NAME>."""

    model_config = SettingsConfigDict(env_prefix="CHIDAO_", extra="ignore", frozen=True)

    home: Path = Field(
        Path(".chidao"), description="the embedded database, the documents and evidence"
    )
    database_url: str | None = Field(
        None, description="postgresql+psycopg://…; default SQLite under home"
    )
    calendar: Path | None = Field(None, description="the government's day swaps (YAML)")
    org: Path | None = Field(None, description="the organisation tree `chidao import` matches")
    postgres: str = Field(
        "postgresql://postgres@127.0.0.1:5432", description="the cluster `chidao serve` uses"
    )
    templates: Path | None = Field(
        None, description="an office's own templates, used before the built-in ones"
    )
    files: str | None = Field(
        None,
        description="folders (separated by ':') whose files the Prefect forms may read; "
        "default: the home folder and chidao's examples",
    )
    simulated_now: dt.datetime | None = Field(
        None, description="a simulated clock (the demo, tests): every change then records it"
    )
    # The web portal (portal/) and its notifications.
    web_host: str = Field("127.0.0.1", description="where the portal listens")
    web_port: int = Field(8080, ge=1, le=65535, description="the portal's port")
    web_workers: int = Field(
        1, ge=1, le=16, description="portal processes (one per core; the outbox sends from one)"
    )
    web_url: str = Field(
        "http://127.0.0.1:8080", description="the portal's address as people reach it (in emails)"
    )
    web_deployments: bool = Field(
        False, description="start workflows as deployment runs for the workers (chidao serve)"
    )
    outbox_seconds: int = Field(15, ge=1, le=3600, description="how often the outbox is sent")
    secure_cookies: bool = Field(
        False, description="behind a TLS reverse proxy: cookies only over HTTPS (Secure)"
    )
    session_minutes: int = Field(480, ge=1, le=10080, description="a login lasts this long")
    login_attempts: int = Field(
        5, ge=1, le=100, description="failed logins allowed per account and address"
    )
    login_window_minutes: int = Field(15, ge=1, le=1440, description="… within this many minutes")
    smtp_host: str | None = Field(None, description="the mail server; None: no email is sent")
    smtp_port: int = Field(25, ge=1, le=65535)
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = Field(False, description="upgrade the connection with STARTTLS")
    smtp_from: str = Field("chidao@localhost", description="the sender of every email")
    smtp_attempts: int = Field(5, ge=1, le=100, description="tries before an email is failed")

    @property
    def documents(self) -> Path:
        return self.home.resolve() / "documents"

    def readable(self) -> list[Path]:
        """The folders a form's file paths must lie in, and the office's own tree (CHIDAO_ORG),
        which the specs the portal writes name wherever the operator keeps it."""
        tree = [self.org.resolve()] if self.org else []
        if self.files:
            return [*(Path(p).resolve() for p in self.files.split(os.pathsep) if p), *tree]
        return [self.home.resolve(), EXAMPLES, *tree]

    def database(self) -> str:
        return self.database_url or f"sqlite:///{self.home.resolve() / 'chidao.db'}"


def settings() -> Settings:
    """The settings as the environment holds them now (tests and the demo change them); read
    again only when a CHIDAO_* variable changed, since reading costs milliseconds."""
    return _settings(tuple(sorted((k, v) for k, v in os.environ.items() if _ours(k))))


def _ours(variable: str) -> bool:
    return variable.upper().startswith("CHIDAO_")


@lru_cache(maxsize=16)
def _settings(variables: tuple[tuple[str, str], ...]) -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        raise InputError(
            replace(p, field=f"CHIDAO_{p.field.upper()}")
            for p in problems_of(exc, "(biến môi trường)")
        ) from None
