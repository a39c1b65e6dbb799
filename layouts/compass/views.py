"""Views for the 'compass' layout: themes with a strength score and activities (inspiratiekompas).

Each section is a theme (its ``question`` is the example). On the phone a participant places planned
activities under a theme (notes) and rates how strong the region is in each theme now (one score per
theme, the ``score`` field). The screen shows the compass: the strength per theme as a radar with its
values written on it, and the activities per theme; gaps (weak, or no activities yet) stand out. The
numbers come from ``workshop.compass``.

Why a layout of its own: ``grid`` places blocks by ``Section.grid`` and has no scores, ``scores`` keeps
private scores and remarks per organisation type behind a reveal; the compass needs both notes and a
live score per theme, and a chart beside the themes. The score form is the ``scores`` layout's.
"""

from __future__ import annotations

import functools

import plotly.graph_objects as go
import streamlit as st

from layouts.scores.views import answer_fields, answer_prefix, aspect_editor, save_answers, saved_answers
from messages import t
from ui import charts, dots, kinds, notetools
from ui import screen_frame
from ui import step_controls as fv
from ui.common import esc, html_block, show_flash, store
from ui.inputs import NOTE_KINDS, locked_notice, note_form
from workshop import Facilitator, Participant, Step, Workshop
from workshop import compass

COMPASS_CSS = """
<style>
.ss-themes { display:grid; grid-template-columns:repeat(2, minmax(0, 1fr)); grid-auto-rows:minmax(0, 1fr); gap:.8vh; }
.ss-theme { border:.3vh solid #0b4f8a; border-radius:.8vh; padding:.4vh .8vh; background:#fff; min-width:0; min-height:0;
  overflow:hidden; overflow-wrap:anywhere; }
.ss-theme.ss-gap { border:.45vh dashed #a30000; background:#fff5f5; }
.ss-theme > h2 { font-size:var(--ss-fs-body); line-height:1.15; margin:0 0 .3vh 0 !important; color:#0b4f8a; }
.ss-theme .ss-strength { font-size:var(--ss-fs-min); font-weight:700; color:#111; margin:0 0 .3vh 0; }
.ss-theme .ss-gapnote { color:#a30000; }
.ss-theme ul { margin:0 0 0 2vh; padding:0; }
.ss-theme .ss-example { font-size:var(--ss-fs-min); font-style:italic; color:#333; margin:0;
  display:-webkit-box; -webkit-box-orient:vertical; -webkit-line-clamp:2; overflow:hidden; }
.ss-theme li { font-size:var(--ss-fs-min); margin:0; line-height:1.25; }
</style>
"""
#: How high the radar is, in per cent of the screen.
CHART_VH = 70


def themes(step: Step) -> list[compass.Theme]:
    return compass.themes(step.werkvorm.sections, store().latest_answers(step.id),
                          store().contributions(step.id, kinds=NOTE_KINDS))


def strength_text(theme: compass.Theme) -> str:
    if theme.mean is None:
        return t("compass.no_strength")
    return t("compass.strength", mean=charts.nl_number(theme.mean), n=theme.n)


gap_text = compass.gap_text


@functools.lru_cache(maxsize=64)
def radar_figure(points: tuple[tuple[str, float | None, bool], ...], height: int) -> go.Figure:
    """The compass: mean strength per theme on a 0-5 radar, each value written beside its point and
    gaps in red. ``points``: (title, mean, gap) per theme, so the figure is cached per distinct picture
    and shared by every session: build on it only through :func:`ui.charts.fresh`."""
    titles = [charts.wrap_label(title, 13) for title, _, _ in points]  # escaped, wrapped
    values = [mean or 0 for _, mean, _ in points]
    # A theme nobody rated sits at the centre without a value: several "–" there would lie on top of each
    # other (the theme's block says "nog geen sterkte").
    labels = [charts.nl_number(mean) if mean is not None else "" for _, mean, _ in points]
    colours = ["#a30000" if gap else "#0b4f8a" for _, _, gap in points]
    fig = go.Figure(go.Scatterpolar(
        r=values + values[:1], theta=titles + titles[:1], fill="toself", mode="lines+markers+text",
        # the closing point repeats the first: its value is written once
        text=labels + [""], textposition="top center", textfont=dict(size=28, color="#111"),
        marker=dict(size=16, color=colours + colours[:1]), line=dict(color="#0b4f8a", width=4),
        fillcolor="rgba(11,79,138,0.18)", hoverinfo="skip"))
    fig.update_layout(
        height=height, showlegend=False, paper_bgcolor="#fff", font=dict(size=24, color="#111"),
        margin=dict(l=20, r=20, t=70, b=70),
        # The theme names need room beside the wheel; the values are written on it, so the radial axis
        # keeps its circles (1 to 5) but no numbers of its own that the values could collide with.
        polar=dict(domain=dict(x=[0.25, 0.75], y=[0, 1]),
                   radialaxis=dict(range=[0, 5], tickvals=[1, 2, 3, 4, 5], showticklabels=False),
                   angularaxis=dict(tickfont=dict(size=24), direction="clockwise", rotation=90)))
    return fig


