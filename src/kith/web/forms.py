"""Form plumbing: run an action, and on a user's mistake say which field is wrong."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kith.app.errors import InvalidInput, KithError


@dataclass(frozen=True)
class FormError:
    form: str  # which form on the page
    field: str  # which field in it ("" when the whole form)
    message: str


def attempt(
    form: str, action: Callable[[], object], passing: tuple[type[KithError], ...] = ()
) -> FormError | None:
    """Run `action`; a KithError becomes a FormError to show next to its field, except the
    kinds in `passing`, which the page handles itself."""
    try:
        action()
    except passing:
        raise
    except InvalidInput as exc:
        return FormError(form, exc.field.lstrip("-"), exc.message)
    except KithError as exc:
        return FormError(form, "", str(exc))
    return None


def lines(text: str) -> list[str]:
    """A comma- or newline-separated form field as a list of values."""
    return [part.strip() for part in text.replace("\n", ",").split(",") if part.strip()]


def blank_to_none(text: str) -> str | None:
    return text.strip() or None
