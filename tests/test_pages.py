"""AppTest for every page: join, new workshop, facilitator and screen, on both databases."""

from __future__ import annotations


import pytest

from apptest import join_as, labels, make_room, new_form, open_page, page_text, raw_html, select_notes, set_programme
from messages import CATALOGUE, t
from workshop import store as S


FACILITATOR_LABELS = {v for k, v in CATALOGUE.items() if k.startswith(("fac.", "vote.open", "vote.close"))
                      and "{" not in v}


def test_join_page_asks_for_code_and_refuses_wrong_one(app_store):
    at = open_page("join")
    assert t("join.code") in labels(at)
    at.text_input(key="join-code").input("ZZZZZZ")
    at.button[0].click().run()
    assert [e.value for e in at.error] == [t("error.unknown_room")]
    assert at.text_input(key="join-code").value == "ZZZZZZ"  # what was typed is kept


def test_wrong_codes_are_slowed_down(app_store):
    at = open_page("join")
    for _ in range(6):
        at.text_input(key="join-code").input("QQQQQQ")
        at.button[0].click().run()
    assert "Wacht" in at.error[0].value


def test_code_entry_leads_to_join_form(app_store):
    ws, _ = make_room(app_store)
    at = open_page("join")
    at.text_input(key="join-code").input(ws.code.lower())
    at.button[0].click().run()
    assert at.query_params["room"] == [ws.code] or at.query_params["room"] == ws.code
    assert t("join.name") in labels(at)


def test_double_tap_on_join_makes_one_participant(app_store):
    """Two taps on "Deelnemen" reach the server as two runs with the same form: one participant."""
    ws, _ = make_room(app_store)
    at = open_page("join", room=ws.code)
    at.text_input(key="join-name").input("Anna")
    at.selectbox(key="join-org").select("mbo")
    at.button[0].click()
    tap = at._tree.get_widget_states()  # what the browser sends with each tap
    at._run(tap)
    first = at.query_params["p"]
    at._run(tap)
    assert not at.exception
    assert [p.name for p in app_store.participants(ws.id)] == ["Anna"]
    assert at.query_params["p"] == first
    # someone else on the same device, with another name, still gets a place of their own
    del at.query_params["p"]
    at.run()
    at.text_input(key="join-name").input("Bram")
    at.selectbox(key="join-org").select("po")
    at.button[0].click().run()
    assert [p.name for p in app_store.participants(ws.id)] == ["Anna", "Bram"]


def test_create_workshop_gives_code_links_and_qr(app_store):
    at = set_programme(open_page("new"), ["brainstorm", "grow"])
    at.text_input(key="new-title").input("Werkatelier <b>regio</b>")
    at.text_input(key="new-partnership").input("STO Twente")
    at.button[0].click().run()
    assert not at.exception
    assert at.success[0].value == t("new.created")
    codes = [c.value for c in at.code]
    fac_link = next(c for c in codes if "begeleider" in c)
    code = fac_link.split("room=")[1].split("&")[0]
    secret = fac_link.split("key=")[1]
    assert len(code) == 6 and set(code) <= set(S.CODE_ALPHABET)
    assert len(secret) >= 22  # >= 128 bits in url-safe base64
    assert any(c.endswith(f"/?room={code}") for c in codes)
    assert any("data:image/svg+xml" in h.proto.body for h in at.get("html"))
    ws = app_store.workshop_by_code(code)
    assert [s.werkvorm_key for s in app_store.steps(ws.id)] == ["brainstorm", "grow"]
    app_store.authorize(code, secret)


def test_create_workshop_with_bad_input_keeps_what_was_typed(app_store):
    at = open_page("new")
    at.text_input(key="new-title").input("   ")
    at.text_input(key="new-partnership").input("STO Twente")
    at.button[0].click().run()
    assert at.error[0].value == t("error.empty", label="Titel")
    assert at.text_input(key="new-partnership").value == "STO Twente"


def test_admin_password_is_required_when_set(app_store, setting):
    setting("SAMENSPRAAK_ADMIN_PASSWORD", "geheim-123")
    at = new_form("fout")
    at.button[0].click().run()
    assert at.error[0].value == t("error.admin_password")
    at.text_input(key="new-admin").input("geheim-123")
    at.button[0].click().run()
    assert at.success[0].value == t("new.created")


def test_participant_joins_posts_note_and_screen_shows_it(app_store):
    ws, _ = make_room(app_store)
    at = join_as(ws)
    token = at.query_params["p"]
    token = token[0] if isinstance(token, list) else token
    assert app_store.participant(ws.code, token).name == "Anna"
    at.text_area[0].input("Meer stageplekken in de techniek")
    at.button[0].click().run()
    assert at.success[0].value == t("participant.sent")
    assert at.text_area[0].value == ""

    screen = open_page("screen", room=ws.code)
    assert "Meer stageplekken in de techniek" in page_text(screen)
    assert t("screen.participants", count=1) == "1 deelnemer" and "1 deelnemer" in page_text(screen)


def test_reload_keeps_the_same_participant(app_store):
    ws, _ = make_room(app_store)
    at = join_as(ws, name="Bram")
    token = at.query_params["p"]
    token = token[0] if isinstance(token, list) else token
    again = open_page("join", room=ws.code, p=token)  # a fresh session, same URL
    assert "Welkom, Bram" in page_text(again)
    assert len(app_store.participants(ws.id)) == 1


