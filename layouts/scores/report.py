"""Scores in the exports (no streamlit): the PDF section (a bar chart per aspect and organisation
type, the table of means, where the types differ, the remarks without names) and the sheet (one row
per participant and aspect: the score and the text answers, newest counting)."""

from __future__ import annotations

from typing import Any

from canvas_models.spec import of_step
from exports.pdf import INK, MUTED, ORG_COLOURS, OVERALL_COLOUR, RULE, legend
from exports.snapshot import step_rows
from exports.tables import frame, org_name, yes
from messages import CATALOGUE, ORG_SHORT, ORG_TYPES, number as _num, plural, t
from workshop.aggregate import divergence, is_visible, remarks_by_aspect, score_table


def _text_fields(step: dict) -> list:
    return [f for f in of_step(step).fields if f.kind == "text"]


def pdf_section(b, step: dict) -> None:
    _section(b, step, full=True)


def docx_section(w, step: dict) -> None:
    """The step in the Word minutes (``w``: :class:`exports.minutes.WordBuilder`): the table of means and
    where the types differ; no chart, and no remarks (as the summary: they are in the full report only)."""
    _section(w, step, full=False)


def _section(b, step: dict, *, full: bool) -> None:
    """``full``: the PDF's chart and the remarks too."""
    pdf = b.pdf
    answers = step_rows(b.snap, step["id"], kinds=("score", "text"))
    sections = step.get("sections") or []
    table = score_table(answers, sections)
    respondents = len({a["participant_id"] for a in answers if is_visible(a)})
    pdf.para(plural("pdf.praat.summary", respondents))
    if any(a.n for a in table):
        if full:
            pdf.heading(t("pdf.praat.chart"), 2)
            score_chart(b, table)
        pdf.heading(t("pdf.praat.table"), 2)
        rows = [[a.title, _num(a.mean), _num(a.std), str(a.n), str(a.unknown),
                 ", ".join(f"{ORG_SHORT.get(g.org_type, g.org_type)} {_num(g.mean)}"
                           for g in a.by_org if g.mean is not None)] for a in table]
        pdf.table([t("pdf.praat.col.aspect"), t("pdf.praat.col.mean"), t("pdf.praat.col.std"),
                   t("pdf.praat.col.n"), t("pdf.praat.col.unknown"), t("pdf.praat.col.by_org")],
                  rows, [32, 20, 20, 12, 18, pdf.content_width - 102], aligns="LRRRRL")
        pdf.heading(t("pdf.praat.divergence"), 2)
        marked = [d for d in divergence(table) if d.marked]
        if not marked:
            pdf.para(t("pdf.praat.no_divergence"))
        for d in marked:
            if d.highest_org and d.lowest_org:
                high = next(g for g in table if g.key == d.key).org(d.highest_org)
                low = next(g for g in table if g.key == d.key).org(d.lowest_org)
                text = t("pdf.praat.differs", title=d.title, high=ORG_TYPES.get(d.highest_org, d.highest_org),
                         high_mean=_num(high.mean if high else None),
                         low=ORG_TYPES.get(d.lowest_org, d.lowest_org),
                         low_mean=_num(low.mean if low else None), spread=_num(d.spread))
            else:
                text = t("pdf.praat.differs_std", title=d.title, std=_num(d.std))
            pdf.para(text, bullet="≠", indent=2)
    else:
        pdf.muted(t("pdf.praat.no_scores"))
    if full:
        remarks(b, step, answers, sections)


def remarks(b, step: dict, answers: list[dict], sections: list[dict]) -> None:
    """The remarks per aspect, with the kind of organisation, never the name."""
    pdf = b.pdf
    fields = _text_fields(step)
    labels = {f.key: t(f"pdf.praat.{f.key}") if f"pdf.praat.{f.key}" in CATALOGUE else f.label for f in fields}
    pdf.heading(t("pdf.praat.remarks"), 2)
    any_remark = False
    for aspect in remarks_by_aspect(answers, b.anonymous, sections, fields=[f.key for f in fields]):
        if not aspect.count:
            continue
        any_remark = True
        pdf.heading(aspect.title, 3)
        for field, remarks in aspect.by_field.items():
            if not remarks:
                continue
            pdf.para(labels.get(field, field), style="B", size=8.5, colour=MUTED, gap=0.4, keep=5)
            for remark in remarks:
                # The kind of organisation only, never the name: the phone promises private answers
                # (praat.private), and this report is shared.
                who = ORG_SHORT.get(remark.org_type, remark.org_type)
                pdf.para(f"{remark.text} — {who}" if who else remark.text, bullet="•", indent=2, gap=0.5)
    if not any_remark:
        pdf.muted(t("pdf.praat.no_remarks"))


