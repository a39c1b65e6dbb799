"""Rules of the 'rounds' layout (intervision) that storage, views and exports share. Imports no streamlit.

* The **chosen case** is the case note (a section with ``role: cases``) with the most dots; on a tie the
  earliest. With no dots yet, a single case is chosen by itself; several cases wait for the vote.
* The **case giver** is that note's author. Only the case giver marks which notes help (``marks: true``);
  a mark is a row in ``votes`` with ``target_type`` :data:`MARK` on the note.
* A section with ``private_until_reveal`` shows nothing of its notes until its key is in the step's
  ``config["revealed"]`` (the facilitator reveals each round on its own).
"""

from __future__ import annotations

from typing import Iterable, Mapping

from workshop.aggregate import is_visible

#: ``votes.target_type`` of the case giver's "this helps" mark.
MARK = "mark"


def live(notes: Iterable[dict]) -> list[dict]:
    """Notes as the screen and the report see them: not hidden, not merged into another."""
    return [n for n in notes if is_visible(n)]


def case_sections(werkvorm) -> set[str]:
    return {s.key for s in werkvorm.sections if s.role == "cases"}


def chosen_case(werkvorm, notes: Iterable[dict], dots: Mapping[int, int]) -> dict | None:
    """The chosen case note among ``notes`` (``dots``: note id -> dots), or None while undecided."""
    keys = case_sections(werkvorm)
    cases = [n for n in live(notes) if n["section"] in keys]
    if not cases:
        return None
    if not any(dots.get(n["id"]) for n in cases):
        return cases[0] if len(cases) == 1 else None
    return min(cases, key=lambda n: (-dots.get(n["id"], 0), n["id"]))


def revealed(config: Mapping | None, section) -> bool:
    """Are this section's notes visible on the screen (and to the case giver's marks)?"""
    if not section.private_until_reveal:
        return True
    return section.key in ((config or {}).get("revealed") or ())


def shown_section(werkvorm, section):
    """The section whose notes a round shows: the one it ``shows``, else itself."""
    return werkvorm.section(section.shows) if section.shows else section
