"""Dots: placing and taking back votes within a step's budget, and counting them."""

from __future__ import annotations

from sqlalchemy import delete, func, insert, select

from workshop import db as D
from workshop.errors import NotAllowed, UserError
from workshop.store.core import _P, Facilitator, Participant, Service, now

_V = D.votes
_Q_VOTE_COUNTS = (select(_V.c.target_id, func.count())
                  .where(_V.c.step_id == _P("step_id"), _V.c.target_type == _P("target_type"))
                  .group_by(_V.c.target_id))


class VoteService(Service):
    """Dot votes: a participant's dots, the facilitator's rounds."""

    def place_vote(self, who: Participant, step_id: int, *, target_type: str, target_id: int,
                   idem_key: str) -> int:
        """Place one dot. The budget holds even with two devices tapping at once."""
        step = self.step(step_id)
        if step.workshop_id != who.workshop_id:
            raise NotAllowed("error.not_yours")
        if not step.voting_open:
            raise UserError("error.voting_closed")
        if target_type not in ("note", "cluster"):
            raise ValueError(target_type)

        def write(conn) -> int:
            self._lock_row(conn, D.participants, who.id)  # serialises this participant's dots
            again = self._find_key(conn, D.votes, who.workshop_id, idem_key)
            if again is not None:
                return again[0]
            if not self._vote_target_exists(conn, step_id, target_type, target_id):
                raise UserError("dots.gone")
            # The budget is per target type, so a round on clusters after one on notes starts fresh.
            mine = conn.execute(select(D.votes.c.target_id, D.votes.c.target_type).where(
                D.votes.c.step_id == step_id, D.votes.c.participant_id == who.id,
                D.votes.c.target_type == target_type)).all()
            if len(mine) >= step.dots:
                raise UserError("error.no_dots_left", dots=step.dots)
            if not step.multi_dot and (target_id, target_type) in {(m[0], m[1]) for m in mine}:
                raise UserError("error.one_dot_each")
            vote_id = conn.execute(insert(D.votes).values(
                workshop_id=who.workshop_id, step_id=step_id, participant_id=who.id,
                target_type=target_type, target_id=target_id, idem_key=idem_key,
                created_at=now()).returning(D.votes.c.id)).scalar_one()
            self._touch(conn, who.workshop_id)
            return vote_id
        return self._insert_once(D.votes, who.workshop_id, idem_key, write)

    def remove_vote(self, who: Participant, step_id: int, *, target_type: str, target_id: int) -> bool:
        with self.db.writing() as conn:
            vid = conn.execute(select(D.votes.c.id).where(
                D.votes.c.step_id == step_id, D.votes.c.participant_id == who.id,
                D.votes.c.target_type == target_type, D.votes.c.target_id == target_id,
            ).order_by(D.votes.c.id.desc()).limit(1)).scalar()
            if vid is None:
                return False
            conn.execute(delete(D.votes).where(D.votes.c.id == vid))
            self._touch(conn, who.workshop_id)
        return True

    def vote_counts(self, step_id: int, target_type: str) -> dict[int, int]:
        with self.db.reading() as conn:
            rows = conn.execute(_Q_VOTE_COUNTS, {"step_id": step_id, "target_type": target_type}).all()
        return {r[0]: r[1] for r in rows}

    def votes(self, workshop_id: int) -> list[dict]:
        """Every dot of a workshop as a row, oldest first (exports and backups)."""
        v = D.votes
        query = (select(v.c.id, v.c.step_id, v.c.participant_id, v.c.target_type, v.c.target_id,
                        v.c.created_at).where(v.c.workshop_id == workshop_id).order_by(v.c.id))
        with self.db.reading() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def my_votes(self, who: Participant, step_id: int) -> list[tuple[str, int]]:
        with self.db.reading() as conn:
            return [(r[0], r[1]) for r in conn.execute(select(D.votes.c.target_type, D.votes.c.target_id).where(
                D.votes.c.step_id == step_id, D.votes.c.participant_id == who.id))]

    @staticmethod
    def _vote_target_exists(conn, step_id: int, target_type: str, target_id: int) -> bool:
        """A dot may only land on a visible note or a live cluster of the same step."""
        if target_type == "cluster":
            table, extra = D.clusters, [D.clusters.c.deleted.is_(False)]
        else:
            table = D.contributions
            extra = [table.c.deleted.is_(False), table.c.hidden.is_(False)]
        return conn.execute(select(table.c.id).where(
            table.c.id == target_id, table.c.step_id == step_id, *extra)).first() is not None

    def voter_count(self, step_id: int, target_type: str | None = None) -> int:
        """How many participants placed at least one dot in this step (on ``target_type``)."""
        query = select(func.count(func.distinct(D.votes.c.participant_id))).where(D.votes.c.step_id == step_id)
        if target_type:
            query = query.where(D.votes.c.target_type == target_type)
        with self.db.reading() as conn:
            return conn.execute(query).scalar_one()

    def clear_votes(self, fac: Facilitator, step_id: int, target_type: str | None = None) -> int:
        """Give every dot of a step back (for a fresh round); returns how many were removed."""
        self._check(fac)
        query = delete(D.votes).where(D.votes.c.step_id == step_id, D.votes.c.workshop_id == fac.workshop_id)
        if target_type:
            query = query.where(D.votes.c.target_type == target_type)
        with self.db.writing() as conn:
            removed = conn.execute(query).rowcount
            self._bump(conn, fac.workshop_id)
        return removed
