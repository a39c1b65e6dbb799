"""Every field kind has one input renderer, and it draws.

Each shipped werkvorm is rendered field by field through those renderers; the note card that every
layout's screen draws notes with escapes what people typed.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

import canvas_models
from canvas_models import FIELD_KINDS
from messages import function_label
from ui import kinds


def _render_script(werkvorm_key: str, field_key: str) -> None:
    import streamlit as st

    import canvas_models
    from ui import kinds

    wv = canvas_models.get(werkvorm_key)
    spec = wv.field(field_key)
    with st.form("f"):
        options = wv.sections[0].options  # (the choices layout's kinds choose among these)
        saved = {"score": 3, "text": options[1].key if options else "Bewaard <b>antwoord</b>",
                 "points": {options[0].key: 2} if options else {}}
        kinds.render_input(spec, "t", saved, link_options=["", "ambitie"], options=options, budget=5,
                           tags=wv.tags)
        st.form_submit_button("ok")
    items = [{"id": 1, "text": "<script>x()</script> [a](b)", "score": 4, "tags": ["werven"], "name": "Ann",
              "org_type": "mbo", "hidden": False, "what": "Actie", "owner": "Piet", "partner": "ROC",
              "due": None, "status": "open"}]
    from ui.common import html_block

    html_block(kinds.note_card(items[0], anonymous=False, votes=2))
    st.session_state["read_back"] = kinds.read_value(spec, "t")


def test_every_kind_has_an_input_renderer():
    assert set(kinds.INPUT_RENDERERS) == set(FIELD_KINDS)


def test_unknown_kind_is_a_clear_error():
    spec = canvas_models.get("brainstorm").fields[0].model_copy(update={"kind": "slider"})
    with pytest.raises(KeyError, match="no input renderer for field kind 'slider'"):
        kinds.render_input(spec, "x")


FIELDS = [(wv.key, f.key, f.kind) for wv in canvas_models.REGISTRY.values() for f in wv.fields]


def test_shipped_werkvormen_use_every_kind():
    assert {kind for _, _, kind in FIELDS} == set(FIELD_KINDS)


@pytest.mark.parametrize("werkvorm,field,kind", FIELDS, ids=[f"{w}.{f}" for w, f, _ in FIELDS])
def test_each_shipped_field_renders_input_and_screen(werkvorm, field, kind):
    at = AppTest.from_function(_render_script, args=(werkvorm, field), default_timeout=30).run()
    assert not at.exception
    spec = canvas_models.get(werkvorm).field(field)
    assert "&#60;script&#62;" in "".join(h.proto.body for h in at.get("html"))  # the note card escapes
    if kind in ("note", "tagged_note"):
        assert at.text_area[0].label == spec.label
        if kind == "tagged_note":
            assert at.pills[0].options == [function_label(f) for f in canvas_models.get(werkvorm).tags]  # one tap each
    elif kind == "score":
        assert at.get("button_group")  # the 1-5 / weet ik niet choice
        assert at.session_state["read_back"] == 3  # the saved answer is shown
    elif kind == "text":
        assert at.text_area[0].value == "Bewaard <b>antwoord</b>"
    elif kind == "choice":
        options = canvas_models.get(werkvorm).sections[0].options
        assert at.radio[0].options == [kinds.md(o.label) for o in options]
        assert at.session_state["read_back"] == options[1].key  # the saved choice is shown
        assert "&#60;script&#62;" in "".join(h.proto.body for h in at.get("html"))
    elif kind == "points":
        options = canvas_models.get(werkvorm).sections[0].options
        assert [n.max for n in at.number_input] == [5] * len(options)
        assert at.session_state["read_back"][options[0].key] == 2 and len(at.session_state["read_back"]) == len(options)
    elif kind == "action":
        assert [w.label for w in at.text_input][:2] == ["Wie trekt het?", "Welke partner?"]
        assert at.selectbox[0].options == ["", "ambitie"]
