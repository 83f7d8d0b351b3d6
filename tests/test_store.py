"""The database schema comes from its Alembic migrations and matches the models exactly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from models.store import Store


def test_the_migrations_build_exactly_the_schema_of_the_models(database: str) -> None:
    store = Store.open(database)
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        assert context.get_current_revision() == "0005"
        assert compare_metadata(context, SQLModel.metadata) == []
