"""The notifications inbox: what other members did that concerns me.

Another use case notifies inside its own transaction (`notify(conn, ...)`), so a notification
exists exactly when what it tells of does. The inbox shows my unread notifications and marks
those shown read, as a mail reader does: what I have seen does not come back, and what
arrives while I read stays unread. `peek` shows without marking (for scripts that poll);
`everything` shows the read ones too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from kith.app import community
from kith.app.garden import Garden
from kith.core.notices import Link, invalid_parts, valid_kind, words
from kith.store import Connection
from kith.store import notifications as store

INBOX_LIMIT = 200  # the newest shown at once; older unread ones wait for the next look

__all__ = ["INBOX_LIMIT", "InboxView", "Link", "NotificationView", "inbox", "notify"]


@dataclass(frozen=True)
class NotificationView:
    """One notification: what happened (its kind, the words for it), who did it, about what."""

    id: int
    kind: str
    words: str
    actor: str | None  # the member who acted; None if their account is gone
    subject: str  # the kind of object it is about: referral, ...
    subject_id: int
    created_on: date
    unread: bool  # unread before this look at the inbox
    parts: dict[str, str] = field(default_factory=dict)  # the values the words are made of


@dataclass(frozen=True)
class InboxView:
    """The notifications shown, and how many are still unread after this look."""

    notifications: list[NotificationView]
    unread_left: int


def notify(
    conn: Connection,
    *,
    to: int,
    kind: str,
    about: Link,
    parts: Mapping[str, str],
    actor: int | None,
    today: date,
) -> int | None:
    """Notify the member `to` of `kind` about an object, inside the caller's transaction.

    `kind` is a code (see `kith.core.notices.WORDS` for the words of each); `parts` are the
    values the words are made of, never the words themselves. Nobody is notified of what
    they did themselves (None then); else the notification's id.
    """
    if not valid_kind(kind) or not valid_kind(about.subject):
        raise ValueError(f"a notification's kind and subject are codes, not {kind!r}")
    if invalid_parts(parts):
        raise ValueError(f"a notification's parts cannot be kept: {invalid_parts(parts)}")
    if actor is not None and actor == to:
        return None
    return store.add(
        conn,
        to,
        kind=kind,
        actor_id=actor,
        subject=about.subject,
        subject_account_id=about.owner,
        subject_id=about.id,
        parts=parts,
        today=today,
    )


def inbox(garden: Garden, *, everything: bool = False, peek: bool = False) -> InboxView:
    """My notifications, newest first: the unread (or all), marked read once shown."""
    with garden.reading() if peek else garden.transaction() as conn:
        me = community.acting_member(conn, garden)
        rows = store.inbox(conn, me.account_id, unread_only=not everything, limit=INBOX_LIMIT)
        if not peek:
            unread = [r.id for r in rows if r.read_on is None]
            store.mark_read(conn, me.account_id, unread, garden.today)
        left = store.unread_count(conn, me.account_id)
    return InboxView([_view(r) for r in rows], left)


def _view(row: store.NotificationRow) -> NotificationView:
    parts = {str(k): str(v) for k, v in row.parts.items()}
    return NotificationView(
        row.id,
        row.kind,
        words(row.kind, row.actor, parts),
        row.actor,
        row.subject,
        row.subject_id,
        row.created_on,
        row.read_on is None,
        parts,
    )
