"""What the board layout stores: per participant and cell (a section and one of the step's columns,
kept as the answer's tag) a state (score 1-5, or None: "niet van toepassing") and text notes; the
newest answer counts. Read by canvas_models and the backup."""

KINDS = ("score", "text")
#: Step settings this layout keeps (beside sections and sound): ``columns``, the board's columns as
#: the facilitator set them (a list of ``{"key", "title"}``, validated when read:
#: ``canvas_models.columns_of``).
#: ``focus``, the cell on the screen (its row key and column key).
CONFIG: dict[str, type] = {"columns": list, "focus": list}
