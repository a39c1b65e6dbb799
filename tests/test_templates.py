"""The template library and the version a workshop keeps (issue 18), on SQLite and PostgreSQL.

Own werkvormen and programmes belong to whoever made them (a workshop's facilitator link or a
partnership's link); a workshop keeps its own copy of each werkvorm it runs with, so a later edit
never changes a past workshop's report; a database of schema 3 gets those copies on upgrade.
"""

from __future__ import annotations

import io
from datetime import date

import pypdf
import pytest
from sqlalchemy import select, text, update

import canvas_models
from canvas_models import spec as S
from exports import backup, pdf
from exports.snapshot import snapshot
from helpers import assert_dutch, count_rows
from workshop import db as D
from workshop.errors import NotAllowed, UserError
from workshop.store import Facilitator, Store, new_key, now


def own_praatplaat(title: str = "Onze eigen praatplaat", aspects: int = 6) -> canvas_models.Werkvorm:
    """The shipped praatplaat, copied and changed as the issue's facilitator does: six aspects."""
    data = S.dump(canvas_models.REGISTRY["praatplaat"])
    data.update(key="eigen_praatplaat", title=title)
    data["sections"] = [{"key": f"aspect_{i}", "title": f"Aspect {i + 1}", "question": f"Hoe staat het met {i + 1}?",
                         "prompts": [f"Eigen hulpvraag {i + 1}"]} for i in range(aspects)]
    return S.parse(data)


def test_a_facilitator_saves_lists_and_changes_an_own_werkvorm(workshop_factory, store):
    room = workshop_factory(("brainstorm",))
    saved = store.save_werkvorm(room.fac, own_praatplaat())
    assert (saved.kind, saved.key, saved.title, saved.version, saved.owner) == \
        ("werkvorm", "eigen_praatplaat", "Onze eigen praatplaat", 1, "facilitator")
    assert [t.id for t in store.templates(room.fac)] == [saved.id]
    again = store.save_werkvorm(room.fac, own_praatplaat("Praatplaat najaar"), template_id=saved.id)
    assert (again.id, again.version, again.werkvorm.title) == (saved.id, 2, "Praatplaat najaar")
    assert len(again.werkvorm.sections) == 6
    with pytest.raises(UserError) as err:  # a second template with the same key is refused, in Dutch
        store.save_werkvorm(room.fac, own_praatplaat())
    assert_dutch(err.value)
    assert count_rows(store, D.templates) == 1
    store.delete_template(room.fac, saved.id)
    assert store.templates(room.fac) == []


def test_templates_belong_to_their_owner_only(workshop_factory, store):
    mine, other = workshop_factory(("brainstorm",)), workshop_factory(("brainstorm",))
    partnership, secret = store.create_partnership("Regio Twente")
    access = store.open_partnership(partnership.id, secret)
    own = store.save_werkvorm(mine.fac, own_praatplaat())
    shared = store.save_werkvorm(access, own_praatplaat("Voor het partnerschap"))
    assert shared.owner == "partnership"
    assert [t.id for t in store.templates(mine.fac)] == [own.id]
    assert [t.id for t in store.templates(access)] == [shared.id]
    assert store.templates(other.fac) == []
    for owner, template_id in ((other.fac, own.id), (other.fac, shared.id), (access, own.id)):
        with pytest.raises(NotAllowed):
            store.template(owner, template_id)
        with pytest.raises(NotAllowed):
            store.save_werkvorm(owner, own_praatplaat("Overgenomen"), template_id=template_id)
        with pytest.raises(NotAllowed):
            store.delete_template(owner, template_id)
    forged = Facilitator(mine.ws.id)  # made without the secret
    with pytest.raises(NotAllowed):
        store.templates(forged)
    assert store.template(mine.fac, own.id).title == "Onze eigen praatplaat"
    for odd in (0, -1, 2**70, True, "1"):  # an id from an address can be anything: refused alike
        with pytest.raises(NotAllowed):
            store.template(mine.fac, odd)


def test_a_workshop_keeps_the_version_it_ran_with(workshop_factory, store):
    """Made from a template, run, and the template changed afterwards: the workshop's steps, its
    snapshot and its PDF still show the version it ran with."""
    author = workshop_factory(("brainstorm",))
    template = store.save_werkvorm(author.fac, own_praatplaat())
    ws, secret = store.create_workshop(title="Stuurgroep", partnership="Regio", day=date(2026, 10, 1),
                                       facilitator="", werkvormen=[template.werkvorm, "followup"], minutes=[25, None])
    steps = store.steps(ws.id)
    assert [s.werkvorm.title for s in steps] == ["Onze eigen praatplaat", canvas_models.REGISTRY["followup"].title]
    assert [s.timer_seconds for s in steps] == [25 * 60, canvas_models.REGISTRY["followup"].default_minutes * 60]
    who = store.join(ws.code, name="Anne", org_type="mbo")
    store.answer(who, steps[0].id, section="aspect_5", values={"score": 4, "goed": "Zesde aspect telt"},
                 idem_key=new_key())

    store.save_werkvorm(author.fac, own_praatplaat("Helemaal anders", aspects=2), template_id=template.id)
    step = store.steps(ws.id)[0]
    assert step.werkvorm.title == "Onze eigen praatplaat" and len(step.werkvorm.sections) == 6
    snap = snapshot(store, ws.id)
    assert snap["steps"][0]["title"] == "Onze eigen praatplaat"
    assert [s["title"] for s in snap["steps"][0]["sections"]][-1] == "Aspect 6"
    report = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.build_pdf(snap))).pages)
    assert "Onze eigen praatplaat" in report and "Aspect 6" in report and "Helemaal anders" not in report


