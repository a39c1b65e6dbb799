"""Creating workshops, the admin password, and the facilitator's secret link."""

from __future__ import annotations

import hmac
import logging
import secrets
from datetime import date
from typing import Iterable

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

import canvas_models
from canvas_models import spec as spec_of
from messages import t
from workshop import db as D
from workshop import settings
from workshop.errors import NotAllowed, UserError
from workshop.store.core import (
    _P, _PROOF, CODE_ALPHABET, CODE_LENGTH, Facilitator, PartnershipAccess, Service, Workshop, _hash, _row,
    normalise_code, now,
)
from workshop.text import Limits, clean
from workshop.throttle import ADMIN_PASSWORD

_LOG = logging.getLogger("workshop.store")
_Q_WORKSHOP = select(D.workshops).where(D.workshops.c.code == _P("code"))


#: A practice workshop (the editor's preview) lives at most this long.
PRACTICE_HOURS = 12


class AdminService(Service):
    """Workshops: create (behind the admin password), read, authorize, change their settings."""

    def create_workshop(
        self,
        *,
        title: str,
        partnership: str,
        day: date,
        facilitator: str,
        werkvormen: Iterable[str | canvas_models.Werkvorm],
        minutes: Iterable[int | None] | None = None,
        anonymous: bool = False,
        max_participants: int | None = None,
        admin_password: str | None = None,
        client: Iterable[str] = (),
        member_of: PartnershipAccess | None = None,
        practice: bool = False,
    ) -> tuple[Workshop, str]:
        """Create a workshop; returns it with the facilitator secret (shown once).

        ``werkvormen`` is the programme in order: shipped werkvormen by key, or whole werkvormen (an
        own one from the editor or the template library); ``minutes`` the timebox of each (None: the
        werkvorm's default). Every step stores its own copy of its werkvorm, so a later edit of a
        template never changes this workshop. A ``practice`` workshop (the editor's preview) is deleted
        after :data:`PRACTICE_HOURS` at the latest: making one removes the older ones.

        With ``member_of`` (proof of the partnership's link) the workshop belongs to that
        partnership and carries its name; without it, it belongs to none, whatever name is typed.
        ``admin_password`` is what a person typed (see :meth:`check_admin`).
        """
        fields = self.check_new_workshop(
            title=title, partnership=partnership, facilitator=facilitator, werkvormen=werkvormen,
            admin_password=admin_password, member_of=member_of, client=client)
        title, partnership, facilitator, keys = (
            fields["title"], fields["partnership"], fields["facilitator"], fields["werkvormen"])
        times = list(minutes) if minutes is not None else [None] * len(keys)
        if len(times) != len(keys):
            raise ValueError("one timebox per werkvorm")
        for timebox in times:
            if timebox is not None and not 1 <= int(timebox) <= spec_of.MAX_MINUTES:
                raise UserError("spec.step_minutes", high=spec_of.MAX_MINUTES)
        partnership_id = member_of.partnership_id if member_of is not None else None
        cap = min(max_participants or Limits.MAX_PARTICIPANTS, Limits.MAX_PARTICIPANTS)
        secret = secrets.token_urlsafe(24)
        created = now()
        for _attempt in range(20):
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            try:
                with self.db.writing() as conn:
                    wid = conn.execute(
                        insert(D.workshops).values(
                            code=code, secret_hash=_hash(secret), title=title, partnership=partnership,
                            partnership_id=partnership_id, date=day, facilitator=facilitator,
                            anonymous=anonymous, max_participants=cap, current_step=0, state_version=0,
                            show_join=True, participant_pdf=False, practice=practice, created_at=created,
                        ).returning(D.workshops.c.id)
                    ).scalar_one()
                    for pos, (werkvorm, timebox) in enumerate(zip(keys, times)):
                        conn.execute(insert(D.steps).values(
                            workshop_id=wid, position=pos, werkvorm=werkvorm.key, spec=spec_of.spec_text(spec_of.dump(werkvorm)),
                            config={}, timer_seconds=(timebox or werkvorm.default_minutes) * 60,
                        ))
                break
            except IntegrityError:
                continue
        else:  # pragma: no cover - 25^6 codes
            raise UserError("error.generic")
        if practice:
            self.purge_practice(PRACTICE_HOURS)
        return self.workshop(wid), secret

    @staticmethod
    def needs_admin_password() -> bool:
        """Whether creating and restoring ask for the admin password (the setting is set)."""
        return bool(settings.get().admin_password)

    @staticmethod
    def check_admin(given: str | None, *, client: Iterable[str] = ()) -> None:
        """The admin password check of every path that needs it (creating a workshop or a
        partnership, restoring a backup), against the ``SAMENSPRAAK_ADMIN_PASSWORD`` setting.

        ``given`` is what a person typed ("" for nothing). ``None`` is no person: the command line,
        demo data and tests, which run on the host itself, are not asked. Every page passes a string.
        Nothing to check when no password is set. Wrong guesses are counted per
        ``client`` key (browser session, address) as for join codes: after a few,
        the client must wait before it may try again, even with the right
        password; every refusal is logged (never the password itself).
        """
        required = settings.get().admin_password
        if given is None or not required:
            return
        keys = tuple(k for k in client if k)
        wait = ADMIN_PASSWORD.wait_left(*keys)
        if wait:
            _LOG.warning("admin password attempt refused while slowed down (%ss left) from %s", wait, keys)
            raise UserError("error.admin_slow_down", seconds=wait)
        if not given or not hmac.compare_digest(_hash(given), _hash(required)):
            ADMIN_PASSWORD.miss(*keys)
            _LOG.warning("wrong admin password from %s", keys)
            raise NotAllowed("error.admin_password")

    def check_new_workshop(self, *, title: str, partnership: str, facilitator: str, werkvormen: Iterable[str],
                           admin_password: str | None = None, member_of: PartnershipAccess | None = None, client: Iterable[str] = ()) -> dict:
        """Validate the fields of a new workshop without writing; returns them cleaned.

        Raises the same Dutch errors as :meth:`create_workshop` (which calls it), so a page
        can check a workshop before it creates a partnership for it.
        """
        self.check_admin(admin_password, client=client)
        title = clean(title, limit=Limits.TITLE, label=t("field.title"))
        if member_of is not None:
            self._check_partner(member_of)
            partnership = self.partnership(member_of.partnership_id).name
        else:
            partnership = clean(partnership, limit=Limits.PARTNERSHIP, label=t("field.partnership"))
        facilitator = clean(facilitator, limit=Limits.FACILITATOR, label=t("field.facilitator"), required=False)
        keys = [item if isinstance(item, canvas_models.Werkvorm) else canvas_models.get(item) for item in werkvormen]
        if not keys:
            raise UserError("error.no_werkvormen")
        if len(keys) > spec_of.PROGRAMME_STEPS:
            raise UserError("spec.too_many_steps", limit=spec_of.PROGRAMME_STEPS)
        return {"title": title, "partnership": partnership, "facilitator": facilitator, "werkvormen": keys}

    def workshop(self, workshop_id: int) -> Workshop:
        return self._record(Workshop, D.workshops, workshop_id, UserError, "error.unknown_room")

    def workshop_by_code(self, code: str | None) -> Workshop | None:
        code = normalise_code(code)
        if len(code) != CODE_LENGTH:
            return None
        with self.db.reading() as conn:
            row = conn.execute(_Q_WORKSHOP, {"code": code}).first()
        return _row(Workshop, row) if row else None

    def authorize(self, code: str | None, secret: str | None) -> Facilitator:
        """Check the facilitator secret in constant time."""
        ws = self.workshop_by_code(code)
        expected = self._secret_hash(ws.id) if ws else _hash("-")
        given = _hash(secret or "")
        ok = hmac.compare_digest(expected, given)
        if not ws or not ok or not secret:
            raise NotAllowed("error.not_facilitator")
        return Facilitator(ws.id, _PROOF)

    def _secret_hash(self, workshop_id: int) -> str:
        with self.db.reading() as conn:
            return conn.execute(
                select(D.workshops.c.secret_hash).where(D.workshops.c.id == workshop_id)
            ).scalar_one()

    def update_workshop(self, fac: Facilitator, **values) -> None:
        self._check(fac)
        allowed = {"show_join", "participant_pdf", "anonymous"}
        if not values.keys() <= allowed:
            raise ValueError(f"cannot set {values.keys() - allowed}")
        with self.db.writing() as conn:
            self._bump(conn, fac.workshop_id, **values)

    def db_ok(self) -> None:
        """Raise :class:`StoreUnavailable` unless the database answers."""
        with self.db.reading() as conn:
            conn.execute(select(1)).scalar()

