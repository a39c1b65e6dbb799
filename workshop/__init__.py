"""Domain and storage for Samenspraak workshops. Imports no streamlit."""

from workshop.errors import NotAllowed, StoreUnavailable, UserError
from workshop.store import (
    ACTION_STATUSES,
    CODE_ALPHABET,
    Facilitator,
    Participant,
    Step,
    Store,
    Workshop,
    get_store,
    new_key,
    normalise_code,
)
from workshop.text import Limits, clean

__all__ = [
    "ACTION_STATUSES", "CODE_ALPHABET", "Facilitator", "Limits", "NotAllowed", "Participant", "Step",
    "Store", "StoreUnavailable", "UserError", "Workshop", "clean", "get_store", "new_key", "normalise_code",
]
