"""AppTest for the brainstorm: clusters made by the facilitator and dot votes on clusters."""

from __future__ import annotations

import json
import re

import pytest

from apptest import button, html, no_errors, page_text, select_notes
from helpers import make_app_room
from messages import t
from ui.common import esc
from ui.notetools import digest
from workshop import new_key


@pytest.fixture
def wall_room(app_store):  # noqa: F811
    room = make_app_room(app_store, ("brainstorm",))
    room.join_as("Anna", "vmbo")
    room.join_as("Bram", "bedrijfsleven")
    room.join_as("Cas", "gemeente")
    return room


def note(room, who, text):
    return room.store.add_note(who, room.step("brainstorm").id, section="ideeen", field="note", text=text,
                               idem_key=new_key())


def notes(room, *texts) -> list[int]:
    """One note per text, from the room's people in turn; their ids."""
    return [note(room, room.participants[i % len(room.participants)], text) for i, text in enumerate(texts)]


def clusters_on_screen(at) -> list[tuple[str, str, str]]:
    """(cluster name, its heading's HTML, the cluster's HTML) in screen order."""
    body = html(at)
    return [(m.group(1), m.group(2), m.group(0)) for m in re.finditer(
        r'<section class="ss-cluster[^"]*" data-fit><h2><span class="ss-user">(.*?)</span>(.*?)</h2>.*?</section>',
        body, re.S)]


def add_cluster(fac, step, name):
    fac.text_input(key=f"wall-newcl-{step.id}").input(name)
    button(fac, t("wall.add_cluster")).click().run()
    no_errors(fac)


def test_facilitator_makes_renames_fills_and_deletes_clusters(wall_room):
    room = wall_room
    anna, bram, cas = room.participants
    step = room.step("brainstorm")
    n1 = note(room, anna, "Meer stageplekken bij bedrijven")
    n2 = note(room, bram, "Bedrijven op school laten vertellen")
    n3 = note(room, cas, "Docenten bijscholen in nieuwe techniek")
    n4 = note(room, anna, "Open dag samen organiseren")

    fac = room.facilitator_page()
    no_errors(fac)
    add_cluster(fac, step, "Bedrijven")
    add_cluster(fac, step, "Docenten")
    clusters = {c["name"]: c["id"] for c in room.store.clusters(step.id)}
    assert list(clusters) == ["Bedrijven", "Docenten"]

    select_notes(fac, step.id, [n1, n2])  # lines of the notes table
    fac.selectbox(key=f"notes-target-{step.id}").select(clusters["Bedrijven"])
    fac.button(key=f"notes-cluster-{step.id}").click().run()
    no_errors(fac)
    assert fac.success[0].value == t("wall.x_assigned", count=2)
    select_notes(fac, step.id, [n3])  # one note at a time
    fac.selectbox(key=f"notes-target-{step.id}").select(clusters["Docenten"])
    fac.button(key=f"notes-cluster-{step.id}").click().run()
    no_errors(fac)
    by_note = {n["id"]: n["cluster_id"] for n in room.store.contributions(step.id)}
    assert by_note == {n1: clusters["Bedrijven"], n2: clusters["Bedrijven"], n3: clusters["Docenten"], n4: None}

    cid = clusters["Docenten"]
    fac.text_input(key=f"clname-{cid}-{digest('Docenten')}").input("Docenten & <i>scholing</i>")
    fac.button(key=f"clren-{cid}").click().run()
    no_errors(fac)
    assert [c["name"] for c in room.store.clusters(step.id)] == ["Bedrijven", "Docenten & <i>scholing</i>"]

    screen = room.screen()
    no_errors(screen)
    shown = clusters_on_screen(screen)
    assert [name for name, _, _ in shown] == ["Bedrijven", esc("Docenten & <i>scholing</i>"), t("wall.unclustered")]
    assert "Meer stageplekken" in shown[0][2] and "Bedrijven op school" in shown[0][2]
    assert "Docenten bijscholen" in shown[1][2] and "Open dag" in shown[2][2]
    assert "<i>scholing" not in html(screen)

    fac.button(key=f"cldel-{cid}").click().run()
    no_errors(fac)
    assert [c["name"] for c in room.store.clusters(step.id)] == ["Bedrijven"]
    assert {n["id"]: n["cluster_id"] for n in room.store.contributions(step.id)}[n3] is None


