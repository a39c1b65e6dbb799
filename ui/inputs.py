"""What a participant sees and does in the active step (phone first)."""

from __future__ import annotations

import hashlib
from dataclasses import replace

import streamlit as st

from messages import t
from ui import kinds
from ui.common import esc, fragment_rerun, guarded, html_block, restore_drafts, show_flash, store
from workshop import Participant, Step, Workshop

NOTE_KINDS = ("note", "tagged_note")
#: (step id, ids of this phone's participant's own live notes in it): what "Mijn briefjes (n)"
#: counts when a submit reruns only the step's fragment. Every full run reads it afresh.
OWN_KEY = "_own_notes"


def content_key(who: Participant, step: Step, *parts: object) -> str:
    """Idempotency key derived from what was sent: a double tap or a resent
    form carries the same content and therefore stores one row."""
    raw = "\x1f".join([who.token, str(step.id), *map(str, parts)])
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:48]


def active_section(step: Step, scope: str) -> str:
    wv = step.werkvorm
    if wv.sequential:
        return wv.sections[min(step.stage, len(wv.sections) - 1)].key
    if len(wv.sections) == 1:
        return wv.sections[0].key
    keys = [s.key for s in wv.sections]
    titles = {s.key: s.title for s in wv.sections}
    return st.selectbox(t("participant.section"), keys, format_func=titles.get, key=f"{scope}:section")


def _send_note(who: Participant, step: Step, section: str, prefix: str, scope: str) -> None:
    wv = step.werkvorm
    for spec in wv.fields:
        if spec.kind not in NOTE_KINDS:
            continue
        value = kinds.read_value(spec, prefix)
        text, tags = (value["text"], value["tags"]) if isinstance(value, dict) else (value, [])
        key = content_key(who, step, section, spec.key, (text or "").strip())
        stored: list[int] = []
        ok = guarded(scope, lambda: stored.append(store().add_note(
            who, step.id, section=section, field=spec.key, text=text or "", tags=tags, idem_key=key)),
            t("participant.sent"))
        if ok:
            kinds.clear_value(spec, prefix)
            _own_changed(step, add=stored[0])


def _delete_note(who: Participant, step: Step, note_id: int, scope: str) -> None:
    if guarded(scope, lambda: store().delete_own(who, note_id), t("participant.deleted")):
        _own_changed(step, drop=note_id)


def _own_changed(step: Step, *, add: int | None = None, drop: int | None = None) -> None:
    """Keep the count of own notes true after this phone's own submit or delete
    (a second tap on "Versturen" returns the same id, so it counts once)."""
    known = st.session_state.get(OWN_KEY)
    if known is None or known[0] != step.id:
        return  # nothing known yet: the next run reads the notes
    ids = set(known[1])
    if add is not None:
        ids.add(add)
    if drop is not None:
        ids.discard(drop)
    st.session_state[OWN_KEY] = (step.id, frozenset(ids))


def _own_notes(step: Step, who: Participant) -> list[dict]:
    """This participant's own live notes in the step, from the database, remembered for
    :func:`_own_count`."""
    mine = store().contributions(step.id, participant_id=who.id)  # only our own rows: O(1) per run
    st.session_state[OWN_KEY] = (step.id, frozenset(note["id"] for note in mine))
    return mine


def _own_count(step: Step, who: Participant) -> tuple[int, list[dict] | None]:
    """How many own notes to show in the label, and the notes when they were read.

    A submit reruns only the step's fragment; reading the notes again there, right after the
    write, was about a quarter of the server's CPU per submit and 6 ms of its latency
    (bench/live.py, live-200: 13.9 -> 10.1 ms per submit). So a fragment rerun
    counts what this phone knows (:func:`_own_changed`), and a full run reads it afresh
    (a note the facilitator hid, or one sent from a second device, shows up there)."""
    known = st.session_state.get(OWN_KEY)
    if fragment_rerun() and known is not None and known[0] == step.id:
        return len(known[1]), None
    mine = _own_notes(step, who)
    return len(mine), mine


def locked_notice(step: Step) -> None:
    """The phone while input is closed. A send the lock refused said so already (its flash is used up
    here, not shown later when input opens again); what was typed waits in the drafts."""
    st.session_state.pop(f"_flash:p{step.id}", None)
    st.info(t("participant.locked"))


def note_form(ws: Workshop, step: Step, who: Participant) -> None:
    scope = f"p{step.id}"
    restore_drafts(scope)
    section_key = active_section(step, scope)
    section = step.werkvorm.section(section_key)
    if section.question:
        html_block(f'<p class="ss-user" style="font-size:1.1rem"><b>{esc(section.question)}</b></p>')
    prefix = f"{scope}:{section_key}"
    with st.form(f"form:{prefix}", clear_on_submit=False, border=True):
        for spec in step.werkvorm.fields:
            if spec.kind in NOTE_KINDS:
                kinds.render_input(spec, prefix, tags=step.werkvorm.tags)
        st.form_submit_button(t("participant.send"), type="primary", on_click=_send_note,
                              args=(who, step, section_key, prefix, scope), width="stretch")
    show_flash(scope)
    count, mine = _own_count(step, who)
    if not count:
        return
    # The list and its buttons are drawn only while the participant has it open: with them on
    # every submit, a submit cost half as much again (bench/live.py, a few notes each).
    box = st.expander(t("participant.my_notes", count=count), key=f"mine:{step.id}", on_change="rerun")
    if box.open:
        with box:
            for note in mine if mine is not None else _own_notes(step, who):
                html_block(kinds.note_card(note, anonymous=True, show_author=False))
                st.button(t("participant.delete"), key=f"del:{note['id']}", on_click=_delete_note,
                          args=(who, step, note["id"], scope))


READY_KEY = "_ready_step"  # what this phone last tapped, for reruns of only the step's fragment


def _ready(who: Participant, position: int | None) -> None:
    store().set_ready(who, position)
    st.session_state[READY_KEY] = (who.id, position)


def as_tapped(who: Participant) -> Participant:
    """``who`` with the 'klaar' state this phone set since ``who`` was read."""
    tapped = st.session_state.get(READY_KEY)
    if tapped is None or tapped[0] != who.id:
        return who
    return replace(who, ready_step=tapped[1])


@st.fragment
def readiness(step: Step, who: Participant) -> None:
    """"Ik ben klaar". Its own fragment, outside the step's: a submit does not redraw it,
    and a tap on it redraws only this. ``who`` was read in the last full run; a tap since
    is in session state (``as_tapped``)."""
    who = as_tapped(who)
    if who.ready_step == step.position:
        st.success(t("participant.ready_done"))
        st.button(t("participant.not_ready"), key="ready-off", on_click=_ready, args=(who, None))
    else:
        st.button(t("participant.ready"), key="ready-on", on_click=_ready, args=(who, step.position),
                  width="stretch")

