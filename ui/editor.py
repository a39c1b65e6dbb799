"""The werkvorm editor at `/werkvorm` (issue 18): make a werkvorm without knowing YAML.

Where it starts (the address): ``?van=<shipped key>`` (an own copy of a shipped werkvorm),
``?vorm=<layout>`` (a new werkvorm of a general layout, with one starter section), or
``?sjabloon=<id>`` (a new version of an own template of an owner opened in this session).
The owner's link may come in the address too (``room``+``key`` or ``p``+``key``): it is remembered
for this session (``ui.library_state``) and taken out of the address.

The werkvorm being edited is one plain dict in session state, in the file format of
:func:`canvas_models.spec.dump`, so what is not touched round-trips exactly. Every widget writes
its own place of that dict when it changes (nothing else does), and every run checks the dict with
:func:`canvas_models.spec.parse`: each Dutch message shows beside the field it concerns, and what
the person typed stays in the dict and the widget, valid or not. A structural change (a section
added, removed or moved; a file read) starts a new generation of widget keys, so every widget is
drawn again from the dict.

The preview is the real phone page and the real projected screen of a private practice workshop
that holds the current werkvorm: made again when the werkvorm changes and is valid (the previous
one is deleted), with room for one participant (the preview's own), so nobody can use it as a
workshop. Nothing is stored as a template until the person presses "Bewaren".
"""

from __future__ import annotations

import json
from typing import Any, Callable

import streamlit as st

import layouts
from canvas_models import (LAYOUTS, LINE_LENGTH, MAX_COLUMNS, MAX_FIELDS, MAX_LINES, MAX_OPTIONS, MAX_SECTIONS,
                           MAX_TAGS, REGISTRY, Column, FieldSpec, Option, Section, Werkvorm)
from canvas_models import spec as spec_of
from messages import CATALOGUE, function_label, t
from ui import library_state, live_preview
from ui import partnership as ps
from ui import sortboard
from ui.common import esc, flash, html_block, md, show_flash, store
from workshop import NotAllowed, StoreUnavailable, UserError
from workshop.text import ascii_key

SCOPE = "ed"
SPEC = "ed:spec"            # the werkvorm being edited: a plain dict (file format)
GEN = "ed:gen"              # generation of the widget keys
ORIGIN = "ed:origin"        # where it came from: ("shipped", key) / ("layout", name) / ("template", id) / ("file",)
LOADED = "ed:loaded"        # the address it was loaded from
TEMPLATE = "ed:template"    # (owner key, template id) of the template this is a version of
IMPORT_SEEN = "ed:import-seen"
IMPORT_NOTE = "ed:import-note"

CSS = """<style>
/* The side (saving, files, preview) stays in view while the form scrolls. */
[data-testid="stColumn"]:has(.st-key-ed-side) { position:sticky; top:.4rem; align-self:flex-start;
  max-height:calc(100vh - .8rem); overflow-y:auto; overflow-x:hidden; }
.ss-ed-valid { color:#1a6b2a; margin:0; }
.ss-ed-summary { border-left:4px solid #a00000; padding:.2rem .8rem; margin-bottom:.4rem; }
.ss-ed-summary ul, .ss-ed-import ul { margin:.2rem 0; }
.ss-ed-import { border-left:4px solid #1a6b2a; padding:.2rem .8rem; overflow-wrap:anywhere; }
.ss-ed-import-refused { border-left-color:#a00000; }
.ss-ed-problem { color:#a00000; margin:-.4rem 0 .6rem 0; font-size:.9rem; }
</style>"""

#: The longest key (``canvas_models._KEY``), and the most text a box of lines (prompts, script) takes.
KEY_LENGTH = 40
LINES_LENGTH = MAX_LINES * (LINE_LENGTH + 1)


def _max(model: type, name: str) -> int:
    """The model's own limit of one text field (its ``max_length``), for the input's ``max_chars``."""
    for rule in model.model_fields[name].metadata:
        if getattr(rule, "max_length", None) is not None:
            return rule.max_length
    raise KeyError(f"{model.__name__}.{name} has no max_length")


ROLES = {"stages": ("", "options", "recommendations"),
         "rounds": ("", "cases", "questions", "question", "advice", "next_steps")}
WRITERS = ("all", "case_giver", "others", "none")
FLAGS = ("sequential", "hidden_until_reveal", "editable_sections", "clusters", "votes", "confidential")


# ------------------------------------------------------------------ starting points
def suggest_key(text: str) -> str:
    """An own key for a copy: ``eigen_`` and the words of ``text`` (a key or a title)."""
    words = ascii_key(text).replace(" ", "_") or "werkvorm"
    if not words[0].isalpha():
        words = "w" + words
    return ("eigen_" + words)[:40].rstrip("_")


def key_from_title(title: str) -> str:
    """The key a title suggests ("Onze eigen praatplaat" -> ``onze_eigen_praatplaat``); never a shipped key."""
    words = ascii_key(title).replace(" ", "_")[:40].rstrip("_") or "werkvorm"
    if not words[0].isalpha():
        words = ("w" + words)[:40]
    return suggest_key(words) if words in REGISTRY else words


