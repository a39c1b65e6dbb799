"""Stages in the exports (no streamlit): the PDF section (a tag x stage overview, then each stage's
notes with their tags; recommendations marked) and the sheet (one row per note, with its tags)."""

from __future__ import annotations

from canvas_models import Werkvorm
from canvas_models.spec import of_step
from exports.pdf import ACCENT, INK, PRIMARY, RULE, vote_suffix
from exports.snapshot import step_rows, vote_counts
from exports.tables import notes_sheet
from messages import function_label, t
from workshop.aggregate import function_stage_matrix, is_visible


def pdf_section(b, step: dict) -> None:
    _section(b, step, full=True)


def docx_section(w, step: dict) -> None:
    """The step in the Word minutes (``w``: :class:`exports.minutes.WordBuilder`): each stage's notes with
    their tags, without the PDF's drawn overview (the summary names the gaps)."""
    _section(w, step, full=False)


def _section(b, step: dict, *, full: bool) -> None:
    """``full``: the tag x stage overview drawn first (the PDF)."""
    pdf = b.pdf
    werkvorm = of_step(step)
    notes = [n for n in step_rows(b.snap, step["id"], kinds=("note", "tagged_note")) if is_visible(n)]
    votes = vote_counts(b.snap, step["id"], "note")
    sections = step.get("sections") or []
    if not notes:
        pdf.muted(t("pdf.empty"))
    if full and werkvorm.tags:
        matrix = function_stage_matrix(notes, sections, werkvorm.tags, by_group=True)
        pdf.heading(t("pdf.grow.matrix"), 2)
        heatmap(b, matrix)
    for sec in sections:
        items = sorted((n for n in notes if n["section"] == sec["key"]),
                       key=lambda r: (-votes.get(r["id"], 0), r["id"]))
        recommend = sec.get("role") == "recommendations"
        marker = t("pdf.grow.recommendations")
        title = sec["title"] + (f" — {marker}" if recommend and marker.lower() not in sec["title"].lower() else "")
        pdf.heading(title, 2)
        if sec.get("question"):
            pdf.muted(sec["question"], 8)
        settled = outcome(step.get("config")) if werkvorm.settle_section and werkvorm.settle_section.key == sec["key"] else ""
        if settled:
            pdf.para(t("stages.outcome.report", text=settled), style="B")
        if not items:
            pdf.muted(t("pdf.grow.empty_stage"), 8)
        for note in items:
            tags = [function_label(tag) for tag in note.get("tags") or []]
            suffix = f"  [{', '.join(tags)}]" if tags else ""
            pdf.para(note["text"] + suffix + vote_suffix(votes.get(note["id"], 0)),
                     bullet="→" if recommend else "•", indent=2, gap=0.5)


def outcome(config: dict | None) -> str:
    """The shared text the facilitator settled (the ``settle`` section's) in a step's settings, or ""
    while it is open."""
    value = (config or {}).get("outcome")
    return value if isinstance(value, str) else ""


def backup_config(config: dict, wv: Werkvorm) -> dict:
    """What a backup keeps of a stages step's settings: the settled text, cleaned as if typed and held
    to its limit, for a werkvorm that has a section to settle (nothing else is stored)."""
    from workshop.errors import UserError
    from workshop.text import Limits, clean

    value = config.get("outcome")
    if wv.settle_section is None or not isinstance(value, str):
        return {}
    try:
        return {"outcome": clean(value, limit=Limits.OUTCOME, label="outcome", required=False)}
    except UserError:  # too long: no phone or cockpit could have stored it
        return {}


def heatmap(b, matrix) -> None:
    """Notes per tag (rows) and stage group (columns); an empty cell is dashed, so a gap shows."""
    pdf = b.pdf
    first = 38.0
    cols = len(matrix.stages)
    if not cols:
        return
    cell_w = (pdf.content_width - first) / cols
    row_h = 6.5
    names = [function_label(f) for f in matrix.functions] + [t("pdf.grow.untagged"), t("pdf.grow.total")]
    values = [list(r) for r in matrix.counts] + [list(matrix.untagged), list(matrix.totals)]
    top = max([max(r) for r in matrix.counts] + [1])
    pdf.ensure(row_h * (len(names) + 2) + 8)
    y = pdf.y
    pdf.colour(PRIMARY)
    for j, title in enumerate(matrix.stage_titles):
        pdf.draw_line(pdf.MARGIN + first + j * cell_w + 1, y + 4.5,
                      pdf.wrap(pdf.prep(title, "B"), cell_w - 2, 8, "B")[0], "B", 8, cell_w - 2, "C")
    y += row_h
    for i, (name, row) in enumerate(zip(names, values)):
        pdf.colour(INK)
        pdf.draw_line(pdf.MARGIN, y + 4.4, pdf.prep(name), "B" if i >= len(matrix.functions) else "", 8)
        for j, count in enumerate(row):
            x = pdf.MARGIN + first + j * cell_w
            if i < len(matrix.functions):
                level = count / top
                shade = tuple(int(255 - (255 - c) * (0.15 + 0.85 * level)) if count else 255 for c in PRIMARY)
                pdf.fill(shade)
                pdf.set_draw_color(*(RULE if count else ACCENT))
                pdf.set_line_width(0.2 if count else 0.35)
                if count:
                    pdf.rect(x + 0.5, y + 0.5, cell_w - 1, row_h - 1, style="DF")
                else:
                    pdf.set_dash_pattern(dash=1, gap=0.8)
                    pdf.rect(x + 0.5, y + 0.5, cell_w - 1, row_h - 1, style="D")
                    pdf.set_dash_pattern()
                pdf.colour((255, 255, 255) if count and level > 0.55 else INK)
            else:
                pdf.colour(INK)
            pdf.draw_line(x, y + 4.4, str(count) if count else "–", "", 8, cell_w, "C")
        y += row_h
    pdf.y = y + 1
    gaps = matrix.gaps
    if gaps:
        pdf.muted(t("pdf.grow.gaps", count=len(gaps)), 7.5)
    pdf.y += 2


def sheet(ctx, step: dict):
    return notes_sheet(ctx, step)
