"""The proof that a werkvorm is data: a NEW werkvorm, one YAML file in a folder of its own
(``SAMENSPRAAK_WERKVORM_DIR``), reusing the ``stages`` layout, played through with no code change:
phone -> screen -> cockpit -> PDF -> Excel -> JSON backup and restore.

Its titles and groups are in other words than GROW's ("Mogelijkheden", "Advies"): behaviour follows
``role:``, so dots and "make it an action" work all the same.
"""

from __future__ import annotations

import io
import json

import pypdf
import pytest
from openpyxl import load_workbook

import canvas_models
from apptest import button, no_errors, page_text, select_notes
from exports import backup, pdf, tables
from exports.snapshot import snapshot
from helpers import make_app_room
from messages import function_label, t
from test_exports import canonical
from workshop import new_key

INTERVISIE = """\
key: intervisie
title: Intervisie in rondes
summary: >-
  Eén casus, vier rondes: de inbreng, verhelderende vragen, mogelijkheden en advies.
layout: stages
default_minutes: 30
sequential: true
votes: true
tags: [werven, begeleiden]
sections:
  - key: inbreng
    title: "Ronde 1: de inbreng"
    group: Inbreng
    question: Welke casus breng jij in?
  - key: vragen
    title: "Ronde 2: vragen"
    group: Vragen
    question: Welke vraag helpt de inbrenger verder?
  - key: opties
    title: "Ronde 3: mogelijkheden"
    group: Mogelijkheden
    role: options
    question: Wat zou de inbrenger kunnen doen?
  - key: advies
    title: "Ronde 4: advies"
    group: Advies
    role: recommendations
    question: Welk advies geef je mee?
fields:
  - key: bijdrage
    kind: tagged_note
    label: Jouw bijdrage
    max_length: 300
    required: true
"""


@pytest.fixture
def intervisie(tmp_path, monkeypatch):
    folder = tmp_path / "werkvormen"
    folder.mkdir()
    (folder / "intervisie.yaml").write_text(INTERVISIE, encoding="utf-8")
    monkeypatch.setenv(canvas_models.EXTRA_DIR_SETTING, str(folder))
    canvas_models.reload()
    yield canvas_models.get("intervisie")
    monkeypatch.delenv(canvas_models.EXTRA_DIR_SETTING)
    canvas_models.reload()
    assert "intervisie" not in canvas_models.REGISTRY


def _send(room, who, step, section: str, text: str, tags: list[str]) -> None:
    """Type a contribution on the phone and send it, as a participant does."""
    phone = room.phone(who)
    no_errors(phone)
    phone.text_area(key=f"p{step.id}:{section}:bijdrage").input(text)
    phone.pills(key=f"p{step.id}:{section}:bijdrage:tags").set_value(tags)
    button(phone, t("participant.send")).click().run()
    no_errors(phone)


