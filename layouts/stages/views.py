"""Views for the 'stages' layout (the GROW gesprekskaart).

The facilitator moves stage by stage (``step.stage``; the radio and the
facilitator-only script panel are in ``ui.step_controls`` (input_controls, script_panel), which
only the facilitator page draws). Participants answer the current stage with
notes tagged from the werkvorm's ``tags:`` (GROW: the five functions). The screen shows the
current stage's notes and a tag x stage heatmap so gaps stand out (a werkvorm without ``tags:``: the notes
alone, or beside the ranking of a dot round). Stages with ``role: options``
can be prioritised with dots; in a stage with ``role: recommendations`` a note becomes an action
of the follow-up list with one click. Behaviour follows the role, never a title or group text.

The screen never draws ``Section.script``: that is for the facilitator only.
"""

from __future__ import annotations

import functools

import plotly.graph_objects as go
import streamlit as st

from canvas_models import Section
from layouts.stages.report import outcome
from messages import function_label, plural, t
from ui import charts, dots, kinds, notetools
from ui import screen_frame
from ui import step_controls as fv
from ui.common import esc, flash, guarded, html_block, md, show_flash, store
from ui.inputs import NOTE_KINDS, locked_notice, note_form
from workshop import Facilitator, Participant, Step, Workshop
from workshop.aggregate import FunctionStageMatrix, function_stage_matrix
from workshop.text import Limits


GROW_CSS = """
<style>
.ss-stages { display:flex; flex-wrap:wrap; gap:.6vh; margin:0 0 .6vh 0 !important; padding:0 !important; list-style:none; }
.ss-stages li { margin:0 !important; border:.25vh solid #0b4f8a; border-radius:999px; padding:.1vh 1vh; color:#0b4f8a;
  background:#fff; font-size:var(--ss-fs-min); }
.ss-stages li.ss-now { background:#0b4f8a; color:#fff; font-weight:700; }
.ss-screen h2.ss-stage { margin:0; }
.ss-prompts { font-size:var(--ss-fs-min); margin:.4vh 0 .8vh 2.4vh; padding:0; color:#222; }
.ss-prompts li { font-size:var(--ss-fs-min); margin:0; }
.ss-grow-notes { overflow:hidden; }
.ss-grow-notes .ss-tag { margin-left:.5vh; }
.ss-actionmark { display:inline-block; margin-left:.6vh; font-weight:700; color:#0b4f8a; }
.ss-outcome { margin:.4vh 0 0 0 !important; padding:.6vh 1.2vh; border-left:.8vh solid #0b4f8a; background:#eef4fa;
  font-size:var(--ss-fs-body); font-weight:700; color:#111; }
.ss-outcome .ss-outcome-mark { color:#0b4f8a; margin-right:.8vh; }
</style>
"""
#: How high the chart beside the notes is, in per cent of the screen.
CHART_VH = 58


def current(step: Step) -> Section:
    sections = step.werkvorm.sections
    return sections[min(step.stage, len(sections) - 1)]


def option_sections(step: Step) -> list[Section]:
    """The stages whose notes the group prioritises with dots (``role: options``)."""
    return step.werkvorm.with_role("options")


def is_way_forward(step: Step, section: Section) -> bool:
    """A stage whose notes can become actions (``role: recommendations``)."""
    return section.role == "recommendations"


def voting_now(step: Step) -> bool:
    """Participants vote only while a round is open and the group is at an options stage."""
    return step.voting_open and current(step).role == "options"


def option_notes(step: Step, notes: list[dict]) -> list[dict]:
    keys = {s.key for s in option_sections(step)}
    return [n for n in notes if n["section"] in keys]


def label_with_stage(step: Step):
    titles = {s.key: s.title for s in step.werkvorm.sections}
    return lambda item: f"[{titles.get(item.get('section'), '')}] {item.get('text', '')}"


def stages_html(step: Step) -> str:
    """The stages as numbered chips (the screen's heatmap names its columns by these numbers)."""
    now = current(step)
    items = "".join(
        ('<li class="ss-now" aria-current="step">' if s.key == now.key else "<li>") + f"{i}. {esc(s.title)}</li>"
        for i, s in enumerate(step.werkvorm.sections, start=1))
    return f'<ol class="ss-stages" aria-label="{esc(t("grow.stages"))}">{items}</ol>'


@functools.lru_cache(maxsize=128)
def heatmap_figure(matrix: FunctionStageMatrix, height: int) -> go.Figure:
    """The figure per distinct matrix: building one takes long, and the screen redraws every second.

    It is shared by every session: ``st.plotly_chart`` only reads it (it copies before building), and a
    caller that builds on it does so through :func:`ui.charts.fresh`.
    """
    fig = charts.heatmap(matrix, height=height, stage_width=12)
    fig.update_xaxes(tickangle=0, automargin=True)  # stage names stay level and uncut
    fig.update_yaxes(automargin=True)                # so do the function names
    return fig


