"""Member logins: tidied to one spelling, anything else refused naming the field."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kith.app.community import login
from kith.app.errors import InvalidInput


@given(st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}", fullmatch=True))
def test_an_accepted_login_is_lower_case_and_stable(text: str) -> None:
    tidied = login(f"  {text} ")
    assert tidied == text.lower()
    assert login(tidied) == tidied


@pytest.mark.parametrize("text", ["", " ", "-ana", "ana smith", "ana@example.org", "a" * 65, "añ"])
def test_a_login_that_cannot_be_typed_safely_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        login(text)
    assert refused.value.field == "login"
