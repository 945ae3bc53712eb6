"""Alembic environment: kith passes its own engine in `config.attributes`."""

from alembic import context

from kith.store.db import migrating
from kith.store.tables import metadata

engine = context.config.attributes["engine"]
with migrating(engine) as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,  # SQLite can only alter tables by copying them
    )
    context.run_migrations()
