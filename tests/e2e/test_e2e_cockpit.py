"""The facilitator cockpit in a real Chromium: the controls that run the session in view without
scrolling at 1366x768 and 1920x1080 (from element geometry), a live preview of the screen, open
panels and half-typed text that survive live updates, and the automatic lock shown at once.
"""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from e2e.drive import axe, button, choose, drag, format_violations, screenshot, settled, textbox
from e2e.flows import create_in_db, open_facilitator, select_note_lines
from e2e.test_e2e_chrome import ENGLISH, PAGE_TEXTS
from messages import t
from workshop import db as D
from workshop import new_key
from workshop.store import Store

pytestmark = [pytest.mark.browser]

LAPTOP_1366 = dict(viewport={"width": 1366, "height": 768})
FULL_HD = dict(viewport={"width": 1920, "height": 1080})


def _store(app) -> Store:
    return Store(D.Database(app.db_url))


def _fill_room(store: Store, code: str, notes: int) -> list:
    ws = store.workshop_by_code(code)
    step = store.steps(ws.id)[0]
    people = [store.join(code, name=f"Deelnemer {i}", org_type="mbo") for i in range(8)]
    for i in range(notes):
        store.add_note(people[i % 8], step.id, section=step.werkvorm.sections[0].key, field="note",
                       text=f"Idee {i}: meer stageplekken en samen opleiden in de regio", idem_key=new_key())
    return people


def _cockpit(app, new_context, werkvormen: tuple[str, ...], *, notes: int):
    """A workshop with eight people (and ``notes`` notes) and its cockpit at 1366x768, settled:
    (links, store, the people, the cockpit's page)."""
    links = create_in_db(app.db_url, app.url, werkvormen=werkvormen)
    store = _store(app)
    people = _fill_room(store, links.code, notes=notes)
    fac = open_facilitator(new_context, links, **LAPTOP_1366)
    settled(fac.page)
    return links, store, people, fac.page


def _controls(page, participants: int = 8) -> dict[str, object]:
    """The controls that run the session, by role and name (``participants``: how many joined)."""
    return {
        "back": button(page, t("fac.back")),
        "next": button(page, t("fac.next")),
        "undo": button(page, t("fac.undo")),
        "jump": page.get_by_role("combobox", name=t("fac.jump"), exact=True),
        "lock": button(page, t("fac.lock")),
        "timer start": button(page, t("timer.start")),
        "timer +1": button(page, t("timer.plus")),
        "timer settings": button(page, t("timer.settings")),
        "readiness": page.get_by_text(t("fac.ready", ready=0, total=participants), exact=False).first,
        "join box on screen": page.get_by_role("switch", name=t("fac.show_join"), exact=True),
        "screen preview": page.locator("#ss-preview iframe"),
    }


def _all_in_view(page, where: str, participants: int = 8) -> None:
    size = page.viewport_size
    for name, locator in _controls(page, participants).items():
        expect(locator).to_be_visible()
        box = locator.bounding_box()
        assert box is not None, f"{where}: {name} has no box"
        inside = (box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= size["width"] + 1
                  and box["y"] + box["height"] <= size["height"] + 1)
        assert inside, f"{where}: {name} outside the {size} viewport: {box}"


