"""Domain and storage for Samenspraak workshops. Imports no streamlit.

The names below are loaded when first asked for (``from workshop import Store``), so that a
light submodule (``from workshop import settings``) can be imported from anywhere, also from
modules the store itself imports, without loading the store.
"""

from __future__ import annotations

from importlib import import_module

_WHERE = {
    "NotAllowed": "workshop.errors", "StoreUnavailable": "workshop.errors", "UserError": "workshop.errors",
    "ACTION_STATUSES": "workshop.store", "CODE_ALPHABET": "workshop.store", "Facilitator": "workshop.store",
    "Participant": "workshop.store", "Step": "workshop.store", "Store": "workshop.store",
    "Workshop": "workshop.store", "get_store": "workshop.store", "new_key": "workshop.store",
    "normalise_code": "workshop.store",
    "Limits": "workshop.text", "clean": "workshop.text",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'workshop' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value
