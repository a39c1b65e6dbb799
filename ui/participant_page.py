"""Joining a workshop and the participant's page around the active step."""

from __future__ import annotations

import hashlib
import secrets

import streamlit as st

from messages import ORG_TYPES, t
import layouts
from ui import downloads, drafts, push, timebox
from ui.common import client_keys, esc, flash, fragment_rerun, guarded, html_block, show_flash, store
from ui.inputs import READY_KEY, readiness
from workshop.throttle import JOIN_CODES
from workshop import Participant, Step, StoreUnavailable, UserError, Workshop, normalise_code, settings


#: A phone's own check for a change it was not told about (ui/push.py tells it at once, and
#: asks again when a push led to no redraw). Every check is a script run on the server: at
#: 20 s, 400 idle phones made 20 runs a second, most of the server's idle CPU (bench/live.py).
POLL_SECONDS = settings.get().phone_poll_seconds
#: How often a page retries while the database cannot be reached.
RECOVER_SECONDS = 3.0


def identify() -> tuple[Workshop | None, Participant | None]:
    """Workshop and participant from the URL (`?room=CODE&p=TOKEN`)."""
    code = st.query_params.get("room")
    if not code:
        return None, None
    token = st.query_params.get("p")
    if token:
        # A participant's own link (a 144-bit token) is no guess: other people's wrong codes
        # from the same address must never send a joined phone back to the code form.
        who = store().participant(code, token)
        if who is not None:
            ws = store().workshop_by_code(code)
            if ws is not None:
                return ws, who
    if _slowed_down():  # a code in the link is a guess like any other
        del st.query_params["room"]
        return None, None
    ws = store().workshop_by_code(code)
    if ws is None:
        JOIN_CODES.miss(*client_keys())
        flash("code", t("error.unknown_room"))
        del st.query_params["room"]
        return None, None
    if token:  # a token that does not belong to this workshop (looked up above)
        flash("join", t("join.unknown_token"))
        del st.query_params["p"]
    return ws, None


def _slowed_down() -> bool:
    """True (and a Dutch message) while this client must wait before trying another code."""
    wait = JOIN_CODES.wait_left(*client_keys())
    if wait:
        flash("code", t("error.slow_down", seconds=wait))
    return bool(wait)


def _check_code() -> None:
    if _slowed_down():
        return
    code = normalise_code(st.session_state.get("join-code", ""))
    if len(code) != 6:
        flash("code", t("error.bad_code"))
        return
    ws = store().workshop_by_code(code)
    if ws is None:
        JOIN_CODES.miss(*client_keys())
        flash("code", t("error.unknown_room"))
        return
    st.query_params["room"] = ws.code


def code_form() -> None:
    st.title(t("app.name"))
    st.caption(t("app.tagline"))
    st.subheader(t("join.title"))
    with st.form("code-form"):
        st.text_input(t("join.code"), key="join-code", max_chars=12, help=t("join.code_help"),
                      placeholder="K7MQ4X")
        st.form_submit_button(t("join.submit"), type="primary", on_click=_check_code, width="stretch")
    show_flash("code")
    st.page_link("pages/nieuw.py", label=t("join.facilitator_link"))


def _join_key(ws: Workshop, name: str, org_type: str) -> str:
    """Idempotency key of a join, derived from this browser session and what was sent: a
    double tap or a resent form joins once (the same participant comes back), while
    someone else joining from the same device with another name gets a place of their own."""
    base = st.session_state.setdefault("join-idem", secrets.token_hex(16))
    raw = "\x1f".join([base, ws.code, " ".join(name.split()), org_type])
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:48]


def _join(ws: Workshop) -> None:
    state = st.session_state
    name, org_type = str(state.get("join-name") or ""), str(state.get("join-org") or "")
    key = _join_key(ws, name, org_type)
    result: list[Participant] = []
    ok = guarded("join", lambda: result.append(store().join(ws.code, name=name, org_type=org_type, idem_key=key)))
    if ok:
        st.query_params["p"] = result[0].token


