"""Aggregation (workshop/aggregate.py) and the chart builders (ui/charts.py).

Most tests feed hand-made rows shaped like the Store's output; expected numbers
are worked out by hand in the comments or with the ``statistics`` module as an
independent oracle. The last tests run the same functions over real Store rows
on SQLite and PostgreSQL, so the row shapes cannot drift apart.
"""

from __future__ import annotations

import itertools
import math
import statistics

import plotly.graph_objects as go
import pytest

import canvas_models
from messages import ORG_SHORT, ORG_TYPES, t
from ui import charts
from workshop import aggregate as A
from workshop.store import new_key

PRAAT = canvas_models.get("praatplaat")
GROW = canvas_models.get("grow")
ASPECTS = [s.key for s in PRAAT.sections]  # ambitie, belangen, relatie, organisatie, proces

_ids = itertools.count(1)


def score(pid, org, section, value, **extra):
    return {"id": next(_ids), "participant_id": pid, "section": section, "field": "score", "kind": "score",
            "text": "", "score": value, "org_type": org, "name": f"Naam {pid}", "hidden": False, **extra}


def remark(pid, org, section, field, text, **extra):
    return {"id": next(_ids), "participant_id": pid, "section": section, "field": field, "kind": "text",
            "text": text, "score": None, "org_type": org, "name": f"Naam {pid}", "hidden": False, **extra}


def note(section, tags=(), **extra):
    row = {"id": next(_ids), "participant_id": 1, "section": section, "field": "note", "kind": "tagged_note",
           "text": "briefje", "score": None, "tags": list(tags), "cluster_id": None, "merged_into": None,
           "hidden": False, "name": "X", "org_type": "po"}
    row.update(extra)
    return row


def by_key(table):
    return {a.key: a for a in table}


def floats_in(obj):
    """Every float inside a (nested) dataclass result."""
    if isinstance(obj, float):
        yield obj
    elif isinstance(obj, (list, tuple)):
        for x in obj:
            yield from floats_in(x)
    elif hasattr(obj, "__dataclass_fields__"):
        for name in obj.__dataclass_fields__:
            yield from floats_in(getattr(obj, name))


# ============================================================== praatplaat
def test_score_table_means_spread_and_org_groups():
    rows = [
        score(1, "po", "ambitie", 4), score(2, "po", "ambitie", 5), score(3, "mbo", "ambitie", 2),
        score(4, "bedrijfsleven", "ambitie", 3), score(5, "mbo", "ambitie", None),
        score(1, "po", "relatie", 1),
    ]
    table = A.score_table(rows, PRAAT.sections)
    assert [a.key for a in table] == ASPECTS
    assert [a.title for a in table] == [s.title for s in PRAAT.sections]
    amb = by_key(table)["ambitie"]
    values = [4, 5, 2, 3]
    assert amb.n == 4 and amb.unknown == 1
    assert amb.mean == pytest.approx(statistics.mean(values))       # 3.5
    assert amb.std == pytest.approx(statistics.pstdev(values))      # population std
    assert (amb.min, amb.max) == (2, 5)
    # org types in the catalogue's order, "weet ik niet" counted in its own org
    assert [g.org_type for g in amb.by_org] == ["po", "mbo", "bedrijfsleven"]
    assert amb.org("po").mean == pytest.approx(4.5) and amb.org("po").n == 2
    assert amb.org("mbo").mean == pytest.approx(2.0) and amb.org("mbo").unknown == 1
    assert amb.org("bedrijfsleven").mean == pytest.approx(3.0)
    assert amb.org("gemeente") is None
    # an aspect nobody answered is still listed, with no numbers
    bel = by_key(table)["belangen"]
    assert (bel.n, bel.unknown, bel.mean, bel.std, bel.min, bel.max, bel.by_org) == (0, 0, None, None, None, None, ())


