"""Server push: phones redraw as soon as the facilitator changes the workshop, and the
projected screen (and the facilitator's live views) as soon as anyone adds a note.

Phones used to ask every few seconds whether something had changed: one script run
per phone per check, which at 200 phones took a third of a core before anyone typed
a word (bench/live.py). Now every participant page registers its session here with
the workshop's ``state_version`` it drew, and the screen's live part registers with
(``state_version``, content version) (``Store.versions``: the content version moves
with every note, dot, tap and moderation). One thread per process reads the versions
of the followed workshops in a single query, ten times a second, and asks Streamlit
to rerun the sessions that are behind, the way Streamlit reruns a page whose source
file changed: a phone's whole page, or only the screen's live fragment. With several
processes on one PostgreSQL database, each process's watcher sees the change in the
shared tables, so a phone or screen on another process follows just as fast.

A round costs one query plus work for what changed: the sessions of a workshop whose
version moved, the pages that just drew, and pushes still waiting; not a look at every
connected phone (that is done every ``SWEEP_SECONDS`` to forget sessions that left).
A session that is busy (a submit in progress, a screen still drawing) is left alone and
tried again in the next round, so a push never cuts a running submit short; a screen is
redrawn at most every ``SCREEN_GAP`` seconds while notes pour in, so that drawing the wall
does not crowd out the submits. A push that did not lead to a redraw is asked again after
``REPUSH_SECONDS``. Pages keep a slow check of their own (``SAMENSPRAAK_PHONE_POLL_SECONDS``,
``SAMENSPRAAK_SCREEN_POLL_SECONDS``) in case the watcher is gone.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Hashable

from ui import streamlit_internals as internals
from workshop import get_store, settings

_LOG = logging.getLogger(__name__)


INTERVAL = settings.get().push_seconds
#: A screen is redrawn at most this often while its workshop keeps changing,
SCREEN_GAP = settings.get().screen_push_gap_seconds
#: and it waits at least this many times as long as its last drawing took: a page that is
#: slow to draw (the facilitator's, with a button under every note) or a busy machine takes
#: a smaller share of the server that the submits need.
DRAW_SHARE = 4.0
REPUSH_SECONDS = 5.0
SWEEP_SECONDS = 10.0


@dataclass
class Follower:
    workshop_id: int
    drawn: Hashable  # what the page showed: state_version, or (state_version, content) with ``content``
    content: bool = False  # also follows the content version (screen, facilitator's live views)
    fragment_id: str | None = None  # rerun only this fragment (None: the whole page)
    pushed: Hashable | None = None  # the version a rerun was already asked for
    pushed_at: float = float("-inf")
    started: float = 0.0  # when the page began drawing ``drawn``
    draw_s: float = 0.0  # how long its last drawing took (``drawn()``)
    wake_at: float | None = None  # rerun at this moment even if nothing moved (``wake_in()``)
    gap: float = 0.0  # pushed at most this often (``SCREEN_GAP`` unless the page asks for more)

    def woken(self, now: float) -> bool:
        return self.wake_at is not None and now >= self.wake_at


_lock = threading.Lock()
_followers: dict[str, Follower] = {}
_rooms: dict[tuple[int, bool], set[str]] = {}  # (workshop, content) -> sessions following it
_seen: dict[tuple[int, bool], Hashable] = {}  # what the last round read for each of them
_look: set[str] = set()  # sessions the next round looks at whatever moved (new drawings, waiting pushes)
_timed: set[str] = set()  # sessions with a wake-up time
_next_sweep = 0.0
_watcher: threading.Thread | None = None


def _session_id() -> str | None:
    """This run's session, if a Streamlit server holds it (not under AppTest or in a script)."""
    return internals.served_session_id()


def key(versions: tuple[int, int] | None, content: bool) -> Hashable:
    """What a follower compares: the state version, or both versions; None for a deleted workshop."""
    if versions is None:
        return None
    return tuple(versions) if content else versions[0]


def follow(workshop_id: int, drawn: Hashable, *, content: bool = False, gap: float = 0.0) -> None:
    """This session now shows ``workshop_id`` at ``drawn``; rerun it when that changes.

    With ``content`` the page follows ``Store.versions`` as a whole (pass that pair as
    ``drawn``); called inside a fragment, only that fragment is rerun, at most every
    ``gap`` seconds (at least ``SCREEN_GAP``)."""
    sid = _session_id()
    if sid is None:
        return
    fragment_id = internals.current_fragment_id() if content else None
    with _lock:
        old = _drop(sid)
        # The pacing carries over from the drawing before: when it was last pushed, how long it took.
        _followers[sid] = Follower(workshop_id, drawn, content, fragment_id, started=time.monotonic(), gap=gap,
                                   pushed_at=old.pushed_at if old is not None else float("-inf"),
                                   draw_s=old.draw_s if old is not None else 0.0)
        _rooms.setdefault((workshop_id, content), set()).add(sid)
        _look.add(sid)
    _start()


