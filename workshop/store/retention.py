"""Deleting workshops: one on the facilitator's request, and the old ones (the retention setting)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select

from workshop import db as D
from workshop.store.core import Facilitator, Service, now


class RetentionService(Service):
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
            conn.execute(delete(D.workshops).where(D.workshops.c.id.in_(ids)))

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
