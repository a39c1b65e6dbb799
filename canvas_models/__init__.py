"""Werkvormen as data: every werkvorm (not only the canvas) is one YAML file.

Each ``*.yaml`` file in this folder describes one werkvorm; its ``layout:`` names one of the
general layouts in ``layouts/``. At import the files are validated into frozen pydantic
models; a broken file raises :class:`WerkvormError` naming the file and the field.
``SAMENSPRAAK_WERKVORM_DIR`` names an extra folder whose YAML files are loaded beside the
shipped ones, validated the same way (a new werkvorm needs no code). Imports no streamlit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import yaml
from layouts import NAMES as LAYOUT_NAMES
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

#: The fixed vocabulary of field kinds. Every kind has exactly one input renderer in ``ui/kinds.py``;
#: each layout says which kinds it stores (``layouts/<name>/schema.py``).
FieldKind = Literal["note", "tagged_note", "score", "text", "action", "choice", "points"]
FIELD_KINDS: tuple[str, ...] = FieldKind.__args__  # type: ignore[attr-defined]

#: The general layouts a werkvorm can be drawn with: one package each in ``layouts/``.
LAYOUTS: tuple[str, ...] = LAYOUT_NAMES
Layout = Literal[LAYOUT_NAMES]  # type: ignore[valid-type]

#: What a section is for, beyond its display text: ``options`` (the group prioritises these with
#: dots) and ``recommendations`` (a note here can become an action of the follow-up list); the rounds
#: layout's ``cases`` (the most-dotted one is chosen), ``questions``, ``question`` (the case giver's
#: (re)defined question), ``advice`` and ``next_steps``.
#: Behaviour follows the role, never a title or ``group:`` text.
Role = Literal["", "options", "recommendations", "cases", "questions", "question", "advice", "next_steps"]

MODEL_DIR = Path(__file__).parent
#: Setting: a folder with extra werkvorm files, loaded beside the shipped ones.
EXTRA_DIR_SETTING = "SAMENSPRAAK_WERKVORM_DIR"

_KEY = r"^[a-z][a-z0-9_]{0,39}$"


class WerkvormError(ValueError):
    """A werkvorm file is invalid; the message names the file and the field."""


def _unique(keys: list[str], what: str) -> None:
    """Refuse a list whose keys repeat (``what``: section, field, option, column, tag)."""
    if len(keys) != len(set(keys)):
        raise PydanticCustomError("unique_keys", "{what} keys must be unique", {"what": what})


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FieldSpec(_Frozen):
    key: str = Field(pattern=_KEY)
    kind: FieldKind
    label: str = Field(min_length=1, max_length=200)
    help: str = Field(default="", max_length=500)
    max_length: int = Field(default=280, ge=1, le=5000)
    required: bool = False


#: Most options one section (a clause, a menu) offers, and most points a participant spends on one.
MAX_OPTIONS = 12
MAX_POINTS = 50
#: Most prompts or script lines of one section, and the longest line.
MAX_LINES = 10
LINE_LENGTH = 600
#: Most sections (aspects, blocks, stages, clauses, rows) and fields of one werkvorm; most tags and columns.
MAX_SECTIONS = 40
MAX_FIELDS = 12
MAX_TAGS = 12
MAX_COLUMNS = 12
_Line = Annotated[str, Field(min_length=1, max_length=LINE_LENGTH)]


class Option(_Frozen):
    """One thing to choose in a section of the ``choices`` layout (a clause's variant, a menu item)."""

    key: str = Field(pattern=_KEY)
    label: str = Field(min_length=1, max_length=80)
    #: A short explanation, shown under the option on the phone (and beside it on the screen).
    info: str = Field(default="", max_length=400)
    #: The wording this option gives a draft document (the reglement's article text); optional.
    text: str = Field(default="", max_length=1500)


class Section(_Frozen):
    key: str = Field(pattern=_KEY)
    title: str = Field(min_length=1, max_length=120)
    question: str = Field(default="", max_length=600)
    prompts: tuple[_Line, ...] = Field(default=(), max_length=MAX_LINES)
    #: Facilitator-only script: questions to ask and hints. Never on the screen.
    script: tuple[_Line, ...] = Field(default=(), max_length=MAX_LINES)
    minutes: int | None = Field(default=None, ge=1, le=240)
    #: Display text only: sections with the same group share a column in overviews (GROW's heatmap).
    group: str = Field(default="", max_length=80)
    role: Role = ""
    #: Grid placement for the grid layout: (row, column, row span, column span).
    grid: tuple[int, int, int, int] | None = None
    # -- round flags (the 'rounds' layout: sequential timed rounds; see layouts/rounds)
    #: The screen shows nothing of this section's notes (only how many) until the facilitator reveals it.
    private_until_reveal: bool = False
    #: Who writes in this round: everyone, only the case giver, everyone but the case giver, or nobody
    #: (a round of talk, with the timer and the script).
    writers: Literal["all", "case_giver", "others", "none"] = "all"
    #: Show the notes of this earlier section (by key) instead of this one's (a round that answers them).
    shows: str = Field(default="", max_length=40)
    #: The case giver marks which of the shown notes help (once they are visible).
    marks: bool = False
    #: The group dot-votes on this section's notes when the facilitator opens a round.
    vote: bool = False
    #: What to choose from in the ``choices`` layout.
    options: tuple[Option, ...] = Field(default=(), max_length=MAX_OPTIONS)
    #: The facilitator settles one shared text for this section (typed, or taken from its notes): the
    #: step's ``outcome`` setting, on the screen and in the reports (the regioplan's vision sentence).
    #: At most one section of a werkvorm (layout ``stages``).
    settle: bool = False

    @field_validator("options")
    @classmethod
    def _unique_options(cls, value: tuple[Option, ...]) -> tuple[Option, ...]:
        _unique([o.key for o in value], "option")
        return value

    def option(self, key: str) -> Option:
        for option in self.options:
            if option.key == key:
                return option
        raise KeyError(key)


class Column(_Frozen):
    """A second axis of a board (the subregions of the programme-teams board): key and title."""
    key: str = Field(pattern=_KEY)
    title: str = Field(min_length=1, max_length=120)


class Werkvorm(_Frozen):
    key: str = Field(pattern=_KEY)
    title: str = Field(min_length=1, max_length=120)
    summary: str = Field(min_length=1, max_length=600)
    layout: Layout
    default_minutes: int = Field(default=10, ge=1, le=240)
    #: True when the facilitator moves the group section by section (GROW).
    sequential: bool = False
    #: True when answers stay hidden on the screen until revealed.
    hidden_until_reveal: bool = False
    #: True when the facilitator may change the list of sections per workshop.
    editable_sections: bool = False
    clusters: bool = False
    votes: bool = False
    #: Confidential (intervision): no names on the screen, in the cockpit or in any export, and the
    #: report keeps only what the layout calls its outcome.
    confidential: bool = False
    max_notes_per_participant: int = Field(default=30, ge=1, le=500)
    sections: tuple[Section, ...] = Field(min_length=1, max_length=MAX_SECTIONS)
    fields: tuple[FieldSpec, ...] = Field(min_length=1, max_length=MAX_FIELDS)
    # -- the ``choices`` layout (one field of kind ``choice`` or ``points``)
    #: Points each participant spends per section (kind ``points``); the facilitator may change it per step.
    points: int = Field(default=5, ge=1, le=MAX_POINTS)
    #: How many of the best options become starting activities in the follow-up list (0: none).
    top_n: int = Field(default=0, ge=0, le=MAX_OPTIONS)
    #: Share of the votes (per cent) the most chosen option needs before a section counts as agreed.
    consensus: int = Field(default=60, ge=1, le=100)
    #: True when the winning option leads the choice of "what it belongs to" in the follow-up plaat.
    feeds_links: bool = False
    #: When set, the facilitator can download a draft document (.docx) with this title.
    draft_title: str = Field(default="", max_length=120)
    #: The draft's opening words (what it is, and that the template is our own adaptation).
    draft_intro: str = Field(default="", max_length=1500)
    #: The tag vocabulary a ``tagged_note`` chooses from, in order (GROW: the five functions of the
    #: Onderwijsregio). Labels come from the messages (``messages.function_label``).
    tags: tuple[Annotated[str, Field(pattern=_KEY)], ...] = Field(default=(), max_length=MAX_TAGS)
    #: A board's second axis (layout ``board``: the sections are its rows); a facilitator may change
    #: them per workshop (step setting ``columns``, see :func:`columns_of`).
    columns: tuple[Column, ...] = Field(default=(), max_length=MAX_COLUMNS)

    @field_validator("tags")
    @classmethod
    def _unique_tags(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        _unique(list(value), "tag")
        return value

    @field_validator("sections")
    @classmethod
    def _unique_sections(cls, value: tuple[Section, ...]) -> tuple[Section, ...]:
        _unique([s.key for s in value], "section")
        return value

    @field_validator("columns")
    @classmethod
    def _unique_columns(cls, value: tuple[Column, ...]) -> tuple[Column, ...]:
        _unique([c.key for c in value], "column")
        return value

    @field_validator("fields")
    @classmethod
    def _unique_fields(cls, value: tuple[FieldSpec, ...]) -> tuple[FieldSpec, ...]:
        _unique([f.key for f in value], "field")
        return value

    @field_validator("sections")
    @classmethod
    def _shows_earlier(cls, value: tuple[Section, ...]) -> tuple[Section, ...]:
        seen: set[str] = set()
        for section in value:
            if section.shows and section.shows not in seen:
                raise PydanticCustomError("shows_earlier", "section {section}: shows '{shows}' is not an earlier section",
                                          {"section": section.key, "shows": section.shows})
            seen.add(section.key)
        return value

    @field_validator("sections")
    @classmethod
    def _one_settled(cls, value: tuple[Section, ...]) -> tuple[Section, ...]:
        if sum(1 for s in value if s.settle) > 1:
            raise PydanticCustomError("one_settled", "at most one section may be settled (settle: true)")
        return value

    @property
    def settle_section(self) -> Section | None:
        """The section whose shared text the facilitator settles (``settle: true``), if any."""
        return next((s for s in self.sections if s.settle), None)

    @model_validator(mode="after")
    def _choices_layout(self) -> "Werkvorm":
        """A werkvorm that collects choices (kind ``choice`` or ``points``: the choices layout) has one
        such field, and options in every section."""
        if self.choice_field is not None:
            kinds = [f for f in self.fields if f.kind in ("choice", "points")]
            if len(kinds) != 1:
                raise PydanticCustomError(
                    "one_choice_field", "{where}: a choices werkvorm needs exactly one field of kind 'choice' or 'points'",
                    {"where": "fields"})
            for i, section in enumerate(self.sections):
                if len(section.options) < 2:
                    raise PydanticCustomError("two_options", "{where}: section '{section}' needs at least two options",
                                              {"where": f"sections.{i}.options", "section": section.key})
        return self

    @property
    def choice_field(self) -> FieldSpec | None:
        """The field a ``choices`` werkvorm stores its choices in (kind ``choice`` or ``points``)."""
        return next((f for f in self.fields if f.kind in ("choice", "points")), None)

    @model_validator(mode="after")
    def _fits_layout(self) -> "Werkvorm":
        """Every field kind is one the layout stores (its backup schema, ``layouts/<name>/schema.py``);
        a ``tagged_note`` needs a tag vocabulary."""
        import layouts

        try:
            kinds = layouts.get(self.layout).schema.KINDS
        except ModuleNotFoundError:
            raise ValueError(f"layout: layout '{self.layout}' has no schema.py (see layouts/__init__.py)") from None
        for i, spec in enumerate(self.fields):
            if spec.kind not in kinds:
                raise PydanticCustomError("layout_kind", "{where}: layout '{layout}' stores {kinds}, not '{kind}'",
                                          {"where": f"fields.{i}.kind", "layout": self.layout,
                                           "kinds": ", ".join(kinds), "kind": spec.kind})
        if any(f.kind == "tagged_note" for f in self.fields) and not self.tags:
            raise PydanticCustomError("tags_needed", "{where}: a tagged_note field needs a tag vocabulary",
                                      {"where": "tags"})
        return self

    @property
    def kinds(self) -> frozenset[str]:
        """The field kinds this werkvorm collects (``score``: it has scores to compare, ``action``:
        it holds the workshop's agreements)."""
        return frozenset(f.kind for f in self.fields)

    def with_role(self, role: str) -> list[Section]:
        """The sections with this role (``options``, ``recommendations``)."""
        return [s for s in self.sections if s.role == role]

    def section(self, key: str) -> Section:
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)

    def field(self, key: str) -> FieldSpec:
        for spec in self.fields:
            if spec.key == key:
                return spec
        raise KeyError(key)

    def with_sections(self, sections: list[dict] | None) -> "Werkvorm":
        """This werkvorm with the section list a facilitator chose (validated)."""
        if not sections:
            return self
        return self.model_validate({**self.model_dump(), "sections": sections})


def load_file(path: Path) -> Werkvorm:
    """Load and validate one werkvorm file."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise WerkvormError(f"{path.name}: cannot read: {exc}") from exc
    if not isinstance(raw, dict):
        raise WerkvormError(f"{path.name}: top level must be a mapping")
    try:
        model = Werkvorm.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "(top)"
        msg = err["msg"]
        if where == "(top)" and ": " in msg:  # a check of the whole werkvorm names its field itself
            where, msg = msg.removeprefix("Value error, ").split(": ", 1)
        raise WerkvormError(f"{path.name}: field '{where}': {msg}") from exc
    if model.key != path.stem:
        raise WerkvormError(f"{path.name}: field 'key': must equal the file name '{path.stem}'")
    return model


def extra_dir() -> Path | None:
    """The folder of extra werkvorm files (``SAMENSPRAAK_WERKVORM_DIR``), or None."""
    from workshop import settings

    value = settings.get().werkvorm_dir
    if not value:
        return None
    path = Path(value).expanduser()
    if not path.is_dir():
        raise WerkvormError(f"{EXTRA_DIR_SETTING}={value}: not a folder")
    return path


def load_registry(directory: Path = MODEL_DIR, extra: Path | None = None) -> dict[str, Werkvorm]:
    """Load every werkvorm in ``directory`` (and ``extra``), in the order given by ``ORDER``.
    An extra file may not reuse a shipped werkvorm's key."""
    models = {p.stem: load_file(p) for p in sorted(directory.glob("*.yaml"))}
    if extra is not None:
        for path in sorted(extra.glob("*.yaml")):
            if path.stem in models:
                raise WerkvormError(f"{path.name}: field 'key': '{path.stem}' is a shipped werkvorm")
            models[path.stem] = load_file(path)
    ordered = [k for k in ORDER if k in models] + sorted(k for k in models if k not in ORDER)
    return {k: models[k] for k in ordered}


ORDER = ("brainstorm", "praatplaat", "followup", "canvas", "grow", "kompas",
         "intervisie_incident", "intervisie_roddel", "intervisie_tienstappen",
         "regio_visie", "regio_ideeen", "regio_plan", "regio_risicos", "regio_afspraken", "teams")
#: What /nieuw selects by default: the core sequence (the rest of the toolkit is chosen on purpose).
DEFAULT_SELECTION: tuple[str, ...] = ("brainstorm", "praatplaat", "followup", "canvas", "grow")

REGISTRY: dict[str, Werkvorm] = load_registry(extra=extra_dir())


def reload() -> None:
    """Read the werkvorm files again (after ``SAMENSPRAAK_WERKVORM_DIR`` changed); the registry
    stays the same object, so every module that imported it sees the new werkvormen."""
    from workshop import settings

    settings.reload()
    fresh = load_registry(extra=extra_dir())
    REGISTRY.clear()
    REGISTRY.update(fresh)


def tag_order() -> tuple[str, ...]:
    """Every tag key of every werkvorm, in werkvorm and vocabulary order (to order a merged note's tags)."""
    return tuple(dict.fromkeys(key for wv in REGISTRY.values() for key in wv.tags))


def section_dicts(werkvorm: Werkvorm) -> list[dict]:
    """The sections as a snapshot holds them (the PDF and the sheets read these)."""
    return [{"key": s.key, "title": s.title, "question": s.question, "group": s.group, "role": s.role}
            for s in werkvorm.sections]


def columns_of(werkvorm: Werkvorm, config: dict | None) -> tuple[Column, ...]:
    """A step's board columns: the ones its facilitator chose (step setting ``columns``), else the
    werkvorm's. A stored list that does not validate (an old or hand-made backup) counts as not set."""
    chosen = (config or {}).get("columns")
    if chosen:
        try:
            return Werkvorm.model_validate({**werkvorm.model_dump(), "columns": chosen}).columns
        except (ValidationError, TypeError):
            pass
    return werkvorm.columns


def get(key: str) -> Werkvorm:
    try:
        return REGISTRY[key]
    except KeyError:
        raise WerkvormError(f"unknown werkvorm '{key}'") from None
