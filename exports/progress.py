"""A partnership over time: pure functions over workshop snapshots in date order.

Everything here works from a list of snapshots (:func:`exports.snapshot.snapshot`,
or backups read with :func:`exports.backup.read_snapshot`), oldest first, so the
partnership page can pass the snapshots of its workshops. Imports no streamlit.

* :func:`praat_trend` - the praatplaat's mean score per aspect, overall and per
  organisation type, workshop by workshop; :meth:`AspectTrend.change` is the change
  since last time ("Relatie: 2,6 → 3,4").
* :func:`follow_through` - what became of the agreements (confirmed actions), as of
  a given date: done on time, done late, dropped, still open, overdue; per owner
  and per partner organisation.
* :func:`build_progress_pdf` - the "voortgangsverslag" for the stuurgroep.

How an agreement is judged (the snapshot holds an action's current state):

* made: a confirmed action that was not merged into another one, created on or
  before ``as_of``;
* dropped: such an action that was deleted afterwards;
* done: status "klaar"; the day it was done is ``done_at`` when a snapshot has
  it, otherwise the action's last change (``updated_at``). Done after ``as_of``
  counts as not yet done. On time when done on or before its date (or it had none);
* overdue: not done and its date lies before ``as_of``; open: the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, Callable, Iterable, Sequence

from canvas_models.spec import of_step
from exports.snapshot import parse_date, step_rows
from messages import ORG_TYPES, dutch_date, number, plural, signed_number, t

#: Agreement states, in the order reports list them.
STATES = ("on_time", "late", "dropped", "open", "overdue")


# --------------------------------------------------------------- workshops
@dataclass(frozen=True)
class WorkshopRef:
    title: str
    day: date | None

    @property
    def label(self) -> str:
        """Short label for a chart axis or a table column: the date, else the title."""
        if self.day:
            return f"{self.day.day}-{self.day.month}-{self.day.year}"
        return self.title


def workshops(snaps: Sequence[dict]) -> list[WorkshopRef]:
    return [WorkshopRef(str((s.get("workshop") or {}).get("title") or ""),
                        parse_date((s.get("workshop") or {}).get("date"))) for s in snaps]


def in_date_order(snaps: Iterable[dict]) -> list[dict]:
    """Snapshots sorted by workshop date (then creation time); undated ones last."""
    def key(s: dict):
        ws = s.get("workshop") or {}
        day = parse_date(ws.get("date"))
        return (day is None, day or date.min, str(ws.get("created_at") or ""))
    return sorted(snaps, key=key)


# -------------------------------------------------------------------- trend
def _scored(step: dict) -> bool:
    """Does this step collect scores per aspect (the praatplaat)? A board's scores are per cell."""
    return of_step(step).layout == "scores"


def praat_table(snap: dict):
    """The praatplaat score table of one workshop (every praatplaat step together), or None."""
    from workshop.aggregate import score_table

    answers: list[dict] = []
    sections: dict[str, dict] = {}
    found = False
    for step in sorted(snap.get("steps", []), key=lambda s: s.get("position", 0)):
        if not _scored(step):
            continue
        found = True
        answers += step_rows(snap, step["id"], kinds=("score", "text"))
        for sec in step.get("sections") or []:
            sections.setdefault(sec["key"], sec)
    if not found:
        return None
    return score_table(answers, list(sections.values()))


@dataclass(frozen=True)
class Change:
    """A mean before and after: ``text`` is "Relatie: 2,6 → 3,4"."""

    title: str
    before: float
    after: float
    org_type: str | None = None

    @property
    def delta(self) -> float:
        return self.after - self.before

    @property
    def text(self) -> str:
        return t("progress.change", title=self.title, before=number(self.before), after=number(self.after))

    @property
    def text_with_delta(self) -> str:
        """'Relatie: 2,6 → 3,4 (+0,8)'"""
        return f"{self.text} ({signed_number(self.delta)})"


