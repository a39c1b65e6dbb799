"""Errors the domain raises. Each carries a message key from ``messages``."""

from __future__ import annotations

from messages import t


class UserError(ValueError):
    """Something the user can fix; ``str()`` is the Dutch message."""

    def __init__(self, key: str, **params: object):
        self.key = key
        self.params = params
        super().__init__(t(key, **params))


class NotAllowed(UserError):
    """The caller has no right to do this (wrong secret, someone else's note)."""


class StoreUnavailable(UserError):
    """The database cannot be reached right now; the caller may retry."""

    def __init__(self) -> None:
        super().__init__("error.db_unavailable")
