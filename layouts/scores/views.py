"""The praatplaat: private answers on the phone, one shared picture on the screen.

* Participant: per aspect a score (1-5 or "weet ik niet") and the text fields
  of the werkvorm ("wat gaat goed", "wat moet beter"). Saved answers fill the
  form again; only what changed is stored (newest wins), until the step is locked.
* Screen: before the reveal only how many answered. After it, the chart of the
  scores per organisation type and overall, the aspects where perspectives
  differ most, and the remarks per aspect. The facilitator can put one aspect
  in focus: ``step.stage`` 0 is the overview, ``k`` shows aspect ``k`` alone
  (the praatplaat is not sequential, so ``stage`` is free for this).
* Facilitator: counts, what the screen shows, chart kind, a private preview,
  hiding a remark, and the aspect editor (``Store.set_sections``).

All user text is escaped with :func:`ui.common.esc` before it reaches HTML;
aspect titles in a chart are HTML-escaped too (plotly reads a little HTML).
"""

from __future__ import annotations

import hashlib
import html
import json
from dataclasses import replace

import pandas as pd
import streamlit as st

import canvas_models
from canvas_models import spec as spec_of
from messages import CATALOGUE, ORG_TYPES, t
from ui import charts, drafts, kinds, notetools
from ui import screen_frame
from ui.common import esc, guarded, html_block, md, restore_drafts, show_flash, store
from ui.inputs import content_key
from ui.screen_frame import hidden_count
from workshop import Facilitator, Participant, Step, UserError, Workshop, aggregate

#: The score control's value for "weet ik niet" (stored as a score of None).
ANSWER_KINDS = ("score", "text")
CHART_KINDS = ("bar", "radar")

CSS = """
<style>
.ss-pp h2 { font-size:var(--ss-fs-h2); margin:0; color:#111; }
.ss-pp .ss-pp-q { font-size:var(--ss-fs-body); color:#222; margin:0 0 .6vh 0; }
.ss-pp-chips { display:flex; flex-wrap:wrap; gap:1vh; margin:1vh 0; }
.ss-pp-chip { border:.3vh solid #0b4f8a; color:#0b4f8a; border-radius:999px; padding:.3vh 1.6vh;
  font-size:var(--ss-fs-h2); font-weight:700; background:#fff; }
.ss-pp-differ { border:.4vh dashed #111; border-radius:1vh; padding:.8vh 1.2vh; margin:0 0 1vh 0; background:#f2f2f2;
  color:#111; }
.ss-pp-differ .ss-pp-flag { font-size:var(--ss-fs-min); font-weight:800; text-transform:uppercase; letter-spacing:.05rem; }
.ss-pp-differ .ss-pp-aspect { font-size:var(--ss-fs-h2); font-weight:800; }
.ss-pp-differ .ss-pp-detail { font-size:var(--ss-fs-min); }
.ss-pp-calm { font-size:var(--ss-fs-body); color:#111; margin:0 0 1vh 0; }
.ss-pp-grid { display:grid; gap:1vh; }
.ss-pp-card { border:.3vh solid #111; border-radius:1vh; padding:.6vh 1vh; background:#fff; color:#111; min-width:0;
  min-height:0; overflow:hidden; }
.ss-pp-card h3 { font-size:var(--ss-fs-body); margin:0 0 .3vh 0; padding:0; }
.ss-pp-card .ss-pp-mark { display:block; border:.3vh dashed #111; border-radius:.6vh; padding:0 .6vh;
  font-size:var(--ss-fs-min); font-weight:800; background:#f2f2f2; margin-bottom:.3vh; }
.ss-pp-card .ss-pp-mark .ss-pp-detail { display:block; font-weight:400; }
.ss-pp-field { font-size:var(--ss-fs-min); font-weight:800; margin:.4vh 0 .1vh 0; }
.ss-pp-card ul { margin:0; padding-left:2.4vh; }
.ss-pp-card li { font-size:var(--ss-fs-min); line-height:1.3; margin:.2vh 0; overflow-wrap:anywhere; }
.ss-pp-by { color:#333; }
.ss-pp-more, .ss-pp-none { font-size:var(--ss-fs-min); color:#333; font-style:italic; }
.ss-pp-focus .ss-pp-card li { font-size:var(--ss-fs-body); }
</style>
"""
#: The chart on the screen, in per cent of the screen's height (overview; one aspect in focus).
OVERVIEW_CHART_VH = 40
FOCUS_CHART_VH = 62
CHART_CONFIG = {"displayModeBar": False, "responsive": True}


