"""The inspiratiekompas (layout 'compass') played in real Chromium: two phones (360x740, touch) place
activities under themes and rate the strength of themes; the projected screen at 1920x1080 and 1280x720
shows the radar with the group's means written on it and the themes with their activities, gaps marked, and
fits the viewport (measured as in test_e2e_screen_fit); the facilitator's session controls stay in view;
axe-core finds no missing label and no low contrast on the screen and a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

import canvas_models
from e2e.drive import ACT_MS, LOAD_MS, axe, button, format_violations, no_app_errors, settled
from e2e.flows import create_in_db, join, open_facilitator, open_screen, post_note
from e2e.test_e2e_cockpit import LAPTOP_1366, _all_in_view
from e2e.test_e2e_screen_fit import SIZES, _check
from messages import t

pytestmark = [pytest.mark.browser]

KOMPAS = canvas_models.get("kompas")
NOTE, STRENGTH = (f.label for f in KOMPAS.fields)
THEMES = {s.key: s for s in KOMPAS.sections}
RADAR = '[data-testid="stPlotlyChart"] .main-svg'


def rate(tab, scores: dict[str, int]) -> None:
    """Tap a strength per theme on the phone and save them."""
    page = tab.page
    for key, score in scores.items():
        group = page.get_by_role("radiogroup", name=f"{STRENGTH} ({THEMES[key].title})", exact=True)
        group.get_by_role("radio", name=str(score), exact=True).tap()
        expect(group.get_by_role("radio", checked=True)).to_have_accessible_name(re.compile(rf"\b{score}$"))
    button(page, t("compass.rate_save")).tap()
    expect(page.get_by_text(t("praat.saved"))).to_be_visible(timeout=ACT_MS)


def theme_box(page, key: str):
    return page.locator(".ss-theme", has=page.locator("h2", has_text=THEMES[key].title))


def test_a_compass_with_two_phones_on_a_screen_that_fits(app, new_context, timings):
    links = create_in_db(app.db_url, app.url, title="Inspiratiekompas Twente", werkvormen=("kompas",))
    screens = {size: open_screen(new_context, links, f"kompas-screen-{size[0]}",
                                 viewport={"width": size[0], "height": size[1]}) for size in SIZES}
    anna = join(new_context, "kompas-anna", links, person="Anna", org="vmbo", phone=True)
    bram = join(new_context, "kompas-bram", links, person="Bram", org="bedrijfsleven", phone=True)

    post_note(anna, "Docentenstage bij een installatiebedrijf", label=NOTE, block=THEMES["docenten"])
    post_note(bram, "Echte opdrachten van de metaalbedrijven", label=NOTE, block=THEMES["bedrijven"])
    post_note(bram, "Gastlessen door jonge vakmensen", label=NOTE, block=THEMES["bedrijven"])
    rate(anna, {"docenten": 4, "bedrijven": 5, "faciliteiten": 2})
    rate(bram, {"docenten": 3, "bedrijven": 4, "faciliteiten": 1})

    problems: list[str] = []
    for size, tab in screens.items():
        page = tab.page
        expect(page.locator(".ss-themes")).to_be_visible(timeout=LOAD_MS)
        # the themes: strength and activities per theme, as the phones gave them
        docenten, bedrijven, faciliteiten = (theme_box(page, k) for k in ("docenten", "bedrijven", "faciliteiten"))
        expect(bedrijven).to_contain_text(t("compass.strength", mean="4,5", n=2), timeout=ACT_MS)
        expect(bedrijven).to_contain_text("Gastlessen door jonge vakmensen")
        expect(bedrijven).to_contain_text(t("compass.activities", count=2))
        expect(docenten).to_contain_text(t("compass.strength", mean="3,5", n=2))
        expect(docenten).to_contain_text("Docentenstage bij een installatiebedrijf")
        # gaps stand out: a weak theme (mean 1,5) and the themes without any activity; strong ones do not
        expect(faciliteiten).to_have_class("ss-theme ss-gap")
        expect(faciliteiten.locator(".ss-gapnote")).to_have_text(t("compass.gap_weak") + " · " + t("compass.gap_empty"))
        expect(theme_box(page, "leerlijnen").locator(".ss-gapnote")).to_have_text(t("compass.gap_empty"))
        expect(bedrijven).to_have_class("ss-theme")
        expect(docenten).to_have_class("ss-theme")
        expect(page.locator(".ss-theme.ss-gap")).to_have_count(len(THEMES) - 2)
        # the radar: the means written on it, in the themes' order (nothing where nobody rated yet)
        expect(page.locator(RADAR).first).to_be_attached(timeout=LOAD_MS)
        values = page.eval_on_selector_all(f"{RADAR} .textpoint text",
                                           "els => els.map((e) => e.textContent).filter((s) => s)")
        assert values == ["1,5", "3,5", "4,5"], values
        _check(page, "kompas", size, problems)
    assert not problems, "compass screen states that do not fit:\n" + "\n".join(problems)
    # labels and contrast (axe-core, as tests/e2e/test_e2e_a11y.py) on the screen and a phone
    for tab in (screens[SIZES[0]], anna):
        settled(tab.page)
        found = axe(tab.page)["violations"]
        assert not found, f"axe-core on {tab.name}:\n{format_violations(found)}"

    # the facilitator's cockpit: the session controls in view without scrolling, the compass as a table
    fac = open_facilitator(new_context, links, **LAPTOP_1366)
    _all_in_view(fac.page, "kompas at 1366x768", participants=2)
    # (the table is drawn on a canvas; its accessible copy has the cells)
    expect(fac.page.locator('td[role="gridcell"]', has_text=t("compass.gap_weak"))).to_have_count(1, timeout=LOAD_MS)
    for tab in (anna, bram, fac, *screens.values()):
        no_app_errors(tab)
