"""The programme-teams board on a phone at 360x740 (touch): a subregion once, then a state and notes per
team, each stored with its cell; every state measured like the other phone states (``fits``)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

import canvas_models
from e2e.drive import LOAD_MS, button, no_app_errors, textbox
from e2e.flows import join
from e2e import test_e2e_phone
from e2e.test_e2e_phone import fits
from messages import t

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WV = canvas_models.get("teams")
STAND, OPBRENGST = WV.fields[0].label, WV.fields[1].label
#: The phone tests' workshop in the database, made per test (a fixture).
room_for = test_e2e_phone.room_for


def test_board_on_a_phone_subregion_then_team_by_team(app, new_context, room_for):
    links, room = room_for("teams")
    step = room.step("teams")
    phone = join(new_context, "phone-board", links, person="Fien van der Zandvoort-Hoogeveen", phone=True)
    page = phone.page
    problems: list[str] = []
    expect(page.get_by_text(t("board.pick_column"))).to_be_visible(timeout=LOAD_MS)
    fits(page, "teams-pick", problems)
    oost = WV.columns[1]
    page.get_by_role("radiogroup", name=t("board.column")).get_by_role("radio", name=oost.title).tap()
    first, second = WV.sections[0], WV.sections[1]
    expect(page.get_by_role("heading", name=first.title, exact=True)).to_be_visible(timeout=LOAD_MS)
    stand = page.get_by_role("radiogroup", name=STAND)
    stand.get_by_role("radio", name="3", exact=True).tap()
    expect(page.get_by_text(t("board.progress", done=1, total=8, column=oost.title), exact=True)).to_be_visible()
    textbox(page, OPBRENGST).fill("Een techniekdag met drie scholen")
    fits(page, "teams-cell", problems)
    button(page, t("praat.next")).tap()
    expect(page.get_by_role("heading", name=second.title, exact=True)).to_be_visible()
    page.get_by_role("radiogroup", name=STAND).get_by_role("radio", name=t("board.nvt"), exact=True).tap()
    expect(page.get_by_text(t("board.progress", done=2, total=8, column=oost.title), exact=True)).to_be_visible()
    saved = {(a["section"], a["tags"][0], a["field"]): a for a in room.store.latest_answers(step.id)}
    assert saved[(first.key, oost.key, "stand")]["score"] == 3
    assert saved[(first.key, oost.key, "opbrengst")]["text"] == "Een techniekdag met drie scholen"
    assert saved[(second.key, oost.key, "stand")]["score"] is None
    room.lock("teams")
    expect(page.get_by_text(t("participant.locked"), exact=True)).to_be_visible(timeout=LOAD_MS)
    fits(page, "teams-locked", problems)
    assert not problems, "phone states that do not fit:\n" + "\n".join(problems)
    no_app_errors(phone)


def test_board_from_phone_to_screen_with_the_facilitators_focus_cell(app, new_context, room_for):
    """A phone rates a cell; the screen's heatmap shows the cell's mean and count at once; the facilitator
    puts the cell in focus in the cockpit and its note appears on the screen."""
    from e2e.drive import LAPTOP, SCREEN, choose, open_tab
    from workshop import new_key

    links, room = room_for("teams")
    step = room.step("teams")
    team, noord = WV.sections[0], WV.columns[0]
    screen = open_tab(new_context, "screen-board", links.screen, **SCREEN)
    fac = open_tab(new_context, "fac-board", links.facilitator, **LAPTOP)
    for name, score in (("Anna", 4), ("Bram", 2)):  # two others rated this cell already
        who = room.store.join(links.code, name=name, org_type="vmbo")
        room.store.answer(who, step.id, section=team.key, values={"stand": score}, idem_key=new_key(),
                          column=noord.key)
    phone = join(new_context, "phone-board-flow", links, person="Chris", phone=True)
    page = phone.page
    page.get_by_role("radiogroup", name=t("board.column")).get_by_role("radio", name=noord.title).tap()
    page.get_by_role("radiogroup", name=STAND).get_by_role("radio", name="3", exact=True).tap()
    # (during a redraw Streamlit keeps the previous chart on the page, faded, until the run ends: two charts)
    expect(screen.page.locator('[data-testid="stPlotlyChart"]').filter(has_text="3,0n=3").first).to_be_visible(
        timeout=LOAD_MS)
    note = "Een techniekdag met drie scholen"
    textbox(page, OPBRENGST).fill(note)
    button(page, t("praat.next")).tap()  # stored when the phone moves on
    expect(page.get_by_role("heading", name=WV.sections[1].title, exact=True)).to_be_visible(timeout=LOAD_MS)
    assert note not in screen.page.locator('[data-testid="stMain"]').inner_text()  # no cell in focus yet
    choose(fac.page, t("board.fac.focus"), f"{team.title} · {noord.title} (3,0)")
    expect(screen.page.get_by_text(note)).to_be_visible(timeout=LOAD_MS)
    expect(screen.page.get_by_text(f"{team.title} · {noord.title}: 3,0")).to_be_visible()
    for tab in (phone, screen, fac):
        no_app_errors(tab)


def test_board_labels_and_contrast(app, new_context, room_for):
    """axe-core's label and contrast rules on the board's phone form and on the screen with a cell in focus."""
    from e2e.drive import SCREEN, axe, format_violations, open_tab, settled

    links, room = room_for("teams")
    step = room.step("teams")
    phone = join(new_context, "phone-board-axe", links, person="Pim", phone=True)
    page = phone.page
    page.get_by_role("radiogroup", name=t("board.column")).get_by_role("radio", name=WV.columns[0].title).tap()
    page.get_by_role("radiogroup", name=STAND).get_by_role("radio", name="5", exact=True).tap()
    textbox(page, OPBRENGST).fill("Gastlessen in elke klas")
    button(page, t("praat.next")).tap()
    expect(page.get_by_role("heading", name=WV.sections[1].title, exact=True)).to_be_visible(timeout=LOAD_MS)
    room.store.update_step(room.fac, step.id, config={**step.config,
                                                      "focus": [WV.sections[0].key, WV.columns[0].key]})
    screen = open_tab(new_context, "screen-board-axe", links.screen, **SCREEN)
    expect(screen.page.get_by_text("Gastlessen in elke klas")).to_be_visible(timeout=LOAD_MS)
    found = {}
    for where, tab in (("phone", phone), ("screen", screen)):
        settled(tab.page)
        found[where] = axe(tab.page)["violations"]
    failing = {where: v for where, v in found.items() if v}
    assert not failing, "axe-core found violations:\n" + "\n".join(
        f"== {where}\n{format_violations(v)}" for where, v in failing.items())
