"""AppTest: what a participant typed survives a lock and a step change, and comes back when input reopens.

The server's part (the browser's own part, drafts in localStorage across a reload, is
tests/e2e/test_e2e_phone.py): a send refused by a lock keeps the text in the session and puts it back
when the step opens again, also after the group went to another step and back; the page carries the
drafts keeper for this participant, and tells the browser to drop a draft once its text is stored.
"""

from __future__ import annotations

import json
import re

from apptest import button, raw_html
from helpers import make_app_room
from messages import t
from ui.drafts import _css_key


def _keeper(at) -> dict:
    """The drafts keeper's settings as drawn on the page."""
    found = re.search(r"const cfg = (\{.*?\});", raw_html(at))
    assert found, "no drafts keeper on the participant page"
    return json.loads(found.group(1))


def test_a_note_typed_when_the_lock_came_is_back_after_a_step_change_and_the_unlock(app_store):
    room = make_app_room(app_store, ("brainstorm", "praatplaat"))
    step = room.step("brainstorm")
    anna = room.join_as("Anna", "mbo")
    phone = room.phone(anna)
    box = f"p{step.id}:ideeen:note"
    assert _keeper(phone)["prefix"] == f"ss-draft:{anna.token}:"
    phone.text_area(key=box).input("Half getypt idee over stages")
    app_store.update_step(room.fac, step.id, locked=True)  # the timer locks while Anna types
    button(phone, t("participant.send")).click().run()
    assert t("participant.locked") in [i.value for i in phone.info]  # locked, no input
    assert not phone.text_area
    app_store.go_to_step(room.fac, 1)  # the group moves on ...
    phone.run()
    assert phone.segmented_control  # the praatplaat
    app_store.go_to_step(room.fac, 0)  # ... and comes back, and the facilitator opens input again
    app_store.update_step(room.fac, step.id, locked=False)
    phone.run()
    assert phone.text_area(key=box).value == "Half getypt idee over stages"
    assert not phone.error  # the refusal of before is not shown again
    assert app_store.contributions(step.id) == []

    button(phone, t("participant.send")).click().run()
    assert [c["text"] for c in app_store.contributions(step.id)] == ["Half getypt idee over stages"]
    assert phone.text_area(key=box).value == ""
    assert _css_key(box) in _keeper(phone)["forget"]  # sent: the browser drops the draft


def test_a_praatplaat_remark_refused_by_the_lock_comes_back_when_input_reopens(app_store):
    room = make_app_room(app_store)
    step = room.step("praatplaat")
    anna = room.join_as("Anna", "vmbo")
    phone = room.phone(anna)
    box = f"pp{step.id}:ambitie:beter"
    phone.text_area(key=box).input("Nog niet af")
    app_store.update_step(room.fac, step.id, locked=True)
    phone.button(key=f"pp-next:{step.id}").click().run()
    assert [e.value for e in phone.error] == [t("error.locked")]
    phone.run()
    assert not phone.text_area
    app_store.update_step(room.fac, step.id, locked=False)
    phone.run()
    assert phone.text_area(key=box).value == "Nog niet af"
    phone.button(key=f"pp-next:{step.id}").click().run()
    saved = {(a["section"], a["field"]): a["text"] for a in app_store.latest_answers(step.id, anna.id)}
    assert saved == {("ambitie", "beter"): "Nog niet af"}
    assert _css_key(box) in _keeper(phone)["forget"]

