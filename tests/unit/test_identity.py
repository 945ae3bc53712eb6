"""Keys that say two records are one person: emails, phones, URLs."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kith.core.identity import email_key, phone_key, url_key


def test_email_key_lowercases_and_strips_mailto() -> None:
    assert email_key(" MAILTO:Ana@Example.ORG ") == "ana@example.org"


@pytest.mark.parametrize("bad", ["ana", "ana@", "@example.org", "a b@example.org", "ana@example"])
def test_bad_emails_are_named(bad: str) -> None:
    with pytest.raises(ValueError, match="is not an email"):
        email_key(bad)


def test_phone_key_normalises_to_e164() -> None:
    assert phone_key("+44 20 7946 0958") == phone_key("+442079460958") == "+442079460958"
    assert phone_key("(415) 555-2671") == "+14155552671"


def test_phone_without_digits_is_refused() -> None:
    with pytest.raises(ValueError, match="not a phone"):
        phone_key("call me")


def test_url_key_ignores_scheme_www_and_trailing_slash() -> None:
    assert url_key("https://www.linkedin.com/in/Ana-Ruiz/") == url_key("linkedin.com/in/ana-ruiz")


@given(st.text())
def test_url_key_never_raises(url: str) -> None:
    assert isinstance(url_key(url), str)


def test_a_broken_ipv6_looking_link_is_kept_as_text() -> None:
    assert url_key("[example") == "[example"