def from_shipped(key: str) -> dict:
    """An own copy of a shipped werkvorm: the same file, with a key of its own."""
    return {**spec_of.dump(REGISTRY[key]), "key": suggest_key(key)}


def starter(layout: str) -> dict:
    """A new werkvorm of ``layout``: the fields and flags of the first shipped werkvorm of that
    layout (what the layout needs to work), one starter section, and our own title and summary."""
    base = next((spec_of.dump(wv) for wv in REGISTRY.values() if wv.layout == layout), None)
    kinds = layouts.get(layout).schema.KINDS
    if base is None:  # a layout without a shipped werkvorm: one field of its first kind
        base = {"layout": layout, "fields": [{"key": "antwoord", "kind": kinds[0], "label": t("editor.new_field", n=1)}]}
        if kinds[0] in ("choice", "points"):
            base["fields"][0]["key"] = "keuze"
    keep = {k: v for k, v in base.items() if k not in ("key", "title", "summary", "sections", "draft_title",
                                                        "draft_intro")}
    title = t("editor.new_title")
    return {"key": suggest_key(title), "title": title, "summary": t("editor.new_summary"), **keep,
            "sections": [new_section(layout, [])]}


def new_section(layout: str, sections: list) -> dict:
    """A section to add: a free key, a numbered title, and what its layout needs."""
    key, n = _free_key("onderdeel", sections)
    section: dict[str, Any] = {"key": key, "title": t("editor.new_section", n=n)}
    if layout == "choices":
        section["options"] = [new_option([]), new_option([{"key": "keuze_1"}])]
    if layout == "grid":
        section["grid"] = [1, len(sections) + 1, 1, 1]
    return section


def new_option(options: list) -> dict:
    key, n = _free_key("keuze", options)
    return {"key": key, "label": t("editor.new_option", n=n)}


def _free_key(prefix: str, items: list) -> tuple[str, int]:
    """The first ``{prefix}_{n}`` from n = len(items) + 1 that no item's key takes, and its n."""
    used = {item.get("key") for item in items if isinstance(item, dict)}
    n = len(items) + 1
    while f"{prefix}_{n}" in used:
        n += 1
    return f"{prefix}_{n}", n


# ------------------------------------------------------------------ the dict and its widgets
def _spec() -> dict:
    return st.session_state[SPEC]


def _wkey(path: tuple) -> str:
    return f"ed{st.session_state.get(GEN, 0)}:" + ".".join(str(p) for p in path)


def _get(path: tuple, default: Any = None) -> Any:
    node: Any = _spec()
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return default
    return node


def _put(path: tuple, value: Any, *, drop: bool = False) -> None:
    """Write one place of the dict (``drop``: take the key out, the model's default applies)."""
    node: Any = _spec()
    for part in path[:-1]:
        node = node[part]
    if drop:
        if isinstance(node, dict):
            node.pop(path[-1], None)
    else:
        node[path[-1]] = value


def load(spec: dict, origin: tuple) -> None:
    """Start editing ``spec`` (a file dict): every widget is drawn again from it."""
    st.session_state[SPEC] = json.loads(json.dumps(spec))  # a private deep copy
    st.session_state[ORIGIN] = origin
    st.session_state[GEN] = st.session_state.get(GEN, 0) + 1
    st.session_state["ed:open"] = 0 if origin[0] == "layout" else None
    # a suggested key follows the title until the person types a key of their own
    st.session_state[AUTO_KEY] = st.session_state[SPEC].get("key") if origin[0] in ("shipped", "layout") else None


PENDING = "ed:pending"
AUTO_KEY = "ed:auto-key"


def _restructure(change: Callable[[dict], None]) -> None:
    """A structural change (from a button's callback) waits until every callback of this run has
    written its widget's place, by the places as they were drawn; :func:`_apply_pending` makes it."""
    st.session_state.setdefault(PENDING, []).append(change)


def _apply_pending() -> None:
    changes = st.session_state.pop(PENDING, [])
    for change in changes:
        change(_spec())
    if changes:
        st.session_state[GEN] = st.session_state.get(GEN, 0) + 1


# value conversions: what a widget holds -> what the dict holds (None: take the key out)
def _as_text(value: str) -> str:
    return value


def _as_optional_text(value: str) -> str | None:
    return value if value.strip() else None


def _as_lines(value: str) -> list | None:
    lines = [line.strip() for line in value.splitlines() if line.strip()]
    return lines or None


def _as_keys(value: str) -> list | None:
    keys = [part.strip() for part in value.replace("\n", ",").split(",") if part.strip()]
    return keys or None


def _as_int(value: str) -> Any:
    text = value.strip()
    try:
        return int(text)
    except ValueError:
        return text  # kept as typed: the check says "vul een geheel getal in"


def _as_optional_int(value: str) -> Any:
    return _as_int(value) if value.strip() else None