def test_std_is_the_population_std():
    table = A.score_table([score(1, "po", "proces", 1), score(2, "po", "proces", 5)], ["proces"])
    assert table[0].std == pytest.approx(2.0)  # sample std would be 2.83


def test_single_answer_has_zero_spread():
    table = A.score_table([score(1, "vmbo", "relatie", 4)], PRAAT.sections)
    rel = by_key(table)["relatie"]
    assert (rel.n, rel.mean, rel.std, rel.min, rel.max) == (1, 4.0, 0.0, 4, 4)
    div = {d.key: d for d in A.divergence(table)}
    assert div["relatie"].spread == 0.0 and div["relatie"].std == 0.0 and div["relatie"].score == 0.0
    assert not any(d.marked for d in div.values())
    assert not any(math.isnan(x) for x in [*floats_in(table), *floats_in(list(div.values()))])


def test_all_weet_ik_niet():
    rows = [score(p, org, "ambitie", None) for p, org in ((1, "po"), (2, "mbo"), (3, "gemeente"))]
    table = A.score_table(rows, PRAAT.sections)
    amb = by_key(table)["ambitie"]
    assert (amb.n, amb.unknown, amb.mean, amb.std, amb.min, amb.max) == (0, 3, None, None, None, None)
    assert [(g.org_type, g.n, g.unknown, g.mean) for g in amb.by_org] == [
        ("po", 0, 1, None), ("mbo", 0, 1, None), ("gemeente", 0, 1, None)]
    div = A.divergence(table)
    assert [d.key for d in div] == ASPECTS  # all zero: aspect order kept
    assert all(d.score == 0.0 and d.spread == 0.0 and not d.marked for d in div)
    assert not any(math.isnan(x) for x in floats_in(div))


def test_empty_answers():
    table = A.score_table([], PRAAT.sections)
    assert [(a.key, a.n, a.mean) for a in table] == [(k, 0, None) for k in ASPECTS]
    div = A.divergence(table)
    assert [(d.key, d.score, d.marked, d.lowest_org) for d in div] == [(k, 0.0, False, None) for k in ASPECTS]
    assert A.score_table([], []) == [] and A.divergence([]) == []


def test_hidden_text_and_unknown_section_rows_are_ignored():
    rows = [
        score(1, "po", "proces", 5, hidden=True),
        score(2, "po", "proces", 2),
        score(3, "po", "verwijderd_aspect", 1),
        remark(4, "po", "proces", "goed", "fijn"),
        score(5, None, "proces", 4),  # no org type: counted as 'overig'
    ]
    proces = A.score_table(rows, PRAAT.sections)[-1]
    assert proces.n == 2 and proces.mean == pytest.approx(3.0)
    assert [g.org_type for g in proces.by_org] == ["po", "overig"]


