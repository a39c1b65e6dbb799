"""AppTest of the template library and the programme (issue 18): /nieuw's programme (reorder,
minutes, remove, add, create), the library opened with a pasted link (its own templates, no one
else's), saving and loading a programme template, the cockpit's entry and the partnership page's list."""

from __future__ import annotations

import canvas_models
from apptest import created_code, open_page, page_text, raw_html, set_programme
from helpers import make_app_room
from hostile import HOSTILE
from messages import dutch_date, t
from test_templates import own_praatplaat
from ui.common import md

REGISTRY = canvas_models.REGISTRY


def _fac_link(room) -> str:
    return f"http://localhost:8501/begeleider?room={room.ws.code}&key={room.secret}"


def _paste(at, url: str):
    at.text_input(key="lib-link").input(url)
    return at.button(key="lib-open").click().run()


def _entries(at) -> list[str]:
    """The library's entries (and every other expander) by their label."""
    return [e.label for e in at.expander]


def _programme(at, prefix: str = "new") -> list[tuple[str, int]]:
    """The programme as the page shows it: (step label, minutes)."""
    labels = [b.body for b in at.get("html") if "ss-user" in b.proto.body and "ss-step-title" in b.proto.body]
    minutes = [n.value for n in at.number_input if n.key and n.key.startswith(f"{prefix}-min-")]
    return list(zip([_text(b) for b in labels], minutes))


def _text(body: str) -> str:
    import html
    import re

    return html.unescape(re.sub(r"<[^>]+>", "", body))


def test_the_programme_starts_as_before_and_is_reordered_timed_and_created(app_store):
    at = open_page("new")
    assert _programme(at) == [(t("lib.step", n=i + 1, title=REGISTRY[k].title), REGISTRY[k].default_minutes)
                              for i, k in enumerate(canvas_models.DEFAULT_SELECTION)]
    at.button(key="new-down-0").click().run()  # brainstorm after the praatplaat
    at.button(key="new-remove-4").click().run()  # GROW goes
    at.number_input(key="new-min-1").set_value(25).run()  # brainstorm: 25 minutes
    at.selectbox(key="new-add").select("kompas").run()
    at.button(key="new-add-go").click().run()
    assert not at.exception
    order = ["praatplaat", "brainstorm", "followup", "canvas", "kompas"]
    minutes = [15, 25, 15, 20, 20]
    assert _programme(at) == [(t("lib.step", n=i + 1, title=REGISTRY[k].title), m)
                              for i, (k, m) in enumerate(zip(order, minutes))]
    assert t("lib.total", minutes=95, n=5) in [c.value for c in at.caption]
    assert at.button(key="new-up-0").disabled and at.button(key="new-down-4").disabled
    at.text_input(key="new-title").input("Werkatelier")
    at.text_input(key="new-partnership").input("Regio")
    at.button[0].click().run()
    assert not at.exception and at.success[0].value == t("new.created")
    ws = app_store.workshop_by_code(created_code(at))
    assert [(s.werkvorm_key, s.timer_seconds) for s in app_store.steps(ws.id)] == \
        [(k, m * 60) for k, m in zip(order, minutes)]


def test_an_empty_programme_is_refused_in_dutch(app_store):
    at = set_programme(open_page("new"), [])
    assert t("lib.programme_empty") in page_text(at)
    at.text_input(key="new-title").input("Leeg")
    at.text_input(key="new-partnership").input("Regio")
    at.button[0].click().run()
    assert [e.value for e in at.error] == [t("error.no_werkvormen")]
    assert not at.code  # no links: nothing was made


