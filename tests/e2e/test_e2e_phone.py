"""Phones at 360x740 in Chromium (touch): the praatplaat one aspect at a time, GROW's functions by one tap,
drafts that survive a lock and a reload, and the geometry of every werkvorm's phone states.

Geometry (``e2e.geometry.PHONE``) for each state: no horizontal scroll, who you are visible and not under a
header, every touch target at least 44x44 px, no text cut off. Screenshots: test-artifacts/e2e/phone-*.png.
"""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

import canvas_models
from e2e.drive import ACT_MS, LOAD_MS, PHONE, button, no_app_errors, open_tab, screenshot, settled, textbox
from e2e.flows import create_in_db, join, post_note
from e2e.geometry import PHONE as PHONE_GEOMETRY
from messages import function_label, t
from workshop import db as D
from workshop import new_key
from workshop.store import Store

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PRAAT = canvas_models.get("praatplaat")
SCORE, GOOD, BETTER = (f.label for f in PRAAT.fields)
NOTE = canvas_models.get("brainstorm").fields[0].label
FILLED = "rgb(11, 79, 138)"
#: The height of the page's content (Streamlit scrolls its main area, not the document).
CONTENT_HEIGHT = "() => Math.ceil(document.querySelector('[data-testid=\"stMain\"]').scrollHeight)"  # the chosen score and chip: filled with the accent colour

#: A layout's own words for a closed step on the phone (the rest say "participant.locked").
LOCKED = {"scores": "praat.locked", "risks": "praat.locked", "choices": "choices.locked"}


class Room:
    """The workshop's store, as the facilitator steers it (the cockpit has its own tests)."""

    def __init__(self, db_url: str, code: str, secret: str):
        self.database = D.Database(db_url)
        self.store = Store(self.database)
        self.fac = self.store.authorize(code, secret)
        self.steps = self.store.steps(self.fac.workshop_id)

    def step(self, key: str):
        return next(s for s in self.steps if s.werkvorm_key == key)

    def lock(self, key: str, locked: bool = True) -> None:
        self.store.update_step(self.fac, self.step(key).id, locked=locked)


@pytest.fixture
def room_for(app):
    rooms: list[Room] = []

    def make(*werkvormen: str, **kwargs):
        links = create_in_db(app.db_url, app.url, werkvormen=werkvormen, **kwargs)
        rooms.append(Room(app.db_url, links.code, links.secret))
        return links, rooms[-1]
    yield make
    for room in rooms:
        room.database.dispose()


def fits(page, state: str, problems: list[str], *, joined: bool = True) -> dict:
    """Measure a phone state, save its screenshot, and note what does not fit."""
    settled(page)
    scrolled = page.evaluate("() => document.querySelector('.ss-greeting')?.getBoundingClientRect().top")
    page.evaluate("() => { scrollTo(0, 0); for (const el of document.querySelectorAll('[data-testid=\"stMain\"], "
                  "[data-testid=\"stAppViewContainer\"]')) el.scrollTop = 0; }")  # the top of the page
    found = page.evaluate(PHONE_GEOMETRY)
    found["scrolledGreeting"] = scrolled
    tall = page.evaluate(CONTENT_HEIGHT)
    page.set_viewport_size({"width": 360, "height": max(740, tall)})  # the whole page in one picture
    screenshot(page, f"phone-{state}-360.png")
    page.set_viewport_size({"width": 360, "height": 740})
    if found["scrollWidth"] > 360:
        problems.append(f"{state}: horizontal scroll ({found['scrollWidth']} px)")
    if found["small"]:
        problems.append(f"{state}: touch targets below 44x44 px: {found['small'][:6]}")
    if found["clipped"]:
        problems.append(f"{state}: text cut off: {found['clipped'][:6]}")
    who = found["greeting"]
    if joined and not (who and who["shown"] and who["top"] >= found["headerBottom"]):
        problems.append(f"{state}: who you are is not visible below the header: {who}, header {found['headerBottom']}")
    return found


def _chosen(page, label: str):
    """The checked choices of the radio group ``label`` (the score)."""
    return page.get_by_role("radiogroup", name=label).get_by_role("radio", checked=True)


