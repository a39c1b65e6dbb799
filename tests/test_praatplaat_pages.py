"""AppTest of the praatplaat on the phone, the screen and the facilitator page, on both databases."""

from __future__ import annotations

import json

from apptest import labels, page_text, raw_html
from helpers import make_app_room
from messages import t
from ui.common import esc
from ui.kinds import UNKNOWN

SCORE_LABEL = "Jouw score (1 = zwak, 5 = sterk)"


def _section_widgets(at, step_id: int, section: str):
    score = at.segmented_control(key=f"pp{step_id}:{section}:score")
    goed = at.text_area(key=f"pp{step_id}:{section}:goed")
    beter = at.text_area(key=f"pp{step_id}:{section}:beter")
    return score, goed, beter


def _latest(store, step_id: int, who) -> dict[tuple[str, str], dict]:
    return {(a["section"], a["field"]): a for a in store.latest_answers(step_id, who.id)}


def _shown(at, step_id: int) -> str:
    """The aspect whose inputs the phone shows (one at a time)."""
    (score,) = at.segmented_control
    return score.key.split(":")[1]


def _go(at, step, index: int):
    """Tap the chip of aspect ``index`` (0-based), as a person jumps to another aspect."""
    (chips,) = at.pills
    chips.set_value(index).run()
    assert not at.exception
    assert _shown(at, step.id) == step.werkvorm.sections[index].key
    return at


def _charts(at) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def _answer(store, who, step_id, section, score, goed="", beter="", key=None):
    store.answer(who, step_id, section=section, values={"score": score, "goed": goed, "beter": beter},
                 idem_key=key or f"{who.id}-{section}-{score}-{goed}")


# ------------------------------------------------------------------ participant
def test_participant_answers_one_aspect_at_a_time_and_each_is_kept(app_store):
    room = make_app_room(app_store)
    step = room.step("praatplaat")
    sections = step.werkvorm.sections
    anna = room.join_as("Anna", "mbo")
    phone = room.phone(anna)
    # one aspect at a time: its title is the heading, once; the labels are the questions alone
    assert [w.label for w in phone.segmented_control] == [SCORE_LABEL]
    assert [w.label for w in phone.text_area] == ["Wat gaat goed?", "Wat moet beter?"]
    assert "(Ambitie)" not in page_text(phone)
    assert "<h3" in raw_html(phone) and ">Ambitie</h3>" in raw_html(phone)
    assert t("praat.aspect_of", n=1, total=5) in page_text(phone)
    assert t("praat.private") in page_text(phone)  # what will be shown, said before anyone types
    assert t("praat.progress", done=0, total=5) in page_text(phone)
    assert t("praat.progress", done=0, total=5) == "0 van 5 aspecten ingevuld"
    assert t("praat.save") not in labels(phone)  # no save button at the bottom of a long form

    # a tap on a score is stored at once, and so is a remark
    score, goed, _ = _section_widgets(phone, step.id, "ambitie")
    score.set_value(4).run()
    assert _latest(app_store, step.id, anna)[("ambitie", "score")]["score"] == 4
    assert t("praat.progress", done=1, total=5) in page_text(phone)
    _section_widgets(phone, step.id, "ambitie")[1].input("We willen allemaal meer techniekleerlingen").run()
    saved = _latest(app_store, step.id, anna)
    assert saved[("ambitie", "goed")]["text"] == "We willen allemaal meer techniekleerlingen"
    assert ("belangen", "score") not in saved  # untouched aspects store nothing

    # "Volgende": the next aspect; a remark typed there is stored when the phone moves on
    phone.button(key=f"pp-next:{step.id}").click().run()
    assert _shown(phone, step.id) == "belangen"
    assert t("praat.aspect_of", n=2, total=5) in page_text(phone)
    _section_widgets(phone, step.id, "belangen")[2].input("Lusten en lasten")
    phone.button(key=f"pp-prev:{step.id}").click().run()
    assert _latest(app_store, step.id, anna)[("belangen", "beter")]["text"] == "Lusten en lasten"
    score, goed, beter = _section_widgets(phone, step.id, "ambitie")  # back: the answers are there
    assert (score.value, goed.value, beter.value) == (4, "We willen allemaal meer techniekleerlingen", "")
    # the chips say which aspects have answers; the one shown is the chosen chip
    (chips,) = phone.pills
    assert chips.value == 0
    chips.set_value(None).run()  # a tap on the chip that is already chosen: it stays chosen, nothing moves
    (chips,) = phone.pills
    assert chips.value == 0 and _shown(phone, step.id) == "ambitie"
    assert chips.options[:3] == ["✓ Ambitie", "✓ Belangen", "Relatie"]

    # change the score, then change it back: each change is stored, newest wins
    _section_widgets(phone, step.id, "ambitie")[0].set_value(2).run()
    assert _latest(app_store, step.id, anna)[("ambitie", "score")]["score"] == 2
    _section_widgets(phone, step.id, "ambitie")[0].set_value(4).run()
    _go(phone, step, 4)
    _section_widgets(phone, step.id, "proces")[0].set_value(UNKNOWN).run()
    saved = _latest(app_store, step.id, anna)
    assert saved[("ambitie", "score")]["score"] == 4
    assert saved[("proces", "score")]["score"] is None  # "weet ik niet"
    assert saved[("proces", "score")]["kind"] == "score"
    assert t("praat.progress", done=3, total=5) in page_text(phone)
    # the last aspect has no "Volgende" but a save button
    assert t("praat.next") not in labels(phone) and t("praat.save") in labels(phone)

    # a fresh browser on the same link shows the saved answers
    again = room.phone(anna)
    score, goed, beter = _section_widgets(again, step.id, "ambitie")
    assert score.value == 4
    assert goed.value == "We willen allemaal meer techniekleerlingen"
    assert beter.value == ""
    assert _section_widgets(_go(again, step, 4), step.id, "proces")[0].value == UNKNOWN
    assert _section_widgets(_go(again, step, 2), step.id, "relatie")[0].value is None
    assert len(sections) == 5


