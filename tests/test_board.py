"""The board layout (programme teams across subregions): the werkvorm file, storage of a cell's answers
(both databases), the phone, the screen and the cockpit (AppTest), and the PDF, sheet and backup."""

from __future__ import annotations

import io
from datetime import date
import json

import pydantic
import pypdf
import pytest

import canvas_models
from apptest import page_text, raw_html
from exports import backup, pdf, tables
from exports.snapshot import snapshot
from helpers import assert_dutch, make_app_room
from layouts.board.table import cells
from messages import t
from ui.common import esc
from ui.kinds import UNKNOWN
from workshop.errors import UserError
from workshop.store import new_key

WV = canvas_models.get("teams")
TEAM, OTHER = WV.sections[0].key, WV.sections[1].key
NOORD, OOST = WV.columns[0].key, WV.columns[1].key


def _cell(store, who, step_id, section, column, stand, **texts):
    store.answer(who, step_id, section=section, values={"stand": stand, **texts}, idem_key=new_key(), column=column)


def _room(store):
    room = make_app_room(store, ("teams",))
    return room, room.step("teams")


# ------------------------------------------------------------------ the file
def test_the_teams_werkvorm_is_a_board_of_eight_teams_and_five_subregions():
    assert WV.layout == "board" and len(WV.sections) == 8 and len(WV.columns) == 5
    assert [f.kind for f in WV.fields] == ["score", "text", "text", "text"]
    assert [f.label for f in WV.fields[1:]] == ["Opbrengst", "Succesfactor", "Kan beter"]
    assert "Aangepaste versie" in WV.summary  # the adaptation is labelled as such
    assert "teams" in canvas_models.REGISTRY  # so /nieuw offers it


def test_board_columns_are_checked():
    doc = {**WV.model_dump(), "columns": [{"key": "a", "title": "A"}, {"key": "a", "title": "B"}]}
    with pytest.raises(pydantic.ValidationError, match="column keys must be unique"):
        canvas_models.Werkvorm.model_validate(doc)
    with pytest.raises(pydantic.ValidationError):
        canvas_models.Werkvorm.model_validate({**doc, "columns": [{"key": "A b", "title": "x"}]})
    with pytest.raises(pydantic.ValidationError, match="layout 'board' stores"):
        canvas_models.Werkvorm.model_validate({**WV.model_dump(), "fields": [
            {"key": "n", "kind": "note", "label": "Briefje"}]})
    # a step's own columns win; a stored list that does not validate falls back to the werkvorm's
    own = [{"key": "enschede", "title": "Enschede"}]
    assert [c.title for c in canvas_models.columns_of(WV, {"columns": own})] == ["Enschede"]
    assert canvas_models.columns_of(WV, {"columns": [{"key": "", "title": ""}]}) == WV.columns
    assert canvas_models.columns_of(WV, {"columns": "noord"}) == WV.columns
    assert canvas_models.columns_of(WV, None) == WV.columns


# ------------------------------------------------------------------ storage
def test_a_cell_is_a_team_and_a_subregion_and_the_newest_answer_counts(store):
    ws, secret = store.create_workshop(title="Teams", partnership="STO Twente", day=date(2026, 11, 26), facilitator="F",
                                       werkvormen=["teams"])
    step = store.steps(ws.id)[0]
    anna = store.join(ws.code, name="Anna", org_type="vmbo")
    _cell(store, anna, step.id, TEAM, NOORD, 2, opbrengst="Een techniekdag")
    _cell(store, anna, step.id, TEAM, OOST, None)  # the same team elsewhere: its own cell, "n.v.t."
    _cell(store, anna, step.id, TEAM, NOORD, 4)  # changed her mind in noord
    latest = store.latest_answers(step.id, anna.id)
    by_cell = {(a["section"], a["tags"][0], a["field"]): a for a in latest}
    assert by_cell[(TEAM, NOORD, "stand")]["score"] == 4
    assert by_cell[(TEAM, NOORD, "opbrengst")]["text"] == "Een techniekdag"
    assert by_cell[(TEAM, OOST, "stand")]["score"] is None
    assert len(latest) == 3
    board = cells(store.latest_answers(step.id), [TEAM, OTHER], [NOORD, OOST], ["opbrengst"])
    assert board[(TEAM, NOORD)].mean == 4 and board[(TEAM, NOORD)].n == 1
    assert board[(TEAM, OOST)].only_nvt and board[(TEAM, OOST)].n == 0
    assert board[(OTHER, NOORD)].n == 0 and not board[(OTHER, NOORD)].only_nvt
    # a column that is not on the board is refused in Dutch, and nothing is stored
    with pytest.raises(UserError) as err:
        _cell(store, anna, step.id, TEAM, "atlantis", 3)
    assert_dutch(err.value)
    assert len(store.latest_answers(step.id, anna.id)) == 3


