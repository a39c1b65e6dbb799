"""One input renderer per field kind, and the note card the screens share.

Input renderers draw the widget(s) of a field inside the caller's form, under
a deterministic session-state key, and :func:`read_value` reads it back.
An unknown kind is a programming error and raises ``KeyError`` naming it.
What a screen shows is drawn by the layout (``layouts/*/views.py``), which knows
how the items belong together (clusters, blocks, aspects); there is no screen
renderer per kind. :func:`note_card` is the one card every layout draws a note with.
"""

from __future__ import annotations

from datetime import date
from typing import Callable

import streamlit as st

from canvas_models import FIELD_KINDS, FieldSpec
from messages import ORG_TYPES, function_label, t
from workshop.text import Limits
from ui import drafts
from ui.common import esc, md

#: "Weet ik niet" is a choice of its own; None means nothing chosen (yet).
UNKNOWN = 0
SCORE_OPTIONS = [1, 2, 3, 4, 5, UNKNOWN]


def widget_key(prefix: str, spec: FieldSpec, part: str = "") -> str:
    return f"{prefix}:{spec.key}" + (f":{part}" if part else "")


def _score_label(value: int | None) -> str:
    return t("kind.score.unknown") if value == UNKNOWN else str(value)


def score_value(raw: int | None) -> tuple[bool, int | None]:
    """(chosen?, score to store) for a score widget's value; "weet ik niet" stores None."""
    if raw is None:
        return False, None
    return True, None if raw == UNKNOWN else int(raw)


# ----------------------------------------------------------------- inputs
def _prefill(key: str, value) -> None:
    """Show a saved answer, unless the person already has something in the field. An empty field counts as
    nothing: after a reconnect the new session first draws every box empty, and the phone's draft that it
    then hands back is stored (ui/drafts.py) while that empty value is still the box's state."""
    if value is not None and value != "" and st.session_state.get(key) in (None, ""):
        st.session_state[key] = value


def _note_input(spec: FieldSpec, prefix: str, current=None, **extra) -> None:
    st.text_area(spec.label, key=widget_key(prefix, spec), max_chars=spec.max_length, help=spec.help or None,
                 height=110)


def _tagged_note_input(spec: FieldSpec, prefix: str, current=None, *, tags=(), **extra) -> None:
    """A note and the tags of the werkvorm's vocabulary (``tags``) it is about."""
    _note_input(spec, prefix)
    # Pills, not a multiselect. Streamlit's multiselect is a combobox: a tap focuses its text field and
    # opens its list, but the list closes when the page scrolls, and a phone scrolls the focused field
    # into view for its keyboard, so the first tap seemed only to focus it. A pill is one tap, with no
    # keyboard and no list (tests/e2e/test_e2e_phone.py).
    st.pills(t("kind.tags"), list(tags), selection_mode="multi", format_func=function_label,
             key=widget_key(prefix, spec, "tags"))


def _label(spec: FieldSpec, context: str) -> str:
    """The widget label: the field's own, or with ``context`` (the theme, the clause) where one page holds
    the same field for several sections, so that screen readers keep them apart. The praatplaat passes no
    context: it shows one aspect at a time, under its heading. A facilitator may have typed the context,
    so it goes through md()."""
    return f"{spec.label} ({md(context)})" if context else spec.label


def _score_input(spec: FieldSpec, prefix: str, current=None, *, on_change=None, args=(), context: str = "",
                 unknown: str = "", **extra) -> None:
    """The score as one row of choices (a radio group for screen readers); ``on_change`` stores a tap at once.
    ``unknown``: the label of the choice without a score, when not "weet ik niet" (the board: "n.v.t.")."""
    key = widget_key(prefix, spec)
    if current is not None:
        _prefill(key, UNKNOWN if current.get("score") is None else current["score"])
    label = (lambda v: unknown if v == UNKNOWN else str(v)) if unknown else _score_label
    st.segmented_control(_label(spec, context), SCORE_OPTIONS, format_func=label, key=key, width="stretch",
                         on_change=on_change, args=args)


def _text_input(spec: FieldSpec, prefix: str, current=None, *, on_change=None, args=(), **extra) -> None:
    key = widget_key(prefix, spec)
    if current is not None:
        _prefill(key, current.get("text", ""))
    st.text_area(spec.label, key=key, max_chars=spec.max_length, help=spec.help or None, height=90,
                 on_change=on_change, args=args)


def _action_input(spec: FieldSpec, prefix: str, current=None, *, link_options: list[str] | None = None,
                  link_format: Callable[[str], str] | None = None, **extra) -> None:
    """What, who, partner, by when and, when options are given, the aspect or werkvorm it belongs to."""
    st.text_area(t("kind.action.what"), key=widget_key(prefix, spec, "what"), max_chars=spec.max_length, height=80)
    st.text_input(t("kind.action.owner"), key=widget_key(prefix, spec, "owner"), max_chars=Limits.ACTION_WHO)
    st.text_input(t("kind.action.partner"), key=widget_key(prefix, spec, "partner"), max_chars=Limits.ACTION_WHO)
    st.date_input(t("kind.action.due"), key=widget_key(prefix, spec, "due"), value=None, format="DD-MM-YYYY",
                  min_value=date(2020, 1, 1))
    if link_options:
        link_key = widget_key(prefix, spec, "link")
        if st.session_state.get(link_key) not in link_options:  # the options changed since
            st.session_state.pop(link_key, None)
        st.selectbox(t("kind.action.link"), link_options, format_func=link_format or str, key=link_key)


