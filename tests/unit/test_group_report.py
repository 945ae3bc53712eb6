"""The group report (core/group_report.py) and the referral rules (core/referrals.py)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from kith.core.group_report import Referral, flow_words, group_report, member_line, standing
from kith.core.referrals import STATUSES, can_move, parse_value

LOGINS = ("ana", "bob", "cleo", "dan")

referrals = st.lists(
    st.builds(
        Referral,
        giver=st.sampled_from(LOGINS),
        receiver=st.sampled_from(LOGINS),
        status=st.sampled_from(STATUSES),
        thank_you=st.none() | st.decimals(min_value=1, max_value=10**6, places=2),
    ),
    max_size=30,
)


@given(referrals)
def test_the_totals_equal_the_sum_of_the_lines(given_: list[Referral]) -> None:
    report = group_report(LOGINS, given_)
    lines, totals = report.lines, report.totals
    assert totals.members == len(lines) == len(LOGINS)
    assert totals.referrals == sum(line.given for line in lines) == len(given_)
    assert totals.referrals == sum(line.received for line in lines)
    assert totals.closed == sum(line.closed_given for line in lines)
    assert totals.closed == sum(line.closed_received for line in lines)
    assert totals.thank_you == sum((line.thank_you for line in lines), Decimal(0))
    assert totals.givers == sum(line.standing == "giver" for line in lines)
    assert totals.taking == sum(line.standing == "taking" for line in lines)
    assert sum(line.balance for line in lines) == 0


@given(referrals)
def test_each_line_is_its_member_read_over_every_referral(given_: list[Referral]) -> None:
    """The report indexes referrals by member; a line is what reading all of them gives."""
    for line in group_report(LOGINS, given_).lines:
        assert line == member_line(line.login, given_)


def test_a_thank_you_counts_only_for_a_won_referral_and_goes_to_the_giver() -> None:
    report = group_report(
        ["bob", "ana"],
        [
            Referral("bob", "ana", "won", Decimal("5250.50")),
            Referral("bob", "ana", "lost", Decimal("100")),
            Referral("bob", "ana", "won", None),
        ],
    )
    ana, bob = report.lines  # by login
    assert (bob.login, bob.given, bob.closed_given, bob.thank_you) == (
        "bob",
        3,
        2,
        Decimal("5250.50"),
    )
    assert (ana.received, ana.closed_received, ana.thank_you) == (3, 2, Decimal(0))
    assert report.totals.thank_you == Decimal("5250.50")


def test_a_referral_of_someone_no_longer_a_member_counts_for_no_one() -> None:
    report = group_report(["ana"], [Referral("gone", "ana", "won", Decimal(10))])
    assert report.totals.referrals == 0 and report.lines[0].received == 1


def test_who_gives_and_who_takes() -> None:
    assert standing(0, 0) == "quiet"
    assert standing(0, 2) == "taking"
    assert standing(3, 1) == "giver"
    assert standing(2, 2) == "even"
    assert standing(1, 3) == "receiving"
    assert flow_words(0, 2) == "taking: received 2 referrals and gave none (balance -2)"
    assert flow_words(3, 0) == "gave 3 referrals and received none (balance +3)"
    assert flow_words(1, 1) == "gave 1 referral and received 1 referral (balance 0)"


def test_a_status_only_moves_forward() -> None:
    assert can_move("new", "contacted") and can_move("new", "won") and can_move("new", "lost")
    assert can_move("contacted", "won") and can_move("contacted", "lost")
    for current, to in (
        ("contacted", "contacted"),
        ("contacted", "new"),
        ("won", "lost"),
        ("lost", "won"),
        ("won", "contacted"),
        ("new", "new"),
    ):
        assert not can_move(current, to), (current, to)


def test_a_value_is_an_amount_above_zero_in_cents() -> None:
    assert parse_value("5000") == Decimal("5000.00")
    assert parse_value(" 5,250.505 ") == Decimal("5250.50")  # banker's rounding to cents
    for bad in ("", "abc", "0", "-5", "NaN", "Infinity", "1e20"):
        assert parse_value(bad) is None, bad