@pytest.mark.parametrize("size", [LAPTOP_1366, FULL_HD], ids=["1366x768", "1920x1080"])
def test_session_controls_and_preview_stay_in_view(app, new_context, size):
    links = create_in_db(app.db_url, app.url, werkvormen=("brainstorm", "canvas", "followup"))
    _fill_room(_store(app), links.code, notes=40)
    fac = open_facilitator(new_context, links, **size)
    page = fac.page
    settled(page)
    name = f"{size['viewport']['width']}x{size['viewport']['height']}"
    # The preview is the real screen: its heading is the step's title.
    preview = page.frame_locator("#ss-preview iframe")
    expect(preview.locator(".ss-screen h1")).to_contain_text("Brainstorm", timeout=25_000)
    # ... and it is the room as it is now: the last note is on it, or counted in its "+ N meer"
    expect(preview.get_by_text("Idee 39", exact=False).or_(preview.locator(".ss-more-auto")).first).to_be_attached()
    expect(preview.get_by_text("Idee 0:", exact=False)).to_be_visible()
    _all_in_view(page, f"{name}, top of the page")
    page.locator('[data-testid="stDataFrame"]').first.hover()  # the table's toolbar would show now
    english = ENGLISH.findall(page.evaluate(PAGE_TEXTS)) + re.findall(
        r"Show/hide columns|Download as CSV|\bSearch\b", page.evaluate(PAGE_TEXTS))
    assert not english, f"{name}: English texts in the cockpit: {english}"
    screenshot(page, f"cockpit-{name}.png")

    # The page is longer than the window: scrolling the moderation keeps every control in view.
    page.mouse.move(size["viewport"]["width"] * 0.75, size["viewport"]["height"] / 2)
    page.mouse.wheel(0, 5000)
    page.wait_for_function("() => document.querySelector('[data-testid=stMain]').scrollTop > 200")
    _all_in_view(page, f"{name}, scrolled down the moderation")
    screenshot(page, f"cockpit-{name}-scrolled.png")


def test_open_timer_settings_and_half_typed_action_survive_live_updates(app, new_context):
    links, store, people, page = _cockpit(app, new_context, ("followup", "brainstorm"), notes=0)

    # The timer's settings, open while the room proposes actions (the moderation redraws).
    button(page, t("timer.settings")).click()
    minutes = page.get_by_role("spinbutton", name=t("timer.minutes"), exact=True)
    expect(minutes).to_be_visible()
    for i in range(3):
        store.propose_action(people[i], idem_key=new_key(), what=f"Voorstel uit de zaal {i}")
    expect(page.get_by_text("Voorstel uit de zaal 2", exact=False).first).to_be_attached(timeout=8000)  # a table cell
    expect(minutes).to_be_visible()  # still open after the live update
    page.keyboard.press("Escape")
    expect(minutes).to_be_hidden()

    # "Zelf een actie toevoegen", opened and half typed, while more proposals come in.
    page.get_by_text(t("followup.add_title"), exact=True).click()
    what = textbox(page, t("kind.action.what"))
    expect(what).to_be_visible()
    what.click()
    what.press_sequentially("Stagebank opzetten met")
    for i in range(3, 6):
        store.propose_action(people[i], idem_key=new_key(), what=f"Voorstel uit de zaal {i}")
    expect(page.get_by_text("Voorstel uit de zaal 5", exact=False).first).to_be_attached(timeout=8000)  # a table cell
    expect(what).to_be_visible()
    expect(what).to_have_value("Stagebank opzetten met")
    what.press_sequentially(" de gemeente")  # typing goes on where it was
    expect(what).to_have_value("Stagebank opzetten met de gemeente")
    expect(what).to_be_focused()


def test_automatic_lock_shows_in_the_cockpit_within_2_seconds(app, new_context):
    links = create_in_db(app.db_url, app.url, werkvormen=("brainstorm", "followup"))
    store = _store(app)
    ws = store.workshop_by_code(links.code)
    fac_cap = store.authorize(links.code, links.secret)
    step = store.steps(ws.id)[0]
    store.update_step(fac_cap, step.id, timer_seconds=5, timer_auto_lock=True)
    fac = open_facilitator(new_context, links, **LAPTOP_1366)
    page = fac.page
    settled(page)
    button(page, t("timer.start")).click()
    started = time.monotonic()
    expect(button(page, t("timer.pause"))).to_be_visible()
    ends = store.step(step.id).timer_end
    assert ends is not None
    unlock = button(page, t("fac.unlock"))
    expect(unlock).to_be_visible(timeout=15_000)
    late = time.monotonic() - started - 5
    assert store.step(step.id).locked
    assert late <= 2.0, f"the lock showed {late:.1f} s after the timer ended"
    # Every control tells the truth: no "Pauze" for a timer that ended, no "Invoer sluiten".
    expect(button(page, t("timer.pause"))).to_have_count(0)
    expect(button(page, t("fac.lock"))).to_have_count(0)
    expect(page.locator("p.ss-cockpit-state")).to_have_attribute("data-locked", "true")
    screenshot(page, "cockpit-after-automatic-lock.png")


