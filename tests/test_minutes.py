"""The Word minutes (exports/minutes.py) on the demo workshop, read back with python-docx: every step of every
werkvorm has its section, written by its layout (``docx_section``), with its title and a real piece of its
content; a confidential step (intervision) keeps only its outcome and no name."""

from __future__ import annotations

import io

import docx
import pytest
from docx.table import Table
from docx.text.paragraph import Paragraph

from canvas_models.spec import of_step
import layouts
from exports import backup, demo, minutes
from exports.snapshot import live_actions, step_rows
from layouts.rounds import demo as rounds_demo
from messages import number, t
from workshop.aggregate import is_visible


@pytest.fixture(scope="module")
def snap() -> dict:
    return backup.read_snapshot(backup.to_json(demo.plan(12, seed=4)))


def body_lines(data: bytes) -> list[str]:
    """The document's paragraphs and table cells, in reading order."""
    document = docx.Document(io.BytesIO(data))
    lines: list[str] = []
    for child in document.element.body.iterchildren():
        if child.tag.endswith("}p"):
            lines.append(Paragraph(child, document).text)
        elif child.tag.endswith("}tbl"):
            for row in Table(child, document).rows:
                lines.extend(cell.text for cell in row.cells)
    return lines


def sections(snap: dict, lines: list[str]) -> dict[str, str]:
    """The text of each step's section, by werkvorm key (from its heading to the next step's)."""
    steps = sorted(snap["steps"], key=lambda s: s["position"])
    heads = [t("pdf.step_heading", n=n, title=s["title"]) for n, s in enumerate(steps, start=1)]
    at = [lines.index(h) for h in heads]  # every step's heading is there
    ends = at[1:] + [len(lines)]
    return {s["werkvorm"]: "\n".join(lines[a + 1:e]) for s, a, e in zip(steps, at, ends)}


def _best_note(snap: dict, step: dict) -> str:
    return next(n["text"] for n in step_rows(snap, step["id"], kinds=("note", "tagged_note")) if is_visible(n))


def _scores(snap: dict, step: dict) -> str:
    from workshop.aggregate import score_table

    aspect = next(a for a in score_table(step_rows(snap, step["id"], kinds=("score",)), step["sections"]) if a.n)
    return f"{aspect.title}\n{number(aspect.mean)}"


def _actions(snap: dict, step: dict) -> str:
    return live_actions(snap)[0]["what"]


def _compass(snap: dict, step: dict) -> str:
    from layouts.compass.report import themes

    return next(th.activities[0] for th in themes(snap, step) if th.activities)


def _rounds(snap: dict, step: dict) -> str:
    from layouts.rounds.report import outcome

    return outcome(snap, step).next_steps[0]


def _choices(snap: dict, step: dict) -> str:
    from layouts.choices.report import step_results

    return step_results(snap, step)[0].options[0].label


def _risks(snap: dict, step: dict) -> str:
    from layouts.risks.report import measures_text, risks_of

    risk = next(r for r in risks_of(snap, step) if r.measures)
    return f"{risk.title}\n{measures_text(risk)}"


def _board(snap: dict, step: dict) -> str:
    row = next(r for r in step_rows(snap, step["id"], kinds=("text",)) if (r["text"] or "").strip())
    return row["text"]


#: Per layout: a piece of a step's content the minutes must hold, from the snapshot.
CONTENT = {"wall": _best_note, "grid": _best_note, "stages": _best_note, "scores": _scores, "actions": _actions,
           "compass": _compass, "rounds": _rounds, "choices": _choices, "risks": _risks, "board": _board}


def test_every_layout_writes_a_minutes_section():
    assert set(CONTENT) == set(layouts.NAMES)  # a new layout needs a probe here
    for name in layouts.NAMES:
        assert callable(getattr(layouts.get(name).report, "docx_section", None)), name


def test_minutes_have_every_werkvorm_with_its_content(snap):
    lines = body_lines(minutes.build_docx(snap))
    parts = sections(snap, lines)
    assert {of_step(s).layout for s in snap["steps"]} == set(layouts.NAMES)  # all of them
    for step in snap["steps"]:
        layout = of_step(step).layout
        piece = minutes._text(CONTENT[layout](snap, step))
        for line in piece.split("\n"):
            assert line in parts[step["werkvorm"]], (step["werkvorm"], line)
    compass = parts["kompas"]
    assert t("pdf.compass.table") in compass and t("compass.gap_empty") in compass
    # the agreements: held by the follow-up plaat's section, so no chapter of their own after the steps
    assert t("minutes.actions") not in lines
    assert t("pdf.actions.what") in parts["followup"]


def test_minutes_keep_an_intervision_confidential(snap):
    lines = body_lines(minutes.build_docx(snap))
    text = "\n".join(lines)
    parts = sections(snap, lines)
    incident = parts["intervisie_incident"]
    assert rounds_demo.QUESTION[0] in incident and t("pdf.rounds.confidential") in incident
    for kept_out in rounds_demo.CASES + rounds_demo.QUESTIONS + rounds_demo.TALK:
        assert kept_out not in text, kept_out  # cases, questions and talk stay out, as in the PDF
    names = [p["name"] for p in snap["participants"] if p["name"]]
    assert names
    for key in ("intervisie_incident", "intervisie_roddel", "intervisie_tienstappen"):
        for name in names:  # (an action's owner may be named in the agreements, as in the PDF)
            assert name not in parts[key], (key, name)


def test_minutes_without_a_follow_up_step_list_the_agreements_in_a_chapter(snap):
    lean = {**snap, "steps": [s for s in snap["steps"] if "action" not in of_step(s).kinds]}
    assert len(lean["steps"]) < len(snap["steps"])
    lines = body_lines(minutes.build_docx(lean))
    at = lines.index(t("minutes.actions"))
    assert live_actions(snap)[0]["what"] in "\n".join(lines[at:])
    assert t("pdf.step_heading", n=1, title=lean["steps"][0]["title"]) in lines
