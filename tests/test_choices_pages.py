"""AppTest of the 'choices' layout on every page (phone, screen, facilitator) for its three werkvormen:
the professionaliseringsmenu (points), the huishoudelijk reglement (a choice per clause, settled by the
facilitator) and which condition needs attention first (one choice, feeding the follow-up plaat)."""

from __future__ import annotations

import pytest

import canvas_models

from apptest import page_text, raw_html
from helpers import make_app_room
from layouts.choices import logic
from messages import t
from ui.common import md
from apptest import button, charts, create_on_nieuw, no_errors
from workshop import new_key


@pytest.fixture
def room(app_store):
    room = make_app_room(app_store, ("praatplaat", "aandacht", "profmenu", "reglement", "followup"))
    room.join_as("Anna", "vmbo")
    room.join_as("Bram", "bedrijfsleven")
    return room


def results(room, key):
    step = room.step(key)
    rows = room.store.contributions(step.id, include_hidden=True, kinds=logic.KINDS)
    return logic.results(step.werkvorm, rows, step.config)


def points_key(step, option):
    return f"ch:{step.id}:menu:punten:{option}"


# ------------------------------------------------------------------ menu
def test_menu_phone_spreads_points_and_keeps_them_within_the_budget(room):
    step = room.go("profmenu")
    anna = room.participants[0]
    phone = room.phone(anna)
    no_errors(phone)
    assert t("choices.points_intro", budget=5) in page_text(phone)
    labels = [n.label for n in phone.number_input]
    assert len(labels) == 7 and labels[1] == t("choices.points_label", label="Docentstages bij bedrijven")
    phone.number_input(key=points_key(step, "beurs")).set_value(4)
    phone.number_input(key=points_key(step, "netwerk")).set_value(2)
    button(phone, t("choices.points_save")).click().run()
    assert phone.error[0].value == t("error.choices.over", total=6, budget=5, over=1)
    assert phone.number_input(key=points_key(step, "beurs")).value == 4  # what was typed is kept
    assert not results(room, "profmenu")[0].total
    phone.number_input(key=points_key(step, "netwerk")).set_value(1)
    button(phone, t("choices.points_save")).click().run()
    no_errors(phone)
    assert phone.success[0].value == t("choices.points_saved")
    (result,) = results(room, "profmenu")
    assert (result.option("beurs").count, result.option("netwerk").count, result.total) == (4, 1, 5)
    again = room.phone(anna)  # a reload shows the saved spread
    assert again.number_input(key=points_key(step, "beurs")).value == 4
    assert t("choices.points_spent", spent=5, budget=5) in page_text(again)


def test_menu_screen_shows_the_ranking_as_bars_with_the_starting_activities(room):
    step = room.go("profmenu")
    anna, bram = room.participants
    room.store.allocate(anna, step.id, section="menu", points={"beurs": 3, "docentstage": 2}, idem_key=new_key())
    room.store.allocate(bram, step.id, section="menu", points={"docentstage": 4, "netwerk": 1}, idem_key=new_key())
    screen = room.screen()
    no_errors(screen)
    (fig,) = charts(screen)
    bar = fig["data"][0]
    assert bar["orientation"] == "h" and bar["x"][:3] == [6, 3, 1]
    labels = fig["layout"]["yaxis"]["ticktext"]
    assert labels[0].startswith("1. Docentstages") and labels[1].startswith("2. Samen naar een")
    assert bar["marker"]["color"][:3] == ["#0b4f8a", "#0b4f8a", "#7fb2d9"]  # the top two stand out
    text = page_text(screen)
    assert t("choices.screen.start", names="Docentstages bij bedrijven, Samen naar een vakbeurs") in text
    assert t("choices.screen.points_basis", count=2, total=10, budget=5) in text
    assert "Vaste momenten waarop docenten" in text  # the options' explanations beside the chart


def test_menu_facilitator_sets_the_budget_and_makes_starting_activities(room):
    step = room.go("profmenu")
    anna, bram = room.participants
    room.store.allocate(anna, step.id, section="menu", points={"beurs": 5}, idem_key=new_key())
    room.store.allocate(bram, step.id, section="menu", points={"docentstage": 2, "netwerk": 1}, idem_key=new_key())
    fac = room.facilitator_page()
    no_errors(fac)
    text = page_text(fac)
    for line in step.werkvorm.sections[0].script:
        assert line in text
    assert t("choices.fac.start_title") in text
    assert t("choices.points_label", label="x") not in text  # the phone's inputs are not here
    version = room.store.workshop(room.ws.id).state_version
    fac.number_input(key=f"ch-budget-{step.id}-{version}").set_value(4).run()
    no_errors(fac)
    assert room.store.step(step.id).config["points"] == 4
    assert t("choices.fac.over_budget", count=1) in page_text(fac)  # Anna's 5 points no longer fit
    (result,) = results(room, "profmenu")
    assert result.option("beurs").count == 0

    k = f"ch-start-{step.id}-docentstage"
    fac.text_input(key=f"{k}-target").input("Docenten techniek vmbo")
    fac.text_input(key=f"{k}-partner").input("Installatiebedrijf Oost")
    fac.text_input(key=f"{k}-owner").input("Marloes")
    button(fac, t("choices.fac.start_add")).click().run()
    no_errors(fac)
    (action,) = room.store.actions(room.ws.id)
    assert action["what"] == t("choices.action_what", activity="Docentstages bij bedrijven",
                               target="Docenten techniek vmbo")
    assert (action["partner"], action["owner"], action["confirmed"], action["source"]) == (
        "Installatiebedrijf Oost", "Marloes", True, "profmenu")
    assert t("choices.fac.start_added", what=action["what"]) in page_text(fac)
    button(fac, t("choices.fac.start_add")).click().run()  # the second activity, without details
    assert len(room.store.actions(room.ws.id)) == 2
    assert {a["what"] for a in room.store.actions(room.ws.id)} >= {"Netwerk- en themabijeenkomsten"}


