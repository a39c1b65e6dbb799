"""The risks layout: on the phone, per risk a likelihood and an impact score (1-5) and a proposed
measure; on the screen, a 5x5 risk matrix with the risks' numbers and the list of risks with their
measures; in the cockpit, the table and the risk editor.

Why a layout of its own: the scores layout compares one score of an aspect across organisation
types; a risk needs two scores of the same risk placed on two axes, which no layout draws. The phone
and the editor of the risks (sections) are the scores layout's own, reused as they are: a risk is an
aspect with two score fields and a text field (:mod:`layouts.risks.schema`).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from layouts.risks import matrix
from layouts.scores import views as scores
from messages import t
from ui.common import esc, html_block, show_flash, store
from ui.screen_frame import hidden_count
from workshop import Facilitator, Participant, Step, Workshop

CSS = """
<style>
.ss-rk { display:grid; grid-template-columns:auto minmax(0, 1fr); gap:2vh; align-items:start; }
.ss-rk-m { display:grid; grid-template-columns:4vh repeat(5, 11.5vh); grid-template-rows:repeat(5, 11.5vh) 4vh;
  gap:.5vh; }
.ss-rk-c { border:.25vh solid #111; border-radius:.6vh; display:flex; flex-wrap:wrap; align-content:center;
  justify-content:center; gap:.5vh; padding:.3vh; color:#111; }
.ss-rk-low { background:#e3f1e3; } .ss-rk-medium { background:#fbecc4; } .ss-rk-high { background:#f6cfcf; }
.ss-rk-high { border-width:.5vh; }
.ss-rk-n { display:inline-block; min-width:4.4vh; padding:.2vh .6vh; border-radius:999px; background:#111;
  color:#fff; font-weight:800; font-size:var(--ss-fs-h2); text-align:center; }
.ss-rk-ax { font-size:var(--ss-fs-min); font-weight:700; display:flex; align-items:center; justify-content:center; }
.ss-rk-axt { font-size:var(--ss-fs-min); color:#222; margin:.4vh 0 0 4.5vh; }
.ss-rk-list { margin:0; padding:0; list-style:none; }
.ss-rk-list li { border:.25vh solid #111; border-radius:.8vh; padding:.5vh 1vh; margin:0 0 .8vh 0;
  font-size:var(--ss-fs-body); background:#fff; overflow-wrap:anywhere; }
.ss-rk-list .ss-rk-meta { font-size:var(--ss-fs-min); color:#222; }
.ss-rk-list .ss-rk-mes { font-size:var(--ss-fs-min); margin:.2vh 0 0 0; }
</style>
"""

#: How many measures of one risk the screen lists.
SCREEN_MEASURES = 2


def table(step: Step) -> list[matrix.Risk]:
    """The risks of a step with their place (the answers are read once per change, as in the scores layout)."""
    wv = step.werkvorm
    return matrix.risks(scores.answers(step), wv.sections, wv.fields)


# -------------------------------------------------------------- participant
def participant(ws: Workshop, step: Step, who: Participant) -> bool:
    """The scores layout's phone: one risk at a time, both scores and the measure, stored at once."""
    return scores.participant(ws, step, who)


# ------------------------------------------------------------------- screen
def _axis_labels(step: Step) -> tuple[str, str]:
    like, impact = matrix.score_keys(step.werkvorm.fields)
    labels = {f.key: f.label for f in step.werkvorm.fields}
    return labels.get(like, ""), labels.get(impact, "")


def matrix_html(step: Step, items: list[matrix.Risk]) -> str:
    """The 5x5 matrix: likelihood upwards, impact to the right; each cell holds its risks' numbers."""
    like_label, impact_label = _axis_labels(step)
    cells: dict[tuple[int, int], list[int]] = {}
    for risk in items:
        if risk.cell is not None:
            cells.setdefault(risk.cell, []).append(risk.number)
    parts = []
    for like in range(5, 0, -1):
        parts.append(f'<div class="ss-rk-ax">{like}</div>')
        for impact in range(1, 6):
            numbers = "".join(f'<span class="ss-rk-n">{n}</span>' for n in cells.get((like, impact), []))
            level = matrix.cell_level(like, impact)
            parts.append(f'<div class="ss-rk-c ss-rk-{level}" title="{esc(t("risk.level." + level))}">{numbers}</div>')
    parts.append('<div></div>' + "".join(f'<div class="ss-rk-ax">{i}</div>' for i in range(1, 6)))
    alt = "; ".join(t("risk.alt", n=r.number, title=r.title, like=matrix.number(r.likelihood),
                      impact=matrix.number(r.impact)) for r in items)
    return (f'<div role="img" aria-label="{esc(alt[:1000])}"><div class="ss-rk-m">{"".join(parts)}</div>'
            f'<p class="ss-rk-axt">{esc(t("risk.axes", like=like_label, impact=impact_label))}</p></div>')


def _risk_item(risk: matrix.Risk) -> str:
    meta = t("risk.meta", like=matrix.number(risk.likelihood), impact=matrix.number(risk.impact), count=risk.n)
    measures = "".join(f'<p class="ss-rk-mes ss-user">→ {esc(m)}</p>' for m in risk.measures[-SCREEN_MEASURES:])
    return (f'<li class="ss-fit-item"><b><span class="ss-rk-n">{risk.number}</span> '
            f'<span class="ss-user">{esc(risk.title)}</span></b> <span class="ss-rk-meta">{esc(meta)} · '
            f'{esc(t("risk.level." + risk.level))}</span>{measures}</li>')


def screen(ws: Workshop, step: Step) -> None:
    html_block(CSS)
    if step.hidden_until_reveal:
        hidden_count(ws, step)
        return
    items = table(step)
    html_block(f'<p class="ss-sub">{esc(t("risk.screen.basis", count=store().respondent_count(step.id)))}</p>')
    ordered = matrix.by_weight(items)
    html_block(f'<div class="ss-rk">{matrix_html(step, items)}'
               f'<ul class="ss-rk-list" data-fit>{"".join(_risk_item(r) for r in ordered)}</ul></div>')


# -------------------------------------------------------------- facilitator
def facilitator_table(items: list[matrix.Risk]) -> pd.DataFrame:
    return pd.DataFrame([{
        t("risk.col.number"): r.number, t("risk.col.risk"): r.title,
        t("risk.col.likelihood"): matrix.number(r.likelihood), t("risk.col.impact"): matrix.number(r.impact),
        t("risk.col.weight"): str(r.weight) if r.weight is not None else "–",
        t("risk.col.raters"): r.n, t("risk.col.measures"): len(r.measures),
    } for r in items])


def facilitator(ws: Workshop, step: Step, fac: Facilitator) -> None:
    scope = f"ppf{step.id}"
    items = table(step)
    total = store().participant_count(ws.id)
    st.metric(t("praat.fac.answered"), t("screen.answered", count=store().respondent_count(step.id), total=total))
    show_flash(scope)
    st.dataframe(facilitator_table(items), hide_index=True, width="stretch")
    open_risks = [r.title for r in items if not r.measures]
    if open_risks:
        html_block(f'<p class="ss-user">{esc(t("risk.fac.no_measure", risks=", ".join(open_risks)))}</p>')
    rows = scores.answers(step)
    with st.expander(t("risk.fac.measures"), expanded=False):
        scores.remark_lines(ws, step, fac, rows)
    with st.expander(t("risk.fac.edit"), expanded=False):
        scores.aspect_editor(step, fac, has_answers=bool(rows))
