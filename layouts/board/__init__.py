"""The board layout: rows (the werkvorm's sections) x columns (its ``columns``), a state and notes per cell."""
