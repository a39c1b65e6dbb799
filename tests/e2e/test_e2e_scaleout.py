"""Scenario 2: two app processes on two ports share one PostgreSQL database.

This is the deployment of the README: a reverse proxy with sticky sessions spreads the room
over several Streamlit processes, which share nothing but the database (and the cookie
secret). Participants on process A, the screen and the facilitator on process B.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

import canvas_models
from e2e.drive import no_app_errors, now_ms, textbox
from e2e.flows import create_in_db, join, open_facilitator, open_screen, post_note
from messages import t
from ui.kinds import field_label

pytestmark = [pytest.mark.browser, pytest.mark.postgresql]

SCREEN_MS = 2000
PHONE_MS = 5000


def test_participant_on_a_screen_on_b(app_factory, pg_database, new_context, timings):
    a = app_factory(pg_database, name="a")
    b = app_factory(pg_database, name="b")
    assert a.port != b.port
    on_a = create_in_db(pg_database, a.url, werkvormen=("brainstorm", "praatplaat"))
    on_b = on_a.on(b.url)

    screen = open_screen(new_context, on_b)
    fac = open_facilitator(new_context, on_b)
    ada = join(new_context, "ada-on-a", on_a, person="Ada", org="po", phone=True)
    ben = join(new_context, "ben-on-a", on_a, person="Ben", org="gemeente")
    expect(screen.page.locator(".ss-count")).to_have_text(t("screen.participants", count=2))

    # every note sent through A is on B's screen within 2 s
    latencies = []
    for tab, text in [(ada, "Via proces A verstuurd"), (ben, "Tweede briefje via A"), (ada, "Nog een van Ada")]:
        screen.watch(text)
        clicked = post_note(tab, text)
        took = round(screen.wait_seen(text, timeout_ms=SCREEN_MS + 8000) - clicked)
        latencies.append(took)
        assert took <= SCREEN_MS, f"{text!r} sent on A reached the screen on B after {took} ms"
    expect(fac.page.get_by_text("Via proces A verstuurd").first).to_be_visible()  # the facilitator on B too

    # the facilitator on B moves on; the phone on A follows within 5 s
    label = t("participant.step", n=2, total=2)
    ada.watch(label)
    clicked = now_ms()
    fac.page.get_by_role("button", name=t("fac.next"), exact=True).click()
    follow = round(ada.wait_seen(label, timeout_ms=PHONE_MS + 10000) - clicked)
    assert follow <= PHONE_MS, f"the phone on A followed B's step change after {follow} ms"
    expect(screen.page.locator(".ss-screen h1")).to_have_text(canvas_models.get("praatplaat").title)

    # a praatplaat answer saved on A is counted on B (and its text stays hidden)
    praat = canvas_models.get("praatplaat")
    good = next(field_label(f, praat.sections[0].title) for f in praat.fields if f.kind == "text")
    expect(textbox(ada.page, good).first).to_be_visible()
    textbox(ada.page, good).first.fill("Verborgen tot de onthulling")
    count = t("screen.answered", count=1, total=2)
    screen.watch(count, "Verborgen tot de onthulling")
    clicked = now_ms()
    ada.page.get_by_role("button", name=t("praat.save"), exact=True).click()
    took = round(screen.wait_seen(count, timeout_ms=SCREEN_MS + 8000) - clicked)
    latencies.append(took)
    assert took <= SCREEN_MS, f"an answer saved on A was counted on B after {took} ms"
    assert screen.seen_at("Verborgen tot de onthulling") is None

    timings.update(a_to_b_screen_ms=latencies, b_step_to_a_phone_ms=follow)
    for tab in (screen, fac, ada, ben):
        no_app_errors(tab)
