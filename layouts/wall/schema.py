"""What a wall stores: notes (tagged or not), in clusters. Read by canvas_models and the backup."""

KINDS = ("note", "tagged_note")
#: Step settings this layout keeps (beside the ones every step has: sections, sound).
CONFIG: dict[str, type] = {}
