"""The 'choices' layout: options per section, chosen by one choice or by spending points.

* Participant: per section (a clause, a menu) one choice from its options, saved at the tap
  (kind ``choice``); or a spread of a fixed number of points over the options, saved as a whole
  (kind ``points``). Each option's short explanation stands under it.
* Screen: one section (a menu, "which condition first"): the ranking as a horizontal bar chart, the
  best options marked, and the options' explanations beside it. Several sections (the reglement):
  one line per section with the most chosen option, its share and whether it is settled, agreed or
  still open ("nog open" below the werkvorm's ``consensus``), and which sections are open. The
  facilitator can put one section in focus (``screen_frame.focus``).
* Facilitator: the counts, the points per participant, settling sections (``Store.settle_choice``),
  the best options as starting activities in the follow-up list (``Store.add_action``), and the
  draft document (.docx) of a werkvorm that has one.

The sums are in ``logic.py`` (no streamlit), shared with the exports (``report.py``).
"""

from __future__ import annotations

from datetime import date

# (at import: a chart built in one session while another session imports pandas for the first time
# would see a half-imported pandas inside plotly)
import pandas as pd
import streamlit as st

from layouts.choices import logic
from layouts.choices.logic import AGREED, OPEN, SETTLED
from messages import t
from ui import charts, kinds, screen_frame
from ui.common import esc, guarded, html_block, show_flash, store
from ui.inputs import content_key
from workshop import Facilitator, Participant, Step, Workshop
from workshop.store import points_budget
from workshop.text import Limits

CSS = """
<style>
.ss-ch p { margin:0; }
.ss-ch .ss-ch-basis { font-size:var(--ss-fs-body); color:#222; margin:0 0 .6vh 0; }
.ss-ch .ss-ch-start { font-size:var(--ss-fs-h2); font-weight:800; color:#111; margin:.4vh 0; }
.ss-ch .ss-ch-open { font-size:var(--ss-fs-h2); font-weight:800; margin:0 0 .6vh 0; }
.ss-ch-info { margin:0; padding:0; list-style:none; }
.ss-ch-info li { font-size:var(--ss-fs-min); line-height:1.3; margin:0 0 1vh 0; padding:.6vh 1vh; border-left:.6vh solid #0072B2;
  background:#f2f2f2; color:#111; overflow-wrap:anywhere; }
.ss-ch-info li b { font-size:var(--ss-fs-body); display:block; }
.ss-ch table { width:100%; border-collapse:collapse; color:#111; background:#fff; table-layout:fixed; }
.ss-ch th { font-size:var(--ss-fs-min); text-align:left; border-bottom:.4vh solid #111; padding:.3vh .6vh; }
.ss-ch td { font-size:var(--ss-fs-body); border-bottom:.2vh solid #999; padding:.4vh .6vh; vertical-align:middle;
  overflow-wrap:anywhere; }
.ss-ch tr.ss-ch-group td { font-size:var(--ss-fs-min); font-weight:800; text-transform:uppercase; border-bottom:none;
  padding-top:.8vh; color:#0b4f8a; }
.ss-ch .ss-ch-bar { display:flex; align-items:center; gap:1vh; }
.ss-ch .ss-ch-track { flex:1 1 auto; height:2.2vh; border:.2vh solid #111; background:#fff; position:relative; }
.ss-ch .ss-ch-bar > span { min-width:4.5ch; text-align:right; }
.ss-ch .ss-ch-fill { position:absolute; left:0; top:0; bottom:0; background:#0072B2; }
.ss-ch .ss-ch-mark { position:absolute; top:-.6vh; bottom:-.6vh; border-left:.4vh dashed #111; }
.ss-ch .ss-ch-status { font-weight:800; white-space:nowrap; }
.ss-ch .ss-ch-st-open { color:#8a0b0b; }
.ss-ch .ss-ch-st-settled { color:#0b5d1e; }
.ss-ch .ss-ch-sub { display:block; font-size:var(--ss-fs-min); font-weight:400; color:#222; }
</style>
"""
#: The chart on the screen, in per cent of the screen's height (one section; one section in focus, under its title).
CHART_VH, FOCUS_CHART_VH = 70, 62
CHART_CONFIG = {"displayModeBar": False, "responsive": True}
#: Bar colours: the best options (starting activities, the winner) and the rest.
LEAD, REST = "#0b4f8a", "#7fb2d9"


