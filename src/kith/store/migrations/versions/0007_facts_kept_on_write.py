"""facts kept on write: person_facts and the rules they were kept under

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 20:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _dates(*names: str) -> list[sa.Column[object]]:
    return [sa.Column(name, sa.Date(), nullable=True) for name in names]


def _counts(*names: str) -> list[sa.Column[object]]:
    return [sa.Column(name, sa.Integer(), nullable=False) for name in names]


def _sums(*names: str) -> list[sa.Column[object]]:
    return [sa.Column(name, sa.Float(), nullable=False) for name in names]


def upgrade() -> None:
    op.create_table(
        "person_facts",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        *_dates("latest_on"),
        *_counts("interactions", "by_me", "contacts"),
        *_dates("first_contact", "last_answered"),
        *_counts("unanswered_streak"),
        *_dates("last_outreach"),
        sa.Column("decayed", sa.JSON(), nullable=False),
        *_sums("evidence_contacts"),
        *_counts("given_count", "given_weight"),
        *_dates("first_given", "last_intro"),
        *_counts("received_count", "received_weight"),
        *_dates("first_received", "last_received"),
        *_sums("evidence_received"),
        *_counts("breaches", "open_breaches"),
        *_dates("last_open_breach", "last_mended"),
        *_counts("asks_open", "asks_yes", "asks_no", "asks_ignored"),
        *_dates("last_yes"),
        *_sums("evidence_yes"),
        *_counts("their_asks", "their_pitches", "premature_pitches"),
        *_dates("last_premature_pitch"),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_person_facts_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_person_facts_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", "person_id", name=op.f("pk_person_facts")),
    )
    with op.batch_alter_table("person_facts", schema=None) as batch_op:
        batch_op.create_index("ix_person_facts_person", ["person_id"], unique=False)
    op.create_table(
        "facts_rules",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("rules", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_facts_rules_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_facts_rules")),
    )
    _fill()


def _fill() -> None:
    """Keep every existing garden's facts, under the default rules (opening a garden whose
    config overrides them rebuilds them once)."""
    from kith.core.rules import Rules  # noqa: PLC0415 - only the upgrade needs them
    from kith.store import kept_facts  # noqa: PLC0415 - only the upgrade needs them

    conn = op.get_bind()
    for (account_id,) in conn.execute(sa.text("SELECT id FROM accounts")):
        kept_facts.rebuild(conn, int(account_id), Rules())


def downgrade() -> None:
    op.drop_table("facts_rules")
    with op.batch_alter_table("person_facts", schema=None) as batch_op:
        batch_op.drop_index("ix_person_facts_person")
    op.drop_table("person_facts")
