"""JSON backup of a whole workshop, and its restore on any instance.

``to_json(snapshot)`` writes the snapshot (see :mod:`exports.snapshot`) as UTF-8
JSON. ``load(raw)`` reads and fully validates a backup: size, JSON syntax,
``format`` and ``format_version``, every field, every text (cleaned with the same
limits as the live app) and every reference between rows. Anything wrong is
refused with ``UserError("error.import", reason=...)`` in plain Dutch, before
anything is written. The limits of a live workshop hold too (participants per
workshop, notes and dots per participant and step, actions per participant).
``restore(store, raw)`` then writes the workshop under a new join code and a new
facilitator secret, in short batches into a workshop nobody can reach until it is
complete (see :mod:`workshop.bulk`), so a large restore never stalls the others.

What is not restored, on purpose: the join code, the facilitator secret and the
participants' private links (all new), timers that were running, the undo
history of step changes, and the workshop's ``created_at`` (the copy is a new
workshop, so the retention period starts again). Imports no streamlit.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timezone
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

import canvas_models
from canvas_models import spec as spec_of
from canvas_models.spec import of_step
import layouts
from exports.snapshot import FORMAT, FORMAT_VERSION
from messages import ORG_TYPES, t
from workshop import settings
from workshop.errors import UserError
from workshop.store import ACTION_STATUSES, clean_section
from workshop.text import Limits, clean

_SURROGATE = re.compile("[\ud800-\udfff]")


def to_json(snap: dict, *, indent: int | None = 1) -> bytes:
    """The snapshot as UTF-8 JSON bytes (non-ASCII kept readable; a lone surrogate becomes U+FFFD)."""
    text = json.dumps(snap, ensure_ascii=False, indent=indent, default=str)
    return _SURROGATE.sub("\ufffd", text).encode("utf-8")


def refuse(reason_key: str, /, **params: object) -> UserError:
    return UserError("error.import", reason=t(reason_key, **params))


# ------------------------------------------------------------------ schema
class _In(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=False)


def _id():
    return Field(ge=1, le=2**62)


class WorkshopIn(_In):
    title: str
    partnership: str
    date: date
    facilitator: str = ""
    anonymous: bool = False
    max_participants: int = Field(default=Limits.MAX_PARTICIPANTS, ge=1, le=100_000)
    current_step: int = Field(default=0, ge=0)
    show_join: bool = True
    participant_pdf: bool = False


class StepIn(_In):
    id: int = _id()
    position: int = Field(ge=0, le=1000)
    werkvorm: str = Field(max_length=40)
    #: The werkvorm the step ran with, whole (a backup made before copies were stored has none:
    #: then the shipped werkvorm of its key).
    spec: Optional[dict] = None
    config: dict = Field(default_factory=dict)
    locked: bool = False
    revealed: bool = False
    stage: int = Field(default=0, ge=0, le=1000)
    voting_open: bool = False
    dots: int = Field(default=3, ge=0, le=100)
    multi_dot: bool = True
    votes_live: bool = True
    vote_target: Literal["note", "cluster"] = "note"
    timer_seconds: Optional[int] = Field(default=None, ge=0, le=24 * 3600)
    timer_auto_lock: bool = False


class ParticipantIn(_In):
    id: int = _id()
    name: str = ""
    org_type: str
    ready_step: Optional[int] = Field(default=None, ge=0, le=1000)


class ClusterIn(_In):
    id: int = _id()
    step_id: int
    name: str


class ContributionIn(_In):
    id: int = _id()
    step_id: int
    participant_id: Optional[int] = None
    section: str = Field(max_length=40)
    field: str = Field(max_length=40)
    kind: canvas_models.FieldKind
    text: str = ""
    score: Optional[int] = Field(default=None, ge=0, le=canvas_models.MAX_POINTS)  # 1-5 for kind score
    tags: list[str] = Field(default_factory=list, max_length=20)
    cluster_id: Optional[int] = None
    merged_into: Optional[int] = None
    hidden: bool = False
    created_at: Optional[datetime] = None


class VoteIn(_In):
    id: int = _id()
    step_id: int
    participant_id: int
    target_type: Literal["note", "cluster", "mark"]  # mark: the case giver's "helps" (workshop.rounds)
    target_id: int
    created_at: Optional[datetime] = None


class ActionIn(_In):
    id: int = _id()
    what: str
    owner: str = ""
    partner: str = ""
    due: Optional[date] = None
    status: Literal[ACTION_STATUSES] = "open"  # type: ignore[valid-type]
    link: str = ""
    confirmed: bool = False
    proposed_by: Optional[int] = None
    source: str = Field(default="", max_length=40)
    merged_into: Optional[int] = None
    deleted: bool = False
    review_note: str = ""
    created_at: Optional[datetime] = None
    updated_at: Optional[datetime] = None


class BackupIn(_In):
    format: str
    format_version: int
    workshop: WorkshopIn
    steps: list[StepIn] = Field(min_length=1, max_length=100)
    participants: list[ParticipantIn] = Field(default_factory=list, max_length=100_000)
    clusters: list[ClusterIn] = Field(default_factory=list, max_length=100_000)
    contributions: list[ContributionIn] = Field(default_factory=list, max_length=1_000_000)
    votes: list[VoteIn] = Field(default_factory=list, max_length=1_000_000)
    actions: list[ActionIn] = Field(default_factory=list, max_length=100_000)


# ------------------------------------------------------------------ loading
def _parse(raw: bytes | str | dict, max_bytes: int) -> dict:
    if isinstance(raw, dict):
        return raw
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogatepass")
    if isinstance(raw, (bytes, bytearray)) and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a byte order mark, as Windows Notepad writes it
    if not isinstance(raw, (bytes, bytearray)):
        raise refuse("import.reason.not_json")
    if len(raw) > max_bytes:
        raise refuse("import.reason.too_big", size=_mb(len(raw)), limit=_mb(max_bytes))
    if not raw.strip():
        raise refuse("import.reason.empty")
    try:
        data = json.loads(bytes(raw).decode("utf-8"))
    except UnicodeDecodeError:
        raise refuse("import.reason.encoding") from None
    except (ValueError, RecursionError):
        raise refuse("import.reason.not_json") from None
    if not isinstance(data, dict):
        raise refuse("import.reason.not_backup")
    return data


#: The long lists of a backup, with their model and most rows; validated a slice at a time.
_LISTS = {"participants": ParticipantIn, "clusters": ClusterIn, "contributions": ContributionIn,
          "votes": VoteIn, "actions": ActionIn}
_ADAPTERS = {name: TypeAdapter(list[model]) for name, model in _LISTS.items()}
_SLICE = 2000


def _validate(data: dict) -> BackupIn:
    """The schema check. One pydantic call over 100,000 rows would hold the interpreter for
    most of a second, freezing every session of this process; slices of 2,000 rows do not."""
    try:
        backup = BackupIn.model_validate({k: v for k, v in data.items() if k not in _LISTS})
    except ValidationError as exc:
        raise _field_error(exc) from None
    lists = {}
    for name, adapter in _ADAPTERS.items():
        rows = data.get(name, [])
        most = next(m.max_length for m in BackupIn.model_fields[name].metadata if hasattr(m, "max_length"))
        if not isinstance(rows, list) or len(rows) > most:
            raise refuse("import.reason.field", where=name)
        valid: list = []
        for start in range(0, len(rows), _SLICE):
            try:
                valid.extend(adapter.validate_python(rows[start:start + _SLICE]))
            except ValidationError as exc:
                raise _field_error(exc, name, start) from None
        lists[name] = valid
    return backup.model_copy(update=lists)


def _field_error(exc: ValidationError, name: str = "", offset: int = 0) -> UserError:
    loc = list(exc.errors()[0]["loc"])
    if name:
        loc = [name, offset + int(loc[0]), *loc[1:]] if loc else [name]
    return refuse("import.reason.field", where=(".".join(str(p) for p in loc) or "(top)")[:120])


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def _unique(rows: list, what: str) -> dict[int, Any]:
    by_id: dict[int, Any] = {}
    for row in rows:
        if row.id in by_id:
            raise refuse("import.reason.duplicate", what=what, id=row.id)
        by_id[row.id] = row
    return by_id


def _clean(value: str, limit: int, label: str, *, required: bool = False, multiline: bool = False) -> str:
    try:
        return clean(_SURROGATE.sub("\ufffd", value), limit=limit, label=label, required=required,
                     multiline=multiline)
    except UserError as err:
        raise UserError("error.import", reason=str(err)) from None


def load(raw: bytes | str | dict, *, max_bytes: int | None = None) -> dict:
    """Read and validate a backup; returns clean rows ready for ``workshop.bulk``.

    Raises ``UserError("error.import", reason=...)`` for anything it cannot use.
    """
    data = _parse(raw, settings.get().import_max_bytes if max_bytes is None else max_bytes)
    if data.get("format") != FORMAT:
        raise refuse("import.reason.not_backup")
    version = data.get("format_version")
    if version is None:
        raise refuse("import.reason.version_missing")
    if type(version) is not int:  # noqa: E721 - True == 1 in Python, and 1.0 == 1
        raise refuse("import.reason.version_type", found=json.dumps(version, ensure_ascii=False)[:20])
    if version != FORMAT_VERSION:
        raise refuse("import.reason.version", found=str(version)[:20], expected=FORMAT_VERSION)
    backup = _validate(data)

    ws = backup.workshop
    workshop = {
        "title": _clean(ws.title, Limits.TITLE, t("field.title"), required=True),
        "partnership": _clean(ws.partnership, Limits.PARTNERSHIP, t("field.partnership"), required=True),
        "date": ws.date,
        "facilitator": _clean(ws.facilitator, Limits.FACILITATOR, t("field.facilitator")),
        "anonymous": ws.anonymous,
        # the same cap as a workshop created here (the setting SAMENSPRAAK_MAX_PARTICIPANTS)
        "max_participants": min(ws.max_participants, Limits.MAX_PARTICIPANTS),
        "current_step": min(ws.current_step, len(backup.steps) - 1),
        "show_join": ws.show_join, "participant_pdf": ws.participant_pdf,
    }

    steps = _unique(backup.steps, "stap")
    if len({s.position for s in backup.steps}) != len(backup.steps):
        raise refuse("import.reason.duplicate", what="stappositie", id="")
    werkvormen: dict[int, canvas_models.Werkvorm] = {}
    for step in backup.steps:
        if step.spec is not None:  # checked as an imported werkvorm file: every text cleaned, every limit
            try:
                own = spec_of.parse(step.spec)
            except spec_of.SpecError as err:
                raise refuse("import.reason.spec", n=step.position + 1, reason=err.problems[0].text) from None
            if own.key != step.werkvorm:
                raise refuse("import.reason.field", where=f"steps.{step.id}.spec.key")
            step.spec = spec_of.dump(own)
        elif step.werkvorm in canvas_models.REGISTRY:
            step.spec = spec_of.dump(canvas_models.REGISTRY[step.werkvorm])
        else:
            raise refuse("import.reason.werkvorm", name=step.werkvorm[:40])
        sections = step.config.get("sections")
        if sections:  # every text that reaches a page is cleaned as if it were typed here
            if not isinstance(sections, list) or not all(isinstance(x, dict) for x in sections):
                raise refuse("import.reason.field", where=f"steps.{step.id}.config.sections")
            try:
                step.config["sections"] = sections = [clean_section(x) for x in sections]
            except UserError as err:
                raise UserError("error.import", reason=str(err)) from None
        columns = step.config.get("columns")
        if columns:  # a board's columns: cleaned like its sections
            if not isinstance(columns, list) or not all(isinstance(x, dict) for x in columns):
                raise refuse("import.reason.field", where=f"steps.{step.id}.config.columns")
            try:
                step.config["columns"] = [{"key": str(x.get("key") or ""), "title": clean(
                    x.get("title"), limit=Limits.TITLE, label=t("board.columns.name", n=i + 1))}
                    for i, x in enumerate(columns)]
            except UserError as err:
                raise UserError("error.import", reason=str(err)) from None
        try:
            werkvormen[step.id] = wv = spec_of.stored(step.werkvorm, step.spec).with_sections(sections)
            if columns:
                wv.model_validate({**wv.model_dump(), "columns": step.config["columns"]})
        except (ValidationError, ValueError, TypeError, AttributeError):
            raise refuse("import.reason.field", where=f"steps.{step.id}.config") from None

    people = _unique(backup.participants, "deelnemer")
    if len(people) > workshop["max_participants"]:
        raise refuse("import.reason.too_many_participants", count=len(people), limit=workshop["max_participants"])
    participants = []
    for p in backup.participants:
        if p.org_type not in ORG_TYPES:
            raise refuse("import.reason.field", where=f"participants.{p.id}.org_type")
        participants.append({"id": p.id, "name": _clean(p.name, Limits.NAME, t("field.name")), "org_type": p.org_type,
                             "ready_step": p.ready_step})

    clusters_by_id = _unique(backup.clusters, "cluster")
    clusters = []
    for c in backup.clusters:
        _ref(c.step_id in steps, f"clusters.{c.id}.step_id")
        clusters.append({"id": c.id, "step_id": c.step_id,
                         "name": _clean(c.name, Limits.CLUSTER, t("field.cluster"), required=True)})

    notes_by_id = _unique(backup.contributions, "bijdrage")
    contributions = []
    for c in backup.contributions:
        where = f"contributions.{c.id}"
        _ref(c.step_id in steps, f"{where}.step_id")
        _ref(c.participant_id is None or c.participant_id in people, f"{where}.participant_id")
        wv = werkvormen[c.step_id]
        try:
            wv.section(c.section)
            spec = wv.field(c.field)
        except KeyError:
            raise refuse("import.reason.field", where=f"{where}.section") from None
        _ref(spec.kind == c.kind, f"{where}.kind")
        _ref(c.cluster_id is None or (c.cluster_id in clusters_by_id
                                      and clusters_by_id[c.cluster_id].step_id == c.step_id),
             f"{where}.cluster_id")
        _ref(c.merged_into is None or (c.merged_into in notes_by_id and c.merged_into != c.id),
             f"{where}.merged_into")
        _ref(c.kind in ("score", "points") or c.score is None, f"{where}.score")
        _ref(c.kind != "score" or c.score is None or 1 <= c.score <= 5, f"{where}.score")
        if c.kind in ("choice", "points"):
            from layouts.choices.report import backup_row_ok
            _ref(backup_row_ok(wv, c.section, c.kind, c.text, c.score), f"{where}.text")
        text = _clean(c.text, max(spec.max_length, Limits.TEXT), spec.label, multiline=True)
        contributions.append({
            "id": c.id, "step_id": c.step_id, "participant_id": c.participant_id, "section": c.section,
            "field": c.field, "kind": c.kind, "text": "" if c.kind == "score" else text, "score": c.score,
            "tags": _tags(c, wv, steps[c.step_id].config), "cluster_id": c.cluster_id,
            "merged_into": c.merged_into, "hidden": c.hidden, "created_at": _utc(c.created_at),
        })

    _live_limits(backup, werkvormen, {s.id: s for s in backup.steps})

    votes = []
    for v in backup.votes:
        where = f"votes.{v.id}"
        _ref(v.step_id in steps, f"{where}.step_id")
        _ref(v.participant_id in people, f"{where}.participant_id")
        pool = clusters_by_id if v.target_type == "cluster" else notes_by_id
        _ref(v.target_id in pool, f"{where}.target_id")
        votes.append({"id": v.id, "step_id": v.step_id, "participant_id": v.participant_id,
                      "target_type": v.target_type, "target_id": v.target_id, "created_at": _utc(v.created_at)})
    _unique(backup.votes, "stip")

    actions_by_id = _unique(backup.actions, "actie")
    actions = []
    for a in backup.actions:
        where = f"actions.{a.id}"
        _ref(a.proposed_by is None or a.proposed_by in people, f"{where}.proposed_by")
        _ref(a.merged_into is None or (a.merged_into in actions_by_id and a.merged_into != a.id),
             f"{where}.merged_into")
        actions.append({
            "id": a.id, "what": _clean(a.what, Limits.ACTION_WHAT, t("field.what"), required=True),
            "owner": _clean(a.owner, Limits.ACTION_WHO, t("field.owner")),
            "partner": _clean(a.partner, Limits.ACTION_WHO, t("field.partner")),
            "due": a.due, "status": a.status, "link": _clean(a.link, Limits.ACTION_WHO, t("field.link")),
            "confirmed": a.confirmed, "proposed_by": a.proposed_by,
            "source": _clean(a.source, 40, t("field.source")), "merged_into": a.merged_into, "deleted": a.deleted,
            "review_note": _clean(a.review_note, Limits.REVIEW_NOTE, t("field.review_note")),
            "created_at": _utc(a.created_at), "updated_at": _utc(a.updated_at),
        })

    return {
        "workshop": workshop,
        "steps": [{**s.model_dump(), "config": _step_config(s.config, werkvormen[s.id])} for s in backup.steps],
        "participants": participants, "clusters": clusters, "contributions": contributions,
        "votes": votes, "actions": actions, "templates": load_templates(data.get("templates", [])),
    }


def _tags(c, wv: canvas_models.Werkvorm, config: dict) -> list[str]:
    """A note's tags of the werkvorm's vocabulary; an answer's column of a board (one of the step's)."""
    if c.kind in ("score", "text"):
        keys = {col.key for col in canvas_models.columns_of(wv, config)}
        return [tag for tag in c.tags[:1] if tag in keys]
    return [tag for tag in c.tags if tag in wv.tags]


#: Step settings every layout keeps, with their type (a layout adds its own: ``layouts/*/schema.py``).
STEP_CONFIG: dict[str, type] = {"sound": bool}


def _step_config(config: dict, werkvorm: canvas_models.Werkvorm) -> dict:
    """Only what the app keeps in a step's settings, each of its own type (nothing else is stored):
    the sections (cleaned above), the settings of every step and those of the step's layout. A layout
    whose settings need more than their type checked (an option that must exist) checks them itself
    (``report.backup_config(config, werkvorm)``)."""
    bundle = layouts.get(werkvorm.layout)
    own = getattr(bundle.report, "backup_config", None)
    out: dict[str, Any] = {}
    if config.get("sections"):
        out["sections"] = config["sections"]  # cleaned above
    for key, kind in {**STEP_CONFIG, **({} if own else bundle.schema.CONFIG)}.items():
        value = config.get(key)
        if kind is list and isinstance(value, list):  # keys (rounds revealed, a focus cell) or a board's columns
            out[key] = [x[:120] if isinstance(x, str) else {k: v[:120] for k, v in x.items()} for x in value
                        if isinstance(x, str) or (isinstance(x, dict) and all(isinstance(v, str) for v in x.values()))
                        ][:100]
        elif isinstance(value, kind) and (kind is not int or not isinstance(value, bool)):
            out[key] = value[:20] if isinstance(value, str) else value
    if own:
        out.update(own(config, werkvorm))
    return out


def _live_limits(backup: BackupIn, werkvormen: dict, steps: dict[int, StepIn]) -> None:
    """The limits a live workshop holds each participant to, so that a backup cannot bring in
    what no phone could have sent here: notes per step, dots per step, actions proposed."""
    notes: dict[tuple[int, int], int] = {}
    for c in backup.contributions:
        if c.participant_id is not None and c.kind in ("note", "tagged_note"):
            notes[(c.step_id, c.participant_id)] = notes.get((c.step_id, c.participant_id), 0) + 1
    for (step_id, pid), count in notes.items():
        limit = min(werkvormen[step_id].max_notes_per_participant, Limits.NOTES_PER_STEP)
        if count > limit:
            raise refuse("import.reason.too_many_notes", id=pid, step=steps[step_id].position + 1, count=count,
                         limit=limit)
    dots: dict[tuple[int, int, str], int] = {}
    for v in backup.votes:
        if v.step_id in steps and v.target_type != "mark":  # a mark is once per note, not from the dots
            key = (v.step_id, v.participant_id, v.target_type)
            dots[key] = dots.get(key, 0) + 1
    for (step_id, pid, _kind), count in dots.items():
        if count > steps[step_id].dots:
            raise refuse("import.reason.too_many_dots", id=pid, step=steps[step_id].position + 1, count=count,
                         limit=steps[step_id].dots)
    proposed: dict[int, int] = {}
    for a in backup.actions:
        if a.proposed_by is not None:
            proposed[a.proposed_by] = proposed.get(a.proposed_by, 0) + 1
    for pid, count in proposed.items():
        if count > Limits.ACTIONS_PER_PARTICIPANT:
            raise refuse("import.reason.too_many_actions", id=pid, count=count, limit=Limits.ACTIONS_PER_PARTICIPANT)


def _utc(value: datetime | None) -> datetime | None:
    """Aware datetimes in UTC (SQLite keeps no offset); naive ones are taken as UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def _ref(ok: bool, where: str) -> None:
    if not ok:
        raise refuse("import.reason.reference", where=where[:120])


