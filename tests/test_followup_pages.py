"""AppTest of the follow-up plaat: proposals from phones, the facilitator's action table, earlier
actions under review, and the screen; on both databases."""

from __future__ import annotations

from datetime import date

from apptest import page_text, raw_html
from helpers import make_app_room
from messages import dutch_date, t
from ui.common import esc
from layouts.actions.views import status_label
from workshop import new_key


def _editor_state(edited: dict) -> dict:
    """What a keyed st.data_editor holds after cell edits (row position -> column -> value)."""
    return {"edited_rows": edited, "added_rows": [], "deleted_rows": []}


def _actions(store, ws_id: int) -> dict[str, dict]:
    return {a["what"]: a for a in store.actions(ws_id)}


def _table(at, key: str):
    return next(el for el in at.data_editor if el.key == key).value


# ------------------------------------------------------------------ participant
def test_participant_proposes_an_action_from_the_phone(app_store):
    room = make_app_room(app_store)
    step = room.go("followup")
    anna = room.join_as("Anna", "mbo")
    phone = room.phone(anna)
    assert not phone.exception
    assert phone.selectbox(key=f"fu{step.id}:action:link").options == [
        t("followup.no_link"), "Ambitie", "Belangen", "Relatie", "Organisatie", "Proces"]
    phone.text_area(key=f"fu{step.id}:action:what").input("Stagebank voor techniek opzetten")
    phone.text_input(key=f"fu{step.id}:action:owner").input("Piet")
    phone.text_input(key=f"fu{step.id}:action:partner").input("ROC Midden")
    phone.date_input(key=f"fu{step.id}:action:due").set_value(date(2027, 3, 1))
    phone.selectbox(key=f"fu{step.id}:action:link").select("Belangen")
    phone.button[0].click().run()
    assert not phone.exception
    assert phone.success[0].value == t("followup.sent")
    assert phone.text_area(key=f"fu{step.id}:action:what").value == ""  # ready for the next one

    action = _actions(app_store, room.ws.id)["Stagebank voor techniek opzetten"]
    assert (action["owner"], action["partner"], action["due"], action["link"]) == (
        "Piet", "ROC Midden", date(2027, 3, 1), "Belangen")
    assert action["proposed_by"] == anna.id and action["confirmed"] is False
    assert "Stagebank voor techniek opzetten" in page_text(phone)  # under "Mijn voorstellen"
    assert t("followup.mine.proposed") in page_text(phone)

    phone.button[0].click().run()  # an empty proposal: a Dutch message, nothing stored
    assert phone.error[0].value == t("error.empty", label="Wat")
    assert len(app_store.actions(room.ws.id)) == 1


def test_locked_follow_up_step_takes_no_proposals(app_store):
    room = make_app_room(app_store)
    step = room.go("followup")
    anna = room.join_as("Anna", "mbo")
    app_store.update_step(room.fac, step.id, locked=True)
    phone = room.phone(anna)
    assert t("participant.locked") in page_text(phone)
    assert not phone.text_area


# ------------------------------------------------------------------ facilitator
def test_table_edits_are_stored_at_once_and_survive_a_reload(app_store):
    room = make_app_room(app_store)
    step = room.go("followup")
    anna = room.join_as("Anna", "mbo")
    first = app_store.propose_action(anna, idem_key=new_key(), what="Stagebank opzetten")
    second = app_store.add_action(room.fac, what="Gastlessen plannen", owner="Jan")
    key = f"fu-actions-{step.id}"

    fac = room.facilitator_page()
    assert not fac.exception
    table = _table(fac, key)
    assert table["what"].tolist() == ["Stagebank opzetten", "Gastlessen plannen"]
    assert table["by"].tolist() == ["Anna", t("followup.by_facilitator")]

    fac.session_state[key] = _editor_state({0: {"what": "Stagebank regio opzetten", "owner": "Piet",
                                                "due": "2027-01-15", "status": "bezig", "confirmed": True,
                                                "link": "Relatie"}})
    fac.run()
    assert not fac.exception
    rows = {a["id"]: a for a in app_store.actions(room.ws.id)}
    assert rows[first]["what"] == "Stagebank regio opzetten"
    assert (rows[first]["owner"], rows[first]["due"], rows[first]["status"]) == ("Piet", date(2027, 1, 15), "bezig")
    assert rows[first]["confirmed"] is True and rows[first]["link"] == "Relatie"
    assert rows[second]["what"] == "Gastlessen plannen"  # the other row is untouched

    # a further edit in the same table writes only that cell
    fac.session_state[key] = _editor_state({0: {"what": "Stagebank regio opzetten", "owner": "Piet",
                                                "due": "2027-01-15", "status": "bezig", "confirmed": True,
                                                "link": "Relatie"},
                                            1: {"status": "klaar"}})
    fac.run()
    assert app_store.actions(room.ws.id)[1]["status"] == "klaar"

    reopened = _table(room.facilitator_page(), key)  # a reload: a fresh session reads the database
    assert reopened["what"].tolist() == ["Stagebank regio opzetten", "Gastlessen plannen"]
    assert reopened["owner"].tolist() == ["Piet", "Jan"]
    assert reopened["status"].tolist() == ["bezig", "klaar"]
    assert reopened["confirmed"].tolist() == [True, True]
    assert reopened["due"].tolist()[0] == date(2027, 1, 15)


