"""Werkvormen as data: every shipped file loads, every field kind works, bad files fail clearly."""

from __future__ import annotations

from pathlib import Path

import pydantic
import pytest
import yaml

import canvas_models
import layouts
from canvas_models import FIELD_KINDS, LAYOUTS, REGISTRY, Werkvorm, WerkvormError, load_file, load_registry

SHIPPED = sorted(p.stem for p in canvas_models.MODEL_DIR.glob("*.yaml"))


def minimal(key: str = "probeer", **overrides) -> dict:
    """The smallest valid werkvorm document."""
    doc = {
        "key": key,
        "title": "Probeer",
        "summary": "Een werkvorm om mee te testen.",
        "layout": "wall",
        "sections": [{"key": "een", "title": "Eén"}],
        "fields": [{"key": "note", "kind": "note", "label": "Briefje"}],
    }
    doc.update(overrides)
    return doc


def write(tmp_path: Path, doc, name: str = "probeer") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(doc if isinstance(doc, str) else yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


# ------------------------------------------------------------------ shipped
def test_the_five_werkvormen_are_shipped():
    assert {"brainstorm", "praatplaat", "followup", "canvas", "grow"} <= set(SHIPPED)


@pytest.mark.parametrize("key", SHIPPED)
def test_every_shipped_werkvorm_loads_into_the_registry(key):
    path = canvas_models.MODEL_DIR / f"{key}.yaml"
    model = load_file(path)
    assert isinstance(model, Werkvorm)
    assert model.key == key
    assert REGISTRY[key] == model
    assert canvas_models.get(key) is REGISTRY[key]
    assert model.layout in LAYOUTS
    assert model.sections and model.fields
    assert {f.kind for f in model.fields} <= set(FIELD_KINDS)
    # section and field lookups work for everything the file declares
    for section in model.sections:
        assert model.section(section.key) is section
    for spec in model.fields:
        assert model.field(spec.key) is spec


def test_registry_order_and_unknown_key():
    assert list(REGISTRY)[:5] == ["brainstorm", "praatplaat", "followup", "canvas", "grow"]
    with pytest.raises(WerkvormError, match="bestaat-niet"):
        canvas_models.get("bestaat-niet")


def test_models_are_frozen():
    model = REGISTRY["brainstorm"]
    with pytest.raises(pydantic.ValidationError):
        model.title = "Anders"  # type: ignore[misc]
    with pytest.raises(pydantic.ValidationError):
        model.sections[0].title = "Anders"  # type: ignore[misc]


def test_domain_facts_from_the_brief():
    praat = REGISTRY["praatplaat"]
    assert [s.key for s in praat.sections] == ["ambitie", "belangen", "relatie", "organisatie", "proces"]
    assert praat.hidden_until_reveal and praat.editable_sections
    assert {f.kind for f in praat.fields} == {"score", "text"}
    grow = REGISTRY["grow"]
    assert grow.sequential
    assert [s.group for s in grow.sections][:1] == ["Goal"]
    assert {s.group for s in grow.sections} >= {"Goal", "Reality", "Options"}
    canvas = REGISTRY["canvas"]
    assert len(canvas.sections) == 9 and canvas.votes
    assert REGISTRY["brainstorm"].clusters and REGISTRY["brainstorm"].votes
    assert REGISTRY["followup"].fields[0].kind == "action"


# -------------------------------------------------------------- field kinds
def test_every_field_kind_is_used_by_a_shipped_werkvorm():
    used = {spec.kind for model in REGISTRY.values() for spec in model.fields}
    assert used == set(FIELD_KINDS), f"kinds not used by any shipped werkvorm: {set(FIELD_KINDS) - used}"


@pytest.mark.parametrize("kind", FIELD_KINDS)
def test_every_field_kind_loads_in_a_synthetic_werkvorm(tmp_path, kind):
    layout = next(name for name in LAYOUTS if kind in layouts.get(name).schema.KINDS)
    doc = minimal(layout=layout, fields=[{"key": "veld", "kind": kind, "label": f"Veld {kind}", "max_length": 123}],
                  **({"tags": ["werven", "eigen_tag"]} if kind == "tagged_note" else {}))
    if kind in ("choice", "points"):  # a werkvorm that collects choices has options in every section
        for section in doc["sections"]:
            section["options"] = [{"key": "ja", "label": "Ja"}, {"key": "nee", "label": "Nee"}]
    model = load_file(write(tmp_path, doc))
    assert model.field("veld").kind == kind
    assert model.field("veld").max_length == 123


def test_synthetic_registry_from_a_folder(tmp_path):
    write(tmp_path, minimal("alfa"), "alfa")
    write(tmp_path, minimal("brainstorm", title="Eigen brainstorm"), "brainstorm")
    registry = load_registry(tmp_path)
    assert list(registry) == ["brainstorm", "alfa"]  # ORDER first, the rest sorted
    assert registry["brainstorm"].title == "Eigen brainstorm"


def test_with_sections_validates_the_replacement():
    praat = REGISTRY["praatplaat"]
    same = praat.with_sections(None)
    assert same is praat
    other = praat.with_sections([{"key": "visie", "title": "Visie"}])
    assert [s.key for s in other.sections] == ["visie"]
    assert [s.key for s in praat.sections][0] == "ambitie"  # original untouched
    with pytest.raises(pydantic.ValidationError):
        praat.with_sections([{"key": "a", "title": "A"}, {"key": "a", "title": "B"}])
    with pytest.raises(pydantic.ValidationError):
        praat.with_sections([{"key": "Geen Sleutel", "title": "A"}])


# ------------------------------------------------------------ invalid files
BROKEN = [
    pytest.param(lambda d: d.update(fields=[{"key": "x", "kind": "slider", "label": "X"}]),
                 "fields.0.kind", id="unknown-kind"),
    pytest.param(lambda d: d.pop("title"), "title", id="missing-title"),
    pytest.param(lambda d: d.update(title=""), "title", id="empty-title"),
    pytest.param(lambda d: d.update(layout="carousel"), "layout", id="unknown-layout"),
    pytest.param(lambda d: d.update(sections=[]), "sections", id="no-sections"),
    pytest.param(lambda d: d.update(fields=[]), "fields", id="no-fields"),
    pytest.param(lambda d: d.update(sections=[{"key": "Hoofd Letters", "title": "A"}]),
                 "sections.0.key", id="bad-section-key"),
    pytest.param(lambda d: d.update(sections=[{"key": "a", "title": "A"}, {"key": "b", "title": ""}]),
                 "sections.1.title", id="empty-section-title"),
    pytest.param(lambda d: d.update(sections=[{"key": "a", "title": "A"}, {"key": "a", "title": "B"}]),
                 "sections", id="duplicate-sections"),
    pytest.param(lambda d: d.update(fields=[{"key": "x", "kind": "note", "label": "X"}] * 2),
                 "fields", id="duplicate-fields"),
    pytest.param(lambda d: d.update(fields=[{"key": "x", "kind": "note", "label": "X", "max_length": 0}]),
                 "fields.0.max_length", id="max-length-zero"),
    pytest.param(lambda d: d.update(default_minutes=-5), "default_minutes", id="negative-minutes"),
    pytest.param(lambda d: d.update(colour="rood"), "colour", id="unknown-field"),
    pytest.param(lambda d: d["sections"][0].update(grid=[1, 2]), "sections.0.grid.2", id="short-grid"),
    pytest.param(lambda d: d.update(sequential="misschien"), "sequential", id="bad-boolean"),
]


@pytest.mark.parametrize("mutate, where", BROKEN)
def test_invalid_werkvorm_names_file_and_field(tmp_path, mutate, where):
    doc = minimal()
    mutate(doc)
    path = write(tmp_path, doc)
    with pytest.raises(WerkvormError) as info:
        load_file(path)
    message = str(info.value)
    assert message.startswith("probeer.yaml:"), message
    assert f"field '{where}'" in message, message


def test_key_must_match_file_name(tmp_path):
    with pytest.raises(WerkvormError) as info:
        load_file(write(tmp_path, minimal("anders"), name="probeer"))
    assert "probeer.yaml" in str(info.value) and "field 'key'" in str(info.value)


@pytest.mark.parametrize("content, expect", [
    pytest.param("key: [unclosed\n", "cannot read", id="yaml-syntax"),
    pytest.param("- just\n- a list\n", "top level must be a mapping", id="top-level-list"),
    pytest.param("", "top level must be a mapping", id="empty-file"),
    pytest.param("key: probeer\ntitle: 'a'\n\tsummary: tab\n", "cannot read", id="tab-indent"),
])
def test_unreadable_files_name_the_file(tmp_path, content, expect):
    with pytest.raises(WerkvormError) as info:
        load_file(write(tmp_path, content))
    assert str(info.value).startswith("probeer.yaml:") and expect in str(info.value)


def test_a_broken_file_stops_the_registry(tmp_path):
    write(tmp_path, minimal("goed"), "goed")
    write(tmp_path, minimal("kapot", layout="nope"), "kapot")
    with pytest.raises(WerkvormError, match=r"kapot\.yaml: field 'layout'"):
        load_registry(tmp_path)


def test_models_import_no_streamlit():
    import subprocess
    import sys

    code = ("import sys, canvas_models, workshop, messages; "
            "sys.exit(1 if any(m == 'streamlit' or m.startswith('streamlit.') for m in sys.modules) else 0)")
    root = Path(__file__).resolve().parent.parent
    assert subprocess.run([sys.executable, "-c", code], cwd=root).returncode == 0


# ------------------------------------------------- layouts' schemas, roles, tags
def test_a_field_kind_the_layout_does_not_store_names_the_file_and_field(tmp_path):
    doc = minimal(layout="scores", fields=[{"key": "note", "kind": "note", "label": "Briefje"}])
    with pytest.raises(WerkvormError, match=r"probeer\.yaml: field 'fields\.0\.kind': layout 'scores' stores score, text"):
        load_file(write(tmp_path, doc))


def test_a_tagged_note_needs_a_tag_vocabulary(tmp_path):
    doc = minimal(layout="stages", fields=[{"key": "note", "kind": "tagged_note", "label": "Antwoord"}])
    with pytest.raises(WerkvormError, match=r"probeer\.yaml: field 'tags': a tagged_note field needs a tag vocabulary"):
        load_file(write(tmp_path, doc))
    with pytest.raises(WerkvormError, match=r"field 'tags'"):
        load_file(write(tmp_path, {**doc, "tags": ["werven", "werven"]}))


def test_an_unknown_role_is_refused(tmp_path):
    doc = minimal(sections=[{"key": "een", "title": "Eén", "role": "opties"}])
    with pytest.raises(WerkvormError, match=r"field 'sections\.0\.role'"):
        load_file(write(tmp_path, doc))


def test_grow_says_its_roles_and_tags_in_yaml():
    grow = REGISTRY["grow"]
    assert [s.key for s in grow.with_role("options")] == ["options_so", "options_or"]
    assert [s.key for s in grow.with_role("recommendations")] == ["way_forward"]
    assert grow.tags == ("werven", "matchen", "opleiden", "begeleiden", "professionaliseren")
    assert all(not wv.tags for key, wv in REGISTRY.items() if key != "grow")


def test_an_unknown_layout_raises_naming_it():
    with pytest.raises(layouts.LayoutError, match="no layout 'kompas'"):
        layouts.get("kompas")
    assert layouts.get("stages").schema.KINDS == ("note", "tagged_note")


def test_the_extra_folder_adds_werkvormen_and_may_not_replace_a_shipped_one(tmp_path):
    write(tmp_path, minimal("intervisie", layout="stages"), "intervisie")
    registry = load_registry(extra=tmp_path)
    assert list(registry)[:5] == ["brainstorm", "praatplaat", "followup", "canvas", "grow"]
    assert registry["intervisie"].layout == "stages"
    write(tmp_path, minimal("grow", title="Eigen GROW"), "grow")
    with pytest.raises(WerkvormError, match=r"grow\.yaml: field 'key': 'grow' is a shipped werkvorm"):
        load_registry(extra=tmp_path)


def test_the_extra_folder_setting_must_name_a_folder(setting, tmp_path):
    setting(canvas_models.EXTRA_DIR_SETTING, str(tmp_path / "nergens"))
    with pytest.raises(WerkvormError, match="SAMENSPRAAK_WERKVORM_DIR=.*not a folder"):
        canvas_models.extra_dir()
    setting(canvas_models.EXTRA_DIR_SETTING, str(tmp_path))
    assert canvas_models.extra_dir() == tmp_path


@pytest.mark.parametrize("name", layouts.NAMES)
def test_every_layout_bundles_views_report_demo_and_schema(name):
    """The contract of a layout package (layouts/__init__.py): a werkvorm of it needs nothing else."""
    bundle = layouts.get(name)
    assert bundle is layouts.get(name) and bundle.name == name
    for part, functions in (("views", ("participant", "facilitator", "screen")), ("report", ("pdf_section", "sheet")),
                            ("demo", ("fill",))):
        module = getattr(bundle, part)
        assert all(callable(getattr(module, f, None)) for f in functions), (name, part)
    assert set(bundle.schema.KINDS) <= set(FIELD_KINDS) and bundle.schema.KINDS
    assert all(isinstance(kind, type) for kind in bundle.schema.CONFIG.values())


def test_the_five_shipped_werkvormen_use_five_layouts():
    assert {key: REGISTRY[key].layout for key in ("brainstorm", "praatplaat", "followup", "canvas", "grow")} == {
        "brainstorm": "wall", "praatplaat": "scores", "followup": "actions", "canvas": "grid", "grow": "stages"}
