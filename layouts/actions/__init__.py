"""The 'actions' layout (see layouts/__init__.py)."""
