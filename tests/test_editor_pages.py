"""AppTest of the werkvorm editor (`/werkvorm`, ui/editor.py): round trips, an own praatplaat, Dutch
messages beside their field, files from outside."""

from __future__ import annotations

import io
from datetime import date

import pypdf
import pytest
import yaml
from streamlit.testing.v1 import AppTest

import canvas_models

from apptest import button, html, open_page, page_text
from canvas_models import REGISTRY
from canvas_models import spec as spec_of
from exports import pdf
from exports.snapshot import snapshot
from messages import t
from ui import editor, live_preview
from ui.common import esc, md
from workshop.store import new_key


def _owner(store):
    partnership, secret = store.create_partnership("Regio Noord")
    return partnership, secret, store.open_partnership(partnership.id, secret)


def _editor(store, **params) -> tuple[AppTest, object]:
    partnership, secret, access = _owner(store)
    at = open_page("editor", p=str(partnership.id), key=secret, **params)
    assert not at.exception, [e.value for e in at.exception]
    return at, access


def _widget(at: AppTest, path: str):
    """The editor's widget for one place of the werkvorm (``sections.2.title``)."""
    gen = at.session_state[editor.GEN]
    key = f"ed{gen}:{path}"
    for kind in ("text_input", "text_area", "checkbox", "selectbox"):
        for widget in getattr(at, kind):
            if widget.key == key:
                return widget
    raise AssertionError(f"no widget {key}")


def _problem_html(at: AppTest) -> str:
    return "\n".join(b for b in (el.proto.body for el in at.get("html")) if "<p class=\"ss-ed-problem\"" in b)


@pytest.mark.parametrize("key", list(REGISTRY))
def test_every_shipped_werkvorm_saved_unchanged_is_the_same(app_store, key):
    at, access = _editor(app_store, van=key)
    assert "key" not in at.query_params  # the secret left the address; the session holds it
    assert at.session_state[editor.SPEC]["key"] == f"eigen_{key}"[:40].rstrip("_")
    # every text field left once with a space more (the whitespace a person leaves): each field's own
    # conversion writes its place of the werkvorm again, and nothing changes
    prefix = f"ed{at.session_state[editor.GEN]}:"
    touched = [w for w in [*at.text_input, *at.text_area] if str(w.key).startswith(prefix)]
    assert len(touched) >= 3 * len(REGISTRY[key].sections)
    for widget in touched:
        widget.set_value(widget.value + " ")
    at.run()
    assert not at.exception
    button(at, t("editor.save")).click().run()
    assert not at.exception
    assert at.success and at.success[0].value.startswith(t("editor.saved", title=REGISTRY[key].title, version=1)[:20])
    (saved,) = app_store.templates(access)
    result = spec_of.dump(saved.werkvorm)
    assert result["key"] != key  # a copy: the shipped werkvorm is never overwritten
    assert {**result, "key": key} == spec_of.dump(REGISTRY[key])


