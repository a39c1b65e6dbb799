"""Intervision (layout 'rounds'): the three methods as rounds; cases chosen by dots; questions and advice
private until the facilitator reveals the round; the case giver marks what helps; never a name."""

from __future__ import annotations

import pytest

import canvas_models
from apptest import page_text, raw_html
from helpers import make_app_room
from messages import t
from apptest import button, no_errors
from workshop import UserError, new_key

METHODS = ("intervisie_incident", "intervisie_roddel", "intervisie_tienstappen")
#: Names that must never be shown anywhere for a confidential werkvorm.
NAMES = ("Annelies Vrijhof", "Bartholomeus Kwast", "Cornelia Zeewolde")


@pytest.fixture
def room(app_store):
    room = make_app_room(app_store, ("intervisie_incident",))
    for name, org in zip(NAMES, ("vmbo", "mbo", "bedrijfsleven")):
        room.join_as(name, org)
    return room


def at_round(room, key: str):
    step = room.step("intervisie_incident")
    keys = [s.key for s in step.werkvorm.sections]
    room.store.update_step(room.fac, step.id, stage=keys.index(key))
    return room.store.step(step.id)


def note(room, who, section, text):
    step = room.step("intervisie_incident")
    return room.store.add_note(who, step.id, section=section, field="note", text=text, idem_key=new_key())


def choose_case(room):
    """Anna and Bram bring a case each; the group votes for Bram's."""
    anna, bram, cor = room.participants
    at_round(room, "casussen")
    note(room, anna, "casussen", "Een ouder die boos bleef")
    case = note(room, bram, "casussen", "Mijn team haakt af bij het nieuwe rooster")
    step = room.step("intervisie_incident")
    room.store.update_step(room.fac, step.id, voting_open=True, dots=1)
    for who in (anna, cor):
        room.store.place_vote(who, step.id, target_type="note", target_id=case, idem_key=new_key())
    room.store.update_step(room.fac, step.id, voting_open=False)
    return case


def test_three_methods_are_rounds_with_timed_roles():
    for key in METHODS:
        wv = canvas_models.get(key)
        assert wv.layout == "rounds" and wv.sequential and wv.confidential
        assert all(s.minutes for s in wv.sections), key
        roles = {s.role for s in wv.sections}
        assert {"cases", "question", "advice", "next_steps"} <= roles, key
        assert any(s.private_until_reveal and s.role == "questions" for s in wv.sections), key
        assert any(s.marks for s in wv.sections), key
        assert any(s.vote and s.role == "cases" for s in wv.sections), key
    incident = canvas_models.get("intervisie_incident")
    assert 45 <= sum(s.minutes for s in incident.sections) <= 55  # the short version: about 50 minutes
    assert len(canvas_models.get("intervisie_tienstappen").sections) == 10


def test_a_round_may_only_show_an_earlier_round():
    raw = canvas_models.get("intervisie_roddel").model_dump()
    raw["sections"][1]["shows"] = "vragen"  # a later section
    with pytest.raises(ValueError, match="shows"):
        canvas_models.Werkvorm.model_validate(raw)


def test_the_chosen_case_is_the_most_dotted_and_its_author_is_the_case_giver(room):
    case = choose_case(room)
    chosen = room.store.chosen_case(room.step("intervisie_incident"))
    assert chosen["id"] == case and chosen["participant_id"] == room.participants[1].id


def test_questions_stay_off_the_screen_until_the_reveal_and_no_name_is_ever_shown(room):
    anna, bram, cor = room.participants
    choose_case(room)
    step = at_round(room, "vragen")
    note(room, anna, "vragen", "Wanneer merkte je het voor het eerst?")
    note(room, cor, "vragen", "Wat heb je zelf al geprobeerd?")

    screen = room.screen()
    no_errors(screen)
    text = page_text(screen)
    assert "Wanneer merkte je" not in text and "zelf al geprobeerd" not in text
    assert "2 briefjes geschreven" in text
    assert "Mijn team haakt af" in text  # the chosen case, without its author

    fac = room.facilitator_page()
    no_errors(fac)
    button(fac, t("rounds.reveal")).click().run()
    no_errors(fac)
    assert room.store.step(step.id).config["revealed"] == ["vragen"]

    screen = room.screen()
    no_errors(screen)
    text = page_text(screen)
    assert "Wanneer merkte je" in text and "zelf al geprobeerd" in text
    # the next round shows the revealed questions too
    at_round(room, "informatie")
    text = page_text(room.screen())
    assert "Wanneer merkte je" in text
    screen, fac = room.screen(), room.facilitator_page()
    no_errors(fac)
    # the cockpit's notes table has no name column (the cockpit does list who is in the room, apart)
    tables = "".join(d.value.to_string() for d in fac.dataframe)
    assert "Wanneer merkte je" in tables
    for name in NAMES:
        assert name not in page_text(screen) and name not in raw_html(screen), f"{name} on the screen"
        assert name not in tables, f"{name} beside a note in the cockpit"