def test_a_pasted_link_opens_its_own_library_and_no_other(app_store):
    mine = make_app_room(app_store, ("brainstorm",), title="Mijn sessie")
    other = make_app_room(app_store, ("brainstorm",), title="Andere sessie")
    app_store.save_werkvorm(mine.fac, own_praatplaat())
    app_store.save_werkvorm(other.fac, own_praatplaat("Geheim van een ander"))
    at = open_page("new")
    assert t("lib.no_owners") in page_text(at)
    assert "Onze eigen praatplaat" not in _entries(at)
    # a name grants nothing, nor a link with a wrong secret, nor another kind of link
    for typed in ("Mijn sessie", f"http://localhost:8501/begeleider?room={mine.ws.code}&key=fout",
                  f"http://localhost:8501/partnerschap?p=1&key={mine.secret}", f"http://localhost:8501/?room={mine.ws.code}"):
        _paste(at, typed)
        assert [e.value for e in at.error] == [t("lib.bad_link")], typed
        assert "Onze eigen praatplaat" not in _entries(at)
    _paste(at, _fac_link(mine))
    assert not at.exception
    owner = t("library.owner_workshop", title="Mijn sessie", code=mine.ws.code)
    assert t("lib.opened", owner=owner) in [s.value for s in at.success]
    assert at.text_input(key="lib-link").value == ""  # the link is not kept on the page
    assert "Onze eigen praatplaat" in _entries(at) and "Geheim van een ander" not in _entries(at)
    offered = at.selectbox(key="new-add").options
    assert t("lib.own_label", title="Onze eigen praatplaat", owner=owner) in offered
    assert not any("Geheim van een ander" in o for o in offered)
    # the own werkvorm goes into the programme and into the workshop, whole
    [template] = app_store.templates(mine.fac)
    at.button(key=f"lib-add-f:{mine.ws.code}-{template.id}").click().run()
    assert _programme(at)[-1] == (t("lib.step_own", n=6, title="Onze eigen praatplaat"), 15)
    set_programme(at, [])
    at.button(key=f"lib-add-f:{mine.ws.code}-{template.id}").click().run()
    at.text_input(key="new-title").input("Met eigen plaat")
    at.text_input(key="new-partnership").input("Regio")
    at.button[0].click().run()
    [step] = app_store.steps(app_store.workshop_by_code(created_code(at)).id)
    assert step.werkvorm_key == "eigen_praatplaat" and len(step.werkvorm.sections) == 6


def test_a_programme_is_saved_as_a_template_and_loaded_in_another_browser(app_store):
    room = make_app_room(app_store, ("brainstorm",), title="Stuurgroep")
    at = open_page("new")
    _paste(at, _fac_link(room))
    set_programme(at, ["grow", "brainstorm"])
    at.number_input(key="new-min-0").set_value(45).run()
    at.text_input(key="new-save-title").input("Stuurgroep najaar")
    at.button(key="new-save-go").click().run()
    assert not at.exception
    owner = t("library.owner_workshop", title="Stuurgroep", code=room.ws.code)
    assert t("lib.saved", title="Stuurgroep najaar", owner=owner) in [s.value for s in at.success]
    [saved] = app_store.templates(room.fac, "programme")
    assert [(wv.key, m) for wv, m in saved.programme.steps] == [("grow", 45), ("brainstorm", 10)]
    # the same name again is refused in Dutch, and nothing changes
    at.text_input(key="new-save-title").input("Stuurgroep najaar")
    at.button(key="new-save-go").click().run()
    assert t("template.title_taken", title="Stuurgroep najaar") in [e.value for e in at.error]
    assert len(app_store.templates(room.fac, "programme")) == 1

    fresh = open_page("new")  # another browser: its own default programme, no templates until the link
    assert "Stuurgroep najaar" not in _entries(fresh)
    _paste(fresh, _fac_link(room))
    assert "Stuurgroep najaar" in _entries(fresh)
    fresh.button(key=f"lib-load-f:{room.ws.code}-{saved.id}").click().run()
    assert _programme(fresh) == [(t("lib.step", n=1, title=REGISTRY["grow"].title), 45),
                                 (t("lib.step", n=2, title=REGISTRY["brainstorm"].title), 10)]
    assert t("lib.loaded", title="Stuurgroep najaar", n=2) in [s.value for s in fresh.success]


