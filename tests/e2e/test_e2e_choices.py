"""The 'choices' layout in a real browser: the professionaliseringsmenu played with two phones (points
spread on 360 px phones), then the huishoudelijk reglement (a choice per clause at a tap); the projected
screen follows and fits 1920x1080 and 1280x720 in every state (measured as in test_e2e_screen_fit)."""

from __future__ import annotations

import docx
import pytest
from playwright.sync_api import expect

import canvas_models
from e2e.drive import (ACT_MS, LOAD_MS, axe, button, fill, format_violations, no_app_errors, open_tab,
                       screenshot, settled)
from e2e.flows import create_in_db, join, open_facilitator
from e2e.test_e2e_screen_fit import SIZES, _check
from messages import t
from workshop import db as D
from workshop.store import Store

pytestmark = [pytest.mark.browser]

CHART = '[data-testid="stPlotlyChart"] .main-svg'


def spread(tab, points: dict[str, int]) -> None:
    """Type points per activity on the phone and save them."""
    page = tab.page
    for label, value in points.items():
        box = page.get_by_role("spinbutton", name=t("choices.points_label", label=label), exact=True)
        box.fill(str(value))
        box.press("Tab")
    button(page, t("choices.points_save")).click()
    expect(page.get_by_text(t("choices.points_saved"))).to_be_visible(timeout=ACT_MS)


def _axe(tab, where: str, found: dict) -> None:
    """axe-core's rules for labels and contrast (as tests/e2e/test_e2e_a11y.py) on this page."""
    settled(tab.page)
    # (elements Streamlit still greys out after a rerun are no colour of the page's own)
    tab.page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')", timeout=LOAD_MS)
    found[where] = axe(tab.page)["violations"]


