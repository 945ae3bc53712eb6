"""`kith db distribute`: place kith's tables on a Citus cluster (docs/scale.md).

Run on the coordinator after the migrations (this brings the schema up to date first), once,
and again after an upgrade that adds tables: what is placed already stays as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from kith.app.errors import KithError
from kith.settings import Settings
from kith.store import db, distribution
from kith.store.tables import ACCOUNT


class NeedsCitus(KithError):
    """`kith db distribute` on SQLite: only a PostgreSQL server can be a Citus coordinator."""

    def __init__(self) -> None:
        super().__init__(
            "kith db distribute needs a Citus coordinator's database (postgresql://...);"
            " a SQLite file is never distributed"
        )


@dataclass(frozen=True)
class DistributionView:
    """What one run placed: tables made reference tables, tables distributed by account."""

    reference: tuple[str, ...]
    distributed: tuple[str, ...]
    foreign_keys: int  # taken off and put back around the placing
    column: str = ACCOUNT
    colocated_with: str = distribution.ANCHOR

    @property
    def already_placed(self) -> bool:
        """Nothing was left to place (a second run, or after an upgrade without new tables)."""
        return not self.reference and not self.distributed


def distribute(settings: Settings) -> DistributionView:
    """Migrate, then place every table not placed yet, in one transaction."""
    if not db.normalise_url(settings.database_url).startswith("postgresql"):
        raise NeedsCitus
    engine = db.create(settings.database_url, write_wait=settings.write_wait)
    try:
        db.migrate(engine)
        with db.writing(engine) as conn:
            done = distribution.distribute(conn)
    finally:
        engine.dispose()
    return DistributionView(done.reference, done.distributed, done.foreign_keys)
