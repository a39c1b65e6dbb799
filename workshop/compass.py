"""The inspiratiekompas as numbers: per theme its strength (mean of 1-5 scores) and its activities, and
which themes are gaps. Shared by the screen, the PDF and the sheet. Imports no streamlit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from workshop.aggregate import is_visible, score_table

#: A theme whose mean strength is at most this is weak (a gap), as is a theme without activities.
WEAK = 2.5


@dataclass(frozen=True)
class Theme:
    key: str
    title: str
    example: str
    mean: float | None      #: None while nobody rated it
    n: int                  #: how many rated it (1-5)
    activities: tuple[str, ...]

    @property
    def weak(self) -> bool:
        return self.mean is not None and self.mean <= WEAK

    @property
    def empty(self) -> bool:
        return not self.activities

    @property
    def gap(self) -> bool:
        return self.weak or self.empty


def gap_text(theme: Theme) -> str:
    """Why a theme is a gap, in words ("zwak punt · nog geen activiteit"); empty when it is none."""
    from messages import t

    return " · ".join(([t("compass.gap_weak")] if theme.weak else []) + ([t("compass.gap_empty")] if theme.empty else []))


def _get(section: Any, name: str) -> str:
    return section.get(name, "") if isinstance(section, Mapping) else getattr(section, name, "")


def themes(sections: Iterable[Any], answers: Iterable[Mapping[str, Any]],
           notes: Iterable[Mapping[str, Any]]) -> list[Theme]:
    """Per section (theme), in order: the strength from ``answers`` (latest score rows) and the texts of
    the visible ``notes`` placed under it."""
    sections = list(sections)
    scores = {a.key: a for a in score_table(answers, sections)}
    shown = [n for n in notes if is_visible(n)]
    out = []
    for section in sections:
        key = _get(section, "key")
        score = scores.get(key)
        out.append(Theme(key=key, title=_get(section, "title"), example=_get(section, "question"),
                         mean=score.mean if score else None, n=score.n if score else 0,
                         activities=tuple(n["text"] for n in shown if n.get("section") == key)))
    return out
