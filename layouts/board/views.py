"""The board: rows (the werkvorm's sections, e.g. programme teams) x columns (e.g. subregions).

* Participant: picks their own column once (a subregion), then goes row by row: a state (1-5 or
  "n.v.t.") and the text notes of the werkvorm. Every answer is stored with its column
  (``Store.answer(column=...)``); newest wins per cell.
* Screen: a heatmap of the cells, the mean state and how many rated it printed in every cell,
  "n.v.t." cells grey and named; below it the notes of the cell the facilitator put in focus.
  The focus cell is the step setting ``focus`` (its row and column key).
* Facilitator: counts, the focus cell, a preview, hiding a note, and the editors of the rows and the
  columns (``Store.set_sections``, ``Store.set_columns``).

All user text is escaped with :func:`ui.common.esc` before it reaches HTML, and made inert for plotly.
"""

from __future__ import annotations

import hashlib
import html
import json

import plotly.graph_objects as go
import streamlit as st

import canvas_models
from layouts.board.table import Cell, cells, column_of
from messages import ORG_TYPES, t
from ui import charts, drafts, kinds, notetools, screen_frame
from ui.common import esc, guarded, html_block, md, restore_drafts, show_flash, store
from ui.inputs import content_key
from workshop import Facilitator, Participant, Step, UserError, Workshop

CHART_CONFIG = {"displayModeBar": False, "responsive": True}
#: The heatmap's height in per cent of the screen: alone, and with the notes of a focus cell below it.
FULL_VH, WITH_FOCUS_VH = 76, 52
#: States 1 (pale) to 5 (dark blue); the number is printed in every cell, so colour is never the only cue.
STATE_SCALE = [[0.0, "#eff3ff"], [0.25, "#bdd7e7"], [0.5, "#6baed6"], [0.75, "#3182bd"], [1.0, "#08519c"]]
NVT_FILL = "#d9d9d9"
#: More rows than this: one line per cell and row label on the screen (two lines fit up to here).
COMPACT_ROWS = 9

CSS = """
<style>
.ss-bd-basis { font-size:var(--ss-fs-body); color:#111; margin:0; }
.ss-bd-focus h2 { font-size:var(--ss-fs-h2); margin:0; color:#111; }
.ss-bd-grid { display:grid; gap:1vh; grid-template-columns:repeat(3, minmax(0, 1fr)); }
.ss-bd-card { border:.3vh solid #111; border-radius:1vh; padding:.6vh 1vh; background:#fff; color:#111;
  min-width:0; min-height:0; overflow:hidden; }
.ss-bd-card h3 { font-size:var(--ss-fs-body); margin:0 0 .3vh 0; padding:0; }
.ss-bd-card ul { margin:0; padding-left:2.4vh; }
.ss-bd-card li { font-size:var(--ss-fs-min); line-height:1.3; margin:.2vh 0; overflow-wrap:anywhere; }
.ss-bd-none { font-size:var(--ss-fs-min); color:#333; font-style:italic; }
</style>
"""


# ------------------------------------------------------------------ helpers
def columns(step: Step) -> tuple[canvas_models.Column, ...]:
    return canvas_models.columns_of(step.werkvorm, step.config)


def text_fields(step: Step) -> list:
    return [f for f in step.werkvorm.fields if f.kind == "text"]


def answer_fields(step: Step) -> list:
    return [f for f in step.werkvorm.fields if f.kind in ("score", "text")]


def focus_cell(step: Step) -> tuple[int, int] | None:
    """(row, column) in focus on the screen, or None. Kept by key (step setting ``focus``: row key and
    column key), so it stays on its cell when rows or columns are added or removed."""
    chosen = (step.config or {}).get("focus")
    if not isinstance(chosen, list) or len(chosen) != 2:
        return None
    rows = [s.key for s in step.werkvorm.sections]
    cols = [c.key for c in columns(step)]
    if chosen[0] in rows and chosen[1] in cols:
        return rows.index(chosen[0]), cols.index(chosen[1])
    return None


def _prefix(step_id: int, column: str, section: str) -> str:
    return f"bd{step_id}:{column}:{section}"


def _saved(step_id: int, who: Participant) -> dict[tuple[str, str, str], dict]:
    """The participant's newest answers by (column, section, field)."""
    return {(column_of(a), a["section"], a["field"]): a for a in store().latest_answers(step_id, who.id)}


@st.cache_data(max_entries=64, show_spinner=False)
def _answers(db_url: str, step_id: int, version: tuple[int, int, int]) -> list[dict]:
    return store().latest_answers(step_id)


