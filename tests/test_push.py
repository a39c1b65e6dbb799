"""ui/push.py: which phones get a rerun, and the one query its watcher makes.

That a push really reaches a browser, from another process, is tests/e2e/test_e2e_push.py.
"""

from __future__ import annotations

from fixtures_app import app_store, make_app_room  # noqa: F401 - app_store is a fixture
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


def test_due_a_deleted_workshop_counts_as_a_change():
    assert push.due({"s": Follower(9, drawn=2)}, {}) == [("s", None)]


def test_follow_is_a_no_op_without_a_streamlit_server(app_store):
    """Outside a running server (AppTest, scripts) nothing registers and no thread starts,
    also not when AppTest draws a participant page."""
    before = dict(push._followers)
    push.follow(1, 1)
    push.forget()
    room = make_app_room(app_store, ("brainstorm",))
    phone = room.phone(room.join("Pim", "mbo"))
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
