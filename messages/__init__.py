"""All user-facing text of Samenspraak, in Dutch.

Every string a user sees goes through :func:`t`. The catalogue is split into
one dict per area (``core``, ``werkvormen``, ...) so that areas can grow
independently; :func:`t` looks in all of them. A missing key raises
``KeyError`` loudly in tests instead of showing a raw key to a user.
This module imports no streamlit, so domain code and exports use it too.
"""

from __future__ import annotations

import string

from messages import core, werkvormen, exports as _exports, partnership as _partnership, choices as _choices, \
    toolkit as _toolkit, regioplan as _regioplan, board as _board, spec as _spec, \
    editor as _editor, library as _library

CATALOGUE: dict[str, str] = {}
for _part in (core.NL, werkvormen.NL, _exports.NL, _partnership.NL, _choices.NL, _toolkit.NL, _regioplan.NL,
              _board.NL, _spec.NL, _editor.NL, _library.NL):
    _dupes = CATALOGUE.keys() & _part.keys()
    if _dupes:  # pragma: no cover - guarded by tests
        raise RuntimeError(f"duplicate message keys: {sorted(_dupes)}")
    CATALOGUE.update(_part)


class _Formatter(string.Formatter):
    """``str.format`` plus Dutch plural forms: ``{count:p:briefje|briefjes}``.

    The field's value picks the form: exactly 1 takes the first (singular), anything else the
    second, as Dutch does ("0 briefjes", "1 briefje", "2 briefjes"). A message writes the number
    and its noun as ``{count} {count:p:briefje|briefjes}``, so one message serves every count.
    """

    def format_field(self, value, format_spec: str):
        if format_spec.startswith("p:"):
            one, _, many = format_spec[2:].partition("|")
            return one if value == 1 else many
        return super().format_field(value, format_spec)


_FORMATTER = _Formatter()


def t(key: str, /, **params: object) -> str:
    """Return the Dutch text for ``key``, formatted with ``params`` (plural forms included)."""
    text = CATALOGUE[key]
    return _FORMATTER.vformat(text, (), params) if params else text


def plural(key: str, count: int, /, **params: object) -> str:
    """``t(key, count=count)``: a message about ``count`` things, whose plural forms the message itself
    spells (``{count} {count:p:briefje|briefjes}``): ``plural("n.notes", 1)`` -> "1 briefje"."""
    return t(key, count=count, **params)


def function_label(function: str) -> str:
    """A function of the Onderwijsregio as shown everywhere ("Werven"); an unknown tag as typed, capitalised."""
    key = f"chart.function.{function}"
    return t(key) if key in CATALOGUE else function.capitalize()


def number(value: float | None, digits: int = 1) -> str:
    """A number the Dutch way: '3,4' for 3.4; '-' for no value."""
    if value is None:
        return "-"
    return f"{value:.{digits}f}".replace(".", ",")


def signed_number(value: float, digits: int = 1) -> str:
    """A change the Dutch way: '+0,8', '-0,3', and '0,0' when it rounds to nothing."""
    rounded = round(value, digits)
    if rounded == 0:
        return number(0.0, digits)
    return ("+" if rounded > 0 else "") + number(rounded, digits)


ORG_TYPES: dict[str, str] = {
    "po": "Primair onderwijs (po)",
    "vmbo": "Vmbo",
    "mbo": "Mbo",
    "hbo": "Hbo / lerarenopleiding",
    "bedrijfsleven": "Bedrijfsleven",
    "gemeente": "Gemeente",
    "overig": "Overig",
}

#: The same organisation types in a few letters, for chart legends and tight tables (screen and PDF alike).
ORG_SHORT: dict[str, str] = {
    "po": "po",
    "vmbo": "vmbo",
    "mbo": "mbo",
    "hbo": "hbo/lerarenopl.",
    "bedrijfsleven": "bedrijfsleven",
    "gemeente": "gemeente",
    "overig": "overig",
}

MONTHS = [
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
]


def dutch_date(value) -> str:
    """Format a date as '26 november 2026'."""
    if value is None:
        return ""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