# ------------------------------------------------------------------ helpers
def answer_fields(step: Step) -> list:
    return [f for f in step.werkvorm.fields if f.kind in ANSWER_KINDS]


def text_fields(step: Step) -> list:
    return [f for f in step.werkvorm.fields if f.kind == "text"]


def score_field(step: Step):
    return next((f for f in step.werkvorm.fields if f.kind == "score"), None)


def answer_prefix(step_id: int, section: str) -> str:
    """Widget keys of the phone start with the step's scope (``pp{id}:``): a failed save keeps them as
    drafts of that scope (:func:`ui.common.guarded`)."""
    return f"pp{step_id}:{section}"


def saved_answers(step_id: int, who: Participant) -> dict[tuple[str, str], dict]:
    return {(a["section"], a["field"]): a for a in store().latest_answers(step_id, who.id)}


def _answered_sections(step: Step, saved: dict) -> int:
    return sum(1 for s in step.werkvorm.sections
               if any((s.key, f.key) in saved for f in answer_fields(step)))


def _chart_kind(step: Step) -> str:
    kind = step.config.get("chart", "bar")
    return kind if kind in CHART_KINDS else "bar"


def _focus(step: Step) -> int:
    """0: overview; k: aspect k (1-based) alone on the screen."""
    return step.stage if 0 < step.stage <= len(step.werkvorm.sections) else 0


def _chart_table(table: list[aggregate.AspectScore]) -> list[aggregate.AspectScore]:
    """The same scores with titles made inert for plotly's HTML subset."""
    return [replace(a, title=html.escape(a.title, quote=False)) for a in table]


def _plot(fig, key: str) -> None:
    # room for multi-line aspect labels and the axis title, whatever the column width
    fig.update_yaxes(title_standoff=12)
    st.plotly_chart(fig, config=CHART_CONFIG, theme=None, key=key)


def _screen_plot(fig, table, height_vh: float) -> None:
    """The chart on the projector: its height a share of the screen, its type scaled to the screen. The score
    scale is said in words above the chart (a vertical axis title is too long for a short chart)."""
    fig.update_yaxes(title=None)
    alt = "; ".join(f"{a.title}: {charts.nl_number(a.mean)}" for a in table)
    screen_frame.chart(fig, height_vh=height_vh, alt=alt, config=CHART_CONFIG)


# -------------------------------------------------------------- participant
def save_answers(who: Participant, step_id: int, seen: int) -> bool:
    """Store what changed, section by section (read in a callback); False when it could not be stored."""
    scope = f"pp{step_id}"
    state = st.session_state

    def run() -> None:
        step = store().step(step_id)  # fresh: the aspects or the lock may have changed
        saved = saved_answers(step_id, who)
        for section in step.werkvorm.sections:
            values = kinds.changed_answers(answer_fields(step), answer_prefix(step_id, section.key),
                                           {f: row for (sec, f), row in saved.items() if sec == section.key})
            if values:
                key = content_key(who, step, "answer", section.key, sorted(values.items(), key=lambda kv: kv[0]), seen)
                store().answer(who, step_id, section=section.key, values=values, idem_key=key)

    if not guarded(scope, run, t("praat.saved")):
        return False
    # what the boxes hold is stored now: the browser may drop their drafts
    drafts.forget(*(k for k in state.keys() if isinstance(k, str) and k.startswith(f"{scope}:")
                    and k.rsplit(":", 1)[-1] in {f.key for f in text_fields(store().step(step_id))}))
    return True


def _score_text(row: dict | None) -> str:
    if row is None:
        return t("praat.no_answer")
    return t("kind.score.unknown") if row["score"] is None else str(row["score"])


