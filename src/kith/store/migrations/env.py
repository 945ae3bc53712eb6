"""Alembic environment: kith passes its own engine in `config.attributes`."""

from alembic import context

from kith.store import citus_migrations
from kith.store.db import migrating
from kith.store.tables import metadata

citus_migrations.register()  # a new table on a distributed database is placed as it is made
engine = context.config.attributes["engine"]
with migrating(engine) as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,  # SQLite can only alter tables by copying them
    )
    context.run_migrations()
