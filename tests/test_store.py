"""The database schema comes from its Alembic migrations and matches the models exactly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

from models.database import MIGRATIONS
from models.store import Store


def _newest_revision() -> str | None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()


def test_the_migrations_build_exactly_the_schema_of_the_models(database: str) -> None:
    store = Store.open(database)
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        assert context.get_current_revision() == _newest_revision()
        assert compare_metadata(context, SQLModel.metadata) == []
