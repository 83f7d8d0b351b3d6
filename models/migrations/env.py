"""Alembic environment: migrations run on the connection chidao hands over
(see database.migrate)."""

from alembic import context
from sqlmodel import SQLModel

import models.received  # noqa: F401  (registers the tables on SQLModel.metadata)
import models.records  # noqa: F401

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