def test_divergence_ranking_combines_org_spread_and_overall_std():
    rows = [
        # ambitie: po 5,5 vs mbo 1,1 -> spread 4, pstdev 2 -> score (4 + 2*2)/2 = 4
        score(1, "po", "ambitie", 5), score(2, "po", "ambitie", 5),
        score(3, "mbo", "ambitie", 1), score(4, "mbo", "ambitie", 1),
        # belangen: po 1,5 vs mbo 3,3 -> org means equal, spread 0; pstdev sqrt(2) -> score sqrt(2)
        score(1, "po", "belangen", 1), score(2, "po", "belangen", 5),
        score(3, "mbo", "belangen", 3), score(4, "mbo", "belangen", 3),
        # relatie: everyone 3 -> 0
        score(1, "po", "relatie", 3), score(3, "mbo", "relatie", 3),
        # organisatie: po 4 vs mbo 3 -> spread 1, pstdev 0.5 -> score (1 + 1)/2 = 1
        score(1, "po", "organisatie", 4), score(3, "mbo", "organisatie", 3),
        # proces: only po, 2 and 4 -> spread 0 (one org), pstdev 1 -> score 1, ties organisatie
        score(1, "po", "proces", 2), score(2, "po", "proces", 4),
    ]
    table = A.score_table(rows, PRAAT.sections)
    div = A.divergence(table)
    assert [d.key for d in div] == ["ambitie", "belangen", "organisatie", "proces", "relatie"]
    got = {d.key: d for d in div}
    assert got["ambitie"].spread == pytest.approx(4.0) and got["ambitie"].score == pytest.approx(4.0)
    assert (got["ambitie"].lowest_org, got["ambitie"].highest_org) == ("mbo", "po")
    assert got["belangen"].spread == pytest.approx(0.0) and got["belangen"].score == pytest.approx(math.sqrt(2))
    assert got["belangen"].lowest_org is None
    assert got["organisatie"].score == pytest.approx(1.0) and got["proces"].score == pytest.approx(1.0)
    assert got["relatie"].score == 0.0
    # default: score >= 1.0 and among the first two
    assert [d.key for d in div if d.marked] == ["ambitie", "belangen"]
    assert [d.key for d in A.divergence(table, top=None) if d.marked] == \
        ["ambitie", "belangen", "organisatie", "proces"]
    assert [d.key for d in A.divergence(table, threshold=2.0, top=None) if d.marked] == ["ambitie"]


def test_divergence_ties_keep_aspect_order():
    same = lambda sec: [score(1, "po", sec, 2), score(2, "hbo", sec, 4)]  # noqa: E731
    rows = same("relatie") + same("ambitie") + same("proces")
    forward = A.divergence(A.score_table(rows, ASPECTS))
    assert [d.key for d in forward[:3]] == ["ambitie", "relatie", "proces"]
    backward = A.divergence(A.score_table(rows, list(reversed(ASPECTS))))
    assert [d.key for d in backward[:3]] == ["proces", "relatie", "ambitie"]


def test_divergence_min_group_ignores_small_groups():
    rows = [score(1, "po", "ambitie", 5), score(2, "po", "ambitie", 5), score(3, "gemeente", "ambitie", 1)]
    table = A.score_table(rows, ["ambitie"])
    assert A.divergence(table)[0].spread == pytest.approx(4.0)
    assert A.divergence(table, min_group=2)[0].spread == 0.0  # gemeente has one score only


def test_remarks_grouped_per_aspect_with_names():
    rows = [
        remark(1, "po", "relatie", "goed", "We kennen elkaar goed"),
        remark(2, "mbo", "relatie", "beter", "Meer overleg"),
        remark(3, "vmbo", "relatie", "goed", "   "),  # empty: skipped
        remark(4, "hbo", "relatie", "goed", "Open sfeer", hidden=True),
        remark(5, "gemeente", "ambitie", "beter", "Doel scherper"),
        score(1, "po", "relatie", 4),
    ]
    out = A.remarks_by_aspect(rows, False, PRAAT.sections)
    assert [a.key for a in out] == ASPECTS
    rel = {a.key: a for a in out}["relatie"]
    assert [(r.text, r.name, r.org_type) for r in rel.by_field["goed"]] == [("We kennen elkaar goed", "Naam 1", "po")]
    assert [(r.text, r.name) for r in rel.by_field["beter"]] == [("Meer overleg", "Naam 2")]
    assert rel.count == 2
    assert {a.key: a for a in out}["proces"].count == 0
    # without sections: only aspects with remarks, in order of appearance
    assert [a.key for a in A.remarks_by_aspect(rows, False)] == ["relatie", "ambitie"]


def test_remarks_anonymous_hide_names_and_submission_order():
    rows = [remark(1, "po", "proces", "goed", "Zeker"), remark(2, "mbo", "proces", "goed", "agenda klopt"),
            remark(3, "po", "proces", "goed", "Betrokken")]
    out = A.remarks_by_aspect(rows, True, ["proces"])[0]
    assert [r.text for r in out.by_field["goed"]] == ["agenda klopt", "Betrokken", "Zeker"]
    assert all(r.name is None for r in out.by_field["goed"])
    assert "Naam" not in repr(out)
    named = A.remarks_by_aspect(rows, False, ["proces"])[0]
    assert [r.text for r in named.by_field["goed"]] == ["Zeker", "agenda klopt", "Betrokken"]