def _last_two(values: Sequence[float | None]) -> tuple[float, float] | None:
    """The newest value (of the newest workshop) and the value before it; None when either is missing."""
    if not values or values[-1] is None:
        return None
    earlier = [v for v in values[:-1] if v is not None]
    return (earlier[-1], values[-1]) if earlier else None


@dataclass(frozen=True)
class AspectTrend:
    """One aspect across the workshops: means (None where nobody scored it) and counts."""

    key: str
    title: str
    overall: tuple[float | None, ...]
    n: tuple[int, ...]
    #: (org type, means per workshop), org types in the catalogue's order
    by_org: tuple[tuple[str, tuple[float | None, ...]], ...] = ()

    def org(self, org_type: str) -> tuple[float | None, ...]:
        for org, values in self.by_org:
            if org == org_type:
                return values
        return tuple(None for _ in self.overall)

    def change(self, org_type: str | None = None) -> Change | None:
        """The change of the newest workshop since the previous one that scored this aspect."""
        pair = _last_two(self.overall if org_type is None else self.org(org_type))
        if pair is None:
            return None
        title = self.title if org_type is None else f"{self.title} ({ORG_TYPES.get(org_type, org_type)})"
        return Change(title, pair[0], pair[1], org_type)


@dataclass(frozen=True)
class Trend:
    workshops: tuple[WorkshopRef, ...]
    aspects: tuple[AspectTrend, ...]

    def aspect(self, key: str) -> AspectTrend:
        return next(a for a in self.aspects if a.key == key)

    def changes(self) -> list[Change]:
        return [c for c in (a.change() for a in self.aspects) if c is not None]


def praat_trend(snaps: Sequence[dict]) -> Trend:
    """Mean score per aspect, overall and per organisation type, per workshop (in the given order).

    Aspects are matched by their key; an aspect keeps the title of its newest
    workshop and the order of first appearance.
    """
    from workshop.aggregate import _org_order

    tables = [praat_table(s) for s in snaps]
    keys: dict[str, str] = {}
    for table in tables:
        for aspect in table or ():
            keys[aspect.key] = aspect.title  # newest title wins, first position stays
    aspects = []
    for key, title in keys.items():
        per = [next((a for a in table or () if a.key == key), None) for table in tables]
        orgs = _org_order({g.org_type for a in per if a for g in a.by_org if g.mean is not None})
        by_org = tuple((org, tuple((a.org(org).mean if a and a.org(org) else None) for a in per)) for org in orgs)
        aspects.append(AspectTrend(key, title, tuple(a.mean if a else None for a in per),
                                   tuple(a.n if a else 0 for a in per), by_org))
    return Trend(tuple(workshops(snaps)), tuple(aspects))


# ----------------------------------------------------------- follow-through
@dataclass(frozen=True)
class Agreement:
    """An action as the reports list it; ``state`` and ``done_on`` only in a follow-through."""

    what: str
    owner: str
    partner: str
    due: date | None
    status: str
    confirmed: bool = True
    state: str = ""                    #: one of STATES
    done_on: date | None = None
    workshop: WorkshopRef | None = None


@dataclass(frozen=True)
class Counts:
    made: int = 0
    on_time: int = 0
    late: int = 0
    dropped: int = 0
    open: int = 0
    overdue: int = 0

    def add(self, state: str) -> "Counts":
        values = {k: getattr(self, k) for k in ("made",) + STATES}
        values["made"] += 1
        values[state] += 1
        return Counts(**values)

    @property
    def done(self) -> int:
        return self.on_time + self.late


@dataclass(frozen=True)
class FollowThrough:
    as_of: date
    total: Counts
    #: (who, counts), most agreements first; who as first written
    by_owner: tuple[tuple[str, Counts], ...]
    by_partner: tuple[tuple[str, Counts], ...]
    agreements: tuple[Agreement, ...] = field(default=())

    @property
    def still_open(self) -> list[Agreement]:
        """Open and overdue agreements, soonest date first (no date last)."""
        return sorted((a for a in self.agreements if a.state in ("open", "overdue")),
                      key=lambda a: (a.due is None, a.due or date.max))


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return parse_date(value)


