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
    assert push.due(followers, {1: 4, 2: 8}) == [("moved", 4), ("other", 8)]


def test_due_asks_once_per_version():
    """A rerun was asked for version 5; until the page redraws, it is not asked again,
    but a later change asks again."""
    follower = Follower(1, drawn=4, pushed=5)
    assert push.due({"s": follower}, {1: 5}) == []
    assert push.due({"s": follower}, {1: 6}) == [("s", 6)]


def test_due_a_deleted_workshop_counts_as_a_change():
    assert push.due({"s": Follower(9, drawn=2)}, {}) == [("s", -1)]


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
    assert versions == {room.ws.id: store.workshop_by_code(room.ws.code).state_version,
                        other.ws.id: other.ws.state_version}
    assert versions[room.ws.id] == room.ws.state_version + 1
    assert store.versions([]) == {}
