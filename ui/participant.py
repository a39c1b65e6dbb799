"""What a participant sees and does in the active step (phone first)."""

from __future__ import annotations

import hashlib

import streamlit as st

from messages import t
from ui import kinds
from ui.common import esc, guarded, html_block, restore_drafts, show_flash, store
from workshop import Participant, Step, Workshop, new_key

NOTE_KINDS = ("note", "tagged_note")
ANSWER_KINDS = ("score", "text")


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
        ok = guarded(scope, lambda: store().add_note(
            who, step.id, section=section, field=spec.key, text=text or "", tags=tags, idem_key=key),
            t("participant.sent"))
        if ok:
            kinds.clear_value(spec, prefix)


def _send_answers(who: Participant, step: Step, scope: str) -> None:
    wv = step.werkvorm
    answer_fields = [f for f in wv.fields if f.kind in ANSWER_KINDS]

    def run() -> None:
        for section in wv.sections:
            prefix = f"{scope}:{section.key}"
            values = {f.key: kinds.read_value(f, prefix) for f in answer_fields}
            # The newest answer wins, so a repeated save is harmless; a fresh key keeps A -> B -> A working.
            store().answer(who, step.id, section=section.key, values=values, idem_key=new_key())
    guarded(scope, run, t("participant.saved"))


def _send_action(who: Participant, step: Step, prefix: str, scope: str) -> None:
    spec = next(f for f in step.werkvorm.fields if f.kind == "action")
    value = kinds.read_value(spec, prefix)
    key = content_key(who, step, "action", value.get("what"), value.get("owner"), value.get("partner"),
                      value.get("due"))
    ok = guarded(scope, lambda: store().propose_action(
        who, idem_key=key, source=step.werkvorm_key, what=value.get("what") or "", owner=value.get("owner") or "",
        partner=value.get("partner") or "", due=value.get("due")), t("participant.sent"))
    if ok:
        kinds.clear_value(spec, prefix)


def _delete_note(who: Participant, note_id: int, scope: str) -> None:
    guarded(scope, lambda: store().delete_own(who, note_id), t("participant.deleted"))


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
                kinds.render_input(spec, prefix)
        st.form_submit_button(t("participant.send"), type="primary", on_click=_send_note,
                              args=(who, step, section_key, prefix, scope), width="stretch")
    show_flash(scope)
    mine = store().contributions(step.id, participant_id=who.id)  # only our own rows: O(1) per run, not O(notes)
    if mine:
        with st.expander(t("participant.my_notes", count=len(mine))):
            for note in mine:
                html_block(kinds.note_card(note, anonymous=True, show_author=False))
                st.button(t("participant.delete"), key=f"del:{note['id']}", on_click=_delete_note,
                          args=(who, note["id"], scope))


def answer_form(ws: Workshop, step: Step, who: Participant) -> None:
    scope = f"p{step.id}"
    restore_drafts(scope)
    wv = step.werkvorm
    current = {(a["section"], a["field"]): a for a in store().latest_answers(step.id, who.id)}
    with st.form(f"form:{scope}:answers", clear_on_submit=False, border=False):
        for section in wv.sections:
            with st.container(border=True):
                html_block(f'<h3 class="ss-user" style="margin:0">{esc(section.title)}</h3>'
                           f'<p class="ss-user">{esc(section.question)}</p>')
                for spec in wv.fields:
                    if spec.kind in ANSWER_KINDS:
                        kinds.render_input(spec, f"{scope}:{section.key}", current.get((section.key, spec.key)))
        st.form_submit_button(t("participant.save"), type="primary", on_click=_send_answers,
                              args=(who, step, scope), width="stretch")
    show_flash(scope)


def action_form(ws: Workshop, step: Step, who: Participant) -> None:
    scope = f"p{step.id}"
    restore_drafts(scope)
    prefix = f"{scope}:action"
    spec = next(f for f in step.werkvorm.fields if f.kind == "action")
    with st.form(f"form:{prefix}", clear_on_submit=False):
        kinds.render_input(spec, prefix)
        st.form_submit_button(t("participant.send"), type="primary", on_click=_send_action,
                              args=(who, step, prefix, scope), width="stretch")
    show_flash(scope)


def _vote(who: Participant, step: Step, target_type: str, target_id: int, seen: int, scope: str, add: bool) -> None:
    if add:
        key = content_key(who, step, "vote", target_type, target_id, seen)
        guarded(scope, lambda: store().place_vote(who, step.id, target_type=target_type, target_id=target_id,
                                                  idem_key=key))
    else:
        guarded(scope, lambda: store().remove_vote(who, step.id, target_type=target_type, target_id=target_id))


def voting(ws: Workshop, step: Step, who: Participant) -> None:
    """Dot voting on notes or clusters, within the budget."""
    scope = f"v{step.id}"
    mine = store().my_votes(who, step.id)
    left = step.dots - len(mine)
    st.subheader(t("vote.title"))
    st.info(t("vote.left", left=left, dots=step.dots))
    show_flash(scope)
    if step.vote_target == "cluster":
        targets = [{"id": c["id"], "text": c["name"]} for c in store().clusters(step.id)]
    else:
        targets = store().contributions(step.id)
    for item in targets:
        given = sum(1 for tt, tid in mine if tt == step.vote_target and tid == item["id"])
        with st.container(border=True):
            html_block(f'<div class="ss-user">{esc(item["text"])}</div>')
            cols = st.columns([1, 1, 1])
            cols[0].markdown(t("vote.given", count=given))
            cols[1].button(t("vote.add"), key=f"va:{step.vote_target}:{item['id']}", disabled=left <= 0,
                           on_click=_vote, args=(who, step, step.vote_target, item["id"], given, scope, True))
            cols[2].button(t("vote.remove"), key=f"vr:{step.vote_target}:{item['id']}", disabled=given == 0,
                           on_click=_vote, args=(who, step, step.vote_target, item["id"], given, scope, False))


def _ready(who: Participant, position: int | None) -> None:
    store().set_ready(who, position)


def readiness(ws: Workshop, step: Step, who: Participant) -> None:
    # `who` was read from the database in this same run (join.identify), after any callback.
    if who.ready_step == step.position:
        st.success(t("participant.ready_done"))
        st.button(t("participant.not_ready"), key="ready-off", on_click=_ready, args=(who, None))
    else:
        st.button(t("participant.ready"), key="ready-on", on_click=_ready, args=(who, step.position),
                  width="stretch")


def step_view(ws: Workshop, step: Step, who: Participant) -> None:
    """The participant's part of the active step."""
    wv = step.werkvorm
    kinds_used = {f.kind for f in wv.fields}
    if step.locked:
        st.info(t("participant.locked"))
        return
    if step.voting_open and wv.votes:
        voting(ws, step, who)
        return
    if kinds_used & set(NOTE_KINDS):
        note_form(ws, step, who)
    if kinds_used & set(ANSWER_KINDS):
        answer_form(ws, step, who)
    if "action" in kinds_used:
        action_form(ws, step, who)
    readiness(ws, step, who)
