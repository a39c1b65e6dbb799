"""Contributions: the notes and answers participants send, and what the facilitator does with
notes (moderate, merge). Every submission is its own appended row under an idempotency key."""

from __future__ import annotations

from typing import Any, Iterable

from sqlalchemy import case, func, insert, select, update

import canvas_models
from messages import t
from workshop import db as D
from workshop import timer
from workshop.errors import NotAllowed, UserError
from workshop.store.core import _P, Facilitator, Participant, Service, Step, now
from workshop.text import Limits, clean

_C = D.contributions
_IDEM_NOTE = (_C.c.workshop_id == _P("workshop_id"), _C.c.idem_key == _P("idem_key"))
# Before a note is added: is this key stored already (and deleted?), and how many live notes
# has this participant in this step. One statement.
_Q_NOTE_CHECK = select(
    select(_C.c.id).where(*_IDEM_NOTE).scalar_subquery(),
    select(_C.c.deleted).where(*_IDEM_NOTE).scalar_subquery(),
    select(func.count()).select_from(_C).where(
        _C.c.step_id == _P("step_id"), _C.c.participant_id == _P("participant_id"),
        _C.c.deleted.is_(False)).scalar_subquery(),
)
_Q_INSERT_NOTE = insert(D.contributions).returning(D.contributions.c.id)
_CONTRIBUTION_QUERIES: dict[tuple[bool, bool, bool], Any] = {}
_Q_NOTE_COUNT = select(func.count()).select_from(_C).where(
    _C.c.step_id == _P("step_id"), _C.c.deleted.is_(False), _C.c.hidden.is_(False))


def _contributions_query(include_hidden: bool, by_kind: bool, by_participant: bool):
    """The contributions query for one combination of filters, built once."""
    key = (include_hidden, by_kind, by_participant)
    query = _CONTRIBUTION_QUERIES.get(key)
    if query is None:
        c, p = D.contributions, D.participants
        query = (
            select(c.c.id, c.c.participant_id, c.c.section, c.c.field, c.c.kind, c.c.text, c.c.score,
                   c.c.tags, c.c.cluster_id, c.c.merged_into, c.c.hidden, c.c.created_at,
                   p.c.name, p.c.org_type)
            .select_from(c.outerjoin(p, p.c.id == c.c.participant_id))
            .where(c.c.step_id == _P("step_id"), c.c.deleted.is_(False))
            .order_by(c.c.id)
        )
        if not include_hidden:
            query = query.where(c.c.hidden.is_(False))
        if by_kind:
            query = query.where(c.c.kind.in_(_P("kinds", expanding=True)))
        if by_participant:
            query = query.where(c.c.participant_id == _P("participant_id"))
        _CONTRIBUTION_QUERIES[key] = query
    return query


