"""Views for the 'praatplaat' layout: private answers, one shared picture, an aspect editor."""

from ui.praatplaat_views import facilitator, participant, screen

__all__ = ["facilitator", "participant", "screen"]
