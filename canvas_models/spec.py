"""A werkvorm or a programme as a person makes or brings it: checked, read and written.

The werkvorm editor, the YAML import and export, the template library and every step's own copy
of its werkvorm go through here. It is one format with the shipped files in this folder:
:func:`dump` of a shipped werkvorm is its file again (in meaning), and :func:`parse` of that is
the same werkvorm.

Text from outside (the editor, an imported file, a backup) is treated as typed text: every string
is normalised as :func:`workshop.text.clean` does (no control characters or bidi overrides, NFC,
whitespace collapsed) before the model checks its limits. Every problem is reported, in Dutch, with
its place (:class:`Problem`), so the editor can show each message beside its field. Imports no
streamlit.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from typing import Any

import yaml
from pydantic import ValidationError

from messages import CATALOGUE, t
from workshop.text import normalise

from . import REGISTRY, Werkvorm, WerkvormError, get

#: The largest werkvorm or programme file we read (a shipped werkvorm is 2 to 12 kB).
MAX_FILE_BYTES = 200_000
#: The deepest nesting a file may have (a werkvorm needs 5: programme, step, werkvorm, section, option).
MAX_DEPTH = 8
#: Most steps of a programme, and the longest step (minutes).
PROGRAMME_STEPS = 20
MAX_MINUTES = 240
#: Text fields that keep their line breaks; every other text is one line.
_MULTILINE = frozenset({"summary", "question", "help", "info", "text", "draft_intro"})


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a werkvorm: where (``path``, as the model names it) and what (Dutch)."""

    path: tuple[str | int, ...]
    message: str

    @property
    def dotted(self) -> str:
        """``sections.2.title``: the place as the editor's fields are keyed."""
        return ".".join(str(p) for p in self.path)

    @property
    def where(self) -> str:
        """The place in Dutch: "onderdeel 3 › titel" (numbers count from 1)."""
        parts: list[str] = []
        items = list(self.path)
        for i, part in enumerate(items):
            if isinstance(part, int):
                continue
            following = items[i + 1] if i + 1 < len(items) else None
            if isinstance(following, int) and f"spec.place.{part}" in CATALOGUE:
                parts.append(t(f"spec.place.{part}", n=following + 1))
            else:
                name = f"spec.name.{part}"
                parts.append(t(name) if name in CATALOGUE else str(part))
        return " › ".join(parts) or t("spec.place.top")

    @property
    def text(self) -> str:
        return f"{self.where}: {self.message}" if self.path else self.message


class SpecError(WerkvormError):
    """A werkvorm or programme from outside is not valid; ``problems`` says each thing, in Dutch."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(p.text for p in problems[:5]))

    def at(self, dotted: str) -> list[str]:
        """The messages about one place (``sections.0.title``), for the editor's field there."""
        return [p.message for p in self.problems if p.dotted == dotted]


def _problem(path: tuple, key: str, /, **params: object) -> SpecError:
    return SpecError([Problem(path, t(key, **params))])


# ---------------------------------------------------------------- pydantic's errors in Dutch
_MESSAGES = {
    "string_too_long": ("spec.too_long", {"limit": "max_length"}),
    "string_too_short": ("spec.empty", {}),
    "too_long": ("spec.too_many", {"limit": "max_length"}),
    "too_short": ("spec.too_few", {"limit": "min_length"}),
    "missing": ("spec.missing", {}),
    "extra_forbidden": ("spec.unknown_field", {}),
    "literal_error": ("spec.choose", {"expected": "expected"}),
    "string_pattern_mismatch": ("spec.key", {}),
    "int_parsing": ("spec.whole_number", {}),
    "int_type": ("spec.whole_number", {}),
    "int_from_float": ("spec.whole_number", {}),
    "greater_than_equal": ("spec.at_least", {"limit": "ge"}),
    "less_than_equal": ("spec.at_most", {"limit": "le"}),
    "bool_parsing": ("spec.yes_no", {}),
    "bool_type": ("spec.yes_no", {}),
    "string_type": ("spec.text", {}),
    "tuple_type": ("spec.list", {}),
    "list_type": ("spec.list", {}),
    "model_type": ("spec.mapping", {}),
    "dict_type": ("spec.mapping", {}),
    "model_attributes_type": ("spec.mapping", {}),
    "shows_earlier": ("spec.shows_earlier", {"shows": "shows"}),
    "one_choice_field": ("spec.one_choice_field", {}),
    "two_options": ("spec.two_options", {}),
    "layout_kind": ("spec.layout_kind", {"kind": "kind", "kinds": "kinds"}),
    "tags_needed": ("spec.tags_needed", {}),
    "one_settled": ("spec.one_settled", {}),
}


