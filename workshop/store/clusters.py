"""Clusters: the facilitator's named groups of notes in a step."""

from __future__ import annotations

from typing import Iterable

from sqlalchemy import delete, insert, select, update

from messages import t
from workshop import db as D
from workshop.errors import NotAllowed, UserError
from workshop.store.core import _P, Facilitator, Service, now
from workshop.text import Limits, clean

_Q_CLUSTERS = (select(D.clusters.c.id, D.clusters.c.name)
               .where(D.clusters.c.step_id == _P("step_id"), D.clusters.c.deleted.is_(False))
               .order_by(D.clusters.c.id))


class ClusterService(Service):
    """Clusters of a step, and which notes are in them."""

    def add_cluster(self, fac: Facilitator, step_id: int, name: str) -> int:
        self._check(fac)
        name = clean(name, limit=Limits.CLUSTER, label=t("field.cluster"))
        if self.step(step_id).workshop_id != fac.workshop_id:
            raise NotAllowed("error.not_facilitator")
        with self.db.writing() as conn:
            cluster_id = conn.execute(insert(D.clusters).values(
                workshop_id=fac.workshop_id, step_id=step_id, name=name, created_at=now(),
            ).returning(D.clusters.c.id)).scalar_one()
            self._touch(conn, fac.workshop_id)
            return cluster_id

    def rename_cluster(self, fac: Facilitator, cluster_id: int, name: str) -> None:
        self._check(fac)
        name = clean(name, limit=Limits.CLUSTER, label=t("field.cluster"))
        with self.db.writing() as conn:
            conn.execute(update(D.clusters).where(
                D.clusters.c.id == cluster_id, D.clusters.c.workshop_id == fac.workshop_id).values(name=name))
            self._touch(conn, fac.workshop_id)

    def delete_cluster(self, fac: Facilitator, cluster_id: int) -> None:
        self._check(fac)
        with self.db.writing() as conn:
            res = conn.execute(update(D.clusters).where(
                D.clusters.c.id == cluster_id, D.clusters.c.workshop_id == fac.workshop_id).values(deleted=True))
            conn.execute(update(D.contributions).where(
                D.contributions.c.cluster_id == cluster_id,
                D.contributions.c.workshop_id == fac.workshop_id).values(cluster_id=None))
            if res.rowcount == 1:  # dots on a cluster that is gone go back to their owners
                conn.execute(delete(D.votes).where(
                    D.votes.c.workshop_id == fac.workshop_id, D.votes.c.target_type == "cluster",
                    D.votes.c.target_id == cluster_id))
            self._touch(conn, fac.workshop_id)

    def clusters(self, step_id: int) -> list[dict]:
        with self.db.reading() as conn:
            return [dict(r._mapping) for r in conn.execute(_Q_CLUSTERS, {"step_id": step_id})]

    def assign_cluster(self, fac: Facilitator, step_id: int, note_ids: Iterable[int],
                       cluster_id: int | None) -> int:
        """Put several notes of a step in one cluster (None: take them out); returns how many."""
        self._check(fac)
        ids = [int(n) for n in note_ids]
        if not ids:
            return 0
        c = D.contributions
        with self.db.writing() as conn:
            if cluster_id is not None and conn.execute(select(D.clusters.c.id).where(
                    D.clusters.c.id == cluster_id, D.clusters.c.step_id == step_id,
                    D.clusters.c.workshop_id == fac.workshop_id, D.clusters.c.deleted.is_(False))).first() is None:
                raise UserError("wall.x_cluster_gone")
            moved = conn.execute(update(c).where(
                c.c.id.in_(ids), c.c.step_id == step_id, c.c.workshop_id == fac.workshop_id,
            ).values(cluster_id=cluster_id)).rowcount
            self._touch(conn, fac.workshop_id)
            return moved
