"""Views for the 'rounds' layout: sequential timed rounds (intervision).

The facilitator moves round by round (``step.stage``, as in ``stages``); every round is a section whose
general flags say what happens in it (``canvas_models.Section``): its ``role`` (cases, questions, question,
advice, next_steps), who writes (``writers``), whether its notes stay private until the facilitator
reveals that round (``private_until_reveal``), whether it shows an earlier round's notes (``shows``),
whether the group dot-votes on its notes (``vote``) and whether the case giver marks what helps
(``marks``). The rules shared with storage and exports are in ``workshop.rounds``.

Why a layout of its own and not ``stages``: ``stages`` is built around tagged notes and the function ×
stage heatmap (GROW); rounds need a per-round reveal, a chosen case and its author's marks, and a screen
that shows nothing of a private round but its count. They share ``stages.current``.

A werkvorm with ``confidential: true`` never shows a name: not on the screen, not in the cockpit's table.
"""

from __future__ import annotations

import dataclasses

import streamlit as st

from canvas_models import Section
from layouts.stages.views import GROW_CSS, current
from messages import t
from ui import dots, notetools
from ui import screen_frame
from ui import step_controls as fv
from ui.common import esc, guarded, html_block, md, show_flash, store
from ui.inputs import NOTE_KINDS, locked_notice, note_form
from ui.kinds import note_card
from workshop import Facilitator, Participant, Step, Workshop
from workshop import rounds

#: The round chips are the stages' chips (GROW_CSS); these are the rounds' own styles.
ROUNDS_CSS = GROW_CSS + """
<style>
.ss-case { border-left:.8vh solid #b85c00; padding:.4vh 1.2vh; margin:.4vh 0 !important; background:#fff7ee;
  font-size:var(--ss-fs-body); overflow-wrap:anywhere; }
.ss-private { border:.3vh dashed #0b4f8a; border-radius:1vh; padding:2vh; text-align:center; }
.ss-private .ss-count { font-size:var(--ss-fs-h1) !important; }
.ss-round-notes .ss-note.ss-helps { border-color:#1b6e20; border-width:.5vh; }
.ss-helps-mark { display:inline-block; margin-right:.8vh; font-weight:700; color:#1b6e20; }
</style>
"""


def _private_count(count: int) -> str:
    """How many notes a private round holds ("Nog geen briefjes" for none)."""
    return t("rounds.private_count", count=count) if count else t("rounds.private_count_none")


#: How high the ranking of the cases is, in per cent of the screen (below the rounds, title and question).
RANKING_VH = 62


def chosen(step: Step) -> dict | None:
    return store().chosen_case(step)


def is_case_giver(step: Step, who: Participant) -> bool:
    case = chosen(step)
    return case is not None and case["participant_id"] == who.id


def round_notes(step: Step, section: Section, *, include_hidden: bool = False) -> list[dict]:
    notes = store().contributions(step.id, include_hidden=include_hidden, kinds=NOTE_KINDS)
    return [n for n in notes if n["section"] == section.key]


def rounds_html(step: Step) -> str:
    """The rounds as numbered chips; the current one also by name."""
    now = current(step)
    items = "".join(
        (f'<li class="ss-now" aria-current="step">{i}. {esc(s.title)}</li>' if s.key == now.key
         else f'<li title="{esc(s.title)}">{i}</li>')
        for i, s in enumerate(step.werkvorm.sections, start=1))
    return f'<ol class="ss-stages ss-rounds" aria-label="{esc(t("rounds.rounds"))}">{items}</ol>'


def _card(note: dict, helps: bool, votes: int | None = None) -> str:
    card = note_card(note, anonymous=True, votes=votes, show_author=False)
    if helps:
        card = card.replace('class="ss-note ', 'class="ss-note ss-helps ', 1).replace(
            '<span class="ss-user">', f'<span class="ss-helps-mark">{esc(t("rounds.helps_mark"))}</span>'
                                      '<span class="ss-user">', 1)
    return card