def test_a_refused_edit_shows_a_dutch_message_and_changes_nothing(app_store):
    room = make_app_room(app_store)
    step = room.go("followup")
    app_store.add_action(room.fac, what="Gastlessen plannen")
    key = f"fu-actions-{step.id}"
    fac = room.facilitator_page()
    fac.session_state[key] = _editor_state({0: {"what": "   "}})
    fac.run()
    assert t("error.empty", label="Wat") in [e.value for e in fac.error]
    assert app_store.actions(room.ws.id)[0]["what"] == "Gastlessen plannen"


def test_facilitator_merges_proposals_and_confirms_them(app_store):
    room = make_app_room(app_store)
    step = room.go("followup")
    anna, bas = room.join_as("Anna", "mbo"), room.join_as("Bas", "bedrijfsleven")
    one = app_store.propose_action(anna, idem_key=new_key(), what="Stages regelen")
    two = app_store.propose_action(bas, idem_key=new_key(), what="Stageplekken regelen", owner="Bas",
                                   due="2027-02-01")
    three = app_store.propose_action(bas, idem_key=new_key(), what="Open dag voor ouders")

    fac = room.facilitator_page()
    select = next(w for w in fac.multiselect if w.key and w.key.startswith(f"fu-sel-{step.id}-"))
    select.set_value([two, one])
    fac.button(key=f"fu-merge-{step.id}").click().run()
    assert not fac.exception
    assert t("followup.merged", count=2) in page_text(fac)
    rows = {a["id"]: a for a in app_store.actions(room.ws.id, include_deleted=True)}
    assert rows[two]["deleted"] and rows[two]["merged_into"] == one
    assert rows[one]["owner"] == "Bas" and rows[one]["due"] == date(2027, 2, 1)  # blanks filled in
    assert [a["id"] for a in app_store.actions(room.ws.id)] == [one, three]
    assert _table(fac, f"fu-actions-{step.id}")["what"].tolist() == ["Stages regelen", "Open dag voor ouders"]

    fac.button(key=f"fu-confirm-all-{step.id}").click().run()
    assert all(a["confirmed"] for a in app_store.actions(room.ws.id))

    screen = room.screen()
    text = page_text(screen)
    assert t("followup.screen_title") in text
    assert "Stages regelen" in text and "Open dag voor ouders" in text
    assert dutch_date(date(2027, 2, 1)) in text  # "1 februari 2027"
    assert status_label("open") in text

    # Anna sees what became of her proposal, Bas that his was merged
    assert t("followup.mine.confirmed", status=status_label("open")) in page_text(room.phone(anna))
    assert t("followup.mine.merged") in page_text(room.phone(bas))


def test_merge_needs_two_and_delete_removes(app_store):
    room = make_app_room(app_store)
    step = room.go("followup")
    anna = room.join_as("Anna", "mbo")
    spam = app_store.propose_action(anna, idem_key=new_key(), what="Niet serieus bedoeld")
    fac = room.facilitator_page()
    select = next(w for w in fac.multiselect if w.key and w.key.startswith(f"fu-sel-{step.id}-"))
    select.set_value([spam])
    fac.button(key=f"fu-merge-{step.id}").click().run()
    assert fac.error[0].value == t("followup.merge_need_two")
    fac.button(key=f"fu-delete-{step.id}").click().run()
    assert app_store.actions(room.ws.id) == []
    assert t("followup.mine.removed") in page_text(room.phone(anna))


