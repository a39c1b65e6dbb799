"""The facilitator's tools for notes: one line per note in a table, and on the selected lines:
hide and show again, merge, put in a cluster, make actions; edit the text, move to another block
or stage, change function tags of one note.

Used by the canvas, GROW and brainstorm facilitator views. Every change goes
through a :class:`workshop.Facilitator` capability.
"""

from __future__ import annotations

import hashlib
from typing import Callable, Mapping, Sequence

import streamlit as st

from messages import t
from ui import step_controls as fv
from ui.common import esc, guarded, html_block, store
from workshop import Facilitator, Limits, Step, Workshop
from workshop.aggregate import is_visible

Note = Mapping[str, object]


def digest(value: object) -> str:
    return hashlib.sha1(repr(value).encode("utf-8")).hexdigest()[:10]


def short(text: object, width: int = 70) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


#: Shown to the group (the one rule of :func:`workshop.aggregate.is_visible`).
is_live = is_visible


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
        tags = [f for f in keys["vocabulary"].split() if f in (state.get(keys["tags"]) or [])]
        if tags != list(note.get("tags") or []):
            values["tags"] = tags
    if not values:
        return
    guarded(fv.SCOPE, lambda: store().moderate(fac, int(note["id"]), **values), t("notetool.saved"))


# ------------------------------------------------------------------ views
def table_key(step: Step) -> str:
    return f"notes-{step.id}"


def _rows_of(value: object) -> list[int]:
    """The selected row positions from a dataframe's selection state."""
    if value is None:
        return []
    sel = value.get("selection") if isinstance(value, Mapping) else getattr(value, "selection", None)
    if sel is None:
        return []
    rows = sel.get("rows") if isinstance(sel, Mapping) else getattr(sel, "rows", None)
    return [int(r) for r in rows or ()]


def selected(step: Step) -> list[int]:
    """Ids of the notes selected in the step's table (rows only ever append: stable positions)."""
    key = table_key(step)
    ids = st.session_state.get(f"_rows:{key}") or ()
    return [ids[i] for i in _rows_of(st.session_state.get(key)) if 0 <= i < len(ids)]


def _live_ids(step: Step) -> list[int]:
    chosen = set(selected(step))
    return [int(n["id"]) for n in store().contributions(step.id, include_hidden=True)
            if int(n["id"]) in chosen and is_live(n)]


def _hide_selected(fac: Facilitator, step: Step, hidden: bool) -> None:
    def run() -> None:
        chosen = set(selected(step))
        for note in store().contributions(step.id, include_hidden=True):
            if int(note["id"]) not in chosen:
                continue
            if hidden and is_live(note):
                store().moderate(fac, int(note["id"]), hidden=True)
            elif not hidden and not is_live(note):
                store().moderate(fac, int(note["id"]), hidden=False, merged_into=None)
    guarded(fv.SCOPE, run)


def _merge_selected(fac: Facilitator, step: Step) -> None:
    ids = sorted(_live_ids(step))
    if len(ids) < 2:
        return
    guarded(fv.SCOPE, lambda: store().merge_notes(fac, ids[0], ids[1:]), t("notetool.merged", count=len(ids) - 1))


def _cluster_selected(fac: Facilitator, step: Step, target_key: str) -> None:
    ids = _live_ids(step)
    if ids:
        guarded(fv.SCOPE, lambda: store().assign_cluster(fac, step.id, ids, st.session_state.get(target_key)),
                t("wall.x_assigned", count=len(ids)))


def _action_selected(fac: Facilitator, step: Step, source: str, link: str) -> None:
    made = store().note_actions(fac.workshop_id)
    ids = [nid for nid in _live_ids(step) if nid not in made]

    def run() -> None:
        for nid in ids:
            store().note_to_action(fac, nid, source=source, link=link)
    if ids:
        guarded(fv.SCOPE, run, t("grow.action_done"))


def status(note: Note, made: Mapping[int, int] | None = None) -> str:
    if note.get("merged_into") is not None:
        return t("notetool.merged_mark", id=note["merged_into"])
    if note.get("hidden"):
        return t("fac.hidden_mark")
    if made and int(note["id"]) in made:
        return t("grow.action_made", id=made[int(note["id"])])
    return ""


