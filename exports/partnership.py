"""A partnership as one JSON backup: its name, every workshop and its templates, and its restore.

Built on the workshop backup: each workshop in the file is a workshop snapshot
(:func:`exports.snapshot.snapshot`) and is validated by :func:`exports.backup.load`,
with all its limits and Dutch refusals; this module adds the partnership around
them. ``restore`` writes everything in ONE transaction (``workshop.bulk``) as a new
partnership with a new secret; the workshops get new join codes and new facilitator
secrets and are steered through the partnership's link. No secret is ever in the file.
Imports no streamlit.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from exports import backup
from exports.snapshot import iso, snapshot as workshop_snapshot
from messages import t
from workshop import settings
from workshop.errors import UserError
from workshop.text import Limits

FORMAT = "samenspraak-partnership"
FORMAT_VERSION = 1
#: Most workshops one partnership backup may hold.
MAX_WORKSHOPS = 500


def snapshot(store, access, *, now: datetime | None = None) -> dict:
    """The partnership (proof of its link needed) with all its workshops, in date order."""
    partnership = store.partnership(access.partnership_id)
    workshops = []
    for row in store.partnership_workshops(access):
        snap = workshop_snapshot(store, row["id"], now=now)
        snap["earlier_actions"] = []  # they are in the file already, as the earlier workshops' own actions
        workshops.append(snap)
    return {
        "format": FORMAT, "format_version": FORMAT_VERSION,
        "exported_at": iso(now or datetime.now(timezone.utc)),
        "partnership": {"name": partnership.name, "created_at": iso(partnership.created_at)},
        "workshops": workshops,
        # the partnership's own werkvormen and programmes (the template library), in the file format
        "templates": [{"kind": tpl.kind, "body": tpl.body} for tpl in store.templates(access)],
    }


def to_json(snap: dict) -> bytes:
    return backup.to_json(snap)


def load(raw: bytes | str | dict, *, max_bytes: int | None = None) -> dict:
    """Read and validate a partnership backup; returns ``{"partnership": {...}, "workshops": [rows]}``.

    Raises ``UserError("error.import", reason=...)`` in Dutch for anything it cannot use, before
    anything is written; a refusal inside a workshop says which one.
    """
    data = backup._parse(raw, settings.get().import_max_bytes if max_bytes is None else max_bytes)
    if data.get("format") == backup.FORMAT or data.get("format") != FORMAT:
        raise backup.refuse("import.reason.not_partnership_backup")
    version = data.get("format_version")
    if version != FORMAT_VERSION:
        raise backup.refuse("import.reason.version", found=str(version)[:20], expected=FORMAT_VERSION)
    info = data.get("partnership")
    workshops = data.get("workshops")
    if not isinstance(info, dict) or not isinstance(info.get("name"), str):
        raise backup.refuse("import.reason.field", where="partnership.name")
    if not isinstance(workshops, list) or not all(isinstance(w, dict) for w in workshops):
        raise backup.refuse("import.reason.field", where="workshops")
    if len(workshops) > MAX_WORKSHOPS:
        raise backup.refuse("import.reason.too_many_workshops", count=len(workshops), limit=MAX_WORKSHOPS)
    name = backup._clean(info["name"], Limits.PARTNERSHIP, t("field.partnership"), required=True)
    rows: list[dict[str, Any]] = []
    for n, workshop in enumerate(workshops, start=1):
        try:
            rows.append(backup.load(workshop, max_bytes=max_bytes))
        except UserError as err:
            reason = err.params.get("reason", str(err)) if err.key == "error.import" else str(err)
            raise backup.refuse("import.reason.in_workshop", n=n, reason=reason) from None
    rows.sort(key=lambda r: r["workshop"]["date"])  # stable: same-day workshops keep their order
    return {"partnership": {"name": name}, "workshops": rows,
            "templates": backup.load_templates(data.get("templates", []))}


def restore(store, raw: bytes | str | dict, *, max_bytes: int | None = None):
    """Restore a partnership backup as a NEW partnership; returns ``(partnership, secret)``.

    Validation happens first; the writing is unreachable until it is complete (see
    ``workshop.bulk``) and removed again when it fails, so a refused or failing restore
    leaves nothing behind.
    """
    from workshop.bulk import insert_partnership

    loaded = load(raw, max_bytes=max_bytes)
    return insert_partnership(store, loaded["partnership"], loaded["workshops"], loaded["templates"])
