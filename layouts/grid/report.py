"""The grid in the exports (no streamlit): the PDF section (the blocks in their grid with counts,
then each block's notes by dots) and the sheet (one row per note)."""

from __future__ import annotations

from canvas_models.spec import of_step
from exports.pdf import PRIMARY, INK, SHADE, vote_suffix
from exports.snapshot import step_rows, vote_counts
from exports.tables import notes_sheet
from messages import plural, t
from workshop.aggregate import is_visible


def pdf_section(b, step: dict) -> None:
    _section(b, step, full=True)


def docx_section(w, step: dict) -> None:
    """The step in the Word minutes (``w``: :class:`exports.minutes.WordBuilder`): each block's notes by
    dots, without the PDF's drawn grid."""
    _section(w, step, full=False)


def _section(b, step: dict, *, full: bool) -> None:
    """``full``: the blocks drawn in their grid first (the PDF)."""
    pdf = b.pdf
    notes = [n for n in step_rows(b.snap, step["id"], kinds=("note", "tagged_note")) if is_visible(n)]
    votes = vote_counts(b.snap, step["id"], "note")
    sections = step.get("sections") or []
    per: dict[str, list[dict]] = {s["key"]: [] for s in sections}
    for note in notes:
        per.setdefault(note["section"], []).append(note)
    if not notes:
        pdf.muted(t("pdf.empty"))
    if full:
        grid(b, step, sections, per, votes)
    for sec in sections:
        items = sorted(per.get(sec["key"], []), key=lambda r: (-votes.get(r["id"], 0), r["id"]))
        dots = sum(votes.get(r["id"], 0) for r in items)
        pdf.heading(f"{sec['title']}  ({t('pdf.canvas.count', notes=plural('n.notes', len(items)), dots=plural('n.dots', dots))})", 2)
        if sec.get("question"):
            pdf.muted(sec["question"], 8)
        if not items:
            pdf.muted(t("pdf.canvas.empty_block"), 8)
        for note in items:
            pdf.para(note["text"] + vote_suffix(votes.get(note["id"], 0)), bullet="•", indent=2, gap=0.5)


def grid(b, step: dict, sections: list[dict], per: dict, votes: dict) -> None:
    """The blocks in their familiar grid (``grid:`` of each section), each with its counts (vector boxes)."""
    pdf = b.pdf
    model = {s.key: s for s in of_step(step).sections}
    placed = [(s, model[s["key"]].grid) for s in sections if s["key"] in model and model[s["key"]].grid]
    if not placed:
        return
    rows = max(g[0] + g[2] - 1 for _, g in placed)
    cols = max(g[1] + g[3] - 1 for _, g in placed)
    cell_w = pdf.content_width / cols
    cell_h = 17.0
    pdf.ensure(rows * cell_h + 6)
    y0 = pdf.y
    for sec, (r, c, rs, cs) in placed:
        x, y = pdf.MARGIN + (c - 1) * cell_w, y0 + (r - 1) * cell_h
        w, h = cs * cell_w, rs * cell_h
        pdf.fill(SHADE)
        pdf.set_draw_color(*PRIMARY)
        pdf.set_line_width(0.3)
        pdf.rect(x + 0.6, y + 0.6, w - 1.2, h - 1.2, style="DF")
        pdf.colour(PRIMARY)
        for i, line in enumerate(pdf.wrap(pdf.prep(sec["title"], "B"), w - 4, 7.5, "B")[:2]):
            pdf.draw_line(x + 2, y + 4.2 + i * 3.2, line, "B", 7.5)
        items = per.get(sec["key"], [])
        pdf.colour(INK)
        pdf.draw_line(x + 2, y + h - 2.6, pdf.prep(t("pdf.canvas.count", notes=plural("n.notes", len(items)),
                      dots=plural("n.dots", sum(votes.get(r["id"], 0) for r in items)))), "", 7)
    pdf.y = y0 + rows * cell_h + 4


def sheet(ctx, step: dict):
    return notes_sheet(ctx, step)
