"""Dot voting, shared by the werkvormen with votes (canvas, GROW options, brainstorm).

Three views: the participant's dots (grouped, within the budget), the
facilitator's round controls with a live tally, and what the screen may show
(the ranking live, or only after the round closed, as the facilitator chose).
The budget itself is enforced in :meth:`workshop.Store.place_vote`.
"""

from __future__ import annotations

import html
from typing import Callable, Mapping, Sequence

import pandas as pd
import streamlit as st

from messages import t
from ui import charts
from ui import step_controls as fv
from ui.common import esc, guarded, html_block, show_flash, store
from ui.inputs import NOTE_KINDS, content_key
from workshop import Facilitator, Participant, Step, Workshop
from workshop.aggregate import ranking

Item = Mapping[str, object]
Groups = Sequence[tuple[str, Sequence[Item]]]

CHART_CONFIG = {"displayModeBar": False, "staticPlot": True}


def shown(step: Step) -> bool:
    """May counts be shown now? Live, or once the round is closed."""
    return step.votes_live or not step.voting_open


def item_text(item: Item) -> str:
    return str(item.get("text") or item.get("name") or "")


def plotly_label(text: str) -> str:
    """User text for a plotly label: plotly reads a little HTML, so escape it."""
    return html.escape(" ".join(str(text).split()), quote=True)


# ------------------------------------------------------------ participant
def _vote(who: Participant, step: Step, target_type: str, target_id: int, seen: int, scope: str,
          add: bool) -> None:
    if add:
        # The key carries how many dots this person saw on the item: a double tap
        # (or the same tap from a second device) stores one dot, a real next tap another.
        key = content_key(who, step, "vote", target_type, target_id, seen)
        guarded(scope, lambda: store().place_vote(who, step.id, target_type=target_type, target_id=target_id,
                                                  idem_key=key))
    else:
        guarded(scope, lambda: store().remove_vote(who, step.id, target_type=target_type, target_id=target_id))


def _take_back(who: Participant, step: Step, target_type: str, target_ids: list[int], scope: str) -> None:
    def run() -> None:
        for target_id in target_ids:
            store().remove_vote(who, step.id, target_type=target_type, target_id=target_id)
    guarded(scope, run, t("dots.taken_back"))


def section_groups(step: Step, sections) -> Groups:
    """The step's notes as vote groups, one per section (canvas blocks, GROW options)."""
    notes = store().contributions(step.id, kinds=NOTE_KINDS)
    return [(s.title, [n for n in notes if n["section"] == s.key]) for s in sections]


def participant_view(ws: Workshop, step: Step, who: Participant, groups: Groups, *,
                     label: Callable[[Item], str] = item_text,
                     detail: Callable[[Item], str] | None = None) -> None:
    """Place and take back dots on the items of ``groups`` ((heading, items) pairs).

    ``detail`` may give extra, already escaped, HTML under an item (a cluster's notes).
    """
    scope = f"v{step.id}"
    target_type = step.vote_target
    mine = [tid for tt, tid in store().my_votes(who, step.id) if tt == target_type]
    left = max(0, step.dots - len(mine))
    st.subheader(t("vote.title"))
    st.info(t("vote.left", left=left, dots=step.dots))
    st.caption(t("dots.multi_yes") if step.multi_dot else t("dots.multi_no"))
    show_flash(scope)
    listed = {item["id"] for _, items in groups for item in items}
    orphans = [tid for tid in mine if tid not in listed]
    if orphans:
        st.warning(t("dots.orphans", count=len(orphans)))
        st.button(t("dots.take_back"), key=f"vo:{step.id}", on_click=_take_back,
                  args=(who, step, target_type, orphans, scope))
    if not listed:
        st.caption(t("dots.nothing"))
    for heading, items in groups:
        if not items:
            continue
        if heading:
            html_block(f'<h3 class="ss-user" style="margin:.6rem 0 .2rem 0">{esc(heading)}</h3>')
        for item in items:
            given = mine.count(item["id"])
            can_add = left > 0 and (step.multi_dot or given == 0)
            with st.container(border=True):
                extra = detail(item) if detail else ""
                html_block(f'<div class="ss-user" style="font-size:1.05rem">{esc(label(item))}</div>{extra}')
                # One compact row, also on a phone: the two buttons and my dots on this item.
                with st.container(horizontal=True, vertical_alignment="center", gap="small"):
                    st.button(t("vote.add"), key=f"va:{target_type}:{item['id']}", disabled=not can_add,
                              on_click=_vote, args=(who, step, target_type, item["id"], given, scope, True),
                              width=112, type="primary" if can_add else "secondary")
                    st.button(t("vote.remove"), key=f"vr:{target_type}:{item['id']}", disabled=given == 0,
                              on_click=_vote, args=(who, step, target_type, item["id"], given, scope, False),
                              width=112)
                    html_block(f'<span aria-label="{esc(t("vote.given", count=given))}" '
                               f'style="font-size:1.3rem;color:#0b4f8a;white-space:nowrap">'
                               f'{"●" * given or "○"} <small style="color:#333">{given}</small></span>')


# ------------------------------------------------------------ facilitator
def _open_round(fac: Facilitator, step: Step) -> None:
    """Read the round settings when the button is clicked, not when it was drawn."""
    state = st.session_state
    values = {
        "voting_open": True,
        "dots": int(state.get(f"dots-{step.id}", step.dots)),
        "multi_dot": bool(state.get(f"multi-{step.id}", step.multi_dot)),
        "votes_live": bool(state.get(f"live-{step.id}", step.votes_live)),
        "vote_target": state.get(f"target-{step.id}", step.vote_target) if step.werkvorm.clusters else "note",
    }
    guarded(fv.SCOPE, lambda: store().update_step(fac, step.id, **values))


