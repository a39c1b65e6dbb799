"""The 'choices' layout below the pages: the werkvorm model, the store (both databases), the sums, and
the reports (PDF section, sheet, draft .docx, backup round trip, demo)."""

from __future__ import annotations

import io
import threading
from types import SimpleNamespace
import docx
import pydantic
import pypdf
import pytest

import canvas_models
from canvas_models import REGISTRY, WerkvormError, load_file
from exports import backup, demo
from exports.pdf import build_pdf
from exports.snapshot import snapshot
from exports.tables import tables, to_xlsx
from helpers import make_app_room
from helpers import assert_dutch, count_rows
from layouts.choices import logic, report
from layouts.choices.links import leading_links
from messages import t
from test_models import minimal, write
from workshop import NotAllowed, UserError, new_key
from workshop import db as D

CHOICES = ("aandacht", "profmenu", "reglement")


# ------------------------------------------------------------------ model
def choices_doc(**overrides) -> dict:
    doc = minimal(layout="choices", sections=[{"key": "menu", "title": "Menu", "options": [
        {"key": "a", "label": "A", "info": "Uitleg A"}, {"key": "b", "label": "B"}]}],
        fields=[{"key": "punten", "kind": "points", "label": "Punten"}], points=5, top_n=2)
    doc.update(overrides)
    return doc


def test_the_three_werkvormen_ship_on_the_choices_layout():
    for key in CHOICES:
        wv = REGISTRY[key]
        assert wv.layout == "choices"
        assert all(len(s.options) >= 2 for s in wv.sections)
    menu = REGISTRY["profmenu"]
    assert menu.choice_field.kind == "points" and menu.points == 5 and menu.top_n == 2
    assert len(menu.sections[0].options) == 7
    reglement = REGISTRY["reglement"]
    assert reglement.choice_field.kind == "choice" and reglement.draft_title
    assert "eigen bewerking" in reglement.draft_intro.lower() and "eigen bewerking" in reglement.summary.lower()
    groups = {s.group for s in reglement.sections}
    assert {"Samenwerking en rollen", "Besluitvorming", "Middelen", "Toetreden en uittreden"} <= groups
    keys = {s.key for s in reglement.sections}
    assert {"penvoerder", "verdeling", "besluiten", "verantwoording", "toetreden", "uittreden"} <= keys
    assert all(o.text for s in reglement.sections for o in s.options)  # every variant has its wording
    first = REGISTRY["aandacht"]
    assert first.feeds_links and first.choice_field.kind == "choice"
    assert [o.label for o in first.sections[0].options] == [s.title for s in REGISTRY["praatplaat"].sections]
    assert all(o.info for o in first.sections[0].options)  # the short definitions


def test_the_layout_says_what_it_stores():
    from layouts.choices import schema

    assert {f.kind for key in CHOICES for f in REGISTRY[key].fields} == set(schema.KINDS)
    assert set(schema.CONFIG) == {"points", "top_n", "settled", "screen_focus"}


def test_new_workshops_select_the_core_five_by_default():
    assert canvas_models.DEFAULT_SELECTION == ("brainstorm", "praatplaat", "followup", "canvas", "grow")
    assert set(CHOICES) <= set(REGISTRY)


def test_a_valid_choices_file_loads(tmp_path):
    model = load_file(write(tmp_path, choices_doc()))
    assert model.sections[0].option("b").label == "B"
    assert model.choice_field.key == "punten"


@pytest.mark.parametrize("change,where", [
    (lambda d: d["sections"][0].update(options=[{"key": "a", "label": "A"}]), "sections.0.options"),
    (lambda d: d["sections"][0].update(options=[{"key": "a", "label": "A"}, {"key": "a", "label": "B"}]),
     "sections.0.options"),
    (lambda d: d["sections"][0]["options"][0].update(label=""), "sections.0.options.0.label"),
    (lambda d: d["sections"][0]["options"][0].update(key="Met Spatie"), "sections.0.options.0.key"),
    (lambda d: d["sections"][0]["options"][0].update(info="x" * 401), "sections.0.options.0.info"),
    (lambda d: d["sections"][0].update(options=[{"key": f"o{i}", "label": "X"} for i in range(13)]),
     "sections.0.options"),
    (lambda d: d.update(fields=[{"key": "note", "kind": "note", "label": "Briefje"}]), "fields.0.kind"),
    (lambda d: d.update(fields=[{"key": "a", "kind": "choice", "label": "A"},
                                {"key": "b", "kind": "points", "label": "B"}]), "fields"),
    (lambda d: d.update(points=0), "points"),
    (lambda d: d.update(points=51), "points"),
    (lambda d: d.update(top_n=13), "top_n"),
    (lambda d: d.update(consensus=0), "consensus"),
    (lambda d: d.update(consensus=101), "consensus"),
    (lambda d: d.update(draft_title="x" * 121), "draft_title"),
], ids=["one-option", "duplicate-options", "empty-label", "bad-option-key", "long-info", "too-many-options",
        "no-choice-field", "two-choice-fields", "no-points", "too-many-points", "top-n", "consensus-0",
        "consensus-101", "long-draft-title"])
