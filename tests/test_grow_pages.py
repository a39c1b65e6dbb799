"""AppTest for the GROW gesprekskaart: stages, script, tagged answers, heatmap, dots and actions."""

from __future__ import annotations

import json
import re

import pytest

from apptest import button, charts, html, no_errors, open_page, page_text, raw_html, select_notes, table_state
from exports import backup
from exports.snapshot import snapshot
import canvas_models
from helpers import make_app_room
from messages import t
from workshop import new_key

FUNCTIONS = canvas_models.get("grow").tags

STAGES = ("goal", "reality_so", "reality_or", "options_so", "options_or", "way_forward")


@pytest.fixture
def grow_room(app_store):  # noqa: F811
    room = make_app_room(app_store, ("grow",), partnership="Partnerschap Oost")
    room.join_as("Anna", "po")
    room.join_as("Bram", "hbo")
    return room


def stage(room, index: int):
    step = room.step("grow")
    room.store.update_step(room.fac, step.id, stage=index)
    return room.store.step(step.id)


def note(room, who, section, text, tags=()):
    return room.store.add_note(who, room.step("grow").id, section=section, field="note", text=text,
                               tags=list(tags), idem_key=new_key())


def heatmap_counts(at) -> list[list[int]]:
    heat = [c for c in charts(at) if c["data"] and c["data"][0]["type"] == "heatmap"]
    assert len(heat) == 1, [c["data"][0]["type"] for c in charts(at)]
    return heat[0]["data"][0]["z"]


def test_facilitator_moves_stage_by_stage_and_the_script_stays_off_the_screen(grow_room):
    room = grow_room
    wv = room.step("grow").werkvorm
    assert tuple(s.key for s in wv.sections) == STAGES
    script = [line for s in wv.sections for line in s.script]
    assert script, "the GROW card ships a facilitator script"

    fac = room.facilitator_page()
    no_errors(fac)
    step = room.step("grow")
    for line in wv.sections[0].script:
        assert line in page_text(fac)  # the script panel on the facilitator's device
    version = room.store.workshop(step.workshop_id).state_version  # the cockpit keys it by the version
    fac.selectbox(key=f"stage-{step.id}-{version}").select(1).run()
    no_errors(fac)
    assert room.store.step(step.id).stage == 1
    for line in wv.sections[1].script:
        assert line in page_text(fac)

    for index, section in enumerate(wv.sections):
        stage(room, index)
        screen = room.screen()
        no_errors(screen)
        text = page_text(screen)
        assert section.title in text and section.question in text
        assert f'aria-current="step">{index + 1}. ' + section.title in html(screen).replace("&#58;", ":")
        for line in script:
            assert line not in text, f"script line on the screen: {line}"
        assert not screen.button and not screen.radio and not screen.text_area


def test_participant_answers_the_current_stage_with_functions_and_the_heatmap_shows_gaps(grow_room):
    room = grow_room
    anna, bram = room.participants
    step = room.step("grow")
    phone = room.phone(anna)
    no_errors(phone)
    assert t("grow.stage_of", n=1, total=6) in page_text(phone)
    assert step.werkvorm.sections[0].prompts[0] in page_text(phone)
    phone.text_area(key=f"p{step.id}:goal:note").input("Meer zij-instromers opleiden")
    phone.pills(key=f"p{step.id}:goal:note:tags").set_value(["werven", "opleiden"])
    button(phone, t("participant.send")).click().run()
    no_errors(phone)
    (stored,) = room.store.contributions(step.id)
    assert (stored["section"], stored["tags"]) == ("goal", ["werven", "opleiden"])

    stage(room, 1)
    phone = room.phone(anna)  # the phone follows the stage
    assert t("grow.stage_of", n=2, total=6) in page_text(phone)
    phone.text_area(key=f"p{step.id}:reality_so:note").input("Begeleiding op school loopt goed")
    phone.pills(key=f"p{step.id}:reality_so:note:tags").set_value(["begeleiden"])
    button(phone, t("participant.send")).click().run()
    note(room, bram, "reality_so", "Nog geen idee")  # without a function

    screen = room.screen()
    no_errors(screen)
    text = page_text(screen)
    assert "Begeleiding op school loopt goed" in text and "Nog geen idee" in text
    assert "Meer zij-instromers opleiden" not in text  # only the current stage's notes
    z = heatmap_counts(screen)
    row = {f: i for i, f in enumerate(FUNCTIONS)}
    assert len(z) == len(FUNCTIONS) + 1 and all(len(r) == len(STAGES) for r in z)
    assert z[row["werven"]][0] == 1 and z[row["opleiden"]][0] == 1 and z[row["begeleiden"]][1] == 1
    assert z[len(FUNCTIONS)][1] == 1  # the untagged row
    assert sum(map(sum, z[:len(FUNCTIONS)])) == 3  # every other cell is a gap
    assert t("chart.heatmap.gaps") in str(charts(screen))