def test_menu_facilitator_recognises_starting_activities_of_a_restored_copy(app_store):
    """A restored workshop's actions have new keys; the cockpit still sees which activities were started."""
    from exports import backup
    from exports.snapshot import snapshot

    original = make_app_room(app_store, ("profmenu", "followup"))
    step = original.go("profmenu")
    anna = original.join_as("Anna", "mbo")
    app_store.allocate(anna, step.id, section="menu", points={"beurs": 3, "netwerk": 2}, idem_key=new_key())
    app_store.add_action(original.fac, idem_key=f"choices:{step.id}:beurs", source="profmenu",
                         what=t("choices.action_what", activity="Samen naar een vakbeurs", target="docenten"))
    ws, secret = backup.restore(app_store, backup.to_json(snapshot(app_store, original.ws.id)))
    copy = type(original)(app_store, ws, secret, app_store.authorize(ws.code, secret))
    copy.go("profmenu")
    fac = copy.facilitator_page()
    no_errors(fac)
    text = page_text(fac)
    assert t("choices.fac.start_added", what=t("choices.action_what", activity="Samen naar een vakbeurs",
                                              target="docenten")) in text
    assert [b.label for b in fac.button].count(t("choices.fac.start_add")) == 1  # only the second one is offered


# ------------------------------------------------------------------ reglement
def test_reglement_phone_saves_a_choice_at_the_tap(room):
    step = room.go("reglement")
    anna = room.participants[0]
    phone = room.phone(anna)
    no_errors(phone)
    text = page_text(phone)
    assert "Samenwerking en rollen" in text and "Toetreden en uittreden" in text  # the parts
    assert t("choices.progress", done=0, total=7) in text
    radio = phone.radio(key=f"ch:{step.id}:penvoerder:keuze")
    assert radio.options[:2] == [md("Een vmbo-bestuur"), md("De mbo-instelling")] and radio.value is None
    radio.set_value("mbo").run()
    no_errors(phone)
    assert phone.success[0].value == t("choices.saved")
    assert results(room, "reglement")[0].option("mbo").count == 1
    phone.radio(key=f"ch:{step.id}:penvoerder:keuze").set_value("extern").run()  # changed her mind
    first = results(room, "reglement")[0]
    assert (first.option("mbo").count, first.option("extern").count) == (0, 1)
    again = room.phone(anna)
    assert again.radio(key=f"ch:{step.id}:penvoerder:keuze").value == "extern"
    assert t("choices.progress", done=1, total=7) in page_text(again)

    room.store.update_step(room.fac, step.id, locked=True)
    locked = room.phone(anna)
    no_errors(locked)
    assert t("choices.locked") in page_text(locked) and not locked.radio
    assert "Penvoerder</b>: Een onafhankelijke partij" in raw_html(locked)


def test_reglement_screen_shows_consensus_and_what_is_open(room):
    step = room.go("reglement")
    anna, bram = room.participants
    cem = room.join_as("Cem", "mbo")
    for who in (anna, bram, cem):
        room.store.choose(who, step.id, section="penvoerder", option="mbo", idem_key=new_key())
    for who, option in ((anna, "consensus"), (bram, "meerderheid"), (cem, "twee_derde")):
        room.store.choose(who, step.id, section="besluiten", option=option, idem_key=new_key())
    room.store.settle_choice(room.fac, step.id, section="verdeling", option="projecten")
    screen = room.screen()
    no_errors(screen)
    text = page_text(screen)
    markup = raw_html(screen)
    assert t("choices.screen.open_count", count=5, total=7) in text  # 7 clauses: 1 agreed, 1 settled
    assert "Hoe besluiten we" in text and t("choices.status.tie") in text
    assert t("choices.status.agreed") in text and t("choices.status.settled") in text
    assert t("choices.status.open") in text and "Op projectvoorstellen" in text
    assert 'style="width:100%"' in markup and 'style="left:60%"' in markup  # share bar and consensus mark
    assert markup.count('class="ss-fit-item"') >= 7 and "data-fit" in markup

    room.store.update_step(room.fac, step.id, config={**room.store.step(step.id).config, "screen_focus": "besluiten"})
    focus = room.screen()
    no_errors(focus)
    (fig,) = charts(focus)
    assert fig["data"][0]["x"] == [1, 1, 1]
    text = page_text(focus)
    assert t("choices.screen.focus_open", share="33%", consensus=60) in text
    assert "Bij consensus" in text and "De stuurgroep besluit bij consensus" in text  # the variants' wording

    room.store.settle_choice(room.fac, step.id, section="besluiten", option="twee_derde")
    settled = room.screen()
    assert t("choices.screen.focus_settled", label="Twee derde, geld unaniem") in page_text(settled)