# ------------------------------------------------------------------ helpers
def _kind(step: Step) -> str:
    return step.werkvorm.choice_field.kind


def _rows(step: Step) -> list[dict]:
    return store().contributions(step.id, include_hidden=True, kinds=logic.KINDS)


def step_results(step: Step, rows: list[dict] | None = None) -> list[logic.SectionResult]:
    return logic.results(step.werkvorm, _rows(step) if rows is None else rows, step.config)


def _prefix(step_id: int, section: str) -> str:
    return f"ch:{step_id}:{section}"


def _percent(share: float) -> str:
    return t("choices.screen.share", share=round(share * 100))


def _mine(step: Step, who: Participant) -> dict[str, dict]:
    """This participant's counting rows per section: {"text": option} or {"points": {option: n}}."""
    rows = logic.counted(store().contributions(step.id, include_hidden=True, kinds=logic.KINDS,
                                               participant_id=who.id))
    out: dict[str, dict] = {}
    for row in rows:
        entry = out.setdefault(row["section"], {"points": {}, "id": 0})
        entry["id"] = max(entry["id"], row["id"])
        if row["kind"] == "points":
            entry["points"][row["text"]] = int(row["score"] or 0)
        else:
            entry["text"] = row["text"]
    return out


# -------------------------------------------------------------- participant
def _choose(who: Participant, step_id: int, section: str, key: str, seen: int) -> None:
    option = st.session_state.get(key)
    if option is None:
        return
    step = store().step(step_id)
    idem = content_key(who, step, "choice", section, option, seen)
    guarded(f"ch{step_id}", lambda: store().choose(who, step_id, section=section, option=option, idem_key=idem),
            t("choices.saved"))


def _allocate(who: Participant, step_id: int, section: str, seen: int) -> None:
    step = store().step(step_id)
    spec = step.werkvorm.choice_field
    values = kinds.read_value(spec, _prefix(step_id, section))
    options = [o.key for o in step.werkvorm.section(section).options]
    points = {k: int(v or 0) for k, v in values.items() if k in options}
    idem = content_key(who, step, "points", section, sorted(points.items()), seen)
    guarded(f"ch{step_id}", lambda: store().allocate(who, step_id, section=section, points=points, idem_key=idem),
            t("choices.points_saved"))


def _section_head(section) -> None:
    html_block(f'<h3 class="ss-user" style="margin:0">{esc(section.title)}</h3>'
               + (f'<p class="ss-user" style="margin:.2rem 0">{esc(section.question)}</p>' if section.question else ""))


def _my_choices(step: Step, mine: dict[str, dict]) -> None:
    lines = []
    for section in step.werkvorm.sections:
        entry = mine.get(section.key)
        if _kind(step) == "points":
            given = [(o.label, (entry or {}).get("points", {}).get(o.key, 0)) for o in section.options]
            chosen = [t("choices.mine_points", label=label, points=n) for label, n in given if n]
        else:
            key = (entry or {}).get("text")
            chosen = [o.label for o in section.options if o.key == key]
        text = "; ".join(chosen) or t("choices.mine_none")
        lines.append(f"<li><b>{esc(section.title)}</b>: {esc(text)}</li>")
    html_block('<ul class="ss-user">' + "".join(lines) + "</ul>")


