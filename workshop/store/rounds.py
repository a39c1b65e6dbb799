"""The store's part for the rounds layout (intervision): per-round reveals, the chosen case, the case
giver's marks. One service of :class:`workshop.store.Store`, over the shared helpers of ``core.py``. Imports no streamlit."""

from __future__ import annotations

import secrets
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from sqlalchemy import and_, delete, insert, select

from workshop import db as D
from workshop import rounds
from workshop.errors import NotAllowed, UserError
from workshop.store.core import Service

if TYPE_CHECKING:
    from workshop.store import Facilitator, Participant, Step


class RoundService(Service):
    """Reveals per round (``config["revealed"]``) and marks (votes with ``target_type`` "mark")."""

    def reveal_section(self, fac: Facilitator, step_id: int, section: str, revealed: bool = True) -> None:
        """Reveal (or hide again) one round's notes on the screen (``config["revealed"]``, workshop.rounds)."""
        def edit(step: Step, config: dict) -> None:
            step.werkvorm.section(section)
            keys = [k for k in (config.get("revealed") or []) if k != section]
            config["revealed"] = keys + ([section] if revealed else [])
        self._edit_config(fac, step_id, edit)

    def chosen_case(self, step: Step) -> dict | None:
        """The case the group chose in a step of rounds (see workshop.rounds), with its author's id."""
        keys = rounds.case_sections(step.werkvorm)
        if not keys:
            return None
        notes = [n for n in self.contributions(step.id, kinds=("note", "tagged_note")) if n["section"] in keys]
        return rounds.chosen_case(step.werkvorm, notes, self.vote_counts(step.id, "note"))

    def marks(self, step_id: int) -> set[int]:
        """The notes the case giver marked as helpful."""
        return set(self.vote_counts(step_id, rounds.MARK))

    def mark_note(self, who: Participant, step_id: int, note_id: int, helps: bool = True) -> None:
        """The case giver marks (or unmarks) a visible note of a round with ``marks: true``."""
        step = self.step(step_id)
        if step.workshop_id != who.workshop_id:
            raise NotAllowed("error.not_yours")
        case = self.chosen_case(step)
        if case is None or case["participant_id"] != who.id:
            raise UserError("rounds.error.not_case_giver")
        marking = [s for s in step.werkvorm.sections if s.marks]
        shown = {rounds.shown_section(step.werkvorm, s).key for s in marking
                 if rounds.revealed(step.config, rounds.shown_section(step.werkvorm, s))}
        with self.db.writing() as conn:
            self._lock_row(conn, D.participants, who.id)  # one mark per note, also from two devices
            target = conn.execute(select(D.contributions.c.section).where(
                D.contributions.c.id == note_id, D.contributions.c.step_id == step_id,
                D.contributions.c.deleted.is_(False), D.contributions.c.hidden.is_(False))).first()
            if target is None or target.section not in shown:
                raise UserError("dots.gone")
            mine = and_(D.votes.c.step_id == step_id, D.votes.c.participant_id == who.id,
                        D.votes.c.target_type == rounds.MARK, D.votes.c.target_id == note_id)
            there = conn.execute(select(D.votes.c.id).where(mine)).first() is not None
            if helps and not there:
                conn.execute(insert(D.votes).values(
                    workshop_id=who.workshop_id, step_id=step_id, participant_id=who.id, target_type=rounds.MARK,
                    target_id=note_id, idem_key=f"mark:{who.id}:{note_id}:{secrets.token_hex(8)}", created_at=datetime.now(timezone.utc)))
            elif not helps and there:
                conn.execute(delete(D.votes).where(mine))
            else:
                return
            self._touch(conn, who.workshop_id)