def test_selected_note_lines_stay_selected_while_notes_come_in(app, new_context):
    links, store, people, page = _cockpit(app, new_context, ("brainstorm", "followup"), notes=5)
    select_note_lines(page, "Idee 1:", "Idee 3:")
    expect(button(page, t("notetool.hide_n", count=2))).to_be_enabled()
    step = store.steps(store.workshop_by_code(links.code).id)[0]
    for i in range(3):
        store.add_note(people[i], step.id, section="ideeen", field="note", text=f"Nieuw idee {i}", idem_key=new_key())
    expect(page.locator('td[role="gridcell"]', has_text="Nieuw idee 2").first).to_be_attached(timeout=8000)
    expect(button(page, t("notetool.hide_n", count=2))).to_be_enabled()  # the same two lines
    button(page, t("notetool.hide_n", count=2)).click()
    # What the facilitator sees when the click has done its work: the two lines can be shown again.
    # (Right after a click the page may not have started its run yet, so "no run in progress"
    # alone proves nothing: that was this test's flake, not a lost click.)
    expect(button(page, t("notetool.show_n", count=2))).to_be_enabled()
    hidden = {n["text"].split(":")[0] for n in store.contributions(step.id, include_hidden=True) if n["hidden"]}
    assert hidden == {"Idee 1", "Idee 3"}, hidden


def test_jump_moves_the_group_and_nothing_moves_it_back(app, new_context):
    """"Ga naar stap" moves the workshop; a live update afterwards (a note, a "klaar" tap) never
    replays the jump box of an earlier drawing, which would move the group back."""
    links = create_in_db(app.db_url, app.url, werkvormen=("brainstorm", "followup", "canvas"))
    store = _store(app)
    people = _fill_room(store, links.code, notes=2)
    ws = store.workshop_by_code(links.code)
    fac = open_facilitator(new_context, links, **LAPTOP_1366)
    page = fac.page
    settled(page)
    titles = [s.werkvorm.title for s in store.steps(ws.id)]
    choose(page, t("fac.jump"), f"3. {titles[2]}")
    expect(page.get_by_text(t("fac.current", n=3, title=titles[2]))).to_be_visible()
    assert store.workshop(ws.id).current_step == 2
    button(page, t("fac.back")).click()  # and a plain step back: the jump box is drawn again
    expect(page.get_by_text(t("fac.current", n=2, title=titles[1]))).to_be_visible()
    button(page, t("fac.lock")).click()  # the version moves on, the jump box is drawn again
    button(page, t("fac.unlock")).click()
    expect(button(page, t("fac.lock"))).to_be_visible()
    canvas = store.steps(ws.id)[2]
    for person in people[:3]:  # the room keeps the cockpit busy
        store.set_ready(person, 1)
        store.add_note(person, canvas.id, section=canvas.werkvorm.sections[0].key, field="note",
                       text="Later", idem_key=new_key())
    page.wait_for_timeout(5000)  # a few ticks and refreshes
    assert store.workshop(ws.id).current_step == 1
    expect(page.get_by_text(t("fac.current", n=2, title=titles[1]))).to_be_visible()


def _cluster_of(store: Store, step_id: int, text: str):
    return next(n["cluster_id"] for n in store.contributions(step_id, include_hidden=True) if n["text"].startswith(text))


