"""Helpers for AppTest: open a page of the real app against a given database."""

from __future__ import annotations

import html
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")

PAGES = {
    "join": "pages/meedoen.py",
    "new": "pages/nieuw.py",
    "facilitator": "pages/begeleider.py",
    "screen": "pages/scherm.py",
    "partnership": "pages/partnerschap.py",
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
    parts.extend(html.unescape(el.proto.body) for el in at.get("html"))
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
