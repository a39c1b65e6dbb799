"""One module per werkvorm layout (see ``canvas_models.LAYOUTS``).

Each module defines ``screen(ws, step)``, ``facilitator(ws, step, fac)`` and
``participant(ws, step, who) -> bool`` (True: offer "klaar"). The dispatch below is the only place that maps a
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


def participant(ws: Workshop, step: Step, who: Participant) -> bool:
    """The phone's inputs for ``step``; True when it should offer "klaar" (ui.participant.readiness)."""
    return bool(module(step.werkvorm.layout).participant(ws, step, who))
