"""The layout registry: a few general layouts, one package each, that every werkvorm is drawn with.

A werkvorm (``canvas_models/*.yaml``) is data; its ``layout:`` names one package in this folder,
and that package bundles everything a werkvorm of that layout needs. Today:

* ``wall``: notes on a wall, clusters and dots (brainstorm).
* ``scores``: private scores and remarks per aspect, one shared picture by organisation type (praatplaat).
* ``grid``: blocks on a grid, notes per block (Education Model Canvas).
* ``stages``: sections the group goes through one at a time (GROW gesprekskaart).
* ``actions``: proposals that become agreements, earlier agreements under review (follow-up plaat).
* ``choices``: options per section, chosen by one choice or by spending points (professionaliseringsmenu,
  huishoudelijk reglement, which condition first); its sums, report and demo data sit beside its views.

Each package has ``views.py`` (streamlit): ``participant(ws, step, who) -> bool`` (True: offer
"klaar"), ``facilitator(ws, step, fac)``, ``screen(ws, step)`` and, for a layout of notes,
``facilitator_notes(ws, step, fac)``, its notes as a table the cockpit redraws on its own.

A layout is a folder: the names are read from the file system, so this module and
``canvas_models`` import no view code. An unknown layout raises a clear error.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the registry is read by canvas_models, which workshop imports
    from workshop import Facilitator, Participant, Step, Workshop

#: Every layout, by package name (a sub-folder with an ``__init__.py``).
NAMES: tuple[str, ...] = tuple(sorted(p.name for p in Path(__file__).parent.iterdir()
                                      if (p / "__init__.py").is_file()))


def module(layout: str) -> ModuleType:
    """The views of ``layout``."""
    if layout not in NAMES:
        raise KeyError(f"no layout '{layout}' (known: {', '.join(NAMES)})")
    return import_module(f"layouts.{layout}.views")


def screen(ws: Workshop, step: Step) -> None:
    module(step.werkvorm.layout).screen(ws, step)


def facilitator(ws: Workshop, step: Step, fac: Facilitator) -> None:
    module(step.werkvorm.layout).facilitator(ws, step, fac)


def has_notes_table(step: Step) -> bool:
    """Does this step's layout draw its notes as a table of their own (``facilitator_notes``)?"""
    return hasattr(module(step.werkvorm.layout), "facilitator_notes")


def facilitator_notes(ws: Workshop, step: Step, fac: Facilitator) -> None:
    """The notes table of the step, for layouts that have one (the cockpit redraws it apart)."""
    view = getattr(module(step.werkvorm.layout), "facilitator_notes", None)
    if view is not None:
        view(ws, step, fac)


def participant(ws: Workshop, step: Step, who: Participant) -> bool:
    """The phone's inputs for ``step``; True when it should offer "klaar" (ui.inputs.readiness)."""
    return bool(module(step.werkvorm.layout).participant(ws, step, who))
