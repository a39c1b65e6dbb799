"""A phone's own notes: the list is drawn when it is opened, and a note can be taken back.

The list and its delete buttons are not sent with every submit (they cost half as much again
per submit, bench/live.py); this checks that opening, deleting and the screen all still work.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from e2e.drive import no_app_errors
from e2e.flows import create_in_db, join, open_screen, post_note
from messages import t

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