def problems_of(exc: ValidationError) -> list[Problem]:
    """Every error of a model check as a :class:`Problem` with a Dutch message."""
    found: list[tuple[str, Problem]] = []
    for err in exc.errors():
        kind, ctx = err["type"], err.get("ctx") or {}
        path = tuple(err["loc"])
        if "where" in ctx:  # a check of the whole werkvorm names its place itself
            path = tuple(int(p) if p.isdigit() else p for p in str(ctx["where"]).split("."))
        if kind == "unique_keys":
            message = t(f"spec.unique.{ctx.get('what', 'section')}")
        elif kind in _MESSAGES:
            key, names = _MESSAGES[kind]
            params = {param: ctx.get(source, "") for param, source in names.items()}
            if "expected" in params:  # pydantic lists the choices in English: 'a', 'b' or 'c'
                params["expected"] = str(params["expected"]).replace(" or ", " of ")
            message = t(key, **params)
        else:
            message = t("spec.invalid")
        found.append((kind, Problem(path, message)))
    # a list with a broken item is also counted as too short without it: say only what is broken
    with_broken_items = {p.path[:i] for _, p in found for i in range(1, len(p.path)) if isinstance(p.path[i], int)}
    return [p for kind, p in found if not (kind == "too_short" and p.path in with_broken_items)]


# ---------------------------------------------------------------- text from outside
def _clean_tree(value: Any, path: tuple = (), name: str = "") -> Any:
    """Every string normalised like typed text; nesting and key types checked."""
    if len(path) > MAX_DEPTH:
        raise _problem(path, "spec.too_deep")
    if isinstance(value, str):
        return normalise(value, multiline=name in _MULTILINE)
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise _problem(path, "spec.bad_key", name=str(key)[:40])
            out[key] = _clean_tree(item, (*path, key), key)
        return out
    if isinstance(value, (list, tuple)):
        return [_clean_tree(item, (*path, i), name) for i, item in enumerate(value)]
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return str(value)  # a date or timestamp YAML made of a text: compared as the text it was


def parse(raw: object) -> Werkvorm:
    """A werkvorm from outside (the editor's form, an imported file, a backup), checked as a shipped
    file is, with every text cleaned first. Raises :class:`SpecError` naming every problem."""
    if not isinstance(raw, dict):
        raise _problem((), "spec.not_werkvorm")
    try:
        return Werkvorm.model_validate(_clean_tree(raw))
    except ValidationError as exc:
        raise SpecError(problems_of(exc)) from None


def dump(werkvorm: Werkvorm) -> dict:
    """The werkvorm in the file format: only what differs from the defaults, in the model's order."""
    return werkvorm.model_dump(mode="json", exclude_defaults=True)


# ---------------------------------------------------------------- programmes
@dataclass(frozen=True)
class Programme:
    """An ordered programme of werkvormen with times ("Stuurgroep najaar")."""

    title: str
    steps: tuple[tuple[Werkvorm, int], ...]

    @property
    def minutes(self) -> int:
        return sum(m for _, m in self.steps)


def parse_programme(raw: object) -> Programme:
    """A programme from outside: ``{kind: programme, title, steps: [{werkvorm, minutes}]}``; a step's
    werkvorm is a shipped key or a whole werkvorm. Raises :class:`SpecError`."""
    if not isinstance(raw, dict) or raw.get("kind") != "programme":
        raise _problem((), "spec.not_programme")
    unknown = sorted(set(raw) - {"kind", "title", "steps"})
    if unknown:
        raise _problem((unknown[0],), "spec.unknown_field")
    title = normalise(raw.get("title"))
    if not title:
        raise _problem(("title",), "spec.empty")
    if len(title) > 120:
        raise _problem(("title",), "spec.too_long", limit=120)
    steps = raw.get("steps")
    if not isinstance(steps, list) or not steps:
        raise _problem(("steps",), "spec.too_few", limit=1)
    if len(steps) > PROGRAMME_STEPS:
        raise _problem(("steps",), "spec.too_many", limit=PROGRAMME_STEPS)
    out = []
    for i, step in enumerate(steps):
        if not isinstance(step, dict) or set(step) - {"werkvorm", "minutes"}:
            raise _problem(("steps", i), "spec.mapping")
        given = step.get("werkvorm")
        if isinstance(given, str):
            if given not in REGISTRY:
                raise _problem(("steps", i, "werkvorm"), "spec.unknown_werkvorm", name=given[:40])
            werkvorm = REGISTRY[given]
        else:
            try:
                werkvorm = parse(given)
            except SpecError as err:
                raise SpecError([Problem(("steps", i, "werkvorm", *p.path), p.message) for p in err.problems]) from None
        minutes = step.get("minutes", werkvorm.default_minutes)
        if isinstance(minutes, bool) or not isinstance(minutes, int):
            raise _problem(("steps", i, "minutes"), "spec.whole_number")
        if not 1 <= minutes <= MAX_MINUTES:
            raise _problem(("steps", i, "minutes"), "spec.between", low=1, high=MAX_MINUTES)
        out.append((werkvorm, minutes))
    return Programme(title, tuple(out))


