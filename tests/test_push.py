"""ui/push.py: which phones get a rerun, and the one query its watcher makes.

That a push really reaches a browser, from another process, is tests/e2e/test_e2e_push.py.
"""

from __future__ import annotations

from streamlit.runtime import Runtime

from helpers import make_app_room
from ui import push
from ui.push import Follower


def test_due_only_sessions_whose_workshop_moved_on():
    followers = {
        "same": Follower(1, drawn=4),
        "moved": Follower(1, drawn=3),
        "other": Follower(2, drawn=7),
    }
    assert push.due(followers, {1: (4, 0), 2: (8, 5)}) == [("moved", 4), ("other", 8)]


def test_due_phones_ignore_new_notes_screens_follow_them():
    """A note moves the content version only: the screen redraws, the phones do not."""
    followers = {"phone": Follower(1, drawn=4), "screen": Follower(1, drawn=(4, 10), content=True)}
    assert push.due(followers, {1: (4, 10)}) == []
    assert push.due(followers, {1: (4, 11)}) == [("screen", (4, 11))]
    assert push.due(followers, {1: (5, 11)}) == [("phone", 5), ("screen", (5, 11))]


def test_due_asks_once_per_version_and_again_when_it_got_lost():
    """A rerun was asked for version 5; until the page redraws, it is not asked again,
    but a later change asks again, and so does the same version after REPUSH_SECONDS."""
    follower = Follower(1, drawn=4, pushed=5, pushed_at=100.0)
    assert push.due({"s": follower}, {1: (5, 0)}, now=101.0) == []
    assert push.due({"s": follower}, {1: (6, 0)}, now=101.0) == [("s", 6)]
    assert push.due({"s": follower}, {1: (5, 0)}, now=100.0 + push.REPUSH_SECONDS) == [("s", 5)]


def test_due_a_screen_is_redrawn_at_most_every_gap():
    screen = Follower(1, drawn=(4, 10), content=True, pushed=(4, 11), pushed_at=100.0)
    assert push.due({"s": screen}, {1: (4, 12)}, now=100.0 + push.SCREEN_GAP / 2) == []
    assert push.due({"s": screen}, {1: (4, 12)}, now=100.0 + push.SCREEN_GAP) == [("s", (4, 12))]


def test_due_a_page_slow_to_draw_waits_longer():
    """A page that took 0.5 s to draw (the facilitator's, or any page on a busy machine) is
    pushed again only DRAW_SHARE times that later, so it cannot take the server from the submits."""
    page = Follower(1, drawn=(4, 10), content=True, pushed=(4, 11), pushed_at=100.0, draw_s=0.5)
    wait = push.DRAW_SHARE * 0.5
    assert wait > push.SCREEN_GAP
    assert push.due({"s": page}, {1: (4, 12)}, now=100.0 + wait - 0.01) == []
    assert push.due({"s": page}, {1: (4, 12)}, now=100.0 + wait) == [("s", (4, 12))]


def test_due_a_page_may_ask_for_a_longer_gap():
    fac = Follower(1, drawn=(4, 10), content=True, pushed=(4, 11), pushed_at=100.0, gap=1.0)
    assert push.due({"s": fac}, {1: (4, 12)}, now=100.9) == []
    assert push.due({"s": fac}, {1: (4, 12)}, now=101.0) == [("s", (4, 12))]


def test_due_a_page_woken_at_its_time_even_if_nothing_moved():
    """The screen asks to be woken when a self-locking timebox runs out (it writes the lock)."""
    screen = Follower(1, drawn=(4, 10), content=True, wake_at=200.0)
    assert push.due({"s": screen}, {1: (4, 10)}, now=199.9) == []
    assert push.due({"s": screen}, {1: (4, 10)}, now=200.0) == [("s", (4, 10))]


def test_due_a_deleted_workshop_counts_as_a_change():
    assert push.due({"s": Follower(9, drawn=2)}, {}) == [("s", None)]


def test_follow_is_a_no_op_without_a_streamlit_server(app_store):
    """Outside a running server (AppTest, scripts) nothing registers and no thread starts,
    also not when AppTest draws a participant page."""
    before = dict(push._followers)
    push.follow(1, 1)
    push.forget()
    room = make_app_room(app_store, ("brainstorm",))
    phone = room.phone(room.join_as("Pim", "mbo"))
    assert phone.text_area, "the participant page was drawn"
    assert push._followers == before


def test_versions_reads_many_workshops_in_one_go(room, workshop_factory):
    other = workshop_factory(("brainstorm",))
    store = room.store
    store.go_to_step(room.fac, 1)
    versions = store.versions([room.ws.id, other.ws.id, room.ws.id, 10**9])
    assert versions.keys() == {room.ws.id, other.ws.id}
    assert versions[room.ws.id][0] == store.workshop_by_code(room.ws.code).state_version == room.ws.state_version + 1
    assert versions[room.ws.id][1] == 3, "three participants joined"
    assert versions[other.ws.id] == (other.ws.state_version, 0), "nothing happened there: no row, 0"
    assert store.versions([]) == {}