# ==================================================================== GROW
def test_function_stage_matrix_counts_tags_and_gaps():
    rows = [
        note("goal", ["werven", "opleiden"]), note("goal", ["werven"]), note("goal"),
        note("reality_so", ["matchen"]), note("reality_so", ["onbekend"]),   # unknown tag: untagged
        note("options_so", ["begeleiden"], hidden=True),                    # hidden: not counted
        note("options_so", ["begeleiden"], merged_into=1),                  # merged away: not counted
        note("not_a_stage", ["werven"]),
        score(1, "po", "goal", 3),                                          # not a note
    ]
    m = A.function_stage_matrix(rows, GROW.sections, GROW.tags)
    assert m.functions == GROW.tags == ("werven", "matchen", "opleiden", "begeleiden", "professionaliseren")
    assert m.stages == tuple(s.key for s in GROW.sections)
    assert m.count("werven", "goal") == 2 and m.count("opleiden", "goal") == 1
    assert m.count("matchen", "reality_so") == 1 and m.count("begeleiden", "options_so") == 0
    assert m.untagged == (1, 1, 0, 0, 0, 0)
    assert m.totals == (3, 2, 0, 0, 0, 0)
    assert sum(map(sum, m.counts)) == 4
    filled = {("werven", "goal"), ("opleiden", "goal"), ("matchen", "reality_so")}
    assert set(m.gaps) == {(f, s) for f in m.functions for s in m.stages} - filled
    assert len(m.gaps) == 5 * 6 - 3
    assert m.gaps[0] == ("werven", "reality_so")  # row by row


def test_function_stage_matrix_by_group_and_empty():
    rows = [note("reality_so", ["werven"]), note("reality_or", ["werven", "matchen"]), note("way_forward")]
    m = A.function_stage_matrix(rows, GROW.sections, GROW.tags, by_group=True)
    assert m.stages == ("Goal", "Reality", "Options", "Way forward")
    assert m.count("werven", "Reality") == 2 and m.count("matchen", "Reality") == 1
    assert m.untagged == (0, 0, 0, 1)
    empty = A.function_stage_matrix([], GROW.sections, ["werven", "matchen"])
    assert empty.counts == ((0,) * 6, (0,) * 6) and len(empty.gaps) == 12


# =================================================================== votes
def test_ranking_by_votes_then_id_with_shared_ranks():
    items = [{"id": i, "text": f"idee {i}"} for i in (4, 2, 7, 9, 3)] + [{"id": 8, "text": "weg", "hidden": True}]
    ranked = A.ranking(items, {7: 5, 2: 3, 9: 3, 99: 10, 8: 6})
    assert [(r.item["id"], r.votes, r.rank) for r in ranked] == [(7, 5, 1), (2, 3, 2), (9, 3, 2), (3, 0, 4), (4, 0, 4)]
    assert A.ranking([], {1: 3}) == []