def test_moving_on_twice_stores_one_row_per_change(app_store):
    room = make_app_room(app_store)
    step = room.step("praatplaat")
    anna = room.join_as("Anna", "po")
    phone = _go(room.phone(anna), step, 2)
    _section_widgets(phone, step.id, "relatie")[0].set_value(3).run()
    phone.button(key=f"pp-next:{step.id}").click().run()
    phone.button(key=f"pp-prev:{step.id}").click().run()  # nothing changed: nothing new is stored
    phone.button(key=f"pp-next:{step.id}").click().run()
    rows = [c for c in app_store.contributions(step.id, include_hidden=True) if c["participant_id"] == anna.id]
    assert [(r["section"], r["field"], r["score"]) for r in rows] == [("relatie", "score", 3)]


def test_locked_step_refuses_changes_and_shows_own_answers(app_store):
    room = make_app_room(app_store)
    step = room.step("praatplaat")
    anna = room.join_as("Anna", "vmbo")
    phone = _go(room.phone(anna), step, 1)
    _section_widgets(phone, step.id, "belangen")[1].input("Lusten en lasten eerlijk verdeeld").run()
    _section_widgets(phone, step.id, "belangen")[1].input("Toch niet zo eerlijk")
    app_store.update_step(room.fac, step.id, locked=True)  # the facilitator locks while Anna types
    phone.button(key=f"pp-next:{step.id}").click().run()
    assert phone.error[0].value == t("error.locked")
    assert _latest(app_store, step.id, anna)[("belangen", "goed")]["text"] == "Lusten en lasten eerlijk verdeeld"

    locked = room.phone(anna)
    text = page_text(locked)
    assert t("praat.locked") in text
    assert "Lusten en lasten eerlijk verdeeld" in text  # her own answers, read only
    assert not locked.segmented_control and not locked.text_area
    assert not ({t("praat.save"), t("praat.next"), t("praat.previous")} & labels(locked))


def test_aspects_changed_while_the_form_is_open(app_store):
    room = make_app_room(app_store)
    step = room.step("praatplaat")
    anna = room.join_as("Anna", "hbo")
    phone = room.phone(anna)
    _go(phone, step, 4)
    _section_widgets(phone, step.id, "proces")[1].input("Een helder proces")
    sections = [{"key": s.key, "title": s.title} for s in step.werkvorm.sections if s.key != "proces"]
    app_store.set_sections(room.fac, step.id, sections)  # the facilitator removes "proces" meanwhile
    phone.button(key=f"pp-save:{step.id}").click().run()
    assert phone.success[0].value == t("praat.saved")
    assert _latest(app_store, step.id, anna) == {}  # nothing for an aspect that is gone
    assert "Proces" not in page_text(phone)
    assert _shown(phone, step.id) == "organisatie"  # the last aspect that is left


