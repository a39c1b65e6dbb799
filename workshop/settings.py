"""Every ``SAMENSPRAAK_*`` setting of the app, read from the environment in one place.

Each setting has one parser; a missing, empty or unreadable value means its default (the
README's configuration table lists them). The settings are read once, at their first use, and
kept: a process reads its environment at start. Tests that change a setting call
:func:`reload` after ``monkeypatch.setenv`` (tests/conftest.py's ``setting`` fixture does both).
Modules that keep a setting in a module constant (the pages' timers) read it at import.
Imports no streamlit and nothing else of the app (workshop/__init__.py loads its names lazily), so
any module can read a setting, also one the store itself imports (canvas_models).
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass

PREFIX = "SAMENSPRAAK_"


def _text(name: str) -> str:
    return os.environ.get(PREFIX + name, "")


def _whole(name: str, default: int | None, *, low: int = 1) -> int | None:
    """A whole number of at least ``low``; anything else means ``default``."""
    try:
        value = int(_text(name).strip())
    except ValueError:
        return default
    return value if value >= low else default


def _seconds(name: str, default: float, *, low: float, high: float = float("inf")) -> float:
    """A duration in seconds, kept within [low, high]; an unreadable value means ``default``."""
    try:
        return min(high, max(low, float(_text(name).strip() or default)))
    except ValueError:
        return default


@dataclass(frozen=True)
class Settings:
    #: Any SQLAlchemy URL; empty means the SQLite file under data/ (workshop/db.py).
    database_url: str
    #: When set, creating a workshop or partnership and restoring a backup need it (Store.check_admin).
    admin_password: str
    #: Base of join links and QR codes; empty means the browser's own address.
    public_url: str
    #: Workshops older than this many days are deleted; None keeps them.
    retention_days: int | None
    import_max_bytes: int
    max_participants: int
    max_notes_per_step: int
    push_seconds: float
    screen_push_gap_seconds: float
    phone_poll_seconds: float
    screen_poll_seconds: float
    cockpit_tick_seconds: float
    cockpit_moderation_gap_seconds: float
    #: A folder of extra werkvorm files beside the shipped ones (canvas_models); empty means none.
    werkvorm_dir: str


def _read() -> Settings:
    return Settings(
        database_url=_text("DATABASE_URL").strip(),
        admin_password=_text("ADMIN_PASSWORD"),
        public_url=_text("PUBLIC_URL").strip().rstrip("/"),
        retention_days=_whole("RETENTION_DAYS", None),
        import_max_bytes=_whole("IMPORT_MAX_BYTES", 20 * 1024 * 1024),
        max_participants=_whole("MAX_PARTICIPANTS", 250),
        max_notes_per_step=_whole("MAX_NOTES_PER_STEP", 30),
        push_seconds=_seconds("PUSH_SECONDS", 0.1, low=0.05, high=5.0),
        screen_push_gap_seconds=_seconds("SCREEN_PUSH_GAP_SECONDS", 0.2, low=0.0, high=5.0),
        phone_poll_seconds=_seconds("PHONE_POLL_SECONDS", 120.0, low=1.0),
        screen_poll_seconds=_seconds("SCREEN_POLL_SECONDS", 5.0, low=1.0),
        cockpit_tick_seconds=_seconds("COCKPIT_TICK_SECONDS", 2.0, low=0.5, high=10.0),
        cockpit_moderation_gap_seconds=_seconds("COCKPIT_MODERATION_GAP_SECONDS", 8.0, low=0.0, high=60.0),
        werkvorm_dir=_text("WERKVORM_DIR").strip(),
    )


_lock = threading.Lock()
_current: Settings | None = None


def get() -> Settings:
    """The settings of this process (read from the environment at the first call)."""
    current = _current
    if current is None:
        current = reload()
    return current


def reload() -> Settings:
    """Read the environment again (tests, after changing a setting)."""
    global _current
    with _lock:
        _current = _read()
        return _current