# ----------------------------------------------------------------- screen
def screen(ws: Workshop, step: Step) -> None:
    section = current(step)
    shown = rounds.shown_section(step.werkvorm, section)
    html_block(ROUNDS_CSS)
    case = chosen(step) if section.role != "cases" else None
    head = (f'<div class="ss-screen">{rounds_html(step)}<h2 class="ss-user">{esc(section.title)}</h2>'
            f'<p class="ss-sub ss-user">{esc(section.question)}</p>')
    if case is not None:
        head += f'<p class="ss-case"><b>{esc(t("rounds.case"))}</b> <span class="ss-user">{esc(case["text"])}</span></p>'
    html_block(head + "</div>")
    notes = round_notes(step, shown)
    if section.vote:
        dots.screen_status(ws, step)
    votes = store().vote_counts(step.id, "note") if section.vote and dots.shown(step) else {}
    if section.vote and screen_frame.focus(step) == "results" and votes:
        dots.screen_ranking(notes, votes, title=t("rounds.ranking"), height_vh=RANKING_VH)
        return
    if not rounds.revealed(step.config, shown):
        # Private until the reveal: the count only, never a word of the notes.
        count = _private_count(len(notes))
        html_block(f'<div class="ss-screen ss-private" role="status"><p class="ss-count">{esc(count)}</p>'
                   f'<p class="ss-sub">{esc(t("rounds.private_wait"))}</p></div>')
        return
    if section.writers == "none" and not section.shows:
        prompts = "".join(f"<li>{esc(p)}</li>" for p in section.prompts)
        if prompts:
            html_block(f'<div class="ss-screen"><ul class="ss-user">{prompts}</ul></div>')
        return
    marks = store().marks(step.id) if _marked_here(step, shown) else set()
    notes.sort(key=lambda n: (-votes.get(n["id"], 0), n["id"] not in marks, n["id"]))
    cards = "".join(_card(n, n["id"] in marks, votes.get(n["id"])) for n in notes)
    empty = f'<p class="ss-sub">{esc(t("kind.empty_wall"))}</p>' if not notes else ""
    html_block(f'<div class="ss-screen ss-wall ss-round-notes" data-fit data-fill>{empty}{cards}</div>')


def _marked_here(step: Step, shown: Section) -> bool:
    """Does a round of this step mark the notes of ``shown``?"""
    wv = step.werkvorm
    return any(s.marks and rounds.shown_section(wv, s).key == shown.key for s in wv.sections)


# ------------------------------------------------------------ facilitator
def _reveal(fac: Facilitator, step_id: int, section: str, revealed: bool) -> None:
    guarded(fv.SCOPE, lambda: store().reveal_section(fac, step_id, section, revealed))


def _time_round(fac: Facilitator, step_id: int, minutes: int) -> None:
    def run() -> None:
        store().timer(fac, step_id, "reset", minutes * 60)
        store().timer(fac, step_id, "start")
    guarded(fv.SCOPE, run)


def _next_round(fac: Facilitator, step_id: int, stage: int) -> None:
    guarded(fv.SCOPE, lambda: store().update_step(fac, step_id, stage=stage))


def facilitator(ws: Workshop, step: Step, fac: Facilitator) -> None:
    """The round's controls: its timer, the reveal, the dot round on the cases, the chosen case, the marks."""
    show_flash(fv.SCOPE)
    wv = step.werkvorm
    section = current(step)
    shown = rounds.shown_section(wv, section)
    position = wv.sections.index(section)
    st.caption(t("rounds.round_of", n=position + 1, total=len(wv.sections))
               + " · " + t(f"rounds.writers.{section.writers}"))
    with st.container(horizontal=True, gap="small", vertical_alignment="center", key=f"rounds-bar-{step.id}"):
        if section.minutes:
            st.button(t("rounds.time_round", minutes=section.minutes), key=f"rounds-time-{step.id}",
                      on_click=_time_round, args=(fac, step.id, section.minutes))
        if shown.private_until_reveal:
            is_open = rounds.revealed(step.config, shown)
            st.button(t("rounds.hide") if is_open else t("rounds.reveal"), key=f"rounds-reveal-{step.id}",
                      type="secondary" if is_open else "primary", on_click=_reveal,
                      args=(fac, step.id, shown.key, not is_open))
        if position + 1 < len(wv.sections):
            st.button(t("rounds.next"), key=f"rounds-next-{step.id}", on_click=_next_round,
                      args=(fac, step.id, position + 1))
    if shown.private_until_reveal and not rounds.revealed(step.config, shown):
        count = len(round_notes(step, shown))
        st.info(_private_count(count) + " " + t("rounds.fac_private"))
    case = chosen(step)
    if section.vote:
        screen_frame.focus_control(step, fac, [], results=True)
        dots.facilitator_panel(ws, step, fac, round_notes(step, section))
    elif step.voting_open:
        st.warning(t("rounds.voting_elsewhere"))
        dots.round_controls(step, fac)
    if case is not None:
        st.success(t("rounds.fac_case", text=md(case["text"])))
    elif any(s.role == "cases" for s in wv.sections):
        st.caption(t("rounds.no_case"))
    if _marked_here(step, shown):
        st.caption(t("rounds.fac_marks", count=len(store().marks(step.id))))