def _as_grid(value: str) -> Any:
    text = value.strip()
    if not text:
        return None
    parts = [p.strip() for p in text.replace(";", ",").split(",")]
    try:
        return [int(p) for p in parts]
    except ValueError:
        return text


def _as_self(value: Any) -> Any:
    return value


def _written(key: str, path: tuple, convert: Callable[[Any], Any]) -> None:
    """A widget changed: write its place of the dict (``key``: the widget as drawn, whatever
    generation another callback of the same run started)."""
    if key not in st.session_state or _get(path[:-1]) is None:
        return
    value = convert(st.session_state[key])
    _put(path, value, drop=value is None)
    auto = st.session_state.get(AUTO_KEY)
    if path == ("key",):
        if value:
            st.session_state[AUTO_KEY] = None  # the person's own key: it stays
        else:  # left empty: the key follows the title (again)
            suggested = auto or key_from_title(str(_get(("title",), "")))
            _put(("key",), suggested)
            st.session_state[AUTO_KEY] = suggested
    elif path == ("title",) and auto and _get(("key",)) == auto and isinstance(value, str) and value.strip():
        # only the dict and the box's grey example change, never what the box holds: the person
        # may be typing in it right now (writing the box mixed the two, "onze_eigen_plaatonze_plaat")
        suggested = key_from_title(value)
        _put(("key",), suggested)
        st.session_state[AUTO_KEY] = suggested


def _show_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def _problems_at(path: tuple, problems: list) -> None:
    """The Dutch messages about this place (and what lies inside it), beside its field."""
    dotted = ".".join(str(p) for p in path)
    _show_problems([p.message for p in problems if p.dotted == dotted or p.dotted.startswith(dotted + ".")])


def _show_problems(messages: list[str]) -> None:
    if messages:
        html_block("".join(f'<p class="ss-ed-problem">⚠ {esc(m)}</p>' for m in dict.fromkeys(messages)))


def _label(prefix: str, value: Any) -> str:
    """The words for a value (``editor.kind.note``); a value from a file that has none, as it is."""
    key = f"{prefix}.{value}"
    return t(key) if key in CATALOGUE else str(value)


def text(path: tuple, label: str, problems: list, *, limit: int, optional: bool = False, area: bool = False,
         help: str | None = None, convert: Callable[[str], Any] | None = None, suggested: str | None = None) -> None:
    """A text box for one place; ``suggested``: the value that place takes while the box is empty,
    shown in grey (the key that follows the title)."""
    key = _wkey(path)
    if key not in st.session_state:
        value = _get(path, "")
        st.session_state[key] = "" if suggested and value == suggested else _show_text(value)
    widget = st.text_area if area else st.text_input
    widget(label, key=key, max_chars=limit, help=help, on_change=_written, placeholder=suggested,
           args=(key, path, convert or (_as_optional_text if optional else _as_text)))
    _problems_at(path, problems)


def lines(path: tuple, label: str, problems: list, *, limit: int) -> None:
    key = _wkey(path)
    if key not in st.session_state:
        value = _get(path, [])
        st.session_state[key] = "\n".join(str(v) for v in value) if isinstance(value, list) else _show_text(value)
    st.text_area(label, key=key, max_chars=limit, on_change=_written, args=(key, path, _as_lines), height=100)
    _problems_at(path, problems)


def number(path: tuple, label: str, problems: list, *, default: int | None, help: str | None = None) -> None:
    key = _wkey(path)
    if key not in st.session_state:
        st.session_state[key] = _show_text(_get(path, default))
    st.text_input(label, key=key, max_chars=6, help=help, on_change=_written,
                  args=(key, path, _as_int if default is not None else _as_optional_int))
    _problems_at(path, problems)


def flag(path: tuple, label: str, problems: list) -> None:
    key = _wkey(path)
    if key not in st.session_state:
        st.session_state[key] = bool(_get(path, False))
    st.checkbox(label, key=key, on_change=_written, args=(key, path, _as_self))
    _problems_at(path, problems)


def choose(path: tuple, label: str, problems: list, choices: tuple, labels: Callable[[str], str],
           default: str = "") -> None:
    key = _wkey(path)
    current = _get(path, default)
    if current not in choices:  # shown as it is, so a file's odd value is not silently changed
        choices = (*choices, current)
    if key not in st.session_state:
        st.session_state[key] = current
    st.selectbox(label, choices, key=key, format_func=lambda v: md(labels(v)), on_change=_written,
                 args=(key, path, _as_self))
    _problems_at(path, problems)


# ------------------------------------------------------------------ checking
def check(spec: dict) -> tuple[Werkvorm | None, list[spec_of.Problem]]:
    """The werkvorm, or None and the problems (the editor's own rule too: a shipped key is not ours)."""
    problems: list[spec_of.Problem] = []
    werkvorm = None
    try:
        werkvorm = spec_of.parse(spec)
    except spec_of.SpecError as err:
        problems = list(err.problems)
    key = spec.get("key") if isinstance(spec, dict) else None
    if isinstance(key, str) and key in REGISTRY:
        problems.insert(0, spec_of.Problem(("key",), t("editor.shipped_key", key=key)))
        werkvorm = None
    return werkvorm, problems


