"""The timebox and readiness: pure timer arithmetic, store behaviour and AppTest."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import re

import pytest

from apptest import join_as, make_room, open_page, page_text
from messages import t
from workshop import UserError, timer

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=timezone.utc)


class FakeStep:
    """Only the timer columns of a step."""

    def __init__(self, seconds=600, end=None, paused=None):
        self.timer_seconds, self.timer_end, self.timer_paused_left = seconds, end, paused


def test_idle_running_paused_expired():
    idle = FakeStep()
    assert timer.view(idle, NOW) == timer.TimerView("idle", 600, 600)
    running = FakeStep(end=NOW + timedelta(seconds=90))
    assert timer.view(running, NOW).state == "running"
    assert timer.view(running, NOW).label == "1:30"
    assert timer.view(FakeStep(paused=42), NOW) == timer.TimerView("paused", 42, 600)
    assert timer.view(FakeStep(end=NOW - timedelta(seconds=1)), NOW).state == "expired"
    assert timer.view(FakeStep(seconds=0), NOW) is None


def test_seconds_to_end_is_exact_where_the_label_rounds_up():
    """The screen asks to be woken at the exact end (ui/screen_page.py): view().left rounds up
    to whole seconds, which made the lock come up to a second late."""
    running = FakeStep(end=NOW + timedelta(seconds=2, milliseconds=100))
    assert timer.view(running, NOW).left == 3
    assert timer.seconds_to_end(running, NOW) == pytest.approx(2.1)
    assert timer.seconds_to_end(FakeStep(end=(NOW - timedelta(seconds=1)).replace(tzinfo=None)), NOW) == -1
    assert timer.seconds_to_end(FakeStep(paused=42), NOW) is None
    assert timer.seconds_to_end(FakeStep(seconds=0, end=NOW), NOW) is None


def test_pause_and_resume_keep_the_time_left():
    running = FakeStep(end=NOW + timedelta(seconds=300))
    paused_values = timer.pause(running, NOW + timedelta(seconds=100))
    assert paused_values == {"timer_end": None, "timer_paused_left": 200}
    paused = FakeStep(paused=200)
    resumed = timer.start(paused, NOW)
    assert resumed["timer_end"] == NOW + timedelta(seconds=200)


def test_extend_in_every_state():
    assert timer.extend(FakeStep(end=NOW + timedelta(seconds=30)), NOW, 60)["timer_end"] == NOW + timedelta(seconds=90)
    assert timer.extend(FakeStep(end=NOW - timedelta(seconds=30)), NOW, 60)["timer_end"] == NOW + timedelta(seconds=60)
    assert timer.extend(FakeStep(paused=30), NOW, 60) == {"timer_paused_left": 90}
    assert timer.extend(FakeStep(), NOW, 60) == {"timer_seconds": 660}
    assert timer.extend(FakeStep(paused=30), NOW, -60) == {"timer_paused_left": 0}


def test_auto_lock_closes_input_when_time_is_up(store, room):
    step = room.steps[0]
    fac = room.fac
    store.update_step(fac, step.id, timer_auto_lock=True, timer_end=datetime.now(timezone.utc) - timedelta(seconds=1))
    who = room.participants[0]
    with pytest.raises(UserError) as err:
        store.add_note(who, step.id, section="ideeen", field="note", text="te laat", idem_key="late")
    assert str(err.value) == t("error.locked")
    version = store.workshop(room.ws.id).state_version
    assert store.enforce_timer(store.step(step.id)).locked
    store.enforce_timer(store.step(step.id))
    assert store.workshop(room.ws.id).state_version == version + 1  # bumped once


def test_readiness_counts(store, room):
    step = room.steps[0]
    assert store.readiness(room.ws.id, step.position) == (0, len(room.participants))
    store.set_ready(room.participants[0], step.position)
    store.set_ready(room.participants[1], step.position)
    store.set_ready(room.participants[1], None)
    assert store.readiness(room.ws.id, step.position) == (1, len(room.participants))


def test_facilitator_timer_shows_on_screen_and_phone(app_store):
    ws, secret = make_room(app_store)
    fac = open_page("facilitator", room=ws.code, key=secret)
    fac.button(key="timer-start").click().run()
    step = app_store.steps(ws.id)[0]
    assert step.timer_end is not None
    screen_text = page_text(open_page("screen", room=ws.code))
    shown = re.search(r"Nog (\d+):(\d\d)", screen_text)
    assert shown and 8 * 60 <= int(shown[1]) * 60 + int(shown[2]) <= 600
    fac.button(key="timer-pause").click().run()
    assert app_store.steps(ws.id)[0].timer_paused_left is not None
    assert "Gepauzeerd" in page_text(open_page("screen", room=ws.code))
    phone = join_as(ws)
    assert "Gepauzeerd" in page_text(phone)


def test_expired_timer_is_shown_clearly(app_store):
    ws, secret = make_room(app_store)
    fac = app_store.authorize(ws.code, secret)
    step = app_store.steps(ws.id)[0]
    app_store.update_step(fac, step.id, timer_end=datetime.now(timezone.utc) - timedelta(seconds=5),
                          config={"sound": True})
    screen = open_page("screen", room=ws.code)
    assert t("timer.expired") in page_text(screen)
    assert len(screen.get("audio")) == 1


def test_ready_tap_counts_on_screen_and_for_facilitator(app_store):
    ws, secret = make_room(app_store)
    phone = join_as(ws, name="Dewi")
    phone.button(key="ready-on").click().run()
    assert t("participant.ready_done") in page_text(phone)
    assert t("screen.ready", ready=1, total=1) in page_text(open_page("screen", room=ws.code))
    join_as(ws, name="Eli")
    fac = open_page("facilitator", room=ws.code, key=secret)
    text = page_text(fac)
    assert t("fac.ready", ready=1, total=2) in text
    assert "Eli" in text  # still busy, named because the workshop is not anonymous
