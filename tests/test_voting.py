"""Dot voting under concurrency, clustering, merging and notes that become actions.

Every test runs on SQLite and on PostgreSQL (the ``store`` fixture). The
concurrency tests use two independent stores on the same database, each with
its own connection pool: one participant tapping on a phone and a laptop.
"""

from __future__ import annotations

import threading
from typing import Callable

import pytest

from helpers import assert_dutch, count_rows
from workshop import db as D
from workshop.aggregate import function_stage_matrix, group_by_cluster, ranking
from workshop.errors import NotAllowed, UserError
from workshop.store import Store, new_key
from workshop.text import Limits

THREADS = 24


def raises(key: str, fn, *args, exc=UserError, **kwargs) -> UserError:
    with pytest.raises(exc) as info:
        fn(*args, **kwargs)
    assert info.value.key == key, (info.value.key, str(info.value))
    assert_dutch(info.value)
    return info.value


@pytest.fixture
def second_device(db_url):
    """Another store on the same database, with its own engine and pool."""
    database = D.Database(db_url)
    yield Store(database)
    database.dispose()


def storm(jobs: list[Callable[[], object]], watch: Callable[[], int] | None = None):
    """Run ``jobs`` in threads that start together; returns (results, user errors, max watched value).

    Any other exception fails the test. ``watch`` is polled from another thread
    for as long as the jobs run, to catch a limit exceeded even for a moment.
    """
    barrier = threading.Barrier(len(jobs))
    results, errors, unexpected = [], [], []
    lock = threading.Lock()
    done = threading.Event()
    seen = [0]

    def run(job):
        barrier.wait()
        try:
            value = job()
        except UserError as exc:
            with lock:
                errors.append(exc)
        except Exception as exc:  # noqa: BLE001 - reported below
            with lock:
                unexpected.append(exc)
        else:
            with lock:
                results.append(value)

    def watcher():
        while not done.is_set():
            seen[0] = max(seen[0], watch())

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    spy = threading.Thread(target=watcher) if watch else None
    if spy:
        spy.start()
    for th in threads:
        th.start()
    for th in threads:
        th.join(120)
    done.set()
    if spy:
        spy.join(30)
        seen[0] = max(seen[0], watch())
    assert not any(th.is_alive() for th in threads), "a voting thread hung"
    assert not unexpected, unexpected
    return results, errors, seen[0]


# ----------------------------------------------------------------- budgets
def test_budget_holds_when_one_participant_taps_fast_on_two_devices(workshop_factory, store, second_device):
    room = workshop_factory(("canvas",), participants=2)
    me, other = room.participants
    notes = [room.note(other, f"Idee {i}", werkvorm="canvas", section="partners") for i in range(4)]
    step = room.open_voting("canvas", dots=5, multi_dot=True)
    devices = (store, second_device)
    jobs = [
        (lambda i=i: devices[i % 2].place_vote(me, step.id, target_type="note", target_id=notes[i % 4],
                                               idem_key=new_key()))
        for i in range(THREADS * 2)
    ]
    placed, refused, most = storm(jobs, watch=lambda: len(second_device.my_votes(me, step.id)))
    assert len(placed) == 5 and len(set(placed)) == 5
    assert len(refused) == THREADS * 2 - 5
    assert {e.key for e in refused} == {"error.no_dots_left"}
    assert most <= 5
    assert count_rows(store, D.votes, participant_id=me.id) == 5
    assert sum(store.vote_counts(step.id, "note").values()) == 5


def test_one_dot_per_note_holds_under_concurrency(workshop_factory, store, second_device):
    room = workshop_factory(("brainstorm",), participants=1)
    me = room.participants[0]
    a, b = room.note(me, "A"), room.note(me, "B")
    step = room.open_voting(dots=4, multi_dot=False)
    devices = (store, second_device)
    jobs = [(lambda i=i: devices[i % 2].place_vote(me, step.id, target_type="note", target_id=a,
                                                   idem_key=new_key())) for i in range(THREADS)]
    placed, refused, most = storm(jobs, watch=lambda: store.vote_counts(step.id, "note").get(a, 0))
    assert len(placed) == 1 and most == 1
    assert {e.key for e in refused} == {"error.one_dot_each"}
    assert store.vote_counts(step.id, "note") == {a: 1}
    store.place_vote(me, step.id, target_type="note", target_id=b, idem_key=new_key())  # budget left for others
    assert store.vote_counts(step.id, "note") == {a: 1, b: 1}


