"""The messages catalogue: Dutch plural forms for every count a person reads."""

from __future__ import annotations

import re
import string

import pytest

from messages import CATALOGUE, plural, t

#: Nouns (and verbs) whose plural must never follow the number 1.
PLURALS_AFTER_ONE = re.compile(
    r"\b1 (?:van (?:de )?\d+ )?(deelnemers|briefjes|stippen|acties|afspraken|clusters|tekens|voorstellen|"
    r"aspecten|hebben|staan|wachten)\b"
)
#: Fields that hold a number in some message; every other field gets a word.
COUNT_FIELDS = {"count", "notes", "people", "dots", "clusters", "confirmed", "participants", "actions",
                "voters", "total", "ready", "left", "done", "pending", "n"}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _render(key: str, number: int) -> str:
    fields = _fields(CATALOGUE[key])
    return t(key, **{f: (number if f in COUNT_FIELDS else "X") for f in fields})


@pytest.mark.parametrize("key", sorted(k for k, v in CATALOGUE.items() if _fields(v) & COUNT_FIELDS))
def test_no_plural_noun_follows_the_number_one(key):
    one = _render(key, 1)
    assert not PLURALS_AFTER_ONE.search(one), one
    assert "(s)" not in one and "(len)" not in one, one


def test_plural_forms_follow_the_number():
    assert t("screen.participants", count=0) == "0 deelnemers"
    assert t("screen.participants", count=1) == "1 deelnemer"
    assert t("screen.participants", count=2) == "2 deelnemers"
    assert t("dots.screen_voters", voters=1, total=30) == "1 van 30 heeft gestemd"
    assert t("dots.screen_voters", voters=2, total=30) == "2 van 30 hebben gestemd"
    assert t("n.notes", count=1) == "1 briefje" and t("n.dots", count=0) == "0 stippen"
    assert plural("n.agreements", 1) == "1 afspraak" and plural("n.agreements", 3) == "3 afspraken"


def test_a_plural_spec_on_a_text_field_is_the_only_magic():
    """Other format specs still work, and braces stay literal where the catalogue escapes them."""
    from messages import _FORMATTER

    assert _FORMATTER.format("{x:>3}|{{y}}", x=7) == "  7|{y}"
