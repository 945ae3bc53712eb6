"""The wording of generous gestures: what to do for someone before (or instead of) asking.

Shared by the ask check (its give-first suggestions) and the feed (its daily gesture), so
the advice reads the same everywhere. "How can I help you?" comes first.
"""

from __future__ import annotations

HOW_CAN_I_HELP = "Check in and ask: “How can I help you?”"


def help_with_need(need: str, offer: str) -> str:
    """The gesture of helping with a need of theirs that one of my offers meets."""
    return f"Help with their need “{need}”: you can offer {offer}"


def share_on_interest(interest: str) -> str:
    """The gesture of sharing something on an interest we both have."""
    return f"Share something on {interest}, an interest you both have"


def follow_up_topic(topic: str) -> str:
    """The gesture of following up on what we talked about last time."""
    return f"Follow up on {topic}, which you talked about last time"


def follow_up_first_meeting(topic: str | None) -> str:
    """The gesture of following up a first meeting while it is fresh."""
    about = f" (you talked about {topic})" if topic else ""
    return f"Follow up on your first meeting within days{about}: suggest a coffee or a call"


def revive(hook: str | None) -> str:
    """The gesture of reviving a tie gone quiet, on a hook when there is one."""
    about = f" on {hook}" if hook else ""
    return f"Revive the tie: a short note{about} saying you thought of them"


BIRTHDAY_WISH = "Wish them a happy birthday: a personal note, not a reaction to a post"
