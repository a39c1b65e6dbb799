"""What the scores layout stores: per participant and aspect a score (1-5 or "weet ik niet") and
text answers; the newest answer counts. Read by canvas_models and the backup."""

KINDS = ("score", "text")
#: Step settings this layout keeps (beside the ones every step has: sections, sound):
#: ``chart``, the chart the screen shows (bar, radar, ...).
CONFIG: dict[str, type] = {"chart": str}
