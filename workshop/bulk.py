"""Write a whole workshop, or a partnership with its workshops, from validated rows (restore, demo data).

The caller hands over rows that are already validated and cleaned, within the
limits of a live workshop (``exports.backup.load`` does that); this module maps
the old ids of the backup to the new ids of this database and writes them.

A large backup must not stall the other workshops: on SQLite a writing
transaction holds the one write lock of the whole database. So the rows go in
as many short transactions (each holding the lock for about
``BATCH_SECONDS``, followed on SQLite by a pause at least as long, in which
waiting writers get their turn), into a workshop that nobody can reach yet: its
join code is a placeholder no typed or linked code can match, and it belongs to no
partnership. One last short transaction gives it its real join code (and, in a
partnership restore, its partnership: "the flip"). If anything fails on the way,
the half-written workshop is deleted again (in batches too); a workshop left
behind by a process that died mid-restore is removed at the next start
(:func:`purge_abandoned`). Nothing half-written is ever visible.

The workshop gets a new join code and a new facilitator secret; participants get
new private tokens. Imports no streamlit.
"""

from __future__ import annotations

import logging
import secrets
import time
from datetime import timedelta
from typing import Any, Callable, Iterator

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from canvas_models.spec import spec_text
from workshop import db as D
from workshop.store import CODE_ALPHABET, CODE_LENGTH, Partnership, Store, Workshop, _hash, new_key, now

_LOG = logging.getLogger(__name__)

#: How long one restore transaction may hold SQLite's write lock, roughly (the batch grows or
#: shrinks to fit); the restore then waits at least as long before the next one.
BATCH_SECONDS = 0.03
#: On PostgreSQL other workshops' writes do not wait for these inserts (row locks only, on rows
#: of the new workshop), so the batches are long: fewer commits, fewer statements to parse.
BATCH_SECONDS_PG = 2.0
#: Rows deleted per transaction when an unfinished restore is removed.
_DISCARD = 2000
#: Placeholder join codes start with this; `normalise_code` drops it, so no URL or form reaches them.
PENDING = "~"
#: A restore still pending after this long was left by a process that died; it is removed.
ABANDONED_AFTER = timedelta(hours=1)


#: The batch sizes: every other number of rows would be another statement text, which the driver
#: parses again (psycopg spent most of a restore doing that); SQLAlchemy sends pages of 1,000 rows.
_SIZES = (20, 50, 100, 200, 500, 1000, 2000, 3000, 5000, 10_000, 20_000, 50_000)


class _Writer:
    """Short transactions, each about BATCH_SECONDS long, with room for others in between."""

    def __init__(self, store: Store):
        self.db = store.db
        self.rows = 200  # first guess; adapted after every batch (one of _SIZES)
        self.target, self.most = (BATCH_SECONDS, 5000) if self.db.is_sqlite else (BATCH_SECONDS_PG, 50_000)

    def insert(self, table, rows: list[dict]) -> list[int]:
        """Insert rows in batches; returns their new ids in the order given."""
        ids: list[int] = []
        for chunk in self._chunks(rows):
            ids.extend(self._timed(lambda conn: _insert_many(conn, table, chunk), len(chunk)))
        return ids

    def run(self, statement, params: list[dict]) -> None:
        """Execute one statement for many parameter sets, in batches."""
        for chunk in self._chunks(params):
            self._timed(lambda conn: conn.execute(statement, chunk), len(chunk))

    def _chunks(self, rows: list) -> Iterator[list]:
        start = 0
        while start < len(rows):
            chunk = rows[start:start + self.rows]
            start += len(chunk)
            yield chunk

    def _timed(self, work: Callable, size: int):
        began = time.perf_counter()
        with self.db.writing() as conn:
            result = work(conn)
        held = time.perf_counter() - began
        # The next batch: as many rows as fit in the target time at this pace (at most double).
        fit = size / max(held, 1e-4) * self.target
        sizes = [n for n in _SIZES if n <= self.most]
        up = next((n for n in sizes if n > self.rows), self.rows)  # grow one step at a time
        self.rows = max([n for n in sizes if n <= min(fit, up)] or [sizes[0]])
        if self.db.is_sqlite:
            # SQLite has one write lock for the whole database; a waiting writer polls for it
            # (every 1..100 ms), so leave it a gap at least as long as we held the lock.
            time.sleep(max(held, self.target))
        return result


def _insert_many(conn, table, rows: list[dict]) -> list[int]:
    """Insert rows and return their new ids in the order given."""
    if not rows:
        return []
    result = conn.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)
    return [r[0] for r in result]


def insert_workshop(store: Store, data: dict[str, Any]) -> tuple[Workshop, str]:
    """Write a validated backup (see ``exports.backup``); returns the new workshop and its secret."""
    secret = secrets.token_urlsafe(24)
    wid = _write_pending(store, data, secret)
    try:
        _flip(store, wid)
    except BaseException:
        _discard_quietly(store, [wid])
        raise
    return store.workshop(wid), secret


