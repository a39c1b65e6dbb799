"""Views for the 'wall' layout: the brainstorm, clustered and prioritised.

Participants post notes; the facilitator groups them into named clusters (the
selected lines of the notes table at once), renames and deletes clusters, and opens a
dot round on notes or on clusters. The screen shows the clusters with their
notes and vote totals, most votes first once the totals may be shown.
"""

from __future__ import annotations

import streamlit as st

from messages import t
from ui import dots, kinds, notetools, sortboard
from ui import screen_frame
from ui import step_controls as fv
from ui.common import esc, guarded, html_block, show_flash, store
from ui.inputs import NOTE_KINDS, locked_notice, note_form
from workshop import Facilitator, Participant, Step, UserError, Workshop
from workshop.aggregate import ClusterGroup, group_by_cluster

WALL_CSS = """
<style>
.ss-clusters { display:grid; gap:1.2vh; align-items:start; }
.ss-clusters .ss-cluster { border:.3vh solid #0b4f8a; border-radius:1vh; padding:.6vh 1vh; background:#fff; min-width:0;
  overflow-wrap:anywhere; }
.ss-clusters .ss-cluster.ss-rest { border-style:dashed; border-color:#555; }
.ss-clusters .ss-cluster h2 { margin:0 0 .6vh 0; border:none; display:flex; justify-content:space-between;
  align-items:flex-start; gap:1vh; }
.ss-clusters .ss-cluster h2 .ss-votes { flex:0 0 auto; margin:0; }
.ss-clusters .ss-cluster .ss-empty { font-size:var(--ss-fs-min); color:#333; margin:0; }
.ss-clusters .ss-others li { font-size:var(--ss-fs-body); margin:0 0 .6vh 0; list-style:none; }
.ss-clusters .ss-others ul { margin:0; padding:0; }
</style>
"""
#: Clusters side by side on the screen; more than this and the last column lists the rest by name.
MAX_COLUMNS = 5


def group_title(group: ClusterGroup) -> str:
    return group.name if group.cluster is not None else t("wall.unclustered")


def _total(group: ClusterGroup, show_totals: bool) -> str:
    total = group.votes
    return (f'<span class="ss-votes" aria-label="{esc(t("wall.x_total", count=total))}">{total} ●</span>'
            if show_totals and total else "")


def groups_html(ws: Workshop, groups: list[ClusterGroup], note_votes: dict[int, int], show_totals: bool) -> str:
    """The clusters as columns (at most MAX_COLUMNS: the rest by name in the last one), each note a card
    the screen may leave out with "+ N meer"; the cluster's total in its heading, clear of the cards."""
    shown, rest = (groups, []) if len(groups) <= MAX_COLUMNS else (groups[:MAX_COLUMNS - 1], groups[MAX_COLUMNS - 1:])
    parts = []
    for group in shown:
        cards = "".join(kinds.note_card(n, anonymous=ws.anonymous, votes=note_votes.get(n["id"]))
                        for n in group.notes)
        if not cards:
            cards = f'<p class="ss-empty">{esc(t("wall.x_empty_cluster"))}</p>'
        cls = " ss-rest" if group.cluster is None else ""
        parts.append(f'<section class="ss-cluster{cls}" data-fit><h2><span class="ss-user">'
                     f'{esc(group_title(group))}</span>{_total(group, show_totals)}</h2>{cards}</section>')
    if rest:
        lines = "".join(f'<li class="ss-fit-item"><span class="ss-user">{esc(group_title(g))}</span> · '
                        f'{esc(t("wall.x_note_count", count=len(g.notes)))} '
                        f'{_total(g, show_totals)}</li>' for g in rest)
        parts.append(f'<section class="ss-cluster ss-others" data-fit><h2>{esc(t("wall.x_others", count=len(rest)))}'
                     f'</h2><ul>{lines}</ul></section>')
    columns = len(parts)
    return (f'<div class="ss-screen ss-clusters" style="grid-template-columns:repeat({columns}, minmax(0, 1fr))">'
            + "".join(parts) + "</div>")


# ----------------------------------------------------------------- screen
def screen(ws: Workshop, step: Step) -> None:
    notes = store().contributions(step.id, kinds=NOTE_KINDS)
    clusters = store().clusters(step.id)
    show = dots.shown(step)
    note_votes = store().vote_counts(step.id, "note") if show else {}
    cluster_votes = store().vote_counts(step.id, "cluster") if show else {}
    html_block(WALL_CSS)
    dots.screen_status(ws, step)
    if not notes and not clusters:
        st.caption(t("kind.empty_wall"))
        return
    if not clusters:
        if note_votes:
            notes.sort(key=lambda n: (-note_votes.get(n["id"], 0), n["id"]))
        html_block('<div class="ss-screen ss-wall" data-fit>' + "".join(
            kinds.note_card(n, anonymous=ws.anonymous, votes=note_votes.get(n["id"])) for n in notes) + "</div>")
        return
    any_votes = bool(note_votes or cluster_votes)
    focus = screen_frame.focus(step)
    if focus == "results" and any_votes:
        if step.vote_target == "cluster":
            dots.screen_ranking(clusters, cluster_votes)
        else:
            dots.screen_ranking(notes, note_votes)
        return
    groups = group_by_cluster(notes, clusters, cluster_votes=cluster_votes, note_votes=note_votes,
                              by_votes=any_votes)
    chosen = [g for g in groups if g.cluster is not None and str(g.cluster["id"]) == focus]
    if chosen:  # one cluster in focus: its notes across the whole screen
        group = chosen[0]
        html_block(f'<div class="ss-screen"><h2 class="ss-user">{esc(group_title(group))} '
                   f'{_total(group, any_votes)}</h2></div>')
        html_block('<div class="ss-screen ss-wall" data-fit>' + "".join(
            kinds.note_card(n, anonymous=ws.anonymous, votes=note_votes.get(n["id"])) for n in group.notes) + "</div>")
        return
    html_block(groups_html(ws, groups, note_votes, any_votes))


