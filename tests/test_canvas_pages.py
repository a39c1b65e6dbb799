"""AppTest for the Education Model Canvas: phone, facilitator and screen, on both databases."""

from __future__ import annotations

import re
from html import unescape

import pytest

from apptest import block, button, charts, html, labels, no_errors, page_text, select_notes, table_state
from helpers import make_app_room
from messages import t
from ui.common import esc
from ui.notetools import digest
from workshop import new_key


@pytest.fixture
def canvas_room(app_store):  # noqa: F811
    room = make_app_room(app_store, ("canvas",))
    room.join_as("Anna", "mbo")
    room.join_as("Bram", "bedrijfsleven")
    return room


def note(room, who, section, text):
    return room.store.add_note(who, room.step("canvas").id, section=section, field="note", text=text,
                               idem_key=new_key())


def test_screen_lays_out_the_nine_blocks_in_the_canvas_grid(canvas_room):
    canvas_room.store.update_workshop(canvas_room.fac, show_join=True)  # any facilitator action ends the lobby
    screen = canvas_room.screen()
    no_errors(screen)
    body = html(screen)
    wv = canvas_room.step("canvas").werkvorm
    assert len(wv.sections) == 9
    for section in wv.sections:
        row, col, rows, cols = section.grid
        assert f"grid-row:{row} / span {rows};grid-column:{col} / span {cols};" in block(screen, section.key)
        assert section.title in body and section.question in body
    assert not screen.button and not screen.text_input and not screen.text_area


def test_participant_adds_notes_to_a_block_and_the_screen_shows_them_there(canvas_room):
    room = canvas_room
    step = room.step("canvas")
    anna = room.participants[0]
    phone = room.phone(anna)
    no_errors(phone)
    phone.selectbox(key=f"p{step.id}:section").select("middelen").run()
    assert "Welke mensen, kennis, ruimtes en budgetten zetten we in?" in html(phone)
    phone.text_area(key=f"p{step.id}:middelen:note").input("Gedeelde <b>technieklokalen</b>")
    button(phone, t("participant.send")).click().run()
    no_errors(phone)
    assert phone.success[0].value == t("participant.sent")
    phone.selectbox(key=f"p{step.id}:section").select("kosten").run()
    phone.text_area(key=f"p{step.id}:kosten:note").input("Uren van docenten")
    button(phone, t("participant.send")).click().run()
    stored = {(n["section"], n["text"]) for n in room.store.contributions(step.id)}
    assert stored == {("middelen", "Gedeelde <b>technieklokalen</b>"), ("kosten", "Uren van docenten")}

    screen = room.screen()
    assert esc("Gedeelde <b>technieklokalen</b>") in block(screen, "middelen")
    assert "Uren van docenten" in block(screen, "kosten")
    assert "Uren van docenten" not in block(screen, "middelen")
    assert "<b>technieklokalen" not in html(screen)


def test_facilitator_edits_moves_merges_and_hides_notes(canvas_room):
    room = canvas_room
    anna, bram = room.participants
    step = room.step("canvas")
    a = note(room, anna, "partners", "Gemeente Enschede")
    b = note(room, bram, "partners", "De gemeente")
    c = note(room, bram, "kernactiviteiten", "Gastlessen")
    d = note(room, anna, "kosten", "Dit hoort er niet bij")

    fac = room.facilitator_page()
    no_errors(fac)
    select_notes(fac, step.id, [c])  # one line selected: its edit form
    fac.text_area(key=f"edit-text-{c}-{digest('Gastlessen')}").input("Gastlessen door vakmensen")
    fac.selectbox(key=f"edit-sec-{c}-kernactiviteiten").select("bereik")
    button(fac, t("notetool.save")).click().run()
    no_errors(fac)
    moved = next(n for n in room.store.contributions(step.id) if n["id"] == c)
    assert (moved["text"], moved["section"]) == ("Gastlessen door vakmensen", "bereik")

    select_notes(fac, step.id, [b, a])  # merged into the first of them
    fac.button(key=f"notes-merge-{step.id}").click().run()
    no_errors(fac)
    merged = {n["id"]: n for n in room.store.contributions(step.id, include_hidden=True)}
    assert merged[b]["merged_into"] == a and merged[b]["hidden"]
    assert table_state(fac, step.id)[b] == t("notetool.merged_mark", id=a)

    select_notes(fac, step.id, [d])
    fac.button(key=f"notes-hide-{step.id}").click().run()
    no_errors(fac)
    assert table_state(fac, step.id)[d] == t("fac.hidden_mark")
    screen = room.screen()
    assert "Gastlessen door vakmensen" in block(screen, "bereik")
    assert "Gastlessen" not in block(screen, "kernactiviteiten")
    assert "Gemeente Enschede" in block(screen, "partners") and "De gemeente" not in html(screen)
    assert "Dit hoort er niet bij" not in html(screen)

    fac = room.facilitator_page()
    select_notes(fac, step.id, [b])
    fac.button(key=f"notes-show-{step.id}").click().run()  # a merged note stands alone again
    no_errors(fac)
    assert "De gemeente" in block(room.screen(), "partners")
    assert table_state(fac, step.id)[b] == ""