# ================================================================ clusters
def test_group_by_cluster_order_votes_and_unclustered():
    clusters = [{"id": 10, "name": "Stages"}, {"id": 11, "name": "Werving"}, {"id": 12, "name": "Leeg"}]
    notes = [note("ideeen", id=5, cluster_id=11), note("ideeen", id=1, cluster_id=10),
             note("ideeen", id=3, cluster_id=11), note("ideeen", id=2), note("ideeen", id=4, cluster_id=99),
             note("ideeen", id=6, cluster_id=10, hidden=True)]
    groups = A.group_by_cluster(notes, clusters, cluster_votes={11: 4, 10: 1}, note_votes={3: 2, 2: 7})
    assert [(g.name, [n["id"] for n in g.notes], g.cluster_votes, g.note_votes, g.votes) for g in groups] == [
        ("Stages", [1], 1, 0, 1), ("Werving", [3, 5], 4, 2, 6), ("Leeg", [], 0, 0, 0), (None, [2, 4], 0, 7, 7)]
    cluster, members = groups[1]  # unpacks as (cluster, notes)
    assert cluster["id"] == 11 and [n["id"] for n in members] == [3, 5]
    by_votes = A.group_by_cluster(notes, clusters, cluster_votes={11: 4, 10: 1, 12: 1}, by_votes=True)
    assert [g.name for g in by_votes] == ["Werving", "Stages", "Leeg", None]
    # every note clustered: no 'ongeclusterd' group
    only = A.group_by_cluster([note("ideeen", id=1, cluster_id=10)], clusters[:1])
    assert [g.name for g in only] == ["Stages"]
    assert A.group_by_cluster([], []) == []


# ================================================================== charts
def fonts(fig: go.Figure):
    """Every font size set anywhere in the figure."""
    def walk(obj, key=""):
        if isinstance(obj, dict):
            for k, v in obj.items():
                if k == "size" and key.endswith("font") and v is not None:
                    yield v
                else:
                    yield from walk(v, k)
        elif isinstance(obj, list):
            for v in obj:
                yield from walk(v, key)
    return list(walk(fig.to_dict()))


MIXED = [
    score(1, "po", "ambitie", 4), score(2, "po", "ambitie", 2), score(3, "mbo", "ambitie", 5),
    score(1, "po", "relatie", 5), score(3, "mbo", "relatie", 1), score(4, "gemeente", "relatie", None),
    score(1, "po", "proces", 3), score(3, "mbo", "proces", 3),
]


def test_praatplaat_bar_chart_heights_labels_and_marks():
    table = A.score_table(MIXED, PRAAT.sections)
    div = A.divergence(table)
    fig = charts.praatplaat_chart(table, divergent=div)
    names = [tr.name for tr in fig.data]
    assert names == [t("chart.group_n", label=t("chart.overall"), n=3),
                     t("chart.group_n", label=ORG_SHORT["po"], n=2),
                     t("chart.group_n", label=ORG_SHORT["mbo"], n=1)]
    overall, po, mbo = fig.data
    assert all(tr.type == "bar" for tr in fig.data)
    assert list(overall.x) == ASPECTS
    assert list(overall.y) == [pytest.approx(11 / 3), None, pytest.approx(3.0), None, pytest.approx(3.0)]
    assert list(po.y) == [pytest.approx(3.0), None, pytest.approx(5.0), None, pytest.approx(3.0)]
    assert list(mbo.y) == [pytest.approx(5.0), None, pytest.approx(1.0), None, pytest.approx(3.0)]
    assert list(overall.text) == ["3,7", "", "3,0", "", "3,0"]      # Dutch decimal comma
    # colour is not the only carrier: each series has its own pattern
    assert len({tr.marker.pattern.shape for tr in fig.data}) == 3
    # relatie: spread 4, std 2 -> 4; ambitie: spread 2, std sqrt(42/27) -> 2.25; both marked in words
    marked = [d.key for d in div if d.marked]
    assert marked == ["relatie", "ambitie"]
    ticks = dict(zip(fig.layout.xaxis.tickvals, fig.layout.xaxis.ticktext))
    assert t("chart.praatplaat.differs").split()[0] in ticks["relatie"]
    assert "verschillend" in ticks["ambitie"].replace("<br>", " ")
    assert "verschillend" not in ticks["proces"] and ticks["proces"] == "Proces"
    assert len(fig.layout.shapes) == 2
    assert fig.layout.title.text == t("chart.praatplaat.title")
    assert min(fonts(fig)) >= 20