def test_a_broken_choices_file_fails_clearly(tmp_path, change, where):
    doc = choices_doc()
    change(doc)
    with pytest.raises(WerkvormError) as err:
        load_file(write(tmp_path, doc))
    assert f"field '{where}'" in str(err.value)


def test_models_with_options_are_frozen():
    option = REGISTRY["profmenu"].sections[0].options[0]
    with pytest.raises(pydantic.ValidationError):
        option.label = "Anders"  # type: ignore[misc]


# ------------------------------------------------------------------ store
@pytest.fixture
def menu(workshop_factory):
    room = workshop_factory(CHOICES, participants=3)
    return room


def _step(room, key):
    return next(s for s in room.store.steps(room.ws.id) if s.werkvorm_key == key)


def _results(room, key):
    step = _step(room, key)
    rows = room.store.contributions(step.id, include_hidden=True, kinds=logic.KINDS)
    return logic.results(step.werkvorm, rows, step.config)


def test_a_choice_is_stored_and_the_newest_counts(menu):
    store, (anna, bram, cem) = menu.store, menu.participants
    step = _step(menu, "reglement")
    store.choose(anna, step.id, section="penvoerder", option="mbo", idem_key="k1")
    store.choose(anna, step.id, section="penvoerder", option="mbo", idem_key="k1")  # a double tap: one row
    assert count_rows(store, D.contributions, step_id=step.id) == 1
    store.choose(anna, step.id, section="penvoerder", option="extern", idem_key="k2")  # changed her mind
    store.choose(bram, step.id, section="penvoerder", option="extern", idem_key="k3")
    store.choose(cem, step.id, section="penvoerder", option="mbo", idem_key="k4")
    result = next(r for r in _results(menu, "reglement") if r.key == "penvoerder")
    assert [(o.key, o.count) for o in result.options[:2]] == [("extern", 2), ("mbo", 1)]
    assert result.respondents == 3 and result.top.key == "extern"
    assert round(result.top.share * 100) == 67 and result.status == logic.AGREED  # 67% >= 60%
    verdeling = next(r for r in _results(menu, "reglement") if r.key == "verdeling")
    assert verdeling.status == logic.OPEN and verdeling.total == 0


def test_a_choice_must_be_one_of_the_options_and_the_step_open(menu):
    store, anna = menu.store, menu.participants[0]
    step = _step(menu, "reglement")
    for section, option in (("penvoerder", "bestaat_niet"), ("bestaat_niet", "mbo")):
        with pytest.raises(UserError) as err:
            store.choose(anna, step.id, section=section, option=option, idem_key=new_key())
        assert_dutch(err.value)
    with pytest.raises(ValueError):  # the menu takes points, not a choice
        store.choose(anna, _step(menu, "profmenu").id, section="menu", option="beurs", idem_key=new_key())
    store.update_step(menu.fac, step.id, locked=True)
    with pytest.raises(UserError, match=t("error.locked")):
        store.choose(anna, step.id, section="penvoerder", option="mbo", idem_key=new_key())
    assert count_rows(store, D.contributions, step_id=step.id) == 0


