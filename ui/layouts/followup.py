"""Views for the 'followup' layout: proposals, the action table, and earlier actions under review."""

from ui.followup_views import facilitator, participant, screen

__all__ = ["facilitator", "participant", "screen"]
