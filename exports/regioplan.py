"""The regioplan skeleton (no streamlit): what the four parts of the regioplan gathered, as a Word
document to edit (python-docx) and as a chapter of the follow-up PDF.

The four parts are werkvormen of one workshop (``PARTS``): the vision (context questions and the
shared sentence: the one the facilitator settled, else the proposal with the most dots in the section
whose role is ``options``), the
improvement ideas (the brainstorm wall, by dots), the plan of approach (the workshop's activities,
and the risks with likelihood, impact and measures) and the agreement (roles and budget lines,
blocks of a grid). :func:`skeleton` reads a snapshot (:mod:`exports.snapshot`) into a
:class:`Skeleton`; both outputs are drawn from it, so they say the same. Open points: what a
regioplan still lacks (no vision sentence, a risk without a measure, an activity without owner or
date, a part left empty). As in the minutes, no participant names.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from exports.minutes import _table, _text, new_document
from exports.pdf import action_headers, action_rows, action_table
from exports.snapshot import live_actions, step_rows, vote_counts
from messages import t
from workshop.aggregate import is_visible

#: The werkvormen of the regioplan, by key, and the part each one fills.
PARTS = {"regio_visie": "vision", "regio_ideeen": "ideas", "regio_plan": "activities",
         "regio_risicos": "risks", "regio_afspraken": "agreement"}
#: How many ideas of the wall the skeleton takes (most dots first).
TOP_IDEAS = 10
#: The grid blocks of the agreement part, by the order of its sections: roles, then budget lines.
AGREEMENT_BLOCKS = ("roles", "budget")


@dataclass
class Skeleton:
    title: str = ""
    vision: str = ""
    context: list[tuple[str, list[str]]] = field(default_factory=list)
    ideas: list[tuple[str, int]] = field(default_factory=list)
    activities: list[dict] = field(default_factory=list)
    risks: list = field(default_factory=list)
    roles: list[tuple[str, int]] = field(default_factory=list)
    budget: list[tuple[str, int]] = field(default_factory=list)
    open_points: list[str] = field(default_factory=list)
    parts: set[str] = field(default_factory=set)


def has_regioplan(snap: dict) -> bool:
    return any(s.get("werkvorm") in PARTS for s in snap.get("steps", []))


def _ranked(snap: dict, step: dict, section: str | None = None) -> list[tuple[str, int]]:
    """Visible notes of a step (or of one section), most dots first, then oldest first."""
    votes = vote_counts(snap, step["id"], "note")
    notes = [n for n in step_rows(snap, step["id"], kinds=("note", "tagged_note"))
             if is_visible(n) and (section is None or n["section"] == section)]
    notes.sort(key=lambda n: (-votes.get(n["id"], 0), n["id"]))
    return [(n["text"], votes.get(n["id"], 0)) for n in notes]


def skeleton(snap: dict) -> Skeleton:
    from layouts.risks.report import risks_of
    from layouts.stages.report import outcome

    out = Skeleton(title=str((snap.get("workshop") or {}).get("title") or ""))
    steps = sorted(snap.get("steps", []), key=lambda s: s.get("position", 0))
    for step in steps:
        part = PARTS.get(step.get("werkvorm"))
        if part is None:
            continue
        out.parts.add(part)
        sections = step.get("sections") or []
        if part == "vision":
            out.vision = out.vision or outcome(step.get("config"))  # the sentence the facilitator settled, else the most dotted
            for s in sections:
                ranked = _ranked(snap, step, s["key"])
                if s.get("role") == "options":
                    out.vision = out.vision or (ranked[0][0] if ranked else "")
                elif ranked:
                    out.context.append((s["title"], [text for text, _ in ranked]))
        elif part == "ideas":
            out.ideas += _ranked(snap, step)[:TOP_IDEAS]
        elif part == "activities":
            out.activities = live_actions(snap)
        elif part == "risks":
            out.risks += risks_of(snap, step)
        elif part == "agreement":
            for name, s in zip(AGREEMENT_BLOCKS, sections):
                getattr(out, name).extend(_ranked(snap, step, s["key"]))
    out.open_points = _open_points(out)
    return out


def _open_points(sk: Skeleton) -> list[str]:
    points = []
    if "vision" in sk.parts and not sk.vision:
        points.append(t("regioplan.open.no_vision"))
    points += [t("regioplan.open.no_measure", risk=r.title) for r in sk.risks if not r.measures]
    for a in sk.activities:
        if not (a.get("owner") or "").strip():
            points.append(t("regioplan.open.no_owner", what=a.get("what", "")))
        if not a.get("due"):
            points.append(t("regioplan.open.no_due", what=a.get("what", "")))
    empty = {"ideas": (sk.ideas, "regioplan.ideas"), "activities": (sk.activities, "regioplan.activities"),
             "agreement": (sk.roles or sk.budget, "regioplan.agreement")}
    for part, (content, key) in empty.items():
        if part in sk.parts and not content:
            points.append(t("regioplan.open.empty", part=t(key)))
    return points


def _with_votes(text: str, votes: int) -> str:
    return f"{text} ({t('regioplan.votes', count=votes)})" if votes else text


def risk_rows(sk: Skeleton) -> tuple[list[str], list[list[str]]]:
    from layouts.risks import matrix
    from layouts.risks.report import measures_text

    headers = [t("risk.col.number"), t("risk.col.risk"), t("risk.col.likelihood"), t("risk.col.impact"),
               t("risk.col.weight"), t("regioplan.measure")]
    rows = [[str(r.number), r.title, matrix.number(r.likelihood), matrix.number(r.impact),
             str(r.weight) if r.weight is not None else "–", measures_text(r)] for r in matrix.by_weight(sk.risks)]
    return headers, rows


# ---------------------------------------------------------------- Word
def build_docx(snap: dict) -> bytes:
    """The regioplan skeleton of one workshop as .docx bytes."""
    sk = skeleton(snap)
    doc = new_document(t("regioplan.title") + (f": {sk.title}" if sk.title else ""), t("regioplan.kicker"))
    doc.add_paragraph(t("regioplan.intro"))

    def bullets(items: list[str]) -> None:
        if not items:
            doc.add_paragraph(t("regioplan.none"))
        for item in items:
            doc.add_paragraph(_text(item), style="List Bullet")

    doc.add_heading(t("regioplan.vision"), level=1)
    doc.add_heading(t("regioplan.vision.sentence"), level=2)
    doc.add_paragraph(_text(sk.vision) if sk.vision else t("regioplan.open.no_vision"))
    if sk.context:
        doc.add_heading(t("regioplan.vision.context"), level=2)
        for title, texts in sk.context:
            doc.add_paragraph(_text(title)).runs[0].bold = True
            bullets(texts)
    doc.add_heading(t("regioplan.ideas"), level=1)
    bullets([_with_votes(text, votes) for text, votes in sk.ideas])
    doc.add_heading(t("regioplan.plan"), level=1)
    doc.add_heading(t("regioplan.activities"), level=2)
    if sk.activities:
        _table(doc, action_headers(), action_rows(sk.activities))
    else:
        doc.add_paragraph(t("regioplan.none"))
    doc.add_heading(t("regioplan.risks"), level=2)
    if sk.risks:
        _table(doc, *risk_rows(sk))
    else:
        doc.add_paragraph(t("regioplan.none"))
    doc.add_heading(t("regioplan.agreement"), level=1)
    doc.add_heading(t("regioplan.roles"), level=2)
    bullets([_with_votes(text, votes) for text, votes in sk.roles])
    doc.add_heading(t("regioplan.budget"), level=2)
    bullets([_with_votes(text, votes) for text, votes in sk.budget])
    doc.add_heading(t("regioplan.open"), level=1)
    bullets(sk.open_points) if sk.open_points else doc.add_paragraph(t("regioplan.open.none"))
    doc.add_paragraph().add_run(t("regioplan.note")).italic = True
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- PDF
def pdf_chapter(b) -> None:
    """The skeleton as a chapter of the follow-up PDF (``b``: the builder of :mod:`exports.pdf`)."""
    pdf = b.pdf
    sk = skeleton(b.snap)
    pdf.chapter = t("regioplan.title")  # the running head of its pages
    pdf.add_page()
    pdf.heading(t("regioplan.title"), 1)
    pdf.para(t("regioplan.intro"))

    def bullets(items: list[str]) -> None:
        if not items:
            pdf.muted(t("regioplan.none"))
        for item in items:
            pdf.para(item, bullet="•", indent=2, gap=0.5)

    pdf.heading(t("regioplan.vision"), 2)
    pdf.para(sk.vision or t("regioplan.open.no_vision"), style="B")
    pdf.heading(t("regioplan.ideas"), 2)
    bullets([_with_votes(text, votes) for text, votes in sk.ideas])
    pdf.heading(t("regioplan.plan"), 2)
    pdf.para(t("regioplan.activities"), style="B")
    action_table(pdf, sk.activities)
    pdf.para(t("regioplan.risks"), style="B")
    if sk.risks:
        headers, rows = risk_rows(sk)
        pdf.table(headers, rows, [10, 42, 18, 18, 18, pdf.content_width - 106], aligns=["R", "L", "R", "R", "R", "L"])
    else:
        pdf.muted(t("regioplan.none"))
    pdf.heading(t("regioplan.agreement"), 2)
    pdf.para(t("regioplan.roles"), style="B")
    bullets([_with_votes(text, votes) for text, votes in sk.roles])
    pdf.para(t("regioplan.budget"), style="B")
    bullets([_with_votes(text, votes) for text, votes in sk.budget])
    pdf.heading(t("regioplan.open"), 2)
    bullets(sk.open_points) if sk.open_points else pdf.muted(t("regioplan.open.none"))