def test_the_same_tap_from_two_devices_stores_one_dot(workshop_factory, store, second_device):
    room = workshop_factory(("brainstorm",), participants=1)
    me = room.participants[0]
    a = room.note(me, "A")
    step = room.open_voting(dots=3)
    key = new_key()
    devices = (store, second_device)
    jobs = [(lambda i=i: devices[i % 2].place_vote(me, step.id, target_type="note", target_id=a, idem_key=key))
            for i in range(THREADS)]
    placed, refused, _ = storm(jobs)
    assert not refused and len(set(placed)) == 1
    assert store.vote_counts(step.id, "note") == {a: 1}


def test_taking_dots_back_while_tapping_never_exceeds_the_budget(workshop_factory, store, second_device):
    room = workshop_factory(("brainstorm",), participants=1)
    me = room.participants[0]
    notes = [room.note(me, f"N{i}") for i in range(3)]
    step = room.open_voting(dots=3)
    for nid in notes:
        store.place_vote(me, step.id, target_type="note", target_id=nid, idem_key=new_key())
    jobs = []
    for i in range(THREADS):
        if i % 3 == 0:
            jobs.append(lambda i=i: second_device.remove_vote(me, step.id, target_type="note",
                                                              target_id=notes[i % 3]))
        else:
            jobs.append(lambda i=i: store.place_vote(me, step.id, target_type="note", target_id=notes[i % 3],
                                                     idem_key=new_key()))
    _, refused, most = storm(jobs, watch=lambda: len(store.my_votes(me, step.id)))
    assert most <= 3
    assert {e.key for e in refused} <= {"error.no_dots_left"}
    assert len(store.my_votes(me, step.id)) <= 3


def test_budget_is_per_round_target(workshop_factory, store):
    room = workshop_factory(("brainstorm",), participants=1)
    me = room.participants[0]
    nid = room.note(me, "Stages")
    cid = store.add_cluster(room.fac, room.step("brainstorm").id, "Bedrijven")
    step = room.open_voting(dots=2)
    for _ in range(2):
        store.place_vote(me, step.id, target_type="note", target_id=nid, idem_key=new_key())
    raises("error.no_dots_left", store.place_vote, me, step.id, target_type="note", target_id=nid,
           idem_key=new_key())
    store.update_step(room.fac, step.id, vote_target="cluster")
    for _ in range(2):  # a cluster round starts with a fresh budget
        store.place_vote(me, step.id, target_type="cluster", target_id=cid, idem_key=new_key())
    raises("error.no_dots_left", store.place_vote, me, step.id, target_type="cluster", target_id=cid,
           idem_key=new_key())
    assert store.vote_counts(step.id, "cluster") == {cid: 2}
    assert store.voter_count(step.id, "cluster") == 1 and store.voter_count(step.id) == 1


def test_dots_only_land_on_visible_notes_and_live_clusters_of_the_step(workshop_factory, store):
    room = workshop_factory(("brainstorm", "canvas"), participants=1)
    me = room.participants[0]
    brain = room.step("brainstorm")
    hidden = room.note(me, "Weg")
    elsewhere = room.note(me, "Canvas", werkvorm="canvas", section="kosten")
    store.moderate(room.fac, hidden, hidden=True)
    cid = store.add_cluster(room.fac, brain.id, "Oud")
    store.delete_cluster(room.fac, cid)
    room.open_voting(dots=3)
    for target_type, target_id in (("note", hidden), ("note", elsewhere), ("note", 999999), ("cluster", cid)):
        raises("dots.gone", store.place_vote, me, brain.id, target_type=target_type, target_id=target_id,
               idem_key=new_key())
    assert count_rows(store, D.votes) == 0


def test_clear_votes_gives_every_dot_back(workshop_factory, store):
    room = workshop_factory(("brainstorm",), participants=2)
    a, b = room.participants
    nid = room.note(a, "Idee")
    step = room.open_voting(dots=1)
    for who in (a, b):
        store.place_vote(who, step.id, target_type="note", target_id=nid, idem_key=new_key())
    version = store.state(room.ws.id)[0]
    assert store.clear_votes(room.fac, step.id, "note") == 2
    assert store.vote_counts(step.id, "note") == {}
    assert store.state(room.ws.id)[0] == version + 1  # phones notice and redraw their budget
    store.place_vote(a, step.id, target_type="note", target_id=nid, idem_key=new_key())
    other = workshop_factory(("brainstorm",))
    assert store.clear_votes(other.fac, step.id) == 0  # another workshop's facilitator touches nothing
    assert store.vote_counts(step.id, "note") == {nid: 1}