def test_points_are_spread_within_the_budget(menu):
    store, (anna, bram, _cem) = menu.store, menu.participants
    step = _step(menu, "profmenu")
    store.allocate(anna, step.id, section="menu", points={"beurs": 3, "docentstage": 2}, idem_key="a1")
    assert count_rows(store, D.contributions, step_id=step.id) == 7  # one row per option
    store.allocate(anna, step.id, section="menu", points={"beurs": 3, "docentstage": 2}, idem_key="a1")
    assert count_rows(store, D.contributions, step_id=step.id) == 7  # a double tap: the spread once
    with pytest.raises(UserError) as err:
        store.allocate(bram, step.id, section="menu", points={"beurs": 4, "netwerk": 2}, idem_key="b1")
    assert str(err.value) == t("error.choices.over", total=6, budget=5, over=1)
    for bad in ({"beurs": -1}, {"beurs": 1.5}, {"beurs": "2"}, {"beurs": True}):
        with pytest.raises(UserError):
            store.allocate(bram, step.id, section="menu", points=bad, idem_key=new_key())
    with pytest.raises(UserError):
        store.allocate(bram, step.id, section="menu", points={"zeilen": 1}, idem_key=new_key())
    store.allocate(bram, step.id, section="menu", points={"netwerk": 5}, idem_key="b2")
    store.allocate(anna, step.id, section="menu", points={"beurs": 1, "netwerk": 1}, idem_key="a2")  # again
    (result,) = _results(menu, "profmenu")
    counts = {o.key: o.count for o in result.options}
    assert counts["netwerk"] == 6 and counts["beurs"] == 1 and counts["docentstage"] == 0
    assert result.total == 7 and result.respondents == 2
    assert [o.key for o in logic.top_options(result, 2)] == ["netwerk", "beurs"]


def test_a_lower_budget_leaves_a_spread_out_until_it_is_spread_again(menu):
    store, (anna, bram, _cem) = menu.store, menu.participants
    step = _step(menu, "profmenu")
    store.allocate(anna, step.id, section="menu", points={"beurs": 5}, idem_key=new_key())
    store.allocate(bram, step.id, section="menu", points={"netwerk": 2}, idem_key=new_key())
    store.set_choice_settings(menu.fac, step.id, points=3)
    (result,) = _results(menu, "profmenu")
    assert result.over_budget == 1 and result.total == 2 and result.option("beurs").count == 0
    with pytest.raises(UserError):
        store.allocate(anna, step.id, section="menu", points={"beurs": 4}, idem_key=new_key())
    store.allocate(anna, step.id, section="menu", points={"beurs": 3}, idem_key=new_key())
    (result,) = _results(menu, "profmenu")
    assert result.over_budget == 0 and result.option("beurs").count == 3


def test_settings_and_settling_need_the_facilitator_and_valid_values(menu, workshop_factory):
    store = menu.store
    step = _step(menu, "reglement")
    config = store.settle_choice(menu.fac, step.id, section="penvoerder", option="wisselend")
    assert config["settled"] == {"penvoerder": "wisselend"}
    store.settle_choice(menu.fac, step.id, section="besluiten", option="consensus")
    store.settle_choice(menu.fac, step.id, section="penvoerder", option=None)  # open again
    assert store.step(step.id).config["settled"] == {"besluiten": "consensus"}
    result = next(r for r in _results(menu, "reglement") if r.key == "besluiten")
    assert result.status == logic.SETTLED and result.outcome.key == "consensus"
    with pytest.raises(UserError):
        store.settle_choice(menu.fac, step.id, section="besluiten", option="loting")
    with pytest.raises(UserError):
        store.settle_choice(menu.fac, step.id, section="geen", option="consensus")
    menu_step = _step(menu, "profmenu")
    for bad in ({"points": 0}, {"points": 51}, {"top_n": 8}, {"top_n": -1}):
        with pytest.raises(UserError) as err:
            store.set_choice_settings(menu.fac, menu_step.id, **bad)
        assert_dutch(err.value)
    store.set_choice_settings(menu.fac, menu_step.id, points=8, top_n=3)
    assert {k: store.step(menu_step.id).config[k] for k in ("points", "top_n")} == {"points": 8, "top_n": 3}
    other = workshop_factory(("reglement",))
    with pytest.raises(NotAllowed):
        store.settle_choice(other.fac, step.id, section="besluiten", option="consensus")
    with pytest.raises(NotAllowed):
        store.set_choice_settings(other.fac, menu_step.id, points=4)


def test_two_devices_cannot_spend_more_than_the_budget_together(menu):
    """Two spreads sent at the same moment: each within the budget, and only whole spreads count."""
    store, anna = menu.store, menu.participants[0]
    step = _step(menu, "profmenu")
    errors: list[Exception] = []

    def send(points):
        try:
            store.allocate(anna, step.id, section="menu", points=points, idem_key=new_key())
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=send, args=({"beurs": 5},)),
               threading.Thread(target=send, args=({"netwerk": 3, "bedrijfsbezoek": 2},))]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors
    (result,) = _results(menu, "profmenu")
    assert result.total == 5  # one whole spread counts, never a mix of both
    assert {o.key for o in result.options if o.count} in ({"beurs"}, {"netwerk", "bedrijfsbezoek"})


