"""Storage of the rounds layout under concurrency, on SQLite and PostgreSQL: the case giver's mark is stored
once however many devices tap it, and reveals of different rounds from two devices are both kept."""

from __future__ import annotations

from sqlalchemy import select

from test_concurrency import describe, run_threads
from workshop import db as D
from workshop import rounds
from workshop.store import new_key

METHOD = "intervisie_tienstappen"


def setup(room):
    store = room.store
    step = next(s for s in store.steps(room.ws.id) if s.werkvorm_key == METHOD)
    giver, other = room.participants
    case = store.add_note(giver, step.id, section="casussen", field="note", text="Mijn casus", idem_key=new_key())
    sections = [s.key for s in step.werkvorm.sections]
    store.update_step(room.fac, step.id, stage=sections.index("aanpak"))
    advice = store.add_note(other, step.id, section="aanpak", field="note", text="Een aanpak", idem_key=new_key())
    return store.step(step.id), giver, case, advice


def test_a_mark_from_many_taps_on_two_devices_is_stored_once(workshop_factory, store, second_store):
    room = workshop_factory((METHOD,), participants=2)
    step, giver, case, advice = setup(room)
    assert store.chosen_case(step)["id"] == case  # the only case: chosen without a vote
    store.reveal_section(room.fac, step.id, "aanpak")

    def tap(i: int) -> None:
        (store if i % 2 else second_store).mark_note(giver, step.id, advice, True)

    _, errors = run_threads(16, tap)
    assert not errors, describe(errors)
    with store.db.reading() as conn:
        rows = conn.execute(select(D.votes.c.id).where(D.votes.c.target_type == rounds.MARK)).all()
    assert len(rows) == 1
    assert store.marks(step.id) == {advice}


def test_reveals_of_two_rounds_at_once_are_both_kept(workshop_factory, store, second_store):
    room = workshop_factory((METHOD,), participants=2)
    step, *_ = setup(room)
    private = [s.key for s in step.werkvorm.sections if s.private_until_reveal]
    assert len(private) >= 4

    def reveal(i: int) -> None:
        (store if i % 2 else second_store).reveal_section(room.fac, step.id, private[i % len(private)])

    _, errors = run_threads(12, reveal)
    assert not errors, describe(errors)
    assert sorted(store.step(step.id).config["revealed"]) == sorted(private)


def test_a_focus_and_reveals_at_once_all_stay(workshop_factory, store, second_store):
    """The screen's focus is a step setting like the revealed rounds: set at the same moment, both stay
    (Store.set_step_config reads and writes under the step's lock, as the reveal does)."""
    room = workshop_factory((METHOD,), participants=2)
    step, *_ = setup(room)
    private = [s.key for s in step.werkvorm.sections if s.private_until_reveal]

    def change(i: int) -> None:
        if i % 2:
            store.reveal_section(room.fac, step.id, private[i // 2 % len(private)])
        else:
            second_store.set_step_config(room.fac, step.id, screen_focus=private[0], sound=bool(i % 4))

    _, errors = run_threads(12, change)
    assert not errors, describe(errors)
    config = store.step(step.id).config
    assert sorted(config["revealed"]) == sorted({private[k % len(private)] for k in range(6)})
    assert config["screen_focus"] == private[0] and "sound" in config
