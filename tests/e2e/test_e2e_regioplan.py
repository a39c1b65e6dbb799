"""The regioplan's risk part in Chromium: a phone (360x740, touch) rates a risk's likelihood and impact and
proposes a measure; the projected screen puts the risk's number in its cell of the risk matrix at once."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

import canvas_models
from e2e.drive import ACT_MS, LOAD_MS, button, no_app_errors, screenshot, textbox
from e2e.flows import create_in_db, join, open_screen
from e2e import test_e2e_phone
from messages import t
from workshop import db as D
from workshop.store import Store

pytestmark = [pytest.mark.browser, pytest.mark.slow]

RISKS = canvas_models.get("regio_risicos")
#: The phone tests' workshop in the database, made per test (a fixture).
room_for = test_e2e_phone.room_for
LIKELIHOOD, IMPACT, MEASURE = (f.label for f in RISKS.fields)


def test_risk_rated_on_a_phone_lands_in_the_matrix(app, new_context):
    links = create_in_db(app.db_url, app.url, werkvormen=("regio_risicos",))
    database = D.Database(app.db_url)
    try:
        store = Store(database)
        fac = store.authorize(links.code, links.secret)
        (step,) = store.steps(fac.workshop_id)
        store.go_to_step(fac, 0)
        store.update_step(fac, step.id, revealed=True)
        screen = open_screen(new_context, links)
        expect(screen.page.locator(".ss-rk-m")).to_be_visible(timeout=LOAD_MS)
        phone = join(new_context, "phone-risk", links, person="Pim", phone=True)
        page = phone.page
        first = RISKS.sections[0]
        expect(page.get_by_role("heading", name=first.title, exact=True)).to_be_visible(timeout=LOAD_MS)
        page.get_by_role("radiogroup", name=LIKELIHOOD).get_by_role("radio", name="4", exact=True).tap()
        page.get_by_role("radiogroup", name=IMPACT).get_by_role("radio", name="5", exact=True).tap()
        textbox(page, MEASURE).fill("Een vaste vervanger per trekker")
        button(page, t("praat.next")).tap()
        expect(page.get_by_text(t("risks.phone.aspect_of", n=2, total=len(RISKS.sections)), exact=True)).to_be_visible(
            timeout=ACT_MS)
        saved = {(a["section"], a["field"]): a for a in store.latest_answers(step.id)}
        assert (saved[(first.key, "kans")]["score"], saved[(first.key, "impact")]["score"]) == (4, 5)

        # likelihood 4 is the second row from the top, impact 5 the last column: cell 1 * 5 + 4
        cell = screen.page.locator(".ss-rk-m .ss-rk-c").nth(9)
        expect(cell).to_have_text("1", timeout=ACT_MS)
        expect(cell).to_have_class("ss-rk-c ss-rk-high")
        expect(screen.page.locator(".ss-rk-list")).to_contain_text("Een vaste vervanger per trekker")
        screenshot(screen.page, "screen-regioplan-risks.png")
        no_app_errors(phone)
        no_app_errors(screen)
    finally:
        database.dispose()


def test_facilitator_settles_the_vision_sentence_and_the_screen_shows_it(app, new_context, room_for):
    """The vision stage: a phone proposes a sentence, the facilitator takes it over in the cockpit, sharpens it
    and settles it; the projected screen shows the settled sentence at once and still fits."""
    from e2e.drive import choose
    from e2e.flows import open_facilitator, post_note
    from e2e.test_e2e_screen_fit import _check

    visie = canvas_models.get("regio_visie")
    links, room = room_for("regio_visie")
    step = room.step("regio_visie")
    room.store.update_step(room.fac, step.id, stage=[s.key for s in visie.sections].index("visie"))
    phone = join(new_context, "phone-visie", links, person="Pim", phone=True)
    proposal = "In onze regio kiest elke leerling bewust voor techniek"
    post_note(phone, proposal, label=visie.fields[0].label)
    screen = open_screen(new_context, links)
    fac = open_facilitator(new_context, links)
    page = fac.page
    choose(page, t("stages.outcome.pick"), proposal)
    sentence = textbox(page, t("stages.outcome.label"))
    expect(sentence).to_have_value(proposal)  # taken over, to edit
    settled_text = proposal + ", samen met de bedrijven"
    sentence.fill(settled_text)
    button(page, t("stages.outcome.save")).click()
    expect(page.get_by_text(t("stages.outcome.saved"))).to_be_visible(timeout=ACT_MS)
    assert room.store.step(step.id).config["outcome"] == settled_text
    expect(screen.page.locator(".ss-outcome")).to_contain_text(settled_text, timeout=ACT_MS)
    problems: list[str] = []
    _check(screen.page, "regio-visie-settled", (1920, 1080), problems)
    assert not problems, problems
    for tab in (phone, screen, fac):
        no_app_errors(tab)
