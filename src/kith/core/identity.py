"""Keys that say two records are the same person: emails, phones, profile URLs, names."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
DEFAULT_PHONE_REGION = "US"  # how a number without a country code is read; overridable later


def name_key(name: str) -> str:
    """The form names are compared in: NFKC, casefolded, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def clean_name(name: str) -> str:
    """A display name with spacing tidied; raises ValueError for an empty one."""
    cleaned = " ".join(unicodedata.normalize("NFC", name).split())
    if not cleaned:
        raise ValueError("is empty")
    return cleaned


def email_key(email: str) -> str:
    """A lower-cased email; raises ValueError naming the email when it is not one."""
    cleaned = email.strip().lower()
    if cleaned.startswith("mailto:"):
        cleaned = cleaned[len("mailto:") :]
    if not _EMAIL.match(cleaned):
        raise ValueError(f"{email!r} is not an email address")
    return cleaned


def phone_key(phone: str, region: str = DEFAULT_PHONE_REGION) -> str:
    """E.164 when the number parses, else its digits; raises ValueError for no digits."""
    digits = re.sub(r"\D", "", phone)
    if not digits:
        raise ValueError(f"{phone!r} is not a phone number")
    import phonenumbers  # noqa: PLC0415 - loaded on first use, not by every command's start-up

    try:
        parsed = phonenumbers.parse(phone, region)
    except phonenumbers.NumberParseException:
        return digits
    if phonenumbers.is_possible_number(parsed):
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return digits


def url_key(url: str) -> str:
    """A profile URL without scheme, www, query or trailing slash, lower-cased."""
    text = url.strip()
    if "//" not in text:
        text = "//" + text
    try:
        parts = urlsplit(text)
    except ValueError:  # e.g. an unbalanced "[" reads as a broken IPv6 host: keep it as text
        return text.removeprefix("//").rstrip("/").lower()
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    return f"{host}{path}".lower()