def _stored_within(store: Store, step_id: int, text: str, cluster_id, seconds: float = 10.0) -> float:
    """Seconds until the note's cluster is ``cluster_id`` in the store (polled every 10 ms)."""
    start = time.monotonic()
    while _cluster_of(store, step_id, text) != cluster_id:
        assert time.monotonic() - start < seconds, f"{text!r} not in cluster {cluster_id} after {seconds} s"
        time.sleep(0.01)
    return time.monotonic() - start


def test_notes_are_clustered_by_dragging_them_on_the_board(app, new_context):
    """150 notes on the board: a note dragged with the mouse onto a cluster is stored there (the
    time from the drop to the store is measured), one dropped on "Nieuw cluster" gets a cluster
    of its own, and the keyboard does the same (Space, arrows, Enter) with Dutch announcements."""
    links = create_in_db(app.db_url, app.url, werkvormen=("brainstorm", "followup"))
    store = _store(app)
    _fill_room(store, links.code, notes=150)
    ws = store.workshop_by_code(links.code)
    fac_cap = store.authorize(links.code, links.secret)
    step = store.steps(ws.id)[0]
    bedrijven = store.add_cluster(fac_cap, step.id, "Bedrijven")
    store.add_cluster(fac_cap, step.id, "Docenten")
    fac = open_facilitator(new_context, links, **LAPTOP_1366)
    page = fac.page
    settled(page)
    frame_el = page.locator('iframe[title="%s"]' % t("board.title"))
    expect(frame_el).to_be_visible(timeout=15_000)  # the board names itself in Dutch
    board = page.frame_locator('iframe[title="%s"]' % t("board.title"))
    rest = board.locator('ul[data-lane="none"]')
    expect(rest.locator("li.card")).to_have_count(150)
    assert (frame_el.bounding_box() or {}).get("height", 999) <= 480  # 150 notes: one compact board
    card_box = board.locator("li.card").first.bounding_box()
    assert card_box and card_box["height"] <= 32, card_box  # one line per note

    # The mouse: "Idee 7" onto "Bedrijven"
    lane = board.locator(f'section.lane[data-lane="{bedrijven}"]')
    drag(page, rest.locator("li.card", has_text="Idee 7:"), lane, max_y=40)
    dropped = time.monotonic()
    took = _stored_within(store, step.id, "Idee 7:", bedrijven)
    expect(lane.locator("li.card", has_text="Idee 7:")).to_be_visible()
    expect(lane.locator("h3 .count")).to_have_text(t("wall.x_note_count", count=1))  # drawn again from the store
    redrawn = time.monotonic() - dropped
    print(f"board notes=150 drop_to_stored_s={took:.3f} drop_to_redrawn_s={redrawn:.3f}")
    assert took < 2.0 and redrawn < 3.0, (took, redrawn)
    expect(board.locator('[role="status"]')).to_have_text(
        t("board.dropped").replace("{item}", "Idee 7: meer stageplekken en samen opleiden in de regio")
        .replace("{lane}", "Bedrijven"))
    expect(page.locator('td[role="gridcell"]', has_text="Bedrijven").first).to_be_attached()  # the table follows
    # let go over the cluster's heading (not its list of cards): it counts as that cluster
    drag(page, rest.locator("li.card", has_text="Idee 20:"), lane.locator("h3"), steps=1, max_y=40)  # one quick move
    _stored_within(store, step.id, "Idee 20:", bedrijven)
    expect(lane.locator("h3 .count")).to_have_text(t("wall.x_note_count", count=2))

    # "Nieuw cluster": the note gets a cluster of its own
    drag(page, rest.locator("li.card", has_text="Idee 12:"), board.locator('section.lane[data-lane="new"] .hint'), max_y=40)
    deadline = time.monotonic() + 10
    while _cluster_of(store, step.id, "Idee 12:") is None:
        assert time.monotonic() < deadline, "no new cluster"
        time.sleep(0.02)
    made = {c["id"]: c["name"] for c in store.clusters(step.id)}
    assert made[_cluster_of(store, step.id, "Idee 12:")] == t("board.new_name", n=3)
    expect(board.locator("section.lane", has_text=t("board.new_name", n=3)).locator("li.card")).to_have_count(1)
    screenshot(page, "cockpit-cluster-board.png")

    # The keyboard: Tab to the board, Space picks "Idee 0" up, the arrows reach "Bedrijven", Enter puts it down
    first = rest.locator("li.card").first
    expect(first).to_contain_text("Idee 0:")
    first.focus()
    page.keyboard.press("Space")
    expect(board.locator('[role="status"]')).to_contain_text(t("board.picked").split("{item}")[1].split("{lane}")[0].strip())
    page.keyboard.press("ArrowRight")
    expect(board.locator('[role="status"]')).to_have_text(t("board.over").replace("{lane}", "Bedrijven"))
    page.keyboard.press("Enter")
    _stored_within(store, step.id, "Idee 0:", bedrijven)
    expect(lane.locator("li.card", has_text="Idee 0:")).to_be_visible()
    # ... and Escape leaves a note where it was
    rest.locator("li.card").first.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Escape")
    page.wait_for_timeout(500)
    assert _cluster_of(store, step.id, "Idee 1:") is None
    english = ENGLISH.findall(page.evaluate(PAGE_TEXTS))
    assert not english, english
    _all_in_view(page, "1366x768 with the board")
    # The board's own frame passes the same accessibility rules as the pages (labels, contrast)
    frame = next(f for f in page.frames if "/component/ui.sortboard.sortboard/" in f.url)
    report = axe(frame)
    assert report["violations"] == [], format_violations(report["violations"])
    assert "color-contrast" in report["passes"], report["passes"]  # the check did look at the cards
    assert frame.evaluate("() => document.documentElement.lang") == "nl"