def facilitator_notes(ws: Workshop, step: Step, fac: Facilitator) -> None:
    """The notes of the round (or of the round it shows) as a table, never with names."""
    show_flash(fv.SCOPE)
    shown = rounds.shown_section(step.werkvorm, current(step))
    notes = round_notes(step, shown, include_hidden=True)
    st.subheader(t("rounds.fac_notes", title=md(shown.title), count=sum(1 for n in notes if notetools.is_live(n))))
    notetools.notes_table(dataclasses.replace(ws, anonymous=True) if step.werkvorm.confidential else ws,
                          step, fac, notes, votes=store().vote_counts(step.id, "note"), sections=False)


# ------------------------------------------------------------ participant
def _mark(who: Participant, step: Step, note_id: int, helps: bool) -> None:
    guarded(f"p{step.id}", lambda: store().mark_note(who, step.id, note_id, helps))


def _marks_view(step: Step, who: Participant, shown: Section) -> None:
    """The case giver marks which of the shown notes help."""
    if not rounds.revealed(step.config, shown):
        st.info(t("rounds.marks_wait"))
        return
    marks = store().marks(step.id)
    st.subheader(t("rounds.marks_title"))
    notes = round_notes(step, shown)
    if not notes:
        st.caption(t("kind.empty_wall"))
    for note in notes:
        helps = note["id"] in marks
        with st.container(border=True):
            html_block(_card(note, helps))
            st.button(t("rounds.unmark") if helps else t("rounds.mark"), key=f"mark:{note['id']}",
                      type="secondary" if helps else "primary", on_click=_mark, args=(who, step, note["id"], not helps))


def participant(ws: Workshop, step: Step, who: Participant) -> bool:
    """Inputs of the active round; True when the phone should offer "klaar" below them."""
    if step.locked:
        locked_notice(step)
        return False
    wv = step.werkvorm
    section = current(step)
    shown = rounds.shown_section(wv, section)
    st.caption(t("rounds.round_of", n=wv.sections.index(section) + 1, total=len(wv.sections)))
    html_block(f'<h3 class="ss-user" style="margin:0">{esc(section.title)}</h3>')
    if section.vote and step.voting_open:
        dots.participant_view(ws, step, who, [("", round_notes(step, section))])
        return False
    show_flash(f"p{step.id}")
    giver = is_case_giver(step, who)
    if giver and section.role != "cases":
        st.success(t("rounds.you_give"))
    if section.marks and giver:
        _marks_view(step, who, shown)
    writes = {"all": True, "case_giver": giver, "others": not giver, "none": False}[section.writers]
    if writes:
        if section.private_until_reveal:
            st.caption(t("rounds.private_hint"))
        note_form(ws, step, who)
    else:
        if section.question:
            html_block(f'<p class="ss-user" style="font-size:1.1rem">{esc(section.question)}</p>')
        if section.writers == "case_giver" and chosen(step) is None:
            st.info(t("rounds.no_case"))
        elif not (section.marks and giver):
            st.info(t(f"rounds.listen.{section.writers}"))
    return True
