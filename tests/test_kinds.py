"""Every field kind has one input renderer and one screen renderer, and both draw.

Each shipped werkvorm is rendered field by field through those renderers.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

import canvas_models
from canvas_models import FIELD_KINDS
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
        kinds.render_input(spec, "t", saved, link_options=["", "ambitie"], options=options, budget=5)
        st.form_submit_button("ok")
    items = [{"id": 1, "text": "<script>x()</script> [a](b)", "score": 4, "tags": ["werven"], "name": "Ann",
              "org_type": "mbo", "hidden": False, "what": "Actie", "owner": "Piet", "partner": "ROC",
              "due": None, "status": "open"}]
    kinds.render_screen(spec, items, anonymous=False, votes={1: 2})
    st.session_state["read_back"] = kinds.read_value(spec, "t")


def test_every_kind_has_both_renderers():
    assert set(kinds.INPUT_RENDERERS) == set(FIELD_KINDS) == set(kinds.SCREEN_RENDERERS)


def test_unknown_kind_is_a_clear_error():
    spec = canvas_models.get("brainstorm").fields[0].model_copy(update={"kind": "slider"})
    with pytest.raises(KeyError, match="no input renderer for field kind 'slider'"):
        kinds.render_input(spec, "x")
    with pytest.raises(KeyError, match="no screen renderer for field kind 'slider'"):
        kinds.render_screen(spec, [], anonymous=True)


FIELDS = [(wv.key, f.key, f.kind) for wv in canvas_models.REGISTRY.values() for f in wv.fields]


def test_shipped_werkvormen_use_every_kind():
    assert {kind for _, _, kind in FIELDS} == set(FIELD_KINDS)


@pytest.mark.parametrize("werkvorm,field,kind", FIELDS, ids=[f"{w}.{f}" for w, f, _ in FIELDS])
def test_each_shipped_field_renders_input_and_screen(werkvorm, field, kind):
    at = AppTest.from_function(_render_script, args=(werkvorm, field), default_timeout=30).run()
    assert not at.exception
    spec = canvas_models.get(werkvorm).field(field)
    if kind in ("note", "tagged_note"):
        assert at.text_area[0].label == spec.label
        assert "&#60;script&#62;" in "".join(h.proto.body for h in at.get("html"))
        if kind == "tagged_note":
            assert at.multiselect[0].options == list(canvas_models.FUNCTIONS)
    elif kind == "score":
        assert at.get("button_group")  # the 1-5 / weet ik niet choice
        assert at.session_state["read_back"] == 3  # the saved answer is shown
        assert at.metric[0].value == "4,0"
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
        assert at.get("arrow_data_frame") or at.dataframe