def answers(step: Step) -> list[dict]:
    """The step's newest answers, read once per change of them for every screen and tab."""
    return _answers(store().db.url, step.id, store().answers_version(step.id))


def board(step: Step) -> dict[tuple[str, str], Cell]:
    return cells(answers(step), [s.key for s in step.werkvorm.sections], [c.key for c in columns(step)],
                 [f.key for f in text_fields(step)])


def state_text(cell: Cell) -> str:
    """What a cell says: the mean state, "n.v.t." when everyone said so, a dash when nobody rated it."""
    if cell.only_nvt:
        return t("board.nvt")
    return charts.nl_number(cell.mean)


# -------------------------------------------------------------- participant
def _column_key(step_id: int) -> str:
    return f"bd-col:{step_id}"


def _row_key(step_id: int) -> str:
    return f"bd-at:{step_id}"


def _save(who: Participant, step_id: int, column: str, seen: int) -> bool:
    """Store what changed in the cells of ``column`` (read in a callback); False when it could not."""
    scope = f"bd{step_id}"
    state = st.session_state

    def run() -> None:
        step = store().step(step_id)
        saved = _saved(step_id, who)
        for section in step.werkvorm.sections:
            # a state taken back is no answer: "n.v.t." is a choice of its own
            values = kinds.changed_answers(answer_fields(step), _prefix(step_id, column, section.key),
                                           {f: row for (col, sec, f), row in saved.items()
                                            if (col, sec) == (column, section.key)}, clear_score=False)
            if values:
                key = content_key(who, step, "board", column, section.key,
                                  sorted(values.items(), key=lambda kv: kv[0]), seen)
                store().answer(who, step_id, section=section.key, values=values, idem_key=key, column=column)

    if not guarded(scope, run, t("board.saved")):
        return False
    texts = {f.key for f in text_fields(store().step(step_id))}
    drafts.forget(*(k for k in state.keys() if isinstance(k, str) and k.startswith(f"{scope}:")
                    and k.rsplit(":", 1)[-1] in texts))
    return True


def _move(who: Participant, step_id: int, column: str, seen: int, to: int) -> None:
    if _save(who, step_id, column, seen):
        st.session_state[_row_key(step_id)] = to


def _pick_row(step_id: int, key: str) -> None:
    chosen = st.session_state.get(key)
    if chosen is not None:
        st.session_state[_row_key(step_id)] = int(chosen)


def _mine(step: Step, saved: dict) -> None:
    """Read-only summary of the participant's own cells."""
    titles = {c.key: c.title for c in columns(step)}
    labels = {f.key: f.label for f in answer_fields(step)}
    parts = []
    for section in step.werkvorm.sections:
        lines = []
        for (column, sec, field), row in saved.items():
            if sec != section.key or column not in titles or field not in labels:
                continue
            if row["kind"] == "score":
                value = t("board.nvt") if row["score"] is None else str(row["score"])
            elif (row["text"] or "").strip():
                value = row["text"]
            else:
                continue
            lines.append(f'<li><b>{esc(titles[column])} · {esc(labels[field])}:</b> {esc(value)}</li>')
        if lines:
            parts.append(f'<div class="ss-user"><b>{esc(section.title)}</b><ul>{"".join(lines)}</ul></div>')
    html_block("".join(parts) or f"<p>{esc(t('board.nothing_yet'))}</p>")