# ------------------------------------------------------------------ the form
def general(problems: list) -> None:
    spec = _spec()
    layout = spec.get("layout", "")
    kinds = layouts.get(layout).schema.KINDS if layout in LAYOUTS else ()
    st.subheader(t("editor.general"))
    text(("title",), t("editor.f.title"), problems, limit=_max(Werkvorm, "title"))
    left, right = st.columns([3, 1])
    with left:
        text(("key",), t("editor.f.key"), problems, limit=KEY_LENGTH, help=t("editor.f.key_help"),
             suggested=st.session_state.get(AUTO_KEY), convert=str.strip)
    with right:
        number(("default_minutes",), t("editor.f.default_minutes"), problems, default=10)
    text(("summary",), t("editor.f.summary"), problems, limit=_max(Werkvorm, "summary"), area=True)
    if "tagged_note" in kinds or spec.get("tags"):
        text(("tags",), t("editor.f.tags"), problems, limit=MAX_TAGS * (KEY_LENGTH + 2), help=t("editor.f.tags_help"), convert=_as_keys)
        tags = spec.get("tags") or []
        if isinstance(tags, list) and tags:
            st.caption(md(", ".join(function_label(str(tag)) for tag in tags)))
    with st.expander(t("editor.settings"), expanded=any(p.path and p.path[0] in (*FLAGS, "points", "top_n",
                     "consensus", "max_notes_per_participant", "draft_title", "draft_intro") for p in problems)):
        for name in FLAGS:
            flag((name,), t(f"editor.f.{name}"), problems)
        number(("max_notes_per_participant",), t("editor.f.max_notes_per_participant"), problems, default=30)
        if layout == "choices":
            if any(isinstance(f, dict) and f.get("kind") == "points" for f in spec.get("fields") or []):
                number(("points",), t("editor.f.points"), problems, default=5)
            number(("top_n",), t("editor.f.top_n"), problems, default=0)
            number(("consensus",), t("editor.f.consensus"), problems, default=60)
            flag(("feeds_links",), t("editor.f.feeds_links"), problems)
            text(("draft_title",), t("editor.f.draft_title"), problems, limit=_max(Werkvorm, "draft_title"), optional=True)
            text(("draft_intro",), t("editor.f.draft_intro"), problems, limit=_max(Werkvorm, "draft_intro"), optional=True, area=True)


def section_form(i: int, section: dict, problems: list, count: int) -> None:
    layout = _spec().get("layout", "")
    base = ("sections", i)
    title = section.get("title") if isinstance(section.get("title"), str) else ""
    here = [p for p in problems if p.path[:2] == base]
    heading = ("⚠ " if here else "") + t("editor.section_heading", n=i + 1, title=title or "…")
    with st.expander(md(heading), expanded=bool(here) or st.session_state.get("ed:open") == i,
                     key=_wkey((*base, "box"))):
        moves = st.columns(3)
        name = title or t("editor.new_section", n=i + 1)
        moves[0].button(t("editor.up"), key=_wkey((*base, "up")), disabled=i == 0, on_click=_move, args=(i, -1),
                        help=t("editor.up_label", title=name), width="stretch")
        moves[1].button(t("editor.down"), key=_wkey((*base, "down")), disabled=i == count - 1, on_click=_move,
                        args=(i, 1), help=t("editor.down_label", title=name), width="stretch")
        moves[2].button(t("editor.remove"), key=_wkey((*base, "remove")), disabled=count <= 1, on_click=_remove,
                        args=("sections", i), help=t("editor.remove_label", title=name), width="stretch")
        left, right = st.columns([3, 2])
        with left:
            text((*base, "title"), t("editor.f.s.title", n=i + 1), problems, limit=_max(Section, "title"))
        with right:
            text((*base, "key"), t("editor.f.s.key", n=i + 1), problems, limit=KEY_LENGTH)
        text((*base, "question"), t("editor.f.s.question", n=i + 1), problems, limit=_max(Section, "question"), optional=True, area=True)
        lines((*base, "prompts"), t("editor.f.s.prompts", n=i + 1), problems, limit=LINES_LENGTH)
        lines((*base, "script"), t("editor.f.s.script", n=i + 1), problems, limit=LINES_LENGTH)
        left, right = st.columns(2)
        with left:
            number((*base, "minutes"), t("editor.f.s.minutes", n=i + 1), problems, default=None)
        with right:
            if layout in ("stages", "choices") or section.get("group"):
                text((*base, "group"), t("editor.f.s.group", n=i + 1), problems, limit=_max(Section, "group"), optional=True)
        if layout in ROLES or section.get("role"):
            choose((*base, "role"), t("editor.f.s.role", n=i + 1), problems, ROLES.get(layout, ("",)),
                   lambda v: _label("editor.role", v or "none"))
        if layout == "grid" or "grid" in section:
            text((*base, "grid"), t("editor.f.s.grid", n=i + 1), problems, limit=KEY_LENGTH, help=t("editor.f.s.grid_help"),
                 convert=_as_grid)
        if layout == "rounds":
            choose((*base, "writers"), t("editor.f.s.writers", n=i + 1), problems, WRITERS,
                   lambda v: _label("editor.writers", v), "all")
            earlier = tuple(str(s.get("key")) for s in _spec()["sections"][:i] if isinstance(s, dict))
            choose((*base, "shows"), t("editor.f.s.shows", n=i + 1), problems, ("", *earlier),
                   lambda v: v or t("editor.shows_none"))
            flag((*base, "private_until_reveal"), t("editor.f.s.private_until_reveal", n=i + 1), problems)
            flag((*base, "marks"), t("editor.f.s.marks", n=i + 1), problems)
            flag((*base, "vote"), t("editor.f.s.vote", n=i + 1), problems)
        if layout == "choices" or section.get("options"):
            options_form(i, section, problems)