def test_a_new_werkvorm_in_one_yaml_file_plays_through_every_surface(intervisie, app_store):
    assert intervisie.layout == "stages" and [s.key for s in intervisie.with_role("options")] == ["opties"]
    room = make_app_room(app_store, ("intervisie", "followup"), title="Intervisie op dinsdag")
    anna, bram = room.join_as("Anna", "po"), room.join_as("Bram", "mbo")
    step = room.go("intervisie")

    # -- phone: the first round, with the werkvorm's own tags
    phone = room.phone(anna)
    assert "Ronde 1: de inbreng" in page_text(phone) and t("grow.stage_of", n=1, total=4) in page_text(phone)
    assert phone.pills(key=f"p{step.id}:inbreng:bijdrage:tags").options == ["Werven", "Begeleiden"]
    _send(room, anna, step, "inbreng", "Een startende collega loopt vast in de klas", ["begeleiden"])

    # -- the options round: notes, then a round of dots (role: options, whatever the group is called)
    room.store.update_step(room.fac, step.id, stage=2)
    _send(room, anna, step, "opties", "Een vaste maatje voor elke starter", ["begeleiden"])
    _send(room, bram, step, "opties", "Samen werven voor de pabo", ["werven"])
    room.store.update_step(room.fac, step.id, voting_open=True, dots=2)
    option = next(n for n in room.store.contributions(step.id) if n["text"].startswith("Een vaste maatje"))
    phone = room.phone(bram)
    no_errors(phone)
    assert t("grow.stage_of", n=3, total=4) not in page_text(phone)  # voting now, not writing
    room.store.place_vote(bram, step.id, target_type="note", target_id=option["id"], idem_key=new_key())
    room.store.update_step(room.fac, step.id, voting_open=False)

    # -- screen: the round, its notes and its question; nothing of the phone's controls
    screen = room.screen()
    no_errors(screen)
    text = page_text(screen)
    assert "Ronde 3: mogelijkheden" in text and "Wat zou de inbrenger kunnen doen?" in text
    assert "Een vaste maatje voor elke starter" in text and "Samen werven voor de pabo" in text
    assert not screen.text_area and not screen.button

    # -- the advice round: a recommendation becomes an action in the cockpit (role: recommendations)
    room.store.update_step(room.fac, step.id, stage=3)
    _send(room, bram, step, "advies", "Plan een intervisie per kwartaal", ["begeleiden"])
    cockpit = room.facilitator_page()
    no_errors(cockpit)
    assert t("grow.action_hint") in page_text(cockpit)
    advice = next(n for n in room.store.contributions(step.id) if n["section"] == "advies")
    select_notes(cockpit, step.id, [advice["id"]])
    cockpit.button(key=f"notes-act-{step.id}").click().run()
    no_errors(cockpit)
    assert [(a["what"], a["source"], a["link"]) for a in room.store.actions(room.ws.id)] == [
        ("Plan een intervisie per kwartaal", "intervisie", "Ronde 4: advies")]

    # -- PDF: the werkvorm's own section, its tags, its recommendation marked
    snap = snapshot(room.store, room.ws.id)
    reader = pypdf.PdfReader(io.BytesIO(pdf.build_pdf(snap)))
    pdf_text = " ".join((page.extract_text() or "") for page in reader.pages)
    for phrase in ("1. Intervisie in rondes", "Eén casus, vier rondes", "Ronde 3: mogelijkheden",
                   f"Een vaste maatje voor elke starter  [{function_label('begeleiden')}]",
                   f"Ronde 4: advies — {t('pdf.grow.recommendations')}", "Plan een intervisie per kwartaal",
                   t("pdf.grow.matrix")):
        assert " ".join(phrase.split()) in " ".join(pdf_text.split()), phrase
    assert "(1 stip)" in pdf_text

    # -- Excel: one sheet for the werkvorm, a row per note, with its tags and dots
    book = load_workbook(io.BytesIO(tables.to_xlsx(snap)))
    sheet = book["1. Intervisie in rondes"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in row))) for row in sheet.iter_rows(min_row=2)]
    assert {r[t("table.col.text")] for r in rows} == {
        "Een startende collega loopt vast in de klas", "Een vaste maatje voor elke starter",
        "Samen werven voor de pabo", "Plan een intervisie per kwartaal"}
    by_text = {r[t("table.col.text")]: r for r in rows}
    assert by_text["Samen werven voor de pabo"][t("table.col.tags")] == "werven"
    assert by_text["Een vaste maatje voor elke starter"][t("table.col.dots")] == 1
    assert by_text["Plan een intervisie per kwartaal"][t("table.col.section")] == "Ronde 4: advies"

    # -- backup: the JSON restores as a new workshop holding the same
    ws2, _secret = backup.restore(room.store, backup.to_json(snap))
    again = snapshot(room.store, ws2.id)
    assert canonical(again) == canonical(snap)
    assert json.loads(backup.to_json(again))["steps"][0]["werkvorm"] == "intervisie"
