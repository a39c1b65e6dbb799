"""Importing werkvorm and programme files into the template library (issue 18), on SQLite and
PostgreSQL: 30 bad or hostile files through the import the page calls (``ui.library.import_file``),
each refused with a Dutch message and nothing written, or stored with its text cleaned; and a
programme with an own werkvorm exported on one instance and imported on another."""

from __future__ import annotations

import re

import pytest
import yaml

import canvas_models
from canvas_models import spec as S
from helpers import assert_dutch, count_rows
from hostile import HOSTILE
from test_templates import own_praatplaat
from ui.library import create_args, import_file, programme_yaml
from workshop import db as D
from workshop.errors import UserError
from workshop.store import Store
from workshop.text import normalise

#: English words a refusal must not carry (pydantic's or PyYAML's own messages leaking through).
_ENGLISH = re.compile(r"\b(the|field|value|error|invalid|expected|input|should|must|line|column|found|"
                      r"mapping|scalar|string|alias|anchor|not allowed)\b", re.I)


def _werkvorm(**change) -> dict:
    data = S.dump(own_praatplaat())
    data.update(change)
    return data


def _file(data: object) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _nested(depth: int) -> dict:
    value: object = "diep"
    for _ in range(depth):
        value = {"x": value}
    return {**_werkvorm(), "sections": [value]}


_SECTION = {"key": "s", "title": "Onderdeel"}
#: The refused files: name -> bytes or text. Each is refused whole, with a Dutch message.
BAD: dict[str, bytes | str] = {
    "syntax_error": "key: eigen\ntitle: [niet gesloten\nsummary: x\n",
    "tab_indent": "key: eigen\n\ttitle: fout\n",
    "billion_laughs": "a: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']\n"
                      "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
                      "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n",
    "anchor_only": _file(_werkvorm()).replace("title:", "title: &t", 1),
    "huge": "key: eigen\nsummary: " + "a" * (S.MAX_FILE_BYTES + 10) + "\n",
    "deep_nesting": _file(_nested(S.MAX_DEPTH + 4)),
    "deep_flow_nesting": "key: " + "[" * 5000 + "]" * 5000 + "\n",
    "empty": "",
    "only_whitespace": "   \n\t\n",
    "a_list": "- key: eigen\n- title: lijst\n",
    "a_scalar": "gewoon een zin\n",
    "binary_png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01" + bytes(range(256)),
    "latin1": "key: eigen\ntitle: Caf\xe9\nsummary: x\n".encode("latin-1"),
    "utf16": _file(_werkvorm()).encode("utf-16"),
    "nul_bytes": b"key: eigen\x00\ntitle: x\n",
    "wrong_types": _file(_werkvorm(title=["een", "lijst"], default_minutes="tien")),
    "minutes_out_of_range": _file(_werkvorm(default_minutes=10_000)),
    "unknown_layout": _file(_werkvorm(layout="<script>alert(1)</script>")),
    "unknown_field": _file(_werkvorm(run_this="rm -rf /")),
    "bad_key": _file(_werkvorm(key="Eigen Praatplaat!")),
    "no_sections": _file(_werkvorm(sections=[])),
    "too_many_sections": _file(_werkvorm(sections=[{**_SECTION, "key": f"s{i}"} for i in range(canvas_models.MAX_SECTIONS + 1)])),
    "too_many_options": _file({**S.dump(canvas_models.REGISTRY["aandacht"]), "key": "eigen_keuze", "sections": [
        {**_SECTION, "options": [{"key": f"o{i}", "label": f"Keuze {i}"} for i in range(canvas_models.MAX_OPTIONS + 1)]}]}),
    "title_over_limit": _file(_werkvorm(title=HOSTILE["long_100k"][:121])),
    "title_only_nul": _file(_werkvorm(title=HOSTILE["only_nul"])),
    "title_zero_width_only": _file(_werkvorm(title=HOSTILE["zero_width_only"])),
    "programme_unknown_werkvorm": _file({"kind": "programme", "title": "Stuurgroep najaar",
                                        "steps": [{"werkvorm": "brainstorm"}, {"werkvorm": "bestaat_niet"}]}),
    "programme_too_many_steps": _file({"kind": "programme", "title": "Te lang",
                                      "steps": [{"werkvorm": "brainstorm"}] * (S.PROGRAMME_STEPS + 1)}),
    "programme_bad_minutes": _file({"kind": "programme", "title": "Nacht",
                                   "steps": [{"werkvorm": "brainstorm", "minutes": 9999}]}),
    "programme_broken_own_werkvorm": _file({"kind": "programme", "title": "Half",
                                           "steps": [{"werkvorm": "brainstorm"}, {"werkvorm": _werkvorm(fields=[])}]}),
}
#: Hostile text in an otherwise valid werkvorm: stored, as text, cleaned like typed text.
HOSTILE_TEXT = ("script_tag", "md_link", "streamlit_directives", "bidi_override", "nul_inside", "c0_c1_controls",
                "zero_width_inside", "emoji")