# ---------------------------------------------------------------- clusters
def test_bulk_assign_rename_and_delete_clusters(workshop_factory, store):
    room = workshop_factory(("brainstorm", "brainstorm"), participants=2)
    a, b = room.participants
    first, second = room.steps
    ids = [store.add_note(a if i % 2 else b, first.id, section="ideeen", field="note", text=f"Idee {i}",
                          idem_key=new_key()) for i in range(6)]
    foreign = store.add_note(a, second.id, section="ideeen", field="note", text="Andere stap", idem_key=new_key())
    stages = store.add_cluster(room.fac, first.id, "Stages")
    docenten = store.add_cluster(room.fac, first.id, "Docenten")
    other_step_cluster = store.add_cluster(room.fac, second.id, "Elders")

    assert store.assign_cluster(room.fac, first.id, ids[:4] + [foreign], stages) == 4
    assert store.assign_cluster(room.fac, first.id, ids[3:5], docenten) == 2
    assert store.assign_cluster(room.fac, first.id, [], docenten) == 0
    raises("wall.x_cluster_gone", store.assign_cluster, room.fac, first.id, ids[:1], other_step_cluster)
    by_id = {n["id"]: n["cluster_id"] for n in store.contributions(first.id)}
    assert by_id == {ids[0]: stages, ids[1]: stages, ids[2]: stages, ids[3]: docenten, ids[4]: docenten,
                     ids[5]: None}
    assert store.contributions(second.id)[0]["cluster_id"] is None  # another step is never touched

    store.rename_cluster(room.fac, docenten, "Docententekort")
    groups = group_by_cluster(store.contributions(first.id), store.clusters(first.id))
    assert [(g.name, [n["id"] for n in g.notes]) for g in groups] == [
        ("Stages", ids[:3]), ("Docententekort", ids[3:5]), (None, ids[5:])]

    assert store.assign_cluster(room.fac, first.id, [ids[0]], None) == 1
    outsider = workshop_factory(("brainstorm",))
    assert store.assign_cluster(outsider.fac, first.id, ids, None) == 0  # another workshop: nothing moves
    raises("wall.x_cluster_gone", store.assign_cluster, outsider.fac, first.id, ids, stages)
    assert sum(1 for n in store.contributions(first.id) if n["cluster_id"] == stages) == 2


def test_deleting_a_cluster_returns_its_dots(workshop_factory, store):
    room = workshop_factory(("brainstorm",), participants=2)
    a, b = room.participants
    step = room.step("brainstorm")
    nid = room.note(a, "Stages")
    keep = store.add_cluster(room.fac, step.id, "Blijft")
    gone = store.add_cluster(room.fac, step.id, "Gaat weg")
    store.assign_cluster(room.fac, step.id, [nid], gone)
    store.update_step(room.fac, step.id, voting_open=True, dots=1, vote_target="cluster")
    store.place_vote(a, step.id, target_type="cluster", target_id=gone, idem_key=new_key())
    store.place_vote(b, step.id, target_type="cluster", target_id=keep, idem_key=new_key())
    store.delete_cluster(room.fac, gone)
    assert store.vote_counts(step.id, "cluster") == {keep: 1}
    assert store.contributions(step.id)[0]["cluster_id"] is None
    store.place_vote(a, step.id, target_type="cluster", target_id=keep, idem_key=new_key())  # dot is back
    assert store.vote_counts(step.id, "cluster") == {keep: 2}


# ------------------------------------------------------------------ merging
def test_merge_moves_dots_and_tags_and_can_be_undone(workshop_factory, store):
    room = workshop_factory(("grow",), participants=2)
    a, b = room.participants
    step = room.step("grow")
    store.update_step(room.fac, step.id, stage=3)  # options_so
    keep = room.note(a, "Meer stageplekken", werkvorm="grow", section="options_so", tags=["opleiden"])
    dup = room.note(b, "Stageplaatsen uitbreiden", werkvorm="grow", section="options_so",
                    tags=["begeleiden", "werven"])
    third = room.note(b, "Stages", werkvorm="grow", section="options_so", tags=[])
    step = room.open_voting("grow", dots=3)
    for who, nid in ((a, dup), (b, dup), (b, keep)):
        store.place_vote(who, step.id, target_type="note", target_id=nid, idem_key=new_key())
    store.merge_notes(room.fac, dup, [third])  # an earlier merge ...
    assert store.merge_notes(room.fac, keep, [dup, keep, dup]) == 1  # ... follows along
    rows = {n["id"]: n for n in store.contributions(step.id, include_hidden=True)}
    assert rows[dup]["merged_into"] == keep and rows[dup]["hidden"]
    assert rows[third]["merged_into"] == keep
    assert rows[keep]["tags"] == ["werven", "opleiden", "begeleiden"]  # in the order of the five functions
    assert store.vote_counts(step.id, "note") == {keep: 3}  # nobody lost a dot
    visible = store.contributions(step.id)
    assert [r.item["id"] for r in ranking(visible, store.vote_counts(step.id, "note"))] == [keep]
    matrix = function_stage_matrix(visible, step.werkvorm.sections, step.werkvorm.tags)
    assert matrix.totals[3] == 1 and matrix.count("werven", "options_so") == 1

    store.moderate(room.fac, dup, merged_into=None, hidden=False)  # undo
    assert {n["id"] for n in store.contributions(step.id)} == {keep, dup}


