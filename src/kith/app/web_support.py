"""What the web app needs beyond the CLI's actions.

Search, previews, the network graph, the dashboard's figures, and the garden's API token and
login password.

Every function here is one read or one transaction, like the rest of `kith.app`, so that
routes stay a few lines that call this module and render.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import itertools
import secrets
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import rustworkx as rx
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, text, update

from kith.app import inputs, judging, nurture, reports, sessions
from kith.app.errors import InvalidInput
from kith.app.garden import Garden
from kith.core.feed import FeedItem
from kith.core.identity import name_key
from kith.core.lifecycle import Verdict
from kith.core.model import Person, PersonState, Stage
from kith.core.stats import Stats
from kith.core.tag_filter import has_tag
from kith.core.tags import Vocabulary, load_vocabulary
from kith.io.csv_export import write_people_csv
from kith.store import people as people_store
from kith.store import sessions as sessions_store
from kith.store.tables import accounts, intros, people

SEARCH_LIMIT = 200  # a page of people; the filters narrow a big garden down
NETWORK_LIMIT = 600  # nodes drawn on the map; past that a graph is a hairball
PASSWORD_MIN_LENGTH = 10
TOKEN_BYTES = 32  # 256 bits of randomness: a plain SHA-256 of it cannot be brute-forced


# --- people: search, filters and bulk actions -------------------------------------------


@dataclass(frozen=True)
class PersonRow:
    """One row of the people page."""

    id: int
    name: str
    stage: Stage
    company: str | None
    balance: int
    interests: tuple[str, ...]


@dataclass(frozen=True)
class Filters:
    """The people page's search and filters; empty means any."""

    query: str = ""
    stage: str = ""
    interest: str = ""
    need: str = ""
    offer: str = ""


def _matches(person: Person, filters: Filters, vocab: Vocabulary) -> bool:
    """Whether a person matches the filters of the people page.

    The query is words of the name, company or emails; the tags follow the tag rules, as the
    CLI's do ("bouldering" finds "rock climbing", "ML" finds "machine learning").
    """
    words = name_key(filters.query).split()
    haystack = name_key(" ".join([person.name, person.company or "", *person.emails]))
    return (
        all(word in haystack for word in words)
        and (not filters.interest.strip() or has_tag(person.interests, filters.interest, vocab))
        and (not filters.need.strip() or has_tag(person.needs, filters.need, vocab))
        and (not filters.offer.strip() or has_tag(person.offers, filters.offer, vocab))
    )


def search_people(
    garden: Garden, filters: Filters, limit: int = SEARCH_LIMIT
) -> tuple[list[PersonRow], int]:
    """People matching every filter (pruned ones only when asked for), and how many matched."""
    wanted = inputs.choice("stage", filters.stage, Stage) if filters.stage else None
    states = [PersonState.PRUNED] if wanted is Stage.PRUNED else [PersonState.ACTIVE]
    vocab = load_vocabulary()
    with garden.reading() as conn:
        found = [
            p
            for p in people_store.load_people(conn, garden.account_id, states=states)
            if _matches(p, filters, vocab)
        ]
        # Judging is the costly part: without a stage filter, judge only the page shown.
        judged = found if wanted else found[:limit]
        verdicts = judging.judge_people(conn, garden, judged)
    rows = [_row(p, verdicts[p.id]) for p in judged]
    rows = [row for row in rows if wanted is None or row.stage is wanted]
    return rows[:limit], len(rows) if wanted else len(found)


def _row(person: Person, verdict: Verdict) -> PersonRow:
    return PersonRow(
        person.id, person.name, verdict.stage, person.company, verdict.balance, person.interests
    )


def export_csv(garden: Garden, ids: Sequence[int]) -> str:
    """The chosen people as spreadsheet-safe CSV (private notes stay behind)."""
    if not ids:
        raise InvalidInput("ids", "choose at least one person")
    with garden.reading() as conn:
        chosen = people_store.load_people(conn, garden.account_id, ids=list(ids))
    out = io.StringIO(newline="")
    write_people_csv(chosen, out)
    return out.getvalue()


# --- share preview ----------------------------------------------------------------------


