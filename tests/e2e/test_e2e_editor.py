"""The werkvorm editor in a real browser: a new werkvorm made from a layout (three blocks on a grid,
one moved up), saved as a template of a partnership opened with its link, its live preview showing
the edited blocks on the phone and the screen, added to the programme on /nieuw, where the workshop is
made; it runs the werkvorm with two phones (360x740) and the projected screen shows the edited titles and
the notes."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from e2e.drive import (ACT_MS, LOAD_MS, axe, button, drag, fill, format_violations, no_app_errors, open_tab, screenshot,
                       settled, textbox)
from e2e.flows import create_via_ui, join, open_screen, post_note
from e2e.test_e2e_chrome import ENGLISH, PAGE_TEXTS
from messages import t
from workshop import db as D
from workshop.store import Store

pytestmark = [pytest.mark.browser]

BLOCKS = [("Onze ambitie", "Waar willen we samen naartoe?"),
          ("Wat we al doen", "Welke activiteit loopt al goed?"),
          ("Wie ontbreekt", "Welke partner missen we nog?")]


def _type(page, label: str, value: str) -> None:
    """Type into a field and leave it (the editor stores a field when it is left)."""
    fill(page, label, value)
    textbox(page, label).press("Tab")
    settled(page)


def test_a_werkvorm_made_in_the_editor_runs_with_two_phones(app, new_context):
    database = D.Database(app.db_url)
    store = Store(database)
    try:
        partnership, secret = store.create_partnership("Regio Oost")
        access = store.open_partnership(partnership.id, secret)
        tab = open_tab(new_context, "editor", f"{app.url}/werkvorm?vorm=grid&p={partnership.id}&key={secret}",
                       viewport={"width": 1280, "height": 720})
        page = tab.page
        expect(textbox(page, t("editor.f.title"))).to_be_visible(timeout=LOAD_MS)
        expect(page).not_to_have_url(re.compile("key="))  # the secret left the address
        _type(page, t("editor.f.title"), "Onze eigen plaat")
        # the suggested key follows the title, in grey in the empty box (never written into the box:
        # typing there while the title's run was drawing once gave "onze_eigen_plaatonze_plaat")
        expect(textbox(page, t("editor.f.key"))).to_have_attribute("placeholder", "onze_eigen_plaat")
        expect(textbox(page, t("editor.f.key"))).to_have_value("")
        _type(page, t("editor.f.key"), "onze_plaat")
        for n, (title, question) in enumerate(BLOCKS, start=1):
            if n > 1:
                button(page, t("editor.add_section")).click()
            expect(textbox(page, t("editor.f.s.title", n=n))).to_be_visible(timeout=ACT_MS)
            _type(page, t("editor.f.s.title", n=n), title)
            _type(page, t("editor.f.s.question", n=n), question)
        # an invalid key shows its Dutch message beside the field, and the typed text stays
        _type(page, t("editor.f.s.key", n=3), "Wie ontbreekt?")
        expect(page.locator(".ss-ed-problem").first).to_contain_text("kleine letters")
        expect(textbox(page, t("editor.f.s.key", n=3))).to_have_value("Wie ontbreekt?")
        screenshot(page, "editor-problem-1280x720.png")
        _type(page, t("editor.f.s.key", n=3), "ontbreekt")
        expect(page.get_by_text(t("editor.valid"))).to_be_visible()
        # the third block moves up, with the keyboard
        third = page.locator('[data-testid="stExpander"]').filter(has=textbox(page, t("editor.f.s.title", n=3)))
        third.get_by_role("button", name=t("editor.up"), exact=True).focus()
        page.keyboard.press("Enter")
        expect(textbox(page, t("editor.f.s.title", n=2))).to_have_value("Wie ontbreekt", timeout=ACT_MS)
        # the order board: the first block dragged below the last with the mouse ...
        board = page.frame_locator('iframe[title="%s"]' % t("editor.order.title"))
        expect(board.locator("li.card", has_text="2. Wie ontbreekt")).to_be_visible(timeout=ACT_MS)
        settled(page)
        drag(page, board.locator("li.card", has_text="1. Onze ambitie"), board.locator("li.card").nth(2), steps=8,
             at=0.8, placed=board.locator("li.card:nth-child(3)", has_text="1. Onze ambitie"))
        expect(page.locator("summary", has_text="3. Onze ambitie")).to_be_visible(timeout=ACT_MS)
        # ... and back to the top with the keyboard
        card = board.locator("li.card", has_text="3. Onze ambitie")
        expect(card).to_be_visible(timeout=ACT_MS)
        card.focus()
        page.keyboard.press("Space")
        page.keyboard.press("ArrowUp")
        page.keyboard.press("ArrowUp")
        page.keyboard.press("Enter")
        expect(page.locator("summary", has_text="1. Onze ambitie")).to_be_visible(timeout=ACT_MS)
        expect(page.locator("summary", has_text="2. Wie ontbreekt")).to_be_visible()
        page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollTo(0, 0)")
        screenshot(page, "editor-top-1280x720.png")
        screenshot(page, "editor-1280x720.png")
        no_app_errors(tab)
        # the page and the order board's own frame pass the accessibility rules of the other pages
        settled(page)
        frame = next(f for f in page.frames if "/component/ui.sortboard.sortboard/" in f.url)
        for where, report in (("page", axe(page)), ("order board", axe(frame))):
            assert report["violations"] == [], where + ": " + format_violations(report["violations"])
        assert frame.evaluate("() => document.documentElement.lang") == "nl"
        page.get_by_text(t("editor.import"), exact=True).click()  # the file uploader speaks Dutch too
        expect(page.get_by_text("Hoogstens 25MB per bestand")).to_be_visible()
        english = ENGLISH.findall(page.evaluate(PAGE_TEXTS)) + re.findall(r"\bUpload\b|per file|file upload",
                                                                            page.evaluate(PAGE_TEXTS))
        assert not english, english

        # the live preview: the real phone page and screen of a practice workshop
        phone = page.frame_locator(".ss-pv-phone iframe")
        expect(phone.get_by_text("Onze eigen plaat").first).to_be_visible(timeout=LOAD_MS)
        page.get_by_role("tab", name=t("preview.screen")).click()
        screen_preview = page.frame_locator(".ss-pv-screen iframe")
        for title, _ in BLOCKS:
            expect(screen_preview.locator(f'[aria-label="{title}"]')).to_be_visible(timeout=LOAD_MS)

        button(page, t("editor.save")).click()
        expect(page.get_by_text(t("editor.saved", title="Onze eigen plaat", version=1))).to_be_visible()
        button(page, t("editor.add")).click()
        page.wait_for_url(re.compile(r"/nieuw"), timeout=ACT_MS)

        (template,) = store.templates(access)
        werkvorm = template.werkvorm
        assert [s.title for s in werkvorm.sections] == ["Onze ambitie", "Wie ontbreekt", "Wat we al doen"]
        # on /nieuw the werkvorm closes the programme; the workshop is made there, in the browser
        expect(page.get_by_text(werkvorm.title, exact=False).first).to_be_visible(timeout=LOAD_MS)
        links = create_via_ui(tab, app.url, title="Werksessie Oost", partnership="Regio Oost", facilitator="Fatima")
        ws = store.workshop_by_code(links.code)
        steps = store.steps(ws.id)
        assert steps[-1].werkvorm == werkvorm  # its own copy, as edited
        store.go_to_step(store.authorize(links.code, links.secret), steps[-1].position)
    finally:
        database.dispose()
    screen = open_screen(new_context, links)
    anna = join(new_context, "editor-anna", links, person="Anna", phone=True)
    bram = join(new_context, "editor-bram", links, person="Bram", org="po", phone=True)
    post_note(anna, "Samen een techniekroute", block=werkvorm.sections[0])
    post_note(bram, "Het bedrijfsleven", block=werkvorm.sections[1])
    for title, _ in BLOCKS:
        expect(screen.page.locator(f'[aria-label="{title}"]')).to_be_visible(timeout=LOAD_MS)
    for note in ("Samen een techniekroute", "Het bedrijfsleven"):
        expect(screen.page.get_by_text(note).first).to_be_visible(timeout=LOAD_MS)
    for other in (screen, anna, bram, tab):
        no_app_errors(other)


def test_a_file_is_read_in_through_the_uploader_and_hostile_text_stays_text(app, new_context):
    tab = open_tab(new_context, "editor-import", f"{app.url}/werkvorm?vorm=wall", viewport={"width": 1280, "height": 720})
    page = tab.page
    expect(textbox(page, t("editor.f.title"))).to_be_visible(timeout=LOAD_MS)
    page.get_by_text(t("editor.import"), exact=True).click()
    upload = page.locator('[data-testid="stFileUploader"] input[type="file"]')
    upload.set_input_files(files=[{"name": "kapot.yaml", "mimeType": "application/x-yaml",
                                   "buffer": b"a: &a [1, 2]\nb: [*a, *a]\n"}])
    expect(page.get_by_text(t("editor.import_refused"))).to_be_visible(timeout=ACT_MS)
    expect(page.locator(".ss-ed-import-refused")).to_contain_text("ankers of verwijzingen")
    expect(textbox(page, t("editor.f.title"))).to_have_value(t("editor.new_title"))  # nothing read
    hostile = ("key: eigen_x\ntitle: '<img src=x onerror=alert(1)> **vet**'\nsummary: Uitleg\nlayout: wall\n"
               "sections: [{key: a, title: '<script>alert(2)</script>'}]\nfields: [{key: n, kind: note, label: L}]\n")
    upload.set_input_files(files=[{"name": "x.yaml", "mimeType": "application/x-yaml", "buffer": hostile.encode()}])
    expect(textbox(page, t("editor.f.title"))).to_have_value("<img src=x onerror=alert(1)> **vet**", timeout=ACT_MS)
    expect(page.locator("summary", has_text="1. <script>alert(2)</script>")).to_be_visible()
    phone = page.frame_locator(".ss-pv-phone iframe")
    expect(phone.get_by_text("<img src=x onerror=alert(1)> **vet**").first).to_be_visible(timeout=LOAD_MS)
    assert page.locator("img[src=x]").count() == 0
    no_app_errors(tab)  # no dialog opened: no script ran


def test_the_preview_stays_loaded_while_the_werkvorm_is_invalid(app, new_context):
    tab = open_tab(new_context, "editor-steady", f"{app.url}/werkvorm?vorm=wall", viewport={"width": 1280, "height": 720})
    page = tab.page
    phone = page.frame_locator(".ss-pv-phone iframe")
    expect(phone.get_by_text(t("editor.new_title")).first).to_be_visible(timeout=LOAD_MS)
    page.evaluate("() => { document.querySelector('.ss-pv-phone iframe').dataset.mark = 'first'; }")
    _type(page, t("editor.f.title"), "")  # invalid: the last valid preview stays, not loaded again
    expect(page.get_by_text(t("editor.preview_stale"))).to_be_visible(timeout=ACT_MS)
    expect(page.locator(".ss-ed-problem").first).to_contain_text("vul dit in")
    settled(page)
    assert page.locator('.ss-pv-phone iframe[data-mark="first"]').count() == 1
    expect(phone.get_by_text(t("editor.new_title")).first).to_be_visible()
    no_app_errors(tab)