def test_menu_and_reglement_with_two_phones_and_a_screen_that_fits(app, new_context):
    links = create_in_db(app.db_url, app.url, werkvormen=("profmenu", "reglement"))
    screens = {size: open_tab(new_context, f"choices-screen-{size[0]}", links.screen,
                              viewport={"width": size[0], "height": size[1]}) for size in SIZES}
    anna = join(new_context, "menu-anna", links, person="Anna", phone=True)
    bram = join(new_context, "menu-bram", links, person="Bram", org="bedrijfsleven", phone=True)
    for tab in (anna, bram):
        expect(tab.page.get_by_text(t("choices.points_intro", budget=5))).to_be_visible(timeout=LOAD_MS)

    too_many = anna.page
    box = too_many.get_by_role("spinbutton", name=t("choices.points_label", label="Samen naar een vakbeurs"),
                                exact=True)
    box.fill("5")
    box.press("Tab")
    other = too_many.get_by_role("spinbutton", name=t("choices.points_label", label="Bedrijfsbezoeken"), exact=True)
    other.fill("1")
    other.press("Tab")
    button(too_many, t("choices.points_save")).click()
    expect(too_many.get_by_text(t("error.choices.over", total=6, budget=5, over=1))).to_be_visible(timeout=ACT_MS)
    spread(anna, {"Samen naar een vakbeurs": 3, "Bedrijfsbezoeken": 0, "Docentstages bij bedrijven": 2})
    spread(bram, {"Docentstages bij bedrijven": 4, "Bezoeken tussen scholen": 1})

    problems: list[str] = []
    violations: dict[str, list] = {}
    _axe(anna, "phone, menu", violations)
    screenshot(anna.page, "phone-choices-menu.png", full_page=True)
    start = t("choices.screen.start", names="Docentstages bij bedrijven, Samen naar een vakbeurs")
    for size, tab in screens.items():
        expect(tab.page.get_by_text(start)).to_be_visible(timeout=LOAD_MS)
        expect(tab.page.locator(CHART).first).to_be_attached(timeout=LOAD_MS)
        labels = tab.page.eval_on_selector_all(f"{CHART} .ytick text", "els => els.map((e) => e.textContent)")
        assert labels[0].startswith("1. Docentstages bij") and labels[1].startswith("2. Samen naar een"), labels
        _check(tab.page, "choices-menu", size, problems)
    _axe(screens[SIZES[0]], "screen, menu", violations)

    # the facilitator makes the best activity a starting activity in the follow-up list
    fac = open_facilitator(new_context, links)
    form = fac.page.locator('[data-testid="stForm"]').filter(has_text="1. Docentstages bij bedrijven")
    expect(form).to_be_visible(timeout=LOAD_MS)
    fill(form, t("choices.fac.start_target"), "Docenten techniek vmbo")
    fill(form, t("choices.fac.start_owner"), "Marloes")
    button(form, t("choices.fac.start_add")).click()
    what = t("choices.action_what", activity="Docentstages bij bedrijven", target="Docenten techniek vmbo")
    expect(fac.page.get_by_text(t("choices.fac.start_added", what=what))).to_be_visible(timeout=ACT_MS)

    database = D.Database(app.db_url)
    try:
        store = Store(database)
        fac_cap = store.authorize(links.code, links.secret)
        store.go_to_step(fac_cap, 1)
        for tab, option in ((anna, "De mbo-instelling"), (bram, "De mbo-instelling")):
            page = tab.page
            expect(page.get_by_text(option, exact=True)).to_be_visible(timeout=LOAD_MS)
            page.get_by_text(option, exact=True).click()
            expect(page.get_by_text(t("choices.saved"))).to_be_visible(timeout=ACT_MS)
        bram.page.get_by_text("Met gewone meerderheid", exact=True).click()
        expect(bram.page.get_by_text(t("choices.saved"))).to_be_visible(timeout=ACT_MS)
        _axe(bram, "phone, reglement", violations)
        screenshot(bram.page, "phone-choices-reglement.png", full_page=True)
        step = store.steps(fac_cap.workshop_id)[1]
        store.settle_choice(fac_cap, step.id, section="verdeling", option="leerlingen")
        for size, tab in screens.items():
            expect(tab.page.locator(".ss-ch table")).to_be_attached(timeout=LOAD_MS)
            expect(tab.page.get_by_text(t("choices.screen.open_count", count=4, total=7))).to_be_visible(
                timeout=LOAD_MS)
            expect(tab.page.get_by_text(t("choices.status.settled")).first).to_be_visible()
            _check(tab.page, "choices-reglement", size, problems)
        _axe(screens[SIZES[0]], "screen, reglement", violations)
        # the draft reglement from the cockpit: a Word document with the settled clause and the open points
        draft = fac.page.get_by_role("button", name=t("choices.fac.draft"), exact=True)
        expect(draft).to_be_visible(timeout=LOAD_MS)
        with fac.page.expect_download(timeout=LOAD_MS) as download:
            draft.click()
        document = docx.Document(download.value.path())
        text = "\n".join(p.text for p in document.paragraphs)
        assert canvas_models.get("reglement").section("verdeling").option("leerlingen").text in text
        assert t("choices.draft.open_line", title="Stuurgroep", votes=t("choices.draft.no_votes")) in text

        store.update_step(fac_cap, step.id, config={**store.step(step.id).config, "screen_focus": "penvoerder"})
        for size, tab in screens.items():
            expect(tab.page.locator(".ss-ch h2")).to_have_text("Penvoerder", timeout=LOAD_MS)
            expect(tab.page.locator(CHART).first).to_be_attached(timeout=LOAD_MS)
            _check(tab.page, "choices-reglement-focus", size, problems)
        (action,) = store.actions(fac_cap.workshop_id)
        assert (action["what"], action["owner"], action["source"]) == (what, "Marloes", "profmenu")
    finally:
        database.dispose()
    for tab in (anna, bram, fac, *screens.values()):
        no_app_errors(tab)
    assert not problems, "screen states that do not fit:\n" + "\n".join(problems)
    failing = {where: found for where, found in violations.items() if found}
    assert not failing, "axe-core found violations:\n" + "\n".join(
        f"== {where}\n{format_violations(found)}" for where, found in failing.items())
