"""The 'choices' layout in the reports: its PDF section, its Excel/CSV sheet, the draft document (.docx)
of a werkvorm that has one (the huishoudelijk reglement), and what a backup keeps of its settings.
Everything works from a snapshot (:mod:`exports.snapshot`), so a backup file gives the same
reports as the live workshop. Imports no streamlit.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any, Mapping

import canvas_models
from canvas_models.spec import of_step
from layouts.choices import logic
from messages import dutch_date, t
from workshop.store import choice_budget


# ------------------------------------------------------------------ shared
def werkvorm(step: Mapping) -> canvas_models.Werkvorm:
    return of_step(step)


def step_results(snap: Mapping, step: Mapping) -> list[logic.SectionResult]:
    rows = [c for c in snap.get("contributions", []) if c["step_id"] == step["id"] and c["kind"] in logic.KINDS]
    return logic.results(werkvorm(step), rows, step.get("config") or {})


def _percent(share: float) -> str:
    return t("choices.screen.share", share=round(share * 100))


def _votes(result: logic.SectionResult) -> str:
    if not result.total:
        return t("choices.draft.no_votes")
    return ", ".join(t("choices.draft.vote", label=o.label, count=o.count) for o in result.options if o.count)


def _points(wv: canvas_models.Werkvorm) -> bool:
    return wv.choice_field is not None and wv.choice_field.kind == "points"


# ------------------------------------------------------------------ PDF
def pdf_section(b, step: Mapping) -> None:
    """The step's section in the follow-up PDF (``b`` is the report builder: ``b.pdf``, ``b.snap``)."""
    pdf = b.pdf
    wv = werkvorm(step)
    config = step.get("config") or {}
    results = step_results(b.snap, step)
    people = max((r.respondents for r in results), default=0)
    if _points(wv):
        pdf.para(t("choices.pdf.summary_points", people=people, total=sum(r.total for r in results),
                   budget=choice_budget(config, wv)))
    else:
        pdf.para(t("choices.pdf.summary_votes", people=people))
    w = pdf.content_width
    if len(results) == 1 or _points(wv):
        for result in results:
            if len(results) > 1:
                pdf.heading(result.title, 2)
            count = t("choices.pdf.col.count_points") if _points(wv) else t("choices.pdf.col.count_votes")
            pdf.table([t("choices.pdf.col.rank"), t("choices.pdf.col.option"), count, t("choices.pdf.col.share")],
                      [[str(o.rank), o.label, str(o.count), _percent(o.share)] for o in result.options],
                      [16, w - 66, 25, 25], aligns="RLRR")
            if _points(wv):
                best = logic.top_options(result, logic.top_n(wv, config))
                if best:
                    pdf.heading(t("choices.pdf.start"), 2)
                    for option in best:
                        pdf.para(f"{option.rank}. {option.label} ({option.count})", bullet="•", indent=2, gap=0.5)
            elif result.outcome:
                pdf.para(t("choices.pdf.winner" if wv.feeds_links else "choices.pdf.outcome",
                           label=result.outcome.label), style="B")
            elif result.top:
                pdf.para(t("choices.pdf.leading", label=result.top.label, share=_percent(result.top.share),
                           consensus=wv.consensus))
            else:
                pdf.para(t("choices.pdf.tie"))
        return
    rows = []
    for result in results:
        outcome = result.outcome.label if result.outcome else (result.options[0].label if result.total else "–")
        share = f" ({_percent(result.options[0].share)})" if result.total and not result.settled else ""
        rows.append([result.title, outcome + share, t(f"choices.status.{result.status}")])
    pdf.table([t("choices.pdf.col.section"), t("choices.pdf.col.outcome"), t("choices.pdf.col.status")],
              rows, [45, w - 80, 35])
    open_ = [r for r in results if r.status == logic.OPEN]
    pdf.heading(t("choices.pdf.open_points"), 2)
    if not open_:
        pdf.para(t("choices.draft.open_none"))
    for result in open_:
        pdf.para(t("choices.draft.open_line", title=result.title, votes=_votes(result)), bullet="•", indent=2,
                 gap=0.5)


def docx_section(w, step: dict) -> None:
    """The step in the Word minutes (``w``: :class:`exports.minutes.WordBuilder`): the PDF section is text
    only, so it is written by the same function."""
    pdf_section(w, step)