def test_the_facilitator_sets_the_columns_and_answers_follow_their_key(store):
    ws, secret = store.create_workshop(title="Teams", partnership="STO Twente", day=date(2026, 11, 26), facilitator="F",
                                       werkvormen=["teams"])
    fac = store.authorize(ws.code, secret)
    step = store.steps(ws.id)[0]
    store.update_step(fac, step.id, config={**step.config, "sound": True})
    anna = store.join(ws.code, name="Anna", org_type="vmbo")
    _cell(store, anna, step.id, TEAM, NOORD, 3)
    store.set_columns(fac, step.id, [{"key": NOORD, "title": "  Noord-Twente  "}, {"title": "Enschede <b>"}])
    fresh = store.step(step.id)
    cols = canvas_models.columns_of(fresh.werkvorm, fresh.config)
    assert [(c.key, c.title) for c in cols] == [(NOORD, "Noord-Twente"), ("enschede_b", "Enschede <b>")]
    assert fresh.config["sound"] is True  # the step's other settings are kept
    _cell(store, anna, step.id, TEAM, "enschede_b", 5)  # the new column takes answers
    with pytest.raises(UserError):
        _cell(store, anna, step.id, TEAM, OOST, 5)  # a removed one does not
    too_many = [{"title": f"Subregio {i}"} for i in range(13)]
    for bad in ([], [{"title": "A"}, {"title": "a"}], [{"title": ""}], [{"title": "x" * 121}], too_many):
        with pytest.raises(UserError) as err:
            store.set_columns(fac, step.id, bad)
        assert_dutch(err.value)
    assert canvas_models.columns_of(WV, store.step(step.id).config) == cols


# ------------------------------------------------------------------ pages
def test_phone_picks_a_subregion_then_rates_team_by_team(app_store):
    room, step = _room(app_store)
    anna = room.join_as("Anna", "mbo")
    phone = room.phone(anna)
    assert t("board.pick_column") in page_text(phone)
    assert not phone.segmented_control  # nothing to rate before a subregion is chosen
    (subregions,) = phone.pills
    subregions.set_value(OOST).run()
    assert not phone.exception
    assert t("board.progress", done=0, total=8, column="Subregio oost") in page_text(phone)
    assert ">Doorlopende leerlijnen</h3>" in raw_html(phone)
    stand = phone.segmented_control(key=f"bd{step.id}:{OOST}:{TEAM}:stand")
    assert stand.options[-1] == t("board.nvt")  # "n.v.t." instead of "weet ik niet"
    stand.set_value(4).run()
    phone.text_area(key=f"bd{step.id}:{OOST}:{TEAM}:kan_beter").input("Meer scholen erbij").run()
    phone.button(key=f"bd-next:{step.id}").click().run()
    phone.segmented_control(key=f"bd{step.id}:{OOST}:{OTHER}:stand").set_value(UNKNOWN).run()
    assert not phone.exception
    saved = {(a["section"], a["tags"][0], a["field"]): a for a in app_store.latest_answers(step.id, anna.id)}
    assert saved[(TEAM, OOST, "stand")]["score"] == 4
    assert saved[(TEAM, OOST, "kan_beter")]["text"] == "Meer scholen erbij"
    assert saved[(OTHER, OOST, "stand")]["score"] is None
    assert t("board.progress", done=2, total=8, column="Subregio oost") in page_text(phone)
    # a fresh browser on the same link starts in the subregion she used
    again = room.phone(anna)
    assert t("board.progress", done=2, total=8, column="Subregio oost") in page_text(again)
    # locked: her answers, read only
    app_store.update_step(room.fac, step.id, locked=True)
    locked = room.phone(anna)
    assert t("participant.locked") in page_text(locked) and "Meer scholen erbij" in page_text(locked)
    assert not locked.segmented_control


def _heatmap(at) -> dict:
    (chart,) = [json.loads(el.proto.spec) for el in at.get("plotly_chart")]
    return chart


