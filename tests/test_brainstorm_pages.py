"""AppTest for the brainstorm: clusters made by the facilitator and dot votes on clusters."""

from __future__ import annotations

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
