"""Phones and the facilitator page without Streamlit's chrome, and in Dutch to the last label.

At 360 px the "Welkom, Naam" line is the first thing on the page, not hidden under Streamlit's fixed
header; the header, its menu and toolbar are gone on every page; and Streamlit's own texts that a
person or a screen reader meets (skip link, menu, help, date and form hints) are Dutch, as is the
document language.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from e2e.drive import LAPTOP, open_tab, screenshot, settled
from e2e.flows import create_in_db, join
from messages import t

pytestmark = [pytest.mark.browser]

#: Streamlit's English texts that must not reach a person (visible text, labels, hints, placeholders).
ENGLISH = re.compile(r"Skip to main content|Main menu|Help for|Choose date|Clear value|Press (Enter|Ctrl|⌘)|"
                     r"Choose an option|Drag and drop|Browse files|\byyyy\b", re.I)

PAGE_TEXTS = """() => {
  const out = [document.body.innerText];
  for (const el of document.querySelectorAll('[aria-label],[title],[placeholder]')) {
    for (const a of ['aria-label', 'title', 'placeholder']) if (el.hasAttribute(a)) out.push(el.getAttribute(a));
  }
  return out.join('\\n');
}"""


def _no_chrome_and_dutch(page, where: str) -> None:
    settled(page)
    assert page.evaluate("document.documentElement.lang") == "nl", where
    for test_id in ("stHeader", "stToolbar", "stMainMenu"):
        assert not page.get_by_test_id(test_id).is_visible(), f"{where}: {test_id} is visible"
    english = ENGLISH.findall(page.evaluate(PAGE_TEXTS))
    assert not english, f"{where}: English Streamlit texts {english}"


def test_phone_shows_who_you_are_first_and_speaks_dutch(app, new_context):
    links = create_in_db(app.db_url, app.url, werkvormen=("brainstorm", "followup"))
    phone = join(new_context, "phone-chrome", links, person="Pim", org="mbo", phone=True)
    page = phone.page
    welcome = page.get_by_text(t("join.welcome", name="Pim"), exact=False).first
    expect(welcome).to_be_visible()
    box = welcome.bounding_box()
    assert box and box["y"] >= 0, box
    # Nothing is drawn over the welcome line (the fixed header used to cover y = 0-60 px).
    on_top = page.evaluate("""([x, y]) => { const el = document.elementFromPoint(x, y);
                                            return el ? el.innerText || el.textContent : ''; }""",
                           [box["x"] + 4, box["y"] + box["height"] / 2])
    assert "Pim" in on_top, on_top
    _no_chrome_and_dutch(page, "participant page, 360 px")
    screenshot(page, "phone-360-welcome.png")


def test_facilitator_and_new_workshop_pages_have_no_chrome_and_dutch_hints(app, new_context):
    links = create_in_db(app.db_url, app.url, werkvormen=("brainstorm", "followup"))
    fac = open_tab(new_context, "fac-chrome", links.facilitator, **LAPTOP)
    expect(fac.page.get_by_role("button", name=t("fac.next"), exact=True)).to_be_visible()
    _no_chrome_and_dutch(fac.page, "facilitator page")

    new = open_tab(new_context, "new-chrome", f"{app.url}/nieuw", **LAPTOP)
    expect(new.page.get_by_text(t("new.date"), exact=True).first).to_be_visible()
    _no_chrome_and_dutch(new.page, "/nieuw")
    placeholders = new.page.evaluate("[...document.querySelectorAll('input[placeholder]')].map(e => e.placeholder)")
    assert all("y" not in p.lower() for p in placeholders), placeholders
