"""The workshop store on SQLite and PostgreSQL: every rule the pages rely on."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from helpers import assert_dutch, count_rows
from workshop import db as D
from workshop.errors import NotAllowed, UserError
from workshop.store import CODE_ALPHABET, CODE_LENGTH, Facilitator, Participant, new_key, normalise_code
from workshop.text import Limits

ALL = ("brainstorm", "praatplaat", "followup", "canvas", "grow")


def raises_user_error(key: str, fn, *args, exc=UserError, **kwargs) -> UserError:
    with pytest.raises(exc) as info:
        fn(*args, **kwargs)
    assert info.value.key == key, (info.value.key, str(info.value))
    assert_dutch(info.value)
    return info.value


# ----------------------------------------------------------------- workshops
def test_create_workshop_code_secret_and_steps(workshop_factory, store):
    room = workshop_factory(ALL)
    ws = room.ws
    assert len(ws.code) == CODE_LENGTH == 6 and set(ws.code) <= set(CODE_ALPHABET)
    # no look-alikes in the alphabet
    assert not set("0O1IL5S2Z8B") & set(CODE_ALPHABET)
    # secret: urlsafe base64 with at least 128 bits of entropy
    assert re.fullmatch(r"[A-Za-z0-9_-]+", room.secret)
    assert len(room.secret) * 6 >= 128
    assert [s.werkvorm_key for s in room.steps] == list(ALL)
    assert [s.position for s in room.steps] == [0, 1, 2, 3, 4]
    assert ws.current_step == 0 and ws.title == "Werksessie techniek" and ws.partnership == "Regio Twente"
    assert store.workshop_by_code(ws.code) == ws
    assert store.workshop_by_code(f" {ws.code.lower()[:3]}-{ws.code.lower()[3:]} ") == ws
    assert normalise_code("k7m q4x") == "K7MQ4X"
    # the secret itself is never stored, only a hash
    with store.db.reading() as conn:
        row = conn.execute(select(D.workshops).where(D.workshops.c.id == ws.id)).one()
    assert room.secret not in [str(v) for v in row._mapping.values()]
    assert row.secret_hash != room.secret


def test_codes_and_secrets_are_unique(workshop_factory):
    rooms = [workshop_factory() for _ in range(25)]
    assert len({r.ws.code for r in rooms}) == 25
    assert len({r.secret for r in rooms}) == 25


def test_create_workshop_validation(store):
    base = dict(title="T", partnership="P", day=date(2026, 1, 1), facilitator="", werkvormen=["brainstorm"])
    raises_user_error("error.no_werkvormen", store.create_workshop, **{**base, "werkvormen": []})
    raises_user_error("error.empty", store.create_workshop, **{**base, "title": "   "})
    raises_user_error("error.empty", store.create_workshop, **{**base, "partnership": ""})
    raises_user_error("error.too_long", store.create_workshop, **{**base, "title": "x" * (Limits.TITLE + 1)})
    with pytest.raises(ValueError):  # unknown werkvorm is a programming error, not user input
        store.create_workshop(**{**base, "werkvormen": ["bestaat_niet"]})
    assert count_rows(store, D.workshops) == 0


def test_a_join_code_that_is_taken_is_drawn_again(store, monkeypatch):
    """Two workshops never share a code: a drawn code that exists (the database's unique key) is
    drawn again, on both databases."""
    import workshop.store.admin as admin

    draws = iter("AAAAAA" + "AAAAAA" + "CCCCCC")
    monkeypatch.setattr(admin.secrets, "choice", lambda _alphabet: next(draws))
    base = dict(partnership="P", day=date(2026, 1, 1), facilitator="", werkvormen=["brainstorm"])
    first, _ = store.create_workshop(title="Eerste", **base)
    second, _ = store.create_workshop(title="Tweede", **base)
    assert (first.code, second.code) == ("AAAAAA", "CCCCCC")
    assert count_rows(store, D.workshops) == 2


def test_admin_password_required_when_set(store, setting):
    setting("SAMENSPRAAK_ADMIN_PASSWORD", "geheim-wachtwoord")
    assert store.needs_admin_password()
    base = dict(title="T", partnership="P", day=date(2026, 1, 1), facilitator="", werkvormen=["brainstorm"])
    raises_user_error("error.admin_password", store.create_workshop, **base, admin_password="", exc=NotAllowed)
    raises_user_error("error.admin_password", store.check_admin, "", exc=NotAllowed)  # the restore's check
    raises_user_error("error.admin_password", store.create_workshop, **base, admin_password="geheim",
                      exc=NotAllowed)
    assert count_rows(store, D.workshops) == 0
    ws, _secret = store.create_workshop(**base, admin_password="geheim-wachtwoord")
    assert count_rows(store, D.workshops) == 1
    store.create_workshop(**base)  # no person (the command line, demo data): not asked
    assert count_rows(store, D.workshops) == 2
    # without the setting no password is needed
    setting("SAMENSPRAAK_ADMIN_PASSWORD", "")
    assert not store.needs_admin_password()
    store.create_workshop(**base, admin_password="")
    store.check_admin("")
    assert count_rows(store, D.workshops) == 3


def test_max_participants_is_capped_by_the_setting(workshop_factory):
    assert workshop_factory(max_participants=10**6).ws.max_participants == Limits.MAX_PARTICIPANTS
    assert workshop_factory(max_participants=12).ws.max_participants == 12


# -------------------------------------------------------------- authorize
def test_authorize(workshop_factory, store):
    a = workshop_factory()
    b = workshop_factory()
    fac = store.authorize(a.ws.code, a.secret)
    assert isinstance(fac, Facilitator) and fac.workshop_id == a.ws.id
    assert store.authorize(a.ws.code.lower(), a.secret).workshop_id == a.ws.id
    for code, secret in [
        (a.ws.code, "fout"), (a.ws.code, ""), (a.ws.code, None), (a.ws.code, a.secret + "x"),
        (a.ws.code, a.secret[:-1]), (a.ws.code, b.secret), (b.ws.code, a.secret), ("", a.secret),
        (None, None), ("ZZZZZZ", a.secret),
    ]:
        raises_user_error("error.not_facilitator", store.authorize, code, secret, exc=NotAllowed)


def test_forged_facilitator_is_refused(workshop_factory, store):
    room = workshop_factory(participants=1)
    step = room.steps[0]
    note = room.note(room.participants[0])
    forged = [Facilitator(room.ws.id), Facilitator(room.ws.id, object()), Facilitator(room.ws.id, True)]
    for fake in forged + ["secret", None, room.ws.id]:
        raises_user_error("error.not_facilitator", store.go_to_step, fake, 0, exc=NotAllowed)
        raises_user_error("error.not_facilitator", store.update_step, fake, step.id, locked=True, exc=NotAllowed)
        raises_user_error("error.not_facilitator", store.moderate, fake, note, hidden=True, exc=NotAllowed)
        raises_user_error("error.not_facilitator", store.delete_workshop, fake, exc=NotAllowed)
        raises_user_error("error.not_facilitator", store.add_cluster, fake, step.id, "C", exc=NotAllowed)
        raises_user_error("error.not_facilitator", store.add_action, fake, what="X", exc=NotAllowed)
        raises_user_error("error.not_facilitator", store.undo_step, fake, exc=NotAllowed)
        raises_user_error("error.not_facilitator", store.update_workshop, fake, show_join=False, exc=NotAllowed)
    assert not store.step(step.id).locked
    assert store.contributions(step.id)[0]["hidden"] is False
    assert count_rows(store, D.workshops) == 1 and count_rows(store, D.clusters) == 0


def test_facilitator_of_one_workshop_cannot_touch_another(workshop_factory, store):
    a = workshop_factory(participants=1)
    b = workshop_factory(participants=1)
    b_step = b.steps[0]
    b_note = b.note(b.participants[0], "Briefje in B")
    raises_user_error("error.not_facilitator", store.moderate, a.fac, b_note, hidden=True, exc=NotAllowed)
    raises_user_error("error.not_facilitator", store.moderate, a.fac, b_note, text="Gewijzigd", exc=NotAllowed)
    raises_user_error("error.not_facilitator", store.update_step, a.fac, b_step.id, locked=True, exc=NotAllowed)
    raises_user_error("error.not_facilitator", store.add_cluster, a.fac, b_step.id, "Indringer", exc=NotAllowed)
    assert store.clusters(b_step.id) == []
    b_cluster = store.add_cluster(b.fac, b_step.id, "Van B")
    store.rename_cluster(a.fac, b_cluster, "Overgenomen")  # silently matches nothing in A
    store.delete_cluster(a.fac, b_cluster)
    assert store.clusters(b_step.id) == [{"id": b_cluster, "name": "Van B"}]
    notes = store.contributions(b_step.id, include_hidden=True)
    assert [(n["text"], n["hidden"]) for n in notes] == [("Briefje in B", False)]
    assert not store.step(b_step.id).locked
    # A's own moderation works
    a_note = a.note(a.participants[0])
    store.moderate(a.fac, a_note, hidden=True)
    assert store.contributions(a.steps[0].id) == []


# ---------------------------------------------------------------------- join
def test_join_and_find_participant_again(workshop_factory, store):
    room = workshop_factory()
    who = store.join(room.ws.code, name="  Sanne   de Vries ", org_type="mbo")
    assert who.name == "Sanne de Vries" and who.org_type == "mbo" and who.workshop_id == room.ws.id
    assert len(who.token) >= 20
    assert store.participant(room.ws.code, who.token) == who
    assert store.participant(room.ws.code.lower(), who.token) == who
    assert store.participant(room.ws.code, "fout") is None
    assert store.participant(room.ws.code, None) is None
    assert store.participant(room.ws.code, "x" * 10_000) is None
    other = workshop_factory()
    assert store.participant(other.ws.code, who.token) is None  # a token belongs to one workshop
    assert store.participant_count(room.ws.id) == 1
    assert store.participants(room.ws.id) == [who]


def test_join_idempotent(workshop_factory, store):
    room = workshop_factory()
    key = new_key()
    first = store.join(room.ws.code, name="Ali", org_type="po", idem_key=key)
    again = store.join(room.ws.code, name="Ali", org_type="po", idem_key=key)
    assert again == first
    assert store.participant_count(room.ws.id) == 1


def test_join_validation(workshop_factory, store):
    room = workshop_factory()
    raises_user_error("error.unknown_room", store.join, "QQQQQQ", name="A", org_type="po")
    raises_user_error("error.unknown_room", store.join, "", name="A", org_type="po")
    raises_user_error("error.empty", store.join, room.ws.code, name="", org_type="po")
    raises_user_error("error.empty", store.join, room.ws.code, name=" \u200b ", org_type="po")
    raises_user_error("error.too_long", store.join, room.ws.code, name="n" * (Limits.NAME + 1), org_type="po")
    for bad in ("", "school", "PO", None, "hbo/lerarenopleiding"):
        raises_user_error("error.org_type", store.join, room.ws.code, name="A", org_type=bad)
    assert store.participant_count(room.ws.id) == 0
    for org in ("po", "vmbo", "mbo", "hbo", "bedrijfsleven", "gemeente", "overig"):
        assert store.join(room.ws.code, name=f"Iemand {org}", org_type=org).org_type == org
    assert store.participant_count(room.ws.id) == 7


def test_anonymous_workshop_allows_empty_name(workshop_factory, store):
    room = workshop_factory(anonymous=True)
    assert room.ws.anonymous
    who = store.join(room.ws.code, name="", org_type="gemeente")
    assert who.name == ""


def test_room_full(workshop_factory, store):
    room = workshop_factory(max_participants=3)
    room.join(3)
    err = raises_user_error("error.room_full", store.join, room.ws.code, name="Vierde", org_type="po")
    assert "3" in str(err)
    assert store.participant_count(room.ws.id) == 3


# --------------------------------------------------------------------- steps
def test_step_navigation_next_back_jump_and_undo(workshop_factory, store):
    room = workshop_factory(ALL)
    fac = room.fac
    v0 = store.state(room.ws.id)[0]
    assert not store.can_undo(room.ws.id)
    assert store.undo_step(fac) is False
    store.go_to_step(fac, 1)  # next
    assert room.refresh().current_step == 1
    assert store.current_step(room.ws).werkvorm_key == "praatplaat"
    store.go_to_step(fac, 2)  # next
    store.go_to_step(fac, 1)  # back
    store.go_to_step(fac, 4)  # jump
    assert room.refresh().current_step == 4
    assert store.state(room.ws.id) == (v0 + 4, 4)
    store.go_to_step(fac, 4)  # no-op: no history entry, no version bump
    assert store.state(room.ws.id)[0] == v0 + 4
    assert store.can_undo(room.ws.id)
    # undo walks back: 4 -> 1 -> 2 -> 1 -> 0
    trail = []
    while store.undo_step(fac):
        trail.append(room.refresh().current_step)
    assert trail == [1, 2, 1, 0]
    assert not store.can_undo(room.ws.id)
    for bad in (-1, 5, 99):
        raises_user_error("error.no_such_step", store.go_to_step, fac, bad)
    assert room.refresh().current_step == 0


def test_state_cache_is_invalidated_by_changes(workshop_factory, store):
    room = workshop_factory(("brainstorm", "canvas"))
    before = store.state(room.ws.id, max_age=60)
    store.go_to_step(room.fac, 1)
    after = store.state(room.ws.id, max_age=60)
    assert after[1] == 1 and after[0] > before[0]


def test_update_step_flags(workshop_factory, store):
    room = workshop_factory(("praatplaat",))
    step = room.steps[0]
    assert not step.revealed and step.hidden_until_reveal
    store.update_step(room.fac, step.id, revealed=True, stage=2, dots=5)
    step = store.step(step.id)
    assert step.revealed and not step.hidden_until_reveal and step.stage == 2 and step.dots == 5
    with pytest.raises(ValueError):
        store.update_step(room.fac, step.id, workshop_id=999)


def test_lock_blocks_input(workshop_factory, store):
    room = workshop_factory(("brainstorm", "praatplaat", "followup"), participants=1)
    who = room.participants[0]
    brain, praat = room.step("brainstorm"), room.step("praatplaat")
    room.note(who, "Voor het slot")
    store.update_step(room.fac, brain.id, locked=True)
    store.update_step(room.fac, praat.id, locked=True)
    raises_user_error("error.locked", room.note, who, "Na het slot")
    raises_user_error("error.locked", store.answer, who, praat.id, section="ambitie", values={"score": 3},
                      idem_key=new_key())
    assert [n["text"] for n in store.contributions(brain.id)] == ["Voor het slot"]
    store.update_step(room.fac, brain.id, locked=False)
    room.note(who, "Weer open")
    assert [n["text"] for n in store.contributions(brain.id)] == ["Voor het slot", "Weer open"]


# --------------------------------------------------------------------- notes
def test_notes_are_stored_with_author(room, store):
    who = room.participants[0]
    nid = room.note(who, "Meer stageplekken in de techniek")
    [note] = store.contributions(room.step("brainstorm").id)
    assert note["id"] == nid and note["text"] == "Meer stageplekken in de techniek"
    assert note["participant_id"] == who.id and note["name"] == who.name and note["org_type"] == who.org_type
    assert note["section"] == "ideeen" and note["kind"] == "note" and note["hidden"] is False
    assert store.note_count(room.step("brainstorm").id) == 1
    assert store.respondent_count(room.step("brainstorm").id) == 1


def test_note_idempotency(room, store):
    who = room.participants[0]
    key = new_key()
    first = room.note(who, "Dubbel getikt", idem_key=key)
    second = room.note(who, "Dubbel getikt", idem_key=key)
    assert first == second
    assert count_rows(store, D.contributions, idem_key=key) == 1
    # a different key is a different note, even with the same text
    room.note(who, "Dubbel getikt")
    assert store.note_count(room.step("brainstorm").id) == 2


def test_note_validation(room, store):
    who = room.participants[0]
    raises_user_error("error.empty", room.note, who, "   ")
    raises_user_error("error.too_long", room.note, who, "x" * 281)
    room.note(who, "x" * 280)
    step = room.step("brainstorm")
    with pytest.raises(KeyError):
        store.add_note(who, step.id, section="bestaat_niet", field="note", text="a", idem_key=new_key())
    with pytest.raises(ValueError):  # a score field is not a note
        store.add_note(who, room.step("praatplaat").id, section="ambitie", field="score", text="a",
                       idem_key=new_key())


def test_notes_limit_per_participant(workshop_factory, store):
    room = workshop_factory(participants=2)
    me, other = room.participants
    limit = min(room.steps[0].werkvorm.max_notes_per_participant, Limits.NOTES_PER_STEP)
    ids = [room.note(me, f"Briefje {i}") for i in range(limit)]
    err = raises_user_error("error.too_many_notes", room.note, me, "Eén te veel")
    assert str(limit) in str(err)
    room.note(other, "Een ander mag nog")  # the limit is per participant
    store.delete_own(me, ids[0])
    room.note(me, "Na verwijderen mag er weer een bij")
    assert count_rows(store, D.contributions, participant_id=me.id, deleted=False) == limit


def test_participant_from_another_workshop_cannot_post(workshop_factory, store):
    a = workshop_factory(participants=1)
    b = workshop_factory(participants=1)
    raises_user_error("error.not_yours", store.add_note, a.participants[0], b.steps[0].id, section="ideeen",
                      field="note", text="Inbraak", idem_key=new_key(), exc=NotAllowed)
    assert store.contributions(b.steps[0].id) == []


def test_tagged_note_follows_the_stage(workshop_factory, store):
    room = workshop_factory(("grow",), participants=1)
    who = room.participants[0]
    grow = room.steps[0]
    first = grow.werkvorm.sections[0].key
    second = grow.werkvorm.sections[1].key
    nid = room.note(who, "Meer zij-instromers", werkvorm="grow", section=first,
                    tags=["werven", "onzin", "matchen"])
    [note] = store.contributions(grow.id)
    assert note["id"] == nid and note["kind"] == "tagged_note" and note["tags"] == ["werven", "matchen"]
    raises_user_error("error.stage_moved", room.note, who, "Te vroeg", werkvorm="grow", section=second)
    store.update_step(room.fac, grow.id, stage=1)
    raises_user_error("error.stage_moved", room.note, who, "Te laat", werkvorm="grow", section=first)
    room.note(who, "Nu wel", werkvorm="grow", section=second)
    assert [n["section"] for n in store.contributions(grow.id)] == [first, second]


def test_delete_only_own_notes(room, store):
    me, other = room.participants[:2]
    mine = room.note(me, "Van mij")
    theirs = room.note(other, "Van een ander")
    raises_user_error("error.not_yours", store.delete_own, me, theirs, exc=NotAllowed)
    raises_user_error("error.not_yours", store.delete_own, me, 10**9, exc=NotAllowed)
    store.delete_own(me, mine)
    texts = [n["text"] for n in store.contributions(room.step("brainstorm").id)]
    assert texts == ["Van een ander"]


def test_moderation_hide_and_edit(room, store):
    who = room.participants[0]
    step = room.step("brainstorm")
    nid = room.note(who, "Ongepast briefje")
    store.moderate(room.fac, nid, hidden=True)
    assert store.contributions(step.id) == []
    assert store.note_count(step.id) == 0
    [hidden] = store.contributions(step.id, include_hidden=True)
    assert hidden["hidden"] is True
    store.moderate(room.fac, nid, hidden=False, text="Nette versie")
    assert [n["text"] for n in store.contributions(step.id)] == ["Nette versie"]
    with pytest.raises(ValueError):
        store.moderate(room.fac, nid, participant_id=999)
    raises_user_error("error.not_facilitator", store.moderate, room.fac, 10**9, hidden=True, exc=NotAllowed)


# ------------------------------------------------------------------- answers
def test_answers_newest_wins(room, store):
    me, other = room.participants[:2]
    step = room.step("praatplaat")
    store.answer(me, step.id, section="ambitie", values={"score": 2, "goed": "Weinig"}, idem_key=new_key())
    store.answer(other, step.id, section="ambitie", values={"score": 5}, idem_key=new_key())
    store.answer(me, step.id, section="ambitie", values={"score": 4, "goed": "Veel beter"}, idem_key=new_key())
    store.answer(me, step.id, section="relatie", values={"score": None}, idem_key=new_key())
    mine = {(a["section"], a["field"]): a for a in store.latest_answers(step.id, me.id)}
    assert mine[("ambitie", "score")]["score"] == 4
    assert mine[("ambitie", "goed")]["text"] == "Veel beter"
    assert mine[("relatie", "score")]["score"] is None  # "weet ik niet"
    everyone = store.latest_answers(step.id)
    assert sorted(a["score"] for a in everyone if a["field"] == "score" and a["section"] == "ambitie") == [4, 5]
    # every submission was appended, nothing overwritten
    assert count_rows(store, D.contributions, step_id=step.id) == 6


def test_answer_idempotency_and_validation(room, store):
    me = room.participants[0]
    step = room.step("praatplaat")
    key = new_key()
    store.answer(me, step.id, section="belangen", values={"score": 3, "beter": "Meer tijd"}, idem_key=key)
    store.answer(me, step.id, section="belangen", values={"score": 3, "beter": "Meer tijd"}, idem_key=key)
    assert count_rows(store, D.contributions, step_id=step.id) == 2
    # a resent form whose first field is new (a field was added since) is still the same submission
    store.answer(me, step.id, section="belangen", values={"goed": "Samen", "score": 3, "beter": "Meer tijd"},
                 idem_key=key)
    assert count_rows(store, D.contributions, step_id=step.id) == 2
    for bad in (0, 6, -1, "3", 2.5, True):
        raises_user_error("error.score", store.answer, me, step.id, section="belangen", values={"score": bad},
                          idem_key=new_key())
    raises_user_error("error.too_long", store.answer, me, step.id, section="belangen",
                      values={"score": 1, "goed": "x" * 501}, idem_key=new_key())
    # nothing of a refused submission was written, not even its valid part
    assert count_rows(store, D.contributions, step_id=step.id) == 2


def test_set_sections(room, store):
    step = room.step("praatplaat")
    store.set_sections(room.fac, step.id, [
        {"title": "Visie", "question": "Waar gaan we heen?"}, {"title": "Geld & tijd"}, {"title": "2030"}])
    step = store.step(step.id)
    assert [s.key for s in step.werkvorm.sections] == ["visie", "geld_tijd", "a_2030"]
    assert step.werkvorm.sections[0].question == "Waar gaan we heen?"
    raises_user_error("error.no_sections", store.set_sections, room.fac, step.id, [])
    raises_user_error("error.duplicate_sections", store.set_sections, room.fac, step.id,
                      [{"title": "Visie"}, {"title": "visie"}])
    raises_user_error("error.empty", store.set_sections, room.fac, step.id, [{"title": " "}])


# --------------------------------------------------------------------- votes
def test_votes_budget(room, store):
    me, other = room.participants[:2]
    a, b = room.note(me, "A"), room.note(other, "B")
    step = room.step("brainstorm")
    raises_user_error("error.voting_closed", store.place_vote, me, step.id, target_type="note", target_id=a,
                      idem_key=new_key())
    room.open_voting(dots=3, multi_dot=True)
    for target in (a, a, b):
        store.place_vote(me, step.id, target_type="note", target_id=target, idem_key=new_key())
    err = raises_user_error("error.no_dots_left", store.place_vote, me, step.id, target_type="note",
                            target_id=b, idem_key=new_key())
    assert "3" in str(err)
    assert store.vote_counts(step.id, "note") == {a: 2, b: 1}
    assert sorted(store.my_votes(me, step.id)) == sorted([("note", a), ("note", a), ("note", b)])
    assert store.remove_vote(me, step.id, target_type="note", target_id=a) is True
    assert store.vote_counts(step.id, "note") == {a: 1, b: 1}
    store.place_vote(me, step.id, target_type="note", target_id=b, idem_key=new_key())
    assert store.vote_counts(step.id, "note") == {a: 1, b: 2}
    assert store.remove_vote(other, step.id, target_type="note", target_id=a) is False  # has none


def test_votes_idempotent_and_single_dot(room, store):
    me = room.participants[0]
    a, b = room.note(me, "A"), room.note(me, "B")
    step = room.open_voting(dots=2, multi_dot=False)
    key = new_key()
    v1 = store.place_vote(me, step.id, target_type="note", target_id=a, idem_key=key)
    v2 = store.place_vote(me, step.id, target_type="note", target_id=a, idem_key=key)
    assert v1 == v2 and store.vote_counts(step.id, "note") == {a: 1}
    raises_user_error("error.one_dot_each", store.place_vote, me, step.id, target_type="note", target_id=a,
                      idem_key=new_key())
    store.place_vote(me, step.id, target_type="note", target_id=b, idem_key=new_key())
    assert store.vote_counts(step.id, "note") == {a: 1, b: 1}


def test_votes_from_another_workshop_refused(workshop_factory, store):
    a = workshop_factory(participants=1)
    b = workshop_factory(participants=1)
    note = b.note(b.participants[0])
    step = b.open_voting()
    raises_user_error("error.not_yours", store.place_vote, a.participants[0], step.id, target_type="note",
                      target_id=note, idem_key=new_key(), exc=NotAllowed)
    assert store.vote_counts(step.id, "note") == {}


def test_cluster_votes(room, store):
    me = room.participants[0]
    step = room.step("brainstorm")
    cid = store.add_cluster(room.fac, step.id, "Stages")
    nid = room.note(me, "Meer stages")
    store.moderate(room.fac, nid, cluster_id=cid)
    assert store.contributions(step.id)[0]["cluster_id"] == cid
    store.update_step(room.fac, step.id, voting_open=True, vote_target="cluster")
    store.place_vote(me, step.id, target_type="cluster", target_id=cid, idem_key=new_key())
    assert store.vote_counts(step.id, "cluster") == {cid: 1}
    assert store.vote_counts(step.id, "note") == {}


# ------------------------------------------------------------------ clusters
def test_clusters(room, store):
    step = room.step("brainstorm")
    me = room.participants[0]
    c1 = store.add_cluster(room.fac, step.id, "Stages")
    c2 = store.add_cluster(room.fac, step.id, "Docenten")
    store.rename_cluster(room.fac, c2, "Docententekort")
    nid = room.note(me, "Te weinig docenten")
    store.moderate(room.fac, nid, cluster_id=c2)
    assert store.clusters(step.id) == [{"id": c1, "name": "Stages"}, {"id": c2, "name": "Docententekort"}]
    store.delete_cluster(room.fac, c2)
    assert store.clusters(step.id) == [{"id": c1, "name": "Stages"}]
    assert store.contributions(step.id)[0]["cluster_id"] is None
    raises_user_error("error.empty", store.add_cluster, room.fac, step.id, "  ")
    raises_user_error("error.too_long", store.add_cluster, room.fac, step.id, "c" * (Limits.CLUSTER + 1))


# ------------------------------------------------------------------- actions
def test_actions_propose_add_update_merge(room, store):
    me = room.participants[0]
    key = new_key()
    proposed = store.propose_action(me, idem_key=key, what="Stagebank opzetten", owner="Piet",
                                    partner="ROC", due="2026-06-01", link="ambitie")
    assert store.propose_action(me, idem_key=key, what="Stagebank opzetten") == proposed  # double tap
    added = store.add_action(room.fac, what="Gastlessen plannen", owner="Jan", due=date(2026, 9, 1))
    third = store.add_action(room.fac, what="Gastlessen inplannen")
    rows = {a["id"]: a for a in store.actions(room.ws.id)}
    assert set(rows) == {proposed, added, third}
    assert rows[proposed]["confirmed"] is False and rows[proposed]["proposed_by"] == me.id
    assert rows[proposed]["due"] == date(2026, 6, 1) and rows[proposed]["status"] == "open"
    assert rows[added]["confirmed"] is True and rows[added]["owner"] == "Jan"
    store.update_action(room.fac, proposed, confirmed=True, status="bezig", owner="Piet en Ans")
    store.merge_actions(room.fac, added, [third, added])
    rows = {a["id"]: a for a in store.actions(room.ws.id, include_deleted=True)}
    assert rows[proposed]["status"] == "bezig" and rows[proposed]["confirmed"] is True
    assert rows[proposed]["owner"] == "Piet en Ans"
    assert rows[third]["deleted"] is True and rows[third]["merged_into"] == added
    assert rows[added]["deleted"] is False
    assert {a["id"] for a in store.actions(room.ws.id)} == {proposed, added}


def test_action_validation(room, store):
    me = room.participants[0]
    raises_user_error("error.empty", store.propose_action, me, idem_key=new_key(), what=" ")
    raises_user_error("error.empty", store.propose_action, me, idem_key=new_key(), owner="Zonder wat")
    raises_user_error("error.bad_date", store.propose_action, me, idem_key=new_key(), what="X", due="31-02-2026")
    raises_user_error("error.bad_status", store.add_action, room.fac, what="X", status="gedaan")
    raises_user_error("error.too_long", store.add_action, room.fac, what="w" * (Limits.ACTION_WHAT + 1))
    assert store.actions(room.ws.id) == []
    aid = store.add_action(room.fac, what="Iets")
    raises_user_error("error.bad_status", store.update_action, room.fac, aid, status="weg")


def test_action_limit_per_participant(room, store):
    me, other = room.participants[:2]
    for i in range(Limits.ACTIONS_PER_PARTICIPANT):
        store.propose_action(me, idem_key=new_key(), what=f"Actie {i}")
    raises_user_error("error.too_many_actions", store.propose_action, me, idem_key=new_key(), what="Nog een")
    store.propose_action(other, idem_key=new_key(), what="Van een ander")
    assert len(store.actions(room.ws.id)) == Limits.ACTIONS_PER_PARTICIPANT + 1


def test_earlier_open_actions_come_back(workshop_factory, store):
    partnership, secret = store.create_partnership("Regio Zuid-Oost")
    member = store.open_partnership(partnership.id, secret)
    first = workshop_factory(("followup",), member_of=member, participants=1)
    open_id = store.add_action(first.fac, what="Open actie")
    busy_id = store.add_action(first.fac, what="Lopende actie", status="bezig")
    store.add_action(first.fac, what="Klaar", status="klaar")
    gone = store.add_action(first.fac, what="Weg")
    store.update_action(first.fac, gone, deleted=True)
    store.propose_action(first.participants[0], idem_key=new_key(), what="Niet bevestigd voorstel")
    other, other_secret = store.create_partnership("Regio Noord")
    elsewhere = workshop_factory(("followup",), member_of=store.open_partnership(other.id, other_secret))
    store.add_action(elsewhere.fac, what="Andere regio")

    second = workshop_factory(("followup",), member_of=member)
    assert second.ws.partnership_id == partnership.id and second.ws.partnership == "Regio Zuid-Oost"
    earlier = store.earlier_open_actions(second.ws.id)
    assert [a["id"] for a in earlier] == [open_id, busy_id]
    assert earlier[0]["workshop_title"] == first.ws.title and earlier[0]["workshop_date"] == first.ws.date
    assert store.earlier_open_actions(first.ws.id) == []  # nothing before the first one

    # the next workshop may update status and review of an earlier action
    store.update_action(second.fac, open_id, status="klaar", review_note="Gedaan in maart")
    assert [a["id"] for a in store.earlier_open_actions(second.ws.id)] == [busy_id]
    # but a workshop of another partnership cannot
    raises_user_error("error.not_facilitator", store.update_action, elsewhere.fac, busy_id, status="klaar",
                      exc=NotAllowed)


def test_earlier_workshop_actions_only_status_and_review(workshop_factory, store):
    partnership, secret = store.create_partnership("Regio West")
    member = store.open_partnership(partnership.id, secret)
    first = workshop_factory(("followup",), member_of=member)
    aid = store.add_action(first.fac, what="Origineel", owner="Kees")
    second = workshop_factory(("followup",), member_of=member)
    with pytest.raises(NotAllowed):
        store.update_action(second.fac, aid, what="Herschreven door een ander")
    with pytest.raises(NotAllowed):
        store.update_action(second.fac, aid, deleted=True)
    [row] = store.actions(first.ws.id)
    assert row["what"] == "Origineel" and row["owner"] == "Kees" and row["deleted"] is False


# -------------------------------------------------------- delete and purge
def _fill(room, store) -> None:
    me = room.participants[0]
    brain = room.step("brainstorm")
    nid = room.note(me, "Iets")
    store.add_cluster(room.fac, brain.id, "Cluster")
    store.answer(me, room.step("praatplaat").id, section="ambitie", values={"score": 3}, idem_key=new_key())
    room.open_voting()
    store.place_vote(me, brain.id, target_type="note", target_id=nid, idem_key=new_key())
    store.propose_action(me, idem_key=new_key(), what="Actie")
    store.go_to_step(room.fac, 1)


TABLES = ("workshops", "steps", "step_changes", "participants", "contributions", "clusters", "votes", "actions")


def _counts(store, workshop_id: int) -> dict[str, int]:
    out = {}
    for name in TABLES:
        table = getattr(D, name)
        col = "id" if name == "workshops" else "workshop_id"
        out[name] = count_rows(store, table, **{col: workshop_id})
    return out


def test_delete_workshop_removes_all_rows(workshop_factory, store):
    gone = workshop_factory(ALL, participants=2)
    kept = workshop_factory(ALL, participants=2)
    _fill(gone, store)
    _fill(kept, store)
    assert all(n > 0 for n in _counts(store, gone.ws.id).values())
    before_kept = _counts(store, kept.ws.id)
    store.delete_workshop(gone.fac)
    assert _counts(store, gone.ws.id) == dict.fromkeys(TABLES, 0)
    assert _counts(store, kept.ws.id) == before_kept
    assert store.workshop_by_code(gone.ws.code) is None
    raises_user_error("error.not_facilitator", store.authorize, gone.ws.code, gone.secret, exc=NotAllowed)


def test_purge_older_than(workshop_factory, store):
    old = workshop_factory(ALL, participants=1)
    new = workshop_factory(ALL, participants=1)
    _fill(old, store)
    _fill(new, store)
    with store.db.writing() as conn:
        conn.execute(update(D.workshops).where(D.workshops.c.id == old.ws.id)
                     .values(created_at=old.ws.created_at - timedelta(days=400)))
    assert store.purge_older_than(365) == 1
    assert _counts(store, old.ws.id) == dict.fromkeys(TABLES, 0)
    assert _counts(store, new.ws.id)["contributions"] > 0
    assert store.purge_older_than(365) == 0
    assert store.purge_older_than(0) == 1  # everything created before now
    assert count_rows(store, D.workshops) == 0


# --------------------------------------------------------------- restarts
def test_a_new_store_on_the_same_database_sees_everything(db_url, workshop_factory, store):
    """A server restart: new engines, same database; participants continue as themselves."""
    room = workshop_factory(participants=1)
    who = room.participants[0]
    room.note(who, "Voor de herstart")
    store.go_to_step(room.fac, 0)
    restarted = D.Database(db_url)
    try:
        from workshop.store import Store

        again = Store(restarted)
        assert again.participant(room.ws.code, who.token) == who
        fac = again.authorize(room.ws.code, room.secret)
        step = again.steps(room.ws.id)[0]
        again.add_note(who, step.id, section="ideeen", field="note", text="Na de herstart", idem_key=new_key())
        assert [n["text"] for n in again.contributions(step.id)] == ["Voor de herstart", "Na de herstart"]
        assert fac.workshop_id == room.ws.id
    finally:
        restarted.dispose()



def test_schema_is_created_on_an_empty_database(empty_db_url):
    from sqlalchemy import inspect

    database = D.Database(empty_db_url)
    try:
        tables = set(inspect(database.read).get_table_names())
        assert {t.name for t in D.metadata.sorted_tables} <= tables
        with database.reading() as conn:
            version = conn.execute(select(D.meta.c.value).where(D.meta.c.key == "schema_version")).scalar_one()
        assert version == str(D.SCHEMA_VERSION)
        D.Database(empty_db_url).dispose()  # migrating again is harmless
        with database.reading() as conn:
            assert conn.execute(select(D.meta.c.value)).scalars().all() == [str(D.SCHEMA_VERSION)]
    finally:
        database.dispose()


def test_a_version_1_database_gets_the_new_index(empty_db_url):
    """Databases made before schema version 2 lack the (step, participant) index; starting the
    app adds it once and records the new version."""
    from sqlalchemy import inspect, text, update

    database = D.Database(empty_db_url)
    try:
        with database.writing() as conn:
            conn.execute(text("DROP INDEX ix_contrib_step_participant"))
            conn.execute(update(D.meta).where(D.meta.c.key == "schema_version").values(value="1"))
    finally:
        database.dispose()
    database = D.Database(empty_db_url)
    try:
        names = {ix["name"] for ix in inspect(database.read).get_indexes("contributions")}
        assert "ix_contrib_step_participant" in names
        with database.reading() as conn:
            assert conn.execute(select(D.meta.c.value)).scalars().all() == [str(D.SCHEMA_VERSION)]
    finally:
        database.dispose()


def test_reposting_a_deleted_note_brings_it_back(room):
    who = room.participants[0]
    step = room.step("brainstorm")
    first = room.note(who, "Zelfde tekst", idem_key="same-content")
    room.store.delete_own(who, first)
    assert room.store.contributions(step.id) == []
    again = room.note(who, "Zelfde tekst", idem_key="same-content")
    assert again == first
    assert [n["text"] for n in room.store.contributions(step.id)] == ["Zelfde tekst"]
