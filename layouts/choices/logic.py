"""What a ``choices`` step adds up to (imports no streamlit: the screen, the cockpit and the exports use it).

Rows are contributions of kind ``choice`` (``text`` = the option chosen) or ``points`` (``text`` = the
option, ``score`` = the points on it), appended oldest first. What counts:

* ``choice``: per participant and section, the newest row.
* ``points``: per participant and section, the newest spread (one row per option, written together);
  a spread above the current budget (the facilitator lowered it) counts for nothing until it is
  spread again.

A section's result ranks its options by count (equal counts share a rank, the werkvorm's order
breaks the tie). A section is *settled* when the facilitator chose its option, *agreed* when the
most chosen option alone has at least the werkvorm's ``consensus`` share, else *open*.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

import canvas_models
from workshop.aggregate import Ranked
from workshop.store import choice_budget

KINDS = ("choice", "points")
SETTLED, AGREED, OPEN = "settled", "agreed", "open"


@dataclass(frozen=True)
class OptionCount:
    key: str
    label: str
    info: str
    text: str
    count: int     #: participants who chose it, or points given to it
    share: float   #: of the section's total (0..1)
    rank: int      #: 1-based; equal counts share a rank


@dataclass(frozen=True)
class SectionResult:
    key: str
    title: str
    group: str
    question: str
    options: tuple[OptionCount, ...]   #: ranked, most first
    respondents: int
    total: int
    over_budget: int                   #: spreads that do not count (above the budget)
    settled: str | None                #: the option the facilitator settled on
    status: str                        #: SETTLED, AGREED or OPEN

    @property
    def top(self) -> OptionCount | None:
        """The most chosen option when it leads alone (None: nothing yet, or a tie)."""
        if not self.options or not self.options[0].count:
            return None
        if len(self.options) > 1 and self.options[1].count == self.options[0].count:
            return None
        return self.options[0]

    @property
    def outcome(self) -> OptionCount | None:
        """The settled option, else the agreed one; None while the section is open."""
        if self.settled:
            return self.option(self.settled)
        return self.top if self.status == AGREED else None

    def option(self, key: str) -> OptionCount | None:
        return next((o for o in self.options if o.key == key), None)

    def ranked(self) -> list[Ranked]:
        """The options as :class:`workshop.aggregate.Ranked` (for ``ui.charts.ranking_bar``)."""
        return [Ranked(item={"id": o.key, "text": o.label}, votes=o.count, rank=o.rank) for o in self.options]


def counted(rows: Iterable[Mapping]) -> list[Mapping]:
    """The rows that count: the newest choice per participant and section, and of points the newest row
    per participant, section and option (every spread writes every option, so that is the newest spread)."""
    newest: dict[tuple, Mapping] = {}
    for row in sorted(rows, key=lambda r: r["id"]):
        if row.get("kind") not in KINDS or row.get("hidden"):
            continue
        option = row["text"] if row["kind"] == "points" else ""
        newest[(row["participant_id"], row["section"], option)] = row
    return list(newest.values())


def results(wv: canvas_models.Werkvorm, rows: Iterable[Mapping], config: Mapping | None = None
            ) -> list[SectionResult]:
    """Every section's result; ``config`` is the step's settings (budget, settled sections)."""
    config = config or {}
    budget = choice_budget(config, wv)
    settled = config.get("settled") if isinstance(config.get("settled"), dict) else {}
    rows = counted(rows)
    out = []
    for section in wv.sections:
        mine = [r for r in rows if r["section"] == section.key]
        counts = {o.key: 0 for o in section.options}
        over = 0
        people: set = set()
        if wv.choice_field and wv.choice_field.kind == "points":
            spreads: dict[object, dict[str, int]] = {}
            for r in mine:
                if r["text"] in counts:
                    spreads.setdefault(r["participant_id"], {})[r["text"]] = int(r.get("score") or 0)
            for who, spread in spreads.items():
                if sum(spread.values()) > budget:
                    over += 1
                    continue
                if sum(spread.values()):
                    people.add(who)
                for key, value in spread.items():
                    counts[key] += value
        else:
            for r in mine:
                if r["text"] in counts:
                    counts[r["text"]] += 1
                    people.add(r["participant_id"])
        total = sum(counts.values())
        order = sorted(section.options, key=lambda o: -counts[o.key])  # stable: the werkvorm's order breaks ties
        options = tuple(OptionCount(o.key, o.label, o.info, o.text, counts[o.key],
                                    counts[o.key] / total if total else 0.0,
                                    1 + sum(1 for other in counts.values() if other > counts[o.key]))
                        for o in order)
        chosen = settled.get(section.key)
        chosen = chosen if isinstance(chosen, str) and chosen in counts else None  # (settings from any backup)
        result = SectionResult(section.key, section.title, section.group, section.question, options,
                               len(people), total, over, chosen, OPEN)
        if chosen:
            status = SETTLED
        elif result.top is not None and result.top.share * 100 >= wv.consensus:
            status = AGREED
        else:
            status = OPEN
        out.append(SectionResult(**{**result.__dict__, "status": status}))
    return out


def top_options(result: SectionResult, n: int) -> list[OptionCount]:
    """The ``n`` best options that got anything (the starting activities of a menu)."""
    return [o for o in result.options if o.count][:max(0, n)]


def top_n(wv: canvas_models.Werkvorm, config: Mapping | None) -> int:
    """How many best options become starting activities: the facilitator's setting, else the werkvorm's."""
    value = (config or {}).get("top_n")
    most = max(len(s.options) for s in wv.sections)
    return value if type(value) is int and 0 <= value <= most else wv.top_n


def leading_labels(result: SectionResult) -> list[str]:
    """Option labels in the order a follow-up should offer them: the outcome first, then by count."""
    first = [result.outcome.label] if result.outcome else []
    return first + [o.label for o in result.options if o.count and o.label not in first]