def insert_partnership(store: Store, partnership: dict[str, Any], workshops: list[dict[str, Any]],
                       templates: list[Any] = ()) -> tuple[Partnership, str]:
    """Write a validated partnership backup (see ``exports.partnership``); returns it with its new secret.

    Every workshop is written as :func:`insert_workshop` writes one (short transactions, unreachable
    until its flip) and gets a new join code and a facilitator secret that nobody learns: its facilitator
    opens it through the partnership's link. The partnership's secret exists only in this call until it
    returns, so nobody reaches the partnership before every workshop is in it. The workshops are written
    in the order given (date order), so that "earlier workshop" keeps its meaning. ``templates`` (checked
    werkvormen and programmes, ``exports.partnership``) go in with the partnership row. On any failure
    every workshop written so far, and the partnership, are removed again.
    """
    secret = secrets.token_urlsafe(24)
    with store.db.writing() as conn:
        pid = conn.execute(insert(D.partnerships).values(
            name=partnership["name"], secret_hash=_hash(secret), created_at=now(),
        ).returning(D.partnerships.c.id)).scalar_one()
        if templates:
            conn.execute(insert(D.templates), [template_row(item, owner_partnership_id=pid) for item in templates])
    written: list[int] = []
    try:
        for data in workshops:
            named = {**data, "workshop": {**data["workshop"], "partnership": partnership["name"]}}
            written.append(_write_pending(store, named, secrets.token_urlsafe(24)))
        for wid in written:
            _flip(store, wid, partnership_id=pid)
    except BaseException:
        _discard_quietly(store, written)
        try:
            with store.db.writing() as conn:
                conn.execute(delete(D.partnerships).where(D.partnerships.c.id == pid))
        except Exception:  # the database is away; a partnership without workshops shows nothing
            _LOG.exception("could not remove the unfinished partnership %s", pid)
        raise
    return store.partnership(pid), secret


def template_row(item: Any, **owner: int) -> dict[str, Any]:
    """A checked werkvorm or programme as a row of a template library (``owner_workshop_id=`` or
    ``owner_partnership_id=``)."""
    from workshop.store.templates import describe

    kind, key, title, body = describe(item)
    stamp = now()
    return {"kind": kind, "key": key, "title": title, "body": body, "version": 1, "created_at": stamp,
            "updated_at": stamp, **owner}


def _write_pending(store: Store, data: dict[str, Any], secret: str) -> int:
    """Write a workshop under a placeholder code; returns its id. Removed again when writing fails."""
    wid = _create_pending(store, data["workshop"], secret)
    try:
        _write_rows(_Writer(store), wid, data)
    except BaseException:
        _discard_quietly(store, [wid])
        raise
    return wid


def _discard_quietly(store: Store, wids: list[int]) -> None:
    for wid in wids:
        try:
            discard(store, wid)
        except Exception:  # the database is away: purge_abandoned removes it at a later start
            _LOG.exception("could not remove the unfinished restore of workshop %s", wid)


def _create_pending(store: Store, ws: dict, secret: str) -> int:
    for _attempt in range(8):
        try:
            with store.db.writing() as conn:
                return conn.execute(insert(D.workshops).values(
                    code=PENDING + secrets.token_hex(3)[:CODE_LENGTH - 1], secret_hash=_hash(secret),
                    title=ws["title"], partnership=ws["partnership"], date=ws["date"],
                    facilitator=ws["facilitator"], anonymous=ws["anonymous"],
                    max_participants=ws["max_participants"], current_step=ws["current_step"], state_version=0,
                    show_join=ws["show_join"], participant_pdf=ws["participant_pdf"], created_at=now(),
                ).returning(D.workshops.c.id)).scalar_one()
        except IntegrityError:  # another restore holds this placeholder right now
            continue
    raise RuntimeError("could not find a free placeholder code")  # pragma: no cover - 16^5 codes


def _flip(store: Store, wid: int, *, partnership_id: int | None = None) -> None:
    """Make the restored workshop reachable: a real join code (and its partnership, if any)."""
    for _attempt in range(20):
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        try:
            with store.db.writing() as conn:
                if conn.execute(select(D.workshops.c.id).where(D.workshops.c.code == code)).first() is not None:
                    continue
                conn.execute(update(D.workshops).where(D.workshops.c.id == wid).values(
                    code=code, partnership_id=partnership_id, created_at=now()))
            return
        except IntegrityError:  # the code was taken concurrently; the transaction was rolled back
            continue
    raise RuntimeError("could not find a free join code")  # pragma: no cover - 25^6 codes


def discard(store: Store, wid: int) -> None:
    """Delete a workshop that never became visible, in short transactions paced like the writing."""
    writer = _Writer(store)

    def some(conn, table) -> int:
        ids = list(conn.execute(select(table.c.id).where(table.c.workshop_id == wid).limit(_DISCARD)).scalars())
        if ids:
            conn.execute(delete(table).where(table.c.id.in_(ids)))
        return len(ids)

    for table in (D.votes, D.contributions, D.clusters, D.actions, D.step_changes, D.participants, D.steps):
        while writer._timed(lambda conn: some(conn, table), _DISCARD) == _DISCARD:
            pass
    with store.db.writing() as conn:
        conn.execute(delete(D.workshops).where(D.workshops.c.id == wid))