def test_the_first_condition_leads_the_follow_up_links(app_store):
    room = make_app_room(app_store, ("praatplaat", "aandacht", "followup"))
    people = [room.join_as(n, "mbo") for n in ("Anna", "Bram", "Cem")]
    step = room.step("aandacht")
    for who, option in zip(people, ("proces", "proces", "relatie")):
        app_store.choose(who, step.id, section="eerst", option=option, idem_key=new_key())
    assert leading_links(app_store, room.ws.id) == ["Proces", "Relatie"]
    from layouts.actions import views as followup
    import streamlit  # noqa: F401 - the follow-up views import it; no page is drawn here

    assert followup.link_options(room.ws)[:2] == ["Proces", "Relatie"]
    assert set(followup.link_options(room.ws)) >= {"Ambitie", "Belangen", "Organisatie"}


# ------------------------------------------------------------------ reports
@pytest.fixture(scope="module")
def demo_snap() -> dict:
    return backup.read_snapshot(backup.to_json(demo.plan(14, seed=3)))


def _step_of(snap, key):
    return next(s for s in snap["steps"] if s["werkvorm"] == key)


def test_the_demo_fills_every_choices_step(demo_snap):
    for key in CHOICES:
        step = _step_of(demo_snap, key)
        results = report.step_results(demo_snap, step)
        assert all(r.total for r in results), key
    assert _step_of(demo_snap, "reglement")["config"]["settled"]  # some clauses settled
    starts = [a for a in demo_snap["actions"] if a["source"] == "profmenu"]
    assert len(starts) == 2 and all(a["owner"] and a["partner"] and a["due"] for a in starts)
    assert all(t("choices.action_what", activity="", target="").split("(")[1][:9] in a["what"] for a in starts)


def test_pdf_has_a_section_for_each_choices_step(demo_snap):
    text = "\n".join(p.extract_text() or "" for p in pypdf.PdfReader(io.BytesIO(build_pdf(demo_snap))).pages)
    text = " ".join(text.split())
    for key in CHOICES:
        assert REGISTRY[key].title in text
    menu = report.step_results(demo_snap, _step_of(demo_snap, "profmenu"))[0]
    assert t("choices.pdf.start") in text
    for option in logic.top_options(menu, 2):
        assert f"{option.rank}. {option.label} ({option.count})" in text
    reglement = report.step_results(demo_snap, _step_of(demo_snap, "reglement"))
    assert t("choices.pdf.open_points") in text
    for result in reglement:
        assert result.title in text
        if result.status == logic.OPEN:
            assert t("choices.draft.open_line", title=result.title, votes="").rstrip(" ()") in text


def test_the_draft_reglement_opens_in_word_with_settled_and_open_clauses(demo_snap):
    step = _step_of(demo_snap, "reglement")
    results = report.step_results(demo_snap, step)
    document = docx.Document(io.BytesIO(report.draft_docx(demo_snap, step)))
    paragraphs = [p.text for p in document.paragraphs]
    text = "\n".join(paragraphs)
    assert paragraphs[0] == REGISTRY["reglement"].draft_title
    assert "eigen bewerking" in text
    settled = [r for r in results if r.status == logic.SETTLED]
    open_ = [r for r in results if r.status == logic.OPEN]
    assert settled and open_
    for result in settled:
        assert result.outcome.text in text
    assert t("choices.draft.open") in paragraphs
    for result in open_:
        assert any(p.startswith(t("choices.draft.open_line", title=result.title, votes="")[:-2]) for p in paragraphs)
    assert report.draft_file_name("K7MQ4X", REGISTRY["reglement"]).endswith(".docx")


def test_the_sheets_list_every_counted_choice(demo_snap):
    sheets = tables(demo_snap)
    menu_sheet = next(f for name, f in sheets.items() if REGISTRY["profmenu"].title[:20] in name)
    assert t("choices.sheet.points") in menu_sheet.columns
    menu = report.step_results(demo_snap, _step_of(demo_snap, "profmenu"))[0]
    counted = menu_sheet[menu_sheet[t("choices.sheet.counts")] == t("table.yes")]
    assert counted[t("choices.sheet.points")].sum() == menu.total
    reglement_sheet = next(f for name, f in sheets.items() if "reglement" in name.lower())
    results = report.step_results(demo_snap, _step_of(demo_snap, "reglement"))
    assert len(reglement_sheet) == sum(r.respondents for r in results)
    assert set(reglement_sheet[t("choices.sheet.section")]) == {r.title for r in results if r.total}
    assert to_xlsx(demo_snap)[:2] == b"PK"


