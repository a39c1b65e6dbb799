"""The layout registry: a few general layouts, one package each, that every werkvorm is drawn with.

A werkvorm (``canvas_models/*.yaml``) is data; its ``layout:`` names one package in this folder,
and that package bundles everything a werkvorm of that layout needs. Today:

* ``wall``: notes on a wall, clusters and dots (brainstorm).
* ``scores``: private scores and remarks per aspect, one shared picture by organisation type (praatplaat).
* ``grid``: blocks on a grid, notes per block (Education Model Canvas).
* ``stages``: sections the group goes through one at a time (GROW gesprekskaart).
* ``actions``: proposals that become agreements, earlier agreements under review (follow-up plaat).
* ``rounds``: timed rounds, each with general flags (role, private until revealed, who writes, marks)
  (intervision).
* ``compass``: themes with activities and a strength score each, drawn as a radar (inspiratiekompas).
* ``choices``: options per section, chosen by one choice or by spending points (professionaliseringsmenu,
  huishoudelijk reglement, which condition first); its sums, report and demo data sit beside its views.
* ``risks``: likelihood and impact per risk, a risk matrix, a measure per risk (regioplan).
* ``board``: rows x columns (teams x subregions), a state and notes per cell (programme teams).

Each package bundles everything a werkvorm of that layout needs (:func:`get` hands it out):

* ``views.py`` (streamlit): ``participant(ws, step, who) -> bool`` (True: offer "klaar"),
  ``facilitator(ws, step, fac)``, ``screen(ws, step)`` and, for a layout of notes,
  ``facilitator_notes(ws, step, fac)``, its notes as a table the cockpit redraws on its own (and
  ``take_moves(fac)`` when those notes have a widget of their own that moves them, the wall's board).
* ``report.py`` (no streamlit): ``pdf_section(b, step)`` draws the step in the follow-up PDF
  (``b`` is the builder of :mod:`exports.pdf`: ``b.pdf``, ``b.snap``), ``docx_section(w, step)`` writes
  it in the Word minutes (``w``: :class:`exports.minutes.WordBuilder`, whose ``w.pdf`` takes the PDF's
  text calls, so a text-only PDF section serves both), ``sheet(ctx, step)`` its Excel/CSV table
  (``ctx``: :class:`exports.tables.SheetContext`).
* ``demo.py`` (no streamlit): ``fill(demo, step)`` adds the demo data of one step to the demo
  workshop (:class:`exports.demo.Demo`).
* ``schema.py`` (no imports): what the layout stores, which the werkvorm files and a backup are
  validated with: ``KINDS``, the contribution kinds its fields may have, and ``CONFIG``, the step
  settings it keeps (name -> type).

A new werkvorm that reuses a layout is one YAML file; a new layout is a new package with these
four modules. The names are read from the file system, and every part is imported when first
asked for, so ``canvas_models`` and ``exports`` import no streamlit. An unknown layout raises a
clear error.
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


class LayoutError(KeyError):
    """A layout name that is no package of ``layouts/``."""

    def __str__(self) -> str:
        return str(self.args[0])


class Bundle:
    """One layout's parts, each imported when first used (views import streamlit, the rest not)."""

    def __init__(self, name: str):
        self.name = name

    def _part(self, part: str) -> ModuleType:
        return import_module(f"layouts.{self.name}.{part}")

    #: The phone, cockpit and screen views (streamlit).
    views = property(lambda self: self._part("views"))
    #: ``pdf_section(b, step)``, ``docx_section(w, step)`` and ``sheet(ctx, step)``.
    report = property(lambda self: self._part("report"))
    #: ``fill(demo, step)``.
    demo = property(lambda self: self._part("demo"))
    #: ``KINDS`` and ``CONFIG``.
    schema = property(lambda self: self._part("schema"))

    def __repr__(self) -> str:
        return f"<layout {self.name}>"


_BUNDLES = {name: Bundle(name) for name in NAMES}


def get(layout: str) -> Bundle:
    """The bundle of ``layout``; a name that is no layout raises :class:`LayoutError`."""
    try:
        return _BUNDLES[layout]
    except KeyError:
        raise LayoutError(f"no layout '{layout}' (known: {', '.join(NAMES)})") from None


def of(step: dict) -> Bundle:
    """The bundle of a step as a snapshot holds it (its own copy of its werkvorm, else the shipped
    one of its key); an unknown werkvorm raises ``canvas_models.WerkvormError``."""
    from canvas_models.spec import of_step

    return get(of_step(step).layout)


def module(layout: str) -> ModuleType:
    """The views of ``layout``."""
    return get(layout).views


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


def take_moves(fac: Facilitator) -> None:
    """Store what the layouts' own note widgets sent since the last run (the wall's sort board),
    before the cockpit reads what to draw: the notes are then drawn with that move in them."""
    for name in NAMES:
        take = getattr(module(name), "take_moves", None)
        if take is not None:
            take(fac)


def participant(ws: Workshop, step: Step, who: Participant) -> bool:
    """The phone's inputs for ``step``; True when it should offer "klaar" (ui.inputs.readiness)."""
    return bool(module(step.werkvorm.layout).participant(ws, step, who))