def agreement_state(action: dict, as_of: date) -> tuple[str, date | None] | None:
    """(state, day done) of one snapshot action as of ``as_of``; None when it is no agreement (yet)."""
    if not action.get("confirmed") or action.get("merged_into") is not None:
        return None
    made = _day(action.get("created_at"))
    if made is not None and made > as_of:
        return None
    changed = _day(action.get("updated_at"))
    if action.get("deleted"):
        if changed is None or changed <= as_of:
            return "dropped", None
    due = parse_date(action.get("due"))
    if action.get("status") == "klaar":
        done = _day(action.get("done_at")) or changed
        if done is None or done <= as_of:
            return ("late" if due and done and done > due else "on_time"), done
    return ("overdue" if due and due < as_of else "open"), None


def agreement(action: dict) -> Agreement:
    """A snapshot action as an :class:`Agreement` (without a state)."""
    return Agreement(str(action.get("what") or ""), str(action.get("owner") or ""), str(action.get("partner") or ""),
                     parse_date(action.get("due")), str(action.get("status") or ""), bool(action.get("confirmed")))


def _who_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _grouped(agreements: Iterable[Agreement], attr: str) -> tuple[tuple[str, Counts], ...]:
    groups: dict[str, tuple[str, Counts]] = {}
    for a in agreements:
        name = " ".join(getattr(a, attr).split())
        key = _who_key(name)
        label, counts = groups.get(key, (name or t("progress.nobody"), Counts()))
        groups[key] = (label, counts.add(a.state))
    return tuple(sorted(groups.values(), key=lambda g: (-g[1].made, g[0].casefold())))


def follow_through(snaps: Sequence[dict], as_of: date) -> FollowThrough:
    """What became of the agreements of these workshops, as of ``as_of`` (see the module docstring).

    Only each workshop's own actions count (a snapshot's ``earlier_actions`` are
    copies of older workshops' actions, which have their own snapshot).
    """
    agreements = []
    total = Counts()
    for snap, ref in zip(snaps, workshops(snaps)):
        for action in snap.get("actions", []):
            judged = agreement_state(action, as_of)
            if judged is None:
                continue
            state, done = judged
            total = total.add(state)
            agreements.append(replace(agreement(action), state=state, done_on=done, workshop=ref))
    return FollowThrough(as_of, total, _grouped(agreements, "owner"), _grouped(agreements, "partner"),
                         tuple(agreements))


# ------------------------------------------------------------------ the PDF
Progress = Callable[[float, str], None]


