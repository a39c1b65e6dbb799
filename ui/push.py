"""Server push: a phone redraws as soon as the facilitator changes the workshop.

Phones used to ask every few seconds whether something had changed: one script run
per phone per check, which at 200 phones took a third of a core before anyone typed
a word (bench/live.py). Now every participant page registers its session here with
the workshop's ``state_version`` it drew. One thread per process reads the versions
of the followed workshops in a single query, twice a second, and asks Streamlit to
rerun the sessions whose workshop moved on, the way Streamlit reruns a page whose
source file changed. With several processes on one PostgreSQL database, each
process's watcher sees the change in the shared table, so a phone on another process
follows just as fast.

A session that is busy (a submit in progress) is left alone and tried again on the
next round, so a push never cuts a running submit short. The participant page keeps
a slow check of its own (``SAMENSPRAAK_PHONE_POLL_SECONDS``) in case a push is missed.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from ui import streamlit_internals as internals
from ui.common import env_seconds
from workshop import get_store

_LOG = logging.getLogger(__name__)


INTERVAL = env_seconds("SAMENSPRAAK_PUSH_SECONDS", 0.5, low=0.1, high=5.0)


@dataclass
class Follower:
    workshop_id: int
    drawn: int  # the state_version the page showed
    pushed: int | None = None  # the version a rerun was already asked for


_lock = threading.Lock()
_followers: dict[str, Follower] = {}
_watcher: threading.Thread | None = None


def _session_id() -> str | None:
    """This run's session, if a Streamlit server holds it (not under AppTest or in a script)."""
    return internals.served_session_id()


def follow(workshop_id: int, drawn: int) -> None:
    """This session now shows ``workshop_id`` at ``drawn``; rerun it when that changes."""
    sid = _session_id()
    if sid is None:
        return
    with _lock:
        _followers[sid] = Follower(workshop_id, drawn)
    _start()


def forget() -> None:
    """This session no longer shows a workshop's participant page."""
    sid = _session_id()
    if sid is not None:
        with _lock:
            _followers.pop(sid, None)


def due(followers: dict[str, Follower], versions: dict[int, int]) -> list[tuple[str, int]]:
    """(session, version) pairs that need a rerun: their workshop moved past what they drew,
    and no rerun was asked for that version yet. A deleted workshop counts as moved."""
    out = []
    for sid, f in followers.items():
        now = versions.get(f.workshop_id, -1)
        if now != f.drawn and now != f.pushed:
            out.append((sid, now))
    return out


def _start() -> None:
    global _watcher
    with _lock:
        if _watcher is not None and _watcher.is_alive():
            return
        _watcher = threading.Thread(target=_watch, name="samenspraak-push", daemon=True)
        _watcher.start()


def _watch() -> None:
    stop = threading.Event()
    while not stop.wait(INTERVAL):
        try:
            round_once()
        except Exception:  # the database is away, say: the pages' own checks cover it
            _LOG.debug("push round failed", exc_info=True)


def round_once() -> int:
    """One round of the watcher; returns how many reruns it asked for."""
    with _lock:
        for sid in [sid for sid in _followers if not internals.is_active_session(sid)]:
            del _followers[sid]  # the phone went away (a reconnect draws the page and follows again)
        followers = {sid: Follower(f.workshop_id, f.drawn, f.pushed) for sid, f in _followers.items()}
    if not followers:
        return 0
    versions = get_store().versions({f.workshop_id for f in followers.values()})
    asked = 0
    for sid, version in due(followers, versions):
        session = internals.app_session(sid)
        if session is None:  # the phone went away
            with _lock:
                _followers.pop(sid, None)
            continue
        internals.call_on_session_loop(session, _rerun, session, sid, version)
        asked += 1
    return asked


def _rerun(session, sid: str, version: int) -> None:
    """On the session's event loop: rerun the page, unless it is busy or was redrawn."""
    if internals.session_is_running(session):
        return  # a run is in progress; the next round tries again
    with _lock:
        f = _followers.get(sid)
        if f is None or f.drawn == version:
            return
        f.pushed = version
    internals.rerun_session(session)
