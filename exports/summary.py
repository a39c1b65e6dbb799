"""The summary of one workshop that a stuurgroep reads in two minutes. Imports no streamlit.

:func:`summarize` gives the figures as plain data; the PDF draws it as the first
page of the report (and as the participants' download), the Word minutes
(:mod:`exports.minutes`) write it as editable text. It holds what the full
report holds for the same workshop and no more: no participant names (an
action's owner is shown, as in the full report), no hidden or merged-away notes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from canvas_models.spec import of_step
from exports.progress import Agreement, Change, agreement, praat_table, praat_trend
from exports.snapshot import live_actions, parse_date, step_rows, vote_counts
from messages import ORG_TYPES, dutch_date, function_label, number, plural, t

#: How much of each part the one page holds.
TOP_CLUSTERS = 5
TOP_DIFFERENCES = 3


@dataclass(frozen=True)
class TopItem:
    """A cluster (or, in a brainstorm without clusters, a note that got dots) with its dots."""

    name: str
    dots: int
    notes: int


@dataclass(frozen=True)
class Difference:
    """A praatplaat aspect where org types differ: highest and lowest org-type mean."""

    title: str
    high_org: str
    high_mean: float
    low_org: str
    low_mean: float

    @property
    def spread(self) -> float:
        return self.high_mean - self.low_mean


@dataclass(frozen=True)
class Gap:
    """A GROW function with nothing: in no stage at all (``stages`` empty), or in these stages."""

    function: str
    stages: tuple[str, ...] = ()


@dataclass(frozen=True)
class Summary:
    title: str
    partnership: str
    day: date | None
    facilitator: str
    participants: int
    top: tuple[TopItem, ...]
    more_top: int                       #: clusters (or notes) beyond the top
    top_are_clusters: bool
    differences: tuple[Difference, ...]
    has_praatplaat: bool
    has_grow: bool
    gaps: tuple[Gap, ...]               #: functions with nothing at all first, then partial ones
    agreements: tuple[Agreement, ...]   #: soonest date first, no date last
    changes: tuple[Change, ...] | None  #: None without a previous workshop


def _steps(snap: dict, wanted) -> list[dict]:
    """The steps whose werkvorm is ``wanted`` (a test on the werkvorm's flags), in order."""
    return [step for step in sorted(snap.get("steps", []), key=lambda s: s.get("position", 0))
            if wanted(of_step(step))]


def _clustered_steps(snap: dict) -> list[dict]:
    """Steps whose notes are clustered (the brainstorm): their top clusters or dotted notes."""
    return _steps(snap, lambda wv: wv.clusters)


def _tagged_steps(snap: dict) -> list[dict]:
    """Steps with a tag vocabulary (GROW): the tags that got no note are the gaps."""
    return _steps(snap, lambda wv: bool(wv.tags))


def _scored_steps(snap: dict) -> list[dict]:
    """Steps with scores per aspect (the praatplaat): where the organisation types differ. A board's
    scores are per cell (team and subregion), not per aspect."""
    return _steps(snap, lambda wv: wv.layout == "scores")


def _top(snap: dict) -> tuple[list[TopItem], int, bool]:
    from workshop.aggregate import group_by_cluster, ranking

    clustered: list[TopItem] = []
    loose: list[TopItem] = []
    for step in _clustered_steps(snap):
        notes = step_rows(snap, step["id"], kinds=("note", "tagged_note"))
        clusters = [c for c in snap.get("clusters", []) if c["step_id"] == step["id"]]
        note_votes = vote_counts(snap, step["id"], "note")
        groups = group_by_cluster(notes, clusters, cluster_votes=vote_counts(snap, step["id"], "cluster"),
                                  note_votes=note_votes)
        clustered += [TopItem(str(g.name or ""), g.votes, len(g.notes)) for g in groups
                      if g.cluster is not None and g.notes]
        loose += [TopItem(str(r.item.get("text") or ""), r.votes, 1) for r in ranking(notes, note_votes) if r.votes]
    items = clustered or loose
    items = sorted(items, key=lambda i: (-i.dots, -i.notes))  # stable: equal ones keep their order
    return items[:TOP_CLUSTERS], max(0, len(items) - TOP_CLUSTERS), bool(clustered)


def _differences(snap: dict) -> list[Difference]:
    from workshop.aggregate import divergence

    table = praat_table(snap)
    if not table:
        return []
    means = {a.key: a for a in table}
    out = []
    for d in sorted(divergence(table, top=None), key=lambda d: -d.spread):
        if d.spread <= 0 or not d.highest_org or not d.lowest_org:
            continue
        aspect = means[d.key]
        out.append(Difference(d.title, d.highest_org, aspect.org(d.highest_org).mean,
                              d.lowest_org, aspect.org(d.lowest_org).mean))
    return out[:TOP_DIFFERENCES]


def _gaps(snap: dict) -> list[Gap]:
    from workshop.aggregate import function_stage_matrix

    steps = _tagged_steps(snap)
    if not steps:
        return []
    notes: list[dict] = []
    sections: list[dict] = []
    vocabulary: list[str] = []
    for step in steps:
        notes += step_rows(snap, step["id"], kinds=("note", "tagged_note"))
        sections += [s for s in step.get("sections") or [] if s["key"] not in {x["key"] for x in sections}]
        vocabulary += [tag for tag in of_step(step).tags if tag not in vocabulary]
    matrix = function_stage_matrix(notes, sections, vocabulary, by_group=True)
    empty, partial = [], []
    for i, function in enumerate(matrix.functions):
        missing = tuple(title for title, count in zip(matrix.stage_titles, matrix.counts[i]) if not count)
        if len(missing) == len(matrix.stages):
            empty.append(Gap(function))
        elif missing:
            partial.append(Gap(function, missing))
    return empty + partial


def _agreements(snap: dict) -> list[Agreement]:
    items = [agreement(a) for a in live_actions(snap)]
    return sorted(items, key=lambda a: (a.due is None, a.due or date.max))


def summarize(snap: dict, previous: dict | None = None) -> Summary:
    """The summary of ``snap``; with ``previous`` (the workshop before, as a snapshot) what changed."""
    ws = snap.get("workshop") or {}
    top, more, are_clusters = _top(snap)
    changes = None
    if previous is not None:
        changes = tuple(praat_trend([previous, snap]).changes())
    return Summary(
        title=str(ws.get("title") or ""), partnership=str(ws.get("partnership") or ""),
        day=parse_date(ws.get("date")), facilitator=str(ws.get("facilitator") or ""),
        participants=len(snap.get("participants", [])),
        top=tuple(top), more_top=more, top_are_clusters=are_clusters,
        differences=tuple(_differences(snap)), has_praatplaat=bool(_scored_steps(snap)),
        has_grow=bool(_tagged_steps(snap)), gaps=tuple(_gaps(snap)),
        agreements=tuple(_agreements(snap)), changes=changes,
    )


# ------------------------------------------------------------------- texts
@dataclass(frozen=True)
class Part:
    """One part of the summary as text: a heading and its lines (or what to say when empty)."""

    heading: str
    lines: tuple[str, ...]
    empty: str = ""
    more: str = ""


def facts(summary: Summary) -> str:
    """'26 november 2026 · Regio Twente · 14 deelnemers · begeleider: ...'"""
    parts = [dutch_date(summary.day) if summary.day else "", summary.partnership,
             plural("n.participants", summary.participants),
             t("summary.facilitator", name=summary.facilitator) if summary.facilitator else ""]
    return " · ".join(p for p in parts if p)


def agreement_line(a: Agreement) -> str:
    who = ", ".join(x for x in (a.owner, a.partner) if x) or t("progress.nobody")
    due = dutch_date(a.due) if a.due else t("summary.no_date")
    text = t("summary.agreement", what=a.what, who=who, due=due)
    return text + ("" if a.confirmed else " " + t("pdf.actions.proposal"))


def parts(summary: Summary) -> list[Part]:
    """The summary's parts in reading order, agreements last (they get a table in Word)."""
    out = []
    if summary.changes is not None:
        out.append(Part(t("summary.changes"), tuple(c.text_with_delta for c in summary.changes), t("summary.no_changes")))
    if summary.top_are_clusters:
        lines = tuple(t("summary.cluster", name=i.name, dots=plural("n.dots", i.dots),
                        notes=plural("n.notes", i.notes)) for i in summary.top)
        heading = t("summary.top_clusters")
    else:
        lines = tuple(t("summary.note", text=i.name, dots=plural("n.dots", i.dots)) for i in summary.top)
        heading = t("summary.top_notes")
    out.append(Part(heading, lines, t("summary.no_notes"),
                    plural("summary.more_top", summary.more_top) if summary.more_top else ""))
    if summary.has_praatplaat:
        out.append(Part(t("summary.differences"), tuple(
            t("pdf.praat.differs", title=d.title, high=ORG_TYPES.get(d.high_org, d.high_org),
              high_mean=number(d.high_mean), low=ORG_TYPES.get(d.low_org, d.low_org),
              low_mean=number(d.low_mean), spread=number(d.spread)) for d in summary.differences),
            t("summary.no_differences")))
    if summary.has_grow:
        lines = tuple(t("summary.gap_all", function=function_label(g.function)) if not g.stages else
                      t("summary.gap_some", function=function_label(g.function), stages=", ".join(g.stages))
                      for g in summary.gaps)
        out.append(Part(t("summary.gaps"), lines, t("summary.no_gaps")))
    out.append(Part(t("summary.agreements"), tuple(agreement_line(a) for a in summary.agreements),
                    t("pdf.actions.none")))
    return out