# ------------------------------------------------------------ facilitator
def _rename(fac: Facilitator, cluster_id: int, key: str) -> None:
    guarded(fv.SCOPE, lambda: store().rename_cluster(fac, cluster_id, st.session_state.get(key, "")),
            t("wall.x_renamed"))


def _delete(fac: Facilitator, cluster_id: int) -> None:
    guarded(fv.SCOPE, lambda: store().delete_cluster(fac, cluster_id), t("wall.x_deleted"))


def _add_cluster(fac: Facilitator, step_id: int, key: str) -> None:
    if guarded(fv.SCOPE, lambda: store().add_cluster(fac, step_id, st.session_state.get(key, ""))):
        st.session_state[key] = ""


def cluster_panel(step: Step, fac: Facilitator, clusters: list[dict], live: list[dict]) -> None:
    """Add, rename and delete clusters, one line each (notes go into one on the board or from the
    notes table). A cluster's name field is labelled with its size for a screen reader; the board
    shows the sizes."""
    with st.expander(t("wall.x_clusters", count=len(clusters)), expanded=True):
        with st.form(f"cluster-add-{step.id}", border=False):
            new_key = f"wall-newcl-{step.id}"
            cols = st.columns([3, 2], vertical_alignment="bottom")
            cols[0].text_input(t("wall.new_cluster"), key=new_key, max_chars=60)
            cols[1].form_submit_button(t("wall.add_cluster"), on_click=_add_cluster, args=(fac, step.id, new_key))
        for cluster in clusters:
            cid = cluster["id"]
            members = sum(1 for n in live if n["cluster_id"] == cid)
            cols = st.columns([3, 1, 1], vertical_alignment="center")
            key = f"clname-{cid}-{notetools.digest(cluster['name'])}"
            cols[0].text_input(t("wall.x_name", count=members), value=cluster["name"], key=key, max_chars=60,
                               label_visibility="collapsed")
            cols[1].button(t("wall.x_rename"), key=f"clren-{cid}", on_click=_rename, args=(fac, cid, key))
            cols[2].button(t("wall.x_delete"), key=f"cldel-{cid}", on_click=_delete, args=(fac, cid),
                           help=t("wall.x_delete_help"))


def facilitator(ws: Workshop, step: Step, fac: Facilitator) -> None:
    """The dot round and the clusters; the notes themselves are in ``facilitator_notes``."""
    show_flash(fv.SCOPE)
    notes = store().contributions(step.id, include_hidden=True, kinds=NOTE_KINDS)
    live = [n for n in notes if notetools.is_live(n)]
    clusters = store().clusters(step.id)
    screen_frame.focus_control(step, fac, [(str(c["id"]), c["name"]) for c in clusters], results=True)
    if step.vote_target == "cluster":
        dots.facilitator_panel(ws, step, fac, clusters)
    else:
        dots.facilitator_panel(ws, step, fac, live)
    cluster_panel(step, fac, clusters, live)


# The sort board: drag a note onto a cluster (ui/sortboard), beside the table's own way (select
# lines, then "Naar cluster"). Lanes: the notes not yet in a cluster, every cluster, "Nieuw cluster".
BOARD_PREFIX = "cluster-board-"
#: Lanes "not yet in a cluster" and "new cluster" (the clusters' lanes are their ids).
REST_LANE, NEW_LANE = "none", "new"
#: Height of one card on the board, and the board's limits (px).
CARD_PX, BOARD_MIN_PX, BOARD_MAX_PX = 30, 190, 460


def board_key(step: Step) -> str:
    return f"{BOARD_PREFIX}{step.id}"


def _new_cluster_name(names: list[str]) -> str:
    n = len(names) + 1
    while t("board.new_name", n=n) in names:
        n += 1
    return t("board.new_name", n=n)


