"""A sort board: cards in lanes, moved by drag and drop (mouse and touch) or by the keyboard.

A Streamlit custom component (v1, a static folder: ``frontend/``) around SortableJS 1.15.7
(MIT, vendored unchanged in ``frontend/vendor``; no build step, nothing fetched from outside).
Every text the board shows or says to a screen reader comes from the caller (the messages
module), so the board speaks Dutch. A move comes back as the component's value
``{"seq": "...", "item": id, "to": lane id}``; :func:`take_move` hands each move out once, before
the board is drawn, so the board is drawn with the move already stored.

The static files are served by Streamlit at ``/component/ui.sortboard.sortboard/`` and cached by
the browser: a redraw sends only the lanes (a few kB for 150 cards).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

import streamlit as st
import streamlit.components.v1 as components

FRONTEND = Path(__file__).parent / "frontend"


def _component():
    """The component, declared in the run that draws it: Streamlit serves a component's files
    only when it was declared inside a script run, and this module may be imported outside one
    (declaring it again is a dictionary write)."""
    return components.declare_component("sortboard", path=str(FRONTEND))

#: The texts the board needs (keys of ``texts``): the frame's title, how to use the keyboard, a
#: card's role, and what a screen reader hears ({item}: the card's text, {lane}: a lane's title).
TEXT_KEYS = ("title", "how", "card", "picked", "over", "back", "dropped", "cancelled")


@dataclass(frozen=True)
class Card:
    id: int
    text: str
    badge: str = ""        # a short mark after the text (say "3 ●")
    badge_label: str = ""  # what a screen reader says for the badge


@dataclass(frozen=True)
class Lane:
    id: str
    title: str
    cards: Sequence[Card] = ()
    count: str = ""        # shown beside the title ("12 briefjes")
    kind: str = "cluster"  # "rest" (the tall lane on the left), "cluster", "new" or "order" (order mode)
    hint: str = ""         # a line under the cards (the "new" lane's invitation)


@dataclass(frozen=True)
class Move:
    item: int
    to: str
    #: In order mode: the card's new place in its lane (0 first); else None.
    index: int | None = None


def _handled_key(key: str) -> str:
    return f"_sortboard_seen:{key}"


def take_move(key: str) -> Move | None:
    """The board's latest move if it was not handed out before in this session, else None."""
    value = st.session_state.get(key)
    if not isinstance(value, Mapping):
        return None
    seq, item, to = value.get("seq"), value.get("item"), value.get("to")
    if not isinstance(seq, str) or st.session_state.get(_handled_key(key)) == seq:
        return None
    st.session_state[_handled_key(key)] = seq
    if isinstance(item, bool) or not isinstance(item, int) or not isinstance(to, str) or len(to) > 40:
        return None
    index = value.get("index")
    if index is not None and (isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < 1000):
        return None
    return Move(item, to, index)


def board(lanes: Sequence[Lane], *, key: str, texts: Mapping[str, str], height: int, order: bool = False) -> None:
    """Draw the board (``height`` px for the lanes). Read moves with :func:`take_move` first.

    ``order``: one lane (kind ``order``) whose cards change places; a move carries the new place
    (``Move.index``), and ``texts["position"]`` ("plaats {n} van {count}") is what a screen reader
    hears where it would hear a lane's title."""
    missing = [k for k in TEXT_KEYS if k not in texts]
    if missing:
        raise KeyError(f"sortboard texts missing: {missing}")
    # Compact on the wire (the board is sent again with every redraw of its part): a card is
    # [id, text] or [id, text, badge, badge's label].
    data = [{"id": lane.id, "title": lane.title, "count": lane.count, "kind": lane.kind, "hint": lane.hint,
             "items": [[c.id, c.text, c.badge, c.badge_label] if c.badge else [c.id, c.text] for c in lane.cards]}
            for lane in lanes]
    extra = {"order": True} if order else {}
    _component()(lanes=data, texts=dict(texts), height=int(height), key=key, default=None, **extra)
