"""The facilitator's tools for notes: edit the text, move to another block or
stage, change function tags, merge, hide and show again.

Used by the canvas, GROW and brainstorm facilitator views. Every change goes
through a :class:`workshop.Facilitator` capability.
"""

from __future__ import annotations

import hashlib
from typing import Callable, Mapping, Sequence

import streamlit as st

from canvas_models import FUNCTIONS
from messages import t
from ui import facilitator as fv
from ui import kinds
from ui.common import esc, guarded, html_block, store
from workshop import Facilitator, Limits, Step, Workshop

Note = Mapping[str, object]


def digest(value: object) -> str:
    return hashlib.sha1(repr(value).encode("utf-8")).hexdigest()[:10]


def short(text: object, width: int = 70) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def pick_key(step: Step) -> str:
    return f"pick-{step.id}"


def is_live(note: Note) -> bool:
    """Shown to the group: not hidden, not merged into another note."""
    return not note.get("hidden") and note.get("merged_into") is None


# -------------------------------------------------------------- callbacks
def _save(fac: Facilitator, note: Note, keys: dict[str, str]) -> None:
    state = st.session_state
    values: dict[str, object] = {}
    text = state.get(keys["text"], note["text"])
    if text != note["text"]:
        values["text"] = text
    if "section" in keys and state.get(keys["section"], note["section"]) != note["section"]:
        values["section"] = state[keys["section"]]
    if "tags" in keys:
        tags = [f for f in FUNCTIONS if f in (state.get(keys["tags"]) or [])]
        if tags != list(note.get("tags") or []):
            values["tags"] = tags
    if not values:
        return
    guarded(fv.SCOPE, lambda: store().moderate(fac, int(note["id"]), **values), t("notetool.saved"))


def _merge(fac: Facilitator, keep_id: int, key: str) -> None:
    others = list(st.session_state.get(key) or [])
    if not others:
        return
    if guarded(fv.SCOPE, lambda: store().merge_notes(fac, keep_id, others),
               t("notetool.merged", count=len(others))):
        st.session_state[key] = []


def _moderate(fac: Facilitator, note_id: int, success: str | None = None, **values) -> None:
    guarded(fv.SCOPE, lambda: store().moderate(fac, note_id, **values), success)


def _pick(step: Step, note_id: int) -> None:
    st.session_state[pick_key(step)] = note_id


# ------------------------------------------------------------------ views
def note_label(note: Note, section_titles: Mapping[str, str] | None = None) -> str:
    """One line for a selectbox: number, block or stage, start of the text."""
    parts = [f"#{note['id']}"]
    if section_titles:
        parts.append(section_titles.get(str(note["section"]), str(note["section"])))
    parts.append(short(note["text"], 60))
    if note.get("merged_into") is not None:
        parts.append(t("notetool.merged_mark", id=note["merged_into"]))
    elif note.get("hidden"):
        parts.append(t("fac.hidden_mark"))
    return " · ".join(parts)


def editor(ws: Workshop, step: Step, fac: Facilitator, notes: Sequence[Note], *, sections: bool = True,
           tags: bool = False) -> None:
    """Choose one note, then edit its text, move it, change its tags, merge others into it, hide it."""
    wv = step.werkvorm
    titles = {s.key: s.title for s in wv.sections}
    by_id = {int(n["id"]): n for n in notes}
    key = pick_key(step)
    if st.session_state.get(key) is not None and st.session_state.get(key) not in by_id:
        st.session_state[key] = None
    chosen = st.selectbox(t("notetool.pick"), list(by_id), index=None, key=key,
                          format_func=lambda nid: note_label(by_id[nid], titles if len(titles) > 1 else None),
                          placeholder=t("notetool.pick_placeholder"))
    if chosen is None:
        return
    note = by_id[chosen]
    html_block(kinds.note_card(note, anonymous=ws.anonymous))
    keys = {"text": f"edit-text-{chosen}-{digest(note['text'])}"}
    with st.form(f"edit-form-{chosen}", border=True):
        st.text_area(t("notetool.text"), value=str(note["text"]), key=keys["text"], max_chars=Limits.TEXT,
                     height=100)
        if sections and len(titles) > 1:
            keys["section"] = f"edit-sec-{chosen}-{note['section']}"
            options = list(titles)
            st.selectbox(t("notetool.section"), options, format_func=titles.get, key=keys["section"],
                         index=options.index(note["section"]) if note["section"] in options else 0)
        if tags:
            keys["tags"] = f"edit-tags-{chosen}-{digest(note.get('tags'))}"
            st.multiselect(t("kind.tags"), list(FUNCTIONS), default=[x for x in note.get("tags") or []
                                                                      if x in FUNCTIONS], key=keys["tags"],
                           placeholder=t("grow.tags_placeholder"))
        st.form_submit_button(t("notetool.save"), type="primary", on_click=_save, args=(fac, note, keys))
    cols = st.columns(2)
    if note.get("merged_into") is not None:
        cols[0].button(t("notetool.unmerge"), key=f"unmerge-{chosen}", on_click=_moderate,
                       args=(fac, chosen, t("notetool.unmerged")), kwargs={"merged_into": None, "hidden": False})
        return
    if note.get("hidden"):
        cols[0].button(t("fac.show"), key=f"ed-show-{chosen}", on_click=_moderate, args=(fac, chosen),
                       kwargs={"hidden": False})
        return
    cols[0].button(t("fac.hide"), key=f"ed-hide-{chosen}", on_click=_moderate, args=(fac, chosen),
                   kwargs={"hidden": True})
    others = [n for n in notes if int(n["id"]) != chosen and is_live(n)]
    if others:
        merge_key = f"merge-{chosen}"
        st.multiselect(t("notetool.merge_with"), [int(n["id"]) for n in others], key=merge_key,
                       format_func=lambda nid: note_label(by_id[nid], titles if len(titles) > 1 else None),
                       help=t("notetool.merge_help"), placeholder=t("notetool.choose"))
        st.button(t("notetool.merge"), key=f"merge-go-{chosen}", on_click=_merge, args=(fac, chosen, merge_key),
                  disabled=not st.session_state.get(merge_key))


def note_row(ws: Workshop, step: Step, fac: Facilitator, note: Note, *, votes: int | None = None,
             extra: Callable[[Note], None] | None = None) -> None:
    """A note in the facilitator's list: the card, hide/show, edit, and an optional extra control."""
    nid = int(note["id"])
    with st.container(border=True):
        card = kinds.note_card(note, anonymous=ws.anonymous, votes=votes)
        if note.get("merged_into") is not None:
            card += f'<p class="ss-meta">{esc(t("notetool.merged_mark", id=note["merged_into"]))}</p>'
        html_block(card)
        # One row of controls; fixed widths so they keep their size on a narrow screen too.
        with st.container(horizontal=True, vertical_alignment="bottom", gap="small"):
            if note.get("merged_into") is None:
                if note.get("hidden"):
                    st.button(t("fac.show"), key=f"show-{nid}", on_click=_moderate, args=(fac, nid),
                              kwargs={"hidden": False}, width=120)
                else:
                    st.button(t("fac.hide"), key=f"hide-{nid}", on_click=_moderate, args=(fac, nid),
                              kwargs={"hidden": True}, width=120)
            st.button(t("notetool.edit"), key=f"edit-{nid}", on_click=_pick, args=(step, nid), width=120)
            if extra is not None:
                extra(note)
