"""AppTest of the facilitator cockpit: controls that act on what the facilitator chose and show
the real state, and the fingerprints that decide which live part redraws."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from apptest import join_as, make_room, open_page, page_text
from messages import t
from workshop import new_key


def test_jump_moves_the_workshop_when_its_version_moved_since_the_page_was_drawn(app_store):
    """"Ga naar stap" once did nothing: the page was drawn at version v, something moved the
    version meanwhile (a dot round opened in the live part, the timer's automatic lock), and
    the rerun drew the jump box under a new key with its default value, dropping the choice."""
    ws, secret = make_room(app_store, werkvormen=("brainstorm", "praatplaat", "followup"))
    at = open_page("facilitator", room=ws.code, key=secret)
    drawn = app_store.workshop(ws.id).state_version
    other_device = app_store.authorize(ws.code, secret)
    step = app_store.steps(ws.id)[0]
    app_store.update_step(other_device, step.id, voting_open=True)  # the version moves on
    assert app_store.workshop(ws.id).state_version != drawn

    at.selectbox(key=f"jump-{drawn}").select(2).run()
    assert not at.exception
    assert app_store.workshop(ws.id).current_step == 2
    assert t("fac.current", n=3, title=app_store.steps(ws.id)[2].werkvorm.title) in page_text(at)


def test_controls_show_the_state_changed_elsewhere_never_a_stale_widget_value(app_store):
    ws, secret = make_room(app_store)
    at = open_page("facilitator", room=ws.code, key=secret)
    version = app_store.workshop(ws.id).state_version
    assert at.toggle(key=f"ws-show_join-{version}").value is True
    assert at.button(key="lock").label == t("fac.lock")

    other_device = app_store.authorize(ws.code, secret)
    app_store.update_workshop(other_device, show_join=False)
    step = app_store.steps(ws.id)[0]
    app_store.update_step(other_device, step.id, timer_seconds=60, timer_auto_lock=True,
                          timer_end=datetime.now(timezone.utc) - timedelta(seconds=1))  # ran out
    at.run()
    version = app_store.workshop(ws.id).state_version
    assert at.toggle(key=f"ws-show_join-{version}").value is False
    assert app_store.steps(ws.id)[0].locked  # the cockpit enforces the automatic lock itself
    assert at.button(key="lock").label == t("fac.unlock")
    assert t("fac.state_locked") in page_text(at)
    assert at.checkbox(key=f"autolock-{step.id}-{version}").value is True
    assert not [b for b in at.button if b.key == "timer-pause"]  # no "Pauze" for a timer that ended


def test_cockpit_fingerprints_move_with_what_each_part_shows(app_store):
    ws, secret = make_room(app_store)
    fac = app_store.authorize(ws.code, secret)
    step = app_store.steps(ws.id)[0]

    def moved(change) -> set[str]:
        before = app_store.cockpit_state(ws.id)
        change()
        after = app_store.cockpit_state(ws.id)
        return {part for part in before if before[part] != after[part]}

    people = []
    assert moved(lambda: people.append(app_store.join(ws.code, name="Anna", org_type="mbo"))) == {"room", "tally"}
    anna = people[0]
    ids = []
    assert moved(lambda: ids.append(app_store.add_note(anna, step.id, section="ideeen", field="note",
                                                        text="Idee", idem_key=new_key()))) == {"added"}
    note = ids[0]
    assert moved(lambda: app_store.moderate(fac, note, hidden=True)) == {"tally"}
    assert moved(lambda: app_store.moderate(fac, note, hidden=False, text="Beter idee")) >= {"added", "tally"}
    cluster = app_store.add_cluster(fac, step.id, "A")
    assert moved(lambda: app_store.assign_cluster(fac, step.id, [note], cluster)) == {"tally"}
    assert moved(lambda: app_store.set_ready(anna, step.position)) == {"room"}
    assert moved(lambda: app_store.update_step(fac, step.id, locked=True)) == {"steering"}
    assert moved(lambda: app_store.go_to_step(fac, 1)) >= {"steering"}


def test_cockpit_keeps_the_moderation_beside_the_controls(app_store):
    ws, secret = make_room(app_store)
    phone = join_as(ws, name="Dewi")
    phone.text_area[0].input("Meer stageplekken")
    phone.button[0].click().run()
    at = open_page("facilitator", room=ws.code, key=secret)
    assert not at.exception
    # Two columns: the controls with the screen preview, and the moderation.
    assert len(at.columns) >= 2
    left, right = at.columns[0], at.columns[1]
    assert [b.key for b in left.button if b.key in ("step-next", "lock", "timer-start")] == \
        ["step-next", "lock", "timer-start"]
    left_html = "\n".join(el.proto.body for el in left.get("html"))
    assert t("fac.preview") in left_html and "Dewi" in left_html  # the preview, who is here
    assert [d.key for d in right.dataframe] == [f"notes-{app_store.steps(ws.id)[0].id}"]  # the notes