def participant(ws: Workshop, step: Step, who: Participant) -> bool:
    """First the participant's own column (subregion), then one row (team) at a time: state and notes.
    True: offer "klaar" below."""
    scope = f"bd{step.id}"
    wv = step.werkvorm
    cols = columns(step)
    saved = _saved(step.id, who)
    if step.locked:
        show_flash(scope)
        st.info(t("participant.locked"))
        if saved:
            with st.expander(t("board.mine"), expanded=True):
                _mine(step, saved)
        return False
    st.caption(t("board.private"))
    restore_drafts(scope)
    keys = [c.key for c in cols]
    titles = {c.key: c.title for c in cols}
    ckey = _column_key(step.id)
    if st.session_state.get(ckey) not in keys:  # first visit (or the column was removed): the last one used
        newest = max((row for row in saved.values() if column_of(row) in keys), key=lambda r: r["id"], default=None)
        st.session_state[ckey] = column_of(newest) if newest else None
    st.pills(t("board.column"), keys, format_func=lambda k: md(titles[k]), key=ckey)
    column = st.session_state.get(ckey)
    if column not in keys:
        st.info(t("board.pick_column"))
        return False
    seen = max((row["id"] for row in saved.values()), default=0)
    total = len(wv.sections)
    at = max(0, min(int(st.session_state.get(_row_key(step.id), 0)), total - 1))
    done = {s.key for s in wv.sections if any((column, s.key, f.key) in saved for f in answer_fields(step))}
    html_block(f'<p class="ss-pp-progress" role="status">'
               f'{esc(t("board.progress", done=len(done), total=total, column=titles[column]))}</p>')
    chips = f"bd-chips:{step.id}:{column}:{at}"
    st.pills(t("board.rows"), list(range(total)), default=at, key=chips, label_visibility="collapsed",
             on_change=_pick_row, args=(step.id, chips),
             format_func=lambda i: ("✓ " if wv.sections[i].key in done else "") + md(wv.sections[i].title))
    section = wv.sections[at]
    html_block(f'<p class="ss-pp-of">{esc(t("board.row_of", n=at + 1, total=total, column=titles[column]))}</p>'
               f'<h3 class="ss-user ss-pp-aspect" style="margin:0">{esc(section.title)}</h3>'
               + (f'<p class="ss-user" style="margin:.2rem 0">{esc(section.question)}</p>' if section.question else ""))
    for spec in answer_fields(step):
        kinds.render_input(spec, _prefix(step.id, column, section.key), saved.get((column, section.key, spec.key)),
                           on_change=_save, args=(who, step.id, column, seen), unknown=t("board.nvt"))
    show_flash(scope)
    back, forward = st.columns(2)
    back.button(t("praat.previous"), key=f"bd-prev:{step.id}", on_click=_move,
                args=(who, step.id, column, seen, at - 1), disabled=at == 0, width="stretch")
    if at + 1 < total:
        forward.button(t("praat.next"), key=f"bd-next:{step.id}", type="primary", on_click=_move,
                       args=(who, step.id, column, seen, at + 1), width="stretch")
    else:
        forward.button(t("praat.save"), key=f"bd-save:{step.id}", type="primary", on_click=_save,
                       args=(who, step.id, column, seen), width="stretch")
    return True


# ------------------------------------------------------------------- screen
def heatmap(step: Step, table: dict[tuple[str, str], Cell], *, height: int | None = None,
            compact: bool = False) -> go.Figure:
    """Rows x columns: each cell coloured by its mean state (1-5) with the mean and the count printed;
    cells where everyone said "n.v.t." are grey and say so; a cell nobody rated is white with a dash.
    The focus cell gets a thick outline. ``compact``: one line per cell and per row label (the board
    shares the screen with the notes of the focus cell)."""
    rows, cols = step.werkvorm.sections, columns(step)
    fig = go.Figure()
    charts.base_layout(fig, None, height)
    z, nvt, text, hover = [], [], [], []
    for section in rows:
        zr, nr, tr, hr = [], [], [], []
        for col in cols:
            cell = table[(section.key, col.key)]
            zr.append(cell.mean)
            nr.append(1 if cell.only_nvt else None)
            if cell.only_nvt:
                tr.append(f"<b>{t('board.nvt')}</b>")
            elif cell.n:
                tr.append(f"<b>{charts.nl_number(cell.mean)}</b>{' · ' if compact else '<br>'}"
                          f"{t('board.n', count=cell.n)}")
            else:
                tr.append("–")
            hr.append(t("board.hover", row=html.escape(section.title), column=html.escape(col.title),
                        state=state_text(cell), n=cell.n, nvt=cell.nvt))
        z.append(zr), nvt.append(nr), text.append(tr), hover.append(hr)
    xs, ys = list(range(len(cols))), list(range(len(rows)))
    fig.add_heatmap(z=nvt, x=xs, y=ys, colorscale=[[0, NVT_FILL], [1, NVT_FILL]], showscale=False, xgap=4, ygap=4,
                    hoverinfo="skip")
    fig.add_heatmap(z=z, x=xs, y=ys, colorscale=STATE_SCALE, zmin=1, zmax=5, showscale=False, xgap=4, ygap=4,
                    hovertext=hover, hoverinfo="text")
    annotations, shapes = [], []
    for i, section in enumerate(rows):
        for j, col in enumerate(cols):
            cell = table[(section.key, col.key)]
            # white only on the dark end of the scale (from 4): at least 4:1 either way
            ink = "#ffffff" if cell.mean is not None and cell.mean >= 4 else charts.INK
            annotations.append(dict(x=j, y=i, text=text[i][j], showarrow=False,
                                    font=dict(size=charts.MIN_FONT, color=ink)))
            if not cell.n and not cell.nvt:
                shapes.append(dict(type="rect", x0=j - 0.47, x1=j + 0.47, y0=i - 0.45, y1=i + 0.45,
                                   line=dict(color=charts.GRID, width=charts.OUTLINE), fillcolor="rgba(0,0,0,0)"))
    focus = focus_cell(step)
    if focus:
        i, j = focus
        shapes.append(dict(type="rect", x0=j - 0.5, x1=j + 0.5, y0=i - 0.5, y1=i + 0.5,
                           line=dict(color="#d62728", width=charts.LINE_WIDTH + 2), fillcolor="rgba(0,0,0,0)"))
    fig.update_layout(annotations=annotations, shapes=shapes, margin=dict(l=10, r=10, t=10, b=10))
    fig.update_xaxes(tickmode="array", tickvals=xs, ticktext=[charts.wrap_label(c.title, 14) for c in cols], side="top",
                     tickfont=dict(size=charts.MIN_FONT), showgrid=False, zeroline=False, fixedrange=True)
    fig.update_yaxes(tickmode="array", tickvals=ys, ticktext=[charts.wrap_label(s.title, 44 if compact else 24) for s in rows],
                     autorange="reversed", tickfont=dict(size=charts.MIN_FONT), showgrid=False, zeroline=False,
                     fixedrange=True)
    return fig