# ---------------------------------------------------------------------------------------- praatplaat
def test_praatplaat_one_aspect_at_a_time_on_a_phone(app, new_context, room_for, timings):
    links, room = room_for("praatplaat")
    phone = join(new_context, "phone-praat", links, person="Pim", phone=True)
    page = phone.page
    step = room.step("praatplaat")
    first, second = PRAAT.sections[0], PRAAT.sections[1]
    expect(page.get_by_role("heading", name=first.title, exact=True)).to_be_visible(timeout=LOAD_MS)
    expect(page.get_by_text(t("praat.private"))).to_be_visible()  # said before anyone types
    expect(page.get_by_text(t("praat.progress", done=0, total=5), exact=True)).to_be_visible()
    # one score group and two boxes, labelled once, without the aspect in every label
    expect(page.get_by_role("radiogroup", name=SCORE, exact=True)).to_have_count(1)  # drawn a moment later
    expect(textbox(page, GOOD)).to_have_count(1)
    expect(textbox(page, BETTER)).to_have_count(1)
    assert "(" + first.title + ")" not in page.locator('[data-testid="stMain"]').inner_text()
    height = page.evaluate(CONTENT_HEIGHT)

    # a tap on a score is kept at once, and the chosen score is filled with a check, readable as checked
    page.get_by_role("radiogroup", name=SCORE).get_by_role("radio", name="4", exact=True).tap()
    expect(_chosen(page, SCORE)).to_have_count(1)
    expect(_chosen(page, SCORE)).to_have_accessible_name(re.compile(r"4"))
    expect(page.get_by_text(t("praat.progress", done=1, total=5), exact=True)).to_be_visible()
    chosen = _chosen(page, SCORE)
    style = chosen.evaluate("(el) => { const s = getComputedStyle(el); return [s.backgroundColor, s.color,"
                            " getComputedStyle(el, '::before').content]; }")
    assert style == [FILLED, "rgb(255, 255, 255)", '"✓"'], style
    answers = {(a["section"], a["field"]): a for a in room.store.latest_answers(step.id)}
    assert answers[(first.key, "score")]["score"] == 4
    page.get_by_role("radiogroup", name=SCORE).evaluate("(el) => el.scrollIntoView({block: 'center'})")
    screenshot(page, "phone-praatplaat-360x740.png")  # the README's phone picture (docs/)

    # a remark, then "Volgende": kept, and the next aspect is shown
    textbox(page, GOOD).fill("Pim vindt het doel helder")
    button(page, t("praat.next")).tap()
    expect(page.get_by_role("heading", name=second.title, exact=True)).to_be_visible()
    expect(page.get_by_text(t("praat.aspect_of", n=2, total=5), exact=True)).to_be_visible()
    answers = {(a["section"], a["field"]): a for a in room.store.latest_answers(step.id)}
    assert answers[(first.key, "goed")]["text"] == "Pim vindt het doel helder"
    expect(textbox(page, GOOD)).to_have_value("")
    problems: list[str] = []
    heading = page.get_by_role("heading", name=second.title, exact=True).bounding_box()
    assert 0 <= heading["y"] < 740, f"after Volgende the new aspect's heading is at y={heading['y']}"
    found = fits(page, "praatplaat", problems)
    assert not problems, "\n".join(problems)
    # the chip of the first aspect says it has answers; a tap on it goes back, with the answers in place
    page.get_by_role("radiogroup", name=t("praat.aspects")).get_by_role("radio", name=f"✓ {first.title}").tap()
    expect(page.get_by_role("heading", name=first.title, exact=True)).to_be_visible()
    expect(textbox(page, GOOD)).to_have_value("Pim vindt het doel helder")
    expect(_chosen(page, SCORE)).to_have_accessible_name(re.compile(r"4"))
    timings.update(page_height=height, touch_targets=found["targets"])
    assert height < 1800, f"the praatplaat page is {height} px tall (one long form was 3,270)"
    no_app_errors(phone)


