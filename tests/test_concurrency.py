"""Nothing lost, nothing doubled, no limit overrun: the store under concurrent load.

Runs on SQLite and on PostgreSQL. Threads start together behind a barrier so
that their transactions really overlap. "Two devices" are two separate Store
objects with their own connection pools on the same database, as two server
processes would be.
"""

from __future__ import annotations

import random
import threading
from collections import Counter

import pytest
from sqlalchemy import select

from helpers import count_rows
from workshop import db as D
from workshop.errors import UserError
from workshop.store import new_key

JOIN_TIMEOUT = 240  # seconds for one batch of threads; a hang is a failure, not a stuck run


def run_threads(n: int, fn) -> tuple[list, list[BaseException]]:
    """Run ``fn(i)`` in ``n`` threads released together; return (results, unexpected errors)."""
    barrier = threading.Barrier(n)
    results: list = [None] * n
    errors: list[BaseException] = []
    lock = threading.Lock()

    def body(i: int) -> None:
        try:
            barrier.wait(timeout=60)
            results[i] = fn(i)
        except BaseException as exc:  # noqa: BLE001 - collected and asserted on
            with lock:
                errors.append(exc)

    threads = [threading.Thread(target=body, args=(i,), daemon=True) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_TIMEOUT)
    alive = sum(t.is_alive() for t in threads)
    assert alive == 0, f"{alive} threads still running after {JOIN_TIMEOUT}s (deadlock?)"
    return results, errors


def describe(errors: list[BaseException]) -> str:
    kinds = Counter(f"{type(e).__name__}: {str(e)[:120]}" for e in errors)
    return "; ".join(f"{n}x {k}" for k, n in kinds.most_common(5))


@pytest.mark.slow
def test_200_threads_times_10_notes_is_exactly_2000_rows(workshop_factory, store):
    room = workshop_factory(max_participants=250)
    people = room.join(200)
    step = room.steps[0]
    seen_counts: list[int] = []
    stop = threading.Event()

    def screen() -> None:  # a projected screen polling while the notes pour in
        while not stop.is_set():
            seen_counts.append(store.note_count(step.id))
            stop.wait(0.05)

    poller = threading.Thread(target=screen, daemon=True)
    poller.start()

    def submit(i: int) -> list[int]:
        who = people[i]
        return [store.add_note(who, step.id, section="ideeen", field="note", text=f"Deelnemer {i} briefje {j}",
                               idem_key=new_key()) for j in range(10)]

    try:
        results, errors = run_threads(200, submit)
    finally:
        stop.set()
        poller.join(30)
    assert not errors, describe(errors)
    ids = [nid for batch in results for nid in batch]
    assert len(ids) == 2000 and len(set(ids)) == 2000
    assert count_rows(store, D.contributions, step_id=step.id) == 2000
    assert store.note_count(step.id) == 2000
    notes = store.contributions(step.id)
    assert len(notes) == 2000
    assert Counter(n["participant_id"] for n in notes) == Counter({p.id: 10 for p in people})
    assert {n["text"] for n in notes} == {f"Deelnemer {i} briefje {j}" for i in range(200) for j in range(10)}
    assert seen_counts == sorted(seen_counts), "the screen saw the count go down"


def test_double_submissions_store_one_row(workshop_factory, store, second_store):
    room = workshop_factory(participants=1)
    who = room.participants[0]
    step = room.steps[0]
    keys = [new_key() for _ in range(5)]

    def submit(i: int) -> dict[str, int]:
        target = store if i % 2 else second_store  # taps arriving on two servers
        order = keys[:]
        random.Random(i).shuffle(order)
        return {key: target.add_note(who, step.id, section="ideeen", field="note", text=f"Briefje {key[:4]}",
                                     idem_key=key) for key in order}

    results, errors = run_threads(40, submit)
    assert not errors, describe(errors)
    assert count_rows(store, D.contributions, step_id=step.id) == 5
    for key in keys:
        assert count_rows(store, D.contributions, idem_key=key) == 1
        assert len({r[key] for r in results}) == 1  # every tap got the id of the one stored row


def test_double_joins_and_action_proposals_store_one_row(workshop_factory, store, second_store):
    room = workshop_factory(("followup",), participants=1)
    join_key, action_key = new_key(), new_key()
    who = room.participants[0]

    def submit(i: int):
        target = store if i % 2 else second_store
        person = target.join(room.ws.code, name="Dubbel", org_type="po", idem_key=join_key)
        action = target.propose_action(who, idem_key=action_key, what="Eén actie")
        return person.id, action

    results, errors = run_threads(30, submit)
    assert not errors, describe(errors)
    assert len({r[0] for r in results}) == 1 and len({r[1] for r in results}) == 1
    assert store.participant_count(room.ws.id) == 2
    assert len(store.actions(room.ws.id)) == 1


