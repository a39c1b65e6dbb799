"""The risks in the exports (no streamlit): the PDF section (the risks, heaviest first, with their
likelihood, impact and measures) and the sheet (one row per risk)."""

from __future__ import annotations

from canvas_models.spec import of_step
from exports.snapshot import step_rows
from exports.tables import frame
from layouts.risks import matrix
from messages import plural, t


def risks_of(snap: dict, step: dict) -> list[matrix.Risk]:
    """The risks of a snapshot's step, placed as on the screen."""
    rows = step_rows(snap, step["id"], kinds=("score", "text"))
    return matrix.risks(rows, step.get("sections") or [], of_step(step).fields)


def measures_text(risk: matrix.Risk) -> str:
    return "\n".join(f"• {m}" for m in risk.measures) or t("pdf.risk.none")


def pdf_section(b, step: dict) -> None:
    pdf = b.pdf
    items = risks_of(b.snap, step)
    if not any(r.n or r.measures for r in items):
        pdf.muted(t("pdf.empty"))
        return
    people = {r["participant_id"] for r in step_rows(b.snap, step["id"], kinds=("score", "text"))}
    pdf.para(t("pdf.risk.summary", count=len(items), people=plural("n.participants", len(people))))
    headers = [t("risk.col.number"), t("risk.col.risk"), t("risk.col.likelihood"), t("risk.col.impact"),
               t("risk.col.weight"), t("risk.col.measures")]
    rows = [[str(r.number), r.title, matrix.number(r.likelihood), matrix.number(r.impact),
             str(r.weight) if r.weight is not None else "–", measures_text(r)] for r in matrix.by_weight(items)]
    pdf.table(headers, rows, [10, 42, 18, 18, 18, pdf.content_width - 106], aligns=["R", "L", "R", "R", "R", "L"])


def docx_section(w, step: dict) -> None:
    """The step in the Word minutes (``w``: :class:`exports.minutes.WordBuilder`): the PDF section is text
    only, so it is written by the same function."""
    pdf_section(w, step)


def sheet(ctx, step: dict):
    """One row per risk: its means, weight, level, how many rated it and the measures."""
    items = risks_of(ctx.snap, step)
    columns = [t("risk.col.number"), t("risk.col.risk"), t("risk.col.likelihood"), t("risk.col.impact"),
               t("risk.col.weight"), t("risk.col.level"), t("risk.col.raters"), t("risk.col.measures")]
    # the means as Dutch text, as on the screen (a column of means would read 3.0 in a CSV file)
    rows = [dict(zip(columns, (r.number, r.title, matrix.number(r.likelihood), matrix.number(r.impact), r.weight,
                               t("risk.level." + r.level), r.n, "\n".join(r.measures)))) for r in items]
    return frame(rows, columns)
