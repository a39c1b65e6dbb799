"""The colours of the organisation types, shared by the screen's charts (ui/charts.py) and the PDF.

Okabe-Ito, colour-blind safe, one fixed colour per organisation type so a group keeps its look across
screen, report and years; the overall series ("iedereen") is black. Colour is never the only carrier of
meaning: the charts add patterns, symbols and dashes, the PDF labels every series in words.
"""

from __future__ import annotations

OVERALL = "#000000"
ORG_COLOURS: dict[str, str] = {
    "po": "#0072B2",
    "vmbo": "#D55E00",
    "mbo": "#009E73",
    "hbo": "#CC79A7",
    "bedrijfsleven": "#E69F00",
    "gemeente": "#56B4E9",
    "overig": "#999999",
}


def rgb(colour: str) -> tuple[int, int, int]:
    """'#0072B2' as (0, 114, 178), for fpdf2."""
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)