def test_screen_shows_the_heatmap_with_numbers_and_nvt_and_the_focus_cell(app_store):
    room, step = _room(app_store)
    a, b, c = room.join(3)
    _cell(app_store, a, step.id, TEAM, NOORD, 2, opbrengst="Gastlessen <script>x</script>")
    _cell(app_store, b, step.id, TEAM, NOORD, 5, kan_beter="Meer tijd")
    _cell(app_store, c, step.id, OTHER, OOST, None)
    screen = room.screen()
    assert not screen.exception
    chart = _heatmap(screen)
    texts = [a["text"] for a in chart["layout"]["annotations"]]
    assert "<b>3,5</b><br>n=2" in texts  # the mean and how many, in the cell
    assert f"<b>{t('board.nvt')}</b>" in texts  # n.v.t. named, not only grey
    assert texts.count("–") == 8 * 5 - 2
    ticks = chart["layout"]["yaxis"]["ticktext"]
    assert ticks[0] == "Doorlopende leerlijnen" and "Techniek in het primair<br>onderwijs" in ticks
    assert t("board.basis", count=3) in page_text(screen)
    assert "Meer tijd" not in page_text(screen)  # no cell in focus: the board alone
    # the facilitator puts a cell in focus: its notes appear, escaped
    app_store.update_step(room.fac, step.id, config={**step.config, "focus": [TEAM, NOORD]})
    screen = room.screen()
    assert "Meer tijd" in page_text(screen) and "Gastlessen" in page_text(screen)
    assert "<script>x" not in raw_html(screen) and esc("<script>x") in raw_html(screen)
    assert "Doorlopende leerlijnen · Subregio noord: 3,5" in page_text(screen)
    shapes = _heatmap(screen)["layout"]["shapes"]
    assert any(s["x0"] == -0.5 and s["y0"] == -0.5 for s in shapes)  # the focus cell is outlined


def _cockpit_with_a_note(app_store, note: str):
    """The board with one participant's state and note in one cell, and the facilitator's page."""
    room, step = _room(app_store)
    room.go("teams")
    (a,) = room.join(1)
    _cell(app_store, a, step.id, OTHER, OOST, 3, succesfactor=note)
    return room, step, room.facilitator_page()


def test_facilitator_chooses_the_focus_cell_and_edits_teams_and_subregions(app_store):
    room, step, cockpit = _cockpit_with_a_note(app_store, "Korte lijnen")
    assert not cockpit.exception
    for line in WV.sections[0].script:  # the script panel, on the facilitator's device only
        assert line in page_text(cockpit) and line not in page_text(room.screen())
    (focus,) = [w for w in cockpit.selectbox if w.key.startswith(f"bd-focus-{step.id}-")]
    assert focus.value == ""  # no cell in focus yet
    focus.set_value(f"{OTHER}\x1f{OOST}").run()
    assert app_store.step(step.id).config["focus"] == [OTHER, OOST]
    assert "Korte lijnen" in page_text(room.screen())
    # rename a subregion and add one; rename a team
    cockpit = room.facilitator_page()
    inputs = [w for w in cockpit.text_input if w.key.startswith(f"bde:{step.id}:columns:")]
    inputs[0].input("Noord-Twente")
    inputs[-1].input("Enschede")
    cockpit.button(key="FormSubmitter:" + f"bd-columns-{step.id}-{t('board.fac.columns.save')}").click().run()
    assert not cockpit.exception
    fresh = app_store.step(step.id)
    titles = [c.title for c in canvas_models.columns_of(fresh.werkvorm, fresh.config)]
    assert titles == ["Noord-Twente", "Subregio oost", "Subregio zuid", "Subregio west", "Subregio midden", "Enschede"]
    rows = [w for w in cockpit.text_input if w.key.startswith(f"bde:{step.id}:rows:")]
    rows[1].input("Techniek op de basisschool")
    cockpit.button(key="FormSubmitter:" + f"bd-rows-{step.id}-{t('board.fac.rows.save')}").click().run()
    sections = app_store.step(step.id).werkvorm.sections
    assert sections[1].key == OTHER and sections[1].title == "Techniek op de basisschool"
    rows = [w for w in cockpit.text_input if w.key.startswith(f"bde:{step.id}:rows:")]
    rows[2].input("Techniek op de basisschool")  # a second team of the same name: refused, in its own words
    cockpit.button(key="FormSubmitter:" + f"bd-rows-{step.id}-{t('board.fac.rows.save')}").click().run()
    assert t("error.duplicate_rows") in page_text(cockpit)
    assert app_store.step(step.id).werkvorm.sections[2].title == WV.sections[2].title
    assert sections[1].question == WV.sections[1].question  # the question stays
    assert "Korte lijnen" in page_text(room.screen())  # answers follow the keys


