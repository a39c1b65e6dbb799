"""Every hostile string through every text input of the store, on SQLite and PostgreSQL.

Each input either stores the string, and then reads back exactly what
``workshop.text.clean`` makes of it (no control characters, no bidi overrides),
or refuses it with a :class:`UserError` whose message is the Dutch catalogue
text, the same refusal ``clean`` gives. Any other exception is a failure.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

import pytest

from helpers import assert_dutch
from hostile import HOSTILE
from workshop.errors import UserError
from workshop.store import new_key
from workshop.text import Limits, ascii_key, clean

WERKVORMEN = ("brainstorm", "praatplaat", "followup", "grow")
BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def unsafe_chars(text: str) -> list[str]:
    """Characters that must never survive cleaning (newline is allowed in multi-line fields)."""
    return [
        f"U+{ord(ch):04X}" for ch in text
        if (unicodedata.category(ch) in ("Cc", "Cs") and ch != "\n") or ch in BIDI
    ]


class Checker:
    def __init__(self, value: str):
        self.value = value
        self.problems: list[str] = []
        self.stored = 0
        self.refused = 0

    def check(self, label: str, submit, read, *, limit: int, multiline: bool = False, required: bool = True):
        try:
            expected = clean(self.value, limit=limit, label="x", multiline=multiline, required=required)
            expected_key = None
        except UserError as err:
            expected, expected_key = None, err.key
        try:
            handle = submit(self.value)
        except UserError as err:
            try:
                assert_dutch(err)
            except AssertionError as bad:
                self.problems.append(f"{label}: refusal is not a Dutch catalogue message: {err!r} ({bad})")
            if expected_key is None:
                self.problems.append(f"{label}: refused ({err.key}) though clean() accepts it")
            elif err.key != expected_key:
                self.problems.append(f"{label}: refused with {err.key}, clean() says {expected_key}")
            self.refused += 1
            return
        except Exception as exc:  # noqa: BLE001 - any other exception is exactly what we look for
            self.problems.append(f"{label}: {type(exc).__name__}: {str(exc)[:200]}")
            return
        if expected_key is not None:
            self.problems.append(f"{label}: stored though clean() refuses it ({expected_key})")
            return
        got = read(handle)
        if got != expected:
            self.problems.append(f"{label}: read back {got[:80]!r}, expected {expected[:80]!r}")
        bad = unsafe_chars(got)
        if bad:
            self.problems.append(f"{label}: stored unsafe characters {bad[:10]}")
        if len(got) > limit:
            self.problems.append(f"{label}: stored {len(got)} characters, limit {limit}")
        self.stored += 1


def _one(rows, key, value, column):
    [row] = [r for r in rows if r[key] == value]
    return row[column]


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_string_through_every_input(name, workshop_factory, store):
    value = HOSTILE[name]
    room = workshop_factory(WERKVORMEN, participants=1)
    who = room.participants[0]
    fac = room.fac
    brain, praat, follow, grow = (room.step(k) for k in WERKVORMEN)
    note_spec = brain.werkvorm.field("note")
    grow_spec = grow.werkvorm.field("note")
    text_spec = praat.werkvorm.field("goed")
    base_ws = dict(title="Titel", partnership="Regio", day=date(2026, 5, 1), facilitator="", werkvormen=["brainstorm"])
    c = Checker(value)

    # workshop fields
    c.check("workshop title", lambda v: store.create_workshop(**{**base_ws, "title": v})[0],
            lambda ws: store.workshop(ws.id).title, limit=Limits.TITLE)
    c.check("partnership", lambda v: store.create_workshop(**{**base_ws, "partnership": v})[0],
            lambda ws: store.workshop(ws.id).partnership, limit=Limits.PARTNERSHIP)
    c.check("facilitator name", lambda v: store.create_workshop(**{**base_ws, "facilitator": v})[0],
            lambda ws: store.workshop(ws.id).facilitator, limit=Limits.FACILITATOR, required=False)
    c.check("partnership entity name", lambda v: store.create_partnership(v)[0],
            lambda p: store.partnership(p.id).name, limit=Limits.PARTNERSHIP)

    # participant name
    c.check("participant name", lambda v: store.join(room.ws.code, name=v, org_type="overig"),
            lambda p: store.participant(room.ws.code, p.token).name, limit=Limits.NAME)

    # notes and answers
    def read_note(step):
        return lambda nid: _one(store.contributions(step.id, include_hidden=True), "id", nid, "text")

    c.check("note", lambda v: room.note(who, v), read_note(brain), limit=note_spec.max_length, multiline=True)
    c.check("tagged note", lambda v: room.note(who, v, werkvorm="grow", section=grow.werkvorm.sections[0].key,
                                              tags=["werven"]),
            read_note(grow), limit=grow_spec.max_length, multiline=True)
    c.check("text answer",
            lambda v: store.answer(who, praat.id, section="ambitie", values={"score": 4, "goed": v},
                                   idem_key=new_key()),
            lambda _: _one(store.latest_answers(praat.id, who.id), "field", "goed", "text"),
            limit=text_spec.max_length, multiline=True, required=False)
    mod_note = room.note(who, "Te modereren briefje")
    c.check("moderated text", lambda v: store.moderate(fac, mod_note, text=v), lambda _: read_note(brain)(mod_note),
            limit=Limits.TEXT, multiline=True)

    # actions
    def read_action(column):
        return lambda aid: _one(store.actions(room.ws.id), "id", aid, column)

    c.check("proposed action what", lambda v: store.propose_action(who, idem_key=new_key(), what=v),
            read_action("what"), limit=Limits.ACTION_WHAT)
    for column in ("owner", "partner", "link"):
        c.check(f"proposed action {column}",
                lambda v, col=column: store.propose_action(who, idem_key=new_key(), what="Actie", **{col: v}),
                read_action(column), limit=Limits.ACTION_WHO, required=False)
    c.check("facilitator action what", lambda v: store.add_action(fac, what=v),
            read_action("what"), limit=Limits.ACTION_WHAT)
    base_action = store.add_action(fac, what="Basisactie")
    c.check("action update owner", lambda v: store.update_action(fac, base_action, owner=v),
            lambda _: read_action("owner")(base_action), limit=Limits.ACTION_WHO, required=False)
    c.check("action review note", lambda v: store.update_action(fac, base_action, review_note=v, status="bezig"),
            lambda _: read_action("review_note")(base_action), limit=Limits.REVIEW_NOTE, required=False)

    # clusters
    def read_cluster(cid):
        return _one(store.clusters(brain.id), "id", cid, "name")

    c.check("cluster name", lambda v: store.add_cluster(fac, brain.id, v), read_cluster, limit=Limits.CLUSTER)
    base_cluster = store.add_cluster(fac, brain.id, "Basiscluster")
    c.check("cluster rename", lambda v: store.rename_cluster(fac, base_cluster, v),
            lambda _: read_cluster(base_cluster), limit=Limits.CLUSTER)

    # praatplaat aspects
    c.check("aspect title", lambda v: store.set_sections(fac, praat.id, [{"title": v}]),
            lambda _: store.step(praat.id).werkvorm.sections[0].title, limit=Limits.SECTION_TITLE)
    c.check("aspect question", lambda v: store.set_sections(fac, praat.id, [{"title": "Visie", "question": v}]),
            lambda _: store.step(praat.id).werkvorm.sections[0].question, limit=Limits.SECTION_QUESTION,
            required=False)

    assert not c.problems, f"{name}: " + "\n".join(c.problems)
    assert c.stored + c.refused == 20
    # machine keys made from a name (an aspect's key) are plain ASCII whatever the name
    assert re.fullmatch(r"[a-z0-9 ]{0,200}", ascii_key(value))