def _my_answers(step: Step, saved: dict) -> None:
    """Read-only summary of the participant's own answers."""
    parts = []
    scores = [f for f in step.werkvorm.fields if f.kind == "score"]  # one (praatplaat) or more (risks)
    for section in step.werkvorm.sections:
        lines = []
        for score in scores:
            lines.append(f'<li><b>{esc(score.label)}:</b> {esc(_score_text(saved.get((section.key, score.key))))}</li>')
        for spec in text_fields(step):
            row = saved.get((section.key, spec.key))
            if row and row["text"].strip():
                lines.append(f'<li><b>{esc(spec.label)}</b> {esc(row["text"])}</li>')
        parts.append(f'<div class="ss-user"><b>{esc(section.title)}</b><ul>{"".join(lines)}</ul></div>')
    html_block("".join(parts))


def _phone_t(step: Step, key: str, **params) -> str:
    """A phone text in the words of the step's layout: ``<layout>.phone.<key>`` when the messages have it
    (the risks layout speaks of risks, not aspects), else the praatplaat's ``praat.<key>``."""
    own = f"{step.werkvorm.layout}.phone.{key}"
    return t(own if own in CATALOGUE else f"praat.{key}", **params)


def _at_key(step_id: int) -> str:
    return f"pp-at:{step_id}"


#: How often this phone moved to another aspect: after a move the page shows the new aspect from its heading.
_MOVED_KEY = "_pp_moved"
_SCROLL_JS = """<script>/* move %d */ (() => { const h = document.querySelector('.ss-pp-aspect');
if (h) h.scrollIntoView({block: 'start'}); })();</script>"""


def _current(step: Step) -> int:
    """The aspect this phone shows (0-based), kept within the aspects (the facilitator may remove one)."""
    return max(0, min(int(st.session_state.get(_at_key(step.id), 0)), len(step.werkvorm.sections) - 1))


def _move(who: Participant, step_id: int, seen: int, to: int | str) -> None:
    """Store the open aspect, then show another one: ``to`` is an index, or the key of the chips
    (a tap on the chip that is already chosen clears it: then nothing moves)."""
    if isinstance(to, str):
        chosen = st.session_state.get(to)
        if chosen is None:  # the chip of the aspect shown stays chosen
            st.session_state[to] = int(st.session_state.get(_at_key(step_id), 0))
            return
        to = int(chosen)
    if save_answers(who, step_id, seen):
        st.session_state[_at_key(step_id)] = to
        st.session_state[_MOVED_KEY] = st.session_state.get(_MOVED_KEY, 0) + 1


def participant(ws: Workshop, step: Step, who: Participant) -> bool:
    """One aspect at a time: its heading, its question, the score and the remarks. A tap on a score
    and every remark (when the box is left) is stored at once, and so is the aspect when the phone
    moves on; chips and "Vorige"/"Volgende" move between the aspects. True: offer "klaar" below."""
    scope = f"pp{step.id}"
    wv = step.werkvorm
    saved = saved_answers(step.id, who)
    if step.locked:
        show_flash(scope)  # e.g. "locked" for a change sent just after the lock
        st.info(t("praat.locked"))
        if saved:
            with st.expander(t("praat.mine"), expanded=True):
                _my_answers(step, saved)
        return False
    st.caption(_phone_t(step, "private"))
    restore_drafts(scope)  # what a save that failed (a lock, the database away) did not store
    seen = max((row["id"] for row in saved.values()), default=0)
    total, at = len(wv.sections), _current(step)
    done = _answered_sections(step, saved)
    html_block(f'<p class="ss-pp-progress" role="status">{esc(_phone_t(step, "progress", done=done, total=total))}</p>')
    answered = {s.key for s in wv.sections if any((s.key, f.key) in saved for f in answer_fields(step))}
    chips = f"pp-chips:{step.id}:{at}"  # a new key per shown aspect: a chip always starts at the aspect shown
    st.pills(_phone_t(step, "aspects"), list(range(total)), default=at, key=chips, on_change=_move,
             args=(who, step.id, seen, chips), label_visibility="collapsed",
             format_func=lambda i: ("✓ " if wv.sections[i].key in answered else "") + md(wv.sections[i].title))
    section = wv.sections[at]
    prompts = "".join(f"<li>{esc(p)}</li>" for p in section.prompts)
    html_block(f'<p class="ss-pp-of">{esc(_phone_t(step, "aspect_of", n=at + 1, total=total))}</p>'
               f'<h3 class="ss-user ss-pp-aspect" style="margin:0">{esc(section.title)}</h3>'
               + (f'<p class="ss-user" style="margin:.2rem 0">{esc(section.question)}</p>' if section.question else "")
               + (f'<ul class="ss-user" style="margin:0;color:#333">{prompts}</ul>' if prompts else ""))
    moved = st.session_state.get(_MOVED_KEY)
    if moved:  # the buttons were at the bottom: show the new aspect from its heading
        st.html(_SCROLL_JS % moved, unsafe_allow_javascript=True)
    for spec in answer_fields(step):
        kinds.render_input(spec, answer_prefix(step.id, section.key), saved.get((section.key, spec.key)),
                           on_change=save_answers, args=(who, step.id, seen))
    show_flash(scope)
    back, forward = st.columns(2)
    back.button(t("praat.previous"), key=f"pp-prev:{step.id}", on_click=_move, args=(who, step.id, seen, at - 1),
                disabled=at == 0, width="stretch")
    if at + 1 < total:
        forward.button(t("praat.next"), key=f"pp-next:{step.id}", type="primary", on_click=_move,
                       args=(who, step.id, seen, at + 1), width="stretch")
    else:
        forward.button(t("praat.save"), key=f"pp-save:{step.id}", type="primary", on_click=save_answers,
                       args=(who, step.id, seen), width="stretch")
    return True


