"""The outsider scenario of issue 15 in a real browser: a workshop created on /nieuw with the same
partnership name as another partnership, but without its link, shows nothing of that partnership on
its projected screen nor in its downloads. A workshop that did join the partnership with its link
shows the same agreement on its screen (so the check above can see a leak when there is one)."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date

import pytest
from playwright.sync_api import expect

from e2e.drive import ACT_MS, LAPTOP, LOAD_MS, axe, button, format_violations, goto, no_app_errors, open_tab, settled
from e2e.flows import create_via_ui, links_for, open_screen
from messages import t
from workshop import db as D
from workshop.store import Store

pytestmark = [pytest.mark.browser]

OWNER = "Jan Jansen"
WHAT = "Stagebank Twente opzetten"


def _partnership_with_an_agreement(db_url: str) -> tuple[str, str]:
    """Partnership "Regio Twente" with workshop A (an open agreement of Jan Jansen) and a later
    workshop C of the same partnership, at its follow-up step. Returns C's code and A's title."""
    database = D.Database(db_url)
    try:
        store = Store(database)
        partnership, secret = store.create_partnership("Regio Twente")
        member = store.open_partnership(partnership.id, secret)
        a, a_secret = store.create_workshop(title="Sessie A", partnership="", day=date(2026, 3, 1),
                                            facilitator="", werkvormen=["followup"], member_of=member)
        store.add_action(store.authorize(a.code, a_secret), what=WHAT, owner=OWNER, partner="ROC van Twente")
        c, c_secret = store.create_workshop(title="Sessie C", partnership="", day=date(2026, 6, 1), facilitator="",
                                            werkvormen=["followup"], member_of=member)
        store.update_workshop(store.authorize(c.code, c_secret), show_join=True)  # started: past the lobby
        return c.code, a.title
    finally:
        database.dispose()


def _to_followup(db_url: str, code: str, secret: str) -> None:
    database = D.Database(db_url)
    try:
        store = Store(database)
        fac = store.authorize(code, secret)
        step = next(s for s in store.steps(fac.workshop_id) if s.werkvorm_key == "followup")
        store.go_to_step(fac, step.position)
        store.update_workshop(fac, show_join=True)  # started (also when the step was already the first)
    finally:
        database.dispose()


def _download(page, label_key: str, ext: str) -> bytes:
    button(page, t(label_key)).click()
    save = page.get_by_role("button", name=re.compile(re.escape(t("dl.save", name="").strip()) + r".*\." + ext + "$"))
    expect(save).to_be_visible(timeout=30_000)
    with page.expect_download(timeout=30_000) as info:
        save.click()
    data = info.value.path().read_bytes()
    button(page, t(label_key))  # still there for the next one
    return data


def test_outsider_screen_and_exports_show_nothing_of_the_partnership(app, new_context):
    member_code, a_title = _partnership_with_an_agreement(app.db_url)

    fac = open_tab(new_context, "outsider", f"{app.url}/nieuw", **LAPTOP)
    links = create_via_ui(fac, app.url, title="Sessie B", partnership="regio-twente", facilitator="Buitenstaander")
    _to_followup(app.db_url, links.code, links.secret)

    # the workshop that joined with the link shows the agreement on its screen ...
    member = open_screen(new_context, links_for(app.url, member_code, ""), name="member-screen")
    expect(member.page.get_by_text(OWNER)).to_be_visible(timeout=LOAD_MS)
    # ... the outsider's screen, at the same step, does not
    screen = open_screen(new_context, links)
    expect(screen.page.get_by_role("heading", name=t("followup.screen_title"))).to_be_visible(timeout=LOAD_MS)
    text = screen.page.locator("body").inner_text()
    assert OWNER not in text and WHAT not in text and a_title not in text
    assert t("followup.review_title") not in text

    goto(fac.page, links.facilitator)
    expect(button(fac.page, t("fac.next"))).to_be_visible(timeout=LOAD_MS)
    body = fac.page.locator("body").inner_text()
    assert OWNER not in body and t("followup.review_title") not in body
    fac.page.get_by_text(t("dl.title"), exact=True).click()
    backup = json.loads(_download(fac.page, "dl.json", "json"))
    assert backup["workshop"]["title"] == "Sessie B" and backup["earlier_actions"] == []
    with zipfile.ZipFile(io.BytesIO(_download(fac.page, "dl.csv", "zip"))) as zf:
        tables = {name: zf.read(name).decode("utf-8-sig") for name in zf.namelist()}
    assert tables
    for name, content in [("json", json.dumps(backup, ensure_ascii=False)), *tables.items()]:
        assert OWNER not in content and WHAT not in content and a_title not in content, name
    no_app_errors(fac)
    no_app_errors(screen)
    expect(screen.page.get_by_text(OWNER)).to_have_count(0, timeout=ACT_MS)


def test_partnership_page_opens_its_workshops_cockpit(app, new_context):
    """The partnership link opens the page; its link to a workshop opens that workshop's cockpit
    (no workshop secret needed); the page passes the axe label and contrast rules."""
    database = D.Database(app.db_url)
    try:
        store = Store(database)
        partnership, secret = store.create_partnership("Regio Achterhoek")
        member = store.open_partnership(partnership.id, secret)
        ws, _ = store.create_workshop(title="Stuurgroep maart", partnership="", day=date(2026, 3, 1),
                                      facilitator="", werkvormen=["brainstorm", "followup"], member_of=member)
    finally:
        database.dispose()
    tab = open_tab(new_context, "partnership", f"{app.url}/partnerschap?p={partnership.id}&key={secret}", **LAPTOP)
    page = tab.page
    expect(page.get_by_text(t("partnership.title", name="Regio Achterhoek"))).to_be_visible(timeout=LOAD_MS)
    assert secret not in page.locator("body").inner_text()
    settled(page)
    violations = axe(page)["violations"]
    assert not violations, format_violations(violations)
    page.get_by_role("link", name=t("partnership.open_cockpit", title="Stuurgroep maart")).click()
    expect(button(page, t("fac.next"))).to_be_visible(timeout=LOAD_MS)
    expect(page.get_by_text(t("fac.title", title="Stuurgroep maart"))).to_be_visible()
    button(page, t("fac.next")).click()
    expect(page.get_by_text(t("fac.current", n=2, title="Vervolgplaat"))).to_be_visible(timeout=ACT_MS)
    no_app_errors(tab)


def test_partnership_backup_download_and_restore_in_the_browser(app, new_context, tmp_path):
    database = D.Database(app.db_url)
    try:
        store = Store(database)
        partnership, secret = store.create_partnership("Regio Rivierenland")
        member = store.open_partnership(partnership.id, secret)
        for day, title in ((date(2026, 2, 1), "Eerste stuurgroep"), (date(2026, 5, 1), "Tweede stuurgroep")):
            ws, ws_secret = store.create_workshop(title=title, partnership="", day=day, facilitator="",
                                                  werkvormen=["followup"], member_of=member)
            store.add_action(store.authorize(ws.code, ws_secret), what=f"Afspraak uit {title}", owner="Ans")
    finally:
        database.dispose()
    tab = open_tab(new_context, "partnership", f"{app.url}/partnerschap?p={partnership.id}&key={secret}", **LAPTOP)
    page = tab.page
    page.get_by_text(t("partnership.backup_title"), exact=True).click()
    data = _download(page, "partnership.backup_make", "json")
    backup = json.loads(data)
    assert [w["workshop"]["title"] for w in backup["workshops"]] == ["Eerste stuurgroep", "Tweede stuurgroep"]
    assert secret not in data.decode("utf-8")
    path = tmp_path / "partnerschap.json"
    path.write_bytes(data)

    fresh = open_tab(new_context, "restore", f"{app.url}/partnerschap", **LAPTOP)
    fresh.page.get_by_text(t("partnership.restore_title"), exact=True).click()
    fresh.page.locator('input[type="file"]').set_input_files(str(path))
    expect(fresh.page.get_by_text("partnerschap.json")).to_be_visible(timeout=ACT_MS)
    button(fresh.page, t("restore.go")).click()
    expect(fresh.page.get_by_text(t("partnership.keep_link"))).to_be_visible(timeout=LOAD_MS)
    new_link = fresh.page.locator('[data-testid="stCode"]').inner_text().strip()
    assert "/partnerschap?p=" in new_link and secret not in new_link
    goto(fresh.page, new_link)
    expect(fresh.page.get_by_text(t("partnership.title", name="Regio Rivierenland"))).to_be_visible(timeout=LOAD_MS)
    for title in ("Eerste stuurgroep", "Tweede stuurgroep"):
        expect(fresh.page.get_by_role("link", name=t("partnership.open_cockpit", title=title))).to_be_visible()
    expect(fresh.page.get_by_text("Afspraak uit Tweede stuurgroep")).to_have_count(1)  # a cell of the table
    no_app_errors(tab)
    no_app_errors(fresh)