# ------------------------------------------------------------------ exports
def _filled(store):
    ws, secret = store.create_workshop(title="Teams", partnership="STO Twente", day=date(2026, 11, 26), facilitator="F",
                                       werkvormen=["teams"])
    fac = store.authorize(ws.code, secret)
    step = store.steps(ws.id)[0]
    store.set_columns(fac, step.id, [{"key": NOORD, "title": "Noord-Twente"}, {"title": "Enschede"}])
    a = store.join(ws.code, name="Anna", org_type="vmbo")
    b = store.join(ws.code, name="Bram", org_type="mbo")
    _cell(store, a, step.id, TEAM, NOORD, 2, opbrengst="Techniekdag voor groep 8", kan_beter="Meer docenten")
    _cell(store, b, step.id, TEAM, NOORD, 3)
    _cell(store, b, step.id, OTHER, "enschede", None, succesfactor="Vaste contactpersoon")
    return ws, step


def test_pdf_sheet_and_backup_keep_the_board(store, tmp_path):
    ws, step = _filled(store)
    snap = snapshot(store, ws.id)
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.build_pdf(snap))).pages)
    flat = " ".join(text.split())
    assert t("pdf.board.table") in flat and "Noord-Twente" in flat and "Enschede" in flat
    assert "2,5 (n=2)" in flat and t("board.nvt") in flat
    for note in ("Techniekdag voor groep 8", "Meer docenten", "Vaste contactpersoon"):
        assert note in flat
    assert "Anna" not in flat.split(t("pdf.board.notes"))[1].split("Over de gegevens")[0]  # no names by notes

    sheet = next(v for k, v in tables.tables(snap).items() if "Programmateams" in k)
    assert list(sheet[t("table.col.board_column")]) == ["Noord-Twente", "Noord-Twente", "Enschede"]
    assert list(sheet[t("table.col.board_state")]) == [2, 3, t("board.nvt")]
    assert list(sheet["Opbrengst"])[0] == "Techniekdag voor groep 8"

    copy_ws, _ = backup.restore(store, backup.to_json(snap))
    again = snapshot(store, copy_ws.id)
    (copy_step,) = again["steps"]
    assert copy_step["config"]["columns"] == snap["steps"][0]["config"]["columns"]
    assert sorted((c["section"], c["tags"], c["field"]) for c in again["contributions"]) == \
        sorted((c["section"], c["tags"], c["field"]) for c in snap["contributions"])
    # a backup whose answer names a column that is not on its board keeps the answer outside the board
    raw = json.loads(backup.to_json(snap))
    raw["contributions"][0]["tags"] = ["atlantis"]
    raw["steps"][0]["config"]["columns"][1]["title"] = "Enschede\u202e"
    odd = snapshot(store, backup.restore(store, raw)[0].id)
    assert [] in [c["tags"] for c in odd["contributions"]]
    assert odd["steps"][0]["config"]["columns"][1]["title"] == "Enschede"  # cleaned as if typed


def test_the_board_is_no_praatplaat_in_the_summary_and_the_trend(store):
    """A board has scores too, but per cell: its teams are no praatplaat aspects (where organisation types
    differ, the trend over a partnership's workshops)."""
    from exports import progress, summary

    ws, _ = _filled(store)
    snap = snapshot(store, ws.id)
    assert progress.praat_table(snap) is None
    assert not summary.summarize(snap).has_praatplaat


def test_facilitator_hides_a_cell_note_through_the_shared_answer_lines(app_store):
    room, step, cockpit = _cockpit_with_a_note(app_store, "Ongepaste opmerking")
    row = next(r for r in app_store.latest_answers(step.id) if r["text"] == "Ongepaste opmerking")
    assert "Ongepaste opmerking" in page_text(cockpit)
    cockpit.button(key=f"bd-mod-{row['id']}").click().run()
    assert not cockpit.exception
    assert next(r for r in app_store.latest_answers(step.id) if r["id"] == row["id"])["hidden"]