def options_form(i: int, section: dict, problems: list) -> None:
    base = ("sections", i, "options")
    options = section.get("options") if isinstance(section.get("options"), list) else []
    st.markdown(f"**{md(t('editor.options'))}**")
    _problems_at_exact(base, problems)
    for j, option in enumerate(options):
        here = (*base, j)
        left, mid, right = st.columns([4, 3, 1], vertical_alignment="bottom")
        with left:
            text((*here, "label"), t("editor.f.o.label", s=i + 1, n=j + 1), problems, limit=_max(Option, "label"))
        with mid:
            text((*here, "key"), t("editor.f.o.key", s=i + 1, n=j + 1), problems, limit=KEY_LENGTH)
        with right:
            st.button(t("editor.remove"), key=_wkey((*here, "remove")), on_click=_remove, args=(base, j),
                      help=t("editor.remove_option", s=i + 1, n=j + 1), disabled=len(options) <= 1)
        text((*here, "info"), t("editor.f.o.info", s=i + 1, n=j + 1), problems, limit=_max(Option, "info"), optional=True)
        if isinstance(option, dict) and (option.get("text") or _spec().get("draft_title")):
            text((*here, "text"), t("editor.f.o.text", s=i + 1, n=j + 1), problems,
                 limit=_max(Option, "text"), optional=True, area=True)
    st.button(t("editor.add_option", s=i + 1), key=_wkey((*base, "add")), on_click=_add_option, args=(i,),
              disabled=len(options) >= MAX_OPTIONS)


def _problems_at_exact(path: tuple, problems: list) -> None:
    dotted = ".".join(str(p) for p in path)
    _show_problems([p.message for p in problems if p.dotted == dotted])


ORDER_BOARD = "ed:order"
ORDER_TEXTS = ("title", "how", "card", "picked", "over", "back", "dropped", "cancelled", "position")


def take_order_move() -> None:
    """A section the order board moved (by drag and drop or the keyboard), before anything is drawn."""
    move = sortboard.take_move(ORDER_BOARD)
    sections = _get(("sections",))
    if move is None or move.index is None or not isinstance(sections, list):
        return
    if 0 <= move.item < len(sections) and 0 <= move.index < len(sections) and move.item != move.index:
        def change(spec: dict) -> None:
            spec["sections"].insert(move.index, spec["sections"].pop(move.item))
            st.session_state["ed:open"] = None
        _restructure(change)
        _apply_pending()


def order_board(sections: list) -> None:
    """The sections as one lane of cards to drag into their order (keyboard too)."""
    cards = [sortboard.Card(i, f"{i + 1}. {s.get('title') if isinstance(s.get('title'), str) else ''}")
             for i, s in enumerate(sections) if isinstance(s, dict)]
    lane = sortboard.Lane("order", t("editor.order"), cards, kind="order")
    texts = {name: t(f"editor.order.{name}") for name in ORDER_TEXTS}
    sortboard.board([lane], key=ORDER_BOARD, texts=texts, height=min(36 + 32 * len(cards), 330), order=True)
    st.caption(t("editor.order_help"))


def sections_form(problems: list) -> None:
    st.subheader(t("editor.sections"))
    st.caption(t("editor.sections_help"))
    sections = _spec().get("sections")
    if not isinstance(sections, list):
        sections = []
        _put(("sections",), sections)
    _problems_at_exact(("sections",), problems)
    if len(sections) > 1:
        order_board(sections)
    for i, section in enumerate(sections):
        if isinstance(section, dict):
            section_form(i, section, problems, len(sections))
    st.button(t("editor.add_section"), key=_wkey(("sections", "add")), on_click=_add_section,
              disabled=len(sections) >= MAX_SECTIONS)


