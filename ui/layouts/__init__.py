"""One module per werkvorm layout (see ``canvas_models.LAYOUTS``).

Each module defines ``screen(ws, step)``, ``facilitator(ws, step, fac)`` and
``participant(ws, step, who) -> bool`` (True: offer "klaar"); a layout of notes also defines
``facilitator_notes(ws, step, fac)``, its notes as a table the cockpit redraws on its own. The dispatch below is the only place that maps a
layout name to its module; an unknown layout raises a clear error.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

from canvas_models import LAYOUTS
from workshop import Facilitator, Participant, Step, Workshop


def module(layout: str) -> ModuleType:
    if layout not in LAYOUTS:
        raise KeyError(f"no view module for layout '{layout}'")
    return import_module(f"ui.layouts.{layout}")


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
    """The phone's inputs for ``step``; True when it should offer "klaar" (ui.participant.readiness)."""
    return bool(module(step.werkvorm.layout).participant(ws, step, who))