def test_advice_is_private_then_the_case_giver_marks_what_helps(room):
    anna, bram, cor = room.participants
    choose_case(room)
    step = at_round(room, "advies")
    helpful = note(room, anna, "advies", "Plan een gesprek met het team")
    note(room, cor, "advies", "Wacht eerst een maand af")

    # the case giver writes no advice and cannot mark before the reveal
    phone = room.phone(bram)
    no_errors(phone)
    assert t("rounds.marks_wait") in page_text(phone) and not phone.text_area
    with pytest.raises(UserError):
        room.store.mark_note(bram, step.id, helpful)
    # the others write, privately
    other = room.phone(anna)
    assert other.text_area and t("rounds.private_hint") in page_text(other)
    assert "Plan een gesprek" not in page_text(room.screen())

    room.store.reveal_section(room.fac, step.id, "advies")
    phone = room.phone(bram)
    no_errors(phone)
    button(phone, t("rounds.mark")).click().run()  # the first advice: Anna's
    no_errors(phone)
    assert room.store.marks(step.id) == {helpful}
    with pytest.raises(UserError):  # only the case giver marks
        room.store.mark_note(anna, step.id, helpful)
    screen = room.screen()
    assert t("rounds.helps_mark") in page_text(screen)
    assert "ss-helps" in raw_html(screen)
    room.store.mark_note(bram, step.id, helpful, False)
    assert room.store.marks(step.id) == set()


def test_rounds_for_the_case_giver_alone(room):
    anna, bram, cor = room.participants
    choose_case(room)
    at_round(room, "afsluiting")
    assert room.phone(bram).text_area  # the case giver writes the next steps
    listener = room.phone(anna)
    no_errors(listener)
    assert not listener.text_area and t("rounds.listen.case_giver") in page_text(listener)
    at_round(room, "informatie")
    assert not room.phone(anna).text_area  # a round of talk
    with pytest.raises(UserError):
        note(room, anna, "informatie", "Toch een briefje")


def test_phones_vote_on_the_cases_and_the_screen_shows_the_ranking(room):
    anna, bram, cor = room.participants
    at_round(room, "casussen")
    note(room, anna, "casussen", "Casus over roosters")
    note(room, bram, "casussen", "Casus over ouders")
    step = room.step("intervisie_incident")
    room.store.update_step(room.fac, step.id, voting_open=True, dots=1, votes_live=True)
    phone = room.phone(cor)
    no_errors(phone)
    button(phone, t("vote.add")).click().run()
    no_errors(phone)
    assert room.store.vote_counts(step.id, "note")
    fac = room.facilitator_page()
    no_errors(fac)
    assert "Casus over roosters" in page_text(room.screen())


def test_reveal_and_marks_in_the_store(room):
    anna, bram, cor = room.participants
    choose_case(room)
    step = room.step("intervisie_incident")
    room.store.update_step(room.fac, step.id, config={**step.config, "screen_focus": "results"})
    other = make_app_room(room.store, ("intervisie_incident",), title="Een andere workshop")
    with pytest.raises(UserError):
        room.store.reveal_section(other.fac, step.id, "vragen")  # not this workshop's facilitator
    room.store.reveal_section(room.fac, step.id, "vragen")
    room.store.reveal_section(room.fac, step.id, "vragen")
    config = room.store.step(step.id).config
    assert config["revealed"] == ["vragen"] and config["screen_focus"] == "results"  # the rest is kept
    room.store.reveal_section(room.fac, step.id, "vragen", False)
    assert room.store.step(step.id).config["revealed"] == []

    at_round(room, "vragen")
    question = note(room, anna, "vragen", "Wat maakt het lastig?")
    with pytest.raises(UserError):  # a round without marks
        room.store.mark_note(bram, step.id, question)
    at_round(room, "advies")
    advice = note(room, cor, "advies", "Vraag hulp van de teamleider")
    room.store.reveal_section(room.fac, step.id, "advies")
    room.store.mark_note(bram, step.id, advice)
    room.store.mark_note(bram, step.id, advice)  # a double tap marks once
    assert room.store.vote_counts(step.id, "mark") == {advice: 1}
    assert room.store.vote_counts(step.id, "note")  # the case dots are untouched


@pytest.mark.parametrize("flag, value", [("writers", "iedereen"), ("role", "casus"), ("marks", "soms")])
def test_round_flags_are_a_fixed_vocabulary(flag, value):
    raw = canvas_models.get("intervisie_incident").model_dump()
    raw["sections"][0][flag] = value
    with pytest.raises(ValueError, match=flag):
        canvas_models.Werkvorm.model_validate(raw)


def test_a_werkvorm_file_with_a_bad_round_flag_names_the_field(tmp_path):
    bad = tmp_path / "intervisie_x.yaml"
    text = (canvas_models.MODEL_DIR / "intervisie_roddel.yaml").read_text(encoding="utf-8")
    bad.write_text(text.replace("key: intervisie_roddel", "key: intervisie_x")
                   .replace("writers: case_giver", "writers: de inbrenger", 1), encoding="utf-8")
    with pytest.raises(canvas_models.WerkvormError, match=r"intervisie_x.yaml: field 'sections\.\d+\.writers'"):
        canvas_models.load_file(bad)