def test_an_own_template_is_deleted_only_after_confirming(app_store):
    room = make_app_room(app_store, ("brainstorm",))
    template = app_store.save_werkvorm(room.fac, own_praatplaat())
    at = open_page("new")
    _paste(at, _fac_link(room))
    slot = f"f:{room.ws.code}-{template.id}"
    at.button(key=f"lib-del-ask-{slot}").click().run()
    assert [w.value for w in at.warning] == [md(t("lib.delete_confirm", title="Onze eigen praatplaat"))]
    at.button(key=f"lib-del-no-{slot}").click().run()
    assert len(app_store.templates(room.fac)) == 1
    at.button(key=f"lib-del-ask-{slot}").click().run()
    at.button(key=f"lib-del-yes-{slot}").click().run()
    assert app_store.templates(room.fac) == []
    assert t("lib.deleted", title="Onze eigen praatplaat") in [s.value for s in at.success]
    assert "Onze eigen praatplaat" not in _entries(at)


def test_the_cockpit_saves_its_programme_and_opens_the_library(app_store):
    room = make_app_room(app_store, ("praatplaat", "followup"), title="Najaarssessie")
    at = open_page("facilitator", room=room.ws.code, key=room.secret)
    assert not at.exception
    at.text_input(key="lib-cockpit-title").input("Stuurgroep najaar")
    at.button(key="lib-cockpit-save").click().run()
    assert not at.exception
    [saved] = app_store.templates(room.fac, "programme")
    expected = [(s.werkvorm_key, s.timer_seconds // 60) for s in app_store.steps(room.ws.id)]
    assert [(wv.key, m) for wv, m in saved.programme.steps] == expected
    # the same browser session reaches the workshop's library on /nieuw without pasting the link
    at.switch_page("pages/nieuw.py").run()
    assert "Stuurgroep najaar" in _entries(at)


def test_the_partnership_page_lists_exports_and_deletes_its_templates(app_store):
    partnership, secret = app_store.create_partnership("Regio Twente")
    access = app_store.open_partnership(partnership.id, secret)
    hostile = app_store.save_werkvorm(access, own_praatplaat(HOSTILE["script_tag"]))
    other = make_app_room(app_store, ("brainstorm",))
    app_store.save_werkvorm(other.fac, own_praatplaat("Niet van het partnerschap"))
    at = open_page("partnership", p=str(partnership.id), key=secret)
    assert not at.exception
    text = page_text(at)
    assert HOSTILE["script_tag"] in text and "Niet van het partnerschap" not in text
    assert t("lib.ps_row", title=HOSTILE["script_tag"], kind=t("lib.kind_werkvorm"), version=1,
             updated=dutch_date(hostile.updated_at)) in text
    assert "<script>alert" not in raw_html(at)  # shown as text
    slot = f"p:{partnership.id}-{hostile.id}"
    at.button(key=f"lib-del-ask-{slot}").click().run()
    at.button(key=f"lib-del-yes-{slot}").click().run()
    assert app_store.templates(access) == []
    assert t("lib.ps_templates_none") in page_text(at)


def test_the_cockpit_through_the_partnership_link_saves_for_the_partnership(app_store):
    partnership, secret = app_store.create_partnership("Regio Twente")
    access = app_store.open_partnership(partnership.id, secret)
    room = make_app_room(app_store, ("brainstorm", "followup"), member_of=access, title="Binnen")
    at = open_page("facilitator", room=room.ws.code, partnerschap=str(partnership.id), pkey=secret)
    at.text_input(key="lib-cockpit-title").input("Regiosessie")
    at.button(key="lib-cockpit-save").click().run()
    assert not at.exception
    assert [tpl.title for tpl in app_store.templates(access, "programme")] == ["Regiosessie"]
    assert app_store.templates(room.fac) == []  # the workshop's own link was not used, so not its library


def test_a_pasted_partnership_link_opens_the_partnerships_library(app_store):
    partnership, secret = app_store.create_partnership("Regio Twente")
    access = app_store.open_partnership(partnership.id, secret)
    app_store.save_werkvorm(access, own_praatplaat("Praatplaat van de regio"))
    at = open_page("new")
    _paste(at, f"http://localhost:8501/partnerschap?p={partnership.id}&key=fout")
    assert [e.value for e in at.error] == [t("lib.bad_link")]
    _paste(at, f"http://localhost:8501/partnerschap?p={partnership.id}&key={secret}")
    owner = t("library.owner_partnership", name="Regio Twente")
    assert t("lib.opened", owner=owner) in [s.value for s in at.success]
    assert "Praatplaat van de regio" in _entries(at)
    # the partnership can be chosen for the new workshop too: this session opened it with its link
    assert t("new.partnership_opened", name="Regio Twente") in at.selectbox(key="new-partnership-choice").options


def test_a_full_programme_refuses_one_more_step_in_dutch(app_store):
    from canvas_models.spec import PROGRAMME_STEPS

    at = set_programme(open_page("new"), ["brainstorm"] * PROGRAMME_STEPS)
    assert len(_programme(at)) == PROGRAMME_STEPS
    at.button(key="new-add-go").click().run()
    assert [e.value for e in at.error] == [t("lib.too_many", limit=PROGRAMME_STEPS)]
    assert len(_programme(at)) == PROGRAMME_STEPS


def test_every_layout_has_its_words_in_the_library():
    """The library names each layout and says what its screen shows: a new layout needs both texts."""
    import layouts
    from messages import CATALOGUE

    for name in layouts.NAMES:
        assert f"lib.layout.{name}" in CATALOGUE and f"lib.screen.{name}" in CATALOGUE, name


def test_a_library_entry_shows_the_real_phone_and_screen_on_request(app_store, setting):
    """The library's live preview: a practice workshop with just that werkvorm, one entry at a time,
    deleted when the preview closes; an own template previews the version stored."""
    from sqlalchemy import select

    from ui import live_preview
    from workshop import db as D

    at = open_page("new")
    assert live_preview.HELD not in at.session_state  # nothing is made until someone asks
    at.button(key="lib-live-shipped-grow").click().run()
    assert not at.exception
    held = at.session_state[live_preview.HELD]
    ws = app_store.workshop_by_code(held["code"])
    with app_store.db.reading() as conn:
        assert conn.execute(select(D.workshops.c.practice).where(D.workshops.c.id == ws.id)).scalar_one()
    assert ws.max_participants == 1
    [step] = app_store.steps(ws.id)
    assert step.werkvorm_key == "grow"
    markup = raw_html(at)
    assert f"ss-pv-phone-{ws.code}" in markup and f"ss-pv-screen-{ws.code}" in markup
    # the screen frame says its height in its link (no reload to learn it)
    assert f"scherm?room={ws.code}&vh=1080" in markup and held["token"] in markup
    assert t("lib.live_help") in page_text(at)
    # another entry replaces it (one practice workshop per session; the old one is gone)
    at.button(key="lib-live-shipped-brainstorm").click().run()
    second = at.session_state[live_preview.HELD]
    assert second["code"] != ws.code and app_store.workshop_by_code(ws.code) is None
    assert [s.werkvorm_key for s in app_store.steps(app_store.workshop_by_code(second["code"]).id)] == ["brainstorm"]
    assert at.button(key="lib-live-shipped-grow") is not None  # the other entry offers it again
    at.button(key="lib-live-close-shipped-brainstorm").click().run()
    assert live_preview.HELD not in at.session_state and app_store.workshop_by_code(second["code"]) is None
    # an own template, from the owner's library
    room = make_app_room(app_store, ("brainstorm",), title="Mijn sessie")
    app_store.save_werkvorm(room.fac, own_praatplaat())
    [template] = app_store.templates(room.fac)
    _paste(at, _fac_link(room))
    at.button(key=f"lib-live-own-f:{room.ws.code}-{template.id}").click().run()
    own = app_store.workshop_by_code(at.session_state[live_preview.HELD]["code"])
    [step] = app_store.steps(own.id)
    assert [s.title for s in step.werkvorm.sections] == [s.title for s in template.werkvorm.sections]
    # with an admin password, only an owner's link makes practice workshops
    setting("SAMENSPRAAK_ADMIN_PASSWORD", "geheim")
    stranger = open_page("new")
    stranger.button(key="lib-live-shipped-grow").click().run()
    assert t("preview.needs_link") in [i.value for i in stranger.info]
    assert live_preview.HELD not in stranger.session_state