def score_chart(b, table) -> None:
    """Grouped horizontal bars: per aspect one bar per org type and one overall (vector)."""
    pdf = b.pdf
    orgs = [o for o in ORG_TYPES if any(a.org(o) and a.org(o).mean is not None for a in table)]
    label_w, value_w = 34.0, 26.0
    x0 = pdf.MARGIN + label_w
    plot_w = pdf.content_width - label_w - value_w
    bar_h = 2.6
    group_h = (len(orgs) + 1) * bar_h + 3.5
    scale = plot_w / 4.0  # 1..5

    # Legend (colour plus the name printed on every bar, so colour is never the only cue).
    legend(pdf, orgs)

    for aspect in table:
        pdf.ensure(group_h + 8)
        y = pdf.y
        pdf.colour(INK)
        lines = pdf.wrap(pdf.prep(aspect.title, "B"), label_w - 2, 8.5, "B")[:3]
        for i, line in enumerate(lines):
            pdf.draw_line(pdf.MARGIN, y + 3 + i * 3.6, line, "B", 8.5)
        # grid lines 1..5
        pdf.set_draw_color(*RULE)
        pdf.set_line_width(0.15)
        for s in range(1, 6):
            gx = x0 + (s - 1) * scale
            pdf.line(gx, y, gx, y + group_h - 2.5)
        bars = [(o, aspect.org(o)) for o in orgs] + [("__all", None)]
        by = y + 0.5
        for org, group in bars:
            mean = aspect.mean if org == "__all" else (group.mean if group else None)
            n = aspect.n if org == "__all" else (group.n if group else 0)
            colour = OVERALL_COLOUR if org == "__all" else ORG_COLOURS.get(org, MUTED)
            if mean is not None:
                w = max((mean - 1) * scale, 0.5)
                pdf.fill(colour)
                pdf.rect(x0, by, w, bar_h - 0.5, style="F")
                label = t("pdf.praat.overall") if org == "__all" else ORG_SHORT.get(org, org)
                pdf.colour(INK if org != "__all" else OVERALL_COLOUR)
                pdf.draw_line(x0 + w + 1, by + bar_h - 0.8, f"{label} {_num(mean)} (n={n})",
                              "B" if org == "__all" else "", 6.2)
            by += bar_h
        pdf.y = y + group_h
    # axis labels
    pdf.colour(MUTED)
    for s in range(1, 6):
        pdf.draw_line(x0 + (s - 1) * scale - 0.8, pdf.y + 1, str(s), "", 7)
    pdf.y += 3
    pdf.draw_line(x0, pdf.y + 2, pdf.prep(t("pdf.praat.axis")), "", 7)
    pdf.y += 6


def merge_answers(answers: list[dict], fields: list[str], key) -> dict[tuple, dict]:
    """The answer rows of one sheet row together, by ``key(row)``: the score (``has_score``: one was
    given, None is "weet ik niet"), the text of each of ``fields``, and whether any of them is hidden."""
    merged: dict[tuple, dict] = {}
    for row in answers:
        entry = merged.setdefault(key(row), {"row": row, "score": None, "has_score": False, "hidden": False,
                                             **{f: "" for f in fields}})
        if row["kind"] == "score":
            entry["score"], entry["has_score"] = row["score"], True
        elif row["field"] in fields:
            entry[row["field"]] = row["text"]
        entry["hidden"] = entry["hidden"] or bool(row.get("hidden"))
    return merged


def sheet(ctx, step: dict):
    """One row per participant and aspect: score and the text answers (newest answers)."""
    col = ctx.col
    fields = [f.key for f in _text_fields(step)]
    names = {f.key: col.get(f.key) or f.label for f in _text_fields(step)}
    titles = ctx.titles(step)
    merged = merge_answers(step_rows(ctx.snap, step["id"], kinds=("score", "text")), fields,
                           lambda row: (row["participant_id"], row["section"]))
    order = {s["key"]: i for i, s in enumerate(step.get("sections") or [])}
    rows = []
    for (pid, section), e in merged.items():
        score: Any = e["score"] if e["score"] is not None else (t("table.unknown") if e["has_score"] else None)
        out = {col["aspect"]: titles.get(section, section), col["score"]: score,
               **{names[f]: e[f] for f in fields}, col["hidden"]: yes(e["hidden"])}
        if not ctx.anonymous:
            out[col["participant"]] = ctx.number.get(pid)
            out[col["name"]] = e["row"].get("name") or ""
        out[col["org"]] = org_name(e["row"].get("org_type"))
        # Anonymous: sort within an aspect by content, so row order does not link answers to a person.
        out["_order"] = ((order.get(section, 99), str(score), *(e[f] for f in fields)) if ctx.anonymous
                         else (order.get(section, 99), pid or 0))
        rows.append(out)
    rows.sort(key=lambda r: r["_order"])
    for r in rows:
        del r["_order"]
    columns = [col["aspect"], col["score"], *(names[f] for f in fields), col["hidden"]]
    columns += ([] if ctx.anonymous else [col["participant"], col["name"]]) + [col["org"]]
    return frame(rows, columns)
