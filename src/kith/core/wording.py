"""Small helpers that turn numbers into the plain words verdicts are given in."""

from __future__ import annotations


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """'1 time', '3 times'."""
    return f"{count} {noun if count == 1 else (nouns or noun + 's')}"


def times(count: int) -> str:
    """'once', 'twice', '3 times'."""
    return {0: "never", 1: "once", 2: "twice"}.get(count, f"{count} times")


def span(days: int) -> str:
    """A duration as people say it: '12 days', '5 months', '3 years'."""
    if days < 60:
        return plural(days, "day")
    if days < 730:
        return plural(round(days / 30.4), "month")
    return plural(round(days / 365.25), "year")


def ago(days: int) -> str:
    """'today', 'yesterday', '140 days ago'."""
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{days} days ago"


def signed(value: int) -> str:
    """A balance with its sign: '+3', '-2', '0'."""
    return f"{value:+d}" if value else "0"


_IRREGULAR = {"people": "person", "children": "child"}


def counted(count: int, nouns: str) -> str:
    """`plural` for a label already in the plural (a report's key).

    '1 tag', '2 breaches', '1 introduced-through link': only the last word changes.
    """
    *head, last = nouns.split(" ")
    singular = " ".join([*head, _singular(last)])
    return plural(count, singular, nouns)


def _singular(noun: str) -> str:
    if noun in _IRREGULAR:
        return _IRREGULAR[noun]
    if noun.endswith(("ches", "shes", "sses", "xes")):
        return noun[:-2]
    if noun.endswith("ies") and len(noun) > 3:
        return noun[:-3] + "y"
    return noun[:-1] if noun.endswith("s") and not noun.endswith("ss") else noun
