"""What the group's routes share: the member's garden, or "not in a group" (404)."""

from __future__ import annotations

from fastapi import Request

from kith.app import community
from kith.app.garden import Garden
from kith.web.deps import garden


def group_garden(request: Request) -> Garden:
    """The logged-in member's garden; a garden of no group's member is "not in a group" (404).

    On a group server every login is a member's; a server of one garden (SQLite, or
    `kith --as LOGIN serve`) asks the database whether that garden's account is a member.
    """
    g = garden(request)
    if not request.app.state.group:
        community.require_membership(g)
    return g
