"""Pure aggregation of workshop answers and notes, for the screen and the exports.

Every function here takes plain lists of dicts, as the :class:`~workshop.store.Store`
returns them (``latest_answers``, ``contributions``, ``clusters``, ``vote_counts``),
and returns small frozen dataclasses. Nothing here touches the database or
imports streamlit, so the same numbers feed the projected screen, the PDF and
the tests.

Conventions shared by all functions:

* Rows with ``hidden`` set are left out: the facilitator hid them. (``latest_answers``
  includes hidden rows on purpose, so that hiding the newest answer does not
  bring back an older one; dropping them is done here.)
* Notes with ``merged_into`` set are left out: they live on in the note they were
  merged into.
* Sections may be given as section models (with ``.key`` and ``.title``), as
  dicts with ``"key"`` and ``"title"``, or as plain key strings. Their order is the
  display order. Rows for a section that is not in the list are ignored (an
  aspect the facilitator removed).
* There is never a NaN: a mean over nothing is ``None``; a spread over fewer than
  two values is ``0.0``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any, Iterable, Mapping, Sequence

from messages import ORG_TYPES

#: The org type used when a row has none (for example a removed participant).
FALLBACK_ORG = "overig"

#: Default divergence settings, see :func:`divergence`.
DIVERGENCE_THRESHOLD = 1.0
DIVERGENCE_TOP = 2


# ---------------------------------------------------------------- helpers
def _section_pairs(sections: Iterable[Any]) -> list[tuple[str, str]]:
    """(key, title) for each section, whatever shape it was given in."""
    pairs: list[tuple[str, str]] = []
    for sec in sections:
        if isinstance(sec, str):
            pairs.append((sec, sec))
        elif isinstance(sec, Mapping):
            pairs.append((sec["key"], sec.get("title") or sec["key"]))
        else:
            pairs.append((sec.key, getattr(sec, "title", "") or sec.key))
    return pairs


def is_visible(row: Mapping[str, Any]) -> bool:
    """Is this note or answer shown to the group: not hidden, not merged into another, not deleted.
    The one rule for the screen, the cockpit (``ui.notetools``), the PDF and the summary."""
    return not row.get("hidden") and row.get("merged_into") is None and not row.get("deleted")


def _org(row: Mapping[str, Any]) -> str:
    return row.get("org_type") or FALLBACK_ORG


def _org_order(orgs: Iterable[str]) -> list[str]:
    """Org types in the catalogue's order; unknown ones after, alphabetically."""
    known = list(ORG_TYPES)
    present = set(orgs)
    return [o for o in known if o in present] + sorted(present - set(known))


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _pstdev(values: Sequence[float]) -> float | None:
    """Population standard deviation; 0.0 for one value, None for none."""
    if not values:
        return None
    mu = sum(values) / len(values)
    return math.sqrt(sum((v - mu) ** 2 for v in values) / len(values))


# -------------------------------------------------------------- praatplaat
@dataclass(frozen=True)
class GroupScore:
    """Scores of one organisation type on one aspect."""

    org_type: str
    n: int                 #: number of numeric scores (1-5)
    unknown: int           #: number of "weet ik niet" answers
    mean: float | None     #: None when n == 0


@dataclass(frozen=True)
class AspectScore:
    """The scores on one praatplaat aspect.

    ``std`` is the *population* standard deviation (divide by n): we describe
    the people in the room, we do not estimate a larger population. One score
    gives 0.0; no scores give None.
    """

    key: str
    title: str
    n: int
    unknown: int
    mean: float | None
    std: float | None
    min: int | None
    max: int | None
    by_org: tuple[GroupScore, ...] = ()

    def org(self, org_type: str) -> GroupScore | None:
        for group in self.by_org:
            if group.org_type == org_type:
                return group
        return None


