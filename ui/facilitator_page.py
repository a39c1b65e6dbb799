"""The facilitator page, a cockpit: authorise by secret, then steer the workshop.

Left, and always in view (it stays put while the right side scrolls): the controls that run
the session (step, stage, lock, reveal, timer, readiness, what the screen shows) and a live
preview of the projected screen (the real ``/scherm`` page in a scaled-down frame). Right:
moderation and results of the current step, then links, settings, downloads.

Live updates redraw only the part that changed. A small ticker (a fragment, every
``TICK_SECONDS``) reads two fingerprints of the workshop (``Store.cockpit_state``): the
steering state (step, lock, timer, readiness) and the content of the current step (notes,
dots, clusters, actions). Each live part is a keyed fragment that remembers the fingerprint
it drew; when one moved, the ticker's hidden refresh button reruns just the stale fragments
(``st.rerun(keys)`` from its callback). Nothing else on the page is sent again, so a quiet room
costs a few hundred bytes per tick, and a form being typed in or a panel left open outside the
rerun part is never touched. The moderation part is redrawn at most every
``MODERATION_GAP`` seconds while notes pour in (at once after a step or lock change).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

import streamlit as st

from messages import t
from ui import step_controls as fv
from ui import downloads, library, library_state, live_preview, push, timebox
from ui import streamlit_internals as internals
from ui.common import esc, html_block, show_flash, store
from ui.participant_page import recover
from workshop import Facilitator, NotAllowed, Step, StoreUnavailable, Workshop, settings

TICK_SECONDS = settings.get().cockpit_tick_seconds
MODERATION_GAP = settings.get().cockpit_moderation_gap_seconds

#: Fragment keys of the live parts (each follows its own fingerprint, see ``_fingerprints``).
CONTROLS, ROOM, MODERATION, NOTES, TICKER = "fr-controls", "fr-room", "fr-moderation", "fr-notes", "fr-ticker"
_DRAWN = "_cockpit_drawn"  # fragment key -> (fingerprint drawn, monotonic time)
_GATHERED = "_cockpit_gathered"  # when the room's additions were redrawn lately (monotonic times)
#: The room counts as busy after this many redraws for what it added within ``BUSY_WINDOW`` s.
BUSY_REDRAWS, BUSY_WINDOW = 3, 20.0

COCKPIT_CSS = """
<style>
.block-container { padding-left:1.2rem !important; padding-right:1.2rem !important; max-width:100% !important;
  padding-top:.6rem !important; }
/* The cockpit: the left column (controls and preview) stays in view while the right one scrolls. */
[data-testid="stColumn"]:has(.st-key-cockpit-left) { position:sticky; top:.4rem; align-self:flex-start;
  max-height:calc(100vh - .8rem); overflow-y:auto; overflow-x:hidden; }
.st-key-cockpit-left { gap:.45rem; }
.st-key-cockpit-left .stButton button, .st-key-cockpit-left [data-testid="stPopover"] button { min-height:38px;
  padding:.15rem .7rem; }