def participant(ws: Workshop, step: Step, who: Participant) -> bool:
    """Inputs of the active step; True when the phone should offer "klaar" below them."""
    scope = f"ch{step.id}"
    wv = step.werkvorm
    spec = wv.choice_field
    mine = _mine(step, who)
    if step.locked:
        show_flash(scope)
        st.info(t("choices.locked"))
        _my_choices(step, mine)
        return False
    if spec.kind == "points":
        budget = points_budget(step)
        for section in wv.sections:
            entry = mine.get(section.key, {})
            spent = sum(entry.get("points", {}).values())
            with st.form(f"ch-form-{step.id}-{section.key}", border=True):
                _section_head(section)
                st.caption(t("choices.points_intro", budget=budget))
                kinds.render_input(spec, _prefix(step.id, section.key), entry, options=section.options,
                                   budget=budget)
                st.form_submit_button(t("choices.points_save"), type="primary", width="stretch",
                                      on_click=_allocate, args=(who, step.id, section.key, entry.get("id", 0)))
            if spent > budget:
                st.warning(t("choices.points_over_budget", budget=budget))
            elif entry:
                st.caption(t("choices.points_spent", spent=spent, budget=budget))
        show_flash(scope)
        return True
    st.caption(t("choices.choose_hint"))
    group = None
    for section in wv.sections:
        if section.group and section.group != group:
            group = section.group
            html_block(f'<h2 class="ss-user" style="margin:.6rem 0 0 0;font-size:1.2rem">{esc(group)}</h2>')
        entry = mine.get(section.key)
        prefix = _prefix(step.id, section.key)
        with st.container(border=True):
            _section_head(section)
            kinds.render_input(spec, prefix, entry, options=section.options, context=section.title,
                               on_change=_choose, args=(who, step.id, section.key, kinds.widget_key(prefix, spec),
                                                        (entry or {}).get("id", 0)))
    show_flash(scope)
    done = sum(1 for s in wv.sections if s.key in mine)
    if len(wv.sections) > 1:
        st.caption(t("choices.progress", done=done, total=len(wv.sections)))
    return True


# ------------------------------------------------------------------- screen
def _chart(step: Step, result: logic.SectionResult, lead: set[str], height_vh: float) -> None:
    """The ranking of one section as horizontal bars (labels wrapped, never cut), ``lead`` darker."""
    ranked = result.ranked()
    fig = charts.ranking_bar(ranked, top=len(ranked), title=None, label_width=40,
                             height=round(screen_frame.DESIGN_HEIGHT * height_vh / 100))
    if fig.data:
        fig.data[0].marker.color = [LEAD if r.item["id"] in lead else REST for r in ranked]
        axis = t("choices.axis.points") if _kind(step) == "points" else t("choices.axis.votes")
        fig.update_xaxes(title=dict(text=axis))
    alt = "; ".join(t("choices.chart_alt", rank=o.rank, label=o.label, count=o.count) for o in result.options)
    screen_frame.chart(fig, height_vh=height_vh, alt=alt, config=CHART_CONFIG)


def _basis(step: Step, result: logic.SectionResult) -> str:
    if _kind(step) == "points":
        text = t("choices.screen.points_basis", count=result.respondents, total=result.total,
                 budget=points_budget(step))
    else:
        text = t("choices.screen.respondents", count=result.respondents)
    return f'<p class="ss-ch-basis">{esc(text)}</p>'


def _lead(step: Step, result: logic.SectionResult) -> list[logic.OptionCount]:
    """What the screen marks: the starting activities of a menu, else the outcome (settled or agreed)."""
    if _kind(step) == "points":
        return logic.top_options(result, logic.top_n(step.werkvorm, step.config))
    return [result.outcome] if result.outcome else []


def _verdict(step: Step, result: logic.SectionResult) -> str:
    """The line above the chart: the starting activities, the first condition, or where a clause stands."""
    wv = step.werkvorm
    if _kind(step) == "points":
        lead = _lead(step, result)
        return t("choices.screen.start", names=", ".join(o.label for o in lead)) if lead else ""
    if wv.feeds_links:
        return t("choices.pdf.winner", label=result.outcome.label) if result.outcome else ""
    if not result.total and not result.settled:
        return ""
    if result.status == SETTLED:
        return t("choices.screen.focus_settled", label=result.outcome.label)
    if result.status == AGREED:
        return t("choices.screen.focus_agreed", label=result.outcome.label, share=_percent(result.outcome.share))
    return t("choices.screen.focus_open", share=_percent(result.options[0].share), consensus=wv.consensus)


