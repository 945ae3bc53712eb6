"""The JSON API's request models, and the responses not shaped in `kith.app`.

The answers the CLI shares (a profile, the list, feed, weed, ask, intros, me, starters) are
the view models of `kith.app` (`person_views`, `garden_views`, `match_views`), so the two
shells cannot disagree. Examples appear in /openapi.json.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, get_type_hints

from pydantic import BaseModel, ConfigDict, Field, create_model, model_validator

from kith.app import people
from kith.app.result_views import HeldBack
from kith.core import limits
from kith.core.model import PersonDraft
from kith.web.deps import FormId

Tags = list[str]


def _clean_text(value: Any) -> Any:
    """Refuse what no database stores as text: NUL characters and lone surrogates."""
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError("text must not contain NUL characters")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("text must be valid Unicode") from None
    elif isinstance(value, list | tuple):
        for item in value:
            _clean_text(item)
    elif isinstance(value, dict):
        for item in value.values():
            _clean_text(item)
    return value


class Body(BaseModel):
    """A request body: unknown keys are refused, and so is text no database can store."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _text(cls, data: Any) -> Any:
        return _clean_text(data)


def _example(**values: Any) -> ConfigDict:
    return ConfigDict(extra="forbid", json_schema_extra={"examples": [values]})


class PersonRef(BaseModel):
    id: int
    name: str


class ErrorOut(BaseModel):
    error: str
    field: str | None = None
    candidates: list[PersonRef] | None = Field(
        default=None,
        description="Who is meant: the people an ambiguous reference could be (409), the"
        " closest names to one that named nobody (404), or who is already in the garden"
        " for a seed refused as a duplicate (409).",
    )


def _as_given(name: str, hint: Any) -> Any:
    """The JSON type a record's field is given as: lists for tuples, text for what the app reads."""
    if hint == tuple[str, ...]:
        return list[str]
    return str | None if name in people.SEED_AS_TEXT else hint


# What each field may hold, from `core.limits` (the rule every door applies, so the schema
# tells an API client what a seed from the CLI would refuse), and how to give it.
_LIMITS: dict[str, dict[str, Any]] = {
    "name": {"max_length": limits.NAME},
    "company": {"max_length": limits.COMPANY},
    "title": {"max_length": limits.TITLE},
    "met": {"max_length": limits.MET_WHERE},
    "note": {"max_length": limits.NOTE},
    **{
        many: {"max_length": limits.LIST_ITEMS}
        for many in ("emails", "phones", "links", "interests", "needs", "offers")
    },
    "on": {"description": "YYYY-MM-DD, today, yesterday, '3 days ago'"},
    "via": {"description": "Who introduced you: a name, email or #ID"},
    "cadence": {"description": f"Days between contacts, {limits.CADENCE[0]}–{limits.CADENCE[1]}"},
    "birthday": {"description": "YYYY-MM-DD; the feed reminds you on the day"},
}


def _seed_fields() -> dict[str, Any]:
    """SeedIn's fields, one for each field of the person's record that a seed takes."""
    hints = get_type_hints(PersonDraft)
    made: dict[str, Any] = {}
    for item in dataclasses.fields(PersonDraft):
        if item.name in people.NOT_SEEDED:
            continue
        name = people.SEED_NAMES.get(item.name, item.name)
        default = [] if item.default == () else item.default
        if item.default is dataclasses.MISSING:
            default = ...
        made[name] = (
            _as_given(item.name, hints[item.name]),
            Field(default=default, **_LIMITS.get(name, {})),
        )
    made["new"] = (
        bool,
        Field(
            default=False,
            description="Another person of a name already in the garden; without it such a"
            " seed is refused with 409 naming who is there. An email already there is refused"
            " even with it (an email names one person).",
        ),
    )
    return made


def _edit_fields() -> dict[str, Any]:
    """EditIn's fields: those of `people.Edit`, the one change both the CLI and the API make."""
    hints = get_type_hints(people.Edit)
    made: dict[str, Any] = {}
    for item in dataclasses.fields(people.Edit):
        hint = hints[item.name]
        given = list[str] if hint == tuple[str, ...] else hint
        default = [] if item.default == () else item.default
        limits = {k: v for k, v in _LIMITS.get(item.name, {}).items() if k == "max_length"}
        made[item.name] = (given, Field(default=default, **limits))
    return made


