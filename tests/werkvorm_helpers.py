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