def test_praatplaat_radar_chart():
    table = A.score_table(MIXED, PRAAT.sections)
    fig = charts.praatplaat_chart(table, kind="radar", divergent=["proces"])
    assert [tr.type for tr in fig.data] == ["scatterpolar"] * 3
    overall = fig.data[0]
    # closed loop: first aspect repeated at the end
    assert list(overall.r) == [pytest.approx(11 / 3), None, pytest.approx(3.0), None, pytest.approx(3.0),
                               pytest.approx(11 / 3)]
    assert overall.theta[0] == overall.theta[-1]
    assert "verschillend" in overall.theta[4].replace("<br>", " ")
    assert len({tr.marker.symbol for tr in fig.data}) == 3
    assert len({tr.line.dash for tr in fig.data}) == 3
    assert min(tr.line.width for tr in fig.data) >= 4
    assert min(fonts(fig)) >= 20


def test_praatplaat_chart_fallbacks():
    two = A.score_table(MIXED, ["ambitie", "relatie"])
    assert {tr.type for tr in charts.praatplaat_chart(two, kind="radar").data} == {"bar"}
    empty = charts.praatplaat_chart(A.score_table([score(1, "po", "ambitie", None)], PRAAT.sections))
    assert len(empty.data) == 0
    assert [a.text for a in empty.layout.annotations] == [t("chart.praatplaat.empty")]
    only_po = charts.praatplaat_chart(A.score_table(MIXED, PRAAT.sections), org_types=["po"], overall=False)
    assert [tr.name for tr in only_po.data] == [t("chart.group_n", label=ORG_SHORT["po"], n=2)]
    with pytest.raises(ValueError):
        charts.praatplaat_chart(two, kind="pie")


def test_heatmap_prints_every_count_and_outlines_gaps():
    rows = [note("goal", ["werven", "opleiden"]), note("goal"), note("options_so", ["werven"])] + \
        [note("reality_or", ["matchen"]) for _ in range(4)]
    m = A.function_stage_matrix(rows, GROW.sections, GROW.tags)
    fig = charts.heatmap(m)
    (hm,) = fig.data
    assert hm.type == "heatmap"
    expected = [list(r) for r in m.counts] + [list(m.untagged)]
    assert [list(r) for r in hm.z] == expected
    assert list(fig.layout.yaxis.ticktext) == [t(f"chart.function.{f}") for f in m.functions] + \
        [t("chart.heatmap.untagged")]
    cells = [a for a in fig.layout.annotations if a.xref != "paper"]
    assert len(cells) == 6 * 6
    printed = {(a.y, a.x): int(a.text.replace("<b>", "").replace("</b>", "")) for a in cells}
    assert printed == {(i, j): v for i, r in enumerate(expected) for j, v in enumerate(r)}
    # the darkest cell gets white text, empty cells black
    assert {a.font.color for a in cells if a.y == 1 and a.x == 2} == {"#ffffff"}  # matchen x reality_or: 4
    assert {a.font.color for a in cells if a.y == 4 and a.x == 0} == {charts.INK}    # a gap: 0
    dashed = [s for s in fig.layout.shapes if s.line.dash == "dash"]
    assert len(dashed) == len(m.gaps) == 5 * 6 - 4
    assert min(fonts(fig)) >= 20


