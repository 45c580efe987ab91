"""Alembic environment: run on the connection `dtpc.workspace.db.migrate` passes in `config.attributes`."""

from __future__ import annotations

from alembic import context

from dtpc.workspace.db import VERSION_TABLE
from dtpc.workspace.schema import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, version_table=VERSION_TABLE,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