def score_table(answers: Iterable[Mapping[str, Any]], sections: Iterable[Any], *,
                field: str | None = None) -> list[AspectScore]:
    """Per aspect: n, mean, population std, min, max, "weet ik niet" count, and per org type.

    ``answers`` are ``Store.latest_answers`` rows. Score rows are those of kind
    ``"score"`` (or, when ``field`` is given, of that field); a score of ``None``
    is "weet ik niet", counted in ``unknown`` and left out of every statistic.
    Aspects come in the order of ``sections``, also when nobody answered them.
    ``by_org`` lists only org types that answered the aspect (a score or
    "weet ik niet"), in the catalogue's order.
    """
    pairs = _section_pairs(sections)
    scores: dict[str, dict[str, list[int]]] = {k: {} for k, _ in pairs}
    unknown: dict[str, dict[str, int]] = {k: {} for k, _ in pairs}
    for row in answers:
        if not is_visible(row) or row.get("section") not in scores:
            continue
        if field is not None:
            if row.get("field") != field:
                continue
        elif row.get("kind") != "score":
            continue
        org = _org(row)
        value = row.get("score")
        if value is None:
            unknown[row["section"]][org] = unknown[row["section"]].get(org, 0) + 1
            scores[row["section"]].setdefault(org, [])
        else:
            scores[row["section"]].setdefault(org, []).append(int(value))

    table: list[AspectScore] = []
    for key, title in pairs:
        per_org = scores[key]
        flat = [v for org in per_org for v in per_org[org]]
        groups = tuple(
            GroupScore(org, len(per_org[org]), unknown[key].get(org, 0), _mean(per_org[org]))
            for org in _org_order(per_org)
        )
        table.append(AspectScore(
            key=key, title=title, n=len(flat), unknown=sum(unknown[key].values()),
            mean=_mean(flat), std=_pstdev(flat), min=min(flat) if flat else None,
            max=max(flat) if flat else None, by_org=groups,
        ))
    return table


@dataclass(frozen=True)
class Divergence:
    """How much the perspectives on one aspect differ.

    * ``spread``: highest minus lowest org-type mean, over org types with at
      least ``min_group`` scores; 0.0 when fewer than two org types qualify.
    * ``std``: the overall population standard deviation (0.0 for 0 or 1 score).
    * ``score = (spread + 2 * std) / 2``. On a 1-5 scale the spread runs from 0
      to 4 and the population std from 0 to 2, so doubling the std puts both on
      the same 0-4 scale and the score is their average, in scale points. The
      spread catches "the parties see it differently"; the std also catches
      disagreement among people of the same org type, or when only one org
      type is present.
    * ``marked``: shown as "hier kijken we verschillend"; see :func:`divergence`.
    """

    key: str
    title: str
    spread: float
    std: float
    score: float
    n: int
    lowest_org: str | None     #: org type with the lowest mean; None when spread is 0
    highest_org: str | None
    marked: bool = False


def divergence(table: Iterable[AspectScore], *, threshold: float = DIVERGENCE_THRESHOLD,
               top: int | None = DIVERGENCE_TOP, min_group: int = 1) -> list[Divergence]:
    """Rank aspects from most to least divergent (see :class:`Divergence`).

    Ties keep the order of ``table`` (the aspect order). An aspect is
    ``marked`` when its score is at least ``threshold`` and it is among the
    first ``top`` of the ranking (``top=None``: no limit). Aspects without
    scores rank with score 0.0 and are never marked.
    """
    rows: list[Divergence] = []
    for aspect in table:
        groups = [g for g in aspect.by_org if g.n >= max(min_group, 1) and g.mean is not None]
        if len(groups) >= 2:
            low = min(groups, key=lambda g: g.mean)    # first of equals: catalogue order
            high = max(groups, key=lambda g: g.mean)
            spread = high.mean - low.mean
            lowest, highest = (low.org_type, high.org_type) if spread > 0 else (None, None)
        else:
            spread, lowest, highest = 0.0, None, None
        std = aspect.std or 0.0
        rows.append(Divergence(aspect.key, aspect.title, spread, std, (spread + 2 * std) / 2,
                               aspect.n, lowest, highest))
    ranked = sorted(rows, key=lambda d: -d.score)  # sorted() is stable: ties keep aspect order
    out = []
    for i, d in enumerate(ranked):
        marked = d.n > 0 and d.score >= threshold and (top is None or i < top)
        out.append(replace(d, marked=marked))
    return out


@dataclass(frozen=True)
class Remark:
    text: str
    name: str | None       #: None when the workshop is anonymous or the name is empty
    org_type: str


