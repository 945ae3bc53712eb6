"""The schema, as SQLAlchemy Core tables.

Every row carries its owner's `account_id`, so one database can hold many gardens and be
sharded by account later (Citus distributes on that column). Changes to this file need an
Alembic migration in `migrations/versions`; `tests/integration/test_migrations.py` checks
that the two agree.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Constraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Identity,
    Index,
    Integer,
    MetaData,
    Numeric,
    PrimaryKeyConstraint,
    Sequence,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import DDLCompiler

ACCOUNT = "account_id"  # the column every garden table carries; Citus distributes on it
# Table.info key naming a table's place under Citus (store/distribution.py reads it): only
# "reference" is written (a copy on every node); a table without it that carries account_id
# is distributed by account_id, co-located with people.
CITUS = "citus"
REFERENCE = {CITUS: "reference"}


def _fk_columns(constraint: Constraint, _table: Table) -> str:
    """A foreign key's name part: its own columns, without the account every key carries.

    `(account_id, person_id) -> people` is `fk_<table>_person_id_people`, as the key on
    `person_id` alone was named before migration 0012; `(account_id) -> accounts` keeps
    `fk_<table>_account_id_accounts`.
    """
    assert isinstance(constraint, ForeignKeyConstraint)  # the "fk" convention's only user
    names = [column.name for column in constraint.columns]
    return "_".join([name for name in names if name != ACCOUNT] or names)


metadata = MetaData(
    naming_convention={
        "fk_columns": _fk_columns,
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(fk_columns)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _account() -> Column[int]:
    return Column(ACCOUNT, Integer, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False)


def _garden_key(table: str) -> tuple[Column[int], Column[int], PrimaryKeyConstraint]:
    """`id`, `account_id` and the primary key `(account_id, id)` of a garden table.

    `id` is numbered by its sequence on PostgreSQL (the `serial` sequence the table always
    had: ids stay unique across the server, so URLs need no account) and is the rowid on
    SQLite (`_sqlite_rowid_key`): numbered on insert on both, never by kith.
    """
    return (
        Column("id", Integer, Sequence(f"{table}_id_seq")),
        _account(),
        PrimaryKeyConstraint(ACCOUNT, "id"),
    )


@compiles(PrimaryKeyConstraint, "sqlite")
def _sqlite_rowid_key(element: PrimaryKeyConstraint, compiler: DDLCompiler, **kw: Any) -> str:
    """On SQLite a garden key `(account_id, id)` is `PRIMARY KEY (id), UNIQUE (account_id, id)`.

    What migration 0012 makes there, so that `metadata.create_all` (some tests) agrees: `id`
    stays the rowid, numbered on insert. Any other key (a BigInteger identity's) is left as is.
    """
    default: str = compiler.visit_primary_key_constraint(element, **kw)
    columns = list(element.columns)
    if [c.name for c in columns] != [ACCOUNT, "id"] or columns[1].identity is not None:
        return default
    name = compiler.preparer.format_constraint(element) if element.name else None
    prefix = f"CONSTRAINT {name} " if name else ""
    return f"{prefix}PRIMARY KEY (id), UNIQUE ({ACCOUNT}, id)"


def _in_garden(
    column: str, table: str, *, ondelete: str | None = "CASCADE"
) -> ForeignKeyConstraint:
    """A foreign key to another garden table, carrying the account (Citus's co-location)."""
    return ForeignKeyConstraint(
        [ACCOUNT, column], [f"{table}.{ACCOUNT}", f"{table}.id"], ondelete=ondelete
    )


def _person(
    name: str = "person_id", *, nullable: bool = False
) -> tuple[Column[int], ForeignKeyConstraint]:
    return Column(name, Integer, nullable=nullable), _in_garden(name, "people")


accounts = Table(
    "accounts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("me_name", String(200), nullable=False, server_default="me"),
    Column("api_token_hash", String(200)),
    Column("password_hash", String(200)),
    # Every API call finds its account by the token's hash (store/member_auth); tokens are
    # 256 random bits made anew on rotation, so no two accounts share one (NULLs may repeat).
    Index("ix_accounts_api_token_hash", "api_token_hash", unique=True),
    info=REFERENCE,
)

people = Table(
    "people",
    metadata,
    *_garden_key("people"),
    Column("name", String(300), nullable=False),
    Column("name_key", String(300), nullable=False),  # casefolded, for look-ups by name
    Column("company", String(300)),
    Column("title", String(300)),
    Column("met_where", String(300)),
    Column("met_on", Date),
    # Who introduced them. NO ACTION, not SET NULL: Citus refuses SET NULL on a key that holds
    # the distribution column, so store/history.delete_person clears it (same transaction).
    Column("via_id", Integer),
    _in_garden("via_id", "people", ondelete=None),
    Column("note", Text),
    Column("cadence_days", Integer),
    Column("state", String(20), nullable=False, server_default="active"),
    Column("pruned_reason", Text),
    Column("pruned_on", Date),
    Column("consent_share", Boolean, nullable=False, server_default="0"),
    Column("created_on", Date, nullable=False),
    Column("source", String(100)),  # where the record came from: cli, linkedin, vcard, ...
    Column("vcard_uid", String(300)),  # stable identity for vCard export and CardDAV sync
    Column("birthday", Date),
    Index("ix_people_account_name_key", "account_id", "name_key"),
    Index("ix_people_account_state", "account_id", "state"),
)

person_emails = Table(
    "person_emails",
    metadata,
    *_garden_key("person_emails"),
    *_person(),
    Column("email", String(320), nullable=False),  # stored lower-cased
    UniqueConstraint("account_id", "email", name="uq_person_emails_account_email"),
    Index("ix_person_emails_person", "person_id"),
)

person_phones = Table(
    "person_phones",
    metadata,
    *_garden_key("person_phones"),
    *_person(),
    Column("phone", String(64), nullable=False),  # as given
    Column("phone_key", String(64), nullable=False),  # normalised (E.164 where possible)
    Index("ix_person_phones_account_key", "account_id", "phone_key"),
    Index("ix_person_phones_person", "person_id"),
)

person_links = Table(
    "person_links",
    metadata,
    *_garden_key("person_links"),
    *_person(),
    Column("url", String(1000), nullable=False),
    Column("url_key", String(1000), nullable=False),  # normalised for dedup
    Index("ix_person_links_account_key", "account_id", "url_key"),
    Index("ix_person_links_person", "person_id"),
)

# Interests, needs and offers of people (person_id set) and of me (person_id null).
tags = Table(
    "tags",
    metadata,
    *_garden_key("tags"),
    *_person(nullable=True),
    Column("kind", String(20), nullable=False),  # interest | need | offer
    Column("value", String(300), nullable=False),  # as the user wrote it
    Index("ix_tags_person", "person_id"),
    Index("ix_tags_account_kind", "account_id", "kind"),
)

interactions = Table(
    "interactions",
    metadata,
    *_garden_key("interactions"),
    *_person(),
    Column("on", Date, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("by", String(10), nullable=False),  # me | them
    Column("unanswered", Boolean, nullable=False, server_default="0"),
    Column("topics", JSON, nullable=False),
    Column("note", Text),
    Column("source_key", String(500)),  # capture's identity of the event, so re-runs add nothing
    # The capture run that added it (kith capture undo RUN removes exactly these).
    # NO ACTION (Citus, as via_id): runs are never deleted but with their account.
    Column("capture_run_id", Integer),
    _in_garden("capture_run_id", "capture_runs", ondelete=None),
    Index("ix_interactions_person_on", "person_id", "on"),
    Index("ix_interactions_capture_run", "capture_run_id"),
    Index("ix_interactions_account_on", "account_id", "on"),
    UniqueConstraint("account_id", "source_key", name="uq_interactions_account_source"),
)

exchanges = Table(
    "exchanges",
    metadata,
    *_garden_key("exchanges"),
    *_person(),
    Column("on", Date, nullable=False),
    Column("direction", String(10), nullable=False),  # given | received
    Column("what", Text, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("weight", Integer, nullable=False),
    # The introduction this help was (a made intro is help given to both): it goes with it.
    Column("intro_id", Integer),
    _in_garden("intro_id", "intros"),
    # The capture run that added it (a LinkedIn export's recommendations and endorsements).
    # NO ACTION (Citus, as via_id): runs are never deleted but with their account.
    Column("capture_run_id", Integer),
    _in_garden("capture_run_id", "capture_runs", ondelete=None),
    Index("ix_exchanges_person", "person_id"),
    Index("ix_exchanges_capture_run", "capture_run_id"),
    Index("ix_exchanges_intro", "intro_id"),
    Index("ix_exchanges_account_on", "account_id", "on"),
    # Covers the mirror's "people helped ever": one direction's people, in order, with days.
    Index("ix_exchanges_account_direction_person", "account_id", "direction", "person_id", "on"),
)

asks = Table(
    "asks",
    metadata,
    *_garden_key("asks"),
    *_person(),
    Column("on", Date, nullable=False),
    Column("what", Text, nullable=False),
    Column("size", String(10), nullable=False),
    Column("pitch", Boolean, nullable=False, server_default="0"),
    Column("ready", Boolean, nullable=False),
    Column("outcome", String(10), nullable=False, server_default="open"),
    Column("outcome_on", Date),
    Index("ix_asks_person", "person_id"),
    Index("ix_asks_account_on", "account_id", "on"),
)

breaches = Table(
    "breaches",
    metadata,
    *_garden_key("breaches"),
    *_person(),
    Column("on", Date, nullable=False),
    Column("what", Text, nullable=False),
    Column("resolved_on", Date),
    Column("resolution", Text),  # what they did to make it right (kith forgive)
    Index("ix_breaches_person", "person_id"),
)

# What they asked of me, or pitched me (kith asked-by): taking is judged on the whole picture.
their_asks = Table(
    "their_asks",
    metadata,
    *_garden_key("their_asks"),
    *_person(),
    Column("on", Date, nullable=False),
    Column("what", Text, nullable=False),
    Column("pitch", Boolean, nullable=False, server_default="0"),
    # The seed's rule applied to them when it was recorded: a pitch the tie could not carry.
    Column("premature", Boolean, nullable=False, server_default="0"),
    Index("ix_their_asks_person", "person_id"),
    Index("ix_their_asks_account_on", "account_id", "on"),
)

intros = Table(
    "intros",
    metadata,
    *_garden_key("intros"),
    *_person("a_id"),
    *_person("b_id"),
    Column("why", Text),
    Column("state", String(20), nullable=False, server_default="proposed"),
    Column("proposed_on", Date, nullable=False),
    Column("asked_a_on", Date),
    Column("asked_b_on", Date),
    Column("accepted_on", Date),
    Column("made_on", Date),
    Column("outcome", Text),
    Column("outcome_on", Date),
    Index("ix_intros_a", "a_id"),
    Index("ix_intros_b", "b_id"),
)

# A snooze moves a person's next feed date without logging an interaction.
snoozes = Table(
    "snoozes",
    metadata,
    *_garden_key("snoozes"),
    *_person(),
    Column("until", Date, nullable=False),
    Index("ix_snoozes_person", "person_id"),
)

# The history that hangs off one person by `person_id`, in the order the kinds were added;
# intros name two people (`a_id`, `b_id`) and are handled on their own.
PERSON_HISTORY = (interactions, exchanges, asks, breaches, their_asks, snoozes)

# Dedup looks people up by company (a close name at the same company) and by vCard UID.
Index("ix_people_account_company", people.c.account_id, people.c.company)
# Only people with a UID (most have none, and no look-up asks for a missing one): migration 0019.
_HAS_UID = people.c.vcard_uid.is_not(None)
Index(
    "ix_people_account_vcard_uid",
    people.c.account_id,
    people.c.vcard_uid,
    sqlite_where=_HAS_UID,
    postgresql_where=_HAS_UID,
)

# What a CardDAV sync saw last time, per person and address book: the server's href and
# ETag, and a digest of the card we then had, to tell a local change from a remote one.
sync_state = Table(
    "sync_state",
    metadata,
    *_garden_key("sync_state"),
    *_person(),
    Column("collection", String(1000), nullable=False),  # the address book's URL
    Column("href", String(1000), nullable=False),
    Column("etag", String(300), nullable=False),
    Column("card_hash", String(64), nullable=False),
    UniqueConstraint("account_id", "collection", "person_id", name="uq_sync_state_person"),
    Index("ix_sync_state_person", "person_id"),
)

# A web login: the browser holds a random token, the server only its SHA-256 (a stolen
# database yields no usable cookie). Logging out sets ended_at; a password change ends
# every session of the account; a session past expires_at is refused. Times are UTC.
web_sessions = Table(
    "web_sessions",
    metadata,
    *_garden_key("web_sessions"),
    Column("token_hash", String(64), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False),
    Column("ended_at", DateTime),
    Index("ix_web_sessions_account", "account_id"),
    # Unique per account (Citus's rule); the token is 256 random bits, unique anyway.
    UniqueConstraint("account_id", "token_hash", name="uq_web_sessions_account_token"),
)

# One run of `kith capture`: what it read and what it added (`kith capture runs`, `undo`).
capture_runs = Table(
    "capture_runs",
    metadata,
    *_garden_key("capture_runs"),
    Column("source", String(500), nullable=False),  # "mbox:/path/to/file", "imap:user@host"
    Column("started_at", DateTime, nullable=False),
    Column("counts", JSON, nullable=False),  # the run's report: logged, duplicates, ...
    Column("undone_at", DateTime),  # when `kith capture undo` removed what it added
    Index("ix_capture_runs_account", "account_id"),
)

# `kith capture imap`: where each folder of each server was left (RFC 3501 UIDVALIDITY and
# the last UID seen), so the next run fetches only what arrived since.
imap_folders = Table(
    "imap_folders",
    metadata,
    *_garden_key("imap_folders"),
    Column("server", String(400), nullable=False),  # "user@host:port"
    Column("folder", String(400), nullable=False),
    Column("uidvalidity", BigInteger, nullable=False),  # 32-bit unsigned on the wire
    Column("last_uid", BigInteger, nullable=False),
    UniqueConstraint("account_id", "server", "folder", name="uq_imap_folders_place"),
)

# People I exchanged personal mail with who are not in the garden: to seed in one step.
capture_candidates = Table(
    "capture_candidates",
    metadata,
    *_garden_key("capture_candidates"),
    Column("email", String(320), nullable=False),
    Column("name", String(200)),
    Column("mails", Integer, nullable=False),
    Column("wrote_to_me", Integer, nullable=False),
    Column("first_on", Date, nullable=False),
    Column("last_on", Date, nullable=False),
    UniqueConstraint("account_id", "email", name="uq_capture_candidates_email"),
)

# My own addresses (`kith me --email`): mail from them is mine when capturing.
my_emails = Table(
    "my_emails",
    metadata,
    *_garden_key("my_emails"),
    Column("email", String(320), nullable=False),
    UniqueConstraint("account_id", "email", name="uq_my_emails_email"),
)

# Facts kept on write (core/kept_facts.KeptFacts): each person's totals, updated in the
# transaction of every write to their history, so reads never rescan the history. A person
# with no history yet has no row. `store/kept_facts.py` keeps it; `kith doctor` checks it.
person_facts = Table(
    "person_facts",
    metadata,
    _account(),
    *_person(),
    Column("latest_on", Date),
    Column("interactions", Integer, nullable=False),
    Column("by_me", Integer, nullable=False),
    Column("contacts", Integer, nullable=False),
    Column("first_contact", Date),
    Column("last_answered", Date),
    Column("unanswered_streak", Integer, nullable=False),
    Column("last_outreach", Date),
    Column("decayed", JSON, nullable=False),  # one anchored sum per half-life
    Column("evidence_contacts", Float, nullable=False),
    Column("given_count", Integer, nullable=False),
    Column("given_weight", Integer, nullable=False),
    Column("first_given", Date),
    Column("last_intro", Date),
    Column("received_count", Integer, nullable=False),
    Column("received_weight", Integer, nullable=False),
    Column("first_received", Date),
    Column("last_received", Date),
    Column("evidence_received", Float, nullable=False),
    Column("breaches", Integer, nullable=False),
    Column("open_breaches", Integer, nullable=False),
    Column("last_open_breach", Date),
    Column("last_mended", Date),
    Column("asks_open", Integer, nullable=False),
    Column("asks_yes", Integer, nullable=False),
    Column("asks_no", Integer, nullable=False),
    Column("asks_ignored", Integer, nullable=False),
    Column("last_yes", Date),
    Column("evidence_yes", Float, nullable=False),
    Column("their_asks", Integer, nullable=False),
    Column("their_pitches", Integer, nullable=False),
    Column("premature_pitches", Integer, nullable=False),
    Column("last_premature_pitch", Date),
    PrimaryKeyConstraint("account_id", "person_id"),
    Index("ix_person_facts_person", "person_id"),
)

# The rules (core/kept_facts.rules_key) an account's person_facts were kept under: kept totals
# made under other weights or half-lives are not read (the garden rebuilds them on opening).
# Which people changed, for readers that keep a garden's judgement between requests (the web
# dashboard): filled by triggers on `people` and `person_facts` (migration 0017,
# `store/garden_changes.py`), so no write path can forget it. `xid` is the writing
# transaction's id on PostgreSQL (commits come out of `id` order there); none on SQLite.
person_changes = Table(
    "person_changes",
    metadata,
    # No foreign key to accounts: deleting an account deletes its people, which logs them.
    Column("id", Integer, Sequence("person_changes_id_seq")),
    Column(ACCOUNT, Integer, nullable=False),
    PrimaryKeyConstraint(ACCOUNT, "id"),
    Column("person_id", Integer, nullable=False),
    Column("xid", BigInteger),
    Index("ix_person_changes_account_xid", "account_id", "xid"),
)

# The change log's one row of bookkeeping (migration 0018, `store/change_log_trim.py`): which
# database this is (`lineage`, random, renewed when a SQLite file is restored: a position
# from another file is not compared) and how far the log was trimmed (`trimmed_id`: SQLite's
# highest log id removed, on PostgreSQL the sequence's value then; `trimmed_xid`: PostgreSQL's
# rows below this transaction id removed). A reader's position behind it judges whole.
person_changes_horizon = Table(
    "person_changes_horizon",
    metadata,
    Column("lineage", String(32), primary_key=True),
    Column("trimmed_id", BigInteger, nullable=False, server_default="0"),
    Column("trimmed_xid", BigInteger, nullable=False, server_default="0"),
    info=REFERENCE,
)

facts_rules = Table(
    "facts_rules",
    metadata,
    Column("account_id", Integer, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Column("rules", Text, nullable=False),
    info=REFERENCE,
)

# The community (issue 14): one group per server, on PostgreSQL. The group, its members and
# its invitations are small and read by every member: reference tables under Citus. A member
# is an account (its login is `accounts.name`, its argon2id hash `accounts.password_hash`).
community_groups = Table(
    "community_groups",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    # Always true and unique: a second group on the same server is refused by the database.
    Column("singleton", Boolean, nullable=False, server_default="1", unique=True),
    Column("created_on", Date, nullable=False),
    info=REFERENCE,
)

members = Table(
    "members",
    metadata,
    Column("account_id", Integer, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "group_id", Integer, ForeignKey("community_groups.id", ondelete="CASCADE"), nullable=False
    ),
    Column("role", String(20), nullable=False),  # organiser | member
    Column("suspended", Boolean, nullable=False, server_default="0"),
    Column("joined_on", Date, nullable=False),
    # Opted in to one-to-one pairing rounds (issue 14, migration 0013).
    Column("one_to_ones", Boolean, nullable=False, server_default="0"),
    info=REFERENCE,
)

invitations = Table(
    "invitations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "group_id", Integer, ForeignKey("community_groups.id", ondelete="CASCADE"), nullable=False
    ),
    Column("code_hash", String(100), nullable=False, unique=True),  # sha256 of a random code
    Column("role", String(20), nullable=False),
    Column("made_by", Integer, ForeignKey("accounts.id", ondelete="SET NULL")),
    Column("made_on", Date, nullable=False),
    Column("expires_on", Date, nullable=False),  # the last day it can be used
    Column("used_by", Integer, ForeignKey("accounts.id", ondelete="SET NULL")),
    Column("used_on", Date),
    info=REFERENCE,
)

# A contact a member shares, as vetted when shared (a snapshot: see docs/notes.md, #14).
# Distributed by the sharer's account, co-located with the person it came from.
shared_contacts = Table(
    "shared_contacts",
    metadata,
    _account(),  # the sharer
    Column("id", BigInteger, Identity()),  # numbered by PostgreSQL; group commands refuse SQLite
    *_person(),  # in the sharer's garden: forgetting them withdraws the share
    # With one member, or (null) with the whole group.
    Column("with_account_id", Integer, ForeignKey("accounts.id", ondelete="CASCADE")),
    Column("shared_on", Date, nullable=False),
    Column("contact", JSON, nullable=False),  # what core.share lets leave, nothing more
    PrimaryKeyConstraint("account_id", "id"),
    Index("ix_shared_contacts_person", "account_id", "person_id"),
    Index("ix_shared_contacts_with", "with_account_id"),
)

# A referral (givers gain): a lead one member passes to another. Distributed by the giver's
# account, like a share; the receiver (an account, a reference table) moves its status.
referrals = Table(
    "referrals",
    metadata,
    _account(),  # the giver
    Column("id", BigInteger, Identity()),  # numbered by PostgreSQL; group commands refuse SQLite
    Column("receiver_id", Integer, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("what", Text, nullable=False),
    Column("status", String(20), nullable=False),  # new | contacted | won | lost
    Column("value", Numeric(14, 2)),  # what the giver thinks the lead is worth, if said
    Column("created_on", Date, nullable=False),
    Column("updated_on", Date, nullable=False),
    # The thank-you for closed business: the value the receiver won, credited to the giver.
    Column("thanked_on", Date),
    Column("thank_you_value", Numeric(14, 2)),
    PrimaryKeyConstraint("account_id", "id"),
    Index("ix_referrals_receiver", "receiver_id"),
)

# A pairing round of one-to-ones, made by an organiser: one row a round, read by every member
# (a reference table, like members).
pairing_rounds = Table(
    "pairing_rounds",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "group_id", Integer, ForeignKey("community_groups.id", ondelete="CASCADE"), nullable=False
    ),
    Column("held_on", Date, nullable=False),
    Column("made_by", Integer, ForeignKey("accounts.id", ondelete="SET NULL")),
    # Who sat the round out (odd, and no trio new to all three): not the same one next time.
    Column("sat_out", Integer, ForeignKey("accounts.id", ondelete="SET NULL")),
    info=REFERENCE,
)

# One member's side of a one-to-one: each member of a pair has a row naming the other (a trio
# gives each of its three two rows). Distributed by the member's account; the partner's row
# is read by (partner_id as account_id, my account as partner_id, round). Feedback stays here,
# on its writer's row, and in its writer's garden: no one else reads it.
one_to_ones = Table(
    "one_to_ones",
    metadata,
    _account(),  # the member whose side this is
    Column("id", BigInteger, Identity()),  # numbered by PostgreSQL; group commands refuse SQLite
    Column(
        "round_id", Integer, ForeignKey("pairing_rounds.id", ondelete="CASCADE"), nullable=False
    ),
    Column("partner_id", Integer, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("shared", JSON, nullable=False),  # the interests the pair shares, in words
    Column("status", String(20), nullable=False),  # pending | met | no-show
    Column("met_on", Date),  # as this member says
    Column("recorded_on", Date),
    Column("feedback", Text),  # private to this member
    Column("logged", Boolean, nullable=False, server_default="0"),  # in this member's garden
    PrimaryKeyConstraint("account_id", "id"),
    Index("ix_one_to_ones_round", "round_id"),
    Index("ix_one_to_ones_partner", "partner_id"),
)

# A guest a member invites to a group meeting. Distributed by the inviter's account; a guest
# who came is planted in the inviter's garden as a seed.
visitors = Table(
    "visitors",
    metadata,
    _account(),  # the inviter
    Column("id", BigInteger, Identity()),
    Column("name", String(300), nullable=False),
    Column("email", String(300)),
    Column("meeting_on", Date, nullable=False),
    Column("status", String(20), nullable=False),  # invited | came | no-show
    Column("invited_on", Date, nullable=False),
    Column("marked_on", Date),
    PrimaryKeyConstraint("account_id", "id"),
)

# A notification in a member's inbox: something another member did that concerns them (a lead
# referred to them, a referral they gave moved or thanked, later intro requests, one-to-ones).
# Distributed by the notified member's account, so the inbox is one shard. What happened is
# data, never words: a `kind` code, the `parts` the words are made of at read time, and the
# object it is about (`subject` kind, its owner's account for per-account rows, its id).
notifications = Table(
    "notifications",
    metadata,
    _account(),  # the member notified
    Column("id", BigInteger, Identity()),
    Column("kind", String(40), nullable=False),  # e.g. referral_received, referral_moved
    Column("actor_id", Integer, ForeignKey("accounts.id", ondelete="SET NULL")),  # who did it
    Column("subject", String(40), nullable=False),  # the kind of object: referral, ...
    Column("subject_account_id", Integer, ForeignKey("accounts.id", ondelete="CASCADE")),
    Column("subject_id", BigInteger, nullable=False),
    Column("parts", JSON, nullable=False),  # {"what": ..., "status": ...}: data, not words
    Column("created_on", Date, nullable=False),
    Column("read_on", Date),  # None while unread
    PrimaryKeyConstraint("account_id", "id"),
    Index("ix_notifications_account_read", "account_id", "read_on"),
)

# The fields a member publishes to the group's directory (name is always shown): one row per
# published field; a field with no row is hidden. Small and read by every member: a reference
# table. The values are read live from the member's own "me" (see app/profiles.py for why).
profile_fields = Table(
    "profile_fields",
    metadata,
    Column("account_id", Integer, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("field", String(20), nullable=False),  # interests | offers | needs | emails
    PrimaryKeyConstraint("account_id", "field"),
    info=REFERENCE,
)

# An intro request along a warm path (issue 15): the requester's row, distributed by their
# account like a referral. `steps` are the members asked in turn (core/intro_requests.Step);
# `waiting_on` is whoever must answer now (an account, a reference table), null once closed.
intro_requests = Table(
    "intro_requests",
    metadata,
    _account(),  # the requester
    Column("id", BigInteger, Identity()),  # numbered by PostgreSQL; group commands refuse SQLite
    Column("target_name", String(300), nullable=False),
    Column("reason", Text, nullable=False),
    Column("steps", JSON, nullable=False),
    Column("step", Integer, nullable=False),  # index into steps of the one who answers now
    Column("waiting_on", Integer, ForeignKey("accounts.id", ondelete="CASCADE")),
    Column("status", String(20), nullable=False),  # open | made | closed (expired: by date)
    Column("notes", JSON, nullable=False),  # each introducer's note, as forwarded
    Column("details", JSON),  # the contact details exchanged when the target accepted
    Column("made_on", Date, nullable=False),
    Column("expires_on", Date, nullable=False),
    Column("closed_on", Date),
    PrimaryKeyConstraint("account_id", "id"),
    Index("ix_intro_requests_waiting_on", "waiting_on"),
)
