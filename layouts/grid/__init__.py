"""The 'grid' layout (see layouts/__init__.py)."""