# ------------------------------------------------------------------------------------------- GROW
def test_grow_functions_are_chosen_by_one_tap(app, new_context, room_for):
    links, room = room_for("grow")
    phone = join(new_context, "phone-grow", links, person="Gea", phone=True)
    page = phone.page
    pill = page.locator('[data-testid="stButtonGroup"] button', has_text=function_label("opleiden"))
    expect(pill).to_be_visible(timeout=LOAD_MS)
    # Streamlit's multiselect is a combobox: a tap focuses its text field and opens its list, but the list
    # closes when the page scrolls, and a phone scrolls the focused field into view for its keyboard; so
    # the first tap seemed only to focus it. A pill has no text field, no keyboard and no list.
    assert page.get_by_role("combobox", name=t("kind.tags")).count() == 0
    pill.tap()  # one tap chooses it ...
    page.evaluate("() => { for (const el of document.querySelectorAll('[data-testid=\"stMain\"], "
                  "[data-testid=\"stAppViewContainer\"]')) el.scrollTop += 150; }")  # ... also when the page scrolls
    expect(page.locator('[data-testid="stButtonGroup"] button[data-selected="true"]')).to_have_text(
        function_label("opleiden"))
    assert pill.evaluate("(el) => getComputedStyle(el).backgroundColor") == FILLED
    label = canvas_models.get("grow").fields[0].label
    post_note(phone, "Samen zij-instromers opleiden", label=label)
    stored = room.store.contributions(room.step("grow").id)
    assert [(n["text"], n["tags"]) for n in stored] == [("Samen zij-instromers opleiden", ["opleiden"])]
    expect(page.locator('[data-testid="stButtonGroup"] button[data-selected="true"]')).to_have_count(0)  # afresh
    no_app_errors(phone)


# ------------------------------------------------------------------------------------------ drafts
def test_typed_text_survives_a_lock_a_reload_and_comes_back_when_input_reopens(app, new_context, room_for):
    links, room = room_for("brainstorm", "praatplaat", "followup")
    phone = join(new_context, "phone-drafts", links, person="Dirk", phone=True)
    page = phone.page
    typed = "Half getypt: een stagebank voor de regio"
    textbox(page, NOTE).fill(typed)  # typed, not sent
    room.lock("brainstorm")  # the facilitator (or the timer) closes input
    expect(page.get_by_text(t("participant.locked"))).to_be_visible(timeout=ACT_MS)
    expect(textbox(page, NOTE)).to_have_count(0)
    page.reload(wait_until="commit")  # a new session on the same link
    expect(page.get_by_text(t("participant.locked"))).to_be_visible(timeout=LOAD_MS)
    room.lock("brainstorm", False)
    expect(textbox(page, NOTE)).to_have_value(typed, timeout=ACT_MS)  # back when input opens again
    button(page, t("participant.send")).tap()
    expect(page.get_by_text(t("participant.sent"))).to_be_visible()
    assert [n["text"] for n in room.store.contributions(room.step("brainstorm").id)] == [typed]
    expect(textbox(page, NOTE)).to_have_value("")
    assert page.evaluate("() => Object.keys(localStorage).filter((k) => k.startsWith('ss-draft:'))") == []
    page.reload(wait_until="commit")  # sent: the draft is gone, the box stays empty
    expect(textbox(page, NOTE)).to_be_visible(timeout=LOAD_MS)
    settled(page)
    expect(textbox(page, NOTE)).to_have_value("")

    # the praatplaat: a remark typed but not left, then the step changes, the page reloads, input reopens
    praat = room.step("praatplaat")
    room.store.go_to_step(room.fac, praat.position)
    expect(textbox(page, BETTER)).to_be_visible(timeout=ACT_MS)
    remark = "Nog niet af maar wel belangrijk"
    textbox(page, BETTER).fill(remark)
    room.lock("praatplaat")
    expect(page.get_by_text(t("praat.locked"))).to_be_visible(timeout=ACT_MS)
    room.store.go_to_step(room.fac, 0)
    expect(textbox(page, NOTE)).to_be_visible(timeout=ACT_MS)
    page.reload(wait_until="commit")
    expect(textbox(page, NOTE)).to_be_visible(timeout=LOAD_MS)
    room.store.go_to_step(room.fac, praat.position)
    room.lock("praatplaat", False)
    expect(textbox(page, BETTER)).to_have_value(remark, timeout=ACT_MS)
    # and it is stored as if Dirk had left the box
    deadline = time.monotonic() + ACT_MS / 1000
    while True:
        answers = {(a["section"], a["field"]): a["text"] for a in room.store.latest_answers(praat.id)}
        if answers.get((PRAAT.sections[0].key, "beter")) == remark or time.monotonic() > deadline:
            break
        time.sleep(0.1)  # poll interval of the database check
    assert answers.get((PRAAT.sections[0].key, "beter")) == remark, answers

    # a proposal in the follow-up plaat: its boxes come back after a lock and a reload
    room.store.go_to_step(room.fac, room.step("followup").position)
    what, owner = t("kind.action.what"), t("kind.action.owner")
    expect(textbox(page, what)).to_be_visible(timeout=ACT_MS)
    textbox(page, what).fill("Een stagebank voor de hele regio")
    textbox(page, owner).fill("Dirk")
    room.lock("followup")
    expect(textbox(page, what)).to_have_count(0, timeout=ACT_MS)
    page.reload(wait_until="commit")
    expect(page.get_by_text(t("participant.locked"))).to_be_visible(timeout=LOAD_MS)
    room.lock("followup", False)
    expect(textbox(page, what)).to_have_value("Een stagebank voor de hele regio", timeout=ACT_MS)
    expect(textbox(page, owner)).to_have_value("Dirk")
    button(page, t("followup.propose")).tap()
    expect(page.get_by_text(t("followup.sent"))).to_be_visible()
    assert [(a["what"], a["owner"]) for a in room.store.actions(room.fac.workshop_id)] == [
        ("Een stagebank voor de hele regio", "Dirk")]
    expect(textbox(page, what)).to_have_value("")
    drafts = page.evaluate("() => Object.keys(localStorage).filter((k) => k.startsWith('ss-draft:'))")
    assert not [k for k in drafts if "-action-" in k], drafts  # sent: its drafts are gone
    no_app_errors(phone)


