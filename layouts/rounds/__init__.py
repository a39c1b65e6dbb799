"""Sequential timed rounds with private-until-reveal notes, a chosen case and marks (intervision)."""