# ------------------------------------------------------------------ sheet
def sheet(ctx, step: Mapping):
    """One row per counted choice (per option with points): section, option, points, who, when.
    ``ctx`` has the workshop's ``snap``, the participants' ``number`` in every sheet, and ``anonymous``."""
    from exports.tables import frame, org_name, time_text

    snap, number, anonymous = ctx.snap, ctx.number, ctx.anonymous
    wv = werkvorm(step)
    people = {p["id"]: p for p in snap.get("participants", [])}
    rows_in = [c for c in snap.get("contributions", []) if c["step_id"] == step["id"] and c["kind"] in logic.KINDS]
    order = {s.key: i for i, s in enumerate(wv.sections)}
    col = {k: t(f"choices.sheet.{k}") for k in ("section", "option", "points", "counts")}
    col.update({k: t(f"table.col.{k}") for k in ("participant", "name", "org", "time")})
    budget = choice_budget(step.get("config") or {}, wv)
    spent: dict[tuple, int] = {}
    for row in logic.counted(rows_in):
        spent[(row["participant_id"], row["section"])] = spent.get((row["participant_id"], row["section"]), 0) + \
            int(row.get("score") or 0)
    rows = []
    for row in logic.counted(rows_in):
        section = wv.section(row["section"]) if row["section"] in order else None
        try:
            label = section.option(row["text"]).label if section else row["text"]
        except KeyError:
            label = row["text"]
        if _points(wv) and not row.get("score"):
            continue
        out: dict[str, Any] = {col["section"]: section.title if section else row["section"], col["option"]: label}
        if _points(wv):
            out[col["points"]] = int(row.get("score") or 0)
            out[col["counts"]] = t("table.yes") if spent[(row["participant_id"], row["section"])] <= budget \
                else t("table.no")
        person = people.get(row.get("participant_id")) or {}
        if not anonymous:
            out[col["participant"]] = number.get(row.get("participant_id"))
            out[col["name"]] = person.get("name") or ""
        out[col["org"]] = org_name(person.get("org_type"))
        out[col["time"]] = time_text(row.get("created_at"))
        # anonymous: ordered by content, so the order links no rows to one person
        out["_order"] = (order.get(row["section"], 99), label) if anonymous else (order.get(row["section"], 99),
                                                                                  row["id"])
        rows.append(out)
    rows.sort(key=lambda r: r["_order"])
    for r in rows:
        del r["_order"]
    columns = [col["section"], col["option"]] + ([col["points"], col["counts"]] if _points(wv) else [])
    columns += ([] if anonymous else [col["participant"], col["name"]]) + [col["org"], col["time"]]
    return frame(rows, columns)


# ------------------------------------------------------------------ draft
def draft_file_name(code: str, wv: canvas_models.Werkvorm) -> str:
    return f"samenspraak-{code or 'workshop'}-{wv.key}-concept.docx"


def draft_docx(snap: Mapping, step: Mapping) -> bytes:
    """The draft document of a choices step (the reglement): its introduction, the settled articles with
    their wording, the agreed ones still to settle, and the open points with their votes."""
    from docx import Document
    from docx.shared import Pt, RGBColor

    from exports.minutes import _text
    from exports.pdf import PRIMARY

    wv = werkvorm(step)
    results = step_results(snap, step)
    ws = snap.get("workshop") or {}
    doc = Document()
    title = wv.draft_title or wv.title
    doc.core_properties.title = _text(title)[:200]
    doc.core_properties.language = "nl-NL"
    style = doc.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(10.5)
    doc.add_heading(_text(title), level=0)
    if wv.draft_intro:
        doc.add_paragraph(_text(wv.draft_intro))
    made = doc.add_paragraph()
    run = made.add_run(_text(t("choices.draft.made", date=dutch_date(_date(ws.get("date"))), title=ws.get("title") or "")))
    run.italic = True
    run.font.color.rgb = RGBColor(*PRIMARY)

    n = 0
    for heading, status in (("choices.draft.settled", logic.SETTLED), ("choices.draft.agreed", logic.AGREED)):
        chosen = [r for r in results if r.status == status]
        if not chosen:
            continue
        doc.add_heading(t(heading), level=1)
        group = None
        for result in chosen:
            if result.group and result.group != group:
                group = result.group
                doc.add_heading(_text(group), level=2)
            n += 1
            option = result.outcome
            doc.add_heading(_text(t("choices.draft.article", n=n, title=result.title)), level=3)
            doc.add_paragraph(_text(option.text or option.label))
            if status == logic.AGREED:
                doc.add_paragraph(_text(t("choices.draft.votes", votes=_votes(result)))).runs[0].italic = True
    doc.add_heading(t("choices.draft.open"), level=1)
    open_ = [r for r in results if r.status == logic.OPEN]
    if not open_:
        doc.add_paragraph(t("choices.draft.open_none"))
    for result in open_:
        doc.add_paragraph(_text(t("choices.draft.open_line", title=result.title, votes=_votes(result))),
                          style="List Bullet")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _date(value: Any) -> date | None:
    from exports.snapshot import parse_date

    return parse_date(value)


# ------------------------------------------------------------------ backup
def backup_config(config: Mapping, wv: canvas_models.Werkvorm) -> dict:
    """What a backup keeps of a choices step's settings, each checked (nothing else is stored)."""
    out: dict[str, Any] = {}
    if wv.choice_field is None:
        return out
    points = config.get("points")
    if type(points) is int and 1 <= points <= canvas_models.MAX_POINTS:
        out["points"] = points
    top = config.get("top_n")
    if type(top) is int and 0 <= top <= canvas_models.MAX_OPTIONS:
        out["top_n"] = top
    settled = config.get("settled")
    if isinstance(settled, dict):
        keep = {}
        for section in wv.sections:
            option = settled.get(section.key)
            if isinstance(option, str) and option in {o.key for o in section.options}:
                keep[section.key] = option
        out["settled"] = keep
    focus = config.get("screen_focus")
    if isinstance(focus, str) and focus in {s.key for s in wv.sections}:
        out["screen_focus"] = focus
    return out


def backup_row_ok(wv: canvas_models.Werkvorm, section: str, kind: str, text: str, score: int | None) -> bool:
    """Is a contribution of kind choice/points one that a phone could have sent to this werkvorm?"""
    try:
        wv.section(section).option(text)
    except KeyError:
        return False
    if kind == "choice":
        return score is None
    return score is not None and 0 <= score <= canvas_models.MAX_POINTS