# ------------------------------------------------------------------- screen
def _group_label(org: str | None) -> str:
    return ORG_TYPES.get(org or "", org or "")


def _differ_detail(d: aggregate.Divergence, table: dict[str, aggregate.AspectScore]) -> str:
    """Where the groups differ: the lowest and the highest organisation type, or the range of scores."""
    aspect = table[d.key]
    if d.lowest_org and d.highest_org:
        low, high = aspect.org(d.lowest_org), aspect.org(d.highest_org)
        return t("praat.screen.low_high", low=_group_label(d.lowest_org), low_mean=charts.nl_number(low.mean),
                 high=_group_label(d.highest_org), high_mean=charts.nl_number(high.mean))
    return t("praat.screen.range", min=aspect.min, max=aspect.max)


def _differ_html(d: aggregate.Divergence, table: dict[str, aggregate.AspectScore]) -> str:
    detail = _differ_detail(d, table)
    return (f'<div class="ss-pp-differ ss-fit-item"><div class="ss-pp-flag">{esc(t("praat.screen.differs"))}</div>'
            f'<div class="ss-pp-aspect ss-user">{esc(d.title)}</div>'
            f'<div class="ss-pp-detail">{esc(detail)}</div></div>')


def _remark_item(remark: aggregate.Remark, anonymous: bool) -> str:
    """One remark on the screen: the text and the kind of organisation, never the person's name (the phone
    promises that answers are private; see ``praat.private``)."""
    by = f' <span class="ss-pp-by">— {esc(_group_label(remark.org_type))}</span>' if remark.org_type else ""
    return f'<li class="ss-user ss-fit-item">{esc(remark.text)}{by}</li>'


def _remarks_card(step: Step, remarks: aggregate.AspectRemarks, *, anonymous: bool, mark: str = "",
                  limit: int | None) -> str:
    """One aspect's remarks; ``mark``, when given, says how the organisation types differ on it."""
    if mark:
        mark = (f'<div class="ss-pp-mark">≠ {esc(t("praat.screen.differs"))}'
                f'<span class="ss-pp-detail">{esc(mark)}</span></div>')
    body = []
    for spec in text_fields(step):
        items = remarks.by_field.get(spec.key, ())
        shown = items if limit is None else items[:limit]
        rows = "".join(_remark_item(r, anonymous) for r in shown)
        more = ""
        if len(items) > len(shown):
            more = f'<div class="ss-pp-more">{esc(t("praat.screen.more", count=len(items) - len(shown)))}</div>'
        if not items:
            rows = f'<li class="ss-pp-none">{esc(t("praat.screen.no_remarks"))}</li>'
        body.append(f'<div class="ss-pp-field">{esc(spec.label)}</div><ul>{rows}</ul>{more}')
    return (f'<div class="ss-pp-card" data-fit><h3 class="ss-user">{esc(remarks.title)}</h3>{mark}'
            f'{"".join(body)}<div class="ss-more-slot"></div></div>')


