"""Counts in words for the shells: the CLI and the pages say '1 person', never '1 people'.

The one helper lives in core (`core.wording`); the shells reach it here, as they reach every
rule, through app.
"""

from __future__ import annotations

from kith.core.wording import counted, plural

__all__ = ["counted", "plural"]
