"""One workshop, read through the Store API, as a plain JSON-ready dict.

The snapshot is the single shape every export works from: the JSON backup *is*
a snapshot, and the PDF, Excel and CSV exports are drawn from one, whether it
came from a live database or from a backup file (``python -m exports``).
Imports no streamlit.

Shape (``FORMAT_VERSION`` 1)::

    format, format_version, exported_at
    workshop:      title, partnership, date, facilitator, anonymous, ...
    steps:         position, werkvorm, title, spec (the werkvorm it ran with), config, flags, sections
    participants:  id, name, org_type, ready_step            (never the private token)
    clusters:      id, step_id, name
    contributions: id, step_id, participant_id, section, field, kind, text, score, tags,
                   cluster_id, merged_into, hidden, latest, created_at
    votes:         id, step_id, participant_id, target_type, target_id, created_at
    actions:       id, what, owner, partner, due, status, link, confirmed, proposed_by, ...
    earlier_actions: open actions of earlier workshops of the partnership (read only)
    templates:     the facilitator's own werkvormen and programmes (kind, body in the file format)

Dates are ISO strings. ``latest`` marks, for score and text answers (which are
appended and where the newest row per person/aspect/field wins), the row that
counts; notes are always ``latest``. Contributions a participant deleted are
not exported; votes on something that is not in the snapshot are left out too.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

FORMAT = "samenspraak-workshop"
FORMAT_VERSION = 1

STEP_FLAGS = ("locked", "revealed", "stage", "voting_open", "dots", "multi_dot", "votes_live",
              "vote_target", "timer_seconds", "timer_auto_lock")


def parse_date(value: Any) -> date | None:
    """A date from a snapshot value (a date, or an ISO string as in a backup); None when absent or bad."""
    if isinstance(value, date):
        return value
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def iso(value: Any) -> Any:
    """Dates and datetimes as ISO strings (datetimes in UTC); anything else unchanged."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _sections(step) -> list[dict]:
    from canvas_models import section_dicts

    try:
        werkvorm = step.werkvorm
    except Exception:  # noqa: BLE001 - a broken section config must not stop an export
        from canvas_models.spec import stored
        werkvorm = stored(step.werkvorm_key, step.spec)
    return section_dicts(werkvorm)