class _Seed(Body):
    model_config = _example(
        name="Ana Ruiz", emails=["ana@example.org"], met="PyCon", interests=["rock climbing"]
    )


class _Edit(Body):
    model_config = _example(add_needs=["a UX designer"], consent_share=True, cadence=21)


if TYPE_CHECKING:  # the checker sees the bases; the fields are made from the declarations
    SeedIn = _Seed
    EditIn = _Edit
else:
    SeedIn = create_model("SeedIn", __base__=_Seed, **_seed_fields())
    EditIn = create_model("EditIn", __base__=_Edit, **_edit_fields())


class LogIn(Body):
    model_config = _example(kind="meeting", by="them", topics=["bouldering"])
    kind: str = Field(description="small-talk, message, email, call, meeting, meal or event")
    on: str | None = None
    by: str = Field(default="me", description="me or them")
    unanswered: bool = False
    topics: Tags = Field(default=[], max_length=50)
    note: str | None = Field(default=None, max_length=10000)


class QuickIn(Body):
    model_config = _example(text="met Ana Ruiz at PyCon, talked about climbing")
    text: str = Field(
        max_length=2000,
        description="A line as you would say it: 'coffee with Noah', 'met Ana at PyCon'",
    )
    on: str | None = Field(default=None, description="Overrides the date in the text")


class ExchangeIn(Body):
    model_config = _example(what="reviewed her CV", kind="advice", weight=3)
    what: str = Field(max_length=2000)
    kind: str = Field(default="favor", description="advice, intro, referral, resource, ...")
    weight: int = Field(default=1, description="1 (a small kindness) to 5")
    on: str | None = None


class BreachIn(Body):
    model_config = _example(what="shared my deck without asking")
    what: str = Field(max_length=2000)
    on: str | None = None


class ForgiveIn(Body):
    model_config = _example(what="apologised and made the intro after all")
    what: str = Field(max_length=2000, description="What they did to make it right")
    on: str | None = None


class TheirAskIn(Body):
    model_config = _example(what="an intro to my investor", pitch=False)
    what: str = Field(max_length=2000, description="What they asked of me, or pitched me")
    pitch: bool = Field(default=False, description="They were selling their product or service")
    on: str | None = None


class TheirAskOut(BaseModel):
    id: int
    pitch: bool
    premature: bool


class AskIn(Body):
    model_config = _example(what="a meeting to demo my product", pitch=True, check_only=True)
    what: str = Field(max_length=2000)
    size: str = Field(default="small", description="small, medium or large")
    pitch: bool = False
    check_only: bool = False
    force: bool = Field(default=False, description="Record it even if premature")


class OutcomeIn(Body):
    model_config = _example(outcome="yes")
    outcome: str = Field(description="yes, no or ignored")
    on: str | None = None


class PruneIn(Body):
    model_config = _example(reason="only ever sells")
    reason: str | None = Field(default=None, max_length=2000)


class SnoozeIn(Body):
    model_config = _example(days=7)
    days: int = 7


class ItemOut(BaseModel):
    id: int
    kind: str


class SharePreviewOut(BaseModel):
    min_stage: str
    shared: int
    names: list[str]
    held_back: list[HeldBack]


# --- me, starters, introductions, merging --------------------------------------------------


class MeIn(Body):
    model_config = _example(interests=["bouldering"], needs=["a UX designer"], remove=["golf"])
    interests: Tags = Field(default=[], max_length=100)
    needs: Tags = Field(default=[], max_length=100)
    offers: Tags = Field(default=[], max_length=100)
    remove: Tags = Field(default=[], max_length=100, description="Tags of mine to drop")


class IntroIn(Body):
    model_config = _example(a_id=1, b_id=2, why="she needs a designer; he offers design")
    a_id: FormId = Field(description="Person A's id")
    b_id: FormId = Field(description="Person B's id")
    why: str | None = Field(default=None, max_length=2000)


class StepIn(Body):
    model_config = _example(step="made", on="today")
    step: str = Field(description="asked-a, asked-b, accepted, declined, made or outcome")
    on: str | None = None
    outcome: str | None = Field(
        default=None, max_length=2000, description="What came of it (outcome or declined)"
    )


class MergeIn(Body):
    model_config = _example(other_id=2)
    other_id: FormId = Field(description="The duplicate: merged into this person, then gone")
