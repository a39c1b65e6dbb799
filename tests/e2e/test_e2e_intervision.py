"""One intervision (the incident method) played in real Chromium with two phones: cases in, a dot round
chooses one, questions written privately (the screen shows only their number) and revealed together,
advice revealed and marked by the case giver on the phone. Every screen state is measured at 1920x1080
and 1280x720 with the geometry of tests/e2e/test_e2e_screen_fit.py; no name ever reaches the screen; axe-core
finds no missing label and no low contrast on the screen and the phones."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

import canvas_models
from e2e.drive import ACT_MS, LOAD_MS, axe, button, choose, click_until, format_violations, settled
from e2e.flows import create_in_db, join, open_facilitator, open_screen, post_note
from e2e.test_e2e_screen_fit import _check, _settle
from e2e.test_e2e_workshop import card
from messages import t

pytestmark = [pytest.mark.browser, pytest.mark.slow]

METHOD = canvas_models.get("intervisie_incident")
LABEL = METHOD.fields[0].label
SIZES = [(1920, 1080), (1280, 720)]
NAMES = ("Annelies Vrijhof", "Bartholomeus Kwast")


def next_round(fac, section_key: str) -> None:
    """The facilitator moves on with "Volgende ronde", one round at a time (each click waits for the cockpit
    to show the next round), until the round ``section_key`` is current."""
    keys = [s.key for s in METHOD.sections]
    page = fac.page
    now = next(n for n in range(1, len(keys) + 1)
               if page.get_by_text(t("rounds.round_of", n=n, total=len(keys)), exact=False).count())
    for n in range(now + 1, keys.index(section_key) + 2):
        button(page, t("rounds.next")).click()
        expect(page.get_by_text(t("rounds.round_of", n=n, total=len(keys)), exact=False)).to_be_visible(
            timeout=ACT_MS)
        settled(page)


def test_an_intervision_with_two_phones(app, new_context, timings):
    links = create_in_db(app.db_url, app.url, title="Intervisie programmamanagers",
                         werkvormen=("intervisie_incident",))
    screens = {size: open_screen(new_context, links, f"screen-{size[0]}",
                                 viewport={"width": size[0], "height": size[1]}) for size in SIZES}
    fac = open_facilitator(new_context, links)
    anna = join(new_context, "anna", links, person=NAMES[0], org="vmbo", phone=True)
    bram = join(new_context, "bram", links, person=NAMES[1], org="mbo", phone=True)
    problems: list[str] = []

    def measure(state: str, marker: str) -> None:
        for tab in screens.values():
            expect(tab.page.locator(marker).first).to_be_attached(timeout=LOAD_MS)
        _settle(*(tab.page for tab in screens.values()))
        for size, tab in screens.items():
            _check(tab.page, f"intervisie-{state}", size, problems, settled=True)
            text = tab.page.locator('[data-testid="stMain"]').inner_text()
            for name in NAMES:
                assert name not in text, f"{name} on the screen ({state})"

    # 1. cases in, and a dot round chooses Bram's
    post_note(anna, "Een ouder die boos bleef na de ouderavond", label=LABEL)
    post_note(bram, "Mijn team haakt af bij het nieuwe rooster", label=LABEL)
    measure("cases", '.ss-rounds li.ss-now')
    page = fac.page
    page.get_by_text(t("vote.controls")).first.click()
    click_until(button(page, t("vote.open")), button(page, t("vote.close")))  # the round is open
    for phone in (anna, bram):
        case = card(phone.page, "Mijn team haakt af bij het nieuwe rooster")
        expect(case).to_be_visible(timeout=LOAD_MS)
        case.get_by_role("button", name=t("vote.add")).click()
        expect(phone.page.get_by_text(t("vote.left", left=2, dots=3))).to_be_visible(timeout=ACT_MS)
    button(page, t("vote.close")).click()
    settled(page)
    expect(page.get_by_text(t("rounds.fac_case", text="Mijn team haakt af bij het nieuwe rooster"))).to_be_visible(
        timeout=ACT_MS)
    choose(page, t("screen.focus"), t("screen.focus.results"))  # the ranking of the cases, in focus
    measure("cases-ranking", '[data-testid="stPlotlyChart"] .main-svg')

    # 2. questions written privately: the screen shows their number, never their text
    next_round(fac, "vragen")
    for phone, text in ((anna, "Wanneer merkte je het voor het eerst?"), (bram, "Wie heeft het rooster gemaakt?")):
        expect(phone.page.get_by_text(t("rounds.private_hint"))).to_be_visible(timeout=ACT_MS)
        post_note(phone, text, label=LABEL)
    for tab in screens.values():
        expect(tab.page.get_by_text(t("rounds.private_count", count=2))).to_be_visible(timeout=ACT_MS)
        assert "Wanneer merkte je" not in tab.page.locator('[data-testid="stMain"]').inner_text()
    measure("questions-hidden", ".ss-private")
    button(page, t("rounds.reveal")).click()
    for tab in screens.values():
        expect(tab.page.get_by_text("Wanneer merkte je het voor het eerst?")).to_be_visible(timeout=ACT_MS)
    measure("questions-revealed", ".ss-round-notes")

    # 3. advice: only the others write; revealed together; the case giver marks what helps
    next_round(fac, "advies")
    expect(bram.page.get_by_text(t("rounds.marks_wait"))).to_be_visible(timeout=ACT_MS)
    post_note(anna, "Plan een kort gesprek met het team", label=LABEL)
    measure("advice-hidden", ".ss-private")
    button(page, t("rounds.reveal")).click()
    mark = bram.page.get_by_role("button", name=t("rounds.mark"))
    expect(mark).to_be_visible(timeout=ACT_MS)
    mark.click()
    for tab in screens.values():
        expect(tab.page.get_by_text(t("rounds.helps_mark"))).to_be_visible(timeout=ACT_MS)
    measure("advice-marked", ".ss-helps")

    # labels and contrast (axe-core) on the screen and on both phones in this last state
    for tab, where in ((screens[SIZES[0]], "screen"), (bram, "case giver's phone"), (anna, "phone")):
        settled(tab.page)
        found = axe(tab.page)["violations"]
        assert not found, f"axe-core on the {where}:\n{format_violations(found)}"

    timings.update(states=6 * len(SIZES))
    assert not problems, "intervision screen states that do not fit:\n" + "\n".join(problems)
