"""Quick capture against a real garden (SQLite and PostgreSQL): preview, then save."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kith.app import intros, people, quick_capture, views
from kith.app.errors import Ambiguous, InvalidInput, KithError, NoSuchPerson
from kith.app.garden import Garden
from kith.app.quick_views import QuickAction
from kith.app.result_views import PersonRef
from kith.core.model import InteractionKind
from tests.conftest import TODAY


def _plant(garden: Garden, *names: str) -> dict[str, int]:
    return {name: people.seed(garden, name, on="30 days ago").id for name in names}


def test_someone_new_is_previewed_as_a_seed_and_planted(garden: Garden) -> None:
    text = "met Ana Ruiz at PyCon yesterday, talked about climbing - runs a gym"
    seen = quick_capture.preview(garden, text)
    assert (seen.action, seen.saved, seen.person) == (QuickAction.SEED, False, None)
    assert (seen.name, seen.met, seen.tags, seen.note) == (
        "Ana Ruiz",
        "PyCon",
        ("climbing",),
        "runs a gym",
    )
    assert seen.on == TODAY - timedelta(days=1)
    assert seen.summary.startswith("Plant Ana Ruiz as a new seed met at PyCon")
    assert views.list_people(garden, None, None) == []  # a preview writes nothing

    saved = quick_capture.apply(garden, text)
    assert saved.saved
    assert saved.person is not None
    assert saved.summary.startswith("Planted Ana Ruiz")
    person = views.show(garden, f"#{saved.person.id}").history.person
    assert person.met_where == "PyCon"
    assert person.met_on == TODAY - timedelta(days=1)
    assert person.interests == ("climbing",)


def test_someone_known_is_logged(garden: Garden) -> None:
    ids = _plant(garden, "Noah Kim", "Maya Okafor")
    seen = quick_capture.preview(garden, "lunch with @Noah on 2026-11-20")
    assert seen.action is QuickAction.LOG
    assert seen.person == PersonRef(ids["Noah Kim"], "Noah Kim")
    assert (seen.kind, seen.on.isoformat()) == (InteractionKind.MEAL, "2026-11-20")

    saved = quick_capture.apply(
        garden, "call with Maya Okafor about her job search", on="yesterday"
    )
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    assert saved.summary == f"Logged a call with Maya Okafor on {yesterday}; topics: job search"
    history = views.show(garden, f"#{ids['Maya Okafor']}").history
    (logged,) = [i for i in history.interactions if i.kind is InteractionKind.CALL]
    assert (logged.on, logged.topics) == (TODAY - timedelta(days=1), ("job search",))


def test_a_name_that_could_be_several_people_saves_nothing(garden: Garden) -> None:
    _plant(garden, "Ana Ruiz", "Ana Lopez")
    seen = quick_capture.preview(garden, "coffee with Ana")
    assert seen.action is QuickAction.LOG
    assert {c.name for c in seen.candidates} == {"Ana Ruiz", "Ana Lopez"}
    assert seen.problem is not None
    assert not seen.ready
    with pytest.raises(Ambiguous):
        quick_capture.apply(garden, "coffee with Ana")
    assert all(not views.show(garden, n).history.interactions for n in ("Ana Ruiz", "Ana Lopez"))


def test_a_name_only_found_inside_other_names_is_someone_new(garden: Garden) -> None:
    _plant(garden, "Fred Olsen", "Edwina Park")
    seen = quick_capture.preview(garden, "met Ed at the meetup")
    assert (seen.action, seen.name, seen.met) == (QuickAction.SEED, "Ed", "the meetup")


def test_an_introduction_between_two_known_people(garden: Garden) -> None:
    ids = _plant(garden, "Ana Ruiz", "Noah Kim")
    for name in ids:  # an introduction needs people I can vouch for
        for days in (20, 10, 5):
            quick_capture.apply(garden, f"coffee with {name} {days} days ago")
    seen = quick_capture.preview(garden, "introduced Ana to Noah about climbing")
    assert seen.action is QuickAction.INTRO
    assert (seen.person, seen.other) == (
        PersonRef(ids["Ana Ruiz"], "Ana Ruiz"),
        PersonRef(ids["Noah Kim"], "Noah Kim"),
    )
    saved = quick_capture.apply(garden, "introduced Ana to Noah about climbing")
    assert saved.summary == "Proposed introducing Ana Ruiz to Noah Kim (climbing)"
    (intro,) = intros.list_all(garden)
    assert intro.intro.why == "climbing"


def test_an_introduction_of_someone_unknown_is_refused(garden: Garden) -> None:
    _plant(garden, "Noah Kim")
    with pytest.raises(NoSuchPerson):
        quick_capture.preview(garden, "introduced Zed to Noah")


@pytest.mark.parametrize(
    ("text", "on"),
    [("hello there", None), ("coffee with Noah on 2099-01-01", None), ("coffee with Noah", "soon")],
)
def test_bad_input_names_its_field(garden: Garden, text: str, on: str | None) -> None:
    with pytest.raises(InvalidInput) as refused:
        quick_capture.preview(garden, text, on)
    assert refused.value.field == ("on" if on else "text")


def test_a_part_too_long_for_its_column_names_the_text(garden: Garden) -> None:
    with pytest.raises(InvalidInput) as refused:
        quick_capture.preview(garden, "met Ana at " + "P" * 600)
    assert refused.value.field == "text"


_LINES = st.one_of(
    st.text(max_size=120),
    st.builds(
        " ".join,
        st.lists(
            st.sampled_from(
                ["met", "coffee", "with", "call", "introduced", "to", "Ana", "Noah", "Ruiz",
                 "at", "about", "talked", "yesterday", "on", "2026-11-20", "#1", "#99", "@", ","]
            ),
            max_size=10,
        ),
    ),
)  # fmt: skip


def test_any_line_is_previewed_or_refused_as_a_user_error(sqlite_garden: Garden) -> None:
    _plant(sqlite_garden, "Ana Ruiz", "Ana Lopez", "Noah Kim")

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(_LINES)
    def check(line: str) -> None:
        try:
            seen = quick_capture.preview(sqlite_garden, line)
        except KithError:
            return
        assert seen == quick_capture.preview(sqlite_garden, line)  # deterministic
        assert seen.on <= TODAY and not seen.saved

    check()