def join_form(ws: Workshop) -> None:
    html_block(f'<h2 class="ss-user">{esc(t("join.room_title", title=ws.title))}</h2>')
    if ws.anonymous:
        st.info(t("join.anonymous_note"))
    with st.form("join-form"):
        st.text_input(t("join.name_optional") if ws.anonymous else t("join.name"), key="join-name",
                      max_chars=60, help=t("join.name_help"))
        st.selectbox(t("join.org_type"), list(ORG_TYPES), format_func=ORG_TYPES.get, index=None,
                     key="join-org", placeholder=t("join.org_placeholder"))
        st.form_submit_button(t("join.go"), type="primary", on_click=_join, args=(ws,), width="stretch")
    show_flash("join")


@st.fragment(run_every=POLL_SECONDS)
def _follow(workshop_id: int, seen: int) -> None:
    """The safety net under ui/push.py: check one cheap number now and then; when the
    facilitator changed something that no push brought here, rerun the page."""
    try:
        version = store().state(workshop_id, max_age=0.5)[0]
    except Exception:
        html_block(f'<p role="status" class="ss-user">{esc(t("participant.offline"))}</p>')
        return
    if version != seen:
        st.rerun(scope="app")


@st.fragment
def _step_area(ws: Workshop, who: Participant, step: Step) -> bool:
    """The active step's inputs. A submit or a tap in here reruns only this part of the
    page, not the header, the styles and the lookups around it: that halves the server's
    work per submit (bench/live.py). What the facilitator changes still redraws the whole
    page (ui/push.py, `_follow`, or the check below). Returns (in a full run) whether the
    phone should offer "klaar"."""
    if fragment_rerun():
        try:
            version = store().state(ws.id, max_age=0.5)[0]
        except UserError:  # the database is away, or the workshop was deleted meanwhile
            version = None
        if version != ws.state_version:
            st.rerun(scope="app")  # the whole page knows how to show that
    try:
        offer_ready = layouts.participant(ws, step, who)
        drafts.keeper(who, step)
        return offer_ready
    except StoreUnavailable:
        if not fragment_rerun():
            raise
        st.rerun(scope="app")


def participant_page(ws: Workshop, who: Participant) -> None:
    version, position = ws.state_version, ws.current_step  # `ws` was read in this same run
    steps = store().steps(ws.id)
    if not steps:  # the workshop was deleted a moment ago (retention, or the editor's practice workshop)
        st.warning(t("error.unknown_room"))
        return
    step = steps[min(position, len(steps) - 1)]
    greeting = t("join.welcome_anon") if ws.anonymous or not who.name else t("join.welcome", name=who.name)
    html_block(f'<p class="ss-user ss-greeting" style="margin:0">{esc(greeting)} · {esc(ws.title)}</p>')
    st.caption(t("participant.step", n=step.position + 1, total=len(steps)))
    html_block(f'<h2 class="ss-user" style="margin-top:0">{esc(step.werkvorm.title)}</h2>')
    timebox.phone_badge(step)
    show_flash("join")
    st.session_state.pop(READY_KEY, None)  # `who` is fresh from the database
    drafts.install()
    if _step_area(ws, who, step):
        readiness(step, who)
    downloads.participant_download(ws)
    push.follow(ws.id, version)
    _follow(ws.id, version)
    st.caption(t("join.bookmark"))


@st.fragment(run_every=RECOVER_SECONDS)
def recover() -> None:
    """While the database is unreachable: try again quietly, and redraw the page once it is back."""
    try:
        store().db_ok()
    except StoreUnavailable:
        return
    st.rerun(scope="app")


def page() -> None:
    """The whole participant page at `/`; survives a brief database outage."""
    push.forget()  # until this run shows a participant page again
    try:
        workshop, participant = identify()
        if participant is not None:
            participant_page(workshop, participant)
        elif workshop is not None:
            join_form(workshop)
        else:
            code_form()
    except StoreUnavailable:
        st.warning(t("error.db_unavailable"))
        recover()
