"""The regioplan: its werkvormen, the risks layout (matrix, phone, screen, cockpit) and the regioplan
skeleton as .docx and in the PDF, on both databases."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

import canvas_models
from apptest import charts, create_on_nieuw, open_page, page_text, raw_html
from exports import backup
from exports.pdf import build_pdf
from exports.regioplan import build_docx, skeleton
from exports.snapshot import snapshot
from helpers import make_app_room
from layouts.risks import matrix
from messages import t
from ui.common import esc
from test_exports import canonical
from workshop import UserError
from workshop.store import new_key

REGIOPLAN = ("regio_visie", "regio_ideeen", "regio_plan", "regio_risicos", "regio_afspraken")


# ------------------------------------------------------------------ models
def test_the_regioplan_werkvormen_load_over_general_layouts_and_risks():
    layouts = {key: canvas_models.get(key).layout for key in REGIOPLAN}
    assert layouts == {"regio_visie": "stages", "regio_ideeen": "wall", "regio_plan": "actions",
                       "regio_risicos": "risks", "regio_afspraken": "grid"}
    order = list(canvas_models.REGISTRY)
    assert order[order.index(REGIOPLAN[0]):][:5] == list(REGIOPLAN)  # in plan order on /nieuw
    visie = canvas_models.get("regio_visie")
    assert visie.sequential and visie.votes and [s.key for s in visie.with_role("options")] == ["visie"]
    risks = canvas_models.get("regio_risicos")
    assert matrix.score_keys(risks.fields) == ("kans", "impact") and matrix.text_keys(risks.fields) == ("maatregel",)
    assert risks.editable_sections and risks.hidden_until_reveal


def test_a_risks_werkvorm_with_a_note_field_is_refused(tmp_path: Path):
    text = (canvas_models.MODEL_DIR / "regio_risicos.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "regio_risicos.yaml"
    bad.write_text(text.replace("kind: text", "kind: note"), encoding="utf-8")
    with pytest.raises(canvas_models.WerkvormError, match="layout 'risks' stores score, text"):
        canvas_models.load_file(bad)


# ------------------------------------------------------------------ matrix
def _row(i, who, section, field, kind, score=None, text="", hidden=False):
    return {"id": i, "participant_id": who, "section": section, "field": field, "kind": kind, "score": score,
            "text": text, "hidden": hidden}


def test_matrix_places_a_risk_by_its_mean_likelihood_and_impact():
    wv = canvas_models.get("regio_risicos")
    rows = [_row(1, 1, "geld", "kans", "score", 4), _row(2, 2, "geld", "kans", "score", 5),
            _row(3, 1, "geld", "impact", "score", 2), _row(4, 2, "geld", "impact", "score", 3),
            _row(5, 3, "geld", "kans", "score", None),  # "weet ik niet" counts for neither mean
            _row(6, 1, "geld", "maatregel", "text", text="Reserve opnemen"),
            _row(7, 2, "geld", "maatregel", "text", text="Verborgen", hidden=True),
            _row(9, 3, "geld", "maatregel", "text", text="reserve opnemen "),  # the same measure again
            _row(8, 2, "trekkers", "kans", "score", 1)]
    by_key = {r.key: r for r in matrix.risks(rows, wv.sections, wv.fields)}
    geld = by_key["geld"]
    assert (geld.likelihood, geld.impact, geld.cell, geld.weight, geld.level) == (4.5, 2.5, (5, 3), 15, "high")
    assert geld.measures == ["Reserve opnemen"] and geld.n == 2  # people who gave a score
    assert by_key["trekkers"].cell is None and by_key["trekkers"].level == "open"  # no impact yet
    assert [r.key for r in matrix.by_weight(list(by_key.values()))][0] == "geld"
    assert matrix.cell_level(1, 1) == "low" and matrix.cell_level(2, 3) == "medium" and matrix.cell_level(5, 5) == "high"


# ------------------------------------------------------------------ pages
def _rate(store, who, step_id, section, kans, impact, maatregel=""):
    store.answer(who, step_id, section=section, values={"kans": kans, "impact": impact, "maatregel": maatregel},
                 idem_key=new_key())


def test_risk_phone_rates_likelihood_and_impact_and_proposes_a_measure(app_store):
    room = make_app_room(app_store, ("regio_risicos",))
    step = room.step("regio_risicos")
    anna = room.join_as("Anna", "mbo")
    phone = room.phone(anna)
    assert not phone.exception
    assert [w.label for w in phone.segmented_control][:2] == ["Kans", "Impact"]
    assert [w.label for w in phone.text_area] == ["Maatregel"]
    assert "Te weinig trekkers" in raw_html(phone)
    text = page_text(phone)  # in the words of risks, not of the praatplaat's aspects
    assert t("risks.phone.aspect_of", n=1, total=4) == "Risico 1 van 4" and "Risico 1 van 4" in text
    assert t("risks.phone.progress", done=0, total=4) in text and t("risks.phone.private") in text
    assert t("praat.aspect_of", n=1, total=4) not in text
    phone.segmented_control(key=f"pp{step.id}:trekkers:kans").set_value(4).run()
    phone.segmented_control(key=f"pp{step.id}:trekkers:impact").set_value(5).run()
    phone.text_area(key=f"pp{step.id}:trekkers:maatregel").input("Vervanger per activiteit").run()
    assert not phone.exception
    saved = {(a["section"], a["field"]): a for a in app_store.latest_answers(step.id, anna.id)}
    assert saved[("trekkers", "kans")]["score"] == 4 and saved[("trekkers", "impact")]["score"] == 5
    assert saved[("trekkers", "maatregel")]["text"] == "Vervanger per activiteit"


def test_risk_screen_shows_the_matrix_after_the_reveal(app_store):
    room = make_app_room(app_store, ("regio_risicos",))
    step = room.step("regio_risicos")
    anna, bas = room.join_as("Anna", "mbo"), room.join_as("Bas", "bedrijfsleven")
    _rate(app_store, anna, step.id, "geld", 5, 3, "<b>Reserve</b> opnemen")
    _rate(app_store, bas, step.id, "geld", 4, 3)
    hidden = room.screen()
    assert not hidden.exception
    assert 'class="ss-rk-m"' not in raw_html(hidden) and "Reserve" not in page_text(hidden)  # nothing before the reveal

    app_store.update_step(room.fac, step.id, revealed=True)
    screen = room.screen()
    assert not screen.exception
    html = raw_html(screen)
    assert 'class="ss-rk-m"' in html
    # risk 3 ("Budget loopt op", kans 4,5 -> 5, impact 3) sits in the high cell of row 5, column 3
    grid = html.split('class="ss-rk-m"')[1].split('class="ss-rk-axt"')[0]
    cells = grid.split('class="ss-rk-c ')
    row5 = cells[1:6]
    assert '<span class="ss-rk-n">3</span>' in row5[2] and row5[2].startswith("ss-rk-high")
    assert sum('<span class="ss-rk-n">3</span>' in c for c in cells[1:]) == 1
    assert esc("<b>Reserve</b> opnemen") in html and "<b>Reserve</b>" not in html  # user text is inert
    assert "Anna" not in page_text(screen)
    assert esc(t("risk.alt", n=3, title="Budget loopt op", like="4,5", impact="3,0")) in html  # said to a screen reader


def test_risk_cockpit_has_the_table_the_open_risks_and_the_editor(app_store):
    room = make_app_room(app_store, ("regio_risicos",))
    step = room.step("regio_risicos")
    anna = room.join_as("Anna", "mbo")
    _rate(app_store, anna, step.id, "geld", 2, 4, "Reserve opnemen")
    fac = room.facilitator_page()
    assert not fac.exception
    (frame,) = [df.value for df in fac.dataframe if t("risk.col.risk") in df.value.columns]
    geld = frame[frame[t("risk.col.risk")] == "Budget loopt op"].iloc[0]
    assert geld[t("risk.col.likelihood")] == "2,0" and geld[t("risk.col.weight")] == "8"
    assert t("risk.fac.no_measure", risks="Te weinig trekkers, Bedrijven haken af, Geen tijd voor docenten") \
        in page_text(fac)
    assert {t("risk.fac.edit"), t("risk.fac.measures")} <= {e.label for e in fac.expander}


# ------------------------------------------------------- skeleton, backup
def _regioplan_workshop(store):
    ws, secret = store.create_workshop(title="Regioplan Twente", partnership="STO Twente", day=date(2026, 11, 27),
                                       facilitator="Fenna", werkvormen=list(REGIOPLAN), anonymous=False)
    fac = store.authorize(ws.code, secret)
    steps = {s.werkvorm_key: s for s in store.steps(ws.id)}
    anna = store.join(ws.code, name="Anna", org_type="mbo")
    bas = store.join(ws.code, name="Bas", org_type="vmbo")
    visie = steps["regio_visie"]
    store.update_step(fac, visie.id, stage=2)
    weak = store.add_note(anna, visie.id, section="visie", field="note", text="Techniek is overal", idem_key=new_key())
    strong = store.add_note(bas, visie.id, section="visie", field="note",
                            text="In onze regio kiest elke leerling bewust voor techniek", idem_key=new_key())
    store.update_step(fac, visie.id, voting_open=True, dots=3, multi_dot=True)
    store.place_vote(anna, visie.id, target_type="note", target_id=strong, idem_key=new_key())
    store.place_vote(bas, visie.id, target_type="note", target_id=strong, idem_key=new_key())
    store.place_vote(bas, visie.id, target_type="note", target_id=weak, idem_key=new_key())
    store.add_note(anna, steps["regio_ideeen"].id, section="ideeen", field="note", text="Gedeelde technieklokalen",
                   idem_key=new_key())
    store.add_action(fac, what="Stagebank opzetten", owner="Esra", due=date(2027, 3, 1))
    store.add_action(fac, what="Gastlessen plannen")
    risks = steps["regio_risicos"]
    _rate(store, anna, risks.id, "geld", 4, 4, "Reserve van tien procent")
    _rate(store, bas, risks.id, "bedrijven", 2, 5)
    grid = steps["regio_afspraken"]
    store.add_note(anna, grid.id, section="rollen", field="note", text="Penvoerder: ROC", idem_key=new_key())
    store.add_note(bas, grid.id, section="begroting", field="note", text="Uren trekkers: 20.000 euro",
                   idem_key=new_key())
    return ws, fac


def _docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_regioplan_docx_and_pdf_gather_the_four_parts(store):
    ws, _fac = _regioplan_workshop(store)
    snap = snapshot(store, ws.id)
    sk = skeleton(snap)
    assert sk.vision == "In onze regio kiest elke leerling bewust voor techniek"  # the most dots
    text = _docx_text(build_docx(snap))
    for expected in ("In onze regio kiest elke leerling bewust voor techniek", "Gedeelde technieklokalen",
                     "Stagebank opzetten", "Esra", "Budget loopt op", "• Reserve van tien procent",
                     "Penvoerder: ROC", "Uren trekkers: 20.000 euro", t("regioplan.open")):
        assert expected in text, expected
    for point in (t("regioplan.open.no_measure", risk="Bedrijven haken af"),
                  t("regioplan.open.no_owner", what="Gastlessen plannen"),
                  t("regioplan.open.no_due", what="Gastlessen plannen")):
        assert point in text, point
    assert t("regioplan.open.no_measure", risk="Budget loopt op") not in text
    assert "Anna" not in text and "Bas" not in text  # no participant names

    pages = PdfReader(io.BytesIO(build_pdf(snap))).pages
    pdf = " ".join(" ".join(p.extract_text().split()) for p in pages)
    for expected in (t("regioplan.title"), "In onze regio kiest elke leerling bewust voor techniek",
                     "Reserve van tien procent", "Bedrijven haken af", "Uren trekkers: 20.000 euro"):
        assert expected in pdf, expected


def test_regioplan_without_a_vision_sentence_says_so():
    snap = {"workshop": {"title": "Leeg"}, "steps": [
        {"id": 1, "position": 0, "werkvorm": "regio_visie",
         "sections": canvas_models.section_dicts(canvas_models.get("regio_visie"))}],
        "participants": [], "contributions": [], "votes": [], "actions": []}
    text = _docx_text(build_docx(snap))
    assert text.count(t("regioplan.open.no_vision")) == 2  # in the vision part and in the open points


def test_regioplan_backup_round_trip_keeps_risks_and_skeleton(store):
    ws, _fac = _regioplan_workshop(store)
    first = snapshot(store, ws.id)
    copy_ws, _secret = backup.restore(store, backup.to_json(first))
    again = snapshot(store, copy_ws.id)
    assert canonical(again) == canonical(first)
    assert _docx_text(build_docx(again)) == _docx_text(build_docx(first))


def test_risk_answers_outside_the_scale_are_refused(store):
    ws, _fac = _regioplan_workshop(store)
    step = next(s for s in store.steps(ws.id) if s.werkvorm_key == "regio_risicos")
    who = store.join(ws.code, name="Cas", org_type="po")
    with pytest.raises(UserError):
        _rate(store, who, step.id, "geld", 6, 1)
    assert not store.latest_answers(step.id, who.id)


def test_regioplan_download_only_for_a_workshop_with_regioplan_steps(app_store):
    room = make_app_room(app_store, ("regio_visie", "regio_risicos"))
    anna = room.join_as("Anna", "mbo")
    _rate(app_store, anna, room.step("regio_risicos").id, "geld", 3, 3, "Reserve van tien procent")
    fac = room.facilitator_page()
    slot = f"dl:regioplan:{room.ws.id}"
    fac.button(key=f"make-{slot}").click().run()
    assert not fac.exception
    text = _docx_text(fac.session_state[slot])
    assert "Reserve van tien procent" in text and t("regioplan.open.no_vision") in text
    from ui.downloads import file_name

    assert file_name(room.ws, "regioplan").endswith("-regioplan.docx")
    other = make_app_room(app_store, ("brainstorm",))
    page = other.facilitator_page()
    assert not page.exception
    assert f"make-dl:regioplan:{other.ws.id}" not in {b.key for b in page.button}
    assert f"make-dl:docx:{other.ws.id}" in {b.key for b in page.button}  # the other downloads are there


def test_locked_risk_phone_shows_both_own_scores(app_store):
    room = make_app_room(app_store, ("regio_risicos",))
    step = room.step("regio_risicos")
    anna = room.join_as("Anna", "mbo")
    _rate(app_store, anna, step.id, "geld", 2, 5, "Reserve")
    app_store.update_step(room.fac, step.id, locked=True)
    phone = room.phone(anna)
    assert not phone.exception
    html = raw_html(phone)
    assert t("praat.locked") in page_text(phone)
    assert "<li><b>Kans:</b> 2</li>" in html and "<li><b>Impact:</b> 5</li>" in html


def test_facilitator_settles_one_vision_sentence_by_merging_and_editing(store):
    ws, fac = _regioplan_workshop(store)
    step = next(s for s in store.steps(ws.id) if s.werkvorm_key == "regio_visie")
    proposals = [n for n in store.contributions(step.id) if n["section"] == "visie"]
    weak = next(n["id"] for n in proposals if n["text"] == "Techniek is overal")
    # the facilitator keeps the sentence with fewer dots: the merged proposal's dots come along
    store.merge_notes(fac, weak, [n["id"] for n in proposals])
    store.moderate(fac, weak, text="In onze regio kiest elke leerling bewust, en met plezier, voor techniek")
    sk = skeleton(snapshot(store, ws.id))
    assert sk.vision == "In onze regio kiest elke leerling bewust, en met plezier, voor techniek"
    assert t("regioplan.open.no_vision") not in sk.open_points


def test_each_part_can_be_chosen_on_nieuw(app_store):
    at = open_page("new")
    offered = at.selectbox(key="new-add").options  # the titles, in registry order
    titles = [canvas_models.get(k).title for k in REGIOPLAN]
    assert [o for o in offered if o in titles] == titles
    code = create_on_nieuw(at, list(REGIOPLAN), title="Titel", partnership="Regio")
    assert at.success[0].value == t("new.created")
    ws = app_store.workshop_by_code(code)
    assert [s.werkvorm_key for s in app_store.steps(ws.id)] == list(REGIOPLAN)


# ------------------------------------------------------- the vision sentence, settled
SETTLED = "In onze regio kiest elke leerling bewust, en met plezier, voor techniek"


def test_facilitator_settles_the_vision_sentence_in_the_steps_settings(store):
    ws, fac = _regioplan_workshop(store)
    step = next(s for s in store.steps(ws.id) if s.werkvorm_key == "regio_visie")
    store.set_step_config(fac, step.id, screen_focus="results")  # a setting of its own, kept beside it
    store.set_outcome(fac, step.id, "  In onze regio kiest elke leerling bewust,\u202e en met plezier, voor techniek ")
    config = store.step(step.id).config
    assert config["outcome"] == SETTLED and config["screen_focus"] == "results"  # cleaned; the rest kept
    snap = snapshot(store, ws.id)
    assert skeleton(snap).vision == SETTLED  # not the proposal with the most dots
    text = _docx_text(build_docx(snap))
    assert SETTLED in text and "In onze regio kiest elke leerling bewust voor techniek" not in text
    pdf = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(build_pdf(snap))).pages)
    assert t("stages.outcome.report", text=SETTLED) in pdf  # under the vision stage in the step's section
    # the backup keeps it (and a restored copy gives the same regioplan)
    copy_ws, _secret = backup.restore(store, backup.to_json(snap))
    again = snapshot(store, copy_ws.id)
    assert next(s for s in again["steps"] if s["werkvorm"] == "regio_visie")["config"]["outcome"] == SETTLED
    assert _docx_text(build_docx(again)) == text
    # open again: the most dotted proposal leads once more
    store.set_outcome(fac, step.id, None)
    assert skeleton(snapshot(store, ws.id)).vision == "In onze regio kiest elke leerling bewust voor techniek"


def test_a_vision_sentence_too_long_is_refused_and_only_a_settle_step_takes_one(store):
    ws, fac = _regioplan_workshop(store)
    steps = {s.werkvorm_key: s for s in store.steps(ws.id)}
    with pytest.raises(UserError, match="300"):
        store.set_outcome(fac, steps["regio_visie"].id, "x" * 301)
    assert "outcome" not in store.step(steps["regio_visie"].id).config
    with pytest.raises(ValueError):
        store.set_outcome(fac, steps["regio_ideeen"].id, "Een zin")
    other_ws, other_secret = store.create_workshop(title="Ander", partnership="X", day=date(2026, 11, 27),
                                                   facilitator="Y", werkvormen=["regio_visie"])
    stranger = store.authorize(other_ws.code, other_secret)
    from workshop.errors import NotAllowed

    with pytest.raises(NotAllowed):
        store.set_outcome(stranger, steps["regio_visie"].id, "Een zin")


def test_a_backup_with_a_bad_vision_sentence_keeps_only_a_clean_one(store):
    ws, fac = _regioplan_workshop(store)
    snap = snapshot(store, ws.id)
    visie = next(s for s in snap["steps"] if s["werkvorm"] == "regio_visie")
    for value, kept in (("Zin\u0000 met <b>opmaak</b>", "Zin met <b>opmaak</b>"), ("x" * 400, None), (42, None)):
        visie["config"] = {**visie["config"], "outcome": value}
        copy_ws, _ = backup.restore(store, backup.to_json(snap))
        config = next(s for s in snapshot(store, copy_ws.id)["steps"] if s["werkvorm"] == "regio_visie")["config"]
        assert config.get("outcome") == kept, value


def test_cockpit_settles_the_vision_from_a_proposal_and_the_screen_shows_it(app_store):
    room = make_app_room(app_store, ("regio_visie",))
    step = room.step("regio_visie")
    anna, bas = room.join_as("Anna", "mbo"), room.join_as("Bas", "vmbo")
    app_store.update_step(room.fac, step.id, stage=2)
    app_store.add_note(anna, step.id, section="visie", field="note", text="Techniek is *overal*", idem_key=new_key())
    app_store.add_note(bas, step.id, section="visie", field="note", text="Elke leerling kiest bewust",
                       idem_key=new_key())
    fac = room.facilitator_page()
    assert not fac.exception
    pick = fac.selectbox(key=f"outcome-pick-{step.id}")
    assert len(pick.options) == 2  # the proposals of the vision stage
    pick.set_value("Techniek is *overal*").run()
    box = fac.text_area(key=f"fac:outcome-{step.id}")
    assert box.value == "Techniek is *overal*"  # the proposal is taken over, to edit
    box.input("Techniek is *overal* in onze regio")
    fac.button(key=f"FormSubmitter:outcome-form-{step.id}-{t('stages.outcome.save')}").click().run()
    assert not fac.exception
    assert app_store.step(step.id).config["outcome"] == "Techniek is *overal* in onze regio"
    assert t("stages.outcome.saved") in page_text(fac)
    screen = room.screen()
    assert not screen.exception
    assert f'<span class="ss-user">{esc("Techniek is *overal* in onze regio")}</span>' in raw_html(screen)
    assert not charts(screen)  # no functions (tags) to map and no dot round yet: the proposals alone
    # (a sentence too long: the box stops at 300 characters, the store refuses more; tested above)
    fac.button(key=f"outcome-clear-{step.id}").click().run()
    assert app_store.step(step.id).config["outcome"] == "" and t("stages.outcome.cleared") in page_text(fac)
    assert fac.text_area(key=f"fac:outcome-{step.id}").value == ""
    assert 'class="ss-outcome"' not in raw_html(room.screen())


def test_risk_cockpit_hides_a_measure_through_the_shared_answer_lines(app_store):
    room = make_app_room(app_store, ("regio_risicos",))
    step = room.step("regio_risicos")
    anna = room.join_as("Anna", "mbo")
    _rate(app_store, anna, step.id, "geld", 3, 4, "Ongepaste maatregel")
    _rate(app_store, anna, step.id, "bedrijven", 2, 2)  # no measure: no line
    fac = room.facilitator_page()
    row = next(a for a in app_store.latest_answers(step.id) if a["text"] == "Ongepaste maatregel")
    assert [b.key for b in fac.button if b.key and b.key.startswith("pp-mod-")] == [f"pp-mod-{row['id']}"]
    fac.button(key=f"pp-mod-{row['id']}").click().run()
    assert not fac.exception
    assert next(a for a in app_store.latest_answers(step.id) if a["id"] == row["id"])["hidden"]
    assert "Ongepaste maatregel" not in _docx_text(build_docx(snapshot(app_store, room.ws.id)))
