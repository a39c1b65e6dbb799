"""Participants: joining with the code (within the room's limit), the private token, readiness."""

from __future__ import annotations

import secrets

from sqlalchemy import func, insert, select, update

from messages import ORG_TYPES, t
from workshop import db as D
from workshop.errors import UserError
from workshop.store.core import _P, CODE_LENGTH, Participant, Service, _row, normalise_code, now
from workshop.text import Limits, clean

_Q_PARTICIPANT = (select(D.participants).join(D.workshops, D.workshops.c.id == D.participants.c.workshop_id)
                  .where(D.workshops.c.code == _P("code"), D.participants.c.token == _P("token")))
_Q_READINESS = select(func.count(), func.count().filter(D.participants.c.ready_step == _P("position"))).where(
    D.participants.c.workshop_id == _P("workshop_id"))


class ParticipantService(Service):
    """Who is in a workshop, by their private token."""

    def join(self, code: str, *, name: str, org_type: str, idem_key: str | None = None) -> Participant:
        ws = self.workshop_by_code(code)
        if ws is None:
            raise UserError("error.unknown_room")
        name = clean(name, limit=Limits.NAME, label=t("field.name"), required=not ws.anonymous)
        if org_type not in ORG_TYPES:
            raise UserError("error.org_type")
        token = secrets.token_urlsafe(18)

        def write(conn) -> Participant:
            self._lock_row(conn, D.workshops, ws.id)  # the room limit holds under concurrent joins
            if idem_key:
                again = self._find_key(conn, D.participants, ws.id, idem_key, D.participants)
                if again is not None:
                    return _row(Participant, again)
            count = conn.execute(select(func.count()).select_from(D.participants).where(
                D.participants.c.workshop_id == ws.id)).scalar_one()
            if count >= ws.max_participants:
                raise UserError("error.room_full", limit=ws.max_participants)
            pid = conn.execute(insert(D.participants).values(
                workshop_id=ws.id, token=token, name=name, org_type=org_type, created_at=now(),
                idem_key=idem_key).returning(D.participants.c.id)).scalar_one()
            self._touch(conn, ws.id)  # the screen counts participants
            return Participant(pid, ws.id, token, name, org_type, None)
        return self._insert_once(D.participants, ws.id, idem_key, write, D.participants,
                                 found=lambda row: _row(Participant, row))

    def participant(self, code: str | None, token: str | None) -> Participant | None:
        code = normalise_code(code)
        if len(code) != CODE_LENGTH or not token:
            return None
        with self.db.reading() as conn:  # one query: every participant page load does this
            row = conn.execute(_Q_PARTICIPANT, {"code": code, "token": str(token)[:64]}).first()
        return _row(Participant, row) if row else None

    def participants(self, workshop_id: int) -> list[Participant]:
        with self.db.reading() as conn:
            rows = conn.execute(select(D.participants).where(
                D.participants.c.workshop_id == workshop_id).order_by(D.participants.c.id)).all()
        return [_row(Participant, r) for r in rows]

    def participant_count(self, workshop_id: int) -> int:
        with self.db.reading() as conn:
            return conn.execute(select(func.count()).select_from(D.participants).where(
                D.participants.c.workshop_id == workshop_id)).scalar_one()

    def readiness(self, workshop_id: int, position: int) -> tuple[int, int]:
        """(participants who tapped 'klaar' for this step, all participants)."""
        with self.db.reading() as conn:
            row = conn.execute(_Q_READINESS, {"position": position, "workshop_id": workshop_id}).first()
        return int(row[1] or 0), int(row[0] or 0)

    def set_ready(self, who: Participant, step_position: int | None) -> None:
        with self.db.writing() as conn:
            conn.execute(update(D.participants).where(D.participants.c.id == who.id).values(ready_step=step_position))
            self._touch(conn, who.workshop_id)