def _alt(step: Step, table: dict[tuple[str, str], Cell]) -> str:
    return "; ".join(f"{s.title} / {c.title}: {state_text(table[(s.key, c.key)])}"
                     for s in step.werkvorm.sections for c in columns(step))


def _note_item(row: dict) -> str:
    org = ORG_TYPES.get(row.get("org_type") or "", "")
    by = f' <span class="ss-pp-by">— {esc(org)}</span>' if org else ""
    return f'<li class="ss-user ss-fit-item">{esc(row["text"])}{by}</li>'


def _focus_notes(step: Step, cell: Cell, row_title: str, column_title: str) -> None:
    cards = []
    for spec in text_fields(step):
        items = cell.notes.get(spec.key, [])
        body = "".join(_note_item(r) for r in items) or f'<li class="ss-bd-none">{esc(t("board.no_notes"))}</li>'
        cards.append(f'<div class="ss-bd-card" data-fit><h3>{esc(spec.label)}</h3><ul>{body}</ul>'
                     f'<div class="ss-more-slot"></div></div>')
    html_block(f'<div class="ss-bd-focus"><h2 class="ss-user">{esc(row_title)} · {esc(column_title)}: '
               f'{esc(state_text(cell))}</h2></div>'
               f'<div class="ss-bd-grid" data-fill>{"".join(cards)}</div>')


def screen(ws: Workshop, step: Step) -> None:
    html_block(CSS)
    table = board(step)
    respondents = store().respondent_count(step.id)
    html_block(f'<p class="ss-bd-basis">{esc(t("board.basis", count=respondents))} '
               f'{esc(t("board.scale"))}</p>')
    focus = focus_cell(step)
    # one line per cell beside a focus cell, and on a board with more rows than two lines leave room for
    compact = bool(focus) or len(step.werkvorm.sections) > COMPACT_ROWS
    screen_frame.chart(heatmap(step, table, compact=compact), height_vh=WITH_FOCUS_VH if focus else FULL_VH,
                       alt=_alt(step, table), config=CHART_CONFIG)
    if focus:
        section, col = step.werkvorm.sections[focus[0]], columns(step)[focus[1]]
        _focus_notes(step, table[(section.key, col.key)], section.title, col.title)


# -------------------------------------------------------------- facilitator
def _set_focus(fac: Facilitator, step_id: int, key: str) -> None:
    chosen = st.session_state[key]
    guarded(f"bdf{step_id}", lambda: store().set_step_config(
        fac, step_id, focus=list(chosen.split("\x1f")) if chosen else []))


def _moderation(ws: Workshop, step: Step, fac: Facilitator, rows: list[dict]) -> None:
    sections = {s.key: s.title for s in step.werkvorm.sections}
    cols = {c.key: c.title for c in columns(step)}
    labels = {f.key: f.label for f in text_fields(step)}
    notetools.answer_lines(
        ws, fac, rows,
        lambda r: (sections[r["section"]], cols[column_of(r)], labels[r["field"]])
        if r["field"] in labels and r["section"] in sections and column_of(r) in cols else None,
        scope=f"bdf{step.id}", key="bd-mod", empty=t("board.no_notes"))


