"""Actions: the follow-up list (proposed by participants, agreed by the facilitator), actions made
from notes, and the agreements of earlier workshops of the same partnership."""

from __future__ import annotations

import textwrap
from datetime import date, datetime
from typing import Iterable

from sqlalchemy import and_, func, insert, or_, select, update

from messages import t
from workshop import db as D
from workshop.errors import NotAllowed, UserError
from workshop.store.core import ACTION_STATUSES, Facilitator, Participant, PartnershipAccess, Service, new_key, now
from workshop.text import Limits, clean

#: What a facilitator may change in an action of another workshop of the same partnership.
REVIEW_FIELDS = frozenset({"status", "review_note"})


class ActionService(Service):
    """The workshop's actions, and the review of earlier ones."""

    def _action_values(self, values: dict) -> dict:
        out = {}
        if "what" in values:
            out["what"] = clean(values["what"], limit=Limits.ACTION_WHAT, label=t("field.what"))
        for key, label in (("owner", t("field.owner")), ("partner", t("field.partner")), ("link", t("field.link"))):
            if key in values:
                out[key] = clean(values[key], limit=Limits.ACTION_WHO, label=label, required=False)
        if "review_note" in values:
            out["review_note"] = clean(values["review_note"], limit=Limits.REVIEW_NOTE, label=t("field.review_note"),
                                       required=False)
        if "due" in values:
            due = values["due"]
            if isinstance(due, str) and due:
                try:
                    due = date.fromisoformat(due)
                except ValueError:
                    raise UserError("error.bad_date") from None
            if isinstance(due, datetime):
                due = due.date()
            out["due"] = due or None
        if "status" in values:
            if values["status"] not in ACTION_STATUSES:
                raise UserError("error.bad_status")
            out["status"] = values["status"]
        for key in ("confirmed", "deleted"):
            if key in values:
                out[key] = bool(values[key])
        if "merged_into" in values:
            out["merged_into"] = values["merged_into"]
        return out

    def propose_action(self, who: Participant, *, idem_key: str, source: str = "", **values) -> int:
        ws = self.workshop(who.workshop_id)
        data = self._action_values({"status": "open", **values})
        if "what" not in data:
            raise UserError("error.empty", label=t("field.what"))
        stamp = now()
        row = {**data, "workshop_id": ws.id, "proposed_by": who.id,
               "confirmed": False, "source": source, "idem_key": idem_key, "created_at": stamp,
               "updated_at": stamp}

        def write(conn) -> int:
            # Count and insert in one serialised transaction, so two devices cannot pass the limit.
            self._lock_row(conn, D.participants, who.id)
            again = self._find_key(conn, D.actions, ws.id, idem_key)
            if again is not None:
                return again[0]
            mine = conn.execute(select(func.count()).select_from(D.actions).where(
                D.actions.c.proposed_by == who.id)).scalar_one()
            if mine >= Limits.ACTIONS_PER_PARTICIPANT:
                raise UserError("error.too_many_actions", limit=Limits.ACTIONS_PER_PARTICIPANT)
            action_id = conn.execute(insert(D.actions).values(**row).returning(D.actions.c.id)).scalar_one()
            self._touch(conn, ws.id)
            return action_id
        return self._insert_once(D.actions, ws.id, idem_key, write)

    def add_action(self, fac: Facilitator, *, idem_key: str | None = None, source: str = "", **values) -> int:
        self._check(fac)
        ws = self.workshop(fac.workshop_id)
        data = self._action_values({"status": "open", **values})
        if "what" not in data:
            raise UserError("error.empty", label=t("field.what"))
        stamp = now()
        row = {"confirmed": True, **data, "workshop_id": ws.id, "source": source,
               "idem_key": idem_key or new_key(), "created_at": stamp, "updated_at": stamp}

        def write(conn) -> int:
            action_id = conn.execute(insert(D.actions).values(**row).returning(D.actions.c.id)).scalar_one()
            self._touch(conn, ws.id)
            return action_id
        return self._insert_once(D.actions, ws.id, row["idem_key"], write)

    def update_action(self, cap: Facilitator | PartnershipAccess, action_id: int, **values) -> None:
        """Edit an action of this workshop; or only its status and review note when it belongs to
        another workshop of the same partnership (a facilitator of a workshop in that partnership,
        or the partnership's own link). The partnership is the stored one, never a name."""
        data = self._action_values(values)
        a, w = D.actions, D.workshops
        if isinstance(cap, PartnershipAccess):
            self._check_partner(cap)
            if data.keys() - REVIEW_FIELDS:
                raise NotAllowed("error.not_facilitator")
            mine = a.c.workshop_id.in_(select(w.c.id).where(w.c.partnership_id == cap.partnership_id))
        else:
            self._check(cap)
            mine = a.c.workshop_id == cap.workshop_id
            partnership_id = self.workshop(cap.workshop_id).partnership_id
            if partnership_id is not None and not data.keys() - REVIEW_FIELDS:
                mine = or_(mine, a.c.workshop_id.in_(select(w.c.id).where(w.c.partnership_id == partnership_id)))
        where = [a.c.id == action_id, mine]
        with self.db.writing() as conn:
            res = conn.execute(update(D.actions).where(*where).values(**data, updated_at=now()))
            if res.rowcount != 1:
                raise NotAllowed("error.not_facilitator")
            # The action's own workshop: a status set from a later workshop of the partnership shows there.
            self._touch(conn, conn.execute(select(D.actions.c.workshop_id).where(
                D.actions.c.id == action_id)).scalar_one())

    def merge_actions(self, fac: Facilitator, keep_id: int, other_ids: Iterable[int]) -> None:
        for other in other_ids:
            if other != keep_id:
                self.update_action(fac, other, merged_into=keep_id, deleted=True)

    def actions(self, workshop_id: int, *, include_deleted: bool = False) -> list[dict]:
        query = select(D.actions).where(D.actions.c.workshop_id == workshop_id).order_by(D.actions.c.id)
        if not include_deleted:
            query = query.where(D.actions.c.deleted.is_(False))
        with self.db.reading() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def earlier_open_actions(self, workshop_id: int, *, include_closed_since: bool = False) -> list[dict]:
        """Open or running actions of earlier workshops of the same (stored) partnership.

        With ``include_closed_since`` also the ones set to "klaar" after this
        workshop was created, so that a review keeps showing what got done.
        """
        ws = self.workshop(workshop_id)
        if ws.partnership_id is None:  # a workshop on its own has no earlier workshops
            return []
        w, a = D.workshops, D.actions
        still_open = a.c.status != "klaar"
        if include_closed_since:
            still_open = or_(still_open, a.c.updated_at >= ws.created_at)
        query = (
            select(a, w.c.title.label("workshop_title"), w.c.date.label("workshop_date"))
            .select_from(a.join(w, w.c.id == a.c.workshop_id))
            .where(w.c.partnership_id == ws.partnership_id, a.c.workshop_id != ws.id,
                   a.c.deleted.is_(False), a.c.confirmed.is_(True), still_open,
                   and_(w.c.created_at < ws.created_at))
            .order_by(w.c.created_at, a.c.id)
        )
        with self.db.reading() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def previous_workshop(self, workshop_id: int) -> int | None:
        """The id of the workshop of the same (stored) partnership that came just before this one
        (earlier date, or the same date and made earlier); None outside a partnership or for the first.
        The reports of a workshop compare with it ("what changed since last time")."""
        ws = self.workshop(workshop_id)
        if ws.partnership_id is None:
            return None
        w = D.workshops
        query = (select(w.c.id).where(w.c.partnership_id == ws.partnership_id, w.c.id != ws.id,
                                      or_(w.c.date < ws.date, and_(w.c.date == ws.date, w.c.created_at < ws.created_at)))
                 .order_by(w.c.date.desc(), w.c.created_at.desc(), w.c.id.desc()).limit(1))
        with self.db.reading() as conn:
            return conn.execute(query).scalar()

    #: ``idem_key`` of an action made from a note: one action per note.
    NOTE_ACTION_KEY = "note:{}"

    def note_to_action(self, fac: Facilitator, note_id: int, *, source: str, link: str = "") -> int:
        """Turn a note (a GROW recommendation) into an action of the follow-up list.

        Idempotent per note: a double click, or a click on a second device,
        gives one action. If that action was deleted since, it comes back.
        """
        self._check(fac)
        c = D.contributions
        with self.db.reading() as conn:
            row = conn.execute(select(c.c.text).where(
                c.c.id == note_id, c.c.workshop_id == fac.workshop_id, c.c.deleted.is_(False))).first()
        if row is None:
            raise NotAllowed("error.not_facilitator")
        text = " ".join(row.text.split())
        what = textwrap.shorten(text, width=Limits.ACTION_WHAT, placeholder="…")
        if what == "…":  # one very long word
            what = text[:Limits.ACTION_WHAT - 1] + "…"
        link = " ".join((link or "").split())[:Limits.ACTION_WHO]
        aid = self.add_action(fac, idem_key=self.NOTE_ACTION_KEY.format(int(note_id)), source=source,
                              what=what, link=link)
        with self.db.writing() as conn:
            conn.execute(update(D.actions).where(D.actions.c.id == aid, D.actions.c.deleted.is_(True))
                         .values(deleted=False, updated_at=now()))
            self._touch(conn, fac.workshop_id)
        return aid

    def note_actions(self, workshop_id: int) -> dict[int, int]:
        """Note id -> id of the (not deleted) action made from it with :meth:`note_to_action`."""
        prefix = self.NOTE_ACTION_KEY.format("")
        with self.db.reading() as conn:
            rows = conn.execute(select(D.actions.c.id, D.actions.c.idem_key).where(
                D.actions.c.workshop_id == workshop_id, D.actions.c.deleted.is_(False),
                D.actions.c.idem_key.like(prefix + "%"))).all()
        out = {}
        for aid, key in rows:
            tail = key[len(prefix):]
            if tail.isdigit():
                out[int(tail)] = aid
        return out
