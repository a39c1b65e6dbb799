"""The report of a step of rounds (intervision): only its outcome, never a name.

Confidential by design: the PDF section and the sheet keep the case giver's (redefined) question, the
advice the case giver marked as helpful and the next steps; no case texts, no other notes, no names,
no participant numbers. Imports no streamlit."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from canvas_models.spec import of_step
from exports.snapshot import step_rows, vote_counts
from messages import t
from workshop import rounds


@dataclass(frozen=True)
class Outcome:
    questions: tuple[tuple[str, ...], ...]  #: per section with role question that has notes, in order
    advice: tuple[str, ...]                 #: the advice the case giver marked
    next_steps: tuple[str, ...]


def outcome(snap: dict, step: dict) -> Outcome:
    werkvorm = of_step(step)
    notes = rounds.live(step_rows(snap, step["id"], kinds=("note", "tagged_note")))
    marked = vote_counts(snap, step["id"], rounds.MARK)

    def texts(role: str, only=None) -> list[tuple[str, ...]]:
        out = []
        for section in werkvorm.sections:
            if section.role == role:
                found = tuple(n["text"] for n in notes if n["section"] == section.key and (only is None or only(n)))
                if found:
                    out.append(found)
        return out

    return Outcome(questions=tuple(texts("question")),
                   advice=tuple(x for part in texts("advice", lambda n: n["id"] in marked) for x in part),
                   next_steps=tuple(x for part in texts("next_steps") for x in part))


def pdf_section(b, step: dict) -> None:
    """``b``: the PDF builder (exports.pdf._Builder)."""
    pdf = b.pdf
    result = outcome(b.snap, step)
    pdf.muted(t("pdf.rounds.confidential"), 8)
    pdf.y += 1
    pdf.heading(t("pdf.rounds.redefined") if len(result.questions) > 1 else t("pdf.rounds.question"), 2)
    if not result.questions:
        pdf.muted(t("pdf.rounds.none"), 8)
    else:
        for text in result.questions[-1]:
            pdf.para(text, bullet="•", indent=2, gap=0.5)
        if len(result.questions) > 1:
            pdf.muted(t("pdf.rounds.first_question", text=" / ".join(result.questions[0])), 8)
    for heading, items in ((t("pdf.rounds.advice"), result.advice), (t("pdf.rounds.next_steps"), result.next_steps)):
        pdf.heading(heading, 2)
        if not items:
            pdf.muted(t("pdf.rounds.none"), 8)
        for text in items:
            pdf.para(text, bullet="→", indent=2, gap=0.5)


def docx_section(w, step: dict) -> None:
    """The step in the Word minutes (``w``: :class:`exports.minutes.WordBuilder`): the PDF section is text
    only, so it is written by the same function."""
    pdf_section(w, step)


def sheet(ctx, step: dict) -> pd.DataFrame:
    """One line per kept text: what part it is and the text (``ctx.snap``: the snapshot)."""
    result = outcome(ctx.snap, step)
    rows = [(t("table.rounds.question"), text) for part in result.questions for text in part]
    rows += [(t("table.rounds.advice"), text) for text in result.advice]
    rows += [(t("table.rounds.next_steps"), text) for text in result.next_steps]
    return pd.DataFrame(rows, columns=[t("table.col.part"), t("table.col.text")])
