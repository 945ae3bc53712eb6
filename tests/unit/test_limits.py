"""The declared limits are the column widths, and the backup check covers every column."""

from __future__ import annotations

from datetime import date

from sqlalchemy import String, Table

from kith.core import limits
from kith.io import backup_check
from kith.store import tables
from kith.store.backups import HISTORY as BACKUP_SECTIONS

WIDTHS = {
    (tables.people, "name"): limits.NAME,
    (tables.people, "name_key"): limits.NAME,
    (tables.people, "company"): limits.COMPANY,
    (tables.people, "title"): limits.TITLE,
    (tables.people, "met_where"): limits.MET_WHERE,
    (tables.people, "source"): limits.SOURCE,
    (tables.people, "vcard_uid"): limits.UID,
    (tables.accounts, "me_name"): limits.ME_NAME,
    (tables.tags, "value"): limits.TAG,
    (tables.person_emails, "email"): limits.EMAIL,
    (tables.person_phones, "phone"): limits.PHONE,
    (tables.person_phones, "phone_key"): limits.PHONE,
    (tables.person_links, "url"): limits.URL,
    (tables.person_links, "url_key"): limits.URL,
    (tables.interactions, "source_key"): limits.SOURCE_KEY,
}


def test_each_limit_is_the_width_of_its_column() -> None:
    for (table, column), limit in WIDTHS.items():
        kind = table.c[column].type
        assert isinstance(kind, String) and kind.length == limit, f"{table.name}.{column}"


def _stored(table: Table) -> set[str]:
    # capture_run_id stays out of a backup (restored history is no capture run's).
    return {c.name for c in table.columns} - {"id", "account_id", "name_key", "capture_run_id"}


def test_the_backup_check_declares_every_stored_column() -> None:
    person_columns = _stored(tables.people) - {"via_id"} | {"via"}
    assert person_columns <= set(backup_check.PEOPLE)
    for section, _ in BACKUP_SECTIONS:
        table = tables.metadata.tables[section]
        assert _stored(table) == set(backup_check.HISTORY[section]), section


def test_text_rules_keep_tabs_and_line_breaks_only_in_multi_line_text() -> None:
    note = limits.TextRule(limits.NOTE, multi_line=True)
    assert limits.text_problem("one\ttwo\r\nthree", note) is None
    assert (
        limits.text_problem("one\ttwo", limits.TextRule(10)) == "holds a control character (U+0009)"
    )
    assert limits.text_problem("\x85", note) == "holds a control character (U+0085)"
    assert (
        limits.text_problem("x" * 11, limits.TextRule(10)) == "is 11 characters long, more than 10"
    )


def test_a_date_may_not_be_after_today_unless_ahead_is_allowed() -> None:
    today = date(2026, 11, 27)
    assert limits.date_problem(date(2026, 11, 28), today) is not None
    assert limits.date_problem(date(2027, 1, 1), today, ahead=limits.SNOOZE_AHEAD) is None
    assert limits.date_problem(date(1899, 12, 31), today) == "1899-12-31 is before 1900-01-01"


def test_parse_keeps_huge_numbers_and_nan_as_values_the_check_reports() -> None:
    document = backup_check.parse('{"a": ' + "7" * 5001 + ', "b": NaN, "c": 12}')
    assert isinstance(document, dict)
    assert str(document["a"]) == "a 5001-digit number" and str(document["b"]) == "NaN"
    assert document["c"] == 12
