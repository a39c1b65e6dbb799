"""Views for the 'praatplaat' layout (to be specialised; uses the shared defaults for now)."""

from ui import facilitator as _fac
from ui import participant as _part
from ui import screen as _screen

screen = _screen.generic
facilitator = _fac.default_view
participant = _part.step_view
