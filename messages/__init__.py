"""All user-facing text of Samenspraak, in Dutch.

Every string a user sees goes through :func:`t`. The catalogue is split into
one dict per area (``core``, ``werkvormen``, ...) so that areas can grow
independently; :func:`t` looks in all of them. A missing key raises
``KeyError`` loudly in tests instead of showing a raw key to a user.
This module imports no streamlit, so domain code and exports use it too.
"""

from __future__ import annotations

from messages import core, werkvormen, exports as _exports

CATALOGUE: dict[str, str] = {}
for _part in (core.NL, werkvormen.NL, _exports.NL):
    _dupes = CATALOGUE.keys() & _part.keys()
    if _dupes:  # pragma: no cover - guarded by tests
        raise RuntimeError(f"duplicate message keys: {sorted(_dupes)}")
    CATALOGUE.update(_part)


def t(key: str, /, **params: object) -> str:
    """Return the Dutch text for ``key``, formatted with ``params``."""
    text = CATALOGUE[key]
    return text.format(**params) if params else text


def plural(key: str, count: int, /, **params: object) -> str:
    """Dutch singular or plural: ``key + ".one"`` when ``count`` is 1, else ``key + ".other"``.

    Both forms get ``count`` (and ``params``) to format with:
    ``plural("n.notes", 1)`` -> "1 briefje", ``plural("n.notes", 2)`` -> "2 briefjes".
    """
    return t(f"{key}.{'one' if count == 1 else 'other'}", count=count, **params)


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

MONTHS = [
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
]


def dutch_date(value) -> str:
    """Format a date as '26 november 2026'."""
    if value is None:
        return ""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
