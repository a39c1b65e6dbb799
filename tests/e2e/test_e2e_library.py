"""/nieuw's programme and template library in a real browser (issue 18): open an own library with
a pasted facilitator link, add its own werkvorm to the programme, reorder and time the steps, create
the workshop, and find those steps in that order; the page passes the axe label and contrast rules."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from canvas_models import REGISTRY
from canvas_models import spec as S
from e2e.drive import LAPTOP, LOAD_MS, axe, button, fill, format_violations, no_app_errors, no_horizontal_scroll, open_tab, \
    screenshot, settled
from e2e.flows import create_in_db, create_via_ui
from messages import t
from workshop import db as D
from workshop.store import Store

pytestmark = [pytest.mark.browser]


def _own_werkvorm() -> dict:
    data = S.dump(REGISTRY["praatplaat"])
    data.update(key="eigen_praatplaat", title="Onze eigen praatplaat")
    data["sections"] = [{"key": f"aspect_{i}", "title": f"Aspect {i + 1}"} for i in range(6)]
    return data


def test_own_werkvorm_from_the_library_into_a_timed_programme(app, new_context):
    links = create_in_db(app.db_url, app.url, title="Vorige sessie")
    database = D.Database(app.db_url)
    try:
        store = Store(database)
        store.save_werkvorm(store.authorize(links.code, links.secret), _own_werkvorm())
    finally:
        database.dispose()

    tab = open_tab(new_context, "library", f"{app.url}/nieuw", **LAPTOP)
    page = tab.page
    expect(page.get_by_role("heading", name=t("lib.programme"))).to_be_visible()
    page.get_by_role("tab", name=t("lib.own")).click()
    expect(page.get_by_text(t("lib.no_owners"))).to_be_visible()
    field = page.get_by_label(t("lib.open_link"), exact=True)  # a password field: no textbox role
    field.fill(links.facilitator)
    field.press("Enter")
    button(page, t("lib.open_go")).click()
    owner = t("library.owner_workshop", title="Vorige sessie", code=links.code)
    expect(page.get_by_text(t("lib.opened", owner=owner))).to_be_visible()
    expect(field).to_have_value("")
    entry = page.get_by_text("Onze eigen praatplaat", exact=True)
    expect(entry).to_be_visible()
    entry.click()  # the entry opens: its preview and actions
    expect(page.get_by_text("Aspect 6", exact=True)).to_be_visible()
    entry.scroll_into_view_if_needed()
    screenshot(page, "library-entry.png")
    # its live preview: the real phone page and screen, side by side in the entry
    button(page, t("lib.live_open")).filter(visible=True).first.click()
    page.locator(".ss-pv-phone").scroll_into_view_if_needed()
    phone = page.frame_locator(".ss-pv-phone iframe")
    expect(phone.get_by_text("Onze eigen praatplaat").first).to_be_visible(timeout=LOAD_MS)
    screen = page.frame_locator(".ss-pv-screen iframe")
    expect(screen.get_by_text("Aspect 6").first).to_be_visible(timeout=LOAD_MS)
    frames = [page.locator(f".ss-pv-{kind}").bounding_box() for kind in ("phone", "screen")]
    assert frames[0]["x"] + frames[0]["width"] <= frames[1]["x"]  # side by side
    assert abs(frames[1]["width"] / frames[1]["height"] - 16 / 9) < 0.02 and frames[1]["width"] >= 600
    screenshot(page, "library-live-preview.png")
    button(page, t("lib.live_close")).click()
    expect(page.locator(".ss-pv-phone")).to_have_count(0)
    button(page, t("lib.add_one")).filter(visible=True).first.click()
    expect(page.get_by_text(t("lib.step_own", n=6, title="Onze eigen praatplaat"))).to_be_visible()

    # GROW goes; the own werkvorm, now the fifth step, gets 40 minutes
    button(page, t("lib.remove_short")).nth(4).click()  # GROW, the fifth step
    expect(page.get_by_text(t("lib.step", n=5, title=REGISTRY["grow"].title))).to_have_count(0)
    expect(page.get_by_text(t("lib.step_own", n=5, title="Onze eigen praatplaat"))).to_be_visible()
    minutes = page.get_by_role("spinbutton", name=t("lib.minutes", n=5))
    minutes.fill("40")
    minutes.press("Enter")
    settled(page)
    expect(page.get_by_text(t("lib.total", minutes=10 + 15 + 15 + 20 + 40, n=5))).to_be_visible()
    no_horizontal_scroll(page)
    screenshot(page, "library-nieuw.png", full_page=True)
    report = axe(page)
    assert report["version"] and not report["violations"], format_violations(report["violations"])

    created = create_via_ui(tab, app.url, title="Najaar", partnership="Regio", facilitator="Fatima")
    no_app_errors(tab)
    database = D.Database(app.db_url)
    try:
        store = Store(database)
        ws = store.workshop_by_code(created.code)
        steps = store.steps(ws.id)
    finally:
        database.dispose()
    assert [(s.werkvorm_key, s.timer_seconds // 60) for s in steps] == [
        ("brainstorm", 10), ("praatplaat", 15), ("followup", 15), ("canvas", 20), ("eigen_praatplaat", 40)]
    assert [s.title for s in steps[-1].werkvorm.sections] == [f"Aspect {i + 1}" for i in range(6)]


def _upload(page, name: str, data: bytes) -> None:
    page.get_by_label(t("lib.import")).get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        files=[{"name": name, "mimeType": "application/yaml", "buffer": data}])
    expect(page.get_by_text(name)).to_be_visible()
    button(page, t("lib.import_go")).click()


def test_import_refuses_a_hostile_file_in_dutch_and_takes_a_good_one(app, new_context):
    tab = open_tab(new_context, "import", f"{app.url}/nieuw", **LAPTOP)
    page = tab.page
    page.get_by_text(t("lib.files"), exact=True).click()
    _upload(page, "lol.yaml", b"a: &a ['lol','lol']\nb: [*a,*a]\n")
    expect(page.get_by_text(t("lib.import_refused", reason=t("spec.file_aliases")))).to_be_visible()
    expect(page.get_by_text(t("lib.step", n=5, title=REGISTRY["grow"].title))).to_be_visible()  # unchanged
    expect(page.get_by_text(t("lib.total", minutes=120, n=5))).to_be_visible()

    own = _own_werkvorm()
    own["title"] = "<b>Onze</b> eigen praatplaat"
    _upload(page, "eigen.yaml", S.to_yaml(S.parse(own)).encode("utf-8"))
    expect(page.get_by_text(t("lib.step_own", n=6, title="<b>Onze</b> eigen praatplaat"))).to_be_visible()
    expect(page.get_by_text(t("lib.import_werkvorm", title="<b>Onze</b> eigen praatplaat"))).to_be_visible()
    expect(page.get_by_text(t("lib.total", minutes=135, n=6))).to_be_visible()
    no_app_errors(tab)
