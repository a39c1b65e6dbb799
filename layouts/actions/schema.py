"""What the actions layout stores: proposals that become actions (the workshop's agreements, kept
in the actions table, not as contributions). Read by canvas_models and the backup."""

KINDS = ("action",)
#: Step settings this layout keeps (beside the ones every step has: sections, sound).
CONFIG: dict[str, type] = {}
