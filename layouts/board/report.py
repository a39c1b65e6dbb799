"""The board in the exports (no streamlit): the PDF section (the board as a table, a cell per team and
subregion with its mean state and count, then the notes per cell, without names) and the sheet (one row
per participant and cell: the state and the notes, newest counting)."""

from __future__ import annotations

from typing import Any

import canvas_models
from canvas_models.spec import of_step
from exports.snapshot import step_rows
from exports.tables import frame, org_name, yes
from layouts.board.table import Cell, cells, column_of
from layouts.scores.report import merge_answers
from messages import ORG_SHORT, number as _num, plural, t


def _parts(step: dict) -> tuple[list[dict], tuple, list]:
    wv = of_step(step)
    return (step.get("sections") or [], canvas_models.columns_of(wv, step.get("config")),
            [f for f in wv.fields if f.kind == "text"])


def state_text(cell: Cell) -> str:
    if cell.only_nvt:
        return t("board.nvt")
    if not cell.n:
        return "–"
    return f"{_num(cell.mean)} ({t('board.n', count=cell.n)})"


def pdf_section(b, step: dict) -> None:
    pdf = b.pdf
    sections, columns, texts = _parts(step)
    answers = step_rows(b.snap, step["id"], kinds=("score", "text"))
    table = cells(answers, [s["key"] for s in sections], [c.key for c in columns], [f.key for f in texts])
    respondents = len({a["participant_id"] for a in answers})
    pdf.para(plural("pdf.board.summary", respondents))
    if not columns:
        return
    pdf.heading(t("pdf.board.table"), 2)
    first = 46.0
    width = (pdf.content_width - first) / len(columns)
    pdf.table([t("pdf.board.row"), *(c.title for c in columns)],
              [[s["title"], *(state_text(table[(s["key"], c.key)]) for c in columns)] for s in sections],
              [first, *([width] * len(columns))], aligns="L" + "R" * len(columns))
    pdf.muted(t("pdf.board.scale"))
    pdf.heading(t("pdf.board.notes"), 2)
    any_note = False
    for s in sections:
        for c in columns:
            cell = table[(s["key"], c.key)]
            if not any(cell.notes.values()):
                continue
            any_note = True
            pdf.heading(f"{s['title']} · {c.title}: {state_text(cell)}", 3)
            for spec in texts:
                if not cell.notes[spec.key]:
                    continue
                pdf.para(spec.label, style="B", size=8.5, gap=0.4, keep=5)
                for row in cell.notes[spec.key]:
                    who = ORG_SHORT.get(row.get("org_type"), row.get("org_type") or "")
                    pdf.para(f"{row['text']} — {who}" if who else row["text"], bullet="•", indent=2, gap=0.5)
    if not any_note:
        pdf.muted(t("pdf.board.no_notes"))


def docx_section(w, step: dict) -> None:
    """The step in the Word minutes (``w``: :class:`exports.minutes.WordBuilder`): the PDF section is text
    only, so it is written by the same function."""
    pdf_section(w, step)


def sheet(ctx, step: dict):
    """One row per participant and cell: the state and the notes (newest answers)."""
    col = ctx.col
    sections, columns, texts = _parts(step)
    titles = ctx.titles(step)
    column_titles = {c.key: c.title for c in columns}
    names = {f.key: f.label for f in texts}
    merged = merge_answers(step_rows(ctx.snap, step["id"], kinds=("score", "text")), list(names),
                           lambda row: (row["participant_id"], row["section"], column_of(row)))
    order = {s["key"]: i for i, s in enumerate(sections)}
    corder = {c.key: i for i, c in enumerate(columns)}
    state, where = t("table.col.board_state"), t("table.col.board_column")
    rows = []
    for (pid, section, column), e in merged.items():
        score: Any = e["score"] if e["score"] is not None else (t("board.nvt") if e["has_score"] else None)
        out = {col["section"]: titles.get(section, section), where: column_titles.get(column, column),
               state: score, **{names[f]: e[f] for f in names}, col["hidden"]: yes(e["hidden"])}
        if not ctx.anonymous:
            out[col["participant"]] = ctx.number.get(pid)
            out[col["name"]] = e["row"].get("name") or ""
        out[col["org"]] = org_name(e["row"].get("org_type"))
        out["_order"] = ((order.get(section, 99), corder.get(column, 99), str(score), *(e[f] for f in names))
                         if ctx.anonymous else (order.get(section, 99), corder.get(column, 99), pid or 0))
        rows.append(out)
    rows.sort(key=lambda r: r["_order"])
    for r in rows:
        del r["_order"]
    columns_out = [col["section"], where, state, *names.values(), col["hidden"]]
    columns_out += ([] if ctx.anonymous else [col["participant"], col["name"]]) + [col["org"]]
    return frame(rows, columns_out)
