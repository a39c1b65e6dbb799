"""The 'choices' layout (see layouts/__init__.py)."""
