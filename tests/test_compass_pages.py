"""The inspiratiekompas (layout 'compass'): activities under themes and a strength per theme on the phone;
the screen's radar with the values written on it, the themes with their activities, gaps marked."""

from __future__ import annotations

import pytest

import canvas_models
from apptest import page_text, raw_html
from helpers import make_app_room
from messages import t
from apptest import button, charts, create_on_nieuw, no_errors
from workshop import new_key


@pytest.fixture
def room(app_store):
    room = make_app_room(app_store, ("kompas",))
    room.join_as("Anna", "vmbo")
    room.join_as("Bram", "bedrijfsleven")
    return room


def activity(room, who, theme, text):
    step = room.step("kompas")
    return room.store.add_note(who, step.id, section=theme, field="note", text=text, idem_key=new_key())


def strength(room, who, theme, score):
    step = room.step("kompas")
    room.store.answer(who, step.id, section=theme, values={"strength": score}, idem_key=new_key())


def test_the_template_ships_six_placeholder_themes_and_a_region_theme():
    wv = canvas_models.get("kompas")
    assert wv.layout == "compass" and wv.editable_sections
    assert len(wv.sections) == 7 and wv.sections[-1].key == "eigen"
    assert all(s.question.startswith("Voorbeeld") for s in wv.sections[:6])
    assert "plaatsvervangers" in wv.summary  # labelled as placeholders
    assert {f.kind for f in wv.fields} == {"note", "score"}


def test_phone_places_an_activity_and_rates_every_theme(room):
    anna, _ = room.participants
    step = room.step("kompas")
    phone = room.phone(anna)
    no_errors(phone)
    assert t("compass.rate_title") in page_text(phone)
    phone.selectbox(key=f"p{step.id}:section").select("bedrijven").run()
    phone.text_area(key=f"p{step.id}:bedrijven:note").input("Gastlessen door monteurs")
    button(phone, t("participant.send")).click().run()
    no_errors(phone)
    notes = room.store.contributions(step.id, kinds=("note",))
    assert [(n["section"], n["text"]) for n in notes] == [("bedrijven", "Gastlessen door monteurs")]

    phone.segmented_control(key=f"pp{step.id}:leerlijnen:strength").set_value(4)
    phone.segmented_control(key=f"pp{step.id}:faciliteiten:strength").set_value(1)
    button(phone, t("compass.rate_save")).click().run()
    no_errors(phone)
    scores = {a["section"]: a["score"] for a in room.store.latest_answers(step.id, anna.id)}
    assert scores == {"leerlijnen": 4, "faciliteiten": 1}


def test_screen_shows_the_compass_with_values_and_gaps_stand_out(room):
    anna, bram = room.participants
    activity(room, anna, "leerlijnen", "Doorstroomdag <b>vmbo-mbo</b>")
    activity(room, bram, "bedrijven", "Echte opdrachten")
    for who, score in ((anna, 4), (bram, 3)):
        strength(room, who, "leerlijnen", score)
    strength(room, anna, "bedrijven", 2)
    strength(room, bram, "bedrijven", 2)

    screen = room.screen()
    no_errors(screen)
    (radar,) = [c for c in charts(screen) if c["data"][0]["type"] == "scatterpolar"]
    trace = radar["data"][0]
    # themes in order: leerlijnen, faciliteiten, docenten, bedrijven, ...
    assert trace["r"][0] == 3.5 and trace["r"][3] == 2.0
    assert trace["text"][0] == "3,5" and trace["text"][3] == "2,0"  # the values are written on the compass
    assert trace["text"][1] == ""  # a theme nobody rated yet: no value (all such sit at the centre)
    assert radar["layout"]["polar"]["radialaxis"]["range"] == [0, 5]
    body = raw_html(screen)
    assert "<b>vmbo-mbo</b>" not in body  # typed text stays text (escaped)
    text = page_text(screen)
    assert "Doorstroomdag <b>vmbo-mbo</b>" in text and "Echte opdrachten" in text
    # Bedrijven is weak (2,0), Faciliteiten has no activity: both are gaps; Leerlijnen is not
    for key, gap in (("leerlijnen", False), ("bedrijven", True), ("faciliteiten", True)):
        title = canvas_models.get("kompas").section(key).title
        block = body.split(f'aria-label="{title}"')[0].rsplit("<section", 1)[1]
        assert ("ss-gap" in block) == gap, key
    assert t("compass.gap_weak") in text and t("compass.gap_empty") in text


def test_facilitator_sees_the_compass_as_a_table_and_the_activities(room):
    anna, _ = room.participants
    activity(room, anna, "docenten", "Studiedag didactiek")
    strength(room, anna, "docenten", 5)
    fac = room.facilitator_page()
    no_errors(fac)
    frames = [d.value for d in fac.dataframe]
    overview = next(f for f in frames if t("compass.col_theme") in f.columns and t("compass.col_gap") in f.columns)
    row = overview[overview[t("compass.col_theme")] == "Professionalisering docenten"].iloc[0]
    assert row[t("compass.col_strength")] == "5,0" and row[t("compass.col_activities")] == 1
    assert any("Studiedag didactiek" in f.to_string() for f in frames)
    assert t("compass.fac_hint") in page_text(fac)


def test_new_workshop_offers_the_compass_and_the_three_intervision_methods(app_store):
    from apptest import open_page

    at = open_page("new")
    chosen = ["kompas", "intervisie_incident", "intervisie_roddel", "intervisie_tienstappen"]
    assert not set(canvas_models.DEFAULT_SELECTION) & set(chosen)  # the rest of the toolkit is chosen on purpose
    assert {canvas_models.get(k).title for k in chosen} <= set(at.selectbox(key="new-add").options)
    ws = app_store.workshop_by_code(create_on_nieuw(at, chosen, title="Intervisie programmamanagers",
                                                    partnership="STO Twente"))
    assert [s.werkvorm_key for s in app_store.steps(ws.id)] == chosen


def test_facilitator_renames_a_placeholder_theme(room):
    step = room.step("kompas")
    fac = room.facilitator_page()
    no_errors(fac)
    (name,) = [w for w in fac.text_input if w.label == t("compass.themes.name", n=7)]
    name.input("Techniek en duurzaamheid")
    button(fac, t("compass.themes.save")).click().run()
    no_errors(fac)
    wv = room.store.step(step.id).werkvorm
    assert wv.sections[-1].title == "Techniek en duurzaamheid" and len(wv.sections) == 7
    assert "Techniek en duurzaamheid" in page_text(room.screen())


def test_an_empty_compass_draws_every_theme_as_a_gap(room):
    room.store.update_step(room.fac, room.step("kompas").id, locked=False)  # the screen leaves the lobby
    screen = room.screen()
    no_errors(screen)
    (radar,) = [c for c in charts(screen) if c["data"][0]["type"] == "scatterpolar"]
    assert radar["data"][0]["text"][:7] == [""] * 7  # no pile of "–" at the centre
    assert raw_html(screen).count('class="ss-theme ss-gap"') == 7
    assert not screen.text_area and not screen.button  # the screen has no controls