def test_ranking_bar_values_and_labels():
    items = [{"id": 1, "text": "Stages"}, {"id": 2, "text": "Stages"}, {"id": 3, "text": "Werving " * 30}]
    ranked = A.ranking(items, {1: 2, 2: 4, 3: 2})
    fig = charts.ranking_bar(ranked)
    (bar,) = fig.data
    assert bar.orientation == "h"
    assert list(bar.x) == [4, 2, 2] and list(bar.text) == ["4", "2", "2"]
    labels = list(fig.layout.yaxis.ticktext)
    assert labels[0] == "1. Stages" and labels[1] == "2. Stages"  # equal texts stay apart
    assert labels[2].startswith("2. Werving") and labels[2].endswith("…")
    assert fig.layout.yaxis.autorange == "reversed"                 # most votes on top
    assert min(fonts(fig)) >= 20
    top1 = charts.ranking_bar(ranked, top=1)
    assert list(top1.data[0].x) == [4]
    clusters = charts.ranking_bar(A.ranking([{"id": 5, "name": "Cluster A"}], {5: 1}))
    assert list(clusters.layout.yaxis.ticktext) == ["1. Cluster A"]
    none = charts.ranking_bar(A.ranking(items, {}))
    assert len(none.data) == 0 and none.layout.annotations[0].text == t("chart.ranking.empty")


# ====================================================== over real Store rows
def test_aggregates_over_store_rows(room, store):
    step = room.step("praatplaat")
    po, vmbo, mbo = room.participants  # helpers cycle org types: po, vmbo, mbo
    store.answer(po, step.id, section="relatie", values={"score": 2, "goed": "Open", "beter": ""}, idem_key=new_key())
    store.answer(po, step.id, section="relatie", values={"score": 5}, idem_key=new_key())  # newest wins
    store.answer(vmbo, step.id, section="relatie", values={"score": 1, "beter": "Vaker samen"}, idem_key=new_key())
    store.answer(mbo, step.id, section="relatie", values={"score": None}, idem_key=new_key())
    answers = store.latest_answers(step.id)
    table = A.score_table(answers, step.werkvorm.sections)
    rel = by_key(table)["relatie"]
    assert (rel.n, rel.unknown, rel.mean, rel.min, rel.max) == (2, 1, 3.0, 1, 5)
    assert [(g.org_type, g.mean) for g in rel.by_org] == [("po", 5.0), ("vmbo", 1.0), ("mbo", None)]
    assert A.divergence(table)[0].key == "relatie"
    remarks = {a.key: a for a in A.remarks_by_aspect(answers, True, step.werkvorm.sections)}["relatie"]
    assert [r.text for r in remarks.by_field["goed"]] == ["Open"]
    assert [(r.text, r.name) for r in remarks.by_field["beter"]] == [("Vaker samen", None)]

    grow = room.step("grow")
    room.note(po, "Meer zij-instromers", werkvorm="grow", section="goal", tags=["werven", "opleiden"])
    store.update_step(room.fac, grow.id, stage=1)
    room.note(vmbo, "Begeleiding loopt goed", werkvorm="grow", section="reality_so", tags=["begeleiden"])
    room.note(mbo, "Zonder tag", werkvorm="grow", section="reality_so")
    m = A.function_stage_matrix(store.contributions(grow.id), grow.werkvorm.sections, grow.werkvorm.tags)
    assert m.count("werven", "goal") == 1 and m.count("opleiden", "goal") == 1
    assert m.count("begeleiden", "reality_so") == 1 and m.untagged == (0, 1, 0, 0, 0, 0)

    brain = room.step("brainstorm")
    a = room.note(po, "Stageplekken")
    b = room.note(vmbo, "Gastlessen")
    room.note(mbo, "Open dag")
    cid = store.add_cluster(room.fac, brain.id, "Bedrijven")
    store.moderate(room.fac, a, cluster_id=cid)
    store.moderate(room.fac, b, cluster_id=cid)
    room.open_voting(dots=3)
    for who in (po, vmbo):
        store.place_vote(who, brain.id, target_type="cluster", target_id=cid, idem_key=new_key())
    groups = A.group_by_cluster(store.contributions(brain.id), store.clusters(brain.id),
                                cluster_votes=store.vote_counts(brain.id, "cluster"))
    assert [(g.name, [n["text"] for n in g.notes], g.votes) for g in groups] == [
        ("Bedrijven", ["Stageplekken", "Gastlessen"], 2), (None, ["Open dag"], 0)]
