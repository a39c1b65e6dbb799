"""The risk matrix, computed from answer rows (no streamlit): the Store's ``latest_answers`` and a
snapshot's ``step_rows`` give rows of the same shape, so the screen, the cockpit, the PDF, the
sheet and the regioplan document all place a risk the same way.

A risk's place is the rounded mean of the likelihood scores (1-5) and of the impact scores (1-5)
given to it ("weet ik niet" counts for neither); its weight is likelihood x impact (1-25). Measures
are the visible, non-empty text answers to the risk, newest last, each text once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

#: A risk's weight (likelihood x impact of the rounded means) from which it is "high", and "medium".
HIGH, MEDIUM = 15, 6


@dataclass
class Risk:
    number: int
    key: str
    title: str
    likelihood: float | None = None
    impact: float | None = None
    n: int = 0
    measures: list[str] = field(default_factory=list)

    @property
    def cell(self) -> tuple[int, int] | None:
        """(likelihood, impact), each 1-5, or None while either has no score."""
        if self.likelihood is None or self.impact is None:
            return None
        return _round(self.likelihood), _round(self.impact)

    @property
    def weight(self) -> int | None:
        cell = self.cell
        return None if cell is None else cell[0] * cell[1]

    @property
    def level(self) -> str:
        """``high``, ``medium``, ``low`` or ``open`` (not rated yet)."""
        weight = self.weight
        if weight is None:
            return "open"
        return "high" if weight >= HIGH else "medium" if weight >= MEDIUM else "low"


def _round(value: float) -> int:
    return max(1, min(5, int(value + 0.5)))  # half up, as people read a mean of 2.5 as 3


def cell_level(likelihood: int, impact: int) -> str:
    weight = likelihood * impact
    return "high" if weight >= HIGH else "medium" if weight >= MEDIUM else "low"


def score_keys(fields: Iterable) -> tuple[str, str]:
    """The likelihood and impact field keys: the first two ``score`` fields of the werkvorm."""
    keys = [f.key for f in fields if f.kind == "score"]
    return (keys + ["", ""])[0], (keys + ["", ""])[1]


def text_keys(fields: Iterable) -> tuple[str, ...]:
    return tuple(f.key for f in fields if f.kind == "text")


def risks(rows: Iterable[dict], sections: Iterable, fields: Iterable) -> list[Risk]:
    """One :class:`Risk` per section (``key``/``title`` attributes or dict items), in section order."""
    fields = list(fields)
    like, impact = score_keys(fields)
    texts = set(text_keys(fields))
    out: dict[str, Risk] = {}
    for i, s in enumerate(sections):
        key, title = (s["key"], s["title"]) if isinstance(s, dict) else (s.key, s.title)
        out[key] = Risk(i + 1, key, title)
    scores: dict[tuple[str, str], list[int]] = {}
    raters: dict[str, set] = {}
    for row in sorted(rows, key=lambda r: r["id"]):
        risk = out.get(row["section"])
        if risk is None or row.get("hidden") or row.get("deleted"):
            continue
        if row["kind"] == "score" and row["field"] in (like, impact) and row["score"] is not None:
            scores.setdefault((risk.key, row["field"]), []).append(int(row["score"]))
            raters.setdefault(risk.key, set()).add(row["participant_id"])
        elif row["kind"] == "text" and row["field"] in texts and (row.get("text") or "").strip():
            text = row["text"].strip()
            if text.casefold() not in {m.casefold() for m in risk.measures}:  # the same measure twice: once
                risk.measures.append(text)
    for risk in out.values():
        got_l, got_i = scores.get((risk.key, like)), scores.get((risk.key, impact))
        risk.likelihood = sum(got_l) / len(got_l) if got_l else None
        risk.impact = sum(got_i) / len(got_i) if got_i else None
        risk.n = len(raters.get(risk.key, ()))
    return list(out.values())


def by_weight(items: list[Risk]) -> list[Risk]:
    """Heaviest first; unrated risks last, in their own order."""
    return sorted(items, key=lambda r: (r.weight is None, -(r.weight or 0), r.number))


def number(value: float | None) -> str:
    """A mean as Dutch text (one decimal, comma), or a dash."""
    return "–" if value is None else f"{value:.1f}".replace(".", ",")
