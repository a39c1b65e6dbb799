"""Write a whole workshop, or a partnership with its workshops, in one transaction (restore, demo data).

The caller hands over rows that are already validated and cleaned
(``exports.backup.load`` does that); this module only maps the old ids of the
backup to the new ids of this database and inserts everything inside ONE
transaction, so that a failure leaves nothing half-written. The workshop gets a
new join code and a new facilitator secret; participants get new private tokens.
Imports no streamlit.
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from workshop import db as D
from workshop.store import CODE_ALPHABET, CODE_LENGTH, Partnership, Store, Workshop, _hash, new_key, now


def _insert_many(conn, table, rows: list[dict]) -> list[int]:
    """Insert rows and return their new ids in the order given."""
    if not rows:
        return []
    result = conn.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)
    return [r[0] for r in result]


def insert_workshop(store: Store, data: dict[str, Any]) -> tuple[Workshop, str]:
    """Insert a validated backup (see ``exports.backup``); returns the new workshop and its secret."""
    for _attempt in range(8):
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        secret = secrets.token_urlsafe(24)
        try:
            with store.db.writing() as conn:
                taken = conn.execute(select(D.workshops.c.id).where(D.workshops.c.code == code)).first()
                if taken is not None:
                    continue
                wid = _write(conn, data, code, secret)
            return store.workshop(wid), secret
        except IntegrityError:
            # Only a join code taken concurrently can clash here; the transaction was rolled back.
            continue
    raise RuntimeError("could not find a free join code")  # pragma: no cover - 25^6 codes


def _write(conn, data: dict[str, Any], code: str, secret: str) -> int:
    stamp = now()
    ws = data["workshop"]
    wid = conn.execute(insert(D.workshops).values(
        code=code, secret_hash=_hash(secret), title=ws["title"], partnership=ws["partnership"],
        date=ws["date"], facilitator=ws["facilitator"], anonymous=ws["anonymous"],
        max_participants=ws["max_participants"], current_step=ws["current_step"], state_version=0,
        show_join=ws["show_join"], participant_pdf=ws["participant_pdf"], created_at=stamp,
    ).returning(D.workshops.c.id)).scalar_one()

    steps = sorted(data["steps"], key=lambda s: s["position"])
    step_ids = dict(zip((s["id"] for s in steps), _insert_many(conn, D.steps, [{
        "workshop_id": wid, "position": s["position"], "werkvorm": s["werkvorm"], "config": s["config"],
        "locked": s["locked"], "revealed": s["revealed"], "stage": s["stage"], "voting_open": s["voting_open"],
        "dots": s["dots"], "multi_dot": s["multi_dot"], "votes_live": s["votes_live"],
        "vote_target": s["vote_target"], "timer_seconds": s["timer_seconds"], "timer_end": None,
        "timer_paused_left": None, "timer_auto_lock": s["timer_auto_lock"],
    } for s in steps])))

    people = data["participants"]
    person_ids = dict(zip((p["id"] for p in people), _insert_many(conn, D.participants, [{
        "workshop_id": wid, "token": secrets.token_urlsafe(18), "name": p["name"], "org_type": p["org_type"],
        "ready_step": p["ready_step"], "created_at": stamp, "idem_key": None,
    } for p in people])))

    clusters = data["clusters"]
    cluster_ids = dict(zip((c["id"] for c in clusters), _insert_many(conn, D.clusters, [{
        "workshop_id": wid, "step_id": step_ids[c["step_id"]], "name": c["name"], "deleted": False,
        "created_at": stamp,
    } for c in clusters])))

    # Keep the original order: for answers the newest row (highest id) wins.
    notes = sorted(data["contributions"], key=lambda c: c["id"])
    note_ids = dict(zip((c["id"] for c in notes), _insert_many(conn, D.contributions, [{
        "workshop_id": wid, "step_id": step_ids[c["step_id"]],
        "participant_id": person_ids.get(c["participant_id"]), "section": c["section"], "field": c["field"],
        "kind": c["kind"], "text": c["text"], "score": c["score"], "tags": list(c["tags"]),
        "cluster_id": cluster_ids.get(c["cluster_id"]), "merged_into": None, "hidden": c["hidden"],
        "deleted": False, "idem_key": f"restore-{new_key()}", "created_at": c["created_at"] or stamp,
    } for c in notes])))
    for c in notes:
        if c["merged_into"] is not None:
            conn.execute(update(D.contributions).where(D.contributions.c.id == note_ids[c["id"]])
                         .values(merged_into=note_ids[c["merged_into"]]))

    targets = {"note": note_ids, "cluster": cluster_ids}
    _insert_many(conn, D.votes, [{
        "workshop_id": wid, "step_id": step_ids[v["step_id"]], "participant_id": person_ids[v["participant_id"]],
        "target_type": v["target_type"], "target_id": targets[v["target_type"]][v["target_id"]],
        "idem_key": f"restore-{new_key()}", "created_at": v["created_at"] or stamp,
    } for v in sorted(data["votes"], key=lambda v: v["id"])])

    actions = sorted(data["actions"], key=lambda a: a["id"])
    action_ids = dict(zip((a["id"] for a in actions), _insert_many(conn, D.actions, [{
        "workshop_id": wid, "what": a["what"], "owner": a["owner"],
        "partner": a["partner"], "due": a["due"], "status": a["status"], "link": a["link"],
        "confirmed": a["confirmed"], "proposed_by": person_ids.get(a["proposed_by"]), "source": a["source"],
        "merged_into": None, "deleted": a["deleted"], "review_note": a["review_note"],
        "idem_key": f"restore-{new_key()}", "created_at": a["created_at"] or stamp,
        "updated_at": a["updated_at"] or a["created_at"] or stamp,
    } for a in actions])))
    for a in actions:
        if a["merged_into"] is not None:
            conn.execute(update(D.actions).where(D.actions.c.id == action_ids[a["id"]])
                         .values(merged_into=action_ids[a["merged_into"]]))
    return wid


def insert_partnership(store: Store, partnership: dict[str, Any],
                       workshops: list[dict[str, Any]]) -> tuple[Partnership, str]:
    """Insert a validated partnership backup (see ``exports.partnership``) in ONE transaction.

    The partnership gets a new secret (returned, to be shown once); every workshop a new join code
    and a new facilitator secret that nobody learns: its facilitator opens it through the
    partnership's link. The workshops are written in the order given (date order), so that
    "earlier workshop" keeps its meaning.
    """
    for _attempt in range(8):
        secret = secrets.token_urlsafe(24)
        stamp = now()
        try:
            with store.db.writing() as conn:
                pid = conn.execute(insert(D.partnerships).values(
                    name=partnership["name"], secret_hash=_hash(secret), created_at=stamp,
                ).returning(D.partnerships.c.id)).scalar_one()
                codes: set[str] = set()
                for data in workshops:
                    code = _free_code(conn, codes)
                    wid = _write(conn, {**data, "workshop": {**data["workshop"], "partnership": partnership["name"]}},
                                 code, secrets.token_urlsafe(24))
                    conn.execute(update(D.workshops).where(D.workshops.c.id == wid).values(partnership_id=pid))
            return store.partnership(pid), secret
        except IntegrityError:
            # Only a join code taken concurrently can clash here; the transaction was rolled back.
            continue
    raise RuntimeError("could not find free join codes")  # pragma: no cover - 25^6 codes


def _free_code(conn, taken: set[str]) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code not in taken and conn.execute(
                select(D.workshops.c.id).where(D.workshops.c.code == code)).first() is None:
            taken.add(code)
            return code
