"""Deleting workshops: one on the facilitator's request, and the old ones (the retention setting),
which a daemon thread of each process deletes at start and then once a day: never a page render."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from sqlalchemy import delete, select

from workshop import db as D
from workshop.store.core import Facilitator, Service, now


_LOG = logging.getLogger(__name__)

#: The retention purge runs at start and then this often (seconds).
PURGE_EVERY = 24 * 3600
#: After a failed purge (the database was away) the next try comes this soon.
RETRY_AFTER = 300


class RetentionService(Service):
    """Deleting workshops with everything in them."""

    def delete_workshop(self, fac: Facilitator) -> None:
        """Delete a workshop with everything in it."""
        self._check(fac)
        self._delete_workshops([fac.workshop_id])

    def _delete_workshops(self, ids: list[int]) -> None:
        if not ids:
            return
        with self.db.writing() as conn:
            for table in (D.votes, D.contributions, D.clusters, D.actions, D.step_changes,
                          D.participants, D.steps, D.content_versions):
                conn.execute(delete(table).where(table.c.workshop_id.in_(ids)))
            # the facilitator's own werkvormen and programmes go with the link that owns them
            conn.execute(delete(D.templates).where(D.templates.c.owner_workshop_id.in_(ids)))
            conn.execute(delete(D.workshops).where(D.workshops.c.id.in_(ids)))

    def purge_practice(self, hours: float) -> int:
        """Delete the editor's practice workshops made more than ``hours`` ago; returns how many."""
        w = D.workshops
        cutoff = now() - timedelta(hours=hours)
        with self.db.reading() as conn:
            ids = list(conn.execute(select(w.c.id).where(w.c.practice.is_(True), w.c.created_at < cutoff)).scalars())
        self._delete_workshops(ids)
        return len(ids)

    def purge_older_than(self, days: int) -> int:
        """Delete workshops created more than ``days`` ago; returns how many.

        A partnership older than that with no workshop left goes too (its name and link).
        """
        cutoff = now() - timedelta(days=days)
        with self.db.reading() as conn:
            ids = list(conn.execute(
                select(D.workshops.c.id).where(D.workshops.c.created_at < cutoff)).scalars())
        self._delete_workshops(ids)
        p, w = D.partnerships, D.workshops
        with self.db.writing() as conn:
            conn.execute(delete(p).where(p.c.created_at < cutoff, ~select(w.c.id).where(
                w.c.partnership_id == p.c.id).exists()))
        return len(ids)


class RetentionDaemon:
    """Deletes the workshops older than ``days`` in a daemon thread: at once, then every ``every``
    seconds. :func:`workshop.store.get_store` starts one per process and database."""

    def __init__(self, store: RetentionService, days: int, every: float | None = None):
        self.store, self.days = store, days
        self.every = PURGE_EVERY if every is None else every
        self.rounds = 0  # purges tried so far
        self._done = threading.Condition()
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name="samenspraak-retention", daemon=True)

    def start(self) -> RetentionDaemon:
        self.thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self.thread.join(timeout=10)

    def wait_rounds(self, count: int, timeout: float) -> bool:
        """Wait until ``count`` purges were tried (tests); False on timeout."""
        with self._done:
            return self._done.wait_for(lambda: self.rounds >= count, timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            wait = self.every
            try:
                removed = self.store.purge_older_than(self.days)
                if removed:
                    _LOG.info("retention: deleted %s workshops older than %s days", removed, self.days)
            except Exception:  # noqa: BLE001 - the database was away: try again soon, never die
                _LOG.warning("retention purge failed; trying again in %ss", RETRY_AFTER, exc_info=True)
                wait = min(self.every, RETRY_AFTER)
            with self._done:
                self.rounds += 1
                self._done.notify_all()
            self._stop.wait(wait)