def test_a_backup_carries_an_own_werkvorm_to_another_instance(workshop_factory, store, second_store):
    ws, secret = store.create_workshop(title="Eigen", partnership="Regio", day=date(2026, 10, 1), facilitator="",
                                       werkvormen=[own_praatplaat()])
    raw = backup.to_json(snapshot(store, ws.id))
    copy, _secret = backup.restore(second_store, raw)
    step = second_store.steps(copy.id)[0]
    assert step.werkvorm_key == "eigen_praatplaat" and len(step.werkvorm.sections) == 6


@pytest.mark.parametrize("change, reason", [
    pytest.param(lambda spec: spec.update(title="<b>x</b>" * 40), "titel", id="title-too-long"),
    pytest.param(lambda spec: spec.update(layout="bestaat_niet"), "vorm", id="unknown-layout"),
    pytest.param(lambda spec: spec["sections"].append(spec["sections"][0]), "sleutel", id="duplicate-section"),
    pytest.param(lambda spec: spec.update(key="ander"), "spec.key", id="key-does-not-match"),
])
def test_a_backup_with_a_broken_werkvorm_is_refused_whole(store, change, reason):
    ws, _ = store.create_workshop(title="Eigen", partnership="Regio", day=date(2026, 10, 1), facilitator="",
                                  werkvormen=[own_praatplaat()])
    snap = snapshot(store, ws.id)
    change(snap["steps"][0]["spec"])
    before = count_rows(store, D.workshops)
    with pytest.raises(UserError) as err:
        backup.restore(store, backup.to_json(snap))
    assert_dutch(err.value)
    assert reason in str(err.value)
    assert count_rows(store, D.workshops) == before


def test_text_in_a_backup_werkvorm_is_cleaned_like_typed_text(store, second_store):
    ws, _ = store.create_workshop(title="Eigen", partnership="Regio", day=date(2026, 10, 1), facilitator="",
                                  werkvormen=[own_praatplaat()])
    snap = snapshot(store, ws.id)
    snap["steps"][0]["spec"]["sections"][0]["title"] = "Re\u202eacht\x00 <script>x</script>"
    copy, _ = backup.restore(second_store, backup.to_json(snap))
    assert second_store.steps(copy.id)[0].werkvorm.sections[0].title == "Reacht <script>x</script>"