@dataclass(frozen=True)
class AspectRemarks:
    key: str
    title: str
    #: field key ("goed", "beter") -> remarks, in the order of ``fields``
    by_field: dict[str, tuple[Remark, ...]]

    @property
    def count(self) -> int:
        return sum(len(v) for v in self.by_field.values())


def remarks_by_aspect(answers: Iterable[Mapping[str, Any]], anonymous: bool,
                      sections: Iterable[Any] | None = None, *,
                      fields: Sequence[str] = ("goed", "beter")) -> list[AspectRemarks]:
    """The non-empty text answers, grouped per aspect and per field.

    With ``sections`` the aspects come in that order (every aspect, even without
    remarks); without, in order of first appearance, titled by their key.
    Names are dropped when ``anonymous``; the remarks are then also sorted by
    text, so that one person's remarks cannot be linked by their position
    across fields and aspects. Otherwise they stay in submission order (row id).
    """
    rows = sorted((r for r in answers if is_visible(r) and r.get("field") in fields
                   and (r.get("text") or "").strip()), key=lambda r: r.get("id") or 0)
    if sections is None:
        seen: dict[str, str] = {}
        for r in rows:
            seen.setdefault(r["section"], r["section"])
        pairs = list(seen.items())
    else:
        pairs = _section_pairs(sections)
    grouped: dict[str, dict[str, list[Remark]]] = {k: {f: [] for f in fields} for k, _ in pairs}
    for r in rows:
        if r["section"] not in grouped:
            continue
        name = None if anonymous else ((r.get("name") or "").strip() or None)
        grouped[r["section"]][r["field"]].append(Remark(r["text"].strip(), name, _org(r)))
    out = []
    for key, title in pairs:
        by_field = {}
        for f in fields:
            items = grouped[key][f]
            if anonymous:
                items = sorted(items, key=lambda m: (m.text.casefold(), m.org_type))
            by_field[f] = tuple(items)
        out.append(AspectRemarks(key, title, by_field))
    return out


# ------------------------------------------------------------------- GROW
@dataclass(frozen=True)
class FunctionStageMatrix:
    """Counts of notes per function (rows) and stage (columns).

    A note tagged with two functions counts once in each of their rows;
    ``untagged`` counts notes per stage without any known function, and
    ``totals`` counts every note once per stage. ``gaps`` are the
    (function, stage) cells with zero notes, row by row.
    """

    functions: tuple[str, ...]
    stages: tuple[str, ...]
    stage_titles: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]
    untagged: tuple[int, ...]
    totals: tuple[int, ...]

    @property
    def gaps(self) -> list[tuple[str, str]]:
        return [(f, s) for i, f in enumerate(self.functions) for j, s in enumerate(self.stages)
                if self.counts[i][j] == 0]

    def count(self, function: str, stage: str) -> int:
        return self.counts[self.functions.index(function)][self.stages.index(stage)]


def function_stage_matrix(contributions: Iterable[Mapping[str, Any]], sections: Iterable[Any],
                          functions: Sequence[str], *,
                          by_group: bool = False) -> FunctionStageMatrix:
    """Count notes per function x stage (GROW's "where are the gaps" overview).

    Stages are the sections, in order. With ``by_group`` the sections are
    folded into their ``group`` (GROW: Goal, Reality, Options, Way forward), in
    order of first appearance; sections without a group stay on their own.
    Only note rows count (kind ``note``/``tagged_note``, or rows without a kind).
    """
    column_of: dict[str, int] = {}
    stages: list[str] = []
    titles: list[str] = []
    for sec in sections:
        (key, title), = _section_pairs([sec])
        group = ""
        if by_group:
            group = sec.get("group", "") if isinstance(sec, Mapping) else getattr(sec, "group", "")
        label = group or key
        if label not in stages:
            stages.append(label)
            titles.append(group or title)
        column_of[key] = stages.index(label)

    fun_index = {f: i for i, f in enumerate(functions)}
    counts = [[0] * len(stages) for _ in functions]
    untagged = [0] * len(stages)
    totals = [0] * len(stages)
    for row in contributions:
        if not is_visible(row) or row.get("kind", "note") not in ("note", "tagged_note"):
            continue
        col = column_of.get(row.get("section"))
        if col is None:
            continue
        totals[col] += 1
        tags = {t for t in (row.get("tags") or ()) if t in fun_index}
        if not tags:
            untagged[col] += 1
        for tag in tags:
            counts[fun_index[tag]][col] += 1
    return FunctionStageMatrix(tuple(functions), tuple(stages), tuple(titles),
                               tuple(tuple(r) for r in counts), tuple(untagged), tuple(totals))