.st-key-cockpit-left [data-testid="stElementContainer"] { margin:0; }
h1.ss-cockpit-title { font-size:1.25rem; margin:0; padding:0; line-height:1.3; }
h2.ss-cockpit-step { font-size:1.3rem; margin:0; padding:0; line-height:1.3; }
h2.ss-cockpit-step .ss-of { font-size:.8em; font-weight:500; color:#333; }
.st-key-cockpit-left .ss-room { white-space:nowrap; overflow:hidden; text-overflow:ellipsis; }
p.ss-cockpit-state { margin:0; font-weight:600; color:#0b4f8a; }
p.ss-cockpit-state.ss-locked { color:#8a0b0b; }
.ss-timer-none { color:#333; }
.st-key-timer-row { gap:.4rem !important; flex-wrap:nowrap !important; }
.st-key-timer-row [role="timer"] { font-size:1rem !important; padding:.15rem .5rem !important; white-space:nowrap; }
.st-key-timer-row .stButton button, .st-key-timer-row [data-testid="stPopover"] button { padding:.15rem .55rem; }
/* the ticker has nothing to show */
.st-key-cockpit-refresh, .st-key-cockpit-expiry { display:none !important; }
</style>
"""


# Presses a hidden refresh button (installed once with the page). The click must not reach the
# document: a popover that is open (the timer's settings) takes any click outside it for a reason
# to close. Streamlit's React root handles the click first, then this listener on the same element
# stops it going further.
_PRESS_JS = """<script>(() => { if (window.__ssPress) return; window.__ssPress = true;
  const root = document.getElementById("root") || document.body;
  root.addEventListener("click", (e) => { if (e.target.closest && e.target.closest(
    ".st-key-cockpit-refresh, .st-key-cockpit-expiry")) e.stopPropagation(); });
  window.__ssPressKey = (key) => { const b = document.querySelector(".st-key-" + key + " button");
    if (b) b.click(); }; })();</script>"""

# Run by every tick that found a stale part (the nonce makes the browser run it each time).
_REFRESH_JS = "<script>/* %s */ window.__ssPressKey && window.__ssPressKey('cockpit-refresh');</script>"

# A running timer that locks input when it ends: press refresh right then, so the lock shows at
# once instead of at the next tick.
_EXPIRY_JS = ("<script>clearTimeout(window.__ssExpiry); window.__ssExpiry = setTimeout(() => "
              "window.__ssPressKey && window.__ssPressKey('cockpit-expiry-refresh'), %d);</script>")


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


# ------------------------------------------------------------------------------ fingerprints
def _fingerprints(ws_id: int) -> dict[str, tuple]:
    """What each live part shows, as a cheap fingerprint (``Store.cockpit_state``). The step's
    tools and results (``MODERATION``) leave the incoming notes to the notes table (``NOTES``)
    when the step's layout has one."""
    state = store().cockpit_state(ws_id)
    steering = state["steering"]
    has_table = steering[0] is not None and _has_notes_table(ws_id)
    return {
        CONTROLS: steering,
        ROOM: state["room"],
        MODERATION: (*steering, *state["tally"], *(() if has_table else state["added"])),
        NOTES: (*steering, *state["added"], *state["tally"]),
    }


def _has_notes_table(ws_id: int) -> bool:
    ws = store().workshop(ws_id)
    steps = store().steps(ws_id)
    import layouts
    return layouts.has_notes_table(steps[min(ws.current_step, len(steps) - 1)])


def _drawn(key: str, fingerprint: tuple) -> None:
    drawn = st.session_state.setdefault(_DRAWN, {})
    if key == CONTROLS and drawn.get(key, (fingerprint,))[0] != fingerprint:
        st.session_state[_GATHERED] = []  # a new step or state: a burst starts afresh
    drawn[key] = (fingerprint, time.monotonic())


def stale(ws_id: int) -> list[str]:
    """The live parts whose fingerprint moved since they were drawn. Steering (step, lock,
    timer) redraws at once, with the parts it changes. What the room adds (notes, dots, "klaar"
    taps) shows at the next tick; in a busy room (``BUSY_REDRAWS`` such redraws within
    ``BUSY_WINDOW`` seconds) it is gathered into one redraw every ``MODERATION_GAP`` seconds."""
    now = _fingerprints(ws_id)
    drawn = st.session_state.get(_DRAWN, {})
    moved = {key for key, value in now.items()
             if drawn.get(key, (None, 0.0))[0] not in (None, value)}  # (None: not drawn in this session)
    steering = drawn.get(CONTROLS, (now[CONTROLS], 0.0))[0] != now[CONTROLS]
    recent = st.session_state.get(_GATHERED, [])
    busy = len(recent) >= BUSY_REDRAWS and time.monotonic() - recent[-1] < MODERATION_GAP
    if not steering and busy:
        moved.discard(ROOM), moved.discard(MODERATION), moved.discard(NOTES)
    return [key for key in now if key in moved]


def _refresh(ws_id: int) -> None:
    """The hidden refresh buttons' callback: rerun only the stale parts (nothing else is sent)."""
    ws = store().workshop(ws_id)
    if ws is not None:
        steps = store().steps(ws.id)
        store().enforce_timer(steps[min(ws.current_step, len(steps) - 1)])
    keys = stale(ws_id)
    if keys and CONTROLS not in keys:  # the room added something: remember when
        now = time.monotonic()
        st.session_state[_GATHERED] = [at for at in st.session_state.get(_GATHERED, [])
                                       if now - at < BUSY_WINDOW][-BUSY_REDRAWS + 1:] + [now]
    if internals.buttons_pressed_now() > 1:
        # The facilitator clicked at the same moment: both reached the server as one interaction,
        # whose run is the ticker's. A keyed rerun would replace it and leave the clicked part with
        # its old face ("Stemronde openen" after the round opened) until a later tick: redraw all.
        st.rerun()
    # (With nothing stale, say a part redrew itself meanwhile, only the small ticker runs.)
    st.rerun(keys or [TICKER])


def _context(fac: Facilitator):
    """The workshop, its steps and the current step, read afresh (the timer's lock enforced)."""
    ws = store().workshop(fac.workshop_id)
    steps = store().steps(ws.id)
    step = steps[min(ws.current_step, len(steps) - 1)]
    enforced = store().enforce_timer(step)
    if enforced is not step and enforced.locked != step.locked:
        ws = store().workshop(fac.workshop_id)
        steps = store().steps(ws.id)
        step = steps[min(ws.current_step, len(steps) - 1)]
    return ws, steps, step


# ------------------------------------------------------------------------------ live parts
@st.fragment(run_every=TICK_SECONDS, key=TICKER)
def ticker(fac: Facilitator) -> None:
    """Every tick: enforce the timer's automatic lock, and when a part went stale, press the
    hidden refresh button. A quiet tick draws nothing (its only cost on the wire is the run's
    start and end)."""
    try:
        ws = store().workshop(fac.workshop_id)
        if ws is None:
            return
        steps = store().steps(ws.id)
        store().enforce_timer(steps[min(ws.current_step, len(steps) - 1)])
        due = stale(ws.id)
    except StoreUnavailable:
        return
    if due:
        # The button lives in this fragment (a click outside every fragment would make the
        # browser drop this fragment's timer), and only in a tick that found something stale.
        st.button("↻", key="cockpit-refresh", on_click=_refresh, args=(ws.id,))
        st.html(_REFRESH_JS % time.monotonic_ns(), unsafe_allow_javascript=True)


def _part(key: str, fac: Facilitator, draw: Callable[[Workshop, list[Step], Step], None],
          before: Callable[[], None] | None = None) -> None:
    """Draw one live part from the workshop as it is now, and remember the fingerprint it drew
    (read first: a change that slips in while drawing makes the part stale, never lost).
    ``before`` stores what the part's own widgets sent, ahead of that reading (so a drop on the
    sort board does not make the part it came from stale)."""
    try:
        if before is not None:
            before()
        fingerprint = _fingerprints(fac.workshop_id)[key]
        ws, steps, step = _context(fac)
        draw(ws, steps, step)
        _drawn(key, fingerprint)
    except StoreUnavailable:
        st.warning(t("error.db_unavailable"))


def _controls(fac: Facilitator, ws: Workshop, steps: list[Step], step: Step) -> None:
    fv.step_controls(ws, steps, fac)
    fv.input_controls(step, fac, ws.state_version)
    timebox.facilitator_panel(step, fac, ws.state_version)
    view = timebox.current(step)
    if view is not None and view.state == "running" and step.timer_auto_lock:
        with st.container(key="cockpit-expiry"):
            st.button("↻", key="cockpit-expiry-refresh", on_click=_refresh, args=(ws.id,))
            st.html(_EXPIRY_JS % (view.left * 1000 + 400), unsafe_allow_javascript=True)
    show_flash(timebox.SCOPE)
    fv.screen_settings(ws, fac)
    show_flash(fv.SCOPE)


@st.fragment(key=CONTROLS)
def controls(fac: Facilitator) -> None:
    """Step, lock, reveal, stage, timer and the screen's join box: the real state."""
    _part(CONTROLS, fac, lambda ws, steps, step: _controls(fac, ws, steps, step))


@st.fragment(key=ROOM)
def room(fac: Facilitator) -> None:
    """How many are here, how many tapped "klaar", and who is still busy."""
    _part(ROOM, fac, lambda ws, _steps, step: fv.participants_panel(ws, step))


def _moderation(fac: Facilitator, ws: Workshop, step: Step) -> None:
    fv.script_panel(step)
    fv.render(ws, step, fac)


@st.fragment(key=MODERATION)
def moderation(fac: Facilitator) -> None:
    """The step's script, and its tools and results (dot rounds, clusters, answers, actions)."""
    _part(MODERATION, fac, lambda ws, _steps, step: _moderation(fac, ws, step))


@st.fragment(key=NOTES)
def notes(fac: Facilitator) -> None:
    """The step's notes, one line each, with what can be done to them, and on the wall the board
    to cluster them by dragging (its own part: notes pouring in redraw this part only)."""
    import layouts
    _part(NOTES, fac, lambda ws, _steps, step: layouts.facilitator_notes(ws, step, fac),
          before=lambda: layouts.take_moves(fac))


# ------------------------------------------------------------------------------ static panels
def header(ws) -> None:
    # The title is user text: escaped HTML, never Markdown (st.title would render **, [](), ![]()).
    html_block(f'<h1 class="ss-cockpit-title ss-user">{esc(t("fac.title", title=ws.title))}</h1>')


def preview(ws) -> None:
    """The projected screen as it is now: the real /scherm page, scaled into the column."""
    live_preview.frame("screen", "ss-preview", live_preview.screen_link(ws.code), t("fac.preview"), image=True)


def run(code: str | None, secret: str | None, partnership_id: str | None = None,
        partnership_secret: str | None = None) -> None:
    # The cockpit follows the room with its own ticker (fingerprints, see ``stale``), not by push.
    push.forget()
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
    if access.secret:  # its own link: this session may use the workshop's templates
        library_state.remember_facilitator(ws.code, access.secret)
    elif access.partnership_secret and ws.partnership_id is not None:  # its partnership's link: the partnership's
        from ui import partnership as ps

        ps.remember(ws.partnership_id, access.partnership_secret)
    html_block(COCKPIT_CSS)
    st.html(_PRESS_JS, unsafe_allow_javascript=True)
    left, right = st.columns([5, 7], gap="medium")
    with left:
        with st.container(key="cockpit-left"):
            header(ws)
            controls(fac)
            room(fac)
            preview(ws)
    with right:
        moderation(fac)
        notes(fac)
        st.divider()
        fv.links_panel(ws, access.secret, extra=lambda: library.cockpit_entry(fac, ws.code))
        fv.partnership_panel(ws, fac, access.partnership_id, access.partnership_secret)
        fv.room_settings(ws, fac)
        downloads.facilitator_panel(ws)
        fv.danger_zone(ws, fac)
    ticker(fac)
