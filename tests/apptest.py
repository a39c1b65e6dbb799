"""Helpers for AppTest: open a page of the real app against a given database, and read it."""

from __future__ import annotations

import html as html_lib
import json
import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from messages import t

APP = str(Path(__file__).resolve().parent.parent / "app.py")

PAGES = {
    "join": "pages/meedoen.py",
    "new": "pages/nieuw.py",
    "facilitator": "pages/begeleider.py",
    "screen": "pages/scherm.py",
    "partnership": "pages/partnerschap.py",
    "editor": "pages/werkvorm.py",
}


def open_page(page: str, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    if page != "join":
        # st.navigation registers the pages during a run; AppTest finds them by file only after one
        at.run()
        at.switch_page(PAGES[page])
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def page_text(at: AppTest) -> str:
    """Everything a person could read on the page, as one string."""
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "text", "success", "info",
                 "warning", "error", "code"):
        parts.extend(str(el.value) for el in getattr(at, kind))
    parts.extend(html_lib.unescape(el.proto.body) for el in at.get("html"))
    parts.extend(str(el.label) for el in at.button)
    parts.extend(str(el.label) for el in at.text_input)
    parts.extend(str(el.label) for el in at.text_area)
    parts.extend(str(el.value) for el in at.text_input)
    for metric in at.metric:
        parts.extend([str(metric.label), str(metric.value)])
    return "\n".join(parts)


def raw_html(at: AppTest) -> str:
    """The markup the app sent, before the browser decodes entities."""
    return "\n".join(el.proto.body for el in at.get("html"))


def labels(at: AppTest) -> set[str]:
    """Labels of every interactive control on the page."""
    found: set[str] = set()
    for kind in ("button", "text_input", "text_area", "selectbox", "multiselect", "checkbox", "radio",
                 "number_input", "date_input", "toggle"):
        found.update(str(el.label) for el in getattr(at, kind))
    return found


def make_room(store, werkvormen=("brainstorm", "praatplaat"), anonymous=False):
    """(workshop, facilitator secret) of a workshop for the page tests (see helpers.make_app_room)."""
    from helpers import make_app_room

    room = make_app_room(store, werkvormen, anonymous=anonymous)
    return room.ws, room.secret


def join_as(ws, name="Anna", org="mbo"):
    at = open_page("join", room=ws.code)
    at.text_input(key="join-name").input(name)
    at.selectbox(key="join-org").select(org)
    at.button[0].click().run()
    assert not at.exception
    return at


def created_code(at: AppTest) -> str:
    """The join code of the workshop that /nieuw just made (from the facilitator link it shows)."""
    link = next(c.value for c in at.code if "begeleider" in c.value)
    return link.split("room=")[1].split("&")[0]


def create_on_nieuw(at: AppTest, keys, *, title: str, partnership: str) -> str:
    """On /nieuw: the programme of these shipped werkvormen, a title and a partnership name, "create";
    returns the new workshop's join code (no error on the page)."""
    set_programme(at, keys)
    at.text_input(key="new-title").input(title)
    at.text_input(key="new-partnership").input(partnership)
    at.button[0].click().run()
    no_errors(at)
    return created_code(at)


def new_form(admin: str | None = None):
    """/nieuw with a title and a partnership filled in (and the admin password, when given)."""
    at = open_page("new")
    at.text_input(key="new-title").input("Titel")
    at.text_input(key="new-partnership").input("Regio")
    if admin is not None:
        at.text_input(key="new-admin").input(admin)
    return at


def button(at: AppTest, label: str, nth: int = 0):
    """The ``nth`` button (form submit buttons included) with this label."""
    found = [b for b in at.button if b.label == label]
    assert len(found) > nth, f"no button {label!r} in {[b.label for b in at.button]}"
    return found[nth]


def bodies(at: AppTest) -> list[str]:
    return [el.proto.body for el in at.get("html")]


def html(at: AppTest) -> str:
    return "\n".join(bodies(at))


def charts(at: AppTest) -> list[dict]:
    """The plotly figures on the page, as their JSON spec."""
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def block(at: AppTest, key: str) -> str:
    """The HTML of one canvas block (``data-block=key``)."""
    match = re.search(rf'<section class="ss-block[^"]*"[^>]*data-block="{key}".*?</section>', html(at), re.S)
    assert match, f"no canvas block {key}"
    return match.group(0)


def no_errors(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def select_notes(at: AppTest, step_id: int, ids: list[int]) -> AppTest:
    """Select the lines of these notes in the facilitator's notes table (as a click on their rows
    would), and run the page."""
    key = f"notes-{step_id}"
    (table,) = [d for d in at.dataframe if d.key == key]
    order = [int(x) for x in table.value[t("notetool.col_id")]]
    at.session_state[key] = {"selection": {"rows": [order.index(i) for i in ids], "columns": [], "cells": []}}
    return at.run()


def table_state(at: AppTest, step_id: int) -> dict[int, str]:
    """Note id -> the state column of the facilitator's notes table."""
    (table,) = [d for d in at.dataframe if d.key == f"notes-{step_id}"]
    frame = table.value
    return {int(i): str(s) for i, s in zip(frame[t("notetool.col_id")], frame[t("notetool.col_state")])}


def set_programme(at: AppTest, keys, prefix: str = "new") -> AppTest:
    """Make the programme on /nieuw (or the partnership page, ``prefix="ps-new"``) these shipped
    werkvormen in this order, as a person does: empty it, then add each one."""
    at.button(key=f"{prefix}-clear").click().run()
    for key in keys:
        at.selectbox(key=f"{prefix}-add").select(key).run()
        at.button(key=f"{prefix}-add-go").click().run()
    assert not at.exception
    return at