def test_onze_eigen_praatplaat_with_six_aspects_is_stored_for_its_owner(app_store):
    at, access = _editor(app_store, van="praatplaat")
    _widget(at, "title").input("Onze eigen praatplaat").run()
    # the suggested key follows the title: the werkvorm takes it and the empty box shows it in grey
    # (never written into the box, where the person may be typing)
    assert at.session_state[editor.SPEC]["key"] == "onze_eigen_praatplaat"
    assert _widget(at, "key").value == "" and _widget(at, "key").placeholder == "onze_eigen_praatplaat"
    button(at, t("editor.add_section")).click().run()
    assert len(at.session_state[editor.SPEC]["sections"]) == 6
    _widget(at, "sections.5.title").input("Leren").run()
    _widget(at, "sections.5.key").input("leren").run()
    _widget(at, "sections.5.question").input("Leren we van elkaar?").run()
    _widget(at, "sections.5.prompts").input("Wat namen we over van een partner?\nWaar zien we dat terug?").run()
    _widget(at, "sections.0.prompts").input("Waarom doen wij dit samen?").run()
    # the new aspect goes first, by the keyboard's buttons
    for _ in range(5):
        gen = at.session_state[editor.GEN]
        position = [s["key"] for s in at.session_state[editor.SPEC]["sections"]].index("leren")
        at.button(key=f"ed{gen}:sections.{position}.up").click().run()
    assert not at.exception
    assert t("editor.valid") in page_text(at)
    assert not _problem_html(at)
    button(at, t("editor.save")).click().run()
    (saved,) = app_store.templates(access)
    werkvorm = saved.werkvorm
    assert werkvorm.title == "Onze eigen praatplaat" and werkvorm.key == "onze_eigen_praatplaat"
    assert [s.key for s in werkvorm.sections] == ["leren", "ambitie", "belangen", "relatie", "organisatie", "proces"]
    assert werkvorm.sections[0].prompts == ("Wat namen we over van een partner?", "Waar zien we dat terug?")
    assert werkvorm.sections[1].prompts == ("Waarom doen wij dit samen?",)
    # saved again: a new version of the same template
    _widget(at, "summary").input("Ons eigen beeld van de samenwerking.").run()
    button(at, t("editor.save_version")).click().run()
    (saved,) = app_store.templates(access)
    assert saved.version == 2 and saved.werkvorm.summary == "Ons eigen beeld van de samenwerking."
    # the preview is a practice workshop holding exactly this werkvorm, with room for its own participant only
    held = at.session_state[live_preview.HELD]
    ws = app_store.workshop_by_code(held["code"])
    assert ws.max_participants == 1
    (step,) = app_store.steps(ws.id)
    assert step.werkvorm == saved.werkvorm
    assert f"room={held['code']}" in html(at)
    # it runs in a workshop, the report shows it, and its file reads the same elsewhere
    ws, _ = app_store.create_workshop(title="Stuurgroep", partnership="", day=date(2026, 11, 27), facilitator="",
                                      werkvormen=[werkvorm], member_of=access)
    (step,) = app_store.steps(ws.id)
    who = app_store.join(ws.code, name="Anne", org_type="mbo")
    app_store.answer(who, step.id, section="leren", values={"score": 4, "goed": "We leren veel"}, idem_key=new_key())
    report = "".join(page.extract_text() for page in
                     pypdf.PdfReader(io.BytesIO(pdf.build_pdf(snapshot(app_store, ws.id)))).pages)
    assert "Onze eigen praatplaat" in report and "Leren" in report
    assert spec_of.from_yaml(spec_of.to_yaml(saved.werkvorm)) == saved.werkvorm


def test_an_invalid_edit_shows_the_dutch_message_beside_its_field_and_keeps_the_text(app_store):
    at, access = _editor(app_store, vorm="scores")
    _widget(at, "sections.0.key").input("Ambitie & meer").run()
    _widget(at, "default_minutes").input("tien").run()
    _widget(at, "title").input("   ").run()
    assert _widget(at, "sections.0.key").value == "Ambitie & meer"  # what was typed is kept
    assert _widget(at, "default_minutes").value == "tien"
    assert at.session_state[editor.SPEC]["sections"][0]["key"] == "Ambitie & meer"
    problems = _problem_html(at)
    assert t("spec.key") in problems.replace("&#39;", "'") or "een sleutel heeft alleen kleine letters" in problems
    assert "vul een geheel getal in" in problems
    assert "vul dit in" in problems
    # the summary names each problem with its place, in Dutch
    text = page_text(at)
    assert "onderdeel 1 › sleutel" in text and "standaardtijd (minuten)" in text
    assert button(at, t("editor.save")).disabled
    assert button(at, t("editor.add")).disabled
    # a shipped werkvorm's key is refused beside the key field, and a key of one's own stays
    _widget(at, "key").input("praatplaat").run()
    assert "meegeleverde werkvorm" in _problem_html(at)
    _widget(at, "title").input("Praatplaat").run()
    assert _widget(at, "key").value == "praatplaat" and at.session_state[editor.SPEC]["key"] == "praatplaat"
    # an emptied box follows the title again
    _widget(at, "key").input("").run()
    assert at.session_state[editor.SPEC]["key"] == "eigen_praatplaat" == _widget(at, "key").placeholder
    _widget(at, "title").input("Onze plaat").run()
    assert at.session_state[editor.SPEC]["key"] == "onze_plaat" and _widget(at, "key").value == ""
    assert app_store.templates(access) == []


def test_a_new_werkvorm_of_every_layout_starts_valid(app_store):
    for layout in sorted({wv.layout for wv in REGISTRY.values()}):
        at = open_page("editor", vorm=layout)
        assert not at.exception, layout
        werkvorm, problems = editor.check(at.session_state[editor.SPEC])
        assert werkvorm is not None and not problems, (layout, [p.text for p in problems])
        assert werkvorm.layout == layout and len(werkvorm.sections) == 1