def test_programmes_are_saved_and_run_again(workshop_factory, store):
    room = workshop_factory(("brainstorm",))
    programme = S.Programme("Stuurgroep najaar", ((canvas_models.REGISTRY["brainstorm"], 15),
                                                  (own_praatplaat(), 30), (canvas_models.REGISTRY["followup"], 20)))
    saved = store.save_programme(room.fac, programme)
    assert (saved.kind, saved.title) == ("programme", "Stuurgroep najaar")
    assert saved.body["steps"][0] == {"werkvorm": "brainstorm", "minutes": 15}  # shipped: by key
    assert saved.body["steps"][1]["werkvorm"]["title"] == "Onze eigen praatplaat"  # own: whole
    with pytest.raises(UserError):
        store.save_programme(room.fac, programme)  # the same name twice
    again = store.template(room.fac, saved.id).programme
    ws, _ = store.create_workshop(title="Najaar", partnership="Regio", day=date(2026, 11, 1), facilitator="",
                                  werkvormen=[wv for wv, _ in again.steps], minutes=[m for _, m in again.steps])
    steps = store.steps(ws.id)
    assert [(s.werkvorm.title, s.timer_seconds // 60) for s in steps] == [
        (canvas_models.REGISTRY["brainstorm"].title, 15), ("Onze eigen praatplaat", 30),
        (canvas_models.REGISTRY["followup"].title, 20)]
    assert store.templates(room.fac, kind="werkvorm") == []


def test_a_programme_step_needs_a_sensible_timebox(store):
    with pytest.raises(UserError) as err:
        store.create_workshop(title="x", partnership="Regio", day=date(2026, 10, 1), facilitator="",
                              werkvormen=["brainstorm"], minutes=[0])
    assert_dutch(err.value)


def test_a_schema_3_database_gives_every_step_its_copy(empty_db_url):
    """A database made before copies were stored: on start every step gets the werkvorm it ran with
    (the shipped one of its key), and the library table appears."""
    database = D.Database(empty_db_url)
    store = Store(database)
    ws, secret = store.create_workshop(title="Oud", partnership="Regio", day=date(2026, 1, 1), facilitator="",
                                       werkvormen=["brainstorm", "grow"])
    with database.writing() as conn:
        conn.execute(D.templates.delete())
        conn.execute(text("DROP TABLE templates"))
        conn.execute(text("ALTER TABLE steps DROP COLUMN spec"))
        conn.execute(update(D.meta).where(D.meta.c.key == "schema_version").values(value="3"))
    database.dispose()
    database = D.Database(empty_db_url)
    try:
        store = Store(database)
        assert [S.spec_dict(s.spec) == S.dump(canvas_models.REGISTRY[s.werkvorm_key])
                for s in store.steps(ws.id)] == [True, True]
        with database.reading() as conn:
            assert conn.execute(select(D.meta.c.value)).scalars().all() == [str(D.SCHEMA_VERSION)]
        fac = store.authorize(ws.code, secret)  # the library works on the upgraded database
        store.save_werkvorm(fac, own_praatplaat())
        assert [t.title for t in store.templates(fac)] == ["Onze eigen praatplaat"]
    finally:
        database.dispose()


def test_backups_carry_the_template_libraries(workshop_factory, store, second_store):
    """A workshop's backup keeps its facilitator's templates, a partnership's backup the partnership's
    (and each of its workshops' own); restored elsewhere they belong to the new links."""
    from exports import partnership as partnership_backup

    access, secret = (lambda p: (store.open_partnership(p[0].id, p[1]), p[1]))(store.create_partnership("Regio"))
    ws, ws_secret = store.create_workshop(title="Eigen", partnership="", day=date(2026, 10, 1), facilitator="",
                                          werkvormen=["brainstorm"], member_of=access)
    fac = store.authorize(ws.code, ws_secret)
    store.save_werkvorm(fac, own_praatplaat())
    store.save_programme(fac, S.Programme("Stuurgroep najaar", ((own_praatplaat(), 30),)))
    store.save_werkvorm(access, own_praatplaat("Van het partnerschap"))

    copy, copy_secret = backup.restore(second_store, backup.to_json(snapshot(store, ws.id)))
    mine = second_store.authorize(copy.code, copy_secret)
    assert sorted(t.title for t in second_store.templates(mine)) == ["Onze eigen praatplaat", "Stuurgroep najaar"]
    assert second_store.templates(mine, kind="programme")[0].programme.steps[0][0].title == "Onze eigen praatplaat"

    raw = partnership_backup.to_json(partnership_backup.snapshot(store, access))
    restored, new_secret = partnership_backup.restore(second_store, raw)
    new_access = second_store.open_partnership(restored.id, new_secret)
    assert [t.title for t in second_store.templates(new_access)] == ["Van het partnerschap"]


@pytest.mark.parametrize("template", [
    pytest.param({"kind": "werkvorm", "body": {"key": "x"}}, id="incomplete"),
    pytest.param({"kind": "recept", "body": {}}, id="unknown-kind"),
    pytest.param({"kind": "programme", "body": {"kind": "programme", "title": "P", "steps": [{"werkvorm": "weg"}]}},
                 id="unknown-werkvorm-in-programme"),
])
def test_a_backup_with_a_broken_template_is_refused_whole(store, template):
    ws, _ = store.create_workshop(title="Eigen", partnership="Regio", day=date(2026, 10, 1), facilitator="",
                                  werkvormen=["brainstorm"])
    snap = snapshot(store, ws.id)
    snap["templates"] = [template]
    before = (count_rows(store, D.workshops), count_rows(store, D.templates))
    with pytest.raises(UserError) as err:
        backup.restore(store, backup.to_json(snap))
    assert_dutch(err.value)
    assert (count_rows(store, D.workshops), count_rows(store, D.templates)) == before


def test_practice_workshops_do_not_pile_up_and_templates_go_with_their_workshop(workshop_factory, store):
    """The editor's practice workshops (its live preview) older than PRACTICE_HOURS are deleted when
    the next one is made; real workshops stay. A deleted workshop takes its facilitator's templates."""
    from datetime import timedelta

    from workshop.store.admin import PRACTICE_HOURS

    real = workshop_factory(("brainstorm",))
    old, _ = store.create_workshop(title="Oefen", partnership="Editor", day=date(2026, 10, 1), facilitator="",
                                   werkvormen=[own_praatplaat()], max_participants=1, practice=True)
    with store.db.writing() as conn:
        conn.execute(update(D.workshops).where(D.workshops.c.id.in_([old.id, real.ws.id])).values(
            created_at=now() - timedelta(hours=PRACTICE_HOURS + 1)))
    fresh, _ = store.create_workshop(title="Oefen", partnership="Editor", day=date(2026, 10, 1), facilitator="",
                                     werkvormen=[own_praatplaat()], max_participants=1, practice=True)
    assert store.workshop_by_code(old.code) is None
    assert store.workshop_by_code(fresh.code) is not None and store.workshop_by_code(real.ws.code) is not None

    store.save_werkvorm(real.fac, own_praatplaat())
    assert count_rows(store, D.templates) == 1
    store.delete_workshop(real.fac)
    assert count_rows(store, D.templates) == 0