def purge_abandoned(store: Store) -> int:
    """Remove restores that a dead process left pending; returns how many."""
    cutoff = now() - ABANDONED_AFTER
    with store.db.reading() as conn:
        ids = list(conn.execute(select(D.workshops.c.id).where(
            D.workshops.c.code.like(PENDING + "%"), D.workshops.c.created_at < cutoff)).scalars())
    for wid in ids:
        discard(store, wid)
    return len(ids)


def _write_rows(writer: _Writer, wid: int, data: dict[str, Any]) -> None:
    stamp = now()
    steps = sorted(data["steps"], key=lambda s: s["position"])
    step_ids = dict(zip((s["id"] for s in steps), writer.insert(D.steps, [{
        "workshop_id": wid, "position": s["position"], "werkvorm": s["werkvorm"], "spec": spec_text(s["spec"]) if s.get("spec") else None,
        "config": s["config"],
        "locked": s["locked"], "revealed": s["revealed"], "stage": s["stage"], "voting_open": s["voting_open"],
        "dots": s["dots"], "multi_dot": s["multi_dot"], "votes_live": s["votes_live"],
        "vote_target": s["vote_target"], "timer_seconds": s["timer_seconds"], "timer_end": None,
        "timer_paused_left": None, "timer_auto_lock": s["timer_auto_lock"],
    } for s in steps])))

    people = data["participants"]
    person_ids = dict(zip((p["id"] for p in people), writer.insert(D.participants, [{
        "workshop_id": wid, "token": secrets.token_urlsafe(18), "name": p["name"], "org_type": p["org_type"],
        "ready_step": p["ready_step"], "created_at": stamp, "idem_key": None,
    } for p in people])))

    clusters = data["clusters"]
    cluster_ids = dict(zip((c["id"] for c in clusters), writer.insert(D.clusters, [{
        "workshop_id": wid, "step_id": step_ids[c["step_id"]], "name": c["name"], "deleted": False,
        "created_at": stamp,
    } for c in clusters])))

    # Keep the original order: for answers the newest row (highest id) wins.
    notes = sorted(data["contributions"], key=lambda c: c["id"])
    note_ids = dict(zip((c["id"] for c in notes), writer.insert(D.contributions, [{
        "workshop_id": wid, "step_id": step_ids[c["step_id"]],
        "participant_id": person_ids.get(c["participant_id"]), "section": c["section"], "field": c["field"],
        "kind": c["kind"], "text": c["text"], "score": c["score"], "tags": list(c["tags"]),
        "cluster_id": cluster_ids.get(c["cluster_id"]), "merged_into": None, "hidden": c["hidden"],
        "deleted": False, "idem_key": f"restore-{new_key()}", "created_at": c["created_at"] or stamp,
    } for c in notes])))
    merged = D.contributions
    writer.run(update(merged).where(merged.c.id == bindparam("row_id")).values(merged_into=bindparam("target")),
               [{"row_id": note_ids[c["id"]], "target": note_ids[c["merged_into"]]}
                for c in notes if c["merged_into"] is not None])

    targets = {"note": note_ids, "cluster": cluster_ids, "mark": note_ids}  # a mark is on a note (rounds)
    writer.insert(D.votes, [{
        "workshop_id": wid, "step_id": step_ids[v["step_id"]], "participant_id": person_ids[v["participant_id"]],
        "target_type": v["target_type"], "target_id": targets[v["target_type"]][v["target_id"]],
        "idem_key": f"restore-{new_key()}", "created_at": v["created_at"] or stamp,
    } for v in sorted(data["votes"], key=lambda v: v["id"])])

    actions = sorted(data["actions"], key=lambda a: a["id"])
    action_ids = dict(zip((a["id"] for a in actions), writer.insert(D.actions, [{
        "workshop_id": wid, "what": a["what"], "owner": a["owner"],
        "partner": a["partner"], "due": a["due"], "status": a["status"], "link": a["link"],
        "confirmed": a["confirmed"], "proposed_by": person_ids.get(a["proposed_by"]), "source": a["source"],
        "merged_into": None, "deleted": a["deleted"], "review_note": a["review_note"],
        "idem_key": f"restore-{new_key()}", "created_at": a["created_at"] or stamp,
        "updated_at": a["updated_at"] or a["created_at"] or stamp,
    } for a in actions])))
    act = D.actions
    writer.run(update(act).where(act.c.id == bindparam("row_id")).values(merged_into=bindparam("target")),
               [{"row_id": action_ids[a["id"]], "target": action_ids[a["merged_into"]]}
                for a in actions if a["merged_into"] is not None])
    # the workshop's own werkvormen and programmes (its facilitator's template library)
    writer.insert(D.templates, [template_row(item, owner_workshop_id=wid) for item in data.get("templates", [])])