def test_thirty_bad_files_are_counted():
    assert len(BAD) == 30


@pytest.mark.parametrize("name", list(BAD))
def test_a_bad_or_hostile_file_is_refused_in_dutch_and_writes_nothing(name, workshop_factory, store):
    room = workshop_factory(("brainstorm",))
    store.save_werkvorm(room.fac, own_praatplaat("Al bewaard"))  # something there that must stay as it was
    before = [(t.id, t.version, t.body) for t in store.templates(room.fac)]
    with pytest.raises(UserError) as err:
        import_file(store, BAD[name], room.fac)
    assert_dutch(err.value)
    assert err.value.key == "lib.import_refused"
    message = str(err.value)
    assert not _ENGLISH.search(message), message
    assert len(message) < 1200 and "<" not in message.replace("<script>", "")  # short; no markup of its own
    assert [(t.id, t.version, t.body) for t in store.templates(room.fac)] == before
    assert count_rows(store, D.templates) == 1


@pytest.mark.parametrize("name", HOSTILE_TEXT)
def test_hostile_text_in_a_valid_file_is_stored_cleaned(name, workshop_factory, store):
    room = workshop_factory(("brainstorm",))
    raw = HOSTILE[name]
    data = _werkvorm(title=f"Praatplaat {raw}"[:120], summary=f"Uitleg {raw}")
    data["sections"][0]["prompts"] = [f"Hulpvraag {raw}"]
    item, saved = import_file(store, _file(data), room.fac)
    stored = store.template(room.fac, saved.id).werkvorm
    assert stored == item
    assert stored.summary == normalise(f"Uitleg {raw}", multiline=True)  # cleaned as typed text is
    assert stored.sections[0].prompts[0] == normalise(f"Hulpvraag {raw}")
    for text in (stored.title, stored.summary, stored.sections[0].prompts[0]):
        assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", text), text
    if name in ("script_tag", "md_link", "streamlit_directives", "emoji"):
        assert raw in stored.summary  # kept as the text it is; pages show it escaped


def test_an_imported_programme_replaces_nothing_when_its_title_is_taken(workshop_factory, store):
    room = workshop_factory(("brainstorm",))
    text = programme_yaml("Stuurgroep najaar", [(canvas_models.REGISTRY["brainstorm"], 20)])
    import_file(store, text, room.fac)
    with pytest.raises(UserError) as err:
        import_file(store, text, room.fac)
    assert_dutch(err.value)
    assert [t.title for t in store.templates(room.fac)] == ["Stuurgroep najaar"]


def test_a_programme_with_an_own_werkvorm_imports_on_another_instance(workshop_factory, store, second_store, tmp_path):
    """Exported on one instance (the file /nieuw downloads), imported on a second store and on a
    fresh database of its own: the same programme, and a workshop made from it runs those steps."""
    room = workshop_factory(("brainstorm",))
    own = store.save_werkvorm(room.fac, own_praatplaat()).werkvorm
    items = [(canvas_models.REGISTRY["brainstorm"], 25), (own, 40), (canvas_models.REGISTRY["followup"], 15)]
    text = programme_yaml("Stuurgroep najaar", items)
    assert "eigen_praatplaat" in text and "werkvorm: brainstorm" in text  # shipped by key, own whole

    other = D.Database(f"sqlite:///{tmp_path / 'other-instance.db'}")
    try:
        for target in (second_store, Store(other)):
            ws, secret = target.create_workshop(title="Elders", partnership="Regio", day=room.ws.date, facilitator="",
                                                werkvormen=["brainstorm"])
            fac = target.authorize(ws.code, secret)
            programme, saved = import_file(target, text.encode("utf-8"), fac)
            assert (saved.kind, saved.title) == ("programme", "Stuurgroep najaar")
            assert list(programme.steps) == items
            assert list(target.template(fac, saved.id).programme.steps) == items
            new, _ = target.create_workshop(title="Najaar", partnership="Regio", day=room.ws.date, facilitator="",
                                            **create_args(list(programme.steps)))
            steps = target.steps(new.id)
            assert [(s.werkvorm_key, s.timer_seconds) for s in steps] == \
                [("brainstorm", 1500), ("eigen_praatplaat", 2400), ("followup", 900)]
            assert [s.title for s in steps[1].werkvorm.sections] == [f"Aspect {i + 1}" for i in range(6)]
    finally:
        other.dispose()