# ------------------------------------------------------------------ votes
@dataclass(frozen=True)
class Ranked:
    item: Mapping[str, Any]
    votes: int
    rank: int              #: 1-based; equal votes share a rank ("1, 2, 2, 4")


def ranking(items: Iterable[Mapping[str, Any]], vote_counts: Mapping[int, int]) -> list[Ranked]:
    """Items (dicts with an ``id``) by votes, most first; equal votes by id, lowest first.

    Items without votes get 0. Votes for ids not in ``items`` are ignored.
    Hidden and merged-away notes are left out.
    """
    scored = sorted(((int(vote_counts.get(it["id"], 0)), it) for it in items if is_visible(it)),
                    key=lambda p: (-p[0], p[1]["id"]))
    out: list[Ranked] = []
    for i, (votes, item) in enumerate(scored):
        rank = out[-1].rank if out and out[-1].votes == votes else i + 1
        out.append(Ranked(item, votes, rank))
    return out


# --------------------------------------------------------------- clusters
@dataclass(frozen=True)
class ClusterGroup:
    """A cluster (None: the notes not yet clustered, "ongeclusterd") with its notes.

    ``cluster_votes`` are dots placed on the cluster itself; ``note_votes`` the
    dots on its notes; ``votes`` their sum (a voting round targets one or the
    other, so the sum is the round's result either way).
    """

    cluster: Mapping[str, Any] | None
    notes: tuple[Mapping[str, Any], ...]
    cluster_votes: int = 0
    note_votes: int = 0

    @property
    def votes(self) -> int:
        return self.cluster_votes + self.note_votes

    @property
    def name(self) -> str | None:
        return None if self.cluster is None else self.cluster.get("name")

    def __iter__(self):
        """Unpack as ``cluster, notes = group``."""
        return iter((self.cluster, self.notes))


def group_by_cluster(notes: Iterable[Mapping[str, Any]], clusters: Iterable[Mapping[str, Any]], *,
                     cluster_votes: Mapping[int, int] | None = None,
                     note_votes: Mapping[int, int] | None = None,
                     by_votes: bool = False) -> list[ClusterGroup]:
    """Notes grouped per cluster, as an ordered list of :class:`ClusterGroup`.

    Each group unpacks as ``cluster, notes`` (cluster None: "ongeclusterd")
    and carries its vote totals.

    Clusters keep their given order (``Store.clusters`` gives creation order),
    or with ``by_votes`` go by votes, most first, equal votes by cluster id.
    Every cluster appears, also an empty one; the ``None`` group
    ("ongeclusterd") comes last and only when it has notes. A note whose
    ``cluster_id`` names no given cluster (a deleted one) counts as unclustered.
    Notes inside a group are in id order. Hidden and merged-away notes are left out.
    """
    cluster_votes = cluster_votes or {}
    note_votes = note_votes or {}
    clusters = list(clusters)
    members: dict[int | None, list[Mapping[str, Any]]] = {c["id"]: [] for c in clusters}
    members[None] = []
    for note in sorted((n for n in notes if is_visible(n)), key=lambda n: n["id"]):
        cid = note.get("cluster_id")
        members[cid if cid in members else None].append(note)

    def make(cluster: Mapping[str, Any] | None) -> ClusterGroup:
        cid = None if cluster is None else cluster["id"]
        items = tuple(members[cid])
        return ClusterGroup(cluster, items,
                            0 if cid is None else int(cluster_votes.get(cid, 0)),
                            sum(int(note_votes.get(n["id"], 0)) for n in items))

    groups = [make(c) for c in clusters]
    if by_votes:
        groups.sort(key=lambda g: (-g.votes, g.cluster["id"]))
    rest = make(None)
    if rest.notes:
        groups.append(rest)
    return groups
