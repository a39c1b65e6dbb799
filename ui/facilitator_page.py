"""The facilitator page: authorise by secret, then steer the workshop."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from messages import t
from ui import facilitator as fv
from ui import downloads, push, timebox
from ui.common import env_seconds, esc, html_block, show_flash, store
from ui.join import recover
from workshop import Facilitator, NotAllowed, StoreUnavailable

#: The live part's own check; a push (ui/push.py) redraws it as soon as a note, dot or tap comes in.
LIVE_SECONDS = env_seconds("SAMENSPRAAK_FACILITATOR_POLL_SECONDS", 10.0, low=1.0)
#: While the room keeps typing, the live part is redrawn at most this often: with a button under
#: every note it is heavier than the projected wall, and the submits need the server more.
PUSH_GAP = 1.0


@dataclass(frozen=True)
class Access:
    """What the address bar holds: the workshop's own secret, or the link of its partnership
    (``partnerschap=ID&pkey=SECRET``), which steers every workshop of that partnership."""

    code: str | None
    secret: str | None = None
    partnership_id: str | None = None
    partnership_secret: str | None = None

    def authorize(self) -> Facilitator:
        if self.secret or not (self.partnership_id and self.partnership_secret):
            return store().authorize(self.code, self.secret)
        partner = store().open_partnership(self.partnership_id, self.partnership_secret)
        return store().authorize_in_partnership(partner, self.code)


@st.fragment(run_every=LIVE_SECONDS)
def _live(access: Access, step_id: int) -> None:
    """Counts and notes follow the room (pushed, ui/push.py); controls stay put."""
    try:
        _live_body(access, step_id)
    except StoreUnavailable:
        st.warning(t("error.db_unavailable"))


def _live_body(access: Access, step_id: int) -> None:
    ws = store().workshop_by_code(access.code)
    if ws is None:
        push.forget()
        return
    push.follow(ws.id, push.key(store().versions([ws.id]).get(ws.id), True), content=True, gap=PUSH_GAP)
    step = store().step(step_id)
    fv.participants_panel(ws, step)
    fac = access.authorize()
    fv.render(ws, step, fac)
    push.drawn()


def run(code: str | None, secret: str | None, partnership_id: str | None = None,
        partnership_secret: str | None = None) -> None:
    push.forget()  # until the live part follows the workshop again
    try:
        _run(Access(code, secret, partnership_id, partnership_secret))
    except StoreUnavailable:
        st.warning(t("error.db_unavailable"))
        recover()


def _run(access: Access) -> None:
    if st.session_state.pop("deleted", False):
        st.success(t("fac.deleted"))
        return
    try:
        fac = access.authorize()
    except NotAllowed:
        st.error(t("fac.no_access"))
        return
    ws = store().workshop(fac.workshop_id)
    # The title is user text: escaped HTML, never Markdown (st.title would render **, [](), ![]()).
    html_block(f'<h1 class="ss-user">{esc(t("fac.title", title=ws.title))}</h1>')
    fv.links_panel(ws, access.secret)
    fv.partnership_panel(ws, fac, access.partnership_id, access.partnership_secret)
    steps = store().steps(ws.id)
    step = fv.step_controls(ws, steps, fac)
    fv.input_controls(step, fac)
    timebox.facilitator_panel(step, fac)
    fv.room_settings(ws, fac)
    show_flash(fv.SCOPE)
    _live(access, step.id)
    st.divider()
    downloads.facilitator_panel(ws)
    fv.danger_zone(ws, fac)