class ContributionService(Service):
    """Notes and answers, by their author (a Participant) or moderated by the facilitator."""

    def _open_step(self, who: Participant, step_id: int, conn=None) -> Step:
        """The step, if ``who`` may still write to it. Pass ``conn`` to read it inside
        the writing transaction (one round trip fewer, and no lock can slip in between)."""
        step = self.step(step_id) if conn is None else self._read_step(conn, step_id)
        if step.workshop_id != who.workshop_id:
            raise NotAllowed("error.not_yours")
        if step.locked or (step.timer_auto_lock and timer.expired(step, now())):
            raise UserError("error.locked")
        return step

    def add_note(self, who: Participant, step_id: int, *, section: str, field: str, text: str,
                 idem_key: str, tags: Iterable[str] = ()) -> int:
        """Append a note (kinds ``note`` and ``tagged_note``); a repeated key stores it once.

        Everything happens in one writing transaction: this is the hot path when a
        room of 200 submits at once (bench/live.py)."""
        def checked(step: Step) -> tuple[str, str, list[str], int]:
            wv = step.werkvorm
            spec = wv.field(field)
            if spec.kind not in ("note", "tagged_note"):
                raise ValueError(f"field {field} is not a note")
            if wv.section(section).writers == "none":  # a round of talk (layout rounds)
                raise UserError("rounds.error.no_writing")
            if wv.sequential and wv.sections[min(step.stage, len(wv.sections) - 1)].key != section:
                raise UserError("error.stage_moved")
            return (spec.kind, clean(text, limit=spec.max_length, label=spec.label, multiline=True),
                    [tag for tag in tags if tag in wv.tags],
                    min(wv.max_notes_per_participant, Limits.NOTES_PER_STEP))

        def write(conn) -> int:
            self._lock_row(conn, D.participants, who.id)  # the notes limit holds across devices
            kind, clean_text, clean_tags, limit = checked(self._open_step(who, step_id, conn))
            again, deleted, count = conn.execute(_Q_NOTE_CHECK, {
                "workshop_id": who.workshop_id, "idem_key": idem_key, "step_id": step_id,
                "participant_id": who.id}).one()
            if again is not None and not deleted:
                return again
            if count >= limit:
                raise UserError("error.too_many_notes", limit=limit)
            if again is not None:  # the same text again after deleting it: bring the note back
                conn.execute(update(D.contributions).where(D.contributions.c.id == again).values(
                    deleted=False, tags=clean_tags))
                note_id = again
            else:
                note_id = conn.execute(_Q_INSERT_NOTE, dict(
                    workshop_id=who.workshop_id, step_id=step_id, participant_id=who.id,
                    section=section, field=field, kind=kind, text=clean_text, tags=clean_tags,
                    idem_key=idem_key, created_at=now())).scalar_one()
            self._touch(conn, who.workshop_id)
            return note_id
        return self._insert_once(D.contributions, who.workshop_id, idem_key, write)

    def answer(self, who: Participant, step_id: int, *, section: str, values: dict[str, Any],
               idem_key: str, column: str = "") -> None:
        """Store answers for a section (kinds ``score`` and ``text``); newest wins.

        ``values`` maps field key to a score (1-5, or None for "weet ik niet")
        or a text. All fields are validated before anything is written. ``column``: the cell of a
        board (layout ``board``) is its section and one of the step's columns (kept as the row's tag).
        """
        step = self._open_step(who, step_id)
        wv = step.werkvorm
        wv.section(section)
        if column and column not in {c.key for c in canvas_models.columns_of(wv, step.config)}:
            raise UserError("error.column")
        rows = []
        for key, value in values.items():
            spec = wv.field(key)
            if spec.kind == "score":
                if value is not None and (type(value) is not int or not 1 <= value <= 5):
                    raise UserError("error.score")
                rows.append({"field": key, "kind": "score", "score": value, "text": ""})
            elif spec.kind == "text":
                text = clean(value, limit=spec.max_length, label=spec.label, required=False, multiline=True)
                rows.append({"field": key, "kind": "text", "score": None, "text": text})
            else:
                raise ValueError(f"field {key} is not an answer field")
        stamp = now()

        def write(conn) -> None:
            for row in rows:
                conn.execute(insert(D.contributions).values(
                    workshop_id=who.workshop_id, step_id=step_id, participant_id=who.id,
                    section=section, tags=[column] if column else [], idem_key=f"{idem_key}:{row['field']}",
                    created_at=stamp, **row))
            self._touch(conn, who.workshop_id)
        # A repeat of this submission (any of its fields) was stored already: nothing to do.
        keys = tuple(f"{idem_key}:{row['field']}" for row in rows)
        self._insert_once(D.contributions, who.workshop_id, keys, write, found=lambda _: None)

    def delete_own(self, who: Participant, contribution_id: int) -> None:
        with self.db.writing() as conn:
            res = conn.execute(update(D.contributions).where(
                D.contributions.c.id == contribution_id, D.contributions.c.participant_id == who.id,
            ).values(deleted=True))
            if res.rowcount != 1:
                raise NotAllowed("error.not_yours")
            self._touch(conn, who.workshop_id)

    def moderate(self, fac: Facilitator, contribution_id: int, **values) -> None:
        """Facilitator edits a note: hide, edit text, move section, cluster, merge, tags."""
        self._check(fac)
        allowed = {"hidden", "text", "section", "cluster_id", "merged_into", "tags"}
        if not values.keys() <= allowed:
            raise ValueError(f"cannot set {values.keys() - allowed}")
        if "text" in values:
            values["text"] = clean(values["text"], limit=Limits.TEXT, label=t("field.text"), multiline=True)
        with self.db.writing() as conn:
            res = conn.execute(update(D.contributions).where(
                D.contributions.c.id == contribution_id,
                D.contributions.c.workshop_id == fac.workshop_id).values(**values))
            if res.rowcount != 1:
                raise NotAllowed("error.not_facilitator")
            self._touch(conn, fac.workshop_id)

    def contributions(self, step_id: int, *, include_hidden: bool = False, kinds: Iterable[str] = (),
                      participant_id: int | None = None) -> list[dict]:
        """Live notes of a step, oldest first, with author name and organisation type.

        ``participant_id`` limits them to one participant's own (the phone's list)."""
        kinds = list(kinds)
        query = _contributions_query(include_hidden, bool(kinds), participant_id is not None)
        params: dict[str, Any] = {"step_id": step_id}
        if kinds:
            params["kinds"] = kinds
        if participant_id is not None:
            params["participant_id"] = participant_id
        with self.db.reading() as conn:
            result = conn.execute(query, params)
            keys = list(result.keys())  # once, not per row: the screen reads thousands of rows a second
            return [dict(zip(keys, r)) for r in result]

    def note_count(self, step_id: int) -> int:
        with self.db.reading() as conn:
            return conn.execute(_Q_NOTE_COUNT, {"step_id": step_id}).scalar_one()

    def latest_answers(self, step_id: int, participant_id: int | None = None) -> list[dict]:
        """Newest score/text answer per participant, section, field (and column of a board)."""
        rows = [r for r in self.contributions(step_id, include_hidden=True, kinds=("score", "text"))
                if participant_id is None or r["participant_id"] == participant_id]
        latest: dict[tuple, dict] = {}
        for row in rows:  # ordered by id, so later rows win
            latest[(row["participant_id"], row["section"], row["field"], *(row["tags"] or ()))] = row
        return list(latest.values())

    def respondent_count(self, step_id: int) -> int:
        with self.db.reading() as conn:
            return conn.execute(select(func.count(func.distinct(D.contributions.c.participant_id))).where(
                D.contributions.c.step_id == step_id, D.contributions.c.deleted.is_(False))).scalar_one()

    def answers_version(self, step_id: int) -> tuple[int, int, int]:
        """A cheap fingerprint of a step's answers: (rows, newest id, sum of hidden ids).

        It changes with every new answer, deletion, hide or unhide, so views can
        cache what they compute from :meth:`latest_answers` under it.
        """
        c = D.contributions
        hidden = func.sum(case((c.c.hidden.is_(True), c.c.id), else_=0))
        with self.db.reading() as conn:
            row = conn.execute(select(func.count(), func.max(c.c.id), hidden).where(
                c.c.step_id == step_id, c.c.deleted.is_(False))).one()
        return int(row[0] or 0), int(row[1] or 0), int(row[2] or 0)

    def merge_notes(self, fac: Facilitator, keep_id: int, other_ids: Iterable[int]) -> int:
        """Merge notes into ``keep_id``; returns how many were merged.

        The others stay stored but hidden, with ``merged_into`` set (undo with
        ``moderate(merged_into=None, hidden=False)``). Their function tags join
        the kept note's, and their dots move to the kept note, so nobody loses
        a dot. Notes that were merged into one of them follow along.
        """
        self._check(fac)
        others = [int(o) for o in dict.fromkeys(other_ids) if int(o) != int(keep_id)]
        if not others:
            return 0
        c = D.contributions
        with self.db.writing() as conn:
            keep = conn.execute(select(c.c.id, c.c.step_id, c.c.tags).where(
                c.c.id == keep_id, c.c.workshop_id == fac.workshop_id, c.c.deleted.is_(False),
                c.c.merged_into.is_(None))).first()
            if keep is None:
                raise NotAllowed("error.not_facilitator")
            rows = conn.execute(select(c.c.id, c.c.tags).where(
                c.c.id.in_(others), c.c.step_id == keep.step_id, c.c.workshop_id == fac.workshop_id,
                c.c.deleted.is_(False))).all()
            if len(rows) != len(others):
                raise UserError("notetool.merge_invalid")
            ids = [r.id for r in rows]
            have = set(keep.tags or []).union(*[set(r.tags or []) for r in rows])
            tags = [f for f in canvas_models.tag_order() if f in have]
            conn.execute(update(c).where(c.c.id.in_(ids)).values(merged_into=keep.id, hidden=True))
            conn.execute(update(c).where(c.c.merged_into.in_(ids)).values(merged_into=keep.id))
            conn.execute(update(c).where(c.c.id == keep.id).values(tags=tags))
            conn.execute(update(D.votes).where(
                D.votes.c.step_id == keep.step_id, D.votes.c.target_type == "note",
                D.votes.c.target_id.in_(ids)).values(target_id=keep.id))
            self._touch(conn, fac.workshop_id)
        return len(ids)