def fields_form(problems: list) -> None:
    spec = _spec()
    layout = spec.get("layout", "")
    kinds = tuple(layouts.get(layout).schema.KINDS) if layout in LAYOUTS else ()
    st.subheader(t("editor.fields"))
    fields = spec.get("fields") if isinstance(spec.get("fields"), list) else []
    _problems_at_exact(("fields",), problems)
    for i, field in enumerate(fields):
        if not isinstance(field, dict):
            continue
        base = ("fields", i)
        here = [p for p in problems if p.path[:2] == base]
        kind = str(field.get("kind", ""))
        kind_label = _label("editor.kind", kind)
        heading = ("⚠ " if here else "") + t("editor.field_heading", label=field.get("label") or "…", kind=kind_label)
        with st.expander(md(heading), expanded=bool(here), key=_wkey((*base, "box"))):
            left, right = st.columns([3, 2])
            with left:
                text((*base, "label"), t("editor.f.f.label", n=i + 1), problems, limit=_max(FieldSpec, "label"))
            with right:
                text((*base, "key"), t("editor.f.f.key", n=i + 1), problems, limit=KEY_LENGTH)
            choose((*base, "kind"), t("editor.f.f.kind", n=i + 1), problems, kinds,
                   lambda v: _label("editor.kind", v))
            text((*base, "help"), t("editor.f.f.help", n=i + 1), problems, limit=_max(FieldSpec, "help"), optional=True)
            left, right = st.columns(2)
            with left:
                number((*base, "max_length"), t("editor.f.f.max_length", n=i + 1), problems, default=280)
            with right:
                flag((*base, "required"), t("editor.f.f.required", n=i + 1), problems)
            st.button(t("editor.remove"), key=_wkey((*base, "remove")), on_click=_remove, args=("fields", i),
                      disabled=len(fields) <= 1, help=t("editor.remove_label", title=field.get("label") or ""))
    st.button(t("editor.add_field"), key=_wkey(("fields", "add")), on_click=_add_field,
              disabled=len(fields) >= MAX_FIELDS or not kinds)


def columns_form(problems: list) -> None:
    spec = _spec()
    if spec.get("layout") != "board" and not spec.get("columns"):
        return
    st.subheader(t("editor.columns"))
    columns = spec.get("columns") if isinstance(spec.get("columns"), list) else []
    _problems_at_exact(("columns",), problems)
    for i, _column in enumerate(columns):
        base = ("columns", i)
        left, mid, right = st.columns([4, 3, 1], vertical_alignment="bottom")
        with left:
            text((*base, "title"), t("editor.f.c.title", n=i + 1), problems, limit=_max(Column, "title"))
        with mid:
            text((*base, "key"), t("editor.f.c.key", n=i + 1), problems, limit=KEY_LENGTH)
        with right:
            st.button(t("editor.remove"), key=_wkey((*base, "remove")), on_click=_remove, args=("columns", i),
                      help=t("editor.remove_column", n=i + 1))
    st.button(t("editor.add_column"), key=_wkey(("columns", "add")), on_click=_add_column,
              disabled=len(columns) >= MAX_COLUMNS)


# structural changes (callbacks)
def _move(i: int, by: int) -> None:
    def change(spec: dict) -> None:
        sections = spec["sections"]
        j = i + by
        if 0 <= j < len(sections):
            sections[i], sections[j] = sections[j], sections[i]
            st.session_state["ed:open"] = j
    _restructure(change)


def _remove(where: Any, i: int) -> None:
    path = (where,) if isinstance(where, str) else tuple(where)

    def change(spec: dict) -> None:
        items = _get(path)
        if isinstance(items, list) and 0 <= i < len(items):
            items.pop(i)
        if path == ("columns",) and not items:
            spec.pop("columns", None)
        st.session_state.pop("ed:open", None)
    _restructure(change)


def _add_section() -> None:
    def change(spec: dict) -> None:
        sections = spec.setdefault("sections", [])
        sections.append(new_section(spec.get("layout", ""), sections))
        st.session_state["ed:open"] = len(sections) - 1
    _restructure(change)


def _add_option(i: int) -> None:
    def change(spec: dict) -> None:
        options = spec["sections"][i].setdefault("options", [])
        options.append(new_option(options))
        st.session_state["ed:open"] = i
    _restructure(change)


def _add_field() -> None:
    def change(spec: dict) -> None:
        fields = spec.setdefault("fields", [])
        kinds = layouts.get(spec["layout"]).schema.KINDS
        key, n = _free_key("veld", fields)
        fields.append({"key": key, "kind": kinds[0], "label": t("editor.new_field", n=n)})
    _restructure(change)


def _add_column() -> None:
    def change(spec: dict) -> None:
        columns = spec.setdefault("columns", [])
        key, n = _free_key("kolom", columns)
        columns.append({"key": key, "title": t("editor.new_column", n=n)})
    _restructure(change)