def test_facilitator_adds_an_action_directly(app_store):
    room = make_app_room(app_store)
    step = room.go("followup")
    fac = room.facilitator_page()
    k = lambda part: f"fu-add-{step.id}-{part}"  # noqa: E731
    fac.text_input(key=k("what")).input("Werkbezoek bij de bouw")
    fac.text_input(key=k("owner")).input("Fenna")
    fac.date_input(key=k("due")).set_value(date(2027, 4, 10))
    fac.selectbox(key=k("link")).select("Proces")
    fac.button(key=f"FormSubmitter:fu-add-form-{step.id}-{t('followup.add')}").click().run()
    assert not fac.exception
    action = _actions(app_store, room.ws.id)["Werkbezoek bij de bouw"]
    assert action["confirmed"] is True and action["proposed_by"] is None
    assert (action["owner"], action["due"], action["link"]) == ("Fenna", date(2027, 4, 10), "Proces")
    assert fac.text_input(key=k("what")).value == ""
    text = page_text(room.screen())
    assert "Werkbezoek bij de bouw" in text and "10 april 2027" in text


def test_screen_shows_user_text_inert(app_store):
    room = make_app_room(app_store)
    room.go("followup")
    app_store.add_action(room.fac, what="<img src=x onerror=alert(1)> [klik](https://evil.example)",
                         owner="**Piet**")
    screen = room.screen()
    markup = raw_html(screen)
    assert "<img src=x" not in markup and "[klik]" not in markup and "**Piet**" not in markup
    assert esc("<img src=x onerror=alert(1)> [klik](https://evil.example)") in markup
    assert "**Piet**" in page_text(screen)  # shown as typed


# --------------------------------------------------------- earlier workshops
def test_open_actions_of_an_earlier_workshop_come_back_for_review(app_store):
    oost, oost_secret = app_store.create_partnership("STO Regio Oost")
    member = app_store.open_partnership(oost.id, oost_secret)
    west, west_secret = app_store.create_partnership("STO Regio West")
    first = make_app_room(app_store, ("followup",), member_of=member, title="Eerste sessie",
                          day=date(2026, 3, 12))
    open_id = app_store.add_action(first.fac, what="Stagebank opzetten", owner="Piet", due=date(2026, 6, 1))
    busy_id = app_store.add_action(first.fac, what="Gastlessen", status="bezig")
    app_store.add_action(first.fac, what="Al afgerond", status="klaar")
    anna = first.join_as("Anna", "mbo")
    app_store.propose_action(anna, idem_key=new_key(), what="Nooit bevestigd")
    other = make_app_room(app_store, ("followup",), member_of=app_store.open_partnership(west.id, west_secret))
    app_store.add_action(other.fac, what="Van een andere regio")

    second = make_app_room(app_store, ("praatplaat", "followup"), member_of=member, title="Tweede sessie")
    step = second.go("followup")
    fac = second.facilitator_page()
    assert not fac.exception
    text = page_text(fac)
    assert t("followup.review_title") in text
    key = f"fu-review-{step.id}"
    review = _table(fac, key)
    assert review["what"].tolist() == ["Stagebank opzetten", "Gastlessen"]
    assert review["origin"].tolist()[0] == t("followup.from", title="Eerste sessie", date="12 maart 2026")

    fac.session_state[key] = _editor_state({0: {"status": "klaar", "review_note": "Loopt sinds mei"},
                                            1: {"review_note": "Nog twee scholen te gaan"}})
    fac.run()
    assert not fac.exception
    rows = {a["id"]: a for a in app_store.actions(first.ws.id)}
    assert (rows[open_id]["status"], rows[open_id]["review_note"]) == ("klaar", "Loopt sinds mei")
    assert (rows[busy_id]["status"], rows[busy_id]["review_note"]) == ("bezig", "Nog twee scholen te gaan")
    assert app_store.actions(second.ws.id) == []  # the review changes the earlier action, it adds nothing

    # closed during this review, it stays in view here and on the screen, with the note
    reopened = _table(second.facilitator_page(), key)
    assert reopened["status"].tolist() == ["klaar", "bezig"]
    screen = second.screen()
    text = page_text(screen)
    assert t("followup.review_title") in text
    assert "Stagebank opzetten" in text and "Loopt sinds mei" in text and status_label("klaar") in text
    assert "Nooit bevestigd" not in text and "Al afgerond" not in text and "Van een andere regio" not in text
    # a later workshop no longer lists the finished one
    third = make_app_room(app_store, ("followup",), member_of=member, title="Derde sessie")
    assert [a["id"] for a in app_store.earlier_open_actions(third.ws.id, include_closed_since=True)] == [busy_id]
