"""What rounds store: notes per round; the case giver's marks are votes with ``target_type`` "mark"
(workshop.rounds). Read by canvas_models and the backup."""

KINDS = ("note",)
#: Step settings this layout keeps (beside the ones every step has: sections, sound): the rounds revealed.
CONFIG: dict[str, type] = {"revealed": list}