def _one_section(step: Step, result: logic.SectionResult, height_vh: float = CHART_VH) -> None:
    """One section: its question, the chart, and the options' explanations beside it."""
    lead = _lead(step, result)
    head = [f'<div class="ss-screen ss-ch">{_basis(step, result)}']
    line = _verdict(step, result)
    if line:
        head.append(f'<p class="ss-ch-start ss-user">{esc(line)}</p>')
    head.append("</div>")
    html_block("".join(head))
    infos = [(o.label, o.info or o.text) for o in step.werkvorm.section(result.key).options if o.info or o.text]
    if infos:
        left, right = st.columns([3, 2], gap="medium")
    else:
        left, right = st.container(), None
    with left:
        if result.total:
            _chart(step, result, {o.key for o in lead}, height_vh)
        else:
            html_block(f'<div class="ss-screen ss-ch"><p class="ss-ch-basis">{esc(t("choices.screen.none"))}</p></div>')
    if right is not None:
        with right:
            items = "".join(f'<li class="ss-fit-item"><b class="ss-user">{esc(label)}</b>'
                            f'<span class="ss-user">{esc(info)}</span></li>' for label, info in infos)
            html_block(f'<div class="ss-screen ss-ch"><ul class="ss-ch-info" data-fit '
                       f'aria-label="{esc(t("choices.info_title"))}">{items}</ul></div>')


def _status_cell(result: logic.SectionResult) -> str:
    label = t(f"choices.status.{result.status}")
    sub = ""
    if result.status == SETTLED and result.outcome:
        sub = result.outcome.label
    elif result.status == OPEN and result.total and result.top is None:
        sub = t("choices.status.tie")
    sub_html = f'<span class="ss-ch-sub ss-user">{esc(sub)}</span>' if sub else ""
    return f'<td><span class="ss-ch-status ss-ch-st-{result.status}">{esc(label)}</span>{sub_html}</td>'


def _share_cell(result: logic.SectionResult, consensus: int) -> str:
    top = result.options[0] if result.options and result.total else None
    share = top.share if top else 0.0
    return (f'<td><div class="ss-ch-bar"><div class="ss-ch-track" role="img" aria-label="{esc(_percent(share))}">'
            f'<div class="ss-ch-fill" style="width:{share * 100:.0f}%"></div>'
            f'<div class="ss-ch-mark" style="left:{consensus}%"></div></div>'
            f'<span>{esc(_percent(share))}</span></div></td>')


def _overview(step: Step, results: list[logic.SectionResult]) -> None:
    """Every section on one line: the most chosen option, its share against the consensus mark, the status."""
    wv = step.werkvorm
    open_ = [r for r in results if r.status == OPEN]
    people = max((r.respondents for r in results), default=0)
    parts = ['<div class="ss-screen ss-ch">',
             f'<p class="ss-ch-basis">{esc(t("choices.screen.respondents", count=people))}</p>']
    if open_:
        names = ", ".join(r.title for r in open_)
        parts.append(f'<p class="ss-ch-open ss-user">{esc(t("choices.screen.open_count", count=len(open_), total=len(results)))}'
                     f'<span class="ss-ch-sub">{esc(names)}</span></p>')
    else:
        parts.append(f'<p class="ss-ch-open">{esc(t("choices.screen.all_done"))}</p>')
    head = "".join(f"<th>{esc(t(f'choices.screen.col.{c}'))}</th>" for c in ("section", "top", "share", "status"))
    rows, group = [], None
    for result in results:
        if result.group and result.group != group:
            group = result.group
            rows.append(f'<tr class="ss-ch-group ss-fit-item"><td colspan="4" class="ss-user">{esc(group)}</td></tr>')
        top = result.options[0] if result.total else None
        top_text = top.label if top else t("choices.draft.no_votes")
        rows.append(f'<tr class="ss-fit-item"><td class="ss-user"><b>{esc(result.title)}</b></td>'
                    f'<td class="ss-user">{esc(top_text)}</td>{_share_cell(result, wv.consensus)}'
                    f'{_status_cell(result)}</tr>')
    parts.append('<table><colgroup><col style="width:24%"><col style="width:34%"><col style="width:22%">'
                 f'<col style="width:20%"></colgroup><thead><tr>{head}</tr></thead>'
                 f'<tbody data-fit>{"".join(rows)}</tbody></table></div>')
    html_block("".join(parts))