def _alt(items: list[compass.Theme]) -> str:
    return "; ".join(f"{th.title}: {strength_text(th)}, {len(th.activities)}" for th in items)


def themes_html(items: list[compass.Theme]) -> str:
    """The themes as blocks with their strength and activities (all user text escaped); gaps marked."""
    blocks = []
    for theme in items:
        gap = gap_text(theme)
        acts = "".join(f'<li class="ss-user ss-fit-item">{esc(text)}</li>' for text in theme.activities)
        # one line of facts: the strength, the number of activities (or, in red, that there is none yet)
        # and why it is a gap; the example only while the theme has no activity, at most two lines of it
        facts = [strength_text(theme)] + ([] if theme.empty else [t("compass.activities", count=len(theme.activities))])
        blocks.append(
            f'<section class="ss-theme{" ss-gap" if theme.gap else ""}" data-fit aria-label="{esc(theme.title)}">'
            f'<h2 class="ss-user">{esc(theme.title)}</h2>'
            f'<p class="ss-strength">{esc(" · ".join(facts))}'
            + (f' · <span class="ss-gapnote">{esc(gap)}</span>' if gap else "") + '</p>'
            + (f'<p class="ss-example ss-user">{esc(theme.example)}</p>' if theme.empty and theme.example else "")
            + f'<ul class="ss-more-slot">{acts}</ul></section>')
    rows = (len(items) + 1) // 2
    return (f'<div class="ss-screen ss-themes" data-fill style="grid-template-rows:repeat({rows}, minmax(0, 1fr))">'
            f'{"".join(blocks)}</div>')


# ----------------------------------------------------------------- screen
def screen(ws: Workshop, step: Step) -> None:
    items = themes(step)
    html_block(COMPASS_CSS)
    left, right = st.columns([6, 5], gap="medium")
    with left:
        points = tuple((th.title, th.mean, th.gap) for th in items)
        fig = charts.fresh(radar_figure(points, screen_frame.DESIGN_HEIGHT * CHART_VH // 100))
        screen_frame.chart(fig, height_vh=CHART_VH, alt=t("compass.alt") + ": " + _alt(items),
                           config=dots.CHART_CONFIG)
    with right:
        html_block(themes_html(items))


# ------------------------------------------------------------ facilitator
def facilitator(ws: Workshop, step: Step, fac: Facilitator) -> None:
    """The compass as a table: strength, how many rated it, activities, gap."""
    import pandas as pd

    show_flash(fv.SCOPE)
    items = themes(step)
    st.caption(t("compass.fac_hint"))
    st.dataframe(pd.DataFrame({
        t("compass.col_theme"): [th.title for th in items],
        t("compass.col_strength"): [charts.nl_number(th.mean) for th in items],
        t("compass.col_n"): [th.n for th in items],
        t("compass.col_activities"): [len(th.activities) for th in items],
        t("compass.col_gap"): [gap_text(th) for th in items],
    }), hide_index=True, width="stretch")
    with st.expander(t("compass.themes.title"), expanded=False):
        aspect_editor(step, fac, has_answers=any(th.n or th.activities for th in items), words="compass.themes")


def facilitator_notes(ws: Workshop, step: Step, fac: Facilitator) -> None:
    """Every activity on one line with its theme; select lines to hide or merge, one to edit or move."""
    show_flash(fv.SCOPE)
    notes = store().contributions(step.id, include_hidden=True, kinds=NOTE_KINDS)
    titles = {s.key: s.title for s in step.werkvorm.sections}
    st.subheader(t("compass.fac_notes", count=sum(1 for n in notes if notetools.is_live(n))))
    notetools.notes_table(ws, step, fac, notes,
                          group=(t("compass.col_theme"), lambda n: titles.get(n["section"], n["section"])))


# ------------------------------------------------------------ participant
def participant(ws: Workshop, step: Step, who: Participant) -> bool:
    """An activity under a theme, and the strength of every theme; True: offer "klaar"."""
    if step.locked:
        locked_notice(step)
        return False
    st.caption(t("compass.participant_hint"))
    note_form(ws, step, who)
    saved = saved_answers(step.id, who)
    seen = max((row["id"] for row in saved.values()), default=0)
    st.subheader(t("compass.rate_title"))
    with st.form(f"pp-form-{step.id}", border=True):
        for section in step.werkvorm.sections:
            html_block(f'<p class="ss-user" style="margin:.4rem 0 0 0"><b>{esc(section.title)}</b></p>')
            for spec in answer_fields(step):
                kinds.render_input(spec, answer_prefix(step.id, section.key), saved.get((section.key, spec.key)),
                                   context=section.title)
        st.form_submit_button(t("compass.rate_save"), type="primary", width="stretch", on_click=save_answers,
                              args=(who, step.id, seen))
    show_flash(f"pp{step.id}")
    return True
