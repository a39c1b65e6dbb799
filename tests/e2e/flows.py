"""What people do in Samenspraak, as browser steps: create, join, post, follow the screen.

All labels come from the message catalogue (``messages.t``), so a reworded label changes the
app and these steps together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from playwright.sync_api import expect

import canvas_models
from e2e.drive import (ACT_MS, LAPTOP, LOAD_MS, PHONE, SCREEN, Tab, button, choose, fill, now_ms, open_tab, settled,
                       textbox)
from messages import ORG_TYPES, t
from workshop import db as D
from workshop.store import Store


#: The note field of the brainstorm and the canvas ("Jouw briefje").
NOTE_LABEL = canvas_models.get("brainstorm").fields[0].label


@dataclass
class Links:
    base: str
    code: str
    secret: str

    @property
    def facilitator(self) -> str:
        return f"{self.base}/begeleider?room={self.code}&key={self.secret}"

    @property
    def join(self) -> str:
        return f"{self.base}/?room={self.code}"

    @property
    def screen(self) -> str:
        return f"{self.base}/scherm?room={self.code}"

    def on(self, base: str) -> "Links":
        """The same workshop through another app process."""
        return Links(base, self.code, self.secret)


def links_for(base: str, code: str, secret: str) -> Links:
    return Links(base, code, secret)


def create_in_db(db_url: str, base: str, *, title: str = "Werksessie techniek",
                 werkvormen=("brainstorm",), **kwargs) -> Links:
    """Create a workshop straight in the database (for scenarios that are not about creating one)."""
    database = D.Database(db_url)
    try:
        ws, secret = Store(database).create_workshop(
            title=title, partnership=kwargs.pop("partnership", "Regio Twente"), day=date(2026, 3, 12),
            facilitator=kwargs.pop("facilitator", "Fatima"), werkvormen=list(werkvormen), **kwargs)
    finally:
        database.dispose()
    return links_for(base, ws.code, secret)


def create_via_ui(tab: Tab, base: str, *, title: str, partnership: str, facilitator: str) -> Links:
    """Fill in /nieuw (the default selection of werkvormen, in its order) and read the links it shows."""
    page = tab.page
    fill(page, t("new.ws_title"), title)
    fill(page, t("new.partnership"), partnership)
    fill(page, t("new.facilitator"), facilitator)
    button(page, t("new.submit")).click()
    expect(page.get_by_text(t("new.created"))).to_be_visible(timeout=ACT_MS)
    codes = page.locator('[data-testid="stCode"]')
    expect(codes).to_have_count(2)
    fac_url = codes.nth(0).inner_text().strip()
    join_url = codes.nth(1).inner_text().strip()
    match = re.fullmatch(re.escape(base) + r"/begeleider\?room=([A-Z0-9]{6})&key=([\w-]+)", fac_url)
    assert match, f"unexpected facilitator link {fac_url!r}"
    assert join_url == f"{base}/?room={match.group(1)}", join_url
    return links_for(base, match.group(1), match.group(2))


def join(new_context, name: str, links: Links, *, person: str, org: str = "mbo", phone: bool = False) -> Tab:
    """Open the join link, give a name and organisation type, and land on the participant page."""
    tab = open_tab(new_context, name, links.join, **(PHONE if phone else LAPTOP))
    page = tab.page
    fill(page, t("join.name"), person)
    choose(page, t("join.org_type"), ORG_TYPES[org])
    button(page, t("join.go")).click()
    page.wait_for_url(re.compile(r"[?&]p=[\w-]+"), timeout=ACT_MS)
    expect(page.get_by_text(t("join.welcome", name=person), exact=False)).to_be_visible()
    return tab


def token_of(tab: Tab) -> str:
    match = re.search(r"[?&]p=([\w-]+)", tab.page.url)
    assert match, tab.page.url
    return match.group(1)


def open_screen(new_context, links: Links, name: str = "screen", **context_args) -> Tab:
    """The projected screen, once it shows the lobby (nothing happened yet) or a step."""
    tab = open_tab(new_context, name, links.screen, **(context_args or SCREEN))
    expect(tab.page.locator(".ss-screen h1, .ss-lobby").first).to_be_visible(timeout=LOAD_MS)
    return tab


def open_facilitator(new_context, links: Links, **context_args) -> Tab:
    tab = open_tab(new_context, "facilitator", links.facilitator, **(context_args or LAPTOP))
    expect(tab.page.get_by_role("button", name=t("fac.next"))).to_be_visible(timeout=LOAD_MS)
    return tab


def post_note(tab: Tab, text: str, *, label: str | None = None, block=None) -> float:
    """Type a note and send it; returns the moment (epoch ms) of the click. Waits for the thank-you.

    ``block`` is a :class:`canvas_models.Section` to choose first (canvas); choosing one redraws
    the form for that block, so wait for its question and for the run to end before typing.
    """
    page = tab.page
    if block is not None:
        choose(page, t("participant.section"), block.title)
        expect(page.get_by_text(block.question, exact=True)).to_be_visible()
        settled(page)
    label = label or NOTE_LABEL
    fill(page, label, text)
    clicked = now_ms()
    button(page, t("participant.send")).click()
    expect(page.get_by_text(t("participant.sent"))).to_be_visible()
    expect(textbox(page, label)).to_have_value("")
    return clicked


def next_step(fac: Tab) -> float:
    page = fac.page
    clicked = now_ms()
    button(page, t("fac.next")).click()
    return clicked


def wait_step(tab: Tab, n: int, total: int) -> None:
    expect(tab.page.get_by_text(t("participant.step", n=n, total=total), exact=True)).to_be_visible(timeout=ACT_MS)


def select_note_lines(page, *texts: str) -> None:
    """Tick the lines of these notes in the facilitator's notes table, as a person does: a click
    on the line's selection box (the table is drawn on a canvas; its accessible copy tells the
    row of each text)."""
    table = page.locator('[data-testid="stDataFrame"]').first
    expect(table).to_be_visible()
    for text in texts:
        cell = page.locator('td[role="gridcell"]', has_text=text).first
        expect(cell).to_be_attached()
        row = int((cell.get_attribute("id") or "").rsplit("-", 1)[1])
        table.scroll_into_view_if_needed()  # a mouse click does not scroll by itself
        box = table.bounding_box()
        header = 35 + 1  # Streamlit's table: 35 px header and rows, then a 1 px border
        page.mouse.click(box["x"] + 17, box["y"] + header + row * 35 + 17)
    settled(page)