def _waiting(ws: Workshop, step: Step) -> None:
    hidden_count(ws, step)
    chips = "".join(f'<span class="ss-pp-chip ss-user">{esc(s.title)}</span>' for s in step.werkvorm.sections)
    html_block(f'<div class="ss-pp-chips">{chips}</div>')


@st.cache_data(max_entries=64, show_spinner=False)
def _answers(db_url: str, step_id: int, version: tuple[int, int, int]) -> list[dict]:
    """``latest_answers`` of a step, computed once per change (``version``) for every screen and tab."""
    return store().latest_answers(step_id)


def answers(step: Step) -> list[dict]:
    return _answers(store().db.url, step.id, store().answers_version(step.id))


@st.cache_data(max_entries=64, show_spinner=False)
def _picture(db_url: str, step_id: int, version: tuple[int, int, int], sections: str, anonymous: bool,
             text_keys: tuple[str, ...]) -> tuple[list, list, list]:
    rows = _answers(db_url, step_id, version)
    keys = json.loads(sections)
    table = aggregate.score_table(rows, keys)
    ranking = aggregate.divergence(table)
    remarks = aggregate.remarks_by_aspect(rows, anonymous, keys, fields=list(text_keys))
    return table, ranking, remarks


def picture(ws: Workshop, step: Step) -> tuple[list, list, list]:
    """Scores, divergence ranking and remarks of a step (cached per change of its answers)."""
    sections = json.dumps([{"key": s.key, "title": s.title} for s in step.werkvorm.sections])
    return _picture(store().db.url, step.id, store().answers_version(step.id), sections, ws.anonymous,
                    tuple(f.key for f in text_fields(step)))


def _overview(ws: Workshop, step: Step, table, ranking, remarks) -> None:
    """The shared picture at full width, then one card per aspect with its remarks; an aspect where the
    organisation types differ most says so in its card, with the lowest and highest group."""
    marked = [d for d in ranking if d.marked]
    by_key = {a.key: a for a in table}
    respondents = store().respondent_count(step.id)
    calm = "" if marked or not any(a.n for a in table) else " " + t("praat.screen.calm")
    html_block(f'<p class="ss-pp-calm">{esc(t("praat.screen.basis", count=respondents) + " " + t("praat.screen.scale") + calm)}</p>')
    fig = charts.praatplaat_chart(_chart_table(table), divergent=marked, kind=_chart_kind(step), title=None)
    _screen_plot(fig, table, OVERVIEW_CHART_VH)
    details = {d.key: _differ_detail(d, by_key) for d in marked}
    html_block(f'<div class="ss-pp-grid" data-fill style="grid-template-columns:repeat({max(1, len(remarks))}, '
               'minmax(0, 1fr))">' + "".join(
                   _remarks_card(step, r, anonymous=ws.anonymous, mark=details.get(r.key, ""), limit=None)
                   for r in remarks) + "</div>")


def _focus_view(ws: Workshop, step: Step, index: int, table, ranking, remarks) -> None:
    section = step.werkvorm.sections[index]
    aspect = table[index]
    verdict = next(d for d in ranking if d.key == section.key)
    html_block(f'<div class="ss-pp"><h2 class="ss-user">{esc(section.title)}</h2>'
               + (f'<p class="ss-pp-q ss-user">{esc(section.question)}</p>' if section.question else "")
               + "</div>")
    if verdict.marked:
        html_block('<div class="ss-pp">' + _differ_html(verdict, {aspect.key: aspect}) + "</div>")
    left, right = st.columns([2, 3], gap="medium")
    with left:
        fig = charts.praatplaat_chart(_chart_table([aspect]), divergent=[verdict] if verdict.marked else (),
                                      kind="bar", title=None)
        _screen_plot(fig, [aspect], FOCUS_CHART_VH)
    with right:
        html_block('<div class="ss-pp-focus ss-pp-grid" data-fill>' + _remarks_card(
            step, remarks[index], anonymous=ws.anonymous, limit=None) + "</div>")