def test_every_change_the_screen_shows_moves_the_content_version(room, workshop_factory):
    """Notes, taps, dots and moderation move the content version of their own workshop only
    (in the same transaction as the change); the state version, which reruns every phone,
    stays where it is."""
    store, ws = room.store, room.ws
    other = workshop_factory(("brainstorm",))
    before = store.versions([ws.id, other.ws.id])
    who = store.join(ws.code, name="Pim", org_type="mbo")
    step = store.steps(ws.id)[0]
    seen = [store.versions([ws.id])[ws.id]]

    def moved() -> bool:
        now = store.versions([ws.id])[ws.id]
        ok = now[1] > seen[-1][1] and now[0] == seen[-1][0]
        seen.append(now)
        return ok

    assert seen[0][1] > before[ws.id][1], "a join moves it (the screen counts participants)"
    section, field = step.werkvorm.sections[0].key, step.werkvorm.fields[0].key
    note = store.add_note(who, step.id, section=section, field=field, text="Meer stageplekken", idem_key="k1")
    assert moved()
    store.add_note(who, step.id, section=section, field=field, text="Meer stageplekken", idem_key="k1")
    assert store.versions([ws.id])[ws.id] == seen[-1], "a resent form changes nothing: no redraw"
    store.set_ready(who, 0)
    assert moved()
    store.moderate(room.fac, note, hidden=True)
    assert moved()
    store.delete_own(who, note)
    assert moved()
    assert store.versions([other.ws.id]) == {other.ws.id: before[other.ws.id]}


def test_a_deleted_workshop_takes_its_content_version_along(room):
    store = room.store
    store.join(room.ws.code, name="Pim", org_type="mbo")
    store.delete_workshop(room.fac)
    assert store.versions([room.ws.id]) == {}
    with store.db.reading() as conn:
        from sqlalchemy import func, select
        from workshop import db as D
        assert conn.execute(select(func.count()).select_from(D.content_versions)).scalar_one() == 0


class _Session:
    """What the watcher uses of a Streamlit AppSession: its loop, whether it runs, a rerun."""

    def __init__(self):
        from streamlit.proto.ClientState_pb2 import ClientState
        self._scriptrunner = None
        self._client_state = ClientState(query_string="room=ABCDEF")
        self._event_loop = self  # call_soon_threadsafe runs the callback at once
        self.reruns = []

    def call_soon_threadsafe(self, fn, *args):
        fn(*args)

    def request_rerun(self, state):
        self.reruns.append((state.fragment_id, state.query_string))


class _Runtime:
    def __init__(self, sessions):
        self.sessions, self.looked_at = sessions, 0

    def is_active_session(self, sid):
        self.looked_at += 1
        return sid in self.sessions

    def get_app_session(self, sid):
        return self.sessions.get(sid)


def test_a_watcher_round_does_work_for_what_moved_not_for_every_phone(room, monkeypatch):
    """400 idle phones must not cost a look each per round (bench/live.py, idle_cpu_pct): a round
    in which nothing moved touches no session; a note reruns the screen's fragment only; a step
    change reruns every phone's page."""
    store, ws = room.store, room.ws
    sessions = {f"phone{i}": _Session() for i in range(50)}
    sessions["screen"] = _Session()
    runtime = _Runtime(sessions)
    monkeypatch.setattr(Runtime, "instance", staticmethod(lambda: runtime))
    monkeypatch.setattr(push, "get_store", lambda: store)
    monkeypatch.setattr(push, "_start", lambda: None)
    monkeypatch.setattr(push, "_next_sweep", float("inf"))
    for name in ("_followers", "_rooms", "_seen"):
        monkeypatch.setattr(push, name, {})
    monkeypatch.setattr(push, "_look", set())
    now = store.versions([ws.id])[ws.id]
    for sid in sessions:
        monkeypatch.setattr(push, "_session_id", lambda sid=sid: sid)
        if sid == "screen":
            push.follow(ws.id, now, content=True)
            push._followers[sid].fragment_id = "live-fragment"  # as drawn inside the screen's fragment
        else:
            push.follow(ws.id, now[0])

    assert push.round_once() == 0  # everyone drew the current versions
    runtime.looked_at = 0
    assert push.round_once() == 0
    assert runtime.looked_at == 0, "an idle round looks at no session"

    who = store.join(ws.code, name="Pim", org_type="mbo")
    assert push.round_once() == 1
    assert sessions["screen"].reruns == [("live-fragment", "room=ABCDEF")]
    assert all(not s.reruns for sid, s in sessions.items() if sid != "screen")
    assert push.round_once() == 0, "asked once; the screen has not drawn it yet"

    monkeypatch.setattr(push, "_session_id", lambda: "screen")
    push.follow(ws.id, store.versions([ws.id])[ws.id], content=True)  # the screen redrew
    push._followers["screen"].fragment_id = "live-fragment"
    store.set_ready(who, 0)
    assert push.round_once() == 0, "within SCREEN_GAP of the last push, also after a redraw"
    monkeypatch.setattr(push, "SCREEN_GAP", 0.0)
    assert push.round_once() == 1

    store.go_to_step(room.fac, 1)
    assert push.round_once() == 51
    assert all(s.reruns[-1] == ("", "room=ABCDEF") for sid, s in sessions.items() if sid != "screen")
    assert who.workshop_id == ws.id