# ------------------------------------------------------------------ saving, files, programme
def _owner_choice():
    choices = library_state.owners()
    if not choices:
        st.info(t("editor.no_owner"))
        with st.form("ed:link-form", border=False):
            st.text_input(t("editor.paste_link"), key="ed:link", max_chars=400, placeholder=t("editor.paste_hint"))
            st.form_submit_button(t("editor.paste_open"), on_click=_open_pasted_link)
        return None
    keys = [c.key for c in choices]
    held = st.session_state.get(TEMPLATE)
    if "ed:owner" not in st.session_state or st.session_state["ed:owner"] not in keys:
        st.session_state["ed:owner"] = held[0] if held and held[0] in keys else keys[0]
    labels = {c.key: c.label for c in choices}
    if len(choices) > 1:
        st.selectbox(t("editor.owner"), keys, key="ed:owner", format_func=lambda k: md(labels[k]))
    else:
        st.caption(md(f"{t('editor.owner')}: {labels[keys[0]]}"))
    return next(c for c in choices if c.key == st.session_state["ed:owner"])


def _open_pasted_link() -> None:
    """A pasted facilitator or partnership link: remembered for this session as an owner."""
    try:
        choice = library_state.open_link(ps.link_params(st.session_state.get("ed:link")))
    except (UserError, NotAllowed):
        choice = None
    if choice is None:
        flash(SCOPE, t("editor.paste_wrong"))
        return
    st.session_state.pop("ed:link", None)


def _save(choice) -> None:
    held = st.session_state.get(TEMPLATE)
    template_id = held[1] if held and held[0] == choice.key else None
    try:
        saved = store().save_werkvorm(choice.owner, _spec(), template_id=template_id)
    except spec_of.SpecError as err:
        flash(SCOPE, err.problems[0].text if err.problems else t("error.generic"))
        return
    except (UserError, NotAllowed) as exc:
        flash(SCOPE, str(exc))
        return
    st.session_state[TEMPLATE] = (choice.key, saved.id)
    flash(SCOPE, t("editor.saved", title=saved.title, version=saved.version), "success")


def actions(werkvorm: Werkvorm | None) -> None:
    st.subheader(t("editor.actions"))
    with st.container():  # one element, whatever it holds: the preview below keeps its place
        _actions(werkvorm)


def _actions(werkvorm: Werkvorm | None) -> None:
    show_flash(SCOPE)
    choice = _owner_choice()
    held = st.session_state.get(TEMPLATE)
    if choice is not None:
        label = t("editor.save_version") if held and held[0] == choice.key else t("editor.save")
        st.button(label, key="ed:save", type="primary", disabled=werkvorm is None, on_click=_save, args=(choice,),
                  width="stretch")
    left, right = st.columns(2)
    with left:
        if st.button(t("editor.add"), key="ed:add", disabled=werkvorm is None, width="stretch",
                     help=t("editor.add_help")):
            library_state.add_to_programme(werkvorm)
            st.session_state.pop(LOADED, None)  # a link to the editor from /nieuw starts afresh
            st.switch_page("pages/nieuw.py")
    with right:
        if werkvorm is not None:
            st.download_button(t("editor.download"), spec_of.to_yaml(werkvorm), file_name=f"{werkvorm.key}.yaml",
                               mime="application/x-yaml", key="ed:download", width="stretch")
        else:
            st.button(t("editor.download"), key="ed:download-off", disabled=True, width="stretch")
    if werkvorm is None:
        st.caption(t("editor.fix_first"))
    with st.expander(t("editor.import"), expanded=bool(st.session_state.get(IMPORT_NOTE))):
        import_file()


def import_file() -> None:
    upload = st.file_uploader(t("editor.import_file"), type=["yaml", "yml"], key="ed:upload",
                              help=t("editor.import_help"))
    if upload is not None and st.session_state.get(IMPORT_SEEN) != upload.file_id:
        st.session_state[IMPORT_SEEN] = upload.file_id
        st.session_state[IMPORT_NOTE] = read_file(upload.getvalue())
        st.rerun()
    if upload is None and st.session_state.pop(IMPORT_SEEN, None) is not None:  # the file was taken away
        st.session_state.pop(IMPORT_NOTE, None)
    note = st.session_state.get(IMPORT_NOTE)
    if note:
        kind, message, details = note
        body = f"<p>{esc(message)}</p>" + (
            "<ul>" + "".join(f"<li>{esc(d)}</li>" for d in details) + "</ul>" if details else "")
        html_block(f'<div class="ss-ed-import ss-ed-import-{kind}" role="status">{body}</div>')


def read_file(data: bytes) -> tuple[str, str, list[str]]:
    """Read an uploaded file into the editor (nothing stored); the note to show about it."""
    try:
        item = spec_of.from_yaml(data)
    except spec_of.SpecError as err:
        return "refused", t("editor.import_refused"), [p.text for p in err.problems[:12]]
    if isinstance(item, spec_of.Programme):
        return "refused", t("editor.import_programme"), []
    raw = spec_of.dump(item)
    details = []
    if item.key in REGISTRY:
        raw["key"] = suggest_key(item.key)
        details.append(t("editor.imported_renamed", old=item.key, new=raw["key"]))
    load(raw, ("file",))
    st.session_state.pop(TEMPLATE, None)
    return "read", t("editor.imported", title=item.title), details