def test_backup_round_trip_keeps_choices_and_settings(store):
    room_ws, _ = demo.generate(store, 6, seed=4)  # through the Store API: choose, allocate, settle
    first = snapshot(store, room_ws.id)
    copy, _ = backup.restore(store, backup.to_json(first))
    second = snapshot(store, copy.id)
    for key in CHOICES:
        a, b = _step_of(first, key), _step_of(second, key)
        assert a["config"] == b["config"]
        assert [(r.key, r.status, [(o.key, o.count) for o in r.options]) for r in report.step_results(first, a)] == \
               [(r.key, r.status, [(o.key, o.count) for o in r.options]) for r in report.step_results(second, b)]
    assert _step_of(second, "reglement")["config"]["settled"]


@pytest.mark.parametrize("change", [
    lambda c: c.update(text="bestaat_niet"),
    lambda c: c.update(section="bestaat_niet"),
    lambda c: c.update(score=3),  # a choice has no score
], ids=["unknown-option", "unknown-section", "score-on-a-choice"])
def test_backup_refuses_choices_no_phone_could_send(change):
    plan = demo.plan(4, seed=2)
    step = _step_of(plan, "reglement")
    row = next(c for c in plan["contributions"] if c["step_id"] == step["id"])
    change(row)
    with pytest.raises(UserError) as err:
        backup.load(plan)
    assert_dutch(err.value)


def test_odd_settings_count_for_nothing():
    """Settings that no facilitator could make (from a hand-made backup) neither break nor count."""
    wv = REGISTRY["reglement"]
    config = {"settled": {"penvoerder": ["mbo"], "besluiten": {"x": 1}, "verdeling": "loting",
                          "toetreden": "allen"}, "points": True}
    results = {r.key: r for r in logic.results(wv, [], config)}
    assert results["toetreden"].status == logic.SETTLED
    assert all(results[k].status == logic.OPEN for k in ("penvoerder", "besluiten", "verdeling"))
    assert logic.top_n(REGISTRY["profmenu"], {"top_n": True}) == 2
    assert logic.results(REGISTRY["profmenu"], [], {"points": "9"})[0].total == 0


def test_backup_keeps_only_valid_choice_settings():
    plan = demo.plan(4, seed=2)
    step = _step_of(plan, "reglement")
    step["config"] = {"settled": {"penvoerder": "mbo", "besluiten": "loting", "geen": "x"}, "points": 999,
                      "top_n": "2", "onbekend": 1}
    loaded = backup.load(plan)
    config = next(s for s in loaded["steps"] if s["werkvorm"] == "reglement")["config"]
    assert config == {"settled": {"penvoerder": "mbo"}}
    menu = _step_of(plan, "profmenu")
    points = next(c for c in plan["contributions"] if c["step_id"] == menu["id"])
    points["score"] = 51
    with pytest.raises(UserError):
        backup.load(plan)


def test_hostile_strings_are_no_option(menu):
    """Whatever a tampered phone sends as a section or option, nothing but a listed option is stored."""
    from hostile import HOSTILE

    store, anna = menu.store, menu.participants[0]
    reglement, profmenu = _step(menu, "reglement"), _step(menu, "profmenu")
    for value in HOSTILE.values():
        for section, option in (("penvoerder", value), (value, "mbo")):
            with pytest.raises(UserError) as err:
                store.choose(anna, reglement.id, section=section, option=option, idem_key=new_key())
            assert_dutch(err.value)
        with pytest.raises(UserError):
            store.allocate(anna, profmenu.id, section="menu", points={value: 1}, idem_key=new_key())
        with pytest.raises(UserError):
            store.settle_choice(menu.fac, reglement.id, section="penvoerder", option=value)
    assert count_rows(store, D.contributions, step_id=reglement.id) == 0
    assert count_rows(store, D.contributions, step_id=profmenu.id) == 0


def test_an_anonymous_workshop_sheet_names_nobody():
    snap = backup.read_snapshot(backup.to_json(demo.plan(6, seed=8, anonymous=True)))
    for key in CHOICES:
        step = _step_of(snap, key)
        ctx = SimpleNamespace(snap=snap, number={p["id"]: i for i, p in enumerate(snap["participants"], 1)},
                              anonymous=True)
        frame = report.sheet(ctx, step)
        assert len(frame) and t("table.col.name") not in frame.columns
        assert t("table.col.participant") not in frame.columns
        assert list(frame[t("choices.sheet.section")]) == sorted(frame[t("choices.sheet.section")],
                                                                 key=[s.title for s in REGISTRY[key].sections].index)
