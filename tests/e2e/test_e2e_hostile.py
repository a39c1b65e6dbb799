"""Scenario 4: hostile text typed into the fields shows as text, runs nothing, and the layout holds.

HTML and script tags, Markdown links and images, Streamlit's Markdown extensions and very long
words go in through the real inputs (join form, notes, a follow-up action) and through the
workshop title. Every page that shows them must show the literal text; no element that the text
describes may exist; no script may run (no dialog, no flag set on ``window``); and neither the
phone (360 px) nor the screen may scroll sideways or push anything past the viewport edge.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from e2e.drive import (LOAD_MS, PHONE, elements_wider_than_viewport, no_app_errors, no_horizontal_scroll, open_tab,
                       screenshot, settled, textbox)
import canvas_models
from e2e.flows import create_in_db, join, links_for, open_facilitator, open_screen, post_note
from exports import backup
from exports.snapshot import snapshot
from hostile import HOSTILE
from messages import t
from workshop import db as D
from workshop.store import Store

pytestmark = [pytest.mark.browser]

PWN = "window.__pwned"
#: What goes in through the note field (each within the 280-character note limit).
NOTES = [
    "<script>window.__pwned = 'script'</script>",
    '<img src=x onerror="window.__pwned=\'img\'">',
    "<svg/onload=window.__pwned='svg'>",
    "[Klik hier voor je beloning](https://evil.example/login)",
    "![pixel](https://evil.example/track.png)",
    "**vet** _schuin_ `code` :red[rood] $x^2$ <b>dik</b>",
    HOSTILE["html_markup"],
    "Onderwijsarbeidsmarktregioprogrammacoördinatorenoverleg" * 4,  # one 220-character word
]
LONG_WORD = "x" * 270
TITLE = "<i>Titel</i> **met** [link](javascript:alert(1)) ![img](x.png)"
NAME = "<b>Bo</b> [x](https://evil.example)"
ACTION = "<img src=y onerror=alert(2)> " + "Actiepuntzonderspaties" * 10


def _inert(tab, texts: list[str]) -> None:
    """The literal text is on the page; nothing it describes was built; nothing ran."""
    page = tab.page
    body = page.locator('[data-testid="stMain"]').inner_text()
    flat = " ".join(body.split())
    for text in texts:
        assert " ".join(text.split()) in flat, f"{tab.name}: {text!r} is not shown as text"
    main = page.locator('[data-testid="stMain"]')
    assert main.locator("img[src='x'], img[src='y'], img[src*='evil.example'], svg[onload]").count() == 0
    assert main.locator("a[href*='evil.example'], a[href^='javascript']").count() == 0, f"{tab.name}: a live link"
    scripts = main.locator("script").evaluate_all("els => els.map(e => e.textContent)")
    assert not [x for x in scripts if "__pwned" in x], f"{tab.name}: user text became a script element"
    assert main.locator("b:text-is('dik'), i:text-is('Titel'), strong:text-is('vet')").count() == 0, \
        f"{tab.name}: user markup was rendered"
    assert page.evaluate(f"() => typeof {PWN}") == "undefined", f"{tab.name}: a script ran"


def _in_notes_table(tab, texts: list[str]) -> None:
    """The facilitator's notes table (drawn on a canvas, which cannot interpret markup) lists every
    text; its accessible copy shortens long cells, so their start is compared."""
    cells = tab.page.locator('td[role="gridcell"]').evaluate_all("els => els.map(e => e.textContent)")
    flat = [" ".join(c.split()) for c in cells]
    for text in texts:
        start = " ".join(text.split())[:40]
        assert any(c.startswith(start) for c in flat), f"{tab.name}: {start!r} is not in the notes table"


def _on_board(tab, texts: list[str]) -> None:
    """The sort board (its own frame) shows every text as the literal text of a card; nothing the
    text describes was built and nothing ran there."""
    frame = tab.page.frame_locator('iframe[title="%s"]' % t("board.title"))
    cards = frame.locator("li.card .text")
    expect(cards).to_have_count(len(texts))
    shown = cards.evaluate_all("els => els.map(e => e.textContent)")
    assert sorted(shown) == sorted(" ".join(x.split()) for x in texts), f"{tab.name}: the board changed a text"
    board = frame.locator("#board")
    assert board.locator("script, img, svg, a, b, i").count() == 0, f"{tab.name}: markup was built on the board"
    assert board.evaluate(f"() => typeof {PWN}") == "undefined", f"{tab.name}: a script ran on the board"


def _layout_holds(tab) -> None:
    no_horizontal_scroll(tab.page)
    sticking_out = elements_wider_than_viewport(tab.page)
    assert not sticking_out, f"{tab.name}: elements past the right edge: {sticking_out}"


def test_hostile_text(app, new_context, timings):
    links = create_in_db(app.db_url, app.url, title=TITLE, werkvormen=("brainstorm", "followup"))
    screen = open_screen(new_context, links)
    fac = open_facilitator(new_context, links)
    phone = join(new_context, "phone", links, person=NAME, org="overig", phone=True)
    laptop = join(new_context, "laptop", links, person="Lia", org="po")

    for i, text in enumerate(NOTES + [LONG_WORD]):
        post_note(phone if i % 2 else laptop, text)
    expect(screen.page.locator(".ss-note")).to_have_count(len(NOTES) + 1)
    # nine notes in a few seconds is a busy room: the cockpit gathers them into one redraw every
    # MODERATION_GAP seconds (8 s), so the last one may show a gap and a tick after it came in
    expect(fac.page.locator('td[role="gridcell"]', has_text=LONG_WORD[:40]).first).to_be_attached(timeout=LOAD_MS)
    settled(phone.page)

    notes = NOTES + [LONG_WORD]
    _inert(screen, notes + [NAME])
    _inert(fac, [])  # nothing built, nothing ran
    _in_notes_table(fac, notes)
    _on_board(fac, notes)
    _inert(phone, [NAME, TITLE])
    phone.page.get_by_text(t("participant.my_notes", count=len(notes) // 2)).click()
    # the list is drawn when it is opened
    expect(phone.page.get_by_role("button", name=t("participant.delete"), exact=True)).to_have_count(len(notes) // 2)
    _inert(phone, [text for i, text in enumerate(notes) if i % 2])
    _layout_holds(phone)
    _layout_holds(screen)
    screenshot(phone.page, "phone-hostile-360.png", full_page=True)
    screenshot(screen.page, "screen-hostile-1920x1080.png")

    # an action with markup and a long word, in the follow-up table on the screen
    fac.page.get_by_role("button", name=t("fac.next"), exact=True).click()
    expect(textbox(phone.page, t("kind.action.what"))).to_be_visible(timeout=15_000)
    textbox(phone.page, t("kind.action.what")).fill(ACTION)
    textbox(phone.page, t("kind.action.owner")).fill(NAME)
    phone.page.get_by_role("button", name=t("followup.propose"), exact=True).click()
    expect(phone.page.get_by_text(t("followup.sent"))).to_be_visible()
    fac.page.get_by_role("button", name=t("followup.confirm_all", count=1), exact=True).click()
    expect(screen.page.locator(".ss-fu-what", has_text=ACTION[:20])).to_be_visible()
    _inert(screen, [ACTION, NAME])
    _inert(phone, [ACTION])
    _layout_holds(phone)
    _layout_holds(screen)

    # a fresh page of a participant whose name is hostile also keeps its layout on the phone
    again = open_tab(new_context, "phone-again", phone.page.url, **PHONE)
    expect(again.page.get_by_text(NAME, exact=False)).to_be_visible()
    _layout_holds(again)

    timings.update(notes=len(notes))
    for tab in (screen, fac, phone, laptop, again):
        no_app_errors(tab)
    _inert(fac, [TITLE])  # the workshop title in the facilitator's page heading


#: An aspect name as a facilitator may type it: a web address, a bare "www." address and a mail address.
URL_ASPECT = "Stages zie https://evil.example/stage of www.evil.example en mail stage@evil.example"


def test_an_address_in_an_aspect_name_stays_text_on_the_phone(app, new_context):
    """Streamlit turns bare addresses in widget labels into links, even escaped ones; the aspect
    name on the phone (its chip, a widget label, and the heading of the aspect shown) must stay plain
    text that reads the same."""
    links = create_in_db(app.db_url, app.url, werkvormen=("praatplaat",))
    database = D.Database(app.db_url)
    try:
        store = Store(database)
        fac = store.authorize(links.code, links.secret)
        step = store.steps(store.workshop_by_code(links.code).id)[0]
        store.set_sections(fac, step.id, [{"title": URL_ASPECT, "question": "Hoe staat het ervoor?"},
                                          {"title": "Relatie", "question": "Hoe gaat het samen?"}])
    finally:
        database.dispose()
    phone = join(new_context, "phone", links, person="Anna", phone=True)
    page = phone.page
    main = page.locator('[data-testid="stMain"]')
    chip = main.get_by_role("radiogroup", name=t("praat.aspects")).get_by_role("radio").first
    heading = main.get_by_role("heading", level=3).first
    expect(chip).to_be_visible()
    expect(heading).to_be_visible()
    for text in (chip.inner_text(), heading.inner_text()):  # read and seen: the same address, nothing between
        assert URL_ASPECT in text.replace("\u2060", ""), text
    assert main.locator('[data-testid="stButtonGroup"] a, h3 a').count() == 0
    assert main.locator('a[href*="evil.example"]').count() == 0
    no_app_errors(phone)


def test_restored_section_texts_are_inert_on_the_facilitator_page(app, new_context):
    """A backup whose GROW stage titles and script lines carry links, an outside image, a
    directive, LaTeX, a NUL and a right-to-left override: the facilitator page shows them as text."""
    title = "[klik](https://evil.example/x) :red[rood] $x^2$ \x00nul \u202eomgekeerd www.evil.example"
    line = "![pixel](https://evil.example/t.png) **vet** mail a@evil.example"
    links = create_in_db(app.db_url, app.url, werkvormen=("grow",))
    database = D.Database(app.db_url)
    try:
        store = Store(database)
        data = json.loads(backup.to_json(snapshot(store, store.workshop_by_code(links.code).id)))
        sections = [s.model_dump() for s in canvas_models.get("grow").sections]
        for section in sections:
            section["title"], section["script"] = f"{title} {section['key']}", [line]
        data["steps"][0]["config"] = {"sections": sections}
        ws, secret = backup.restore(store, json.dumps(data))
    finally:
        database.dispose()
    fac = open_facilitator(new_context, links_for(app.url, ws.code, secret))
    page = fac.page
    main = page.locator('[data-testid="stMain"]')
    expect(main.get_by_text("nul omgekeerd", exact=False).filter(visible=True).first).to_be_visible()
    body = " ".join(main.inner_text().replace("\u2060", "").split())
    assert "[klik](https://evil.example/x) :red[rood] $x^2$ nul omgekeerd" in body  # literally, as text
    assert line in body and "\u202e" not in body and "\x00" not in body
    assert main.locator("a[href*='evil.example'], img[src*='evil.example'], .katex").count() == 0
    assert main.locator("strong:text-is('vet'), [style*='color'] :text-is('rood'), span:text-is('rood')").count() == 0
    no_app_errors(fac)