def test_merge_is_refused_across_steps_and_workshops(workshop_factory, store):
    room = workshop_factory(("brainstorm", "canvas"), participants=1)
    me = room.participants[0]
    a = room.note(me, "A")
    elsewhere = room.note(me, "B", werkvorm="canvas", section="kosten")
    raises("notetool.merge_invalid", store.merge_notes, room.fac, a, [elsewhere])
    other = workshop_factory(("brainstorm",), participants=1)
    theirs = other.note(other.participants[0], "C")
    raises("notetool.merge_invalid", store.merge_notes, room.fac, a, [theirs])
    raises("error.not_facilitator", store.merge_notes, other.fac, a, [elsewhere], exc=NotAllowed)
    assert all(n["merged_into"] is None for n in store.contributions(room.step("brainstorm").id))
    assert store.merge_notes(room.fac, a, []) == 0


# ---------------------------------------------------------- notes to actions
def test_recommendation_becomes_one_action_even_on_a_double_click(workshop_factory, store, second_device):
    room = workshop_factory(("grow",), participants=1)
    me = room.participants[0]
    step = room.step("grow")
    store.update_step(room.fac, step.id, stage=5)
    nid = room.note(me, "Stel een regionale\nstagecoördinator aan", werkvorm="grow", section="way_forward",
                    tags=["begeleiden"])
    fac2 = second_device.authorize(room.ws.code, room.secret)
    devices = ((store, room.fac), (second_device, fac2))
    jobs = [(lambda i=i: devices[i % 2][0].note_to_action(devices[i % 2][1], nid, source="grow",
                                                          link="Way forward: aanbevelingen"))
            for i in range(THREADS)]
    ids, refused, _ = storm(jobs)
    assert not refused and len(set(ids)) == 1
    actions = store.actions(room.ws.id)
    assert len(actions) == 1
    action = actions[0]
    assert (action["what"], action["source"], action["link"], action["status"], action["confirmed"]) == (
        "Stel een regionale stagecoördinator aan", "grow", "Way forward: aanbevelingen", "open", True)
    assert store.note_actions(room.ws.id) == {nid: action["id"]}

    store.update_action(room.fac, action["id"], deleted=True)  # removed from the follow-up list ...
    assert store.note_actions(room.ws.id) == {}
    assert store.note_to_action(room.fac, nid, source="grow") == action["id"]  # ... and made again
    assert [a["id"] for a in store.actions(room.ws.id)] == [action["id"]]


def test_long_recommendation_is_shortened_for_the_action(workshop_factory, store):
    room = workshop_factory(("grow",), participants=1)
    me = room.participants[0]
    store.update_step(room.fac, room.step("grow").id, stage=5)
    text = ("Samen opleiden in de hele regio " * 13).strip()[:400]
    nid = room.note(me, text, werkvorm="grow", section="way_forward")
    store.note_to_action(room.fac, nid, source="grow", link="x" * 200)
    action = store.actions(room.ws.id)[0]
    assert len(action["what"]) <= Limits.ACTION_WHAT and action["what"].endswith("…")
    assert len(action["link"]) <= Limits.ACTION_WHO


def test_only_the_own_facilitator_turns_a_note_into_an_action(workshop_factory, store):
    room = workshop_factory(("grow",), participants=1)
    nid = room.note(room.participants[0], "Doel", werkvorm="grow", section="goal")
    other = workshop_factory(("grow",))
    raises("error.not_facilitator", store.note_to_action, other.fac, nid, source="grow", exc=NotAllowed)
    assert store.actions(room.ws.id) == [] and store.actions(other.ws.id) == []