def load_templates(given: Any) -> list[Any]:
    """A template library in a backup (a workshop's or a partnership's), each template checked as an
    imported file: the werkvormen and programmes, in order. A backup made before libraries has none."""
    from workshop.store.templates import MAX_TEMPLATES, describe

    if not isinstance(given, list) or not all(isinstance(x, dict) for x in given):
        raise refuse("import.reason.field", where="templates")
    if len(given) > MAX_TEMPLATES:
        raise refuse("import.reason.too_many_templates", count=len(given), limit=MAX_TEMPLATES)
    out, seen = [], set()
    for n, item in enumerate(given, start=1):
        kind = item.get("kind")
        if kind not in ("werkvorm", "programme"):
            raise refuse("import.reason.field", where=f"templates.{n - 1}.kind")
        try:
            checked = spec_of.parse(item.get("body")) if kind == "werkvorm" else \
                spec_of.parse_programme(item.get("body"))
        except spec_of.SpecError as err:
            raise refuse("import.reason.in_template", n=n, reason=err.problems[0].text) from None
        kind, key, title, _body = describe(checked)
        name = (kind, key if kind == "werkvorm" else title.casefold())
        if name in seen:
            raise refuse("import.reason.duplicate", what="sjabloon", id=key)
        seen.add(name)
        out.append(checked)
    return out