# ------------------------------------------------------------------ preview
def preview(werkvorm: Werkvorm | None) -> None:
    st.subheader(t("editor.preview"))
    st.caption(t("editor.preview_help"))
    if not live_preview.allowed():
        st.info(t("preview.needs_link"))
        return
    held = live_preview.practice_workshop(werkvorm) if werkvorm is not None else live_preview.held()
    # The frames keep their place among the page's elements whatever else comes and goes (a message,
    # a caption), so a redraw does not load them again.
    note = st.empty()
    if not held:
        note.info(t("editor.preview_none"))
        return
    if werkvorm is None:
        note.caption(t("editor.preview_stale"))
    live_preview.frames(held)


# ------------------------------------------------------------------ the page
def _take_owner_link(q) -> None:
    """An owner's link in the address: remember it for this session, then take the secret out."""
    if not q.get("key") or not (q.get("p") or q.get("room")):
        return
    try:
        library_state.open_link(q)
    except (NotAllowed, UserError):
        st.warning(t("editor.link_wrong"))
    for name in ("key", "p", "room"):
        if name in q:
            del q[name]


def _open_template(template_id: str) -> bool:
    try:
        wanted = int(template_id)
    except ValueError:
        return False
    for choice in library_state.owners():
        try:
            template = store().template(choice.owner, wanted)
        except NotAllowed:
            continue
        if template.kind != "werkvorm":
            return False
        load(template.body, ("template", template.title, template.version))
        st.session_state[TEMPLATE] = (choice.key, template.id)
        st.session_state["ed:owner"] = choice.key
        return True
    return False


#: The address's starting points: what is known, how the dict is made, the origin, the message if unknown.
_STARTS = {"van": (REGISTRY, from_shipped, "shipped", "editor.unknown_shipped"),
           "vorm": (LAYOUTS, starter, "layout", "editor.unknown_layout")}


def _start(q) -> bool:
    """Load what the address asks for, once; False when there is nothing to edit yet."""
    wanted = next(((name, q.get(name)) for name in ("sjabloon", "van", "vorm") if q.get(name)), None)
    if wanted is not None and st.session_state.get(LOADED) != wanted:
        name, value = wanted
        if name == "sjabloon" and not _open_template(value):
            st.warning(t("editor.template_unknown"))
            if SPEC not in st.session_state:
                return False
            st.session_state[LOADED] = wanted
            return True
        if name in _STARTS:
            known, make, origin, unknown = _STARTS[name]
            if value not in known:
                st.warning(t(unknown))
                return False
            load(make(value), (origin, value))
            st.session_state.pop(TEMPLATE, None)
        st.session_state[LOADED] = wanted
    return SPEC in st.session_state


def chooser() -> None:
    """Nothing to edit yet: start from a shipped werkvorm or a layout."""
    st.write(t("editor.start"))
    left, right = st.columns(2)
    with left:
        key = st.selectbox(t("editor.start_shipped"), list(REGISTRY), key="ed:start-van",
                           format_func=lambda k: md(REGISTRY[k].title))
        if st.button(t("editor.start_button"), key="ed:start-van-go"):
            st.query_params["van"] = key
            st.rerun()
    with right:
        layout = st.selectbox(t("editor.start_layout"), list(LAYOUTS), key="ed:start-vorm",
                              format_func=lambda k: t(f"editor.layout.{k}"))
        if st.button(t("editor.start_button"), key="ed:start-vorm-go"):
            st.query_params["vorm"] = layout
            st.rerun()


def _origin_line() -> str:
    origin = st.session_state.get(ORIGIN) or ("file",)
    if origin[0] == "shipped" and origin[1] in REGISTRY:
        return t("editor.from_shipped", title=REGISTRY[origin[1]].title)
    if origin[0] == "layout":
        return t("editor.from_layout", layout=t(f"editor.layout.{origin[1]}"))
    if origin[0] == "template":
        return t("editor.from_template", title=origin[1], version=origin[2])
    return t("editor.from_file")


def run() -> None:
    html_block(CSS)
    st.title(t("editor.title"))
    try:
        q = st.query_params
        _take_owner_link(q)
        if not _start(q):
            chooser()
            return
        _draw()
    except StoreUnavailable:
        st.warning(t("error.db_unavailable"))


def _draw() -> None:
    _apply_pending()
    take_order_move()
    werkvorm, problems = check(_spec())
    st.caption(md(_origin_line()))
    if problems:
        items = "".join(f"<li>{esc(p.text)}</li>" for p in problems[:20])
        html_block(f'<div class="ss-ed-summary" role="status"><p><strong>'
                   f'{esc(t("editor.problems", count=len(problems)))}</strong></p><ul>{items}</ul></div>')
    else:
        html_block(f'<p class="ss-ed-valid" role="status">✓ {esc(t("editor.valid"))}</p>')
    form, side = st.columns([3, 2], gap="large")
    with form:
        general(problems)
        sections_form(problems)
        fields_form(problems)
        columns_form(problems)
    with side, st.container(key="ed-side"):
        actions(werkvorm)
        preview(werkvorm)

