"""Scenario 2: the production recipe. nginx with deploy/'s config in front of two app processes
that share one PostgreSQL database.

Every browser goes through the proxy, which keeps each one on its own process (a cookie,
hashed). Participants land on process A, the screen and the facilitator on process B, so what
a phone sends must travel A -> database -> B, and what the facilitator does B -> database -> A.
The processes share nothing but the database and the cookie secret.
"""

from __future__ import annotations

import re
import time
import urllib.request

import pytest
from playwright.sync_api import expect

import canvas_models
from e2e.drive import free_port, no_app_errors, now_ms, textbox
from e2e.flows import create_in_db, join, open_facilitator, open_screen, post_note
from messages import t

pytestmark = [pytest.mark.browser, pytest.mark.postgresql]

SCREEN_MS = 2000
PHONE_MS = 5000
NODE_COOKIE = "samenspraak_node"


def _active_sessions(port: int) -> int:
    """Open sessions of one process, asked on its own port from this machine (allowed)."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/metrics", timeout=10) as resp:
        text = resp.read().decode()
    return int(re.search(r"^active_sessions (\d+)", text, re.M).group(1))


def test_participant_on_a_screen_on_b_through_nginx(app_factory, nginx_factory, pg_database, new_context, timings):
    port_a, port_b = free_port(), free_port()
    proxy = nginx_factory([port_a, port_b])
    a = app_factory(pg_database, name="a", port=port_a, public_url=proxy.url)
    b = app_factory(pg_database, name="b", port=port_b, public_url=proxy.url)
    nodes = proxy.nodes_for_each_backend()
    assert set(nodes) == {a.port, b.port}

    # what the recipe promises before anyone joins
    status, headers, _ = proxy.get("/")
    assert status == 200 and f"{NODE_COOKIE}=" in headers.get("Set-Cookie", ""), headers
    for path in ("/_stcore/metrics", "/_stcore/metrics/", "//_stcore/metrics?families=active_sessions",
                 "/_stcore/%6Detrics"):
        assert proxy.get(path)[0] == 403, path
    # nginx writes a request's log line after sending the response: wait for the fourth line
    deadline = time.monotonic() + 5
    while len(asked := [line for line in proxy.log_lines() if "etrics" in line]) < 4 and time.monotonic() < deadline:
        time.sleep(0.05)  # poll interval of the log check
    assert len(asked) == 4 and all("upstream=- " in line for line in asked), asked  # nginx said no itself

    def on(port: int):
        """new_context for a browser that the proxy sends to the process on ``port``."""
        def make(**options):
            context = new_context(**options)
            context.add_cookies([{"name": NODE_COOKIE, "value": nodes[port], "url": proxy.url}])
            return context
        return make

    links = create_in_db(pg_database, proxy.url, werkvormen=("brainstorm", "praatplaat"))
    screen = open_screen(on(b.port), links)
    # the join address (and its QR code) names the proxy's address, not a process's own port
    assert links.join.split("://", 1)[1] in screen.dom_text()
    assert screen.page.get_by_role("img", name=t("qr.alt", url=links.join)).count() == 1
    fac = open_facilitator(on(b.port), links)
    ada = join(on(a.port), "ada-on-a", links, person="Ada", org="po", phone=True)
    ben = join(on(a.port), "ben-on-a", links, person="Ben", org="gemeente")
    expect(screen.page.locator(".ss-count")).to_have_text(t("screen.participants", count=2))
    # the websockets went through nginx to the processes the cookies chose
    # (on B: the screen, the facilitator's cockpit, and the screen preview inside that cockpit)
    assert (_active_sessions(a.port), _active_sessions(b.port)) == (2, 3)

    # every note sent through A is on B's screen within 2 s
    latencies = []
    for tab, text in [(ada, "Via proces A verstuurd"), (ben, "Tweede briefje via A"), (ada, "Nog een van Ada")]:
        screen.watch(text)
        clicked = post_note(tab, text)
        took = round(screen.wait_seen(text, timeout_ms=SCREEN_MS + 8000) - clicked)
        latencies.append(took)
        assert took <= SCREEN_MS, f"{text!r} sent on A reached the screen on B after {took} ms"
    # the facilitator on B too (in the notes table, drawn on a canvas: its accessible copy holds the text)
    expect(fac.page.locator('td[role="gridcell"]', has_text="Via proces A verstuurd").first).to_be_attached(timeout=15_000)

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
    good = next(f.label for f in praat.fields if f.kind == "text")  # of the aspect shown (the first)
    expect(textbox(ada.page, good).first).to_be_visible()
    textbox(ada.page, good).first.fill("Verborgen tot de onthulling")
    count = t("screen.answered", count=1, total=2)
    screen.watch(count, "Verborgen tot de onthulling")
    clicked = now_ms()
    ada.page.get_by_role("button", name=t("praat.next"), exact=True).click()
    took = round(screen.wait_seen(count, timeout_ms=SCREEN_MS + 8000) - clicked)
    latencies.append(took)
    assert took <= SCREEN_MS, f"an answer saved on A was counted on B after {took} ms"
    assert screen.seen_at("Verborgen tot de onthulling") is None

    timings.update(a_to_b_screen_ms=latencies, b_step_to_a_phone_ms=follow)
    for tab in (screen, fac, ada, ben):
        no_app_errors(tab)