def _choice_input(spec: FieldSpec, prefix: str, current=None, *, options=(), context: str = "",
                  on_change: Callable | None = None, args: tuple = (), **extra) -> None:
    """One of the section's ``options`` (each with its explanation under it); ``current`` is the saved
    choice (its ``text`` is the option key)."""
    key = widget_key(prefix, spec)
    keys = [o.key for o in options]
    if current is not None and current.get("text") in keys:
        _prefill(key, current["text"])
    if st.session_state.get(key) not in keys:
        st.session_state.pop(key, None)
    labels = {o.key: md(o.label) for o in options}
    st.radio(_label(spec, context), keys, format_func=labels.get, index=None, key=key,
             captions=[md(o.info) for o in options] if any(o.info for o in options) else None,
             on_change=on_change, args=args)


def _points_input(spec: FieldSpec, prefix: str, current=None, *, options=(), budget: int = 1, **extra) -> None:
    """A number of points (0 to ``budget``) per option; ``current`` maps option key to saved points."""
    saved = current.get("points", {}) if current else {}
    for option in options:
        key = widget_key(prefix, spec, option.key)
        _prefill(key, min(budget, int(saved.get(option.key, 0))))
        if (st.session_state.get(key) or 0) > budget:  # the facilitator lowered the budget meanwhile
            st.session_state[key] = budget
        st.number_input(t("choices.points_label", label=md(option.label)), min_value=0, max_value=budget, step=1,
                        key=key, help=md(option.info) if option.info else None)


#: Every kind has one (checked at import, below the note card).
INPUT_RENDERERS: dict[str, Callable] = {
    "note": _note_input,
    "tagged_note": _tagged_note_input,
    "score": _score_input,
    "text": _text_input,
    "action": _action_input,
    "choice": _choice_input,
    "points": _points_input,
}


def render_input(spec: FieldSpec, prefix: str, current: dict | None = None, **extra) -> None:
    """Draw the input of ``spec``; ``current`` is the saved answer to show, ``extra`` kind options."""
    try:
        renderer = INPUT_RENDERERS[spec.kind]
    except KeyError:
        raise KeyError(f"no input renderer for field kind '{spec.kind}'") from None
    renderer(spec, prefix, current, **extra)


def changed_answers(specs, prefix: str, saved: dict[str, dict], *, clear_score: bool = True) -> dict[str, object]:
    """What the score and text inputs under ``prefix`` hold that differs from ``saved`` (field key -> the
    newest answer row), read in a callback; inputs not on the page are left out. A score is its value
    (None: "weet ik niet"); with ``clear_score`` a chosen score taken back counts as None too."""
    state = st.session_state
    values: dict[str, object] = {}
    for spec in specs:
        key = widget_key(prefix, spec)
        if key not in state:  # not on the form this person saw
            continue
        raw, old = state[key], saved.get(spec.key)
        if spec.kind == "score":
            chosen, value = score_value(raw)
            if not chosen:  # nothing chosen, or a chosen score taken back
                if not clear_score or old is None or old["score"] is None:
                    continue
            elif old is not None and old["score"] == value:
                continue
        else:
            value = raw or ""
            if (old["text"] if old else "") == value.strip():
                continue
        values[spec.key] = value
    return values


def read_value(spec: FieldSpec, prefix: str):
    """The value a participant entered for ``spec`` (read in a callback)."""
    state = st.session_state
    if spec.kind == "tagged_note":
        return {"text": state.get(widget_key(prefix, spec), ""), "tags": state.get(widget_key(prefix, spec, "tags"), [])}
    if spec.kind == "action":
        return {part: state.get(widget_key(prefix, spec, part)) for part in ("what", "owner", "partner", "due", "link")}
    if spec.kind == "points":
        prefix_key = widget_key(prefix, spec) + ":"
        return {k[len(prefix_key):]: v for k, v in state.items() if isinstance(k, str) and k.startswith(prefix_key)}
    return state.get(widget_key(prefix, spec))


def clear_value(spec: FieldSpec, prefix: str) -> None:
    """Empty a note/action input after it was stored (only in callbacks); the browser drops its drafts."""
    state = st.session_state
    if spec.kind in ("note", "tagged_note"):
        state[widget_key(prefix, spec)] = ""
        drafts.forget(widget_key(prefix, spec))
        if spec.kind == "tagged_note":
            state[widget_key(prefix, spec, "tags")] = []
    elif spec.kind == "action":
        for part in ("what", "owner", "partner"):
            state[widget_key(prefix, spec, part)] = ""
            drafts.forget(widget_key(prefix, spec, part))
        state[widget_key(prefix, spec, "due")] = None


# ---------------------------------------------------------------- screen
def note_card(item: dict, *, anonymous: bool, votes: int | None = None, show_author: bool = True) -> str:
    """HTML for one note; all user parts escaped."""
    tags = "".join(f'<span class="ss-tag">{esc(tag)}</span>' for tag in item.get("tags") or [])
    badge = f'<span class="ss-votes" aria-label="{esc(t("kind.votes"))}">{votes} ●</span>' if votes else ""
    author = ""
    if show_author:
        who = t("kind.anonymous") if anonymous or not item.get("name") else item["name"]
        org = ORG_TYPES.get(item.get("org_type") or "", "")
        author = f'<span class="ss-meta">{esc(who)}{" · " + esc(org) if org else ""}</span>'
    hidden = " ss-hidden" if item.get("hidden") else ""
    # ss-fit-item: on the screen, a card the frame may leave out (with "+ N meer") when the room is full.
    return (f'<div class="ss-note ss-fit-item{hidden}">{badge}<span class="ss-user">{esc(item["text"])}</span>'
            f'{tags}{author}</div>')


assert set(INPUT_RENDERERS) == set(FIELD_KINDS), "every kind needs an input renderer"
