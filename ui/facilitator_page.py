"""The facilitator page: authorise by secret, then steer the workshop."""

from __future__ import annotations

import streamlit as st

from messages import t
from ui import facilitator as fv
from ui import timebox
from ui.common import safe_call, show_flash, store
from workshop import NotAllowed

LIVE_SECONDS = 2


@st.fragment(run_every=LIVE_SECONDS)
def _live(code: str, secret: str, step_id: int) -> None:
    """Counts and notes refresh on their own; controls stay put."""
    ws = store().workshop_by_code(code)
    if ws is None:
        return
    step = store().step(step_id)
    fv.participants_panel(ws, step)
    fac = store().authorize(code, secret)
    fv.render(ws, step, fac)


def run(code: str | None, secret: str | None) -> None:
    if st.session_state.pop("deleted", False):
        st.success(t("fac.deleted"))
        return
    try:
        fac = safe_call(store().authorize, code, secret)
    except NotAllowed:
        st.error(t("fac.no_access"))
        return
    ws = safe_call(store().workshop, fac.workshop_id)
    st.title(t("fac.title", title=ws.title))
    fv.links_panel(ws, secret)
    steps = safe_call(store().steps, ws.id)
    step = fv.step_controls(ws, steps, fac)
    fv.input_controls(step, fac)
    timebox.facilitator_panel(step, fac)
    fv.room_settings(ws, fac)
    show_flash(fv.SCOPE)
    _live(ws.code, secret, step.id)
    st.divider()
    fv.danger_zone(ws, fac)