def screen(ws: Workshop, step: Step) -> None:
    html_block(CSS)
    if step.hidden_until_reveal:
        _waiting(ws, step)
        return
    table, ranking, remarks = picture(ws, step)
    focus = _focus(step)
    if focus:
        _focus_view(ws, step, focus - 1, table, ranking, remarks)
    else:
        _overview(ws, step, table, ranking, remarks)


# -------------------------------------------------------------- facilitator
def _set_focus(fac: Facilitator, step_id: int, key: str) -> None:
    guarded(f"ppf{step_id}", lambda: store().update_step(fac, step_id, stage=int(st.session_state[key])))


def _set_chart(fac: Facilitator, step_id: int, key: str) -> None:
    guarded(f"ppf{step_id}", lambda: store().set_step_config(fac, step_id, chart=st.session_state[key]))


def _counts(step: Step, table, answers: list[dict]) -> None:
    texts = {f.key for f in text_fields(step)}
    remarks: dict[str, int] = {}
    for row in answers:
        if row["field"] in texts and (row.get("text") or "").strip() and aggregate.is_visible(row):
            remarks[row["section"]] = remarks.get(row["section"], 0) + 1
    frame = pd.DataFrame([{
        t("praat.fac.col_aspect"): a.title,
        t("praat.fac.col_scores"): a.n,
        t("praat.fac.col_unknown"): a.unknown,
        t("praat.fac.col_mean"): charts.nl_number(a.mean),
        t("praat.fac.col_remarks"): remarks.get(a.key, 0),
    } for a in table])
    st.dataframe(frame, hide_index=True, width="stretch")


def remark_lines(ws: Workshop, step: Step, fac: Facilitator, answers: list[dict]) -> None:
    """The typed answers of a step of aspects (the praatplaat's remarks, the risks' measures), one line
    each with its aspect, field and organisation type, to hide or show again."""
    titles = {s.key: s.title for s in step.werkvorm.sections}
    labels = {f.key: f.label for f in text_fields(step)}
    notetools.answer_lines(
        ws, fac, answers,
        lambda row: (titles[row["section"]], labels[row["field"]])
        if row["field"] in labels and row["section"] in titles else None,
        scope=f"ppf{step.id}", key="pp-mod", empty=t("praat.fac.no_remarks"),
        org=lambda row: _group_label(row.get("org_type")))


def facilitator(ws: Workshop, step: Step, fac: Facilitator) -> None:
    scope = f"ppf{step.id}"
    wv = step.werkvorm
    rows = answers(step)
    table, ranking, _remarks = picture(ws, step)
    total = store().participant_count(ws.id)
    st.metric(t("praat.fac.answered"), t("screen.answered", count=store().respondent_count(step.id), total=total))
    st.caption(t("praat.fac.revealed") if step.revealed else t("praat.fac.hidden"))
    show_flash(scope)
    _counts(step, table, rows)

    cols = st.columns(2)
    options = list(range(len(wv.sections) + 1))
    focus_key = f"pp-focus-{step.id}-{step.stage}"
    cols[0].selectbox(t("praat.fac.focus"), options, index=_focus(step), key=focus_key,
                      format_func=lambda i: t("praat.fac.overview") if i == 0 else wv.sections[i - 1].title,
                      on_change=_set_focus, args=(fac, step.id, focus_key), disabled=not step.revealed)
    chart_key = f"pp-chartkind-{step.id}-{_chart_kind(step)}"
    cols[1].radio(t("praat.fac.chart"), list(CHART_KINDS), index=CHART_KINDS.index(_chart_kind(step)),
                  format_func=lambda k: t(f"praat.fac.chart.{k}"), horizontal=True, key=chart_key,
                  on_change=_set_chart, args=(fac, step.id, chart_key))

    with st.expander(t("praat.fac.preview"), expanded=False):
        fig = charts.praatplaat_chart(_chart_table(table), divergent=ranking, kind=_chart_kind(step), title=None,
                                      height=480)
        _plot(fig, f"pp-fac-chart-{step.id}")
        marked = [d.title for d in ranking if d.marked]
        note = t("praat.fac.differs", aspects=", ".join(marked)) if marked else t("praat.screen.calm")
        html_block(f'<p class="ss-user">{esc(note)}</p>')  # aspect names are user text: never Markdown
    with st.expander(t("praat.fac.remarks"), expanded=False):
        remark_lines(ws, step, fac, rows)
    with st.expander(t("praat.aspects.title"), expanded=False):
        aspect_editor(step, fac, has_answers=bool(rows))


