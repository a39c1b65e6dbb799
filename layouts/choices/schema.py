"""What the choices layout stores: per participant and section one choice (kind ``choice``, the option
in ``text``) or a spread of points (kind ``points``, one row per option, the points in ``score``); the
newest counts. Read by canvas_models and the backup (the engine's registry; see layouts/__init__.py)."""

KINDS = ("choice", "points")
#: Step settings this layout keeps: ``points`` per participant, ``top_n`` starting activities, the
#: ``settled`` option per section (section key -> option key), and the section in ``screen_focus``.
CONFIG: dict[str, type] = {"points": int, "top_n": int, "settled": dict, "screen_focus": str}