@dataclass(frozen=True)
class SharePreview:
    """Who a share file would hold at a stage, and who would be held back and why."""

    min_stage: Stage
    shared: list[str]
    held_back: list[dict[str, str]]


def share_preview(garden: Garden, min_stage: str = "trusted") -> SharePreview:
    """Who `kith share` would export and who it would hold back, and why; nothing written."""
    stage = reports.share_stage(min_stage)
    with garden.reading() as conn:
        contacts, held = reports.vetted(conn, garden, stage)
    return SharePreview(stage, [str(contact["name"]) for contact in contacts], held)


# --- the dashboard ----------------------------------------------------------------------

BALANCE_BINS = (-10, -5, -2, -1, 0, 1, 2, 5, 10)  # edges of the reciprocity histogram


@dataclass(frozen=True)
class Dashboard:
    """The dashboard: today's feed, the stats and the balance histogram."""

    feed: list[FeedItem]
    stats: Stats
    balances: dict[str, int]  # histogram label -> people


def dashboard(garden: Garden, feed_limit: int) -> Dashboard:
    """Feed, stats and balances from one judgement of the whole garden."""
    with garden.reading() as conn:
        everyone = people_store.load_people_to_judge(conn, garden.account_id)
        judged = judging.judged(conn, garden, everyone, topics=False)
        return Dashboard(
            feed=nurture.feed_from(conn, garden, judged, feed_limit),
            stats=reports.stats_from(conn, garden, judged),
            balances=bin_balances(
                verdict.balance
                for person, _, verdict in judged
                if person.state is PersonState.ACTIVE
            ),
        )


def bin_balances(balances: Iterable[int]) -> dict[str, int]:
    """How many people fall in each band of reciprocity balance, labelled for a chart."""
    labels = [f"≤ {BALANCE_BINS[0]}"]
    labels += [f"{lo + 1}…{hi}" if hi - lo > 1 else str(hi) for lo, hi in _pairs()]
    labels.append(f"> {BALANCE_BINS[-1]}")
    counts: Counter[str] = Counter()
    for value in balances:
        counts[labels[_bin(value)]] += 1
    return {label: counts[label] for label in labels}


def _pairs() -> list[tuple[int, int]]:
    return list(itertools.pairwise(BALANCE_BINS))


def _bin(value: int) -> int:
    for index, edge in enumerate(BALANCE_BINS):
        if value <= edge:
            return index
    return len(BALANCE_BINS)


def garden_version(garden: Garden) -> str:
    """Changes whenever anyone (this server, the CLI, another process) writes the garden.

    SQLite writes land in the database file or its write-ahead log, so their sizes and
    modification times are a free fingerprint; on PostgreSQL the write-ahead log position
    moves on every commit in the cluster, which over-invalidates but never misses a write.
    """
    url = garden.engine.url
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        parts = []
        for suffix in ("", "-wal"):
            try:
                stat = Path(f"{url.database}{suffix}").stat()
            except FileNotFoundError:
                parts.append("-")
                continue
            parts.append(f"{stat.st_size}:{stat.st_mtime_ns}")
        return "/".join(parts)
    if url.get_backend_name() == "postgresql":
        with garden.reading() as conn:
            return str(conn.execute(text("SELECT pg_current_wal_lsn()")).scalar_one())
    return secrets.token_hex(8)  # unknown database: never reuse a cached figure


# --- the network map --------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    """A person on the network map, with their place."""

    id: int
    name: str
    stage: Stage
    x: float
    y: float


@dataclass(frozen=True)
class Edge:
    """A line on the network map: an introduction to me, or one I made."""

    source: int
    target: int
    kind: str  # "introduced" (source introduced target to me) or "intro" (I introduced them)
    state: str = ""


@dataclass(frozen=True)
class Network:
    """The network map: who introduced whom, laid out."""

    nodes: list[Node]
    edges: list[Edge]
    left_out: int  # connected people beyond NETWORK_LIMIT, not drawn