def test_group_votes_on_clusters_and_screen_shows_totals(wall_room):
    room = wall_room
    anna, bram, cas = room.participants
    step = room.step("brainstorm")
    a = note(room, anna, "Stageplekken")
    b = note(room, bram, "Bijscholing")
    stages = room.store.add_cluster(room.fac, step.id, "Stages")
    docenten = room.store.add_cluster(room.fac, step.id, "Docenten")
    room.store.assign_cluster(room.fac, step.id, [a], stages)
    room.store.assign_cluster(room.fac, step.id, [b], docenten)

    fac = room.facilitator_page()
    fac.selectbox(key=f"target-{step.id}").select("cluster")
    fac.number_input(key=f"dots-{step.id}").set_value(2)
    fac.button(key="vote-open").click().run()
    no_errors(fac)
    assert room.store.step(step.id).vote_target == "cluster"

    phone = room.phone(anna)
    no_errors(phone)
    assert "Stageplekken" in html(phone)  # a cluster shows its notes, to know what one votes for
    assert [b.key for b in phone.button if b.key and b.key.startswith("va:")] == [
        f"va:cluster:{stages}", f"va:cluster:{docenten}"]
    phone.button(key=f"va:cluster:{docenten}").click().run()
    phone.button(key=f"va:cluster:{docenten}").click().run()
    room.phone(bram).button(key=f"va:cluster:{docenten}").click().run()
    room.phone(cas).button(key=f"va:cluster:{stages}").click().run()
    assert room.store.vote_counts(step.id, "cluster") == {docenten: 3, stages: 1}

    screen = room.screen()
    no_errors(screen)
    shown = clusters_on_screen(screen)
    assert [name for name, _, _ in shown] == ["Docenten", "Stages"]  # most dots first
    assert "3 ●" in shown[0][1] and "1 ●" in shown[1][1]  # the totals, in the cluster headings
    assert t("dots.status", voters=3, total=3, dots=4) in page_text(room.facilitator_page())


def test_participant_votes_on_notes_grouped_by_cluster(wall_room):
    room = wall_room
    anna = room.participants[0]
    step = room.step("brainstorm")
    a = note(room, anna, "Stageplekken")
    b = note(room, anna, "Losse gedachte")
    stages = room.store.add_cluster(room.fac, step.id, "Stages")
    room.store.assign_cluster(room.fac, step.id, [a], stages)
    room.store.update_step(room.fac, step.id, voting_open=True, dots=1, votes_live=True)
    phone = room.phone(anna)
    body = html(phone)
    assert body.index("Stages") < body.index("Stageplekken") < body.index(esc(t("wall.unclustered"))) \
        < body.index("Losse gedachte")
    phone.button(key=f"va:note:{b}").click().run()
    assert room.store.vote_counts(step.id, "note") == {b: 1}
    room.store.moderate(room.fac, b, hidden=True)  # the facilitator takes the note away
    phone = room.phone(anna)
    assert t("dots.orphans", count=1) in page_text(phone)
    button(phone, t("dots.take_back")).click().run()
    no_errors(phone)
    assert room.store.vote_counts(step.id, "note") == {}
    assert t("vote.left", left=1, dots=1) in page_text(phone)


def _drop(fac, step, note_id, lane, seq):
    """What the sort board sends when a note is dropped on a lane (its component value)."""
    fac.session_state[f"cluster-board-{step.id}"] = {"seq": seq, "item": note_id, "to": lane}
    fac.run()
    no_errors(fac)