def test_double_tap_stores_one_note(app_store):
    ws, _ = make_room(app_store)
    at = join_as(ws)
    at.text_area[0].input("Eén keer")
    at.button[0].click().run()
    at.text_area[0].input("Eén keer")  # the same form sent again
    at.button[0].click().run()
    step = app_store.steps(ws.id)[0]
    assert [n["text"] for n in app_store.contributions(step.id)] == ["Eén keer"]


def test_too_long_note_gets_dutch_message_and_keeps_text(app_store):
    ws, _ = make_room(app_store)
    at = join_as(ws)
    at.text_area[0].input("   ")
    at.button[0].click().run()
    assert at.error[0].value == t("error.empty", label="Jouw briefje")


def test_hostile_note_is_shown_as_text_on_screen(app_store):
    ws, _ = make_room(app_store)
    at = join_as(ws)
    hostile = '<img src=x onerror=alert(1)> [klik](https://evil.example) **vet** $x$'
    at.text_area[0].input(hostile)
    at.button[0].click().run()
    screen = open_page("screen", room=ws.code)
    markup = raw_html(screen)
    assert "<img src=x" not in markup and "onerror=" not in markup
    assert "[klik]" not in markup and "**vet**" not in markup
    assert hostile in page_text(screen)  # decoded by the browser, it reads exactly as typed


def test_facilitator_page_needs_the_secret(app_store):
    ws, secret = make_room(app_store)
    for key in (None, "", "fout", secret[:-1]):
        params = {"room": ws.code} | ({"key": key} if key is not None else {})
        at = open_page("facilitator", **params)
        assert at.error[0].value == t("fac.no_access")
        assert not (labels(at) & FACILITATOR_LABELS)


def test_facilitator_moves_steps_undoes_and_locks(app_store):
    ws, secret = make_room(app_store)
    at = open_page("facilitator", room=ws.code, key=secret)
    assert t("fac.current", n=1, title="Brainstorm: inventariseren en clusteren") in page_text(at)
    at.button(key="step-next").click().run()
    assert app_store.workshop(ws.id).current_step == 1
    at.button(key="step-undo").click().run()
    assert app_store.workshop(ws.id).current_step == 0
    at.button(key="lock").click().run()
    assert app_store.steps(ws.id)[0].locked
    participant = join_as(ws)
    assert t("participant.locked") in page_text(participant)


def test_facilitator_hides_note_and_screen_drops_it(app_store):
    ws, secret = make_room(app_store)
    at = join_as(ws)
    at.text_area[0].input("Dit moet weg")
    at.button[0].click().run()
    note = app_store.contributions(app_store.steps(ws.id)[0].id)[0]
    fac = open_page("facilitator", room=ws.code, key=secret)
    step_id = app_store.steps(ws.id)[0].id
    select_notes(fac, step_id, [note["id"]])  # its line in the notes table
    fac.button(key=f"notes-hide-{step_id}").click().run()
    assert not fac.exception
    assert "Dit moet weg" not in page_text(open_page("screen", room=ws.code))


def test_screen_hides_unrevealed_answers_and_shows_no_controls_or_secret(app_store):
    ws, secret = make_room(app_store, werkvormen=("praatplaat",))
    who = app_store.join(ws.code, name="Cas", org_type="vmbo")
    step = app_store.steps(ws.id)[0]
    app_store.answer(who, step.id, section="ambitie", values={"score": 2, "goed": "GeheimeOpmerking"},
                     idem_key="k1")
    screen = open_page("screen", room=ws.code)
    text = page_text(screen)
    assert "GeheimeOpmerking" not in text
    assert t("screen.answered", count=1, total=1) in text
    assert secret not in text
    assert not (labels(screen) & FACILITATOR_LABELS)
    assert not screen.button and not screen.text_input


@pytest.mark.parametrize("page", ["join", "screen", "new", "partnership"])
def test_no_page_but_the_facilitator_page_reaches_facilitator_actions(app_store, page):
    ws, secret = make_room(app_store)
    params = {"room": ws.code} if page not in ("new", "partnership") else {}
    at = open_page(page, **params)
    assert not at.exception
    assert not (labels(at) & FACILITATOR_LABELS)
    assert secret not in page_text(at)
    if page == "join":  # also after joining, as a participant
        at = join_as(ws)
        assert not (labels(at) & FACILITATOR_LABELS)
        assert secret not in page_text(at)


def test_screen_shows_the_lobby_until_anything_happens(app_store):
    """Before the facilitator did anything and before any note: the workshop's title, the short join address and
    the code, large; then the step with the join box in the header."""
    ws, secret = make_room(app_store)
    fac = app_store.authorize(ws.code, secret)
    screen = open_page("screen", room=ws.code)
    body = page_text(screen)
    assert 'class="ss-screen ss-lobby"' in body and ws.title in body and ws.code in body
    assert f"/?room={ws.code}" in body and "http" not in body.split('class="ss-url">', 1)[1].split("<", 1)[0]
    assert "<h1" not in body
    app_store.update_workshop(fac, show_join=True)
    body = page_text(open_page("screen", room=ws.code))
    assert 'class="ss-screen ss-lobby"' not in body and "<h1" in body and 'class="ss-join"' in body and ws.code in body
