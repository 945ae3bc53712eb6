"""Every constant of kith's judgement, in one place, with where it comes from.

The numbers start from DESIGN.md's defaults and the literature it cites; each field says
why it has the value it has. A user can override any of them from the `[rules]` table of
the config file: `Rules().with_overrides(table)` checks names and types and says which key
is wrong.

Sources:
- Gilbert & Karahalios 2009, "Predicting tie strength with social media": recency (days
  since last contact) and duration (days since first contact) are the strongest predictors;
  intensity, intimacy and reciprocal services follow.
- Burt 2000, "Decay functions": new ties decay fastest; ties that survive their first
  years decay much more slowly.
- Roberts & Dunbar 2011, 2015: emotional closeness fades within months without contact.
- Dunbar's layers (5 / 15 / 50 / 150): contact about weekly, monthly, quarterly, yearly.
- Levin, Walter & Murnighan 2011, "Dormant ties": reconnecting brings trust and new
  information, so a quiet strong tie is revived, never weeded.
- Granovetter 1973, "The strength of weak ties": weak ties carry most job leads, so a low
  score alone is never a reason to weed.
- Flynn & Lake 2008, "If you need help, just ask": people underestimate by up to half how
  often others agree to a direct request, so asks are gated on reciprocity and recency,
  not on a high strength threshold.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kith.core.model import InteractionKind


@dataclass(frozen=True)
class Rules:
    """Every constant behind the judgements, each with its source; the config overrides them."""

    # --- Interaction weights: intensity and intimacy (Gilbert & Karahalios 2009). Face time
    # and a shared meal are the most intimate, a call next; a message or email is light; a
    # group event is mostly presence, and small talk is the spark, not yet a relationship.
    weight_meal: float = 3.5
    weight_meeting: float = 3.0
    weight_call: float = 2.0
    weight_event: float = 1.5
    weight_email: float = 1.0
    weight_message: float = 1.0
    weight_small_talk: float = 0.5

    # --- Decay (Burt 2000; Roberts & Dunbar 2011). Facts.decayed holds one decayed sum per
    # half-life; a tie known for at least half_life_from_days[i] days uses half_lives[i].
    # ~90 days for a young professional tie, longer once it has lasted a year or three.
    half_lives: tuple[float, ...] = (90.0, 180.0, 365.0)
    half_life_from_days: tuple[int, ...] = (0, 365, 1095)

    # --- Strength: a saturating sum, 1 - exp(-decayed / saturation). With 6.0, two recent
    # meetings give ~0.63 of the intensity part; more adds less and less.
    strength_saturation: float = 6.0
    # The parts of strength, summing to 1: intensity and recency dominate (G&K 2009),
    # then two-way initiation, reciprocal services (exchanges) and duration.
    strength_part_intensity: float = 0.55
    strength_part_two_way: float = 0.15
    strength_part_exchanges: float = 0.15
    strength_part_duration: float = 0.15
    # Initiations by the less active side at which initiation counts as fully two-way.
    two_way_full_at: int = 3
    # Exchanges (either way) at which reciprocal services saturate (1 - 1/e).
    exchanges_saturation: float = 3.0
    # Days known at which duration counts in full: about a year (G&K 2009).
    duration_full_days: int = 365

    # --- Trust: Beta reputation (Jøsang & Ismail 2002; subjective logic). Evidence for (r)
    # and against (s) gives expected trust (r + a·W) / (r + s + W) and uncertainty
    # W / (r + s + W), with the prior weight W = 2 and a base rate a. Time alone earns
    # nothing: positive evidence fades with trust_half_life (Burt 2000: ties decay), while
    # evidence against stays until something happens (an answer ends a run of unanswered
    # outreach, `forgive` mends a breach), so waiting never raises trust.
    # The base rate is what a stranger is trusted before any evidence: low, because trust
    # is earned (DESIGN.md), but not zero: most people help when asked (Flynn & Lake 2008).
    trust_base_rate: float = 0.15
    trust_prior_weight: float = 2.0
    # Trust once earned fades more slowly than closeness: ties that survive their first
    # years decay much more slowly (Burt 2000), so two years, twice strength's longest.
    trust_half_life: float = 730.0
    # Evidence for, in units of one "observation" of good faith. A contact in which they took
    # part is a little; one they started is more (they invest in the tie: G&K 2009's
    # reciprocity); help they gave counts per weight point; an ask of mine they honoured is
    # a full observation of trustworthiness.
    trust_per_contact: float = 0.25
    trust_per_their_contact: float = 0.4
    trust_per_received_point: float = 0.5
    trust_per_ask_yes: float = 1.0
    # Evidence against. A breach not made right weighs like four good deeds; made right
    # (`kith forgive`) it still weighs half, so trust recovers but stays below a tie that was
    # never breached. An ask of mine they ignored, each outreach of the current unanswered
    # run, and each pitch of theirs before the relationship could carry it count too.
    trust_per_open_breach: float = 4.0
    trust_per_mended_breach: float = 2.0
    trust_per_ask_ignored: float = 1.0
    trust_per_unanswered: float = 0.5
    trust_per_premature_pitch: float = 1.0
    # How much evidence (r + s) is "little" (uncertainty above 1/2) or "much" (below 1/4).
    trust_little_evidence: float = 2.0
    trust_much_evidence: float = 6.0

    # --- Lifecycle thresholds (DESIGN.md defaults).
    # Seed: known under about a month, or fewer than three contacts in which they took part.
    seed_days: int = 30
    seed_min_contacts: int = 3
    # Trusted: known several months, several contacts, both sides initiate, I have given.
    trusted_min_days: int = 120
    trusted_min_contacts: int = 6
    trusted_min_each_side: int = 1
    trusted_min_given: int = 1
    trusted_min_trust: float = 0.5
    # Dormant: a grown tie quiet for this many cadences (Roberts & Dunbar: closeness fades
    # within months). Revive it (Levin, Walter & Murnighan 2011).
    dormant_after_cadences: int = 3
    # Weed: a one-sided taker, an unresolved breach younger than breach_recent_days, or this
    # many unanswered outreaches in a row (only for ties that never grew: a strong tie gone
    # quiet is dormant, never a weed).
    # A taker is judged on the weighted ledger, never on "ever gave back" (a token favour
    # does not clear a taker, DESIGN.md): after at least taker_min_given gifts, when they
    # returned at most taker_max_return of the weight I gave and the balance is at least
    # taker_min_balance points. Or they ask and pitch without giving: at least
    # taker_min_asks asks and pitches, more than taker_max_asks_per_gift for each time
    # they gave.
    taker_min_given: int = 3
    taker_max_return: float = 0.25
    taker_min_balance: int = 3
    taker_min_asks: int = 3
    taker_max_asks_per_gift: float = 2.0
    breach_recent_days: int = 365
    unanswered_weed_streak: int = 3

    # --- Cadence in days (Dunbar's layers: week / month / quarter / year). Short right after
    # the first meeting (the biggest step is from the first meeting to the second), longer as
    # trust grows. A person's own cadence override wins.
    cadence_new_seed: int = 7
    cadence_seed: int = 30
    cadence_stale_seed: int = 365
    seed_stale_after_days: int = 90
    cadence_growing: int = 30
    cadence_trusted: int = 90

    # --- Asking (Flynn & Lake 2008; DESIGN.md). Small asks are fine from early on; medium
    # asks need a growing tie in which I have given; large asks and any pitch need trust, a
    # balance in my favour or roughly even, and none of my asks still open.
    ask_medium_min_given: int = 1
    # Open asks of mine a new ask may sit beside: one small one, but a medium or large ask
    # waits for the answer to the last (two requests at once read as taking).
    ask_small_max_open: int = 1
    ask_max_open: int = 0
    # "Roughly even" for a large ask: the balance may be in their favour by up to
    # ask_even_points points, or ask_even_share of all help exchanged, whichever is larger.
    # A long friendship's ledger is never exactly even, and gating a trusted tie on -1 is
    # the over-gating Flynn & Lake 2008 warn against (people agree more than we expect).
    ask_even_points: int = 2
    ask_even_share: float = 0.2

    # --- The mirror ("me, first"): over the recent window, warn when my asks outnumber my
    # gifts by more than this ratio, once I have asked at least mirror_min_asks times.
    mirror_days: int = 180
    mirror_max_asks_per_gift: float = 1.0
    mirror_min_asks: int = 2

    def contact_evidence(self, by_them: bool) -> float:
        """Trust evidence of one contact: more when they reached out."""
        return self.trust_per_their_contact if by_them else self.trust_per_contact

    def weight(self, kind: InteractionKind) -> float:
        """The intensity weight of one interaction of this kind."""
        return float(getattr(self, "weight_" + kind.value.replace("-", "_")))

    def half_life_index(self, known_days: int) -> int:
        """Which of `half_lives` fits a tie known for `known_days` days."""
        index = 0
        for i, start in enumerate(self.half_life_from_days):
            if known_days >= start:
                index = i
        return index

    def with_overrides(self, overrides: Mapping[str, object]) -> Rules:
        """A copy with `overrides` applied; raises ValueError naming any bad key or value."""
        names = {f.name: f for f in dataclasses.fields(self)}
        hints = typing.get_type_hints(Rules)
        changes: dict[str, Any] = {}
        for key, value in overrides.items():
            if key not in names:
                raise ValueError(f"rules: unknown setting {key!r}")
            changes[key] = _coerce(key, value, hints[key])
        result = dataclasses.replace(self, **changes)
        result.validate()
        return result

    def validate(self) -> None:
        """Raise ValueError if the settings contradict each other."""
        if not self.half_lives or len(self.half_lives) != len(self.half_life_from_days):
            raise ValueError("rules: half_lives and half_life_from_days need the same length")
        if any(h <= 0 for h in self.half_lives):
            raise ValueError("rules: half_lives must be positive")
        if self.half_life_from_days[0] != 0 or list(self.half_life_from_days) != sorted(
            self.half_life_from_days
        ):
            raise ValueError("rules: half_life_from_days must start at 0 and ascend")
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, int | float) and value < 0:
                raise ValueError(f"rules: {f.name} must not be negative")
        if self.strength_saturation <= 0 or self.exchanges_saturation <= 0:
            raise ValueError("rules: saturation constants must be positive")
        if not 0 < self.trust_base_rate < 1:
            raise ValueError("rules: trust_base_rate must be between 0 and 1")
        if self.trust_prior_weight <= 0 or self.trust_half_life <= 0:
            raise ValueError("rules: trust_prior_weight and trust_half_life must be positive")


def _coerce(key: str, value: object, hint: object) -> object:
    """Check one override against its field's type; ints are welcome where floats are."""
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"rules: {key} must be a whole number, not {value!r}")
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"rules: {key} must be a number, not {value!r}")
        return float(value)
    if typing.get_origin(hint) is tuple:
        (item,) = {a for a in typing.get_args(hint) if a is not Ellipsis}
        if not isinstance(value, list | tuple):
            raise ValueError(f"rules: {key} must be a list of numbers, not {value!r}")
        return tuple(_coerce(key, v, item) for v in value)
    raise ValueError(f"rules: {key} cannot be overridden")  # pragma: no cover


DEFAULT_RULES = Rules()