def test_hidden_notes_leave_the_heatmap(grow_room):
    room = grow_room
    anna = room.participants[0]
    a = note(room, anna, "goal", "Verborgen", tags=["matchen"])
    note(room, anna, "goal", "Zichtbaar", tags=["werven"])
    room.store.moderate(room.fac, a, hidden=True)
    z = heatmap_counts(room.screen())
    assert z[FUNCTIONS.index("matchen")][0] == 0 and z[FUNCTIONS.index("werven")][0] == 1


def test_facilitator_edits_tags_of_an_answer(grow_room):
    room = grow_room
    a = note(room, room.participants[0], "goal", "Samen werven", tags=["werven"])
    step = room.step("grow")
    fac = room.facilitator_page()
    select_notes(fac, step.id, [a])
    (tags,) = [m for m in fac.multiselect if m.label == t("kind.tags")]
    tags.set_value(["werven", "matchen"])
    button(fac, t("notetool.save")).click().run()
    no_errors(fac)
    assert room.store.contributions(step.id)[0]["tags"] == ["werven", "matchen"]


def test_options_are_prioritised_with_dots(grow_room):
    room = grow_room
    anna, bram = room.participants
    stage(room, 3)
    a = note(room, anna, "options_so", "Gezamenlijke opleidingsschool")
    stage(room, 4)
    b = note(room, bram, "options_or", "Partnerschap trekt de functie matchen", tags=["matchen"])
    step = room.step("grow")

    fac = room.facilitator_page()
    fac.number_input(key=f"dots-{step.id}").set_value(2)
    fac.button(key="vote-open").click().run()
    no_errors(fac)
    phone = room.phone(anna)
    no_errors(phone)
    body = html(phone)
    assert "Options: Samen Opleiden" in body.replace("&#58;", ":") and "Options: de Onderwijsregio" in \
        body.replace("&#58;", ":")  # both parts of Options, side by side
    phone.button(key=f"va:note:{b}").click().run()
    phone.button(key=f"va:note:{b}").click().run()
    room.phone(bram).button(key=f"va:note:{a}").click().run()
    assert room.store.vote_counts(step.id, "note") == {a: 1, b: 2}

    screen = room.screen()
    ranking = [c for c in charts(screen) if c["data"][0]["type"] == "bar"]
    assert len(ranking) == 1
    first = ranking[0]["layout"]["yaxis"]["ticktext"][0].replace("<br>", " ")
    assert first.startswith("1. [Options: de Onderwijsregio] Partnerschap")

    stage(room, 5)  # at Way forward the phones write again, even with the round still open
    phone = room.phone(anna)
    assert room.step("grow").voting_open
    assert f"p{step.id}:way_forward:note" in [ta.key for ta in phone.text_area]
    assert t("grow.voting_elsewhere") in page_text(room.facilitator_page())


def test_way_forward_recommendation_becomes_one_action(grow_room):
    room = grow_room
    anna = room.participants[0]
    stage(room, 5)
    rec = note(room, anna, "way_forward", "Stel een regionale stagecoördinator aan", tags=["begeleiden"])
    title = room.step("grow").werkvorm.section("way_forward").title
    step = room.step("grow")
    fac, second = room.facilitator_page(), room.facilitator_page()  # two devices, both before the click
    select_notes(fac, step.id, [rec])
    select_notes(second, step.id, [rec])
    fac.button(key=f"notes-act-{step.id}").click().run()
    no_errors(fac)
    assert fac.button(key=f"notes-act-{step.id}").disabled
    second.button(key=f"notes-act-{step.id}").click()  # the stale second device clicks too
    second.run()
    no_errors(second)
    (action,) = room.store.actions(room.ws.id)
    assert (action["what"], action["source"], action["link"]) == (
        "Stel een regionale stagecoördinator aan", "grow", title)
    assert table_state(fac, step.id)[rec] == t("grow.action_made", id=action["id"])
    assert t("grow.is_action") in html(room.screen())