def snapshot(store, workshop_id: int, *, now: datetime | None = None) -> dict:
    """Everything of one workshop, read through ``store``, as a JSON-ready dict."""
    from canvas_models.spec import spec_dict, stored

    ws = store.workshop(workshop_id)
    steps = store.steps(workshop_id)
    out: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": iso(now or datetime.now(timezone.utc)),
        "workshop": {
            "id": ws.id, "code": ws.code, "title": ws.title, "partnership": ws.partnership,
            "date": iso(ws.date), "facilitator": ws.facilitator, "anonymous": bool(ws.anonymous),
            "max_participants": ws.max_participants, "current_step": ws.current_step,
            "show_join": bool(ws.show_join), "participant_pdf": bool(ws.participant_pdf),
            "created_at": iso(ws.created_at),
        },
        "steps": [],
        "participants": [],
        "clusters": [],
        "contributions": [],
        "votes": [],
        "actions": [],
        "earlier_actions": [],
        # the facilitator's own werkvormen and programmes (the template library), in the file format
        "templates": [{"kind": tpl.kind, "body": tpl.body} for tpl in store.templates_of_workshop(workshop_id)],
    }
    for step in steps:
        entry = {
            "id": step.id, "position": step.position, "werkvorm": step.werkvorm_key,
            "title": stored(step.werkvorm_key, step.spec).title,
            "spec": spec_dict(step.spec), "config": step.config or {},
        }
        entry.update({flag: getattr(step, flag) for flag in STEP_FLAGS})
        entry["sections"] = _sections(step)
        out["steps"].append(entry)

    out["participants"] = [
        {"id": p.id, "name": p.name, "org_type": p.org_type, "ready_step": p.ready_step}
        for p in store.participants(workshop_id)
    ]

    note_ids: set[int] = set()
    cluster_ids: set[int] = set()
    for step in steps:
        for cluster in store.clusters(step.id):
            out["clusters"].append({"id": cluster["id"], "step_id": step.id, "name": cluster["name"]})
            cluster_ids.add(cluster["id"])
        latest = {row["id"] for row in store.latest_answers(step.id)}
        rows = store.contributions(step.id, include_hidden=True)
        for row in rows:
            answer = row["kind"] in ("score", "text")
            out["contributions"].append({
                "id": row["id"], "step_id": step.id, "participant_id": row["participant_id"],
                "section": row["section"], "field": row["field"], "kind": row["kind"],
                "text": row["text"] or "", "score": row["score"], "tags": list(row["tags"] or []),
                "cluster_id": row["cluster_id"], "merged_into": row["merged_into"],
                "hidden": bool(row["hidden"]), "latest": (row["id"] in latest) if answer else True,
                "created_at": iso(row["created_at"]),
            })
            note_ids.add(row["id"])
    for row in out["contributions"]:  # references to notes outside the snapshot (deleted)
        if row["cluster_id"] not in cluster_ids:
            row["cluster_id"] = None
        if row["merged_into"] not in note_ids:
            row["merged_into"] = None

    targets = {"note": note_ids, "cluster": cluster_ids, "mark": note_ids}  # a mark is on a note (rounds)
    out["votes"] = [
        {"id": v["id"], "step_id": v["step_id"], "participant_id": v["participant_id"],
         "target_type": v["target_type"], "target_id": v["target_id"], "created_at": iso(v["created_at"])}
        for v in store.votes(workshop_id) if v["target_id"] in targets.get(v["target_type"], ())
    ]

    participant_ids = {p["id"] for p in out["participants"]}
    actions = store.actions(workshop_id, include_deleted=True)
    action_ids = {a["id"] for a in actions}
    for a in actions:
        out["actions"].append({
            "id": a["id"], "what": a["what"], "owner": a["owner"] or "", "partner": a["partner"] or "",
            "due": iso(a["due"]), "status": a["status"], "link": a["link"] or "",
            "confirmed": bool(a["confirmed"]),
            "proposed_by": a["proposed_by"] if a["proposed_by"] in participant_ids else None,
            "source": a["source"] or "",
            "merged_into": a["merged_into"] if a["merged_into"] in action_ids else None,
            "deleted": bool(a["deleted"]), "review_note": a["review_note"] or "",
            "created_at": iso(a["created_at"]), "updated_at": iso(a["updated_at"]),
        })
    for a in store.earlier_open_actions(workshop_id):
        out["earlier_actions"].append({
            "what": a["what"], "owner": a["owner"] or "", "partner": a["partner"] or "",
            "due": iso(a["due"]), "status": a["status"], "review_note": a["review_note"] or "",
            "workshop_title": a["workshop_title"], "workshop_date": iso(a["workshop_date"]),
        })
    return out


# ------------------------------------------------------------ reading helpers
def participants_by_id(snap: dict) -> dict[int, dict]:
    return {p["id"]: p for p in snap.get("participants", [])}


def confidential_steps(snap: dict) -> set[int]:
    """The ids of the steps of a confidential werkvorm (intervision): a workshop with one lists no
    participant's name in any report or table, and keeps only the step's outcome."""
    from canvas_models.spec import of_step

    return {s["id"] for s in snap.get("steps", []) if of_step(s).confidential}


def step_rows(snap: dict, step_id: int, *, kinds: tuple[str, ...] = (), answers: str = "latest") -> list[dict]:
    """Contributions of a step joined with author name and org type (as the Store gives them).

    ``answers="latest"`` keeps only the counting answer rows; ``"all"`` keeps every row.
    """
    people = participants_by_id(snap)
    rows = []
    for row in snap.get("contributions", []):
        if row["step_id"] != step_id or (kinds and row["kind"] not in kinds):
            continue
        if answers == "latest" and not row.get("latest", True):
            continue
        person = people.get(row.get("participant_id")) or {}
        rows.append({**row, "name": person.get("name", ""), "org_type": person.get("org_type") or "overig"})
    return rows


def vote_counts(snap: dict, step_id: int, target_type: str) -> dict[int, int]:
    counts: dict[int, int] = {}
    for v in snap.get("votes", []):
        if v["step_id"] == step_id and v["target_type"] == target_type:
            counts[v["target_id"]] = counts.get(v["target_id"], 0) + 1
    return counts


def live_actions(snap: dict) -> list[dict]:
    """The actions a report shows: not deleted (merged-away actions are deleted)."""
    return [a for a in snap.get("actions", []) if not a.get("deleted")]
