"""The 'scores' layout (see layouts/__init__.py)."""
