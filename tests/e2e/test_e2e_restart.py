"""Scenario 3: the server is killed in the middle of a workshop and started again.

Same port, same database. The open pages notice the lost connection, reconnect by themselves
(or are reloaded), and everyone is still the same person: the participant's token is in the
URL. Every note and answer from before the crash is still there, text typed but not yet sent
survives the outage, and the workshop simply goes on.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

import canvas_models
from e2e.drive import LOAD_MS, app_root, page_not_found_dialog, no_app_errors, textbox, wait_connected
from e2e.flows import create_in_db, join, open_facilitator, open_screen, post_note, token_of, wait_step
from messages import t
from workshop import db as D
from workshop.store import Store

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PRAAT = canvas_models.get("praatplaat")
# The boxes of the aspect the phone shows (the first one on a fresh page).
GOOD, BETTER = [f.label for f in PRAAT.fields if f.kind == "text"]


def _participants(db_url: str, code: str) -> list:
    database = D.Database(db_url)
    try:
        store = Store(database)
        return store.participants(store.workshop_by_code(code).id)
    finally:
        database.dispose()


def test_restart_mid_workshop(app_factory, sqlite_url, new_context, timings):
    restart_db = sqlite_url  # a file that must survive a SIGKILL (WAL) with everything in it
    app = app_factory(restart_db)
    links = create_in_db(restart_db, app.url, werkvormen=("brainstorm", "praatplaat"))
    screen = open_screen(new_context, links)
    fac = open_facilitator(new_context, links)
    anna = join(new_context, "anna", links, person="Anna", org="hbo")
    bram = join(new_context, "bram-phone", links, person="Bram", org="vmbo", phone=True)
    tokens = {tab.name: token_of(tab) for tab in (anna, bram)}

    before = ["Idee van Anna voor de crash", "Idee van Bram voor de crash"]
    post_note(anna, before[0])
    post_note(bram, before[1])
    for text in before:
        expect(screen.page.get_by_text(text)).to_be_visible()
    fac.page.get_by_role("button", name=t("fac.next"), exact=True).click()
    wait_step(anna, 2, 2)
    wait_step(bram, 2, 2)
    textbox(anna.page, GOOD).first.fill("Antwoord van Anna, opgeslagen")
    anna.page.get_by_role("button", name=t("praat.next"), exact=True).click()
    expect(anna.page.get_by_text(t("praat.saved"))).to_be_visible()
    expect(screen.page.get_by_text(t("screen.answered", count=1, total=2))).to_be_visible()
    # Bram is typing when the server goes down; he has not left the box
    draft = "Bram typte dit tijdens de storing"
    textbox(bram.page, BETTER).first.fill(draft)

    # ------------------------------------------------------------------------------ the crash
    app.kill()
    assert app.is_down()
    for tab in (screen, fac, anna, bram):
        expect(app_root(tab.page)).not_to_have_attribute("data-test-connection-state", "CONNECTED",
                                                         timeout=LOAD_MS)
    expect(textbox(bram.page, BETTER).first).to_have_value(draft)  # nothing typed is lost meanwhile
    # the phone says so in plain Dutch
    expect(bram.page.locator("#ss-connection")).to_have_text(t("participant.connection_lost"), timeout=LOAD_MS)
    expect(bram.page.locator("#ss-connection")).to_be_visible()
    restart_seconds = app.restart()

    # the screen, the facilitator and Bram's phone reconnect on their own; Anna reloads her page
    anna.page.reload(wait_until="commit")
    for tab in (screen, fac, anna, bram):
        wait_connected(tab.page, LOAD_MS)
    expect(screen.page.locator(".ss-screen h1")).to_be_visible(timeout=LOAD_MS)
    expect(fac.page.get_by_role("button", name=t("fac.back"), exact=True)).to_be_visible(timeout=LOAD_MS)
    assert not [tab.name for tab in (screen, fac, anna, bram) if page_not_found_dialog(tab)]
    expect(bram.page.locator("#ss-connection")).to_be_hidden(timeout=LOAD_MS)  # and the notice goes away
    for tab, name in ((anna, "Anna"), (bram, "Bram")):
        assert token_of(tab) == tokens[tab.name], "the participant's link changed"
        expect(tab.page.get_by_text(t("join.welcome", name=name), exact=False)).to_be_visible(timeout=LOAD_MS)
        wait_step(tab, 2, 2)
    people = _participants(restart_db, links.code)
    assert sorted(p.name for p in people) == ["Anna", "Bram"], "reconnecting made new participants"

    # everything from before is still there
    expect(textbox(anna.page, GOOD).first).to_have_value("Antwoord van Anna, opgeslagen", timeout=LOAD_MS)
    expect(textbox(bram.page, BETTER).first).to_have_value(draft)  # the draft survived the reconnect
    # (the phone hands a box's surviving draft to the new server session as if it was left, which
    # stores a praatplaat remark: Bram may count as answered now already, or after "Volgende")
    bram.page.get_by_role("button", name=t("praat.next"), exact=True).click()
    expect(bram.page.get_by_text(t("praat.saved"))).to_be_visible()
    expect(screen.page.get_by_text(t("screen.answered", count=2, total=2))).to_be_visible()

    # back to the brainstorm: the notes from before the crash, and a new one after it
    fac.page.get_by_role("button", name=t("fac.back"), exact=True).click()
    for text in before:
        expect(screen.page.get_by_text(text)).to_be_visible()
    wait_step(bram, 1, 2)
    expect(bram.page.get_by_text(t("participant.my_notes", count=1))).to_be_visible()
    post_note(bram, "Na de herstart gewoon verder")
    expect(screen.page.get_by_text("Na de herstart gewoon verder")).to_be_visible()
    expect(screen.page.locator(".ss-count")).to_have_text(t("screen.participants", count=2))

    timings.update(restart_seconds=round(restart_seconds, 1), starts=app.starts)
    for tab in (screen, fac, anna, bram):
        no_app_errors(tab)