def screen(ws: Workshop, step: Step) -> None:
    html_block(CSS)
    results = step_results(step)
    focus = screen_frame.focus(step)
    chosen = next((r for r in results if r.key == focus), None)
    if chosen is not None or len(results) == 1:
        result = chosen or results[0]
        if chosen is not None:
            html_block(f'<div class="ss-screen ss-ch"><h2 class="ss-user">{esc(result.title)}</h2></div>')
        _one_section(step, result, FOCUS_CHART_VH if chosen is not None else CHART_VH)
    else:
        _overview(step, results)


# -------------------------------------------------------------- facilitator
def _count_label(step: Step) -> str:
    return t("choices.fac.col.count_points") if _kind(step) == "points" else t("choices.fac.col.count_votes")


def _ranking_table(step: Step, result: logic.SectionResult) -> None:
    st.dataframe(pd.DataFrame({
        t("choices.fac.col.option"): [f"{o.rank}. {o.label}" for o in result.options],
        _count_label(step): [o.count for o in result.options],
        t("choices.fac.col.share"): [_percent(o.share) for o in result.options],
    }), hide_index=True, width="stretch")


def _set_settings(fac: Facilitator, step_id: int, key: str, name: str) -> None:
    value = st.session_state.get(key)
    if value is not None:
        guarded(f"chf{step_id}", lambda: store().set_choice_settings(fac, step_id, **{name: int(value)}))


def _settle(fac: Facilitator, step_id: int, section: str, title: str, key: str) -> None:
    option = st.session_state.get(key) or None
    done = t("choices.fac.settled", title=title) if option else t("choices.fac.reopened", title=title)
    guarded(f"chf{step_id}", lambda: store().settle_choice(fac, step_id, section=section, option=option), done)


def _settle_panel(ws: Workshop, step: Step, fac: Facilitator, results: list[logic.SectionResult]) -> None:
    wv = step.werkvorm
    st.subheader(t("choices.fac.settle_title"))
    st.caption(t("choices.fac.settle_help", consensus=wv.consensus))
    st.dataframe(pd.DataFrame({
        t("choices.fac.col.section"): [r.title for r in results],
        t("choices.fac.col.top"): [(f"{r.options[0].label} ({_percent(r.options[0].share)})" if r.total else "–")
                                   for r in results],
        t("choices.fac.col.status"): [t(f"choices.status.{r.status}") for r in results],
    }), hide_index=True, width="stretch")
    cols = st.columns(2)
    for i, result in enumerate(results):
        section = wv.section(result.key)
        labels = {"": t("choices.fac.settle_open"), **{o.key: o.label for o in section.options}}
        key = f"ch-settle-{step.id}-{result.key}-{ws.state_version}"  # by version: never a stale value
        cols[i % 2].selectbox(t("choices.fac.settle", title=result.title), list(labels),
                              index=list(labels).index(result.settled or ""), format_func=labels.get, key=key,
                              on_change=_settle, args=(fac, step.id, result.key, result.title, key))


def _start_key(step_id: int, option: str) -> str:
    return f"choices:{step_id}:{option}"


def _add_start(fac: Facilitator, step_id: int, option: str, label: str, source: str, link: str) -> None:
    state = st.session_state
    k = lambda part: f"ch-start-{step_id}-{option}-{part}"  # noqa: E731 - local shorthand
    target = " ".join(str(state.get(k("target")) or "").split())
    what = t("choices.action_what", activity=label, target=target) if target else label
    guarded(f"chf{step_id}", lambda: store().add_action(
        fac, idem_key=_start_key(step_id, option), source=source, what=what, owner=state.get(k("owner")) or "",
        partner=state.get(k("partner")) or "", due=state.get(k("due")), link=link),
        t("choices.fac.start_done", what=label))


