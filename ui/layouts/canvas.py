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
from ui import facilitator as fv
from ui.common import esc, html_block, show_flash, store
from ui.participant import NOTE_KINDS, note_form
from workshop import Facilitator, Participant, Step, Workshop

CANVAS_CSS = """
<style>
.ss-canvas { display:grid; grid-template-columns:repeat(5, minmax(0, 1fr));
  grid-auto-rows:minmax(24vh, auto); gap:.5rem; margin-top:.4rem; }
.ss-block { border:3px solid #111; border-radius:8px; padding:.45rem .6rem; background:#fff; min-width:0;
  overflow-wrap:anywhere; }
.ss-block > h2 { font-size:clamp(1.1rem, 1.55vw, 1.9rem); line-height:1.15; margin:0; padding:0; color:#0b4f8a; }
.ss-block > h2 .ss-n { font-size:.75em; color:#333; font-weight:600; }
.ss-block > .ss-q { font-size:clamp(.85rem, .95vw, 1.1rem); color:#333; margin:.1rem 0 .35rem 0; line-height:1.25; }
.ss-block .ss-note { font-size:clamp(1rem, 1.25vw, 1.5rem); padding:.3rem .5rem; margin:.25rem 0; }
.ss-block.ss-d1 .ss-note { font-size:clamp(.95rem, 1.05vw, 1.3rem); }
.ss-block.ss-d2 .ss-note { font-size:clamp(.85rem, .9vw, 1.1rem); padding:.2rem .4rem; }
.ss-block.ss-d2 .ss-notes { column-width:11rem; column-gap:.4rem; }
.ss-block .ss-notes .ss-note { break-inside:avoid; }
</style>
"""


def density(count: int) -> str:
    """Smaller type and columns when a block fills up, so it stays on one screen."""
    return "" if count <= 4 else ("ss-d1" if count <= 8 else "ss-d2")


def placement(section: Section) -> str:
    if not section.grid:
        return ""
    row, col, row_span, col_span = section.grid
    return f"grid-row:{row} / span {row_span};grid-column:{col} / span {col_span};"


def label_with_block(step: Step):
    titles = {s.key: s.title for s in step.werkvorm.sections}
    return lambda item: f"[{titles.get(item.get('section'), '')}] {item.get('text', '')}"


def canvas_html(ws: Workshop, step: Step, notes: list[dict], votes: dict[int, int]) -> str:
    """The grid as inert HTML (all user text escaped by ``kinds.note_card``)."""
    sections = step.werkvorm.sections
    cols = max([s.grid[1] + s.grid[3] - 1 for s in sections if s.grid] or [5])
    blocks = []
    for section in sections:
        inside = [n for n in notes if n["section"] == section.key]
        if votes:
            inside.sort(key=lambda n: (-votes.get(n["id"], 0), n["id"]))
        cards = "".join(kinds.note_card(n, anonymous=ws.anonymous, votes=votes.get(n["id"]), show_author=False)
                        for n in inside)
        blocks.append(
            f'<section class="ss-block {density(len(inside))}" style="{placement(section)}" '
            f'data-block="{esc(section.key)}" aria-label="{esc(section.title)}">'
            f'<h2 class="ss-user">{esc(section.title)} <span class="ss-n">({len(inside)})</span></h2>'
            f'<p class="ss-q ss-user">{esc(section.question)}</p>'
            f'<div class="ss-notes">{cards}</div></section>')
    return f'<div class="ss-screen ss-canvas" style="grid-template-columns:repeat({cols}, minmax(0, 1fr))">{"".join(blocks)}</div>'


# ----------------------------------------------------------------- screen
def screen(ws: Workshop, step: Step) -> None:
    notes = store().contributions(step.id, kinds=NOTE_KINDS)
    votes = store().vote_counts(step.id, "note") if dots.shown(step) else {}
    html_block(CANVAS_CSS)
    dots.screen_status(ws, step)
    if votes:
        html_block(dots.top_strip(notes, votes, label=label_with_block(step)))
    html_block(canvas_html(ws, step, notes, votes))
    if votes:
        dots.screen_ranking(notes, votes, label=label_with_block(step), title=t("canvas.ranking"))


# ------------------------------------------------------------ facilitator
def facilitator(ws: Workshop, step: Step, fac: Facilitator) -> None:
    """The dot round; the notes themselves are in ``facilitator_notes``."""
    show_flash(fv.SCOPE)
    notes = store().contributions(step.id, kinds=NOTE_KINDS)
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
        st.info(t("participant.locked"))
        return False
    if step.voting_open:
        dots.participant_view(ws, step, who, dots.section_groups(step, step.werkvorm.sections))
        return False
    st.caption(t("canvas.participant_hint"))
    note_form(ws, step, who)
    return True