# ------------------------------------------------------------ aspect editor
def _version(step: Step) -> str:
    raw = json.dumps([s.model_dump() for s in step.werkvorm.sections], sort_keys=True, default=str)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:10]


def _aspect_key(step_id: int, version: str, i: object, part: str) -> str:
    return f"ppa:{step_id}:{version}:{i}:{part}"


def _save_aspects(fac: Facilitator, step_id: int, version: str, originals: list[dict],
                  words: str = "praat.aspects") -> None:
    state = st.session_state
    sections: list[dict] = []
    for i, orig in enumerate(originals):
        if state.get(_aspect_key(step_id, version, i, "remove")):
            continue
        sections.append({"key": orig["key"], "prompts": orig["prompts"],
                         "title": state.get(_aspect_key(step_id, version, i, "title"), ""),
                         "question": state.get(_aspect_key(step_id, version, i, "question"), "")})
    new_title = state.get(_aspect_key(step_id, version, "new", "title"), "") or ""
    new_question = state.get(_aspect_key(step_id, version, "new", "question"), "") or ""
    if new_title.strip() or new_question.strip():
        sections.append({"title": new_title, "question": new_question})

    def run() -> None:
        titles = [" ".join(str(s["title"] or "").split()).casefold() for s in sections]
        if len(set(titles)) != len(titles):
            raise UserError("error.duplicate_sections")
        store().set_sections(fac, step_id, sections)
    guarded(f"ppa{step_id}", run, t(f"{words}.saved"))


def _reset_aspects(fac: Facilitator, step_id: int, werkvorm: canvas_models.Werkvorm,
                   words: str = "praat.aspects") -> None:
    """Back to the sections of the werkvorm as the workshop was made with it (its own copy)."""
    defaults = [s.model_dump() for s in werkvorm.sections]
    guarded(f"ppa{step_id}", lambda: store().set_sections(fac, step_id, defaults), t(f"{words}.saved"))


def aspect_editor(step: Step, fac: Facilitator, *, has_answers: bool, words: str = "praat.aspects") -> None:
    """Rename, reword, remove and add aspects of this workshop's praatplaat (or, with other ``words``: the
    prefix of its texts, the themes of another werkvorm with editable sections)."""
    scope = f"ppa{step.id}"
    version = _version(step)
    state = st.session_state
    originals = [{"key": s.key, "prompts": list(s.prompts)} for s in step.werkvorm.sections]
    st.caption(t(f"{words}.help"))
    if has_answers:
        st.warning(t(f"{words}.has_answers"))
    with st.form(f"pp-aspects-{step.id}", border=False):
        for i, section in enumerate(step.werkvorm.sections):
            seeds = {"title": section.title, "question": section.question}
            for part, value in seeds.items():
                state.setdefault(_aspect_key(step.id, version, i, part), value)
            cols = st.columns([2, 4, 1], vertical_alignment="bottom")
            cols[0].text_input(t(f"{words}.name", n=i + 1), key=_aspect_key(step.id, version, i, "title"),
                               max_chars=120)
            cols[1].text_input(t(f"{words}.question", n=i + 1),
                               key=_aspect_key(step.id, version, i, "question"), max_chars=600)
            cols[2].checkbox(t(f"{words}.remove"), key=_aspect_key(step.id, version, i, "remove"))
        cols = st.columns([2, 4, 1], vertical_alignment="bottom")
        cols[0].text_input(t(f"{words}.new"), key=_aspect_key(step.id, version, "new", "title"), max_chars=120)
        cols[1].text_input(t(f"{words}.new_question"), key=_aspect_key(step.id, version, "new", "question"),
                           max_chars=600)
        st.form_submit_button(t(f"{words}.save"), type="primary", on_click=_save_aspects,
                              args=(fac, step.id, version, originals, words))
    show_flash(scope)
    st.button(t(f"{words}.reset"), key=f"pp-aspects-reset-{step.id}", on_click=_reset_aspects,
              args=(fac, step.id, spec_of.stored(step.werkvorm_key, step.spec), words))
