"""The facilitator page: authorise by secret, then steer the workshop."""

from __future__ import annotations

import streamlit as st

from messages import t
from ui import facilitator as fv
from ui import downloads, push, timebox
from ui.common import env_seconds, esc, html_block, show_flash, store
from ui.join import recover
from workshop import NotAllowed, StoreUnavailable

#: The live part's own check; a push (ui/push.py) redraws it as soon as a note, dot or tap comes in.
LIVE_SECONDS = env_seconds("SAMENSPRAAK_FACILITATOR_POLL_SECONDS", 10.0, low=1.0)
#: While the room keeps typing, the live part is redrawn at most this often: with a button under
#: every note it is heavier than the projected wall, and the submits need the server more.
PUSH_GAP = 1.0


@st.fragment(run_every=LIVE_SECONDS)
def _live(code: str, secret: str, step_id: int) -> None:
    """Counts and notes follow the room (pushed, ui/push.py); controls stay put."""
    try:
        _live_body(code, secret, step_id)
    except StoreUnavailable:
        st.warning(t("error.db_unavailable"))


def _live_body(code: str, secret: str, step_id: int) -> None:
    ws = store().workshop_by_code(code)
    if ws is None:
        push.forget()
        return
    push.follow(ws.id, push.key(store().versions([ws.id]).get(ws.id), True), content=True, gap=PUSH_GAP)
    step = store().step(step_id)
    fv.participants_panel(ws, step)
    fac = store().authorize(code, secret)
    fv.render(ws, step, fac)
    push.drawn()


def run(code: str | None, secret: str | None) -> None:
    push.forget()  # until the live part follows the workshop again
    try:
        _run(code, secret)
    except StoreUnavailable:
        st.warning(t("error.db_unavailable"))
        recover()


def _run(code: str | None, secret: str | None) -> None:
    if st.session_state.pop("deleted", False):
        st.success(t("fac.deleted"))
        return
    try:
        fac = store().authorize(code, secret)
    except NotAllowed:
        st.error(t("fac.no_access"))
        return
    ws = store().workshop(fac.workshop_id)
    # The title is user text: escaped HTML, never Markdown (st.title would render **, [](), ![]()).
    html_block(f'<h1 class="ss-user">{esc(t("fac.title", title=ws.title))}</h1>')
    fv.links_panel(ws, secret)
    steps = store().steps(ws.id)
    step = fv.step_controls(ws, steps, fac)
    fv.input_controls(step, fac)
    timebox.facilitator_panel(step, fac)
    fv.room_settings(ws, fac)
    show_flash(fv.SCOPE)
    _live(ws.code, secret, step.id)
    st.divider()
    downloads.facilitator_panel(ws)
    fv.danger_zone(ws, fac)
