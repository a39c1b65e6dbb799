"""Partnerships: workshops that belong together over time, reached through their own private link."""

from __future__ import annotations

import hmac
import secrets
from typing import Iterable

from sqlalchemy import insert, select

from messages import t
from workshop import db as D
from workshop.errors import NotAllowed, UserError
from workshop.store.core import (
    _PROOF, Facilitator, Partnership, PartnershipAccess, Service, Workshop, _hash, now,
)
from workshop.text import Limits, clean


class PartnershipService(Service):
    """Partnerships, their link, and the workshops and agreements in them."""

    def create_partnership(self, name: str, *, admin_password: str | None = None,
                           client: Iterable[str] = ()) -> tuple[Partnership, str]:
        """Create a partnership; returns it with its secret (the private link, shown once).
        ``admin_password`` is what a person typed (see ``Store.check_admin``)."""
        self.check_admin(admin_password, client=client)
        name = clean(name, limit=Limits.PARTNERSHIP, label=t("field.partnership"))
        secret = secrets.token_urlsafe(24)  # 192 bits
        with self.db.writing() as conn:
            pid = conn.execute(insert(D.partnerships).values(
                name=name, secret_hash=_hash(secret), created_at=now()).returning(D.partnerships.c.id)).scalar_one()
        return self.partnership(pid), secret

    def partnership(self, partnership_id: int) -> Partnership:
        return self._record(Partnership, D.partnerships, partnership_id, NotAllowed, "error.not_partnership")

    def open_partnership(self, partnership_id: int | str | None, secret: str | None) -> PartnershipAccess:
        """Check a partnership link (id and secret) in constant time."""
        try:
            pid = int(str(partnership_id or "").strip())
        except ValueError:
            pid = 0
        expected = None
        if 0 < pid < 2**62:
            with self.db.reading() as conn:
                expected = conn.execute(select(D.partnerships.c.secret_hash).where(
                    D.partnerships.c.id == pid)).scalar()
        ok = hmac.compare_digest(expected or _hash("-"), _hash(secret or ""))
        if expected is None or not ok or not secret:
            raise NotAllowed("error.not_partnership")
        return PartnershipAccess(pid, _PROOF)

    def authorize_in_partnership(self, access: PartnershipAccess, code: str | None) -> Facilitator:
        """The partnership's link also steers each of its workshops (without their own secret)."""
        self._check_partner(access)
        ws = self.workshop_by_code(code)
        if ws is None or ws.partnership_id != access.partnership_id:
            raise NotAllowed("error.not_facilitator")
        return Facilitator(ws.id, _PROOF)

    def attach_workshop(self, fac: Facilitator, access: PartnershipAccess) -> Workshop:
        """Put a workshop in a partnership on purpose: needs proof of BOTH links.

        A workshop belongs to at most one partnership; one that is already in another is refused.
        """
        self._check(fac)
        self._check_partner(access)
        name = self.partnership(access.partnership_id).name
        w = D.workshops
        with self.db.writing() as conn:
            self._lock_row(conn, w, fac.workshop_id)
            current = conn.execute(select(w.c.partnership_id).where(w.c.id == fac.workshop_id)).scalar()
            if current is not None and current != access.partnership_id:
                raise UserError("partnership.x_other")
            self._bump(conn, fac.workshop_id, partnership_id=access.partnership_id, partnership=name)
        return self.workshop(fac.workshop_id)

    def partnership_workshops(self, access: PartnershipAccess) -> list[dict]:
        """The partnership's workshops in date order: id, code, title, date, created_at.

        The reports over time read each one with ``exports.snapshot.snapshot(store, id)``.
        """
        self._check_partner(access)
        w = D.workshops
        with self.db.reading() as conn:
            rows = conn.execute(select(w.c.id, w.c.code, w.c.title, w.c.date, w.c.created_at)
                                .where(w.c.partnership_id == access.partnership_id)
                                .order_by(w.c.date, w.c.created_at, w.c.id)).all()
        return [dict(r._mapping) for r in rows]

    def partnership_actions(self, access: PartnershipAccess) -> list[dict]:
        """The agreements (confirmed, not deleted actions) of all the partnership's workshops,
        with their workshop's title and date, in workshop order."""
        self._check_partner(access)
        w, a = D.workshops, D.actions
        query = (
            select(a, w.c.title.label("workshop_title"), w.c.date.label("workshop_date"))
            .select_from(a.join(w, w.c.id == a.c.workshop_id))
            .where(w.c.partnership_id == access.partnership_id, a.c.deleted.is_(False), a.c.confirmed.is_(True))
            .order_by(w.c.date, w.c.created_at, a.c.id)
        )
        with self.db.reading() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]