def _close_round(fac: Facilitator, step: Step) -> None:
    guarded(fv.SCOPE, lambda: store().update_step(fac, step.id, voting_open=False))


def round_controls(step: Step, fac: Facilitator) -> None:
    """Dots per participant, several per item or not, live tally or not, notes or clusters; open, close."""
    with st.expander(t("vote.controls"), expanded=step.voting_open):
        st.number_input(t("vote.dots"), 1, 20, value=step.dots, key=f"dots-{step.id}",
                        disabled=step.voting_open)
        st.checkbox(t("vote.multi"), value=step.multi_dot, key=f"multi-{step.id}", disabled=step.voting_open)
        st.checkbox(t("vote.live"), value=step.votes_live, key=f"live-{step.id}", disabled=step.voting_open)
        if step.werkvorm.clusters:
            st.selectbox(t("vote.target"), ["note", "cluster"], index=0 if step.vote_target == "note" else 1,
                         format_func=lambda v: t(f"vote.target.{v}"), key=f"target-{step.id}",
                         disabled=step.voting_open)
        if step.voting_open:
            st.caption(t("dots.round_settings", dots=step.dots,
                         multi=t("dots.multi_yes") if step.multi_dot else t("dots.multi_no")))
            st.button(t("vote.close"), on_click=_close_round, args=(fac, step), key="vote-close")
        else:
            st.button(t("vote.open"), type="primary", on_click=_open_round, args=(fac, step), key="vote-open")


def _clear(fac: Facilitator, step_id: int, target_type: str) -> None:
    if guarded(fv.SCOPE, lambda: store().clear_votes(fac, step_id, target_type), t("dots.cleared")):
        st.session_state[f"dots-clear-ok-{step_id}"] = False


def facilitator_panel(ws: Workshop, step: Step, fac: Facilitator, items: Sequence[Item], *,
                      label: Callable[[Item], str] = item_text) -> None:
    """Open and close a round (dots per person, several per item, live or not) and follow the tally."""
    if not step.werkvorm.votes:
        return
    round_controls(step, fac)
    counts = store().vote_counts(step.id, step.vote_target)
    total = sum(counts.values())
    if not (step.voting_open or total):
        return
    voters = store().voter_count(step.id, step.vote_target)
    st.caption(t("dots.status", voters=voters, total=store().participant_count(ws.id), dots=total))
    ranked = [r for r in ranking(items, counts) if r.votes]
    if ranked:
        frame = pd.DataFrame([{t("dots.col_rank"): r.rank, t("dots.col_votes"): r.votes,
                               t("dots.col_item"): label(r.item)} for r in ranked[:15]])
        st.dataframe(frame, hide_index=True, width="stretch")
    if total:
        with st.expander(t("dots.clear")):
            ok = st.checkbox(t("dots.clear_confirm", count=total), key=f"dots-clear-ok-{step.id}")
            st.button(t("dots.clear"), key=f"dots-clear-{step.id}", disabled=not ok, on_click=_clear,
                      args=(fac, step.id, step.vote_target))


# ----------------------------------------------------------------- screen
def screen_status(ws: Workshop, step: Step) -> None:
    """During an open round: that it runs and how many voted (never who voted what)."""
    if not step.voting_open:
        return
    voters = store().voter_count(step.id, step.vote_target)
    state = t("dots.screen_live") if step.votes_live else t("dots.screen_hidden")
    html_block(f'<div class="ss-screen"><p class="ss-sub" role="status"><b>{esc(t("vote.title"))}</b> · '
               f'{esc(state)} · {esc(t("dots.screen_voters", voters=voters, total=store().participant_count(ws.id)))}'
               f'</p></div>')


def top_strip(items: Sequence[Item], counts: Mapping[int, int], *, label: Callable[[Item], str] = item_text,
              top: int = 3) -> str:
    """The first places as one compact row of inert HTML, to read without scrolling (the screen's CSS styles
    ``.ss-top``; long texts wrap, they are never cut)."""
    ranked = [r for r in ranking(items, counts) if r.votes][:top]
    if not ranked:
        return ""
    chips = "".join(f'<li><b>{r.rank}.</b> <span class="ss-user">{esc(label(r.item))}</span> '
                    f'<span class="ss-votes">{r.votes} ●</span></li>' for r in ranked)
    return f'<div class="ss-screen"><ol class="ss-top" aria-label="{esc(t("dots.top"))}">{chips}</ol></div>'


def screen_ranking(items: Sequence[Item], counts: Mapping[int, int], *, label: Callable[[Item], str] = item_text,
                   top: int = 8, title: str | None = "", height_vh: float = 76) -> bool:
    """The ranking as a bar chart ``height_vh`` per cent of the screen high; nothing when there are no dots.
    True when drawn."""
    ranked = ranking(items, counts)
    if not any(r.votes for r in ranked):
        return False
    from ui import screen_frame

    fig = charts.ranking_bar(ranked, label=label, top=top, title=title,
                             height=round(screen_frame.DESIGN_HEIGHT * height_vh / 100))
    alt = "; ".join(f"{r.rank}. {label(r.item)}: {r.votes}" for r in ranked[:top] if r.votes)
    screen_frame.chart(fig, height_vh=height_vh, alt=alt, config=CHART_CONFIG)
    return True
