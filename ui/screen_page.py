"""The projection page: refreshes itself every second, shows only what may be shown."""

from __future__ import annotations

import streamlit as st

from messages import t
from ui import screen, timebox
from ui.common import join_url, qr_svg, store
from workshop import StoreUnavailable

REFRESH_SECONDS = 1.0


@st.cache_data(max_entries=64, show_spinner=False)
def _qr(url: str) -> str:
    return qr_svg(url, scale=10)


@st.fragment(run_every=REFRESH_SECONDS)
def live(code: str) -> None:
    try:
        ws = store().workshop_by_code(code)
        if ws is None:
            st.info(t("screen.no_room"))
            return
        steps = store().steps(ws.id)
        step = store().enforce_timer(steps[min(ws.current_step, len(steps) - 1)])
        ready, count = store().readiness(ws.id, step.position)
        url = join_url(ws.code)
        # The lobby until anything happened: no facilitator action yet (state_version), nobody ready, no note.
        started = (step.position > 0 or ws.state_version > 0 or ready > 0 or step.locked
                   or store().note_count(step.id) > 0)
        if ws.show_join and not started:
            screen.lobby(ws, step, count, _qr(url))
            return
        screen.header(ws, step, len(steps), count, ready, _qr(url) if ws.show_join else None)
        timebox.screen_badge(step)
        screen.render(ws, step)
    except StoreUnavailable:
        st.warning(t("screen.offline"))


def run(code: str | None) -> None:
    screen.frame()
    if not code:
        st.info(t("screen.no_room"))
        return
    live(code)
