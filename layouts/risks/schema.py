"""What the risks layout stores: per participant and risk (a section) two scores, likelihood and
impact (the werkvorm's first and second ``score`` field, in that order), and text answers (the
measure they propose); the newest answer counts, as in the scores layout. Read by canvas_models
and the backup."""

KINDS = ("score", "text")
#: Step settings this layout keeps (beside the ones every step has: sections, sound).
CONFIG: dict[str, type] = {}