# ---------------------------------------------------------------------------------------- geometry
def test_every_phone_state_fits_360_px(app, new_context, room_for, timings):
    werkvormen = list(canvas_models.REGISTRY)
    links, room = room_for(*werkvormen)
    problems: list[str] = []
    start = open_tab(new_context, "phone-start", f"{app.url}/", **PHONE)
    expect(textbox(start.page, t("join.code"))).to_be_visible()
    fits(start.page, "start", problems, joined=False)
    form = open_tab(new_context, "phone-join", links.join, **PHONE)
    expect(textbox(form.page, t("join.name"))).to_be_visible()
    fits(form.page, "join", problems, joined=False)
    phone = join(new_context, "phone-fit", links, person="Fien van der Zandvoort-Hoogeveen", phone=True)
    page = phone.page
    post_note(phone, "Mijn eigen idee")  # so "Mijn briefjes" is measured too
    states = 2
    for step in room.steps:
        room.store.go_to_step(room.fac, step.position)
        expect(page.get_by_text(t("participant.step", n=step.position + 1, total=len(room.steps)),
                                exact=True)).to_be_visible(timeout=ACT_MS)
        expect(page.get_by_role("heading", name=step.werkvorm.title, exact=True)).to_be_visible()
        fits(page, f"step{step.position + 1}-{step.werkvorm_key}", problems)
        if step.werkvorm.layout == "actions":  # a date field: its letters and what a screen reader hears, Dutch
            field = page.locator('[data-testid="stDateInputField"]')
            expect(field).to_contain_text("jjjj")
            labels = field.locator("[role=spinbutton]").evaluate_all(
                "(els) => els.map((e) => [e.textContent, e.getAttribute('aria-label'), e.getAttribute('aria-valuetext')])")
            assert [label.split(",")[0] for _, label, _ in labels] == ["dag", "maand", "jaar"], labels
            assert {text for _, _, text in labels} == {"leeg"} and "yyyy" not in field.inner_text(), labels
            field.locator("[role=spinbutton]").first.tap()
            page.keyboard.type("31122026")  # the Dutch letters do not get in the way of typing a date
            expect(field).to_contain_text("31")
            expect(field).to_contain_text("2026")
        room.lock(step.werkvorm_key)
        expect(page.get_by_text(t(LOCKED.get(step.werkvorm.layout, "participant.locked")),
                                exact=True)).to_be_visible(timeout=ACT_MS)
        fits(page, f"step{step.position + 1}-{step.werkvorm_key}-locked", problems)
        room.lock(step.werkvorm_key, False)
        states += 2
    wall = room.step("brainstorm")
    other = room.store.join(links.code, name="Bas", org_type="mbo")
    for text in ("Meer stageplekken", "Gastlessen door bedrijven in de bovenbouw van het vmbo, elke maand één",
                 "Samen een open dag"):
        room.store.add_note(other, wall.id, section=wall.werkvorm.sections[0].key, field="note", text=text,
                            idem_key=new_key())
    room.store.go_to_step(room.fac, wall.position)
    room.store.update_step(room.fac, wall.id, voting_open=True)
    dots = room.store.step(wall.id).dots
    expect(page.get_by_text(t("vote.left", left=dots, dots=dots), exact=True)).to_be_visible(timeout=ACT_MS)
    fits(page, "brainstorm-voting", problems)
    timings.update(states=states + 1)
    assert not problems, "phone states that do not fit:\n" + "\n".join(problems)
    no_app_errors(phone)