def notes_table(ws: Workshop, step: Step, fac: Facilitator, notes: Sequence[Note], *,
                group: tuple[str, Callable[[Note], str]] | None = None, votes: Mapping[int, int] | None = None,
                clusters: Mapping[int, str] | None = None, action: tuple[str, str] | None = None,
                made: Mapping[int, int] | None = None, sections: bool = True, tags: bool = False) -> None:
    """Every note of the step on one line of a table (hidden and merged ones too, marked), sorted
    by arrival so that rows keep their place. Select lines (click, touch, or the keyboard in the
    grid), then act on them: hide or show, merge into the first, put in a cluster, make actions
    (``action`` = (source, link)). With one line selected its text, block and functions can be
    edited."""
    import pandas as pd

    rows = sorted(notes, key=lambda n: int(n["id"]))
    ids = [int(n["id"]) for n in rows]
    key = table_key(step)
    st.session_state[f"_rows:{key}"] = tuple(ids)
    votes = votes or {}
    data: dict[str, list] = {t("notetool.col_id"): ids, t("notetool.col_text"): [str(n["text"]) for n in rows]}
    if group is not None:
        data[group[0]] = [group[1](n) for n in rows]
    if votes:
        data[t("notetool.col_votes")] = [votes.get(n["id"], 0) for n in rows]
    data[t("notetool.col_state")] = [status(n, made) for n in rows]
    if not ws.anonymous:
        data[t("notetool.col_by")] = [str(n.get("name") or "") for n in rows]
    if not rows:
        st.caption(t("kind.empty_wall"))
        return
    st.caption(t("notetool.table_help"))
    st.dataframe(pd.DataFrame(data), key=key, on_select="rerun", selection_mode="multi-row", hide_index=True,
                 width="stretch", height=min(38 + 35 * len(rows), 430),
                 column_config={t("notetool.col_id"): st.column_config.NumberColumn(width="small", format="%d"),
                                t("notetool.col_text"): st.column_config.TextColumn(width="large")})
    chosen = [nid for nid in selected(step) if nid in set(ids)]
    by_id = {int(n["id"]): n for n in rows}
    live = [nid for nid in chosen if is_live(by_id[nid])]
    gone = [nid for nid in chosen if not is_live(by_id[nid])]
    with st.container(horizontal=True, gap="small", vertical_alignment="bottom", key=f"notes-bar-{step.id}"):
        st.button(t("notetool.hide_n", count=len(live)), key=f"notes-hide-{step.id}", disabled=not live,
                  on_click=_hide_selected, args=(fac, step, True))
        st.button(t("notetool.show_n", count=len(gone)), key=f"notes-show-{step.id}", disabled=not gone,
                  on_click=_hide_selected, args=(fac, step, False))
        st.button(t("notetool.merge"), key=f"notes-merge-{step.id}", disabled=len(live) < 2,
                  on_click=_merge_selected, args=(fac, step), help=t("notetool.merge_help"))
        if clusters:
            target = f"notes-target-{step.id}"
            options = [None, *clusters]
            st.selectbox(t("wall.x_bulk_target"), options, index=1 if len(options) > 1 else 0, key=target,
                         format_func=lambda cid: t("wall.unclustered") if cid is None else clusters[cid],
                         label_visibility="collapsed", width=220)
            st.button(t("notetool.to_cluster"), key=f"notes-cluster-{step.id}", disabled=not live,
                      on_click=_cluster_selected, args=(fac, step, target), type="primary")
        if action is not None:
            st.button(t("grow.to_action"), key=f"notes-act-{step.id}", type="primary",
                      disabled=not [nid for nid in live if nid not in (made or {})],
                      on_click=_action_selected, args=(fac, step, *action))
    if len(chosen) == 1:
        edit_form(fac, step, by_id[chosen[0]], sections=sections, tags=tags)


def edit_form(fac: Facilitator, step: Step, note: Note, *, sections: bool = True, tags: bool = False) -> None:
    """Edit the text of one note, move it to another block or stage, change its functions."""
    titles = {s.key: s.title for s in step.werkvorm.sections}
    chosen = int(note["id"])
    keys = {"text": f"edit-text-{chosen}-{digest(note['text'])}"}
    with st.form(f"edit-form-{chosen}", border=True):
        st.text_area(t("notetool.text"), value=str(note["text"]), key=keys["text"], max_chars=Limits.TEXT,
                     height=80)
        if sections and len(titles) > 1:
            keys["section"] = f"edit-sec-{chosen}-{note['section']}"
            options = list(titles)
            st.selectbox(t("notetool.section"), options, format_func=titles.get, key=keys["section"],
                         index=options.index(note["section"]) if note["section"] in options else 0)
        if tags:
            keys["tags"] = f"edit-tags-{chosen}-{digest(note.get('tags'))}"
            vocabulary = list(step.werkvorm.tags)
            keys["vocabulary"] = " ".join(vocabulary)
            st.multiselect(t("kind.tags"), vocabulary, default=[x for x in note.get("tags") or []
                                                               if x in vocabulary], key=keys["tags"],
                           placeholder=t("grow.tags_placeholder"))
        st.form_submit_button(t("notetool.save"), type="primary", on_click=_save, args=(fac, note, keys))


def _hide_answer(fac: Facilitator, answer_id: int, hidden: bool, scope: str) -> None:
    guarded(scope, lambda: store().moderate(fac, answer_id, hidden=hidden))


def answer_lines(ws: Workshop, fac: Facilitator, rows: Sequence[Mapping],
                 where: Callable[[Mapping], Sequence[str] | None], *, scope: str, key: str, empty: str,
                 org: Callable[[Mapping], str] | None = None) -> None:
    """The typed answers among ``rows`` to moderate, one :func:`answer_line` each: those with text and a
    place, ``where(row)`` (its parts: aspect and field, or team, subregion and field; None leaves the row
    out); ``empty`` when there is none. Widget keys are ``{key}-{row id}``."""
    shown = [(row, place) for row in rows if (row.get("text") or "").strip() for place in (where(row),) if place]
    if not shown:
        st.caption(empty)
        return
    for row, place in shown:
        answer_line(ws, fac, row, place, scope=scope, key=f"{key}-{row['id']}", org=org(row) if org else "")


def answer_line(ws: Workshop, fac: Facilitator, row: Mapping, where: Sequence[str], *, scope: str, key: str,
                org: str = "") -> None:
    """One typed answer in the cockpit (a praatplaat remark, a board cell's note): where it belongs, its
    text, who wrote it (and their organisation type), and hide / show again."""
    who = t("kind.anonymous") if ws.anonymous or not row.get("name") else row["name"]
    cls = "ss-note ss-hidden" if row["hidden"] else "ss-note"
    left, right = st.columns([5, 1])
    with left:
        html_block(f'<div class="{cls}"><span class="ss-meta">{" · ".join(esc(w) for w in where)}</span>'
                   f'<span class="ss-user">{esc(row["text"])}</span>'
                   f'<span class="ss-meta">{esc(who)}{" · " + esc(org) if org else ""}</span></div>')
    label, hide = (t("fac.show"), False) if row["hidden"] else (t("fac.hide"), True)
    right.button(label, key=key, on_click=_hide_answer, args=(fac, row["id"], hide, scope))