def facilitator(ws: Workshop, step: Step, fac: Facilitator) -> None:
    scope = f"bdf{step.id}"
    wv, cols = step.werkvorm, columns(step)
    rows = answers(step)
    table = board(step)
    total = store().participant_count(ws.id)
    st.metric(t("board.fac.answered"), t("screen.answered", count=store().respondent_count(step.id), total=total))
    show_flash(scope)
    # a cell is "row key\x1fcolumn key" ("": none); the key of the box follows what is stored
    options = [""] + [f"{s.key}\x1f{c.key}" for s in wv.sections for c in cols]

    def title(option: str) -> str:
        if not option:
            return t("board.fac.no_focus")
        row, col = option.split("\x1f")
        return (f"{wv.section(row).title} · {next(c.title for c in cols if c.key == col)} "
                f"({state_text(table[(row, col)])})")

    focus = focus_cell(step)
    current = f"{wv.sections[focus[0]].key}\x1f{cols[focus[1]].key}" if focus else ""
    focus_key = f"bd-focus-{step.id}-{hashlib.sha256(current.encode('utf-8')).hexdigest()[:8]}"
    st.selectbox(t("board.fac.focus"), options, index=options.index(current), key=focus_key, format_func=title,
                 on_change=_set_focus, args=(fac, step.id, focus_key))
    with st.expander(t("board.fac.preview"), expanded=False):
        st.plotly_chart(heatmap(step, table, height=120 + 70 * len(wv.sections)), config=CHART_CONFIG, theme=None,
                        key=f"bd-fac-chart-{step.id}")
    with st.expander(t("board.fac.notes"), expanded=False):
        _moderation(ws, step, fac, rows)
    with st.expander(t("board.fac.edit"), expanded=False):
        if rows:
            st.warning(t("board.fac.has_answers"))
        _list_editor(step, fac, "rows", [(s.key, s.title) for s in wv.sections])
        _list_editor(step, fac, "columns", [(c.key, c.title) for c in cols])


# ----------------------------------------------------- rows and columns editor
def _editor_key(step_id: int, which: str, version: str, i: object) -> str:
    return f"bde:{step_id}:{which}:{version}:{i}"


def _save_list(fac: Facilitator, step_id: int, which: str, version: str, originals: list[str]) -> None:
    state = st.session_state
    items = [{"key": key, "title": state.get(_editor_key(step_id, which, version, i), "")}
             for i, key in enumerate(originals) if not state.get(_editor_key(step_id, which, version, f"{i}:x"))]
    new = state.get(_editor_key(step_id, which, version, "new"), "") or ""
    if new.strip():
        items.append({"title": new})

    def run() -> None:
        if which == "columns":
            store().set_columns(fac, step_id, items)
            return
        titles = [" ".join(str(i["title"] or "").split()).casefold() for i in items]
        if not items:  # said of teams here (the store's own messages speak of aspects)
            raise UserError("error.no_rows")
        if len(set(titles)) != len(titles):
            raise UserError("error.duplicate_rows")
        sections = {s.key: s for s in store().step(step_id).werkvorm.sections}
        store().set_sections(fac, step_id, [
            {**({"question": sections[i["key"]].question, "prompts": list(sections[i["key"]].prompts)}
                if i.get("key") in sections else {}), **i} for i in items])
    guarded(f"bde{step_id}", run, t("board.fac.saved"))


def _list_editor(step: Step, fac: Facilitator, which: str, items: list[tuple[str, str]]) -> None:
    """Rename, remove and add the rows (teams) or the columns (subregions) of this workshop's board."""
    version = hashlib.sha256(json.dumps(items).encode("utf-8")).hexdigest()[:10]
    state = st.session_state
    with st.form(f"bd-{which}-{step.id}", border=False):
        st.markdown(f"**{t(f'board.fac.{which}')}**")
        for i, (_key, title) in enumerate(items):
            state.setdefault(_editor_key(step.id, which, version, i), title)
            left, right = st.columns([5, 1], vertical_alignment="bottom")
            left.text_input(t(f"board.fac.{which}.name", n=i + 1), key=_editor_key(step.id, which, version, i),
                            max_chars=120)
            right.checkbox(t("praat.aspects.remove"), key=_editor_key(step.id, which, version, f"{i}:x"))
        st.text_input(t(f"board.fac.{which}.new"), key=_editor_key(step.id, which, version, "new"), max_chars=120)
        st.form_submit_button(t(f"board.fac.{which}.save"), type="primary", on_click=_save_list,
                              args=(fac, step.id, which, version, [k for k, _ in items]))
    show_flash(f"bde{step.id}")