def open_round(room, *, dots: int, multi: bool, live: bool):
    step = room.step("canvas")
    fac = room.facilitator_page()
    fac.number_input(key=f"dots-{step.id}").set_value(dots)
    fac.checkbox(key=f"multi-{step.id}").set_value(multi)
    fac.checkbox(key=f"live-{step.id}").set_value(live)
    fac.button(key="vote-open").click().run()
    no_errors(fac)
    return fac


def test_dot_round_with_budget_and_results_only_at_the_end(canvas_room):
    room = canvas_room
    anna, bram = room.participants
    step = room.step("canvas")
    a = note(room, bram, "waardepropositie", "Leerlingen kiezen vaker techniek")
    b = note(room, bram, "doelgroepen", "Vmbo-leerlingen in de regio")
    c = note(room, anna, "kosten", "Coördinatie kost tijd")
    fac = open_round(room, dots=2, multi=False, live=False)
    step = room.store.step(step.id)
    assert (step.voting_open, step.dots, step.multi_dot, step.votes_live) == (True, 2, False, False)

    phone = room.phone(anna)
    laptop = room.phone(anna)  # the same participant on a second device, opened before any dot
    no_errors(phone)
    assert t("vote.left", left=2, dots=2) in page_text(phone)
    assert t("dots.multi_no") in page_text(phone)
    for section in ("Waardepropositie", "Doelgroepen en begunstigden", "Kosten"):
        assert section in html(phone)  # dots are placed block by block
    phone.button(key=f"va:note:{a}").click().run()
    assert phone.button(key=f"va:note:{a}").disabled  # one dot per note in this round
    phone.button(key=f"va:note:{b}").click().run()
    assert t("vote.left", left=0, dots=2) in page_text(phone)
    assert phone.button(key=f"va:note:{c}").disabled
    laptop.button(key=f"va:note:{c}").click().run()  # the stale second device: refused by the store
    assert laptop.error[0].value == t("error.no_dots_left", dots=2)
    assert t("vote.left", left=0, dots=2) in page_text(laptop)
    assert room.store.vote_counts(step.id, "note") == {a: 1, b: 1}

    bram_phone = room.phone(bram)
    bram_phone.button(key=f"va:note:{a}").click().run()
    screen = room.screen()
    no_errors(screen)
    assert t("dots.screen_hidden") in html(screen)
    assert 'class="ss-votes"' not in html(screen) and not charts(screen)  # no tally while the round runs

    fac.button(key="vote-close").click().run()
    screen = room.screen()
    assert '2 ●' in block(screen, "waardepropositie") and '1 ●' in block(screen, "doelgroepen")
    assert not charts(screen)  # the canvas stays; its first places in a strip above it
    top = unescape(re.search(r'<ol class="ss-top".*?</ol>', html(screen), re.S).group(0))
    assert "[Waardepropositie] Leerlingen" in top and top.index("Waardepropositie") < top.index("Doelgroepen")

    # The facilitator puts the results in focus: the screen shows the ranking.
    fac = room.facilitator_page()
    fac.selectbox(key=next(s.key for s in fac.selectbox if s.key.startswith("screen-focus-"))).select("results").run()
    no_errors(fac)
    screen = room.screen()
    (ranking,) = charts(screen)
    labels_on_chart = ranking["layout"]["yaxis"]["ticktext"]
    assert labels_on_chart[0].startswith("1. [Waardepropositie] Leerlingen")
    assert labels_on_chart[1].startswith("2. [Doelgroepen en begunstigden]")


def test_live_tally_and_several_dots_on_one_note(canvas_room):
    room = canvas_room
    anna = room.participants[0]
    step = room.step("canvas")
    a = note(room, anna, "partners", "Bedrijven uit de regio")
    fac = open_round(room, dots=3, multi=True, live=True)
    phone = room.phone(anna)
    for _ in range(3):
        phone.button(key=f"va:note:{a}").click().run()
    assert room.store.vote_counts(step.id, "note") == {a: 3}
    assert phone.button(key=f"va:note:{a}").disabled
    phone.button(key=f"vr:note:{a}").click().run()  # take one back
    assert room.store.vote_counts(step.id, "note") == {a: 2}
    screen = room.screen()
    assert t("dots.screen_live") in html(screen) and "2 ●" in block(screen, "partners")
    fac = room.facilitator_page()
    assert t("dots.status", voters=1, total=2, dots=2) in page_text(fac)


def test_facilitator_clears_the_dots_for_a_new_round(canvas_room):
    room = canvas_room
    anna = room.participants[0]
    step = room.step("canvas")
    a = note(room, anna, "partners", "Bedrijven")
    open_round(room, dots=1, multi=True, live=True)
    room.phone(anna).button(key=f"va:note:{a}").click().run()
    fac = room.facilitator_page()
    assert fac.button(key=f"dots-clear-{step.id}").disabled  # needs the confirmation first
    fac.checkbox(key=f"dots-clear-ok-{step.id}").check().run()
    fac.button(key=f"dots-clear-{step.id}").click().run()
    no_errors(fac)
    assert room.store.vote_counts(step.id, "note") == {}


def test_screen_and_phone_reach_no_facilitator_tool(canvas_room):
    room = canvas_room
    note(room, room.participants[0], "partners", "Bedrijven")
    tools = {t("notetool.pick"), t("notetool.save"), t("notetool.merge"), t("fac.hide"), t("dots.clear"),
             t("vote.open")}
    for at in (room.screen(), room.phone(room.participants[0])):
        no_errors(at)
        assert not (labels(at) & tools)
        assert room.secret not in page_text(at)
