"""What stages store: notes per stage, tagged from the werkvorm's vocabulary. Read by canvas_models
and the backup."""

KINDS = ("note", "tagged_note")
#: Step settings this layout keeps (beside the ones every step has: sections, sound): ``outcome``, the
#: shared text the facilitator settled for the werkvorm's ``settle`` section (checked and cleaned by
#: ``report.backup_config``).
CONFIG: dict[str, type] = {"outcome": str}