def test_choices_options_are_added_and_removed(app_store):
    at = open_page("editor", vorm="choices")
    # every input stops at the model's own limit
    assert _widget(at, "title").proto.max_chars == 120
    assert _widget(at, "sections.0.options.0.label").proto.max_chars == 80
    assert _widget(at, "sections.0.options.0.info").proto.max_chars == 400
    assert _widget(at, "sections.0.key").proto.max_chars == 40
    gen = at.session_state[editor.GEN]
    at.button(key=f"ed{gen}:sections.0.options.1.remove").click().run()
    assert "geef dit onderdeel minstens twee keuzes" in _problem_html(at)
    gen = at.session_state[editor.GEN]
    at.button(key=f"ed{gen}:sections.0.options.add").click().run()
    _widget(at, "sections.0.options.1.label").input("Samen beginnen").run()
    werkvorm, problems = editor.check(at.session_state[editor.SPEC])
    assert not problems and [o.label for o in werkvorm.sections[0].options] == ["Keuze 1", "Samen beginnen"]


def test_add_to_the_new_workshop_puts_it_in_the_programme(app_store):
    at = open_page("editor", vorm="wall")
    _widget(at, "title").input("Onze muur").run()
    button(at, t("editor.add")).click().run()
    assert not at.exception
    *default, item = at.session_state["_programme"]  # after the default programme of a new session
    assert [d["spec"]["key"] for d in default] == list(canvas_models.DEFAULT_SELECTION)
    assert item["spec"]["title"] == "Onze muur" and item["minutes"] == 10
    # back to the editor for the next one: a fresh start
    at.switch_page("pages/werkvorm.py")
    at.query_params["vorm"] = "wall"
    at.run()
    assert at.session_state[editor.SPEC]["title"] == t("editor.new_title")


def test_without_an_owner_the_editor_explains_how_to_save(app_store):
    at = open_page("editor", van="brainstorm")
    assert t("editor.no_owner") in [i.value for i in at.info]
    assert t("editor.save") not in [b.label for b in at.button]
    assert [b.label for b in at.get("download_button")] == [t("editor.download")]


def _import_page(data: bytes, layout: str = "wall") -> None:
    """The editor with one file read in by its real handler (AppTest cannot drive st.file_uploader)."""
    import streamlit as st

    from ui import editor
    from ui.common import page_setup

    page_setup()
    if editor.SPEC not in st.session_state:
        editor.load(editor.starter(layout), ("layout", layout))
        st.session_state["before"] = editor.json.loads(editor.json.dumps(st.session_state[editor.SPEC]))
        st.session_state[editor.IMPORT_NOTE] = editor.read_file(data)
    editor._draw()


def _imported(data: bytes) -> AppTest:
    at = AppTest.from_function(_import_page, args=(data,), default_timeout=30).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


HOSTILE = {
    "script": "key: eigen_x\ntitle: '<script>alert(1)</script> **vet** [klik](http://evil.example)'\n"
              "summary: '<img src=x onerror=alert(1)>'\nlayout: wall\nsections:\n  - key: a\n    title: A\n"
              "fields:\n  - key: note\n    kind: note\n    label: Briefje\n",
    "aliases": "a: &a [1,2]\nb: [*a, *a]\n",
    "not yaml": "key: [unclosed\n",
    "a list": "- 1\n- 2\n",
    "unknown field": "key: eigen_x\ntitle: X\nsummary: Y\nlayout: wall\nrun: rm -rf /\n"
                     "sections: [{key: a, title: A}]\nfields: [{key: n, kind: note, label: L}]\n",
    "wrong kind": "key: eigen_x\ntitle: X\nsummary: Y\nlayout: scores\nsections: [{key: a, title: A}]\n"
                  "fields: [{key: n, kind: action, label: L}]\n",
    "too big": "key: x\ntitle: " + "a" * 210_000 + "\n",
    "binary": b"\xff\xfe\x00key: x".decode("latin-1"),
}


def test_hostile_files_are_refused_in_dutch_or_shown_as_text(app_store):
    for name, body in HOSTILE.items():
        data = body.encode("latin-1") if name == "binary" else body.encode("utf-8")
        at = _imported(data)
        kind, message, details = at.session_state[editor.IMPORT_NOTE]
        shown = html(at)
        if name == "script":
            assert kind == "read", details
            assert _widget(at, "title").value.startswith("<script>alert(1)</script> **vet**")
            assert "<script>alert(1)" not in shown and "<img src=x" not in shown  # never as markup
            assert "&#60;script&#62;alert&#40;1&#41;" in shown  # shown as text in the note about the file
        else:
            assert kind == "refused", name
            assert message == t("editor.import_refused") and details, name
            assert at.session_state[editor.SPEC] == at.session_state["before"], name  # nothing half-read
            assert "ss-ed-import-refused" in shown and esc(t("editor.import_refused")) in shown
    partnership, secret = app_store.create_partnership("Regio Zuid")
    assert app_store.templates(app_store.open_partnership(partnership.id, secret)) == []


