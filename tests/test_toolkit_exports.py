"""Intervision and the inspiratiekompas in the exports: demo data through the Store API, backup round trip
(revealed rounds and the case giver's marks included), the PDF read back (intervision: only the question,
the chosen advice and the next steps, never a name), the Excel sheets. Storage runs on both databases."""

from __future__ import annotations

import io
import json

import pandas as pd
import pypdf
import pytest

import canvas_models
from exports import backup, demo, pdf, tables
from exports.snapshot import snapshot
from layouts.rounds import demo as rounds_demo
from test_exports import canonical
from messages import t
from workshop import rounds

INTERVISION = ("intervisie_incident", "intervisie_roddel", "intervisie_tienstappen")


@pytest.fixture
def demo_ws(store):
    """A demo of 8 people, played through the Store API as the app's users would."""
    ws, secret = demo.generate(store, 8, seed=5)
    return ws, snapshot(store, ws.id)


def steps_of(snap: dict) -> dict[str, dict]:
    return {s["werkvorm"]: s for s in snap["steps"]}


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_demo_plays_intervision_and_the_compass_through_the_store(store, demo_ws):
    ws, snap = demo_ws
    steps = steps_of(snap)
    for key in INTERVISION:
        step = steps[key]
        wv = canvas_models.get(key)
        assert step["config"]["revealed"] == [s.key for s in wv.sections if s.private_until_reveal]
        marks = [v for v in snap["votes"] if v["step_id"] == step["id"] and v["target_type"] == rounds.MARK]
        assert marks, key
        case = store.chosen_case(store.step(step["id"]))
        assert {v["participant_id"] for v in marks} == {case["participant_id"]}  # only the case giver marks
    compass = steps["kompas"]
    scores = [c for c in snap["contributions"] if c["step_id"] == compass["id"] and c["kind"] == "score"]
    assert len({c["section"] for c in scores}) == 7


def test_backup_round_trip_keeps_reveals_and_marks(store, demo_ws):
    ws, first = demo_ws
    raw = backup.to_json(first)
    copy, _ = backup.restore(store, raw)
    again = snapshot(store, copy.id)
    assert canonical(again) == canonical(first)
    step = steps_of(again)["intervisie_incident"]
    assert step["config"]["revealed"] == ["vragen", "advies"]
    live = store.step(step["id"])
    assert store.marks(live.id) and store.chosen_case(live) is not None


def test_a_mark_on_a_note_that_is_not_in_the_backup_is_refused(store, demo_ws):
    _, snap = demo_ws
    data = json.loads(backup.to_json(snap))
    mark = next(v for v in data["votes"] if v["target_type"] == "mark")
    mark["target_id"] = 10**9
    with pytest.raises(Exception, match="niet inlezen"):
        backup.restore(store, json.dumps(data).encode())


def test_intervision_pdf_keeps_only_question_chosen_advice_and_next_steps():
    snap = backup.read_snapshot(backup.to_json(demo.plan(9, seed=4)))
    text = pdf_text(pdf.build_pdf(snap))
    steps = steps_of(snap)
    start = text.index("Stap 7: Intervisie: incidentmethode")
    section = text[start:text.index("Stap 8:")]
    assert rounds_demo.QUESTION[0] in section
    for advice in rounds_demo.ADVICE:  # two of them were marked by the case giver
        marked = any(v["target_type"] == rounds.MARK and v["step_id"] == steps["intervisie_incident"]["id"]
                     and next(c for c in snap["contributions"] if c["id"] == v["target_id"])["text"] == advice
                     for v in snap["votes"])
        assert (" ".join(advice.split()[:4]) in section) == marked, advice
    for text_ in rounds_demo.NEXT:
        assert text_ in section
    for kept_out in rounds_demo.CASES + rounds_demo.QUESTIONS + rounds_demo.TALK:
        assert kept_out not in text, kept_out  # cases, questions and talk stay out of the whole report
    cover = text[text.index(t("pdf.cover.who")):text.index("Stap 1:")]
    assert t("pdf.cover.confidential") in cover  # a workshop with intervision lists no names on its cover
    for person in snap["participants"]:
        if person["name"]:
            assert person["name"] not in section and person["name"] not in cover
    tien = text[text.index("Stap 9: Intervisie"):]
    assert "De vraag, opnieuw geformuleerd" in tien and rounds_demo.QUESTION[1] in tien


def test_compass_pdf_and_sheet_show_strength_activities_and_gaps():
    snap = backup.read_snapshot(backup.to_json(demo.plan(9, seed=4)))
    text = pdf_text(pdf.build_pdf(snap))
    part = text[text.index("Stap 6: Inspiratiekompas"):text.index("Stap 7:")]
    assert "Sterkte en activiteiten per thema" in part
    assert "Aandacht nodig:" in part and "Eigen thema van de regio" in part.split("Aandacht nodig:")[1]
    sheets = pd.read_excel(io.BytesIO(tables.to_xlsx(snap)), sheet_name=None)
    compass = sheets["6. Inspiratiekompas"]
    assert set(compass["Thema"]) == {s.title for s in canvas_models.get("kompas").sections}
    assert compass["Sterkte (gemiddeld)"].between(1, 5).all()
    empty = compass[compass["Thema"] == "Eigen thema van de regio"]
    assert (empty["Aandacht"].str.contains("nog geen activiteit")).all()


def test_intervision_sheets_hold_no_participants_and_the_dots_sheet_leaves_them_out():
    snap = backup.read_snapshot(backup.to_json(demo.plan(9, seed=4)))
    sheets = pd.read_excel(io.BytesIO(tables.to_xlsx(snap)), sheet_name=None)
    incident = sheets["7. Intervisie incidentmethode…"]
    assert list(incident.columns) == ["Onderdeel", "Tekst"]
    assert set(incident["Onderdeel"]) == {"Vraag", "Gekozen advies", "Volgende stap"}
    ids = {steps_of(snap)[k]["id"] for k in INTERVISION}
    assert any(v["step_id"] in ids for v in snap["votes"])
    dots = sheets["Stippen"]
    for kept_out in rounds_demo.CASES:
        assert not dots["Tekst"].astype(str).str.contains(kept_out, regex=False).any()


def test_a_workshop_with_an_intervision_keeps_names_out_of_the_participants_sheet():
    """As on the PDF's cover: a confidential step (intervision) lists no participant's name."""
    plan = demo.plan(9, seed=4)
    names = [p["name"] for p in plan["participants"] if p["name"]]
    assert names and any(s["werkvorm"] in INTERVISION for s in plan["steps"])
    snap = backup.read_snapshot(backup.to_json(plan))
    for data in (tables.to_xlsx(snap),):
        people = pd.read_excel(io.BytesIO(data), sheet_name=t("table.sheet.participants"))
        assert t("table.col.name") not in people.columns
        assert len(people) == len(plan["participants"])  # still counted, with their organisation
        cells = people.astype(str).to_numpy().ravel().tolist()
        for name in names:
            assert name not in cells, name
    # without the intervision steps the names are listed, as before
    plain = {**snap, "steps": [s for s in snap["steps"] if s["werkvorm"] not in INTERVISION]}
    people = pd.read_excel(io.BytesIO(tables.to_xlsx(plain)), sheet_name=t("table.sheet.participants"))
    assert set(names) <= set(people[t("table.col.name")].astype(str))
