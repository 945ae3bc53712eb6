"""intro gifts made before 0003 name their intro

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 20:45:00

Before 0003, a made introduction's gifts ("introduced to <the other>", kind intro, on the
day it was made) did not carry `intro_id`. This fills it in once, here, so that the store
finds an intro's gifts by id only and never by matching their display text.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    intros = sa.table(
        "intros",
        sa.column("id", sa.Integer),
        sa.column("account_id", sa.Integer),
        sa.column("a_id", sa.Integer),
        sa.column("b_id", sa.Integer),
        sa.column("made_on", sa.Date),
    )
    people = sa.table("people", sa.column("id", sa.Integer), sa.column("name", sa.String))
    exchanges = sa.table(
        "exchanges",
        sa.column("id", sa.Integer),
        sa.column("account_id", sa.Integer),
        sa.column("person_id", sa.Integer),
        sa.column("on", sa.Date),
        sa.column("kind", sa.String),
        sa.column("what", sa.Text),
        sa.column("intro_id", sa.Integer),
    )
    made = conn.execute(
        sa.select(
            intros.c.id, intros.c.account_id, intros.c.a_id, intros.c.b_id, intros.c.made_on
        ).where(intros.c.made_on.is_not(None))
    ).all()
    names = dict(conn.execute(sa.select(people.c.id, people.c.name)).all()) if made else {}
    for intro_id, account_id, a_id, b_id, made_on in made:
        for person, other in ((a_id, b_id), (b_id, a_id)):
            conn.execute(
                sa.update(exchanges)
                .where(
                    exchanges.c.account_id == account_id,
                    exchanges.c.person_id == person,
                    exchanges.c.intro_id.is_(None),
                    exchanges.c.kind == "intro",
                    exchanges.c.on == made_on,
                    exchanges.c.what == f"introduced to {names.get(other)}",
                )
                .values(intro_id=intro_id)
            )


def downgrade() -> None:
    """Nothing to undo: the ids filled in are true either way."""
