"""Accessibility: axe-core (from the npm registry, pinned in tests/e2e/package.json) in the browser.

The check runs the rules for labels (every input, button, image and link has an accessible
name) and for colour contrast (WCAG AA) on the pages people use: the join page, the join form,
a participant's page on a phone (a brainstorm note form and the praatplaat answer form) and the
projected screen at 1920x1080. Any violation of those rules fails the test, with axe's own
description of each element.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from e2e.drive import AXE_RULES, LAPTOP, PHONE, SCREEN, axe, format_violations, open_tab, settled, textbox
from e2e.flows import create_in_db, join, post_note
from messages import t

pytestmark = [pytest.mark.browser]


def _check(tab, where: str, results: dict, unsure: dict) -> None:
    settled(tab.page)
    report = axe(tab.page)
    assert report["version"], report
    assert "color-contrast" in report["passes"] or any(v["id"] == "color-contrast" for v in report["violations"]), \
        f"{where}: axe did not evaluate colour contrast"
    results[where] = report["violations"]
    unsure[where] = {v["id"]: len(v["nodes"]) for v in report["incomplete"]}


def test_axe_check_catches_missing_labels_and_low_contrast(new_context):
    """The check itself: an input without a label and pale text on white are reported."""
    page = new_context().new_page()
    page.set_content('<html lang="nl"><body><main><h1>Proef</h1><label for="ok">Naam</label>'
                     '<input type="text" id="ok"><input type="text" id="probe-unlabelled">'
                     '<p style="color:#b0b0b0;background:#ffffff;font-size:14px">Bleke tekst op wit</p>'
                     '<p style="color:#111;background:#fff">Goed leesbaar</p></main></body></html>')
    found = {v["id"]: v for v in axe(page)["violations"]}
    assert "label" in found, found.keys()
    assert [n["target"] for n in found["label"]["nodes"]] == ["#probe-unlabelled"]
    assert "color-contrast" in found, found.keys()
    assert [n["html"] for n in found["color-contrast"]["nodes"]] == [
        '<p style="color:#b0b0b0;background:#ffffff;font-size:14px">Bleke tekst op wit</p>']


def test_axe_labels_and_contrast(app, new_context, timings):
    links = create_in_db(app.db_url, app.url, werkvormen=("brainstorm", "praatplaat"))
    results: dict[str, list] = {}
    unsure: dict[str, dict] = {}

    start = open_tab(new_context, "join-page", f"{app.url}/", **PHONE)
    expect(textbox(start.page, t("join.code"))).to_be_visible()
    _check(start, "join page /", results, unsure)

    form = open_tab(new_context, "join-form", links.join, **PHONE)
    expect(textbox(form.page, t("join.name"))).to_be_visible()
    _check(form, "join form /?room=CODE", results, unsure)

    phone = join(new_context, "participant", links, person="Pim", org="mbo", phone=True)
    post_note(phone, "Een briefje om de kaart te vullen")
    _check(phone, "participant page (brainstorm, phone)", results, unsure)

    screen = open_tab(new_context, "screen", links.screen, **SCREEN)
    expect(screen.page.get_by_text("Een briefje om de kaart te vullen")).to_be_visible()
    _check(screen, "screen (brainstorm, 1920x1080)", results, unsure)

    fac = open_tab(new_context, "facilitator", links.facilitator, **LAPTOP)
    fac.page.get_by_role("button", name=t("fac.next"), exact=True).click()
    expect(phone.page.get_by_role("button", name=t("praat.next"), exact=True)).to_be_visible(timeout=15_000)
    _check(phone, "participant page (praatplaat, phone)", results, unsure)
    expect(screen.page.get_by_text(t("screen.hidden"))).to_be_visible()
    _check(screen, "screen (praatplaat waiting, 1920x1080)", results, unsure)

    timings.update(rules=len(AXE_RULES), pages=len(results),
                   violations={k: [v["id"] for v in vs] for k, vs in results.items() if vs},
                   axe_incomplete={k: v for k, v in unsure.items() if v})
    failing = {where: found for where, found in results.items() if found}
    assert not failing, "axe-core found violations:\n" + "\n".join(
        f"== {where}\n{format_violations(found)}" for where, found in failing.items())