def test_dropping_notes_on_the_board_stores_their_cluster(wall_room):
    room = wall_room
    step = room.step("brainstorm")
    n1, n2, n3 = notes(room, "Meer stageplekken bij bedrijven", "Bedrijven op school laten vertellen",
                       "Docenten bijscholen")
    fac = room.facilitator_page()
    no_errors(fac)
    add_cluster(fac, step, "Bedrijven")
    cid = room.store.clusters(step.id)[0]["id"]

    def where() -> dict[int, int | None]:
        return {n["id"]: n["cluster_id"] for n in room.store.contributions(step.id, include_hidden=True)}

    _drop(fac, step, n1, str(cid), "1")
    assert where() == {n1: cid, n2: None, n3: None}
    _drop(fac, step, n3, "new", "2")  # "Nieuw cluster": a cluster of its own, named for the wall
    made = {c["name"]: c["id"] for c in room.store.clusters(step.id)}
    assert list(made) == ["Bedrijven", t("board.new_name", n=2)]
    assert where() == {n1: cid, n2: None, n3: made[t("board.new_name", n=2)]}
    _drop(fac, step, n1, "none", "3")  # back to "Nog niet ingedeeld"
    assert where()[n1] is None
    fac.run()  # the same value again (a rerun of the page): nothing moves twice
    assert len(room.store.clusters(step.id)) == 2
    room.store.assign_cluster(room.fac, step.id, [n2], cid)
    _drop(fac, step, n2, "none", "3")  # an old move replayed is not a new one
    assert where()[n2] == cid

    # A cluster deleted meanwhile, a hidden note, nonsense: a Dutch message, nothing stored
    room.store.delete_cluster(room.fac, made[t("board.new_name", n=2)])
    fac.session_state[f"cluster-board-{step.id}"] = {"seq": "4", "item": n2, "to": str(made[t("board.new_name", n=2)])}
    fac.run()
    assert t("wall.x_cluster_gone") in [e.value for e in fac.error]
    assert where()[n2] == cid
    room.store.moderate(room.fac, n1, hidden=True)
    fac.session_state[f"cluster-board-{step.id}"] = {"seq": "5", "item": n1, "to": str(cid)}
    fac.run()
    assert t("board.note_gone") in [e.value for e in fac.error]
    fac.session_state[f"cluster-board-{step.id}"] = {"seq": "6", "item": "<b>1</b>", "to": "../x"}
    fac.run()
    no_errors(fac)
    assert where()[n1] is None and where()[n2] == cid


def test_the_board_gets_the_lanes_and_dutch_texts(wall_room):
    room = wall_room
    anna, bram, _ = room.participants
    step = room.step("brainstorm")
    n1 = note(room, anna, "Stage <b>bij</b> bedrijven")
    note(room, bram, "Gastlessen")
    cid = room.store.add_cluster(room.fac, step.id, "Bedrijven")
    room.store.assign_cluster(room.fac, step.id, [n1], cid)
    fac = room.facilitator_page()
    no_errors(fac)
    board = fac.get("component_instance")
    assert len(board) == 1 and board[0].proto.component_name == "ui.sortboard.sortboard"
    args = json.loads(board[0].proto.json_args)
    lanes = [(lane["id"], lane["title"], lane["count"], [c[1] for c in lane["items"]]) for lane in args["lanes"]]
    assert lanes == [("none", t("wall.unclustered"), t("wall.x_note_count", count=1), ["Gastlessen"]),
                     (str(cid), "Bedrijven", t("wall.x_note_count", count=1), ["Stage <b>bij</b> bedrijven"]),
                     ("new", t("wall.new_cluster"), "", [])]
    # Every text the board shows or says is Dutch from the messages module ({item}/{lane} filled in there)
    assert args["texts"] == {k: t(f"board.{k}") for k in ("title", "how", "card", "picked", "over", "back",
                                                          "dropped", "cancelled")}
    assert "{item}" in args["texts"]["dropped"] and "{lane}" in args["texts"]["dropped"]