def test_reglement_facilitator_settles_a_clause(room):
    step = room.go("reglement")
    anna = room.participants[0]
    room.store.choose(anna, step.id, section="toetreden", option="allen", idem_key=new_key())
    fac = room.facilitator_page()
    no_errors(fac)
    assert t("choices.fac.settle_title") in page_text(fac)
    version = room.store.workshop(room.ws.id).state_version
    box = fac.selectbox(key=f"ch-settle-{step.id}-toetreden-{version}")
    assert box.options[0] == t("choices.fac.settle_open")
    box.select("allen").run()
    no_errors(fac)
    assert room.store.step(step.id).config["settled"] == {"toetreden": "allen"}
    assert fac.success[0].value == t("choices.fac.settled", title="Toetreden")
    assert [b.label for b in fac.get("download_button")] == [t("choices.fac.draft")]
    version = room.store.workshop(room.ws.id).state_version
    fac.selectbox(key=f"ch-settle-{step.id}-toetreden-{version}").select("").run()
    assert room.store.step(step.id).config["settled"] == {}


# ------------------------------------------------------------------ which condition first
def test_condition_vote_shows_definitions_and_feeds_the_follow_up(room):
    step = room.go("aandacht")
    anna, bram = room.participants
    phone = room.phone(anna)
    no_errors(phone)
    radio = phone.radio(key=f"ch:{step.id}:eerst:keuze")
    assert radio.options == [md(x) for x in ("Ambitie", "Belangen", "Relatie", "Organisatie", "Proces")]
    definitions = [o.info for o in step.werkvorm.sections[0].options]
    assert all(d.split(" - ")[0] in str(radio.proto.captions) for d in definitions)
    radio.set_value("relatie").run()
    room.store.choose(bram, step.id, section="eerst", option="relatie", idem_key=new_key())

    screen = room.screen()
    no_errors(screen)
    text = page_text(screen)
    assert t("choices.pdf.winner", label="Relatie") in text
    for definition in definitions:
        assert definition in text
    (fig,) = charts(screen)
    assert fig["data"][0]["x"][0] == 2

    fac = room.facilitator_page()
    no_errors(fac)
    assert t("choices.fac.winner", labels="Relatie") in page_text(fac)
    follow = room.go("followup")
    phone = room.phone(anna)
    assert phone.selectbox(key=f"fu{follow.id}:action:link").options[:2] == [t("followup.no_link"), "Relatie"]


# ------------------------------------------------------------------ /nieuw
def test_the_choices_werkvormen_can_be_chosen_on_nieuw(app_store):
    from apptest import open_page

    at = open_page("new")
    box = at.selectbox(key="new-add")
    titles = {w.title for w in (canvas_models.get(k) for k in ("aandacht", "profmenu", "reglement"))}
    assert titles <= set(box.options)
    assert [n.value for n in at.number_input] == [canvas_models.get(k).default_minutes
                                                  for k in canvas_models.DEFAULT_SELECTION]  # chosen on purpose, not by default
    code = create_on_nieuw(at, ["praatplaat", "aandacht", "profmenu", "reglement", "followup"],
                           title="Regiobijeenkomst", partnership="STO Noord-Veluwe")
    ws = app_store.workshop_by_code(code)
    assert [s.werkvorm_key for s in app_store.steps(ws.id)] == [
        "praatplaat", "aandacht", "profmenu", "reglement", "followup"]


def test_menu_phone_follows_a_lower_budget_without_breaking(room):
    """A phone that typed more points than a budget the facilitator lowered later still draws, and says
    that its old spread no longer counts."""
    step = room.go("profmenu")
    anna = room.participants[0]
    phone = room.phone(anna)
    phone.number_input(key=points_key(step, "beurs")).set_value(5)
    button(phone, t("choices.points_save")).click().run()
    room.store.set_choice_settings(room.fac, step.id, points=3)
    phone.run()
    no_errors(phone)
    assert phone.number_input(key=points_key(step, "beurs")).value == 3
    assert phone.number_input(key=points_key(step, "beurs")).max == 3
    assert t("choices.points_over_budget", budget=3) in page_text(phone)
