"""Views for the 'canvas' layout: the Education Model Canvas.

Screen: the nine blocks in the canvas grid (``Section.grid`` gives row,
column, row span, column span) with their notes, readable on a projector, and
the dot ranking live or after the round. Facilitator: dot rounds, and edit,
move, merge and hide notes. Participant: a note in a chosen block, or dots.
"""

from __future__ import annotations

import streamlit as st

from canvas_models import Section
from messages import t
from ui import dots, kinds, notetools
from ui import screen_frame
from ui import step_controls as fv
from ui.common import esc, html_block, show_flash, store
from ui.inputs import NOTE_KINDS, locked_notice, note_form
from workshop import Facilitator, Participant, Step, Workshop

CANVAS_CSS = """
<style>
.ss-canvas { display:grid; gap:.8vh; }
.ss-block { border:.3vh solid #111; border-radius:.8vh; padding:.5vh .8vh; background:#fff; min-width:0; min-height:0;
  overflow:hidden; overflow-wrap:anywhere; }
.ss-block > h2 { font-size:var(--ss-fs-body); line-height:1.15; margin:0 0 .4vh 0; padding:0; color:#0b4f8a; }
.ss-block > h2 .ss-n { color:#333; font-weight:600; }
.ss-block > .ss-q { font-size:var(--ss-fs-min); color:#333; margin:0 0 .4vh 0; line-height:1.25; }
.ss-block .ss-note { padding:.3vh .6vh; margin:0 0 .5vh 0; }
.ss-block .ss-note .ss-meta { display:none; }
.ss-canvas.ss-focus { grid-template-columns:1fr !important; }
.ss-canvas.ss-focus .ss-notes { column-width:40vh; column-gap:1.2vh; }
.ss-canvas.ss-focus .ss-note { break-inside:avoid; }
.ss-top { display:flex; flex-wrap:wrap; gap:.6vh 1vh; list-style:none; margin:0; padding:0; }
.ss-top li { font-size:var(--ss-fs-min); border:.25vh solid #0b4f8a; border-radius:.8vh; padding:.2vh .8vh; background:#fff;
  max-width:44vw; overflow-wrap:anywhere; }
</style>
"""


def placement(section: Section) -> str:
    if not section.grid:
        return ""
    row, col, row_span, col_span = section.grid
    return f"grid-row:{row} / span {row_span};grid-column:{col} / span {col_span};"


def label_with_block(step: Step):
    titles = {s.key: s.title for s in step.werkvorm.sections}
    return lambda item: f"[{titles.get(item.get('section'), '')}] {item.get('text', '')}"


def canvas_html(ws: Workshop, step: Step, notes: list[dict], votes: dict[int, int], *, only: str = "") -> str:
    """The grid as inert HTML (all user text escaped by ``kinds.note_card``); it fills the rest of the screen
    and each block leaves out what does not fit ("+ N meer"). ``only``: one block's key, shown alone."""
    sections = [s for s in step.werkvorm.sections if not only or s.key == only]
    if only:
        cols, rows = 1, 1
    else:
        cols = max([s.grid[1] + s.grid[3] - 1 for s in sections if s.grid] or [5])
        rows = max([s.grid[0] + s.grid[2] - 1 for s in sections if s.grid] or [2])
    blocks = []
    for section in sections:
        inside = [n for n in notes if n["section"] == section.key]
        if votes:
            inside.sort(key=lambda n: (-votes.get(n["id"], 0), n["id"]))
        cards = "".join(kinds.note_card(n, anonymous=ws.anonymous, votes=votes.get(n["id"]), show_author=False)
                        for n in inside)
        question = f'<p class="ss-q ss-user">{esc(section.question)}</p>' if only or not inside else ""
        blocks.append(
            f'<section class="ss-block" style="{"" if only else placement(section)}" data-fit '
            f'data-block="{esc(section.key)}" aria-label="{esc(section.title)}">'
            f'<h2 class="ss-user">{esc(section.title)} <span class="ss-n">({len(inside)})</span></h2>'
            f'{question}<div class="ss-notes ss-more-slot">{cards}</div></section>')
    focus = " ss-focus" if only else ""
    return (f'<div class="ss-screen ss-canvas{focus}" data-fill style="grid-template-columns:repeat({cols}, '
            f'minmax(0, 1fr));grid-template-rows:repeat({rows}, minmax(0, 1fr))">{"".join(blocks)}</div>')


# ----------------------------------------------------------------- screen
def screen(ws: Workshop, step: Step) -> None:
    notes = store().contributions(step.id, kinds=NOTE_KINDS)
    votes = store().vote_counts(step.id, "note") if dots.shown(step) else {}
    html_block(CANVAS_CSS)
    dots.screen_status(ws, step)
    focus = screen_frame.focus(step)
    if focus == "results" and votes:
        dots.screen_ranking(notes, votes, label=label_with_block(step), title=t("canvas.ranking"))
        return
    block = focus if focus in {s.key for s in step.werkvorm.sections} else ""
    if votes and not block:
        html_block(dots.top_strip(notes, votes, label=label_with_block(step), top=3))
    html_block(canvas_html(ws, step, notes, votes, only=block))


# ------------------------------------------------------------ facilitator
def facilitator(ws: Workshop, step: Step, fac: Facilitator) -> None:
    """The dot round; the notes themselves are in ``facilitator_notes``."""
    show_flash(fv.SCOPE)
    notes = store().contributions(step.id, kinds=NOTE_KINDS)
    screen_frame.focus_control(step, fac, [(s.key, s.title) for s in step.werkvorm.sections], results=True)
    dots.facilitator_panel(ws, step, fac, notes, label=label_with_block(step))


def facilitator_notes(ws: Workshop, step: Step, fac: Facilitator) -> None:
    """Every note on one line with its block; select lines to hide or merge, one to edit or move."""
    show_flash(fv.SCOPE)
    notes = store().contributions(step.id, include_hidden=True, kinds=NOTE_KINDS)
    titles = {s.key: s.title for s in step.werkvorm.sections}
    st.subheader(t("canvas.fac_notes", count=sum(1 for n in notes if notetools.is_live(n))))
    notetools.notes_table(ws, step, fac, notes, votes=store().vote_counts(step.id, "note"),
                          group=(t("notetool.col_block"), lambda n: titles.get(n["section"], n["section"])))


# ------------------------------------------------------------ participant
def participant(ws: Workshop, step: Step, who: Participant) -> bool:
    """Inputs of the active step; True when the phone should offer "klaar" below them."""
    if step.locked:
        locked_notice(step)
        return False
    if step.voting_open:
        dots.participant_view(ws, step, who, dots.section_groups(step, step.werkvorm.sections))
        return False
    st.caption(t("canvas.participant_hint"))
    note_form(ws, step, who)
    return True
