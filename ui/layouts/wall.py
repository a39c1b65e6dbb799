"""Views for the 'wall' layout: the brainstorm with clusters and dot votes."""

from ui import facilitator as _fac
from ui import participant as _part
from ui import screen as _screen

screen = _screen.wall
facilitator = _fac.default_view
participant = _part.step_view
