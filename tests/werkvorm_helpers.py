"""Small AppTest helpers for the canvas, GROW and brainstorm page tests."""

from __future__ import annotations

import json
import re

from streamlit.testing.v1 import AppTest


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
    from messages import t

    key = f"notes-{step_id}"
    (table,) = [d for d in at.dataframe if d.key == key]
    order = [int(x) for x in table.value[t("notetool.col_id")]]
    at.session_state[key] = {"selection": {"rows": [order.index(i) for i in ids], "columns": [], "cells": []}}
    return at.run()


def table_state(at: AppTest, step_id: int) -> dict[int, str]:
    """Note id -> the state column of the facilitator's notes table."""
    from messages import t

    (table,) = [d for d in at.dataframe if d.key == f"notes-{step_id}"]
    frame = table.value
    return {int(i): str(s) for i, s in zip(frame[t("notetool.col_id")], frame[t("notetool.col_state")])}
