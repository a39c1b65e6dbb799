"""What stages store: notes per stage, tagged from the werkvorm's vocabulary. Read by canvas_models
and the backup."""

KINDS = ("note", "tagged_note")
#: Step settings this layout keeps (beside the ones every step has: sections, sound).
CONFIG: dict[str, type] = {}
