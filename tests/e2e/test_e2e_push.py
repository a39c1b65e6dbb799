"""Phones follow the facilitator by server push, a note reaches the projected screen and the
facilitator's live view by server push, and a running timebox counts down in the browser.

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
from e2e.flows import create_in_db, join, open_facilitator, open_screen, wait_step
from messages import t
from ui.facilitator_page import MODERATION_GAP, TICK_SECONDS
from ui.participant_page import POLL_SECONDS
from ui.screen_page import REFRESH_SECONDS
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


NOTE_MS = 1_500  # the push comes within ~0.1-0.4 s; the screen's own timer only every REFRESH_SECONDS


def test_a_note_reaches_screen_and_facilitator_without_their_timers(app, new_context, timings):
    """Three notes, stored by another process (a phone on another app process, say), each appear
    on /scherm within NOTE_MS. The screen's own timer runs every 5 s, so it could not bring all
    three that fast: what does is the push (ui/push.py). The facilitator's cockpit follows by its
    own ticker (every TICK_SECONDS; in a busy room it gathers notes for MODERATION_GAP seconds)."""
    assert REFRESH_SECONDS >= 3 * NOTE_MS / 1000
    cockpit_ms = int((TICK_SECONDS + MODERATION_GAP) * 1000) + 3000
    links = create_in_db(app.db_url, app.url, werkvormen=("brainstorm",))
    screen = open_screen(new_context, links)
    fac = open_facilitator(new_context, links)
    database = D.Database(app.db_url)
    try:
        store = Store(database)
        step = store.steps(store.authorize(links.code, links.secret).workshop_id)[0]
        who = store.join(links.code, name="Pim", org_type="mbo")
        section, field = step.werkvorm.sections[0].key, step.werkvorm.fields[0].key
        waits = []
        for i in range(3):
            time.sleep(0.7 * i)  # somewhere else in the timers' cycles each time
            text = f"Gedeelde stageplek nummer {i + 1}"
            began = time.monotonic()
            store.add_note(who, step.id, section=section, field=field, text=text, idem_key=f"e2e-push-{i}")
            expect(screen.page.get_by_text(text).first).to_be_visible(timeout=NOTE_MS)
            waits.append(round((time.monotonic() - began) * 1000))
            # the cockpit's notes table is drawn on a canvas; its accessible copy holds the text
            expect(fac.page.locator('td[role="gridcell"]', has_text=text).first).to_be_attached(timeout=cockpit_ms)
        timings["note_to_screen_ms"] = waits
    finally:
        database.dispose()
    no_app_errors(screen)
    no_app_errors(fac)


def test_a_self_locking_timebox_locks_the_phones_when_it_runs_out(app, new_context, timings):
    """The screen writes the lock when the timebox runs out; it asks the watcher to wake it at
    that moment, so the phones show "gesloten" right then, not at the screen's next own tick."""
    links = create_in_db(app.db_url, app.url, werkvormen=("brainstorm",))
    screen = open_screen(new_context, links)
    phone = join(new_context, "lock-phone", links, person="Pim", phone=True)
    database = D.Database(app.db_url)
    try:
        store = Store(database)
        fac = store.authorize(links.code, links.secret)
        step = store.steps(fac.workshop_id)[0]
        store.update_step(fac, step.id, timer_auto_lock=True)
        store.timer(fac, step.id, "reset", 3)
        store.timer(fac, step.id, "start")
        began = time.monotonic()
        expect(phone.page.get_by_text(t("participant.locked"))).to_be_visible(timeout=3_000 + NOTE_MS)
        timings["locked_after_ms"] = round((time.monotonic() - began) * 1000)
        assert store.step(step.id).locked
    finally:
        database.dispose()
    no_app_errors(screen)
    no_app_errors(phone)