def build_progress_pdf(snaps: Sequence[dict], as_of: date, *, partnership: str = "",
                       progress: Progress | None = None) -> bytes:
    """The voortgangsverslag of a partnership: trend, follow-through and open agreements, as PDF bytes.

    ``snaps`` in date order (see :func:`in_date_order`); ``partnership`` names it on the
    cover (default: the partnership of the newest workshop).
    """
    from exports.pdf import ACCENT, MUTED, PRIMARY, Report

    step = progress or (lambda fraction, label: None)
    snaps = list(snaps)
    refs = workshops(snaps)
    name = partnership or str(((snaps[-1].get("workshop") or {}).get("partnership") if snaps else "") or "")
    pdf = Report(t("progress.title") + (f" — {name}" if name else ""))
    step(0.0, t("progress.step.trend"))
    trend = praat_trend(snaps)
    result = follow_through(snaps, as_of)

    pdf.add_page()
    pdf.fill(PRIMARY)
    pdf.rect(0, 0, pdf.w, 6, style="F")
    pdf.set_y(22)
    pdf.para(t("progress.kicker"), size=10, colour=ACCENT, style="B")
    pdf.para(t("progress.title"), size=22, style="B", colour=PRIMARY, leading=1.15, gap=1)
    if name:
        pdf.para(name, size=14, gap=2)
    pdf.para(t("progress.as_of", date=dutch_date(as_of), workshops=plural("n.workshops", len(snaps))),
             size=10, colour=MUTED, gap=3)
    for i, ref in enumerate(refs):
        pdf.para(f"{i + 1}. {ref.title} ({dutch_date(ref.day) if ref.day else '-'})", size=9, gap=0.4)

    pdf.heading(t("progress.changes"), 2)
    changes = trend.changes()
    if len(snaps) < 2:
        pdf.muted(t("progress.one_workshop"))
    elif not changes:
        pdf.muted(t("progress.no_changes"))
    for change in changes:
        pdf.para(change.text_with_delta, bullet="→", indent=2, gap=0.4)

    pdf.heading(t("progress.follow.title"), 2)
    follow_summary(pdf, result)

    step(0.3, t("progress.step.trend"))
    pdf.chapter = t("progress.trend.title")
    pdf.add_page()
    pdf.heading(pdf.chapter, 1)
    if not any(any(v is not None for v in a.overall) for a in trend.aspects):
        pdf.muted(t("progress.trend.none"))
    else:
        pdf.muted(t("progress.trend.intro"))
        from exports.pdf import trend_chart

        trend_chart(pdf, trend)
        pdf.heading(t("progress.trend.table"), 2)
        widths = [40.0] + [(pdf.content_width - 40) / max(len(refs), 1)] * len(refs)
        rows = [[a.title] + [_mean_cell(v, n) for v, n in zip(a.overall, a.n)] for a in trend.aspects]
        pdf.table([t("pdf.praat.col.aspect")] + [r.label for r in refs], rows, widths,
                  aligns="L" + "R" * len(refs))

    step(0.6, t("progress.step.follow"))
    pdf.chapter = t("progress.follow.title")
    pdf.add_page()
    pdf.heading(pdf.chapter, 1)
    follow_summary(pdf, result)
    if result.agreements:
        for heading, groups in ((t("progress.follow.by_owner"), result.by_owner),
                                (t("progress.follow.by_partner"), result.by_partner)):
            pdf.heading(heading, 2)
            follow_table(pdf, groups)

    pdf.heading(t("progress.open.title"), 2)
    still = result.still_open
    if not still:
        pdf.muted(t("progress.open.none"))
    else:
        rows = [[a.what + ("\n" + t("progress.overdue_mark") if a.state == "overdue" else ""),
                 a.owner or "-", a.partner or "-", dutch_date(a.due) if a.due else "-",
                 f"{a.workshop.title} ({a.workshop.label})"] for a in still]
        w = pdf.content_width
        pdf.table([t("pdf.actions.what"), t("pdf.actions.owner"), t("pdf.actions.partner"),
                   t("pdf.actions.due"), t("pdf.followup.from")], rows, [w - 126, 28, 28, 30, 40])
    pdf.finish_pages()
    step(0.9, t("pdf.progress.saving"))
    data = bytes(pdf.output())
    step(1.0, t("pdf.progress.done"))
    return data


def _mean_cell(value: float | None, n: int) -> str:
    return "-" if value is None else f"{number(value)} (n={n})"


def follow_summary(pdf, result: FollowThrough) -> None:
    """The follow-through in one paragraph."""
    if not result.total.made:
        pdf.muted(t("progress.follow.none"))
        return
    pdf.para(follow_text(result))


def follow_text(result: FollowThrough) -> str:
    """The follow-through in one Dutch sentence (the PDF and the partnership page say it alike)."""
    c = result.total
    return t("progress.follow.summary", made=plural("n.agreements", c.made), on_time=c.on_time, late=c.late,
             dropped=c.dropped, open=c.open, overdue=c.overdue, date=dutch_date(result.as_of))


def follow_table(pdf, groups: Sequence[tuple[str, Counts]]) -> None:
    cols = [t("progress.col.made"), t("progress.col.on_time"), t("progress.col.late"),
            t("progress.col.dropped"), t("progress.col.open"), t("progress.col.overdue")]
    w = pdf.content_width
    pdf.table([t("progress.col.who")] + cols,
              [[who] + [str(getattr(c, k)) for k in ("made",) + STATES] for who, c in groups],
              [w - 6 * 19] + [19] * 6, aligns="L" + "R" * 6)