def apply_move(fac: Facilitator, step_id: int, move: sortboard.Move) -> None:
    """Store one move of the board: the note into the cluster of the lane it was dropped on
    (a new one for "Nieuw cluster", none for "Nog niet ingedeeld")."""
    def run() -> None:
        notes = store().contributions(step_id, include_hidden=True, kinds=NOTE_KINDS)
        if not any(int(n["id"]) == move.item and notetools.is_live(n) for n in notes):
            raise UserError("board.note_gone")
        if move.to == REST_LANE:
            target = None
        elif move.to == NEW_LANE:
            target = store().add_cluster(fac, step_id, _new_cluster_name(
                [c["name"] for c in store().clusters(step_id)]))
        elif move.to.isdigit():
            target = int(move.to)
        else:
            raise UserError("wall.x_cluster_gone")
        store().assign_cluster(fac, step_id, [move.item], target)
    guarded(fv.SCOPE, run)


def take_moves(fac: Facilitator) -> None:
    """Store the moves the boards sent since the last run (the cockpit calls this before it
    reads what to draw, so the board is drawn with its move stored)."""
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(BOARD_PREFIX)]:
        move = sortboard.take_move(key)
        step_id = key[len(BOARD_PREFIX):]
        if move is not None and step_id.isdigit():
            step = store().step(int(step_id))
            if step is not None and step.workshop_id == fac.workshop_id:
                apply_move(fac, step.id, move)


def _board_height(lanes: list[sortboard.Lane]) -> int:
    rest = max((len(lane.cards) for lane in lanes if lane.kind == "rest"), default=0)
    others = [lane for lane in lanes if lane.kind != "rest"]
    rows = [others[i:i + 2] for i in range(0, len(others), 2)]  # two lanes a row in a 1366 px cockpit
    grid = sum(max(40 + CARD_PX * min(max(len(lane.cards), 1), 5.5) for lane in row) + 8 for row in rows)
    return int(min(BOARD_MAX_PX, max(BOARD_MIN_PX, 40 + CARD_PX * rest, grid)))


def cluster_board(ws: Workshop, step: Step, live: list[dict], clusters: list[dict],
                  votes: dict[int, int]) -> None:
    """The notes as one-line cards in lanes: not yet in a cluster, each cluster, a new cluster."""
    def card(n: dict) -> sortboard.Card:
        dots_ = votes.get(int(n["id"]), 0)
        return sortboard.Card(int(n["id"]), " ".join(str(n["text"]).split()),
                              f"{dots_} ●" if dots_ else "", t("wall.x_total", count=dots_) if dots_ else "")

    def members(cid) -> list[sortboard.Card]:
        return [card(n) for n in live if n["cluster_id"] == cid]

    lanes = [sortboard.Lane(REST_LANE, t("wall.unclustered"), members(None), kind="rest",
                            count=t("wall.x_note_count", count=len(members(None))))]
    for c in clusters:
        cards = members(c["id"])
        lanes.append(sortboard.Lane(str(c["id"]), c["name"], cards, count=t("wall.x_note_count", count=len(cards))))
    lanes.append(sortboard.Lane(NEW_LANE, t("wall.new_cluster"), kind="new", hint=t("board.new_hint")))
    st.caption(t("board.help"))
    sortboard.board(lanes, key=board_key(step), height=_board_height(lanes),
                    texts={k: t(f"board.{k}") for k in sortboard.TEXT_KEYS})


def facilitator_notes(ws: Workshop, step: Step, fac: Facilitator) -> None:
    """The board to cluster the notes by dragging, then every note on one line: its cluster, dots
    and state; select lines to hide, merge or put them in a cluster."""
    take_moves(fac)  # (drawn outside the cockpit too: a move is stored before the notes are read)
    show_flash(fv.SCOPE)
    notes = store().contributions(step.id, include_hidden=True, kinds=NOTE_KINDS)
    clusters = store().clusters(step.id)
    names = {c["id"]: c["name"] for c in clusters}
    live = [n for n in notes if notetools.is_live(n)]
    st.subheader(t("wall.x_notes", count=len(live)))
    votes = store().vote_counts(step.id, "note")
    if live:
        cluster_board(ws, step, live, clusters, votes)
    notetools.notes_table(ws, step, fac, notes, votes=votes, clusters=names,
                          group=(t("notetool.col_cluster"),
                                 lambda n: names.get(n["cluster_id"], t("wall.unclustered"))), sections=False)


# ------------------------------------------------------------ participant
def participant(ws: Workshop, step: Step, who: Participant) -> bool:
    """Inputs of the active step; True when the phone should offer "klaar" below them."""
    if step.locked:
        locked_notice(step)
        return False
    if step.voting_open:
        notes = store().contributions(step.id, kinds=NOTE_KINDS)
        clusters = store().clusters(step.id)
        groups = group_by_cluster(notes, clusters)
        if step.vote_target == "cluster":
            inside = {g.cluster["id"]: g.notes for g in groups if g.cluster is not None}

            def detail(item) -> str:
                texts = "".join(f"<li>{esc(n['text'])}</li>" for n in inside.get(item["id"], ()))
                return f'<ul class="ss-user" style="margin:.2rem 0 0 1rem;color:#333">{texts}</ul>' if texts else ""
            dots.participant_view(ws, step, who, [("", clusters)], detail=detail)
        else:
            dots.participant_view(ws, step, who, [(group_title(g) if clusters else "", list(g.notes))
                                                  for g in groups])
        return False
    note_form(ws, step, who)
    return True
