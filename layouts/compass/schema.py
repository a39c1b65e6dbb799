"""What the compass stores: activities (notes) per theme and one strength score per theme and person.
Read by canvas_models and the backup."""

KINDS = ("note", "score")
#: Step settings this layout keeps (beside the ones every step has: sections, sound).
CONFIG: dict[str, type] = {}
