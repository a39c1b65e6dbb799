"""Werkvormen as data.

Each ``*.yaml`` file in this folder describes one werkvorm. At import the files
are validated into frozen pydantic models; a broken file raises
:class:`WerkvormError` naming the file and the field. Imports no streamlit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from layouts import NAMES as LAYOUT_NAMES
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

#: The fixed vocabulary of field kinds. Every kind has exactly one input
#: renderer and one screen renderer in ``ui/kinds.py``.
FieldKind = Literal["note", "tagged_note", "score", "text", "action"]
FIELD_KINDS: tuple[str, ...] = FieldKind.__args__  # type: ignore[attr-defined]

#: The general layouts a werkvorm can be drawn with: one package each in ``layouts/``.
LAYOUTS: tuple[str, ...] = LAYOUT_NAMES
Layout = Literal[LAYOUT_NAMES]  # type: ignore[valid-type]

#: What a section's notes are to a werkvorm (``Section.role``).
SectionRole = Literal["", "cases", "questions", "question", "advice", "next_steps"]

FUNCTIONS: tuple[str, ...] = ("werven", "matchen", "opleiden", "begeleiden", "professionaliseren")

MODEL_DIR = Path(__file__).parent

_KEY = r"^[a-z][a-z0-9_]{0,39}$"


class WerkvormError(ValueError):
    """A werkvorm file is invalid; the message names the file and the field."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FieldSpec(_Frozen):
    key: str = Field(pattern=_KEY)
    kind: FieldKind
    label: str = Field(min_length=1, max_length=200)
    help: str = Field(default="", max_length=500)
    max_length: int = Field(default=280, ge=1, le=5000)
    required: bool = False


class Section(_Frozen):
    key: str = Field(pattern=_KEY)
    title: str = Field(min_length=1, max_length=120)
    question: str = Field(default="", max_length=600)
    prompts: tuple[str, ...] = ()
    #: Facilitator-only script: questions to ask and hints. Never on the screen.
    script: tuple[str, ...] = ()
    minutes: int | None = Field(default=None, ge=1, le=240)
    group: str = Field(default="", max_length=80)
    #: Grid placement for the grid layout: (row, column, row span, column span).
    grid: tuple[int, int, int, int] | None = None
    # -- round flags (the 'rounds' layout: sequential timed rounds; see layouts/rounds)
    #: What this section's notes are to the werkvorm, never read from display text:
    #: ``cases`` (submitted cases; the most-dotted one is chosen), ``questions``, ``question`` (the case
    #: giver's (re)defined question), ``advice``, ``next_steps``; empty for anything else.
    role: SectionRole = ""
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
    sections: tuple[Section, ...] = Field(min_length=1)
    fields: tuple[FieldSpec, ...] = Field(min_length=1)

    @field_validator("sections")
    @classmethod
    def _unique_sections(cls, value: tuple[Section, ...]) -> tuple[Section, ...]:
        keys = [s.key for s in value]
        if len(keys) != len(set(keys)):
            raise ValueError("section keys must be unique")
        return value

    @field_validator("fields")
    @classmethod
    def _unique_fields(cls, value: tuple[FieldSpec, ...]) -> tuple[FieldSpec, ...]:
        keys = [f.key for f in value]
        if len(keys) != len(set(keys)):
            raise ValueError("field keys must be unique")
        return value

    @field_validator("sections")
    @classmethod
    def _shows_earlier(cls, value: tuple[Section, ...]) -> tuple[Section, ...]:
        seen: set[str] = set()
        for section in value:
            if section.shows and section.shows not in seen:
                raise ValueError(f"section {section.key}: shows '{section.shows}' is not an earlier section")
            seen.add(section.key)
        return value

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
        raise WerkvormError(f"{path.name}: field '{where}': {err['msg']}") from exc
    if model.key != path.stem:
        raise WerkvormError(f"{path.name}: field 'key': must equal the file name '{path.stem}'")
    return model


def load_registry(directory: Path = MODEL_DIR) -> dict[str, Werkvorm]:
    """Load every werkvorm in ``directory``, in the order given by ``order``."""
    models = {p.stem: load_file(p) for p in sorted(directory.glob("*.yaml"))}
    ordered = [k for k in ORDER if k in models] + sorted(k for k in models if k not in ORDER)
    return {k: models[k] for k in ordered}


ORDER = ("brainstorm", "praatplaat", "followup", "canvas", "grow", "kompas",
         "intervisie_incident", "intervisie_roddel", "intervisie_tienstappen")

REGISTRY: dict[str, Werkvorm] = load_registry()

#: What /nieuw offers ticked: every werkvorm but the confidential ones (intervision is a meeting of its
#: own; in a workshop it would also keep every name off the report's cover).
DEFAULT_SELECTION: tuple[str, ...] = tuple(k for k, w in REGISTRY.items() if not w.confidential)


def get(key: str) -> Werkvorm:
    try:
        return REGISTRY[key]
    except KeyError:
        raise WerkvormError(f"unknown werkvorm '{key}'") from None