def test_a_note_is_clustered_by_touch(app, new_context):
    """A finger on a touch screen: hold the card briefly, move it onto the cluster, lift."""
    links = create_in_db(app.db_url, app.url, werkvormen=("brainstorm", "followup"))
    store = _store(app)
    _fill_room(store, links.code, notes=12)
    ws = store.workshop_by_code(links.code)
    step = store.steps(ws.id)[0]
    cid = store.add_cluster(store.authorize(links.code, links.secret), step.id, "Bedrijven")
    fac = open_facilitator(new_context, links, has_touch=True, **LAPTOP_1366)
    page = fac.page
    settled(page)
    board = page.frame_locator('iframe[title="%s"]' % t("board.title"))
    card = board.locator('ul[data-lane="none"] li.card', has_text="Idee 4:")
    card.scroll_into_view_if_needed()
    a = card.bounding_box()
    b = board.locator(f'section.lane[data-lane="{cid}"]').bounding_box()
    cdp = page.context.new_cdp_session(page)

    def touch(kind: str, x: float, y: float) -> None:
        points = [] if kind == "touchEnd" else [{"x": x, "y": y}]
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    x, y = a["x"] + a["width"] / 2, a["y"] + a["height"] / 2
    touch("touchStart", x, y)
    page.wait_for_timeout(400)  # hold: a quick swipe scrolls the list instead
    tx, ty = b["x"] + b["width"] / 2, b["y"] + min(b["height"] / 2, 40)
    for i in range(1, 13):
        touch("touchMove", x + (tx - x) * i / 12, y + (ty - y) * i / 12)
        page.wait_for_timeout(20)
    touch("touchEnd", tx, ty)
    _stored_within(store, step.id, "Idee 4:", cid)
    expect(board.locator(f'section.lane[data-lane="{cid}"] li.card', has_text="Idee 4:")).to_be_visible()


