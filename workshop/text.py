"""Input limits and cleaning for every free-text field. Imports no streamlit."""

from __future__ import annotations

import re
import unicodedata

from workshop import settings
from workshop.errors import UserError


class Limits:
    """Field limits; a few are settings so that a host can tune them."""

    NOTE = 280
    TEXT = 500
    NAME = 60
    TITLE = 120
    PARTNERSHIP = 120
    FACILITATOR = 80
    ACTION_WHAT = 300
    ACTION_WHO = 80
    CLUSTER = 60
    SECTION_TITLE = 120
    SECTION_QUESTION = 600
    SECTION_GROUP = 80
    REVIEW_NOTE = 300
    #: A settled shared text of a section (the regioplan's vision sentence).
    OUTCOME = 300
    MAX_PARTICIPANTS = settings.get().max_participants
    NOTES_PER_STEP = settings.get().max_notes_per_step
    ACTIONS_PER_PARTICIPANT = 20
    #: Columns of a board (subregions): more do not read on a projector.
    BOARD_COLUMNS = 12


# Bidi overrides/isolates can visually reorder surrounding text; drop them.
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
# C0/C1 controls (tab, newline and CR are handled apart), lone surrogates, which no database can encode,
# and the noncharacters U+FFFE/U+FFFF and U+FDD0-U+FDEF, which XML (Excel) refuses.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")


def normalise(value: object, *, multiline: bool = False) -> str:
    """``value`` as text the way :func:`clean` keeps it, without a limit: NFC, no control characters or
    bidi overrides, whitespace collapsed (but newlines when ``multiline``), stripped; "" when nothing
    visible is left (only spaces or zero-width characters)."""
    text = "" if value is None else str(value)
    text = unicodedata.normalize("NFC", text).translate(_BIDI_CONTROLS)
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "))
    if not multiline:
        text = " ".join(text.split())
    text = text.strip()
    visible = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cf", "Zs", "Cc"))
    return text if visible.strip() else ""


def clean(value: object, *, limit: int, label: str, required: bool = True, multiline: bool = False) -> str:
    """Normalise user text or raise :class:`UserError` with a Dutch message.

    NUL and control characters are removed, bidi overrides dropped, Unicode
    normalised to NFC. Too long is refused (never silently cut), so the
    person can shorten their own text.
    """
    text = normalise(value, multiline=multiline)
    if not text:
        if required:
            raise UserError("error.empty", label=label)
        return ""
    if len(text) > limit:
        raise UserError("error.too_long", label=label, limit=limit, length=len(text))
    return text


def ascii_key(name: str) -> str:
    """Plain lowercase ASCII words of ``name`` (for machine keys such as an aspect's key).

    Never use it to decide access: two names that look alike prove nothing.
    """
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", folded).split())[:200]