# ----------------------------------------------------------------------- screen
def test_screen_shows_nothing_of_the_answers_before_the_reveal(app_store):
    room = make_app_room(app_store)
    step = room.step("praatplaat")
    anna, bas = room.join_as("Anna", "mbo"), room.join_as("Bas", "bedrijfsleven")
    room.join_as("Cas", "gemeente")
    _answer(app_store, anna, step.id, "ambitie", 1, goed="GeheimGoed", beter="GeheimBeter")
    _answer(app_store, bas, step.id, "ambitie", 5)

    screen = room.screen()
    assert not screen.exception
    text = page_text(screen)
    assert t("screen.answered", count=2, total=3) in text
    for secret in ("GeheimGoed", "GeheimBeter", "Anna", "Bas", t("praat.screen.differs")):
        assert secret not in text
    assert not _charts(screen)  # no chart, so no score leaks through it either
    assert "Ambitie" in text and "Proces" in text  # the aspects being discussed


def test_reveal_shows_chart_divergence_and_remarks(app_store):
    room = make_app_room(app_store)
    step = room.step("praatplaat")
    people = [room.join_as("Anna", "mbo"), room.join_as("Bram", "mbo"), room.join_as("Bas", "bedrijfsleven"),
              room.join_as("Gea", "gemeente")]
    scores = {"ambitie": (1, 1, 5, 5), "belangen": (3, 3, 3, 4), "relatie": (4, 4, 4, 4)}
    for section, values in scores.items():
        for who, value in zip(people, values):
            _answer(app_store, who, step.id, section, value)
    _answer(app_store, people[0], step.id, "organisatie", 2, goed="Korte lijnen <b>met</b> de gemeente",
            beter="Meer [stageplekken](https://evil.example)")

    fac = room.facilitator_page()
    fac.button(key="reveal").click().run()
    assert not fac.exception
    assert app_store.step(step.id).revealed

    screen = room.screen()
    assert not screen.exception
    charts = _charts(screen)
    assert len(charts) == 1
    names = [trace["name"] for trace in charts[0]["data"]]
    assert names == ["Alle deelnemers (n=4)", "mbo (n=2)", "bedrijfsleven (n=1)", "gemeente (n=1)"]
    overall = charts[0]["data"][0]
    assert overall["x"][:3] == ["ambitie", "belangen", "relatie"]
    assert overall["y"][:3] == [3.0, 3.25, 4.0]
    assert charts[0]["layout"]["font"]["size"] >= 20  # readable from the back of the room
    assert screen.get("plotly_chart")[0].proto.config == json.dumps({"displayModeBar": False, "responsive": True})

    text = page_text(screen)
    assert text.count(t("praat.screen.differs")) >= 1
    differ = t("praat.screen.low_high", low="Mbo", low_mean="1,0", high="Bedrijfsleven", high_mean="5,0")
    assert differ in text  # ambitie: the parties see it differently
    assert "Relatie" in text
    # remarks per aspect, readable as typed but inert: escaped in the markup, with the kind of organisation
    # only, never the name (the phone promises private answers, also in a named workshop)
    assert "Korte lijnen <b>met</b> de gemeente" in text
    assert "Meer [stageplekken](https://evil.example)" in text
    markup = raw_html(screen)
    assert esc("Korte lijnen <b>met</b> de gemeente") in markup and "<b>met</b>" not in markup
    assert esc("Meer [stageplekken](https://evil.example)") in markup and "[stageplekken]" not in markup
    for name in ("Anna", "Bram", "Bas"):
        assert name not in text
    assert "— Mbo" in text