def restore(store, raw: bytes | str | dict, *, max_bytes: int | None = None):
    """Restore a backup as a NEW workshop; returns ``(workshop, facilitator_secret)``.

    Validation happens first; the writing is invisible until it is complete and is
    removed again when it fails, so a refused or failing import leaves nothing behind.
    """
    from workshop.bulk import insert_workshop

    return insert_workshop(store, load(raw, max_bytes=max_bytes))


def read_snapshot(raw: bytes | str | dict, *, max_bytes: int | None = None) -> dict:
    """A backup as a snapshot for the PDF/Excel exports, without any database.

    The backup is validated exactly as for a restore; the snapshot keeps the
    original ids and adds nothing that was not in the file.
    """
    data = _parse(raw, settings.get().import_max_bytes if max_bytes is None else max_bytes)
    clean_rows = load(data, max_bytes=max_bytes)
    return snapshot_from_rows(data, clean_rows)


def snapshot_from_rows(data: dict, rows: dict) -> dict:
    """Rebuild a snapshot from validated rows (keeps ``latest`` as computed from order)."""
    from exports.snapshot import iso

    steps = []
    for s in sorted(rows["steps"], key=lambda s: s["position"]):
        wv = of_step(s).with_sections(s["config"].get("sections"))
        steps.append({**s, "title": of_step(s).title, "sections": canvas_models.section_dicts(wv)})
    latest: dict[tuple, int] = {}
    for c in sorted(rows["contributions"], key=lambda c: c["id"]):
        if c["kind"] in ("score", "text"):
            latest[(c["step_id"], c["participant_id"], c["section"], c["field"], *(c.get("tags") or ()))] = c["id"]
    latest_ids = set(latest.values())
    contributions = [
        {**c, "created_at": iso(c["created_at"]),
         "latest": c["id"] in latest_ids if c["kind"] in ("score", "text") else True}
        for c in sorted(rows["contributions"], key=lambda c: c["id"])
    ]
    ws = rows["workshop"]
    source_ws = data.get("workshop") or {}
    return {
        "format": FORMAT, "format_version": FORMAT_VERSION,
        "exported_at": str(data.get("exported_at") or ""),
        "workshop": {**ws, "date": iso(ws["date"]), "code": str(source_ws.get("code") or "")[:12],
                     "created_at": str(source_ws.get("created_at") or "")},
        "steps": steps,
        "participants": rows["participants"],
        "clusters": rows["clusters"],
        "contributions": contributions,
        "votes": [{**v, "created_at": iso(v["created_at"])} for v in rows["votes"]],
        "actions": [{**a, "due": iso(a["due"]), "created_at": iso(a["created_at"]),
                     "updated_at": iso(a["updated_at"])} for a in rows["actions"]],
        "earlier_actions": _earlier(data.get("earlier_actions")),
    }


def _earlier(rows: Any) -> list[dict]:
    """Earlier open actions are shown only, never restored; keep them as short plain text."""
    out = []
    if not isinstance(rows, list):
        return out
    for row in rows[:1000]:
        if not isinstance(row, dict):
            continue
        out.append({k: str(row.get(k) or "")[:300] for k in
                    ("what", "owner", "partner", "due", "status", "review_note", "workshop_title",
                     "workshop_date")})
    return out
