"""A phone's own notes: the list is drawn when it is opened, and a note can be taken back; and a
double tap on "Deelnemen" joins once.

The list and its delete buttons are not sent with every submit (they cost half as much again
per submit, bench/live.py); this checks that opening, deleting and the screen all still work.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from e2e.drive import ACT_MS, PHONE, button, choose, fill, no_app_errors, open_tab, settled
from e2e.flows import create_in_db, join, open_screen, post_note, token_of
from messages import ORG_TYPES, t
from workshop import db as D
from workshop.store import Store

pytestmark = [pytest.mark.browser]


def test_open_my_notes_and_delete_one(app, new_context):
    links = create_in_db(app.db_url, app.url)
    screen = open_screen(new_context, links)
    phone = join(new_context, "own-notes", links, person="Olga", phone=True)
    page = phone.page
    post_note(phone, "Eerste idee van Olga")
    post_note(phone, "Tweede idee van Olga")
    expect(screen.page.get_by_text("Tweede idee van Olga")).to_be_visible()

    delete = page.get_by_role("button", name=t("participant.delete"), exact=True)
    expect(delete).to_have_count(0)  # closed: nothing drawn yet
    page.get_by_text(t("participant.my_notes", count=2)).click()
    expect(delete).to_have_count(2)
    delete.first.click()
    expect(page.get_by_text(t("participant.deleted"))).to_be_visible()
    expect(page.get_by_text(t("participant.my_notes", count=1))).to_be_visible()
    expect(screen.page.get_by_text("Eerste idee van Olga")).to_have_count(0)
    expect(screen.page.get_by_text("Tweede idee van Olga")).to_be_visible()

    # A submit reruns only the step's part of the page, which counts from what the phone knows:
    # the same text again is the same note (a resent form), and a deleted one comes back.
    post_note(phone, "Tweede idee van Olga")
    expect(page.get_by_text(t("participant.my_notes", count=1))).to_be_visible()
    post_note(phone, "Eerste idee van Olga")
    expect(page.get_by_text(t("participant.my_notes", count=2))).to_be_visible()
    expect(screen.page.get_by_text("Eerste idee van Olga")).to_be_visible()
    page.reload()  # a full run reads the notes afresh
    expect(page.get_by_text(t("participant.my_notes", count=2))).to_be_visible()
    no_app_errors(phone)


def test_a_double_tap_on_join_makes_one_participant(app, new_context):
    """Two quick taps on "Deelnemen" on a phone: one participant, and the phone is that one."""
    links = create_in_db(app.db_url, app.url)
    tab = open_tab(new_context, "phone", links.join, **PHONE)
    page = tab.page
    fill(page, t("join.name"), "Anna")
    choose(page, t("join.org_type"), ORG_TYPES["mbo"])
    # two taps as a phone sends them: the second before the page has redrawn
    button(page, t("join.go")).evaluate("b => { b.click(); setTimeout(() => b.click(), 30); }")
    page.wait_for_url(re.compile(r"[?&]p=[\w-]+"), timeout=ACT_MS)
    expect(page.get_by_text(t("join.welcome", name="Anna"), exact=False)).to_be_visible()
    settled(page)
    database = D.Database(app.db_url)
    try:
        store = Store(database)
        people = store.participants(store.workshop_by_code(links.code).id)
    finally:
        database.dispose()
    assert [p.name for p in people] == ["Anna"]
    assert people[0].token == token_of(tab)
    no_app_errors(tab)