def test_anonymous_workshop_hides_names_on_the_screen(app_store):
    room = make_app_room(app_store, anonymous=True)
    step = room.step("praatplaat")
    zoe = room.join_as("Zoë Zichtbaar", "po")
    _answer(app_store, zoe, step.id, "proces", 3, beter="Afspraken beter vastleggen")
    app_store.update_step(room.fac, step.id, revealed=True)
    text = page_text(room.screen())
    assert "Afspraken beter vastleggen" in text
    assert "Zoë" not in text and "Zo&#235;" not in text


def test_focus_on_one_aspect_and_hidden_remark(app_store):
    room = make_app_room(app_store)
    step = room.step("praatplaat")
    anna = room.join_as("Anna", "mbo")
    _answer(app_store, anna, step.id, "relatie", 4, goed="We kennen elkaar goed", beter="Ongepaste opmerking")
    _answer(app_store, anna, step.id, "ambitie", 2, goed="Alleen in het overzicht")
    app_store.update_step(room.fac, step.id, revealed=True)

    fac = room.facilitator_page()
    bad = next(a for a in app_store.latest_answers(step.id) if a["text"] == "Ongepaste opmerking")
    fac.button(key=f"pp-mod-{bad['id']}").click().run()
    assert not fac.exception
    fac.selectbox(key=f"pp-focus-{step.id}-0").select(3).run()  # aspect 3: relatie
    assert app_store.step(step.id).stage == 3

    screen = room.screen()
    text = page_text(screen)
    assert "We kennen elkaar goed" in text
    assert "Ongepaste opmerking" not in text
    assert "Alleen in het overzicht" not in text
    assert [trace["x"] for trace in _charts(screen)[0]["data"]][0] == ["relatie"]


# ------------------------------------------------------------------ facilitator
def test_facilitator_sees_counts_but_screen_stays_hidden(app_store):
    room = make_app_room(app_store)
    step = room.step("praatplaat")
    anna = room.join_as("Anna", "mbo")
    room.join_as("Bas", "vmbo")
    _answer(app_store, anna, step.id, "ambitie", 2)
    fac = room.facilitator_page()
    assert not fac.exception
    assert t("screen.answered", count=1, total=2) in page_text(fac)
    assert t("praat.fac.hidden") in page_text(fac)
    table = fac.dataframe[0].value
    assert table[t("praat.fac.col_scores")].tolist() == [1, 0, 0, 0, 0]


def test_facilitator_renames_removes_and_adds_aspects(app_store):
    room = make_app_room(app_store)
    step = room.step("praatplaat")
    anna = room.join_as("Anna", "mbo")
    _answer(app_store, anna, step.id, "relatie", 4)
    fac = room.facilitator_page()
    version = next(w.key for w in fac.text_input if w.key and w.key.startswith(f"ppa:{step.id}:")).split(":")[2]
    key = lambda i, part: f"ppa:{step.id}:{version}:{i}:{part}"  # noqa: E731
    assert fac.text_input(key=key(2, "title")).value == "Relatie"
    fac.text_input(key=key(2, "title")).input("Relatie en vertrouwen")
    fac.text_input(key=key(2, "question")).input("Durven we elkaar aan te spreken?")
    fac.checkbox(key=key(4, "remove")).check()
    fac.text_input(key=key("new", "title")).input("Opbrengst")
    fac.text_input(key=key("new", "question")).input("Wat levert het de leerlingen op?")
    fac.button(key=f"FormSubmitter:pp-aspects-{step.id}-{t('praat.aspects.save')}").click().run()
    assert not fac.exception
    assert t("praat.aspects.saved") in page_text(fac)

    sections = app_store.step(step.id).werkvorm.sections
    assert [(s.key, s.title) for s in sections] == [
        ("ambitie", "Ambitie"), ("belangen", "Belangen"), ("relatie", "Relatie en vertrouwen"),
        ("organisatie", "Organisatie"), ("opbrengst", "Opbrengst")]
    assert sections[2].question == "Durven we elkaar aan te spreken?"
    assert sections[2].prompts  # the guiding questions stay with a renamed aspect
    # the renamed aspect keeps its answers; the phone shows the new list
    assert _latest(app_store, step.id, anna)[("relatie", "score")]["score"] == 4
    phone = room.phone(anna)
    (chips,) = phone.pills  # one chip per aspect
    assert chips.options == [
        "Ambitie", "Belangen", "✓ Relatie en vertrouwen", "Organisatie", "Opbrengst"]
    assert _section_widgets(_go(phone, step, 2), step.id, "relatie")[0].value == 4