def test_a_programme_file_is_refused_here_with_a_hint(app_store):
    programme = yaml.safe_dump({"kind": "programme", "title": "Stuurgroep najaar",
                                "steps": [{"werkvorm": "brainstorm", "minutes": 10}]})
    at = _imported(programme.encode())
    assert at.session_state[editor.IMPORT_NOTE] == ("refused", t("editor.import_programme"), [])
    assert esc(t("editor.import_programme")) in html(at)


def test_a_file_with_a_shipped_key_becomes_an_own_copy(app_store):
    at = _imported(spec_of.to_yaml(REGISTRY["grow"]).encode())
    assert at.session_state[editor.SPEC]["key"] == "eigen_grow"
    assert {**at.session_state[editor.SPEC], "key": "grow"} == spec_of.dump(REGISTRY["grow"])


def test_the_order_board_moves_a_section_once(app_store):
    at = open_page("editor", van="praatplaat")
    board = [c for c in at.get("component_instance") if c.proto.component_name == "ui.sortboard.sortboard"]
    assert len(board) == 1
    at.session_state[editor.ORDER_BOARD] = {"seq": "1", "item": 4, "to": "order", "index": 0}
    at.run()
    keys = [s["key"] for s in at.session_state[editor.SPEC]["sections"]]
    assert keys == ["proces", "ambitie", "belangen", "relatie", "organisatie"]
    at.run()  # the same move is taken once
    assert [s["key"] for s in at.session_state[editor.SPEC]["sections"]] == keys
    # a move that makes no sense changes nothing
    for seq, value in enumerate(({"item": 9, "index": 0}, {"item": 1, "index": -1}, {"item": "<b>", "index": 1},
                                 {"item": 1, "index": True}), start=2):
        at.session_state[editor.ORDER_BOARD] = {"seq": str(seq), "to": "order", **value}
        at.run()
        assert not at.exception
        assert [s["key"] for s in at.session_state[editor.SPEC]["sections"]] == keys


def test_a_title_typed_and_a_section_removed_in_one_go_land_in_the_right_places(app_store):
    """Streamlit runs the callbacks of one interaction in any order: the removal waits for the typing."""
    at = open_page("editor", van="praatplaat")
    gen = at.session_state[editor.GEN]
    _widget(at, "sections.3.title").set_value("Organisatie en mandaat")
    at.button(key=f"ed{gen}:sections.1.remove").click().run()
    assert not at.exception
    sections = at.session_state[editor.SPEC]["sections"]
    assert [s["key"] for s in sections] == ["ambitie", "relatie", "organisatie", "proces"]
    assert sections[2]["title"] == "Organisatie en mandaat"


def test_a_facilitator_link_owns_a_template_that_opens_again_for_a_new_version(app_store):
    from apptest import make_room

    ws, secret = make_room(app_store)
    at = open_page("editor", vorm="wall", room=ws.code, key=secret)
    assert "key" not in at.query_params and "room" not in at.query_params
    _widget(at, "title").input("Onze ideeënmuur").run()
    _widget(at, "key").input("ideeenmuur").run()
    button(at, t("editor.save")).click().run()
    fac = app_store.authorize(ws.code, secret)
    (saved,) = app_store.templates(fac)
    # later in the same session: the template opens by its id, and saving makes version 2
    at.query_params.clear()
    at.query_params["sjabloon"] = str(saved.id)
    at.run()
    assert at.session_state[editor.ORIGIN] == ("template", "Onze ideeënmuur", 1)
    _widget(at, "sections.0.question").input("Wat wil jij vandaag kwijt?").run()
    button(at, t("editor.save_version")).click().run()
    (again,) = app_store.templates(fac)
    assert again.id == saved.id and again.version == 2
    assert again.werkvorm.sections[0].question == "Wat wil jij vandaag kwijt?"


