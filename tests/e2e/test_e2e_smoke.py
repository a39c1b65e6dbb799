"""The first visitor of a freshly started app process, on a page other than `/`.

That is the facilitator opening /nieuw right after a deploy, or the projected screen or the
facilitator page that reconnects first after a crash. None may get a dialog over the page,
whether the process was started by ./run.sh (serve.py) or as a bare `streamlit run app.py`.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from e2e.drive import LAPTOP, SCREEN, app_root, fill, no_app_errors, open_tab
from e2e.flows import create_in_db, open_facilitator
from messages import t

pytestmark = [pytest.mark.browser]


def _no_dialog(tab) -> None:
    expect(app_root(tab.page)).to_have_attribute("data-test-script-state", "notRunning")
    dialogs = tab.page.get_by_role("dialog")
    assert dialogs.count() == 0, f"{tab.name}: a dialog covers the page: {dialogs.all_inner_texts()}"


@pytest.mark.parametrize("launcher", ["serve", "bare"])
def test_first_visit_after_start(app_factory, sqlite_url, new_context, launcher):
    app = app_factory(sqlite_url, launcher=launcher)
    fac = open_tab(new_context, "facilitator", f"{app.url}/nieuw", **LAPTOP)
    expect(fac.page.get_by_role("heading", name=t("new.title"))).to_be_visible()
    _no_dialog(fac)
    fill(fac.page, t("new.ws_title"), "Eerste bezoek")  # the form takes input (nothing inert over it)
    no_app_errors(fac)

    links = create_in_db(sqlite_url, app.url)
    app.restart()  # the screen is the first to reconnect
    screen = open_tab(new_context, "screen", links.screen, **SCREEN)
    expect(screen.page.locator(".ss-screen h1, .ss-lobby").first).to_be_visible()
    _no_dialog(screen)
    no_app_errors(screen)

    app.restart()  # now the facilitator is the first
    fac = open_facilitator(new_context, links)
    _no_dialog(fac)
    no_app_errors(fac)
