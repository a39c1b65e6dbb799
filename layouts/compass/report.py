"""The report of an inspiratiekompas step: strength and activities per theme, gaps named.
Imports no streamlit."""

from __future__ import annotations

import pandas as pd

from exports.snapshot import step_rows
from messages import number, t
from workshop import compass


def themes(snap: dict, step: dict) -> list[compass.Theme]:
    return compass.themes(step.get("sections") or [], step_rows(snap, step["id"], kinds=("score",)),
                          step_rows(snap, step["id"], kinds=("note", "tagged_note")))


_gap = compass.gap_text


def _mean(theme: compass.Theme) -> str:
    return number(theme.mean, 1)


def pdf_section(b, step: dict) -> None:
    """``b``: the PDF builder (exports.pdf._Builder)."""
    pdf = b.pdf
    items = themes(b.snap, step)
    pdf.heading(t("pdf.compass.table"), 2)
    pdf.table([t("compass.col_theme"), t("compass.col_strength"), t("compass.col_n"), t("compass.col_activities"),
               t("compass.col_gap")],
              [[th.title, _mean(th), str(th.n), str(len(th.activities)), _gap(th)] for th in items],
              [62, 28, 22, 24, 44])
    gaps = [th.title for th in items if th.gap]
    pdf.para(t("pdf.compass.gaps", themes=", ".join(gaps)) if gaps else t("pdf.compass.no_gaps"), size=9, gap=1.5)
    for theme in items:
        pdf.heading(f"{theme.title}  ({t('compass.activities', count=len(theme.activities))})", 2)
        if theme.example:
            pdf.muted(theme.example, 8)
        for text in theme.activities:
            pdf.para(text, bullet="•", indent=2, gap=0.5)


def docx_section(w, step: dict) -> None:
    """The step in the Word minutes (``w``: :class:`exports.minutes.WordBuilder`): the PDF section is text
    only, so it is written by the same function."""
    pdf_section(w, step)


def sheet(ctx, step: dict) -> pd.DataFrame:
    """One line per activity (and a line for a theme without any), with the theme's strength
    (``ctx.snap``: the snapshot)."""
    rows = []
    for theme in themes(ctx.snap, step):
        for text in theme.activities or ("",):
            rows.append({t("compass.col_theme"): theme.title, t("compass.col_strength"): None if theme.mean is None else round(theme.mean, 1),
                         t("compass.col_n"): theme.n, t("table.col.text"): text, t("compass.col_gap"): _gap(theme)})
    return pd.DataFrame(rows, columns=[t("compass.col_theme"), t("compass.col_strength"), t("compass.col_n"),
                                       t("table.col.text"), t("compass.col_gap")])
