"""The follow-up plaat: proposals from phones, one table of owned, dated actions.

* Participant: proposes an action (what, who, partner, by when, what it belongs
  to) and sees what became of their proposals.
* Facilitator: edits every action in one ``st.data_editor``; each changed cell
  is written through ``Store.update_action`` on the very next run, so it
  survives a reload. Merging, deleting, confirming and adding happen next to
  the table. Open actions of earlier workshops of the same partnership come
  back for review ("wat is ervan gekomen?"): status and a short note.
* Screen: the earlier actions under review and the confirmed actions, large.

How table edits are persisted: a keyed data editor keeps its edits (a delta of
``edited_rows`` by row position) in ``st.session_state[key]``. Before the table
is drawn, :func:`apply_table_edits` maps each position to the action id that
was shown there (remembered at the last draw) and writes only the cells that
changed since the last write it did. The table's index is the action ids, so
the editor's identity changes as soon as the set of rows changes, and stale
positions can never land on another action.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Callable

import pandas as pd
import pyarrow as pa
import streamlit as st

from messages import dutch_date, t
from ui import kinds
from ui.common import esc, flash, guarded, html_block, restore_drafts, show_flash, store
from ui.inputs import content_key
from workshop import ACTION_STATUSES, Facilitator, Participant, Step, Workshop, new_key
from workshop.text import Limits

#: Status markers that carry the meaning without colour.
STATUS_MARK = {"open": "○", "bezig": "◐", "klaar": "●"}
ACTION_EDITABLE = ("what", "owner", "partner", "due", "status", "link", "confirmed")
REVIEW_EDITABLE = ("status", "review_note")

CSS = """
<style>
.ss-fu h2 { font-size:var(--ss-fs-h2); margin:.6vh 0 .3vh 0; color:#111; }
.ss-fu table { width:100%; border-collapse:collapse; color:#111; background:#fff; }
.ss-fu th { font-size:var(--ss-fs-min); text-align:left; border-bottom:.4vh solid #111; padding:.3vh .6vh; }
.ss-fu td { font-size:var(--ss-fs-body); border-bottom:.2vh solid #999; padding:.4vh .6vh; vertical-align:top;
  overflow-wrap:anywhere; }
.ss-fu td.ss-fu-what { font-weight:700; width:38%; }
.ss-fu .ss-fu-status { white-space:nowrap; font-weight:700; }
.ss-fu .ss-fu-klaar { text-decoration:none; }
.ss-fu .ss-fu-note { display:block; font-size:var(--ss-fs-min); font-weight:400; color:#222; }
.ss-fu .ss-fu-empty, .ss-fu .ss-fu-pending { font-size:var(--ss-fs-body); color:#222; margin:.4vh 0; }
.ss-fu tr.ss-more td { font-size:var(--ss-fs-min); font-style:italic; border-bottom:none; }
</style>
"""


# ------------------------------------------------------------------ helpers
def status_label(status: str) -> str:
    return f"{STATUS_MARK.get(status, '')} {t(f'followup.status.{status}')}".strip()


def link_options(ws: Workshop) -> list[str]:
    """What an action can belong to: the aspects of a werkvorm with scores (the praatplaat) and the
    other werkvormen of this workshop (not the one holding the actions)."""
    options: list[str] = []
    for step in store().steps(ws.id):
        wv = step.werkvorm
        if "action" in wv.kinds:
            continue
        names = [s.title for s in wv.sections] if "score" in wv.kinds else [wv.title]
        for name in names:
            name = name[:Limits.ACTION_WHO]
            if name not in options:
                options.append(name)
    from layouts.choices.links import leading_links  # the group's choice of what comes first leads

    lead = [name[:Limits.ACTION_WHO] for name in leading_links(store(), ws.id)]
    return lead + [name for name in options if name not in lead]


def _link_format(value: str) -> str:
    return value or t("followup.no_link")


def _digest(values) -> str:
    return hashlib.sha256(repr(tuple(values)).encode("utf-8")).hexdigest()[:8]


def _cell_value(column: str, value):
    """An edited cell, as the data editor hands it back, in the form the store takes."""
    if column == "due":
        if value in (None, ""):
            return None
        if isinstance(value, (date, datetime)):
            return value
        return str(value)[:10]
    if column == "confirmed":
        return bool(value)
    return "" if value is None else str(value)


def apply_table_edits(key: str, writable: tuple[str, ...], write: Callable[[int, dict], None],
                      scope: str) -> int:
    """Write the cells edited in data editor ``key`` since the last write; returns rows written.

    A cell that the store refuses (a Dutch :class:`UserError`) stays edited in
    the table and is tried again on the next run, with its message shown.
    """
    state = st.session_state
    ids = state.get(f"_rows:{key}")
    delta = state.get(key)
    if not ids or not isinstance(delta, dict):
        return 0
    done_ids, done = state.get(f"_done:{key}", ((), {}))
    if tuple(done_ids) != tuple(ids):
        done = {}
    written = 0
    for position, cells in (delta.get("edited_rows") or {}).items():
        i = int(position)
        if not 0 <= i < len(ids):
            continue
        prior = done.get(i, {})
        changes = {c: v for c, v in cells.items() if c in writable and (c not in prior or prior[c] != v)}
        if not changes:
            continue
        values = {c: _cell_value(c, v) for c, v in changes.items()}
        if guarded(scope, lambda: write(ids[i], values)):
            done[i] = {**prior, **changes}
            written += 1
    state[f"_done:{key}"] = (tuple(ids), done)
    return written


def _remember_rows(key: str, ids: list[int]) -> None:
    st.session_state[f"_rows:{key}"] = tuple(ids)


def action_columns(actions: list[dict]) -> dict:
    """The what/owner/partner/due columns of an action table (for a DataFrame)."""
    return {
        "what": [a["what"] for a in actions],
        "owner": [a["owner"] for a in actions],
        "partner": [a["partner"] for a in actions],
        "due": _due_column([a["due"] for a in actions]),
    }


def _due_column(values: list):
    """Dates as an Arrow date column (an array, so it is never re-aligned on the index)."""
    return pd.array(values, dtype=pd.ArrowDtype(pa.date32()))


# -------------------------------------------------------------- participant
def _prefix(step_id: int) -> str:
    """Widget keys start with the step's scope (``fu{id}:``): a send that fails keeps them as drafts of it."""
    return f"fu{step_id}"


def _action_spec(step: Step):
    return next(f for f in step.werkvorm.fields if f.kind == "action")


def _propose(who: Participant, step_id: int) -> None:
    step = store().step(step_id)
    spec = _action_spec(step)
    values = kinds.read_value(spec, _prefix(step_id))
    key = content_key(who, step, "action", *(values[p] for p in ("what", "owner", "partner", "due", "link")))
    ok = guarded(f"fu{step_id}", lambda: store().propose_action(
        who, idem_key=key, source=step.werkvorm_key, what=values["what"] or "", owner=values["owner"] or "",
        partner=values["partner"] or "", due=values["due"], link=values["link"] or ""), t("followup.sent"))
    if ok:
        kinds.clear_value(spec, _prefix(step_id))


def _mine(ws: Workshop, who: Participant) -> None:
    mine = [a for a in store().actions(ws.id, include_deleted=True) if a["proposed_by"] == who.id]
    if not mine:
        return
    with st.expander(t("followup.mine", count=len(mine)), expanded=True):
        parts = []
        for a in mine:
            if a["merged_into"] is not None:
                state = t("followup.mine.merged")
            elif a["deleted"]:
                state = t("followup.mine.removed")
            elif a["confirmed"]:
                state = t("followup.mine.confirmed", status=status_label(a["status"]))
            else:
                state = t("followup.mine.proposed")
            parts.append(f'<div class="ss-note"><span class="ss-user">{esc(a["what"])}</span>'
                         f'<span class="ss-meta">{esc(state)}</span></div>')
        html_block("".join(parts))


def participant(ws: Workshop, step: Step, who: Participant) -> bool:
    """Inputs of the active step; True when the phone should offer "klaar" below them."""
    scope = f"fu{step.id}"
    if step.locked:
        st.session_state.pop(f"_flash:{scope}", None)  # the refusal was said; not again when input reopens
        st.info(t("participant.locked"))
        _mine(ws, who)
        return False
    restore_drafts(scope)  # what a send the lock refused did not store
    section = step.werkvorm.sections[0]
    if section.question:
        html_block(f'<p class="ss-user" style="font-size:1.1rem"><b>{esc(section.question)}</b></p>')
    with st.form(f"fu-form-{step.id}", border=True):
        kinds.render_input(_action_spec(step), _prefix(step.id), link_options=[""] + link_options(ws),
                           link_format=_link_format)
        st.form_submit_button(t("followup.propose"), type="primary", width="stretch", on_click=_propose,
                              args=(who, step.id))
    show_flash(scope)
    _mine(ws, who)
    return True


# -------------------------------------------------------------- facilitator
def _write_action(fac: Facilitator) -> Callable[[int, dict], None]:
    return lambda action_id, values: store().update_action(fac, action_id, **values)


def _proposer(action: dict, names: dict[int, str], anonymous: bool) -> str:
    if action["proposed_by"] is None:
        return t("followup.by_facilitator")
    if anonymous or not names.get(action["proposed_by"]):
        return t("followup.by_participant")
    return names[action["proposed_by"]]


def actions_table(ws: Workshop, step: Step, fac: Facilitator, actions: list[dict]) -> None:
    key = f"fu-actions-{step.id}"
    if not actions:
        st.caption(t("followup.none_yet"))
        return
    names = {p.id: p.name for p in store().participants(ws.id)}
    ids = [a["id"] for a in actions]
    frame = pd.DataFrame({
        **action_columns(actions),
        "status": [a["status"] for a in actions],
        "link": [a["link"] or None for a in actions],
        "confirmed": [bool(a["confirmed"]) for a in actions],
        "by": [_proposer(a, names, ws.anonymous) for a in actions],
    }, index=pd.Index(ids, name="id"))
    links = link_options(ws)
    links += [a["link"] for a in actions if a["link"] and a["link"] not in links]
    cc = st.column_config
    _remember_rows(key, ids)
    st.data_editor(
        frame, key=key, hide_index=True, num_rows="fixed", width="stretch", placeholder="–",
        column_order=["confirmed", "what", "owner", "partner", "due", "status", "link", "by"],
        column_config={
            "what": cc.TextColumn(t("followup.col.what"), max_chars=Limits.ACTION_WHAT, required=True, width="large"),
            "owner": cc.TextColumn(t("followup.col.owner"), max_chars=Limits.ACTION_WHO),
            "partner": cc.TextColumn(t("followup.col.partner"), max_chars=Limits.ACTION_WHO),
            "due": cc.DateColumn(t("followup.col.due"), format="DD-MM-YYYY", min_value=date(2020, 1, 1)),
            "status": cc.SelectboxColumn(t("followup.col.status"), options=list(ACTION_STATUSES), required=True,
                                         format_func=status_label),
            "link": cc.SelectboxColumn(t("followup.col.link"), options=links),
            "confirmed": cc.CheckboxColumn(t("followup.col.confirmed")),
            "by": cc.TextColumn(t("followup.col.by"), disabled=True),
        },
    )


def _selection_key(step_id: int, ids: list[int]) -> str:
    return f"fu-sel-{step_id}-{_digest(ids)}"


def _merge(fac: Facilitator, step_id: int, key: str) -> None:
    scope = f"fuf{step_id}"
    chosen = sorted(st.session_state.get(key) or [])
    if len(chosen) < 2:
        flash(scope, t("followup.merge_need_two"))
        return

    def run() -> None:
        rows = {a["id"]: a for a in store().actions(fac.workshop_id)}
        ids = [i for i in chosen if i in rows]
        if len(ids) < 2:
            return
        keep, others = rows[ids[0]], [rows[i] for i in ids[1:]]
        fill: dict[str, object] = {}
        for column in ("owner", "partner", "link"):
            if not keep[column]:
                fill[column] = next((o[column] for o in others if o[column]), "")
        if keep["due"] is None:
            fill["due"] = min((o["due"] for o in others if o["due"] is not None), default=None)
        if not keep["confirmed"] and any(o["confirmed"] for o in others):
            fill["confirmed"] = True
        fill = {k: v for k, v in fill.items() if v not in ("", None)}
        if fill:
            store().update_action(fac, keep["id"], **fill)
        store().merge_actions(fac, keep["id"], [o["id"] for o in others])
    if guarded(scope, run, t("followup.merged", count=len(chosen))):
        st.session_state[key] = []


def _delete(fac: Facilitator, step_id: int, key: str) -> None:
    chosen = list(st.session_state.get(key) or [])

    def run() -> None:
        for action_id in chosen:
            store().update_action(fac, action_id, deleted=True)
    if chosen and guarded(f"fuf{step_id}", run, t("followup.deleted", count=len(chosen))):
        st.session_state[key] = []


def _confirm_all(fac: Facilitator, step_id: int, ids: list[int]) -> None:
    def run() -> None:
        for action_id in ids:
            store().update_action(fac, action_id, confirmed=True)
    guarded(f"fuf{step_id}", run, t("followup.confirmed_all", count=len(ids)))


def _add(fac: Facilitator, step_id: int, werkvorm_key: str) -> None:
    state = st.session_state
    k = lambda part: f"fu-add-{step_id}-{part}"  # noqa: E731 - local shorthand
    idem = state.setdefault(k("idem"), new_key())
    ok = guarded(f"fuf{step_id}", lambda: store().add_action(
        fac, idem_key=idem, source=werkvorm_key, what=state.get(k("what")) or "", owner=state.get(k("owner")) or "",
        partner=state.get(k("partner")) or "", due=state.get(k("due")), link=state.get(k("link")) or ""),
        t("followup.added"))
    if ok:
        for part in ("what", "owner", "partner"):
            state[k(part)] = ""
        state[k("due")] = None
        state.pop(k("idem"), None)


def _manage(ws: Workshop, step: Step, fac: Facilitator, actions: list[dict]) -> None:
    if not actions:
        return
    ids = [a["id"] for a in actions]
    label = {a["id"]: f"{a['what'][:70]}" + (f" ({a['owner']})" if a["owner"] else "") for a in actions}
    key = _selection_key(step.id, ids)
    st.multiselect(t("followup.select"), ids, format_func=label.get, key=key,
                   placeholder=t("followup.select_placeholder"))
    cols = st.columns(3)
    cols[0].button(t("followup.merge"), key=f"fu-merge-{step.id}", on_click=_merge, args=(fac, step.id, key),
                   width="stretch")
    cols[1].button(t("followup.delete"), key=f"fu-delete-{step.id}", on_click=_delete, args=(fac, step.id, key),
                   width="stretch")
    pending = [a["id"] for a in actions if not a["confirmed"]]
    cols[2].button(t("followup.confirm_all", count=len(pending)), key=f"fu-confirm-all-{step.id}",
                   on_click=_confirm_all, args=(fac, step.id, pending), disabled=not pending, width="stretch")


def _add_form(ws: Workshop, step: Step, fac: Facilitator) -> None:
    k = lambda part: f"fu-add-{step.id}-{part}"  # noqa: E731
    options = [""] + link_options(ws)
    if st.session_state.get(k("link")) not in options:
        st.session_state.pop(k("link"), None)
    # Keyed and tracked: a live update of the cockpit never closes it while someone types.
    with st.expander(t("followup.add_title"), expanded=False, key=f"fu-add-open-{step.id}", on_change="rerun"):
        with st.form(f"fu-add-form-{step.id}", border=False):
            st.text_input(t("kind.action.what"), key=k("what"), max_chars=Limits.ACTION_WHAT)
            cols = st.columns(2)
            cols[0].text_input(t("kind.action.owner"), key=k("owner"), max_chars=Limits.ACTION_WHO)
            cols[1].text_input(t("kind.action.partner"), key=k("partner"), max_chars=Limits.ACTION_WHO)
            cols = st.columns(2)
            cols[0].date_input(t("kind.action.due"), key=k("due"), value=None, format="DD-MM-YYYY",
                               min_value=date(2020, 1, 1))
            cols[1].selectbox(t("kind.action.link"), options, format_func=_link_format, key=k("link"))
            st.form_submit_button(t("followup.add"), type="primary", on_click=_add,
                                  args=(fac, step.id, step.werkvorm_key))


def _origin(action: dict) -> str:
    return t("followup.from", title=action["workshop_title"], date=dutch_date(action["workshop_date"]))


def review_table(ws: Workshop, step: Step, fac: Facilitator, earlier: list[dict]) -> None:
    key = f"fu-review-{step.id}"
    ids = [a["id"] for a in earlier]
    frame = pd.DataFrame({
        "what": [a["what"] for a in earlier],
        "owner": [a["owner"] for a in earlier],
        "due": _due_column([a["due"] for a in earlier]),
        "origin": [_origin(a) for a in earlier],
        "status": [a["status"] for a in earlier],
        "review_note": [a["review_note"] for a in earlier],
    }, index=pd.Index(ids, name="id"))
    cc = st.column_config
    _remember_rows(key, ids)
    st.data_editor(
        frame, key=key, hide_index=True, num_rows="fixed", width="stretch", placeholder="–",
        column_order=["what", "owner", "due", "origin", "status", "review_note"],
        column_config={
            "what": cc.TextColumn(t("followup.col.what"), disabled=True, width="large"),
            "owner": cc.TextColumn(t("followup.col.owner"), disabled=True),
            "due": cc.DateColumn(t("followup.col.due"), format="DD-MM-YYYY", disabled=True),
            "origin": cc.TextColumn(t("followup.col.origin"), disabled=True),
            "status": cc.SelectboxColumn(t("followup.col.status"), options=list(ACTION_STATUSES), required=True,
                                         format_func=status_label),
            "review_note": cc.TextColumn(t("followup.col.review_note"), max_chars=Limits.REVIEW_NOTE),
        },
    )


def facilitator(ws: Workshop, step: Step, fac: Facilitator) -> None:
    scope = f"fuf{step.id}"
    write = _write_action(fac)
    apply_table_edits(f"fu-review-{step.id}", REVIEW_EDITABLE, write, scope)
    apply_table_edits(f"fu-actions-{step.id}", ACTION_EDITABLE, write, scope)
    show_flash(scope)

    earlier = store().earlier_open_actions(ws.id, include_closed_since=True)
    if earlier:
        st.subheader(t("followup.review_title"))
        st.caption(t("followup.review_help"))
        review_table(ws, step, fac, earlier)

    actions = store().actions(ws.id)
    pending = sum(1 for a in actions if not a["confirmed"])
    st.subheader(t("followup.table_title"))
    st.caption(t("followup.table_help", total=len(actions), pending=pending))
    actions_table(ws, step, fac, actions)
    _manage(ws, step, fac, actions)
    _add_form(ws, step, fac)


# ------------------------------------------------------------------- screen
def _table(headers: list[str], rows: list[list[str]]) -> str:
    """An HTML table; every cell must already be escaped."""
    head = "".join(f"<th>{h}</th>" for h in headers)
    body = "".join('<tr class="ss-fit-item">' + "".join(row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody data-fit>{body}</tbody></table>"


def _status_cell(status: str, note: str = "") -> str:
    extra = f'<span class="ss-fu-note ss-user">{esc(note)}</span>' if note else ""
    return f'<td><span class="ss-fu-status ss-fu-{esc(status)}">{esc(status_label(status))}</span>{extra}</td>'


def screen(ws: Workshop, step: Step) -> None:
    html_block(CSS)
    earlier = store().earlier_open_actions(ws.id, include_closed_since=True)
    actions = store().actions(ws.id)
    confirmed = [a for a in actions if a["confirmed"]]
    pending = len(actions) - len(confirmed)
    parts = ['<div class="ss-screen ss-fu">']
    if earlier:
        rows = [[f'<td class="ss-fu-what ss-user">{esc(a["what"])}'
                 f'<span class="ss-fu-note">{esc(_origin(a))}</span></td>',
                 f'<td class="ss-user">{esc(a["owner"])}</td>',
                 f'<td>{esc(dutch_date(a["due"]))}</td>',
                 _status_cell(a["status"], a["review_note"])] for a in earlier]
        parts.append(f'<h2>{esc(t("followup.review_title"))}</h2>')
        parts.append(_table([esc(t(f"followup.col.{c}")) for c in ("what", "owner", "due", "status")], rows))
    parts.append(f'<h2>{esc(t("followup.screen_title"))}</h2>')
    if confirmed:
        rows = [[f'<td class="ss-fu-what ss-user">{esc(a["what"])}'
                 + (f'<span class="ss-fu-note">{esc(t("followup.screen_link", link=a["link"]))}</span>'
                    if a["link"] else "") + "</td>",
                 f'<td class="ss-user">{esc(a["owner"])}</td>',
                 f'<td class="ss-user">{esc(a["partner"])}</td>',
                 f'<td>{esc(dutch_date(a["due"]))}</td>',
                 _status_cell(a["status"])] for a in confirmed]
        parts.append(_table([esc(t(f"followup.col.{c}")) for c in ("what", "owner", "partner", "due", "status")],
                            rows))
    else:
        parts.append(f'<p class="ss-fu-empty">{esc(t("followup.screen_empty"))}</p>')
    if pending:
        parts.append(f'<p class="ss-fu-pending">{esc(t("followup.screen_pending", count=pending))}</p>')
    parts.append("</div>")
    html_block("".join(parts))