#: Section texts as a hostile backup brings them in: links, an outside image, a directive, LaTeX,
#: a NUL and a right-to-left override.
HOSTILE_TITLE = "[klik](https://evil.example/x) :red[rood] $x^2$ \x00nul \u202eomgekeerd www.evil.example"
HOSTILE_LINE = "![pixel](https://evil.example/t.png) **vet** <b>dik</b> mail a@evil.example"


def _unescaped(value: str) -> list[str]:
    """Markdown that would be interpreted: a bracket, dollar or asterisk without its backslash,
    or an address the autolinker would turn into a link."""
    return re.findall(r"(?<!\\)[\[\]$*]|https?\\?:|www\\?\.|@(?!\u2060)", value)


def test_restored_section_texts_are_cleaned_and_shown_inert(app_store):  # noqa: F811
    """A backup's GROW stage titles and script lines are cleaned like typed text on the way in,
    and every element that renders Markdown (subheader, caption, radio, script) gets them escaped."""
    room = make_app_room(app_store, ("grow",))
    data = json.loads(backup.to_json(snapshot(app_store, room.ws.id)))
    sections = [s.model_dump() for s in room.step("grow").werkvorm.sections]
    for section in sections:
        section["title"] = f"{HOSTILE_TITLE} {section['key']}"
        section["script"] = [HOSTILE_LINE]
    data["steps"][0]["config"] = {"sections": sections}
    ws, secret = backup.restore(app_store, json.dumps(data))
    step = app_store.steps(ws.id)[0]
    stored = step.config["sections"]
    for section in stored:  # cleaned on the way in
        assert "\x00" not in section["title"] and "\u202e" not in section["title"]
        assert section["title"].startswith("[klik](https://evil.example/x) :red[rood] $x^2$ nul omgekeerd")
    fac = open_page("facilitator", room=ws.code, key=secret)
    no_errors(fac)
    shown = ([e.value for e in fac.subheader] + [e.value for e in fac.caption] + [e.value for e in fac.markdown]
             + [str(o) for r in fac.radio for o in r.options])
    mine = [v for v in shown if "rood" in v]
    assert len(mine) >= 2, shown  # the stage radio and the stage heading
    assert not [(v, _unescaped(v)) for v in mine if _unescaped(v)]
    assert HOSTILE_LINE in page_text(fac)  # the script line, as text
    assert "<b>dik</b>" not in raw_html(fac) and "![pixel]" not in "".join(shown)


def test_translating_a_group_title_changes_no_behaviour():
    """Dots on the options and "make it an action" follow ``role:``, never a title or group text:
    GROW with every group and title in other words behaves the same, on the pages and in the PDF."""
    import io
    from types import SimpleNamespace

    import pypdf

    from exports import demo, pdf
    from layouts.stages import views

    grow = canvas_models.get("grow")
    words = {"Goal": "Doel", "Reality": "Stand van zaken", "Options": "Opties", "Way forward": "Vervolg"}
    translated = grow.with_sections([{**s.model_dump(), "group": words[s.group], "title": f"{words[s.group]} {i}"}
                                     for i, s in enumerate(grow.sections)])
    assert not {s.group for s in translated.sections} & set(words)
    for wv in (grow, translated):
        at_options = SimpleNamespace(werkvorm=wv, stage=3, voting_open=True)
        assert views.voting_now(at_options)
        assert [s.key for s in views.option_sections(at_options)] == ["options_so", "options_or"]
        assert views.is_way_forward(at_options, wv.section("way_forward"))
        assert not any(views.is_way_forward(at_options, s) for s in wv.sections if s.key != "way_forward")
        assert not views.voting_now(SimpleNamespace(werkvorm=wv, stage=1, voting_open=True))

    plan = demo.plan(3, seed=1)
    step = next(s for s in plan["steps"] if s["werkvorm"] == "grow")
    step["sections"] = canvas_models.section_dicts(translated)
    pages = pypdf.PdfReader(io.BytesIO(pdf.build_pdf(plan))).pages
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in pages)
    assert f"Vervolg 5 — {t('pdf.grow.recommendations')}" in text
    assert "Opties 3" in text and f"Opties 3 — {t('pdf.grow.recommendations')}" not in text