def test_aspect_editor_errors_are_dutch_and_keep_what_was_typed(app_store):
    room = make_app_room(app_store)
    step = room.step("praatplaat")
    before = app_store.step(step.id).werkvorm.sections
    fac = room.facilitator_page()
    version = next(w.key for w in fac.text_input if w.key and w.key.startswith(f"ppa:{step.id}:")).split(":")[2]
    key = lambda i, part: f"ppa:{step.id}:{version}:{i}:{part}"  # noqa: E731
    submit = f"FormSubmitter:pp-aspects-{step.id}-{t('praat.aspects.save')}"

    fac.text_input(key=key(0, "title")).input("   ")
    fac.text_input(key=key(1, "question")).input("Een nieuwe vraag die bewaard moet blijven")
    fac.button(key=submit).click().run()
    assert t("error.empty", label="Aspect") in [e.value for e in fac.error]
    assert fac.text_input(key=key(1, "question")).value == "Een nieuwe vraag die bewaard moet blijven"

    fac.text_input(key=key(0, "title")).input("Belangen")  # the same name twice
    fac.button(key=submit).click().run()
    assert t("error.duplicate_sections") in [e.value for e in fac.error]

    fac.text_input(key=key(0, "title")).input("Ambitie")
    for i in range(5):
        fac.checkbox(key=key(i, "remove")).check()
    fac.button(key=submit).click().run()
    assert t("error.no_sections") in [e.value for e in fac.error]
    assert app_store.step(step.id).werkvorm.sections == before  # nothing was stored

    for i in range(5):
        fac.checkbox(key=key(i, "remove")).uncheck()
    fac.button(key=submit).click().run()
    assert t("praat.aspects.saved") in page_text(fac)
    assert app_store.step(step.id).werkvorm.sections[1].question == "Een nieuwe vraag die bewaard moet blijven"

    fac.button(key=f"pp-aspects-reset-{step.id}").click().run()
    assert [s.question for s in app_store.step(step.id).werkvorm.sections] == [s.question for s in before]


# ----------------------------------------------------------------- freshness
def test_answers_version_changes_with_every_change(app_store):
    room = make_app_room(app_store)
    step = room.step("praatplaat")
    anna = room.join_as("Anna", "mbo")
    seen = {app_store.answers_version(step.id)}
    assert seen == {(0, 0, 0)}
    _answer(app_store, anna, step.id, "ambitie", 3, goed="Eerste")
    seen.add(app_store.answers_version(step.id))
    _answer(app_store, anna, step.id, "ambitie", 4, goed="Eerste")
    seen.add(app_store.answers_version(step.id))
    row = next(a for a in app_store.latest_answers(step.id) if a["field"] == "goed")
    app_store.moderate(room.fac, row["id"], hidden=True)
    seen.add(app_store.answers_version(step.id))
    assert len(seen) == 4
    app_store.moderate(room.fac, row["id"], hidden=False)
    assert app_store.answers_version(step.id) in seen  # back to an earlier state: the same fingerprint


def test_revealed_screen_follows_new_answers_and_hidden_remarks(app_store):
    room = make_app_room(app_store)
    step = room.step("praatplaat")
    anna, bas = room.join_as("Anna", "mbo"), room.join_as("Bas", "gemeente")
    _answer(app_store, anna, step.id, "ambitie", 2, goed="Eerste opmerking")
    app_store.update_step(room.fac, step.id, revealed=True)
    first = room.screen()
    assert "Eerste opmerking" in page_text(first)
    assert _charts(first)[0]["data"][0]["name"] == "Alle deelnemers (n=1)"

    _answer(app_store, bas, step.id, "ambitie", 5, goed="Tweede opmerking")
    row = next(a for a in app_store.latest_answers(step.id) if a["text"] == "Eerste opmerking")
    app_store.moderate(room.fac, row["id"], hidden=True)
    second = room.screen()
    text = page_text(second)
    assert "Tweede opmerking" in text and "Eerste opmerking" not in text
    assert _charts(second)[0]["data"][0]["name"] == "Alle deelnemers (n=2)"
    assert _charts(second)[0]["data"][0]["y"][0] == 3.5
