"""The browser helpers themselves (tests/e2e/drive.py), on a small static page that stands in for a Streamlit
redraw: the previous run's selectbox is still on the page, greyed out inside ``[data-stale="true"]``, beside
the new one. ``choose`` and ``open_list`` act on the new one only."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from e2e.drive import choose, combobox, open_list

pytestmark = [pytest.mark.browser]

#: Streamlit's selectbox as the helpers see it: a combobox, the "Open" button after it, a list of options
#: (here the button opens its own box's list; choosing an option sets the box's value).
REDRAW = """
<div data-stale="true">
  <div><input role="combobox" aria-label="Fase" value="Oud"><button aria-label="Open" onclick="show(this)">v</button>
  <ul role="listbox" hidden><li role="option" onclick="pick(this)">Verkennen</li></ul></div>
</div>
<div>
  <div><input role="combobox" aria-label="Fase" value=""><button aria-label="Open" onclick="show(this)">v</button>
  <ul role="listbox" hidden><li role="option" onclick="pick(this)">Verkennen</li></ul></div>
</div>
<script>
  function show(button) { button.nextElementSibling.hidden = false; }
  function pick(option) { const box = option.closest("div").querySelector("input");
                          box.value = option.textContent; option.parentElement.hidden = true; }
</script>
"""


def test_choose_skips_the_stale_copy_of_a_selectbox_during_a_redraw(new_context):
    page = new_context().new_page()
    page.set_content(REDRAW)
    assert page.get_by_role("combobox", name="Fase", exact=True).count() == 2  # the redraw: two boxes
    expect(combobox(page, "Fase")).to_have_count(1)
    expect(combobox(page, "Fase")).to_have_value("")
    expect(open_list(page, "Fase", "Verkennen")).to_be_visible()
    page.keyboard.press("Escape")
    choose(page, "Fase", "Verkennen")
    expect(combobox(page, "Fase")).to_have_value("Verkennen")
    expect(page.locator('[data-stale="true"] input')).to_have_value("Oud")  # the stale copy was left alone