def network(garden: Garden, limit: int = NETWORK_LIMIT) -> Network:
    """Who introduced whom to me, and the intros I made, laid out as a graph."""
    account = garden.account_id
    with garden.reading() as conn:
        via = conn.execute(
            select(people.c.via_id, people.c.id).where(
                people.c.account_id == account, people.c.via_id.is_not(None)
            )
        ).all()
        made = conn.execute(
            select(intros.c.a_id, intros.c.b_id, intros.c.state).where(
                intros.c.account_id == account
            )
        ).all()
        edges = [Edge(int(a), int(b), "introduced") for a, b in via]
        edges += [Edge(int(a), int(b), "intro", str(state)) for a, b, state in made]
        degree: Counter[int] = Counter()
        for edge in edges:
            degree.update((edge.source, edge.target))
        chosen = {pid for pid, _ in degree.most_common(limit)}
        shown = people_store.load_people(conn, account, ids=sorted(chosen)) if chosen else []
        verdicts = judging.judge_people(conn, garden, shown)
    edges = [e for e in edges if e.source in chosen and e.target in chosen]
    positions = _layout([p.id for p in shown], edges)
    nodes = [
        Node(p.id, p.name, verdicts[p.id].stage, *positions.get(p.id, (0.0, 0.0))) for p in shown
    ]
    return Network(nodes, edges, max(0, len(degree) - len(chosen)))


def _layout(ids: list[int], edges: list[Edge]) -> dict[int, tuple[float, float]]:
    """A force-directed layout (rustworkx), seeded so the map does not jump between visits."""
    graph: rx.PyGraph = rx.PyGraph()
    index = {pid: graph.add_node(pid) for pid in ids}
    graph.add_edges_from_no_data([(index[e.source], index[e.target]) for e in edges])
    if not ids:
        return {}
    positions = rx.spring_layout(graph, seed=7, num_iter=100)
    return {graph[i]: (float(xy[0]), float(xy[1])) for i, xy in positions.items()}


# --- the API token and the login password -----------------------------------------------


def _hash_token(token: str) -> str:
    # The token is 256 random bits, so a fast hash is safe and keeps each API call cheap;
    # argon2 is for passwords, which people choose and attackers can guess.
    return "sha256:" + hashlib.sha256(token.encode()).hexdigest()


def has_token(garden: Garden) -> bool:
    """Whether the garden has an API token."""
    return _account_value(garden, accounts.c.api_token_hash) is not None


def rotate_token(garden: Garden) -> str:
    """A new API token for this garden; only its hash is kept, so show it once."""
    token = "kith_" + secrets.token_urlsafe(TOKEN_BYTES)
    _set_account_value(garden, api_token_hash=_hash_token(token))
    return token


def check_token(garden: Garden, token: str) -> bool:
    """Whether `token` is the garden's API token (compared in constant time)."""
    stored = _account_value(garden, accounts.c.api_token_hash)
    return stored is not None and hmac.compare_digest(stored, _hash_token(token))


def has_password(garden: Garden) -> bool:
    """Whether the garden has a login password."""
    return _account_value(garden, accounts.c.password_hash) is not None


def set_password(garden: Garden, password: str, now: datetime | None = None) -> int:
    """Set the login password and end every web session at once; how many it ended."""
    if len(password) < PASSWORD_MIN_LENGTH:
        raise InvalidInput("password", f"use at least {PASSWORD_MIN_LENGTH} characters")
    hashed = PasswordHasher().hash(password)
    at = sessions.naive_utc(now or sessions.utc_now())
    with garden.transaction() as conn:
        return sessions_store.replace_password(conn, garden.account_id, hashed, at)


def check_password(garden: Garden, password: str) -> bool:
    """Whether `password` is the garden's login password."""
    stored = _account_value(garden, accounts.c.password_hash)
    if stored is None:
        return False
    try:
        return PasswordHasher().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def _account_value(garden: Garden, column: object) -> str | None:
    with garden.reading() as conn:
        value = conn.execute(
            select(column).where(accounts.c.id == garden.account_id)  # type: ignore[call-overload]
        ).scalar_one_or_none()
    return None if value is None else str(value)


def _set_account_value(garden: Garden, **values: str) -> None:
    with garden.transaction() as conn:
        conn.execute(update(accounts).where(accounts.c.id == garden.account_id).values(**values))
