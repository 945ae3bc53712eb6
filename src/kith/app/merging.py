"""`kith merge A B`: two records of one person become one, histories and all."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from kith.app import inputs
from kith.app.errors import InvalidInput
from kith.app.garden import Garden
from kith.core.dedup import changed_fields, combine
from kith.core.wording import plural
from kith.store import bulk, dedup_index, merges

# Lists move as rows (set-based UPDATEs); only these fields are filled from B.
_FILLED = ("company", "title", "met_where", "met_on", "note", "uid", "via_id")


@dataclass(frozen=True)
class Merged:
    """What merging B into A filled, moved and dropped."""

    kept_id: int
    kept: str
    gone_id: int
    gone: str
    filled: list[str]  # A's fields that were empty and came from B (met_on: the earlier)
    moved: dict[str, int]  # rows moved from B to A, per kind
    # rows deleted because they meant nothing once A and B are one: their intros to each
    # other ("intros") and the gifts those intros were ("intro gifts")
    dropped: dict[str, int] = field(default_factory=dict)

    @property
    def notes(self) -> list[str]:
        """What the merge dropped, said in words."""
        intros, gifts = self.dropped.get("intros", 0), self.dropped.get("intro gifts", 0)
        if not intros:
            return []
        one = intros == 1
        what = "the introduction" if one else plural(intros, "introduction")
        gifts_words = plural(gifts, "intro gift")
        gone = f", with {'its' if one else 'their'} {gifts_words}," if gifts else ""
        verb = "was" if one else "were"
        return [f"{what} between {self.kept} and {self.gone}{gone} {verb} dropped"]


def merge(garden: Garden, first: str, second: str) -> Merged:
    """Merge B into A: A keeps its name, state and cadence; B's history moves; B goes."""
    account = garden.account_id
    with garden.transaction() as conn:
        keep = inputs.resolve(conn, account, first)
        gone = inputs.resolve(conn, account, second)
        if keep == gone:
            raise InvalidInput("person", f"{first!r} and {second!r} are the same person")
        drafts = dedup_index.load_drafts(conn, account, [keep, gone])
        kept, other = drafts[keep], drafts[gone]
        after = combine(kept, other)
        if after.via_id in (keep, gone):
            after = replace(after, via_id=kept.via_id)  # nobody is introduced through themselves
        filled = [name for name in changed_fields(kept, after) if name in _FILLED]
        bulk.update_fields(conn, account, {keep: {n: getattr(after, n) for n in filled}})
        intros, gifts = merges.drop_intros_between(conn, account, keep, gone)
        moved = merges.merge_people(conn, account, keep, gone)
        dropped = {"intros": intros, "intro gifts": gifts} if intros else {}
        return Merged(keep, kept.name, gone, other.name, filled, moved, dropped)
