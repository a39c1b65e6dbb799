"""The 'stages' layout (see layouts/__init__.py)."""