def _start_panel(ws: Workshop, step: Step, fac: Facilitator, result: logic.SectionResult) -> None:
    """The best options of a menu as starting activities in the follow-up list."""
    wv = step.werkvorm
    n = logic.top_n(wv, step.config)
    st.subheader(t("choices.fac.start_title"))
    most = len(wv.section(result.key).options)
    key = f"ch-topn-{step.id}-{ws.state_version}"
    st.number_input(t("choices.fac.top_n"), min_value=0, max_value=most, value=n, step=1, key=key,
                    on_change=_set_settings, args=(fac, step.id, key, "top_n"))
    best = logic.top_options(result, n)
    if not best:
        st.caption(t("choices.fac.start_none"))
        return
    st.caption(t("choices.fac.start_help", count=n))
    actions = store().actions(ws.id, include_deleted=True)
    made = {a["idem_key"]: a for a in actions}
    for option in best:
        # made here, or (in a restored copy, whose actions have new keys) an action of this werkvorm about it
        action = made.get(_start_key(step.id, option.key)) or next(
            (a for a in actions if a["source"] == step.werkvorm_key and not a["deleted"]
             and (a["what"] == option.label or a["what"].startswith(f"{option.label} ("))), None)
        if action is not None:
            html_block(f'<p class="ss-user">✓ {esc(t("choices.fac.start_added", what=action["what"]))}</p>')
            continue
        k = lambda part: f"ch-start-{step.id}-{option.key}-{part}"  # noqa: E731
        with st.form(f"ch-start-form-{step.id}-{option.key}", border=True):
            html_block(f'<p class="ss-user" style="margin:0"><b>{option.rank}. {esc(option.label)}</b> '
                       f'({option.count})</p>')
            cols = st.columns(2)
            cols[0].text_input(t("choices.fac.start_target"), key=k("target"), max_chars=80)
            cols[1].text_input(t("choices.fac.start_partner"), key=k("partner"), max_chars=Limits.ACTION_WHO)
            cols = st.columns(2)
            cols[0].text_input(t("choices.fac.start_owner"), key=k("owner"), max_chars=Limits.ACTION_WHO)
            cols[1].date_input(t("choices.fac.start_due"), key=k("due"), value=None, format="DD-MM-YYYY",
                               min_value=date(2020, 1, 1))
            st.form_submit_button(t("choices.fac.start_add"), type="primary", on_click=_add_start,
                                  args=(fac, step.id, option.key, option.label, step.werkvorm_key,
                                        wv.title[:Limits.ACTION_WHO]))


def _draft_button(ws: Workshop, step: Step) -> None:
    from layouts.choices import report

    def build() -> bytes:
        from exports.snapshot import snapshot

        snap = snapshot(store(), ws.id)
        return report.draft_docx(snap, next(s for s in snap["steps"] if s["id"] == step.id))

    name = report.draft_file_name(ws.code, step.werkvorm)
    st.download_button(t("choices.fac.draft"), build, file_name=name, on_click="ignore", key=f"ch-draft-{step.id}",
                       mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")


def facilitator(ws: Workshop, step: Step, fac: Facilitator) -> None:
    scope = f"chf{step.id}"
    wv = step.werkvorm
    results = step_results(step)
    total = store().participant_count(ws.id)
    answered = max((r.respondents for r in results), default=0)
    st.metric(t("choices.fac.answered"), t("screen.answered", count=answered, total=total))
    show_flash(scope)
    if _kind(step) == "points":
        key = f"ch-budget-{step.id}-{ws.state_version}"
        st.number_input(t("choices.fac.budget"), min_value=1, max_value=50, value=points_budget(step), step=1,
                        key=key, help=t("choices.fac.budget_help"), on_change=_set_settings,
                        args=(fac, step.id, key, "points"))
        over = sum(r.over_budget for r in results)
        if over:
            st.warning(t("choices.fac.over_budget", count=over))
    if len(results) > 1:
        screen_frame.focus_control(step, fac, [(r.key, r.title) for r in results], results=False)
    for result in results if len(results) == 1 or _kind(step) == "points" else ():
        _ranking_table(step, result)
    if wv.feeds_links and results:
        labels = logic.leading_labels(results[0])
        if labels:
            html_block(f'<p class="ss-user">{esc(t("choices.fac.winner", labels=", ".join(labels[:3])))}</p>')
    if _kind(step) == "choice":
        _settle_panel(ws, step, fac, results)
    if _kind(step) == "points" and results and (wv.top_n or logic.top_n(wv, step.config)):
        _start_panel(ws, step, fac, results[0])
    if wv.draft_title:
        _draft_button(ws, step)
