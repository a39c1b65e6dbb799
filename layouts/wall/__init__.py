"""The 'wall' layout (see layouts/__init__.py)."""
