"""The one way a view model becomes a JSON document (`--json`; the API's answers agree).

A view model is a frozen dataclass of the `*_views` modules (or of `app` itself: `Starters`,
`ListedPerson`). Dates become ISO strings, enums their value, tuples lists; nothing else
changes, so the keys are the field names. The web serialises the same dataclasses through
FastAPI (pydantic) with the same rules; `tests/e2e/test_cli_api_agree.py` holds them equal.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from datetime import date
from enum import Enum

Json = None | bool | int | float | str | list["Json"] | dict[str, "Json"]


def to_json(value: object) -> Json:
    """The JSON value of a view model (or of a list of them), ready for `json.dumps`."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Enum):  # before str: a StrEnum is a str too
        return to_json(value.value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [to_json(item) for item in value]
    if isinstance(value, dict):
        return {str(key): to_json(item) for key, item in value.items()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def as_document(view: object) -> dict[str, Json]:
    """The JSON object of one view model (a template reads it like the API's answer)."""
    found = to_json(view)
    if not isinstance(found, dict):
        raise TypeError(f"{type(view).__name__} is not a view model")
    return found