def _heatmap_alt(step: Step, matrix) -> str:
    gaps = [f"{charts.function_label(f)} · {step.werkvorm.section(s).title}" for f, s in matrix.gaps]
    return t("grow.heatmap_alt", gaps=len(gaps)) + (": " + "; ".join(gaps) if gaps else "")


def heatmap(step: Step, notes: list[dict], *, height: int = 520) -> None:
    matrix = function_stage_matrix(notes, step.werkvorm.sections, step.werkvorm.tags)
    st.plotly_chart(heatmap_figure(matrix, height), theme=None, config=dots.CHART_CONFIG,
                    alt=_heatmap_alt(step, matrix)[:1000])


def outcome_html(step: Step) -> str:
    """The shared text the facilitator settled, once settled (the regioplan's vision sentence)."""
    text = outcome(step.config) if step.werkvorm.settle_section else ""
    if not text:
        return ""
    return (f'<p class="ss-outcome" role="status"><span class="ss-outcome-mark">{esc(t("stages.outcome.screen"))}:</span>'
            f'<span class="ss-user">{esc(text)}</span></p>')


# ----------------------------------------------------------------- screen
def screen(ws: Workshop, step: Step) -> None:
    section = current(step)
    notes = store().contributions(step.id, kinds=NOTE_KINDS)
    here = [n for n in notes if n["section"] == section.key]
    options = section.role == "options"
    votes = store().vote_counts(step.id, "note") if options and dots.shown(step) else {}
    made = store().note_actions(ws.id) if is_way_forward(step, section) else {}
    html_block(GROW_CSS)
    html_block(f'<div class="ss-screen">{stages_html(step)}<h2 class="ss-user ss-stage">{esc(section.title)}</h2>'
               f'<p class="ss-sub ss-user">{esc(section.question)}</p>{outcome_html(step)}</div>')
    if options:
        dots.screen_status(ws, step)
    if screen_frame.focus(step) == "results" and votes:
        dots.screen_ranking(option_notes(step, notes), votes, label=label_with_stage(step), title=t("grow.ranking"),
                            height_vh=CHART_VH + 8)
        return
    prompts = "".join(f'<li>{esc(p)}</li>' for p in section.prompts)
    if votes:
        here.sort(key=lambda n: (-votes.get(n["id"], 0), n["id"]))
    cards = []
    for note in here:
        card = kinds.note_card(note, anonymous=ws.anonymous, votes=votes.get(note["id"]))
        if note["id"] in made and card.endswith("</div>"):
            card = card[:-6] + f'<span class="ss-actionmark">{esc(t("grow.is_action"))}</span></div>'
        cards.append(card)
    empty = f'<p class="ss-sub">{esc(t("kind.empty_wall"))}</p>' if not here else ""
    notes_html = ('<div class="ss-screen ss-grow-notes" data-fit data-fill>'
                  + (f'<ul class="ss-prompts ss-user">{prompts}</ul>' if prompts else "")
                  + empty + "".join(cards) + "</div>")
    if not (options and votes) and not step.werkvorm.tags:
        html_block(notes_html)  # no ranking yet and no functions to map (the regioplan's vision): notes only
        return
    left, right = st.columns([2, 3], gap="large")
    with left:
        html_block(notes_html)
    with right:
        if options and votes:  # while prioritising, the ranking says more than the overview
            dots.screen_ranking(option_notes(step, notes), votes, label=label_with_stage(step),
                                title=t("grow.ranking"), height_vh=CHART_VH)
        else:
            matrix = function_stage_matrix(notes, step.werkvorm.sections, step.werkvorm.tags)
            fig = charts.fresh(heatmap_figure(matrix, screen_frame.DESIGN_HEIGHT * CHART_VH // 100))
            # Columns by stage number (the chips above name them): six long stage names side by side collide.
            fig.update_xaxes(ticktext=[str(i) for i in range(1, len(matrix.stages) + 1)])
            fig.update_layout(margin=dict(t=110))
            screen_frame.chart(fig, height_vh=CHART_VH, alt=_heatmap_alt(step, matrix), config=dots.CHART_CONFIG)


# ------------------------------------------------------------ facilitator
def facilitator(ws: Workshop, step: Step, fac: Facilitator) -> None:
    """The dot round on the options, and the overview; the notes are in ``facilitator_notes``."""
    show_flash(fv.SCOPE)
    section = current(step)
    notes = store().contributions(step.id, kinds=NOTE_KINDS)
    if section.role == "options":
        screen_frame.focus_control(step, fac, [], results=True)
    if section.role == "options":
        dots.facilitator_panel(ws, step, fac, option_notes(step, notes), label=label_with_stage(step))
    elif step.voting_open:
        st.warning(t("grow.voting_elsewhere"))
        dots.round_controls(step, fac)
    if step.werkvorm.settle_section is not None:
        outcome_control(step, fac, notes)
    with st.expander(t("grow.overview"), expanded=False, key=f"grow-overview-{step.id}", on_change="rerun"):
        heatmap(step, notes, height=440)
        counts = {s.key: sum(1 for n in notes if n["section"] == s.key) for s in step.werkvorm.sections}
        st.caption(" · ".join(f"{md(s.title)}: {counts[s.key]}" for s in step.werkvorm.sections))


def _take_proposal(step_id: int) -> None:
    """Copy the proposal picked in the list into the sentence's box (the facilitator may still edit it)."""
    picked = st.session_state.get(f"outcome-pick-{step_id}")
    if picked is not None:
        st.session_state[f"{fv.SCOPE}:outcome-{step_id}"] = picked


def _settle(fac: Facilitator, step_id: int, text: str | None) -> None:
    """Store the sentence (None or blank opens it again); a refused one stays in its box with the reason."""
    stored: list[dict] = []
    if guarded(fv.SCOPE, lambda: stored.append(store().set_outcome(fac, step_id, text))):
        settled = stored[0].get("outcome")
        flash(fv.SCOPE, t("stages.outcome.saved") if settled else t("stages.outcome.cleared"), "success")
        st.session_state[f"{fv.SCOPE}:outcome-{step_id}"] = settled or ""


def outcome_control(step: Step, fac: Facilitator, notes: list[dict]) -> None:
    """Settle the shared text of the ``settle`` section: pick a proposal (its notes, most dots first) or
    type it; stored in the step's settings, shown on the screen and in the reports."""
    section = step.werkvorm.settle_section
    settled = outcome(step.config)
    here = [n for n in notes if n["section"] == section.key]
    votes = store().vote_counts(step.id, "note")
    here.sort(key=lambda n: (-votes.get(n["id"], 0), n["id"]))
    box = f"{fv.SCOPE}:outcome-{step.id}"
    if box not in st.session_state:
        st.session_state[box] = settled
    with st.expander(t("stages.outcome.title", section=md(section.title)), expanded=current(step).key == section.key,
                     key=f"outcome-panel-{step.id}"):
        st.caption(t("stages.outcome.hint"))
        if settled:
            st.success(t("stages.outcome.current", text=md(settled)))
        else:
            st.info(t("stages.outcome.open"))
        texts = list(dict.fromkeys(n["text"] for n in here))
        counts = {n["text"]: votes.get(n["id"], 0) for n in reversed(here)}
        st.selectbox(t("stages.outcome.pick"), texts, index=None, key=f"outcome-pick-{step.id}",
                     placeholder=t("stages.outcome.pick_placeholder" if texts else "stages.outcome.pick_none"),
                     format_func=lambda text: md(text) + (f" ({plural('n.dots', counts[text])})" if counts.get(text) else ""),
                     on_change=_take_proposal, args=(step.id,), disabled=not texts)
        with st.form(f"outcome-form-{step.id}", border=False):
            st.text_area(t("stages.outcome.label"), key=box, max_chars=Limits.OUTCOME, height=90)
            st.form_submit_button(t("stages.outcome.save"), type="primary",
                                  on_click=lambda: _settle(fac, step.id, st.session_state.get(box)))
        if settled:
            st.button(t("stages.outcome.clear"), key=f"outcome-clear-{step.id}", on_click=_settle,
                      args=(fac, step.id, None))


def facilitator_notes(ws: Workshop, step: Step, fac: Facilitator) -> None:
    """The current stage's notes, one line each with their functions; in Way forward a selected
    recommendation becomes an action of the follow-up list."""
    show_flash(fv.SCOPE)
    section = current(step)
    notes = store().contributions(step.id, include_hidden=True, kinds=NOTE_KINDS)
    here = [n for n in notes if n["section"] == section.key]
    st.subheader(t("grow.fac_stage", title=md(section.title), count=sum(1 for n in here if notetools.is_live(n))))
    votes = store().vote_counts(step.id, "note") if section.role == "options" else {}
    forward = is_way_forward(step, section)
    if forward:
        st.caption(t("grow.action_hint"))
    notetools.notes_table(ws, step, fac, here, votes=votes, tags=True,
                          group=(t("kind.tags"), lambda n: ", ".join(function_label(f) for f in n.get("tags") or ())),
                          action=(step.werkvorm.key, section.title) if forward else None,
                          made=store().note_actions(ws.id) if forward else None)


# ------------------------------------------------------------ participant
def participant(ws: Workshop, step: Step, who: Participant) -> bool:
    """Inputs of the active step; True when the phone should offer "klaar" below them."""
    if step.locked:
        locked_notice(step)
        return False
    section = current(step)
    if voting_now(step):
        dots.participant_view(ws, step, who, dots.section_groups(step, option_sections(step)))
        return False
    sections = step.werkvorm.sections
    st.caption(t("grow.stage_of", n=sections.index(section) + 1, total=len(sections)))
    prompts = "".join(f"<li>{esc(p)}</li>" for p in section.prompts)
    html_block(f'<h3 class="ss-user" style="margin:0">{esc(section.title)}</h3>'
               + (f'<ul class="ss-user" style="margin:.2rem 0 .4rem 1.1rem">{prompts}</ul>' if prompts else ""))
    note_form(ws, step, who)
    return True