def is_shipped(werkvorm: Werkvorm) -> bool:
    """Is this exactly a shipped werkvorm (same key, nothing changed)?"""
    return REGISTRY.get(werkvorm.key) == werkvorm


def dump_programme(programme: Programme) -> dict:
    """The programme in the file format: a shipped werkvorm by its key, an own one whole (so the file
    imports on another instance)."""
    return {"kind": "programme", "title": programme.title,
            "steps": [{"werkvorm": wv.key if is_shipped(wv) else dump(wv), "minutes": minutes}
                      for wv, minutes in programme.steps]}


# ---------------------------------------------------------------- YAML files
class _AliasError(yaml.YAMLError):
    pass


class _NoAliases(yaml.SafeLoader):
    """PyYAML's safe loader without anchors and aliases: a file of nested aliases (a "billion laughs")
    would expand into more than memory holds when walked."""

    def compose_node(self, parent, index):  # noqa: D102 - PyYAML hook
        if self.check_event(yaml.AliasEvent):
            raise _AliasError("aliases are not allowed")
        event = self.peek_event()
        if getattr(event, "anchor", None):
            raise _AliasError("anchors are not allowed")
        return super().compose_node(parent, index)


def read_yaml(data: bytes | str) -> dict:
    """A file's mapping: size, encoding, syntax and top level checked; Dutch :class:`SpecError`."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else bytes(data)
    if not raw.strip():
        raise _problem((), "spec.file_empty")
    if len(raw) > MAX_FILE_BYTES:
        raise _problem((), "spec.file_too_big", size=len(raw) // 1000, limit=MAX_FILE_BYTES // 1000)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _problem((), "spec.file_encoding") from None
    try:
        loaded = yaml.load(text, Loader=_NoAliases)  # noqa: S506 - a SafeLoader without aliases
    except _AliasError:
        raise _problem((), "spec.file_aliases") from None
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        if line is not None:
            raise _problem((), "spec.file_syntax_line", line=line + 1) from None
        raise _problem((), "spec.file_syntax") from None
    if not isinstance(loaded, dict):
        raise _problem((), "spec.file_not_mapping")
    return loaded


def from_yaml(data: bytes | str) -> Werkvorm | Programme:
    """A werkvorm or programme file (``kind: programme`` says which), fully checked."""
    raw = read_yaml(data)
    return parse_programme(raw) if raw.get("kind") == "programme" else parse(raw)


def to_yaml(item: Werkvorm | Programme) -> str:
    """The file of a werkvorm or programme, as the shipped files are written (UTF-8, keys in order)."""
    data = dump_programme(item) if isinstance(item, Programme) else dump(item)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


# ---------------------------------------------------------------- the version a step ran with
_CACHE: dict[str, Werkvorm] = {}
_CACHE_LOCK = threading.Lock()
_CACHE_SIZE = 512


def spec_text(spec: dict) -> str:
    """A werkvorm file dict as the JSON text a step stores (``steps.spec``)."""
    return json.dumps(spec, ensure_ascii=False, separators=(",", ":"))


def spec_dict(spec: str | dict | None) -> dict | None:
    """A step's stored werkvorm as a dict (for a snapshot), from its text."""
    return json.loads(spec) if isinstance(spec, str) else spec


def stored(key: str, spec: str | dict | None) -> Werkvorm:
    """The werkvorm a step runs with: its own stored copy (``steps.spec``, JSON text or its dict), else
    the shipped one by key (a step made before copies were stored). A copy was checked when it was
    stored; read again it is validated once per process: the text is the key of a small cache, so the
    pages, which read their steps on every rerun, neither decode nor validate it again."""
    if not spec:
        return get(key)
    text = spec if isinstance(spec, str) else spec_text(spec)
    hit = _CACHE.get(text)
    if hit is not None:
        return hit
    try:
        werkvorm = Werkvorm.model_validate(json.loads(text))
    except ValidationError as exc:
        raise SpecError(problems_of(exc)) from None
    with _CACHE_LOCK:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.clear()
        _CACHE[text] = werkvorm
    return werkvorm


def of_step(step: dict) -> Werkvorm:
    """The werkvorm of a step as a snapshot holds it (``werkvorm`` key, ``spec`` copy)."""
    return stored(step.get("werkvorm", ""), step.get("spec"))
