"""The projection page: redrawn by a server push whenever the workshop changes (ui/push.py),
with a slow timer of its own as a fallback; shows only what may be shown."""

from __future__ import annotations

from datetime import datetime, timezone

import streamlit as st

from messages import t
from ui import push, screen_frame, timebox
from ui.common import join_url, qr_svg, store
from workshop import StoreUnavailable, settings, timer

#: The screen's own check, in case a push does not come (the watcher is gone). It used to be
#: the only way and ran every second: a redraw of the whole wall, notes seen up to 1 s late.
REFRESH_SECONDS = settings.get().screen_poll_seconds


@st.cache_data(max_entries=64, show_spinner=False)
def _qr(url: str) -> str:
    return qr_svg(url, scale=10)


@st.fragment(run_every=REFRESH_SECONDS)
def live(code: str) -> None:
    try:
        ws = store().workshop_by_code(code)
        if ws is None:
            push.forget()
            st.info(t("screen.no_room"))
            return
        # Read before what it shows: a note stored meanwhile brings one more redraw, never none.
        push.follow(ws.id, push.key(store().versions([ws.id]).get(ws.id), True), content=True)
        steps = store().steps(ws.id)
        if not steps:  # deleted a moment ago
            push.forget()
            st.info(t("screen.no_room"))
            return
        step = store().enforce_timer(steps[min(ws.current_step, len(steps) - 1)])
        _wake_at_timer_end(step)
        ready, count = store().readiness(ws.id, step.position)
        url = join_url(ws.code)
        # The lobby until anything happened: no facilitator action yet (state_version), nobody ready, no note.
        started = (step.position > 0 or ws.state_version > 0 or ready > 0 or step.locked
                   or store().note_count(step.id) > 0)
        if ws.show_join and not started:
            screen_frame.lobby(ws, step, count, _qr(url))
        else:
            screen_frame.header(ws, step, len(steps), count, ready, _qr(url) if ws.show_join else None)
            timebox.screen_badge(step)
            screen_frame.render(ws, step)
        push.drawn()
    except StoreUnavailable:
        st.warning(t("screen.offline"))


def _wake_at_timer_end(step) -> None:
    """A timebox that locks the step when it runs out: the screen writes that lock
    (``enforce_timer``), so it redraws right then, not at its next fallback tick."""
    if step.timer_auto_lock and not step.locked:
        left = timer.seconds_to_end(step, datetime.now(timezone.utc))
        if left is not None and left > 0:
            push.wake_in(left + 0.05)


def run(code: str | None) -> None:
    screen_frame.frame()
    push.forget()  # until the live part follows the workshop again
    if not code:
        st.info(t("screen.no_room"))
        return
    live(code)
