"""'Which condition needs attention first' (the praatplaat's own flow, issue 17 item 7) in a real browser:
two 360 px phones read the five conditions' short definitions and choose one; the projected screen shows
the choice and fits 1920x1080 and 1280x720; in the follow-up plaat that comes next, the group's choice
leads the list of what an agreement belongs to (on the phone that proposes one)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

import canvas_models
from e2e.drive import ACT_MS, LOAD_MS, button, no_app_errors, open_list, open_tab, screenshot
from e2e.flows import create_in_db, join
from e2e.test_e2e_screen_fit import SIZES, _check, _settle
from messages import t
from workshop import db as D
from workshop.store import Store

pytestmark = [pytest.mark.browser]


def test_the_group_chooses_a_condition_and_it_leads_the_follow_up(app, new_context):
    links = create_in_db(app.db_url, app.url, title="Stuurgroep", werkvormen=("praatplaat", "aandacht", "followup"))
    condition = canvas_models.get("aandacht").sections[0]
    relatie = condition.option("relatie")
    database = D.Database(app.db_url)
    try:
        store = Store(database)
        fac = store.authorize(links.code, links.secret)
        store.go_to_step(fac, 1)
        screens = {size: open_tab(new_context, f"aandacht-screen-{size[0]}", links.screen,
                                  viewport={"width": size[0], "height": size[1]}) for size in SIZES}
        anna = join(new_context, "aandacht-anna", links, person="Anna", org="vmbo", phone=True)
        bram = join(new_context, "aandacht-bram", links, person="Bram", org="bedrijfsleven", phone=True)
        for tab in (anna, bram):  # the short definitions are on the phone, beside each condition
            expect(tab.page.get_by_text(relatie.info)).to_be_visible(timeout=LOAD_MS)
            tab.page.get_by_text(relatie.label, exact=True).click()
            expect(tab.page.get_by_text(t("choices.saved"))).to_be_visible(timeout=ACT_MS)
        screenshot(anna.page, "phone-aandacht-360.png", full_page=True)

        problems: list[str] = []
        for tab in screens.values():  # both choices counted, the winner and its definition in view
            expect(tab.page.get_by_text(t("choices.screen.respondents", count=2))).to_be_visible(timeout=LOAD_MS)
            expect(tab.page.get_by_text(relatie.info).first).to_be_visible(timeout=LOAD_MS)
        _settle(*(tab.page for tab in screens.values()))
        for size, tab in screens.items():
            _check(tab.page, "aandacht", size, problems, settled=True)
        assert not problems, "the screen does not fit:\n" + "\n".join(problems)

        store.go_to_step(fac, 2)  # the follow-up plaat: Relatie comes first among what an agreement belongs to
        page = anna.page
        expect(page.get_by_role("button", name=t("followup.propose"), exact=True)).to_be_visible(timeout=LOAD_MS)
        open_list(page, t("kind.action.link"), relatie.label)
        offered = [o.strip() for o in page.get_by_role("option").all_inner_texts()]
        assert offered[1] == relatie.label, offered  # after "no link": the group's choice
        assert set(offered) >= {s.title for s in canvas_models.get("praatplaat").sections}, offered
        page.keyboard.press("Escape")
        for tab in (anna, bram, *screens.values()):
            no_app_errors(tab)
    finally:
        database.dispose()