def test_a_drag_survives_notes_coming_in(app, new_context):
    """Notes that arrive while a card is held redraw the board only after the drop: the drag is
    not broken off, the drop is stored, and the new notes show afterwards."""
    links = create_in_db(app.db_url, app.url, werkvormen=("brainstorm", "followup"))
    store = _store(app)
    people = _fill_room(store, links.code, notes=6)
    ws = store.workshop_by_code(links.code)
    step = store.steps(ws.id)[0]
    cid = store.add_cluster(store.authorize(links.code, links.secret), step.id, "Bedrijven")
    fac = open_facilitator(new_context, links, **LAPTOP_1366)
    page = fac.page
    settled(page)
    board = page.frame_locator('iframe[title="%s"]' % t("board.title"))
    rest = board.locator('ul[data-lane="none"]')
    expect(rest.locator("li.card")).to_have_count(6)
    held = rest.locator("li.card", has_text="Idee 2:")
    held.scroll_into_view_if_needed()
    a = held.bounding_box()
    b = board.locator(f'section.lane[data-lane="{cid}"]').bounding_box()
    page.mouse.move(a["x"] + a["width"] / 2, a["y"] + a["height"] / 2)
    page.mouse.down()
    page.mouse.move(a["x"] + a["width"] / 2 + 10, a["y"] + a["height"] / 2 + 5, steps=3)
    expect(board.locator("li.card.sortable-fallback")).to_have_count(1)  # the card is held (its moving copy)
    for i in range(2):
        store.add_note(people[i], step.id, section="ideeen", field="note", text=f"Laat binnen {i}", idem_key=new_key())
    expect(page.locator('td[role="gridcell"]', has_text="Laat binnen 1").first).to_be_attached(timeout=8000)
    expect(rest.locator("li.card", has_text="Laat binnen")).to_have_count(0)  # not while the card is held
    page.mouse.move(b["x"] + b["width"] / 2, b["y"] + min(b["height"] / 2, 40), steps=10)
    page.mouse.up()
    _stored_within(store, step.id, "Idee 2:", cid)
    expect(rest.locator("li.card", has_text="Laat binnen")).to_have_count(2)  # and now they are there
    expect(board.locator(f'section.lane[data-lane="{cid}"] li.card', has_text="Idee 2:")).to_be_visible()


def test_a_click_that_coincides_with_a_refresh_redraws_its_own_part(app, new_context):
    """The cockpit's ticker presses its hidden refresh button when notes came in; a facilitator's click
    at that very moment reaches the server with it, as one interaction. The refresh reruns the parts
    that went stale, and that keyed rerun replaces the interaction's own: without care the clicked
    part (here the dot round's) kept its old face ("Stemronde openen") although the round was open.
    The browser is made to press both in the same tick, and no later refresh."""
    links, store, people, page = _cockpit(app, new_context, ("brainstorm", "followup"), notes=3)
    page.get_by_text(t("vote.controls")).first.click()
    expect(button(page, t("vote.open"))).to_be_visible()
    settled(page)
    # the next refresh press also presses "Stemronde openen", in the same tick; later ticks press
    # nothing, so only that interaction can show the open round
    page.evaluate("""() => { window.__ssPressKey = (key) => {
        if (window.__ssBoth) return;
        const refresh = document.querySelector('.st-key-' + key + ' button');
        const open = document.querySelector('.st-key-vote-open button');
        if (refresh) refresh.click();
        if (open) { window.__ssBoth = true; open.click(); } }; }""")
    step = store.steps(store.workshop_by_code(links.code).id)[0]
    store.add_note(people[0], step.id, section=step.werkvorm.sections[0].key, field="note",
                   text="Een briefje dat de ticker ziet", idem_key=new_key())
    page.wait_for_function("() => window.__ssBoth", timeout=15_000)
    expect(button(page, t("vote.close"))).to_be_visible()
    assert store.step(step.id).voting_open
    expect(page.get_by_text("Een briefje dat de ticker ziet").first).to_be_attached()  # the refresh did its part
