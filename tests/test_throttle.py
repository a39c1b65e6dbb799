"""Join codes cannot be guessed at full speed: per session and per client address."""

from __future__ import annotations

import logging

from apptest import make_room, new_form, open_page, page_text
from messages import t
from exports.backup import to_json
from exports.snapshot import snapshot
from workshop.throttle import ADMIN_PASSWORD, Throttle


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_free_attempts_then_doubling_waits_capped():
    clock = Clock()
    throttle = Throttle(free=3, window=600, max_wait=10, clock=clock)
    for _ in range(2):
        throttle.miss("ip:1")
    assert throttle.wait_left("ip:1") == 0
    throttle.miss("ip:1")  # third miss: blocked
    assert throttle.wait_left("ip:1") == 2
    throttle.miss("ip:1")
    assert throttle.wait_left("ip:1") == 4
    for _ in range(5):
        throttle.miss("ip:1")
    assert throttle.wait_left("ip:1") == 10
    assert throttle.wait_left("ip:2") == 0  # another client is not affected
    assert throttle.wait_left("s:x", "ip:1") == 10  # any blocked key blocks
    clock.now += 11
    assert throttle.wait_left("ip:1") == 0


def test_misses_expire_after_the_window():
    clock = Clock()
    throttle = Throttle(free=2, window=60, max_wait=60, clock=clock)
    throttle.miss("k")
    clock.now += 61
    throttle.miss("k")
    assert throttle.wait_left("k") == 0


def test_guessing_through_the_link_is_slowed_too(app_store):
    ws, _ = make_room(app_store)
    at = open_page("join", room="QQQQQQ")
    for _ in range(6):
        at.query_params["room"] = "QQQQQQ"
        at.run()
    at.query_params["room"] = ws.code  # even a right code waits while slowed down
    at.run()
    assert "Wacht" in at.error[0].value
    assert t("join.name") not in [w.label for w in at.text_input]


def test_a_joined_participant_is_never_slowed_down_by_guesses(app_store):
    """Wrong codes (here from this very session, the same key a shared address would block) do
    not throw a participant who holds a valid token back to the code form; guessing stays slowed."""
    ws, _ = make_room(app_store)
    who = app_store.join(ws.code, name="Anna", org_type="mbo")
    at = open_page("join")
    for _ in range(7):
        at.text_input(key="join-code").input("QQQQQQ")
        at.button[0].click().run()
    assert "Wacht" in at.error[0].value
    at.query_params["room"] = ws.code
    at.query_params["p"] = who.token
    at.run()
    assert not at.exception
    assert at.query_params["room"] in (ws.code, [ws.code]) and "p" in at.query_params
    assert t("join.code") not in [w.label for w in at.text_input]
    assert t("join.welcome", name="Anna") in page_text(at)
    # a wrong token is no way around the limit: the code in the link still counts as a guess
    at.query_params["p"] = "x" * 24
    at.run()
    assert "room" not in at.query_params
    assert "Wacht" in at.error[0].value


def test_admin_password_guessing_is_slowed_down_and_logged(app_store, monkeypatch, setting, caplog):
    """/nieuw and the restore share one admin check: after five wrong passwords even the right
    one waits, on both paths, and every refusal is logged (without the password)."""
    setting("SAMENSPRAAK_ADMIN_PASSWORD", "geheim-123")
    monkeypatch.setattr(ADMIN_PASSWORD, "clock", Clock())  # time stands still: the wait cannot run out
    caplog.set_level(logging.WARNING, logger="workshop.store")
    at = new_form()
    for i in range(5):
        at.text_input(key="new-admin").input(f"gok-{i}")
        at.button[0].click().run()
        assert at.error[0].value == t("error.admin_password")
    at.text_input(key="new-admin").input("geheim-123")
    at.button[0].click().run()
    assert at.error[0].value == t("error.admin_slow_down", seconds=2)
    assert not at.success and app_store.workshop_by_code("AAAAAA") is None
    assert at.text_input(key="new-title").value == "Titel"  # what was typed is kept
    # the restore asks the same check, for the same client
    ws, _ = make_room(app_store)
    backup = to_json(snapshot(app_store, ws.id))
    at.text_input(key="restore-admin").input("geheim-123")
    at.file_uploader(key="restore-file").set_value(("backup.json", backup, "application/json"))
    at.button(key="restore-go").click().run()
    assert t("error.admin_slow_down", seconds=2) in [e.value for e in at.error]
    assert "created" not in at.session_state
    refusals = [r.getMessage() for r in caplog.records if "admin password" in r.getMessage()]
    assert len(refusals) == 7 and not [m for m in refusals if "gok-" in m or "geheim" in m]
    # another client is not affected
    other = new_form("geheim-123")
    other.button[0].click().run()
    assert other.success[0].value == t("new.created")


def test_guesses_from_a_shared_address_leave_joined_phones_alone(app_store, monkeypatch):
    """A school's Wi-Fi: every phone comes from one address (AppTest has none, so the address key
    is given here). Someone guesses codes; the joined phones keep their page at every rerun."""
    import ui.participant_page
    from ui import common

    monkeypatch.setattr(ui.participant_page, "client_keys", lambda: (common.client_keys()[0], "ip:10.0.0.7"))
    ws, _ = make_room(app_store)
    who = app_store.join(ws.code, name="Anna", org_type="mbo")
    phone = open_page("join", room=ws.code, p=who.token)
    assert t("join.welcome", name="Anna") in page_text(phone)
    guesser = open_page("join")
    for _ in range(6):
        guesser.text_input(key="join-code").input("QQQQQQ")
        guesser.button[0].click().run()
    assert "Wacht" in guesser.error[0].value
    phone.run()  # the phone's next refresh
    assert not phone.exception
    assert t("join.welcome", name="Anna") in page_text(phone)
    assert "p" in phone.query_params and "room" in phone.query_params
    newcomer = open_page("join", room=ws.code)  # a code in a link is still a guess from that address
    assert "Wacht" in newcomer.error[0].value
