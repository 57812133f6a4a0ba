"""A value made from the last object asked about, kept until another is asked about (or `Last.forget`): a build's
repeated look-ups made once, such as the tables' selections of the same lines, the members' statements of the
same report, or the payment instructions' rows read for every statement.

The object is compared by identity, and the object and its value are held in one tuple, replaced whole: builds
on other threads (the page) then only ever miss, and never see a value made from another object.
"""
from __future__ import annotations

_NOTHING = object()


class Last:
    """The value ``make(owner)`` of the last ``owner`` asked about."""

    def __init__(self) -> None:
        self._held: tuple = (_NOTHING, None)

    def get(self, owner, make):
        held = self._held
        if held[0] is not owner:
            held = self._held = (owner, make(owner))
        return held[1]

    def forget(self) -> None:
        """Let go of the owner and its value (a page that stays open keeps no past build's data)."""
        self._held = (_NOTHING, None)