def drawn() -> None:
    """The page that called :func:`follow` has finished drawing (its time paces its pushes)."""
    def change(_sid: str, f: Follower) -> None:
        f.draw_s = time.monotonic() - f.started
    _change_own(change)


def wake_in(seconds: float) -> None:
    """Rerun the page that called :func:`follow` after ``seconds``, even if nothing moved
    (the screen, when a timebox that locks the step runs out: it writes the lock)."""
    def change(sid: str, f: Follower) -> None:
        f.wake_at = time.monotonic() + max(0.0, seconds)
        _timed.add(sid)
    _change_own(change)


def _change_own(change) -> None:
    """``change(session, follower)`` for this session's follower, under the lock, if it follows."""
    sid = _session_id()
    if sid is None:
        return
    with _lock:
        f = _followers.get(sid)
        if f is not None:
            change(sid, f)


def forget() -> None:
    """This session no longer shows a followed page."""
    sid = _session_id()
    if sid is not None:
        with _lock:
            _drop(sid)


def _drop(sid: str) -> Follower | None:
    f = _followers.pop(sid, None)
    if f is not None:
        room = _rooms.get((f.workshop_id, f.content))
        if room is not None:
            room.discard(sid)
            if not room:
                del _rooms[(f.workshop_id, f.content)]
                _seen.pop((f.workshop_id, f.content), None)
    return f


def due(followers: dict[str, Follower], versions: dict[int, tuple[int, int]], now: float = 0.0
        ) -> list[tuple[str, Hashable]]:
    """(session, version) pairs that need a rerun: their workshop moved past what they drew,
    and no rerun was asked for that version yet (or long ago: it got lost). A screen that
    was pushed less than ``SCREEN_GAP`` ago, or less than ``DRAW_SHARE`` times its last
    drawing, waits. A deleted workshop counts as moved."""
    out = []
    for sid, f in followers.items():
        now_key = key(versions.get(f.workshop_id), f.content)
        if f.woken(now):
            out.append((sid, now_key))
            continue
        if now_key == f.drawn:
            continue
        since = now - f.pushed_at
        if now_key == f.pushed and since < REPUSH_SECONDS:
            continue
        if f.content and since < max(SCREEN_GAP, f.gap, DRAW_SHARE * f.draw_s):
            continue
        out.append((sid, now_key))
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


def _sweep() -> None:
    """Forget sessions that went away (a reconnect draws the page and follows again)."""
    for sid in [sid for sid in _followers if not internals.is_active_session(sid)]:
        _drop(sid)


def round_once() -> int:
    """One round of the watcher; returns how many reruns it asked for."""
    global _next_sweep
    now = time.monotonic()
    with _lock:
        if now >= _next_sweep:
            _next_sweep = now + SWEEP_SECONDS
            _sweep()
        if not _rooms:
            return 0
        workshops = {workshop_id for workshop_id, _content in _rooms}
    versions = get_store().versions(workshops)
    with _lock:
        look, moved = set(_look), []
        _look.clear()
        for room, sids in _rooms.items():
            seen = key(versions.get(room[0]), room[1])
            if _seen.get(room, ...) != seen:
                _seen[room] = seen
                moved.append(sids)
        look.update(*moved)
        for sid in list(_timed):
            f = _followers.get(sid)
            if f is None or f.wake_at is None:
                _timed.discard(sid)
            elif f.woken(now):
                look.add(sid)
        followers = {sid: _followers[sid] for sid in look if sid in _followers}
        waiting = [sid for sid, f in followers.items()
                   if key(versions.get(f.workshop_id), f.content) != f.drawn or f.woken(now)]
        _look.update(waiting)  # looked at again next round, until the page has drawn it
        todo = due(followers, versions, now)
    asked = 0
    for sid, version in todo:
        session = internals.app_session(sid) if internals.is_active_session(sid) else None
        if session is None:  # the phone went away
            with _lock:
                _drop(sid)
            continue
        internals.call_on_session_loop(session, _rerun, session, sid, version)
        asked += 1
    return asked


def _rerun(session, sid: str, version: Hashable) -> None:
    """On the session's event loop: rerun the page (or only its followed fragment), unless it
    is busy or was redrawn meanwhile."""
    if internals.session_is_running(session):
        return  # a run is in progress; the next round tries again
    with _lock:
        f = _followers.get(sid)
        now = time.monotonic()
        if f is None or (f.drawn == version and not f.woken(now)):
            return
        f.pushed, f.pushed_at, f.wake_at = version, now, None
        _timed.discard(sid)
        fragment_id = f.fragment_id
    if fragment_id:
        internals.rerun_fragment(session, fragment_id)
    else:
        internals.rerun_session(session)