@pytest.mark.parametrize("dots", [1, 5])
def test_vote_budget_holds_with_two_devices_hammering(workshop_factory, store, second_store, dots):
    room = workshop_factory(participants=2)
    who, author = room.participants
    targets = [room.note(author, f"Idee {i}") for i in range(4)]
    step = room.open_voting(dots=dots, multi_dot=True)
    refused = Counter()
    lock = threading.Lock()

    def hammer(i: int) -> int:
        device = store if i % 2 else second_store
        placed = 0
        for j in range(6):
            try:
                device.place_vote(who, step.id, target_type="note", target_id=targets[(i + j) % 4],
                                  idem_key=new_key())
                placed += 1
            except UserError as err:
                with lock:
                    refused[err.key] += 1
        return placed

    results, errors = run_threads(24, hammer)
    assert not errors, describe(errors)
    assert sum(results) == dots, f"{sum(results)} votes placed with a budget of {dots}"
    assert count_rows(store, D.votes, participant_id=who.id) == dots
    assert sum(store.vote_counts(step.id, "note").values()) == dots
    assert set(refused) == {"error.no_dots_left"} and refused["error.no_dots_left"] == 24 * 6 - dots


def test_vote_budgets_of_many_participants_are_exact(workshop_factory, store, second_store):
    room = workshop_factory(participants=21)
    author, voters = room.participants[0], room.participants[1:]
    targets = [room.note(author, f"Idee {i}") for i in range(3)]
    step = room.open_voting(dots=3, multi_dot=False)  # one dot per note: exactly one on each of the 3

    def hammer(i: int) -> int:
        who = voters[i // 2]  # two devices per voter
        device = store if i % 2 else second_store
        placed = 0
        for j in range(9):
            try:
                device.place_vote(who, step.id, target_type="note", target_id=targets[j % 3], idem_key=new_key())
                placed += 1
            except UserError as err:
                assert err.key in ("error.no_dots_left", "error.one_dot_each"), err.key
        return placed

    results, errors = run_threads(len(voters) * 2, hammer)
    assert not errors, describe(errors)
    assert sum(results) == 3 * len(voters)
    assert store.vote_counts(step.id, "note") == {t: len(voters) for t in targets}
    for who in voters:
        assert sorted(store.my_votes(who, step.id)) == sorted(("note", t) for t in targets)


def test_concurrent_joins_never_exceed_the_room_limit(workshop_factory, store, second_store):
    limit = 25
    room = workshop_factory(max_participants=limit)

    def join(i: int):
        device = store if i % 2 else second_store
        try:
            return device.join(room.ws.code, name=f"Deelnemer {i}", org_type="overig").id
        except UserError as err:
            return err.key

    results, errors = run_threads(80, join)
    assert not errors, describe(errors)
    joined = [r for r in results if isinstance(r, int)]
    assert len(joined) == limit and len(set(joined)) == limit
    assert Counter(r for r in results if isinstance(r, str)) == {"error.room_full": 80 - limit}
    assert store.participant_count(room.ws.id) == limit


def test_notes_limit_holds_under_concurrency(workshop_factory, store, second_store):
    room = workshop_factory(participants=1)
    who = room.participants[0]
    step = room.steps[0]
    limit = min(step.werkvorm.max_notes_per_participant, store_limit())

    def submit(i: int):
        device = store if i % 2 else second_store
        try:
            return device.add_note(who, step.id, section="ideeen", field="note", text=f"Briefje {i}",
                                   idem_key=new_key())
        except UserError as err:
            return err.key

    results, errors = run_threads(limit * 2, submit)
    assert not errors, describe(errors)
    assert sum(isinstance(r, int) for r in results) == limit
    assert Counter(r for r in results if isinstance(r, str)) == {"error.too_many_notes": limit}
    assert count_rows(store, D.contributions, participant_id=who.id) == limit


def test_step_changes_and_undo_from_two_devices_stay_consistent(workshop_factory, store, second_store):
    room = workshop_factory(("brainstorm", "praatplaat", "followup", "canvas", "grow"))
    fac = room.fac

    def click(i: int):
        device = store if i % 2 else second_store
        for j in range(5):
            device.go_to_step(fac, (i + j) % 5)
        return True

    results, errors = run_threads(20, click)
    assert not errors, describe(errors)
    version, current = store.state(room.ws.id)
    with store.db.reading() as conn:
        changes = conn.execute(select(D.step_changes.c.from_step, D.step_changes.c.to_step).where(
            D.step_changes.c.workshop_id == room.ws.id).order_by(D.step_changes.c.id)).all()
    assert version == len(changes)  # every recorded change bumped the version exactly once
    # the history is one unbroken chain, so undo knows where each change came from
    assert changes[0].from_step == 0 and changes[-1].to_step == current
    assert all(prev.to_step == nxt.from_step for prev, nxt in zip(changes, changes[1:]))
    # undoing every change walks back to the first step
    while store.undo_step(fac):
        pass
    assert store.workshop(room.ws.id).current_step == 0


def store_limit() -> int:
    from workshop.text import Limits

    return Limits.NOTES_PER_STEP


@pytest.mark.slow
def test_action_proposal_limit_holds_under_concurrency(workshop_factory, store, second_store):
    from workshop.text import Limits

    room = workshop_factory(("followup",), participants=1)
    who = room.participants[0]
    limit = Limits.ACTIONS_PER_PARTICIPANT

    def propose(i: int):
        device = store if i % 2 else second_store
        try:
            return device.propose_action(who, idem_key=new_key(), what=f"Actie {i}")
        except UserError as err:
            return err.key

    results, errors = run_threads(limit * 2, propose)
    assert not errors, describe(errors)
    assert sum(isinstance(r, int) for r in results) == limit
    assert Counter(r for r in results if isinstance(r, str)) == {"error.too_many_actions": limit}
    assert count_rows(store, D.actions, proposed_by=who.id) == limit
