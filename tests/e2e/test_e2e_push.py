"""Phones follow the facilitator by server push, and a running timebox counts down in the browser.

The changes here are made by this test process straight in the database, as a facilitator on
another app process would: the app's watcher (ui/push.py) must notice them in the shared table
and rerun the phone's page. The phone's own fallback check runs only every
SAMENSPRAAK_PHONE_POLL_SECONDS (20 s), so everything below must happen well within that.
"""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from e2e.drive import no_app_errors
from e2e.flows import create_in_db, join, wait_step
from messages import t
from ui.join import POLL_SECONDS
from workshop import db as D
from workshop.store import Store

pytestmark = [pytest.mark.browser]

PUSH_MS = 4_000  # generous on a busy 2-core machine; the push itself comes within ~0.5 s


def test_phone_follows_changes_made_elsewhere_and_counts_down(app, new_context, timings):
    assert POLL_SECONDS >= 4 * PUSH_MS / 1000, "the fallback check would hide a broken push"
    links = create_in_db(app.db_url, app.url, werkvormen=("brainstorm", "canvas"))
    phone = join(new_context, "push-phone", links, person="Pim", phone=True)
    page = phone.page
    database = D.Database(app.db_url)
    try:
        store = Store(database)
        fac = store.authorize(links.code, links.secret)
        step = store.steps(fac.workshop_id)[0]

        began = time.monotonic()
        store.timer(fac, step.id, "reset", 120)
        store.timer(fac, step.id, "start")
        badge = page.get_by_role("timer")
        expect(badge).to_contain_text(t("timer.left", left="1:5"), timeout=PUSH_MS)
        timings["timer_push_ms"] = round((time.monotonic() - began) * 1000)

        # The countdown moves on by itself: no server run brings these seconds.
        first = badge.inner_text()
        expect(badge).not_to_have_text(first, timeout=3_000)

        began = time.monotonic()
        store.go_to_step(fac, 1)
        page.get_by_text(t("participant.step", n=2, total=2), exact=True).wait_for(timeout=PUSH_MS)
        timings["step_push_ms"] = round((time.monotonic() - began) * 1000)
        wait_step(phone, 2, 2)
    finally:
        database.dispose()
    no_app_errors(phone)