def test_a_template_of_another_owner_or_an_unknown_start_is_refused_in_dutch(app_store):
    partnership, secret, access = _owner(app_store)
    theirs = app_store.save_werkvorm(access, from_shipped_copy("brainstorm"))
    at = open_page("editor", sjabloon=str(theirs.id))  # this session opened no link
    assert [w.value for w in at.warning] == [t("editor.template_unknown")]
    for odd in ("9" * 30, "-3", "0x1f"):  # an address can hold anything: no crash, the same refusal
        at = open_page("editor", sjabloon=odd, p=str(partnership.id), key=secret)
        assert not at.exception
        assert t("editor.template_unknown") in [w.value for w in at.warning]
    at = open_page("editor", sjabloon=str(theirs.id))
    assert editor.SPEC not in at.session_state
    assert at.selectbox(key="ed:start-van") is not None  # the choice where to start instead
    at = open_page("editor", van="bestaat_niet")
    assert [w.value for w in at.warning] == [t("editor.unknown_shipped")]
    at = open_page("editor", vorm="<b>muur</b>")
    assert [w.value for w in at.warning] == [t("editor.unknown_layout")]


def from_shipped_copy(key: str) -> dict:
    return editor.from_shipped(key)


def test_a_suggested_key_is_a_valid_key_and_never_a_shipped_one():
    assert editor.key_from_title("Onze eigen praatplaat") == "onze_eigen_praatplaat"
    assert editor.key_from_title("Brainstorm") == "eigen_brainstorm"
    assert editor.key_from_title("2 rondes <b>snel</b> é") == "w2_rondes_b_snel_b_e"
    assert editor.key_from_title("!!!") == "werkvorm"
    assert len(editor.key_from_title("lang " * 30)) <= 40
    for title in ("Brainstorm", "2 rondes", "x" * 200, "Ünïcødé"):
        spec = {**editor.starter("wall"), "key": editor.key_from_title(title)}
        assert editor.check(spec)[1] == [], title


def test_a_phone_and_a_screen_of_a_workshop_being_deleted_say_so(app_store):
    """The editor deletes its previous practice workshop while its phone and screen frames may still
    draw (retention does the same to an old workshop): between their reads the steps are gone."""
    from sqlalchemy import delete

    from apptest import make_room
    from workshop import db as D

    ws, _ = make_room(app_store)
    who = app_store.join(ws.code, name="Anna", org_type="mbo")
    with app_store.db.writing() as conn:
        conn.execute(delete(D.steps).where(D.steps.c.workshop_id == ws.id))
    phone = open_page("join", room=ws.code, p=who.token)
    assert not phone.exception, [e.value for e in phone.exception]
    assert [w.value for w in phone.warning] == [t("error.unknown_room")]
    screen = open_page("screen", room=ws.code)
    assert not screen.exception, [e.value for e in screen.exception]
    assert t("screen.no_room") in [i.value for i in screen.info]


def test_a_pasted_link_makes_its_owner_available_for_saving(app_store):
    from apptest import make_room

    partnership, secret = app_store.create_partnership("Regio West")
    ws, fac_secret = make_room(app_store)
    at = open_page("editor", vorm="wall")
    for wrong in ("https://example.org/partnerschap?p=1&key=fout", "geen link <b>", f"/begeleider?room={ws.code}"):
        at.text_input(key="ed:link").input(wrong)
        button(at, t("editor.paste_open")).click().run()
        assert t("editor.paste_wrong") in [e.value for e in at.error], wrong
        assert t("editor.save") not in [b.label for b in at.button]
    at.text_input(key="ed:link").input(f"http://localhost:8501/partnerschap?p={partnership.id}&key={secret}")
    button(at, t("editor.paste_open")).click().run()
    assert t("editor.save") in [b.label for b in at.button]
    assert at.caption and any("Regio West" in c.value for c in at.caption)
    # a second owner, by its facilitator link: now there is a choice
    at.session_state["_facilitator_links"] = {ws.code: fac_secret}  # as the cockpit remembers it
    at.run()
    assert at.selectbox(key="ed:owner").options == [md(t("library.owner_partnership", name="Regio West")),
                                                     md(t("library.owner_workshop", title=ws.title, code=ws.code))]


def test_with_an_admin_password_only_an_owner_makes_practice_workshops(app_store, setting):
    from workshop import db as D

    setting("SAMENSPRAAK_ADMIN_PASSWORD", "geheim")
    at = open_page("editor", vorm="wall")
    assert t("preview.needs_link") in [i.value for i in at.info]
    assert live_preview.HELD not in at.session_state
    with app_store.db.reading() as conn:
        assert conn.execute(D.workshops.select()).first() is None
    at, _ = _editor(app_store, vorm="wall")  # with a partnership's link
    assert app_store.workshop_by_code(at.session_state[live_preview.HELD]["code"]) is not None
