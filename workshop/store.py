"""The workshop store: every read and write of Samenspraak's data goes here.

Pages never contain SQL. Facilitator actions need a :class:`Facilitator`
capability, which only :meth:`Store.authorize` hands out after checking the
workshop secret in constant time. Participant actions need a
:class:`Participant` looked up by its private token. Imports no streamlit.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import textwrap
import threading
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any, Iterable

from sqlalchemy import and_, bindparam, case, delete, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError, OperationalError, DBAPIError

import canvas_models
from messages import ORG_TYPES, t
from workshop import db as D
from workshop import timer
from workshop.errors import NotAllowed, StoreUnavailable, UserError
from workshop.text import Limits, ascii_key, clean
from workshop.throttle import ADMIN_PASSWORD

_LOG = logging.getLogger(__name__)


# The hot paths run the same statements hundreds of times a second (a room of 200 submitting,
# a screen redrawing every second). Built once, with bound parameters, SQLAlchemy neither
# rebuilds them nor recomputes their cache key: about half the cost of each (bench/live.py).
_P = bindparam
_Q_STEP = select(D.steps).where(D.steps.c.id == _P("step_id"))
_Q_STEPS = select(D.steps).where(D.steps.c.workshop_id == _P("workshop_id")).order_by(D.steps.c.position)
_Q_STATE = select(D.workshops.c.state_version, D.workshops.c.current_step).where(D.workshops.c.id == _P("workshop_id"))
_Q_WORKSHOP = select(D.workshops).where(D.workshops.c.code == _P("code"))
_Q_PARTICIPANT = (select(D.participants).join(D.workshops, D.workshops.c.id == D.participants.c.workshop_id)
                  .where(D.workshops.c.code == _P("code"), D.participants.c.token == _P("token")))
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
_CV = D.content_versions
# What the screen reads at every redraw (ui/push.py redraws it with every note).
_V = D.votes
_Q_VOTE_COUNTS = (select(_V.c.target_id, func.count())
                  .where(_V.c.step_id == _P("step_id"), _V.c.target_type == _P("target_type"))
                  .group_by(_V.c.target_id))
_Q_CLUSTERS = (select(D.clusters.c.id, D.clusters.c.name)
               .where(D.clusters.c.step_id == _P("step_id"), D.clusters.c.deleted.is_(False))
               .order_by(D.clusters.c.id))
_Q_NOTE_COUNT = select(func.count()).select_from(_C).where(
    _C.c.step_id == _P("step_id"), _C.c.deleted.is_(False), _C.c.hidden.is_(False))
_Q_READINESS = select(func.count(), func.count().filter(D.participants.c.ready_step == _P("position"))).where(
    D.participants.c.workshop_id == _P("workshop_id"))
_Q_VERSIONS: dict[int, Any] = {}


def _versions_query(count: int):
    """(id, state_version, content version) of ``count`` workshops, parameters w0, w1, ...

    One statement per count, with plain parameters: an expanding IN list is rendered anew at
    every execution, which was two thirds of the watcher's CPU at ten rounds a second."""
    query = _Q_VERSIONS.get(count)
    if query is None:
        query = (select(D.workshops.c.id, D.workshops.c.state_version, func.coalesce(_CV.c.version, 0))
                 .select_from(D.workshops.outerjoin(_CV, _CV.c.workshop_id == D.workshops.c.id))
                 .where(or_(*(D.workshops.c.id == _P(f"w{i}") for i in range(count)))))
        _Q_VERSIONS[count] = query
    return query


def _touch_query(dialect):
    """Raise a workshop's content version by one (the row appears at the first change)."""
    stmt = dialect.insert(_CV).values(workshop_id=_P("workshop_id"), version=1)
    return stmt.on_conflict_do_update(index_elements=[_CV.c.workshop_id], set_={"version": _CV.c.version + 1})


_Q_TOUCH = {"sqlite": _touch_query(sqlite), "postgresql": _touch_query(postgresql)}


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

#: Join codes: no 0/O, 1/I/L, 5/S, 2/Z, 8/B look-alikes.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 6
ACTION_STATUSES = ("open", "bezig", "klaar")


def now() -> datetime:
    return datetime.now(timezone.utc)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def normalise_code(code: str | None) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())[:CODE_LENGTH * 2]


def new_key() -> str:
    """A fresh idempotency key for a form instance."""
    return secrets.token_hex(16)


@dataclass(frozen=True)
class Workshop:
    id: int
    code: str
    title: str
    partnership: str
    partnership_id: int | None
    date: date
    facilitator: str
    anonymous: bool
    max_participants: int
    current_step: int
    state_version: int
    show_join: bool
    participant_pdf: bool
    created_at: datetime


@dataclass(frozen=True)
class Step:
    id: int
    workshop_id: int
    position: int
    werkvorm_key: str
    config: dict
    locked: bool
    revealed: bool
    stage: int
    voting_open: bool
    dots: int
    multi_dot: bool
    votes_live: bool
    vote_target: str
    timer_seconds: int | None
    timer_end: datetime | None
    timer_paused_left: int | None
    timer_auto_lock: bool

    @property
    def werkvorm(self) -> canvas_models.Werkvorm:
        return canvas_models.get(self.werkvorm_key).with_sections(self.config.get("sections"))

    @property
    def hidden_until_reveal(self) -> bool:
        return self.werkvorm.hidden_until_reveal and not self.revealed


@dataclass(frozen=True)
class Participant:
    id: int
    workshop_id: int
    token: str
    name: str
    org_type: str
    ready_step: int | None


@dataclass(frozen=True)
class Facilitator:
    """Proof that the holder presented the workshop's secret."""

    workshop_id: int
    _proof: object = field(repr=False, compare=False, default=None)


@dataclass(frozen=True)
class Partnership:
    id: int
    name: str
    created_at: datetime


@dataclass(frozen=True)
class PartnershipAccess:
    """Proof that the holder presented the partnership's secret (its private link)."""

    partnership_id: int
    _proof: object = field(repr=False, compare=False, default=None)


_PROOF = object()

#: What a facilitator may change in an action of another workshop of the same partnership.
REVIEW_FIELDS = frozenset({"status", "review_note"})


def _row(cls, row) -> Any:
    data = dict(row._mapping)
    if cls is Step:
        data["werkvorm_key"] = data.pop("werkvorm")
        data["config"] = data.get("config") or {}
    names = cls.__dataclass_fields__.keys()
    return cls(**{k: v for k, v in data.items() if k in names})


class Store:
    def __init__(self, database: D.Database):
        self.db = database
        self._state_cache: dict[int, tuple[float, tuple[int, int]]] = {}
        self._cache_lock = threading.Lock()
        self._q_touch = _Q_TOUCH["sqlite" if database.is_sqlite else "postgresql"]

    # ------------------------------------------------------------------ util
    def _guard(self, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (OperationalError, DBAPIError) as exc:
            if isinstance(exc, IntegrityError):
                raise
            raise StoreUnavailable() from exc

    def _insert_once(self, table, values: dict) -> int:
        """Insert a row keyed by ``idem_key``; a repeat returns the first row's id."""
        def run() -> int:
            try:
                with self.db.writing() as conn:
                    row_id = conn.execute(insert(table).values(**values).returning(table.c.id)).scalar_one()
                    self._touch(conn, values["workshop_id"])
                    return row_id
            except IntegrityError:
                with self.db.reading() as conn:
                    found = conn.execute(
                        select(table.c.id).where(
                            table.c.workshop_id == values["workshop_id"], table.c.idem_key == values["idem_key"]
                        )
                    ).scalar()
                if found is None:
                    raise
                return found
        return self._guard(run)

    # ------------------------------------------------------------- workshops
    def create_workshop(
        self,
        *,
        title: str,
        partnership: str,
        day: date,
        facilitator: str,
        werkvormen: Iterable[str],
        anonymous: bool = False,
        max_participants: int | None = None,
        admin_password: str | None = None,
        required_password: str | None = None,
        client: Iterable[str] = (),
        member_of: PartnershipAccess | None = None,
    ) -> tuple[Workshop, str]:
        """Create a workshop; returns it with the facilitator secret (shown once).

        With ``member_of`` (proof of the partnership's link) the workshop belongs to that
        partnership and carries its name; without it, it belongs to none, whatever name is typed.
        """
        fields = self.check_new_workshop(
            title=title, partnership=partnership, facilitator=facilitator, werkvormen=werkvormen,
            admin_password=admin_password, required_password=required_password, member_of=member_of, client=client)
        title, partnership, facilitator, keys = (
            fields["title"], fields["partnership"], fields["facilitator"], fields["werkvormen"])
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
                            show_join=True, participant_pdf=False, created_at=created,
                        ).returning(D.workshops.c.id)
                    ).scalar_one()
                    for pos, key in enumerate(keys):
                        conn.execute(insert(D.steps).values(
                            workshop_id=wid, position=pos, werkvorm=key, config={},
                            timer_seconds=canvas_models.get(key).default_minutes * 60,
                        ))
                break
            except IntegrityError:
                continue
        else:  # pragma: no cover - 25^6 codes
            raise UserError("error.generic")
        return self.workshop(wid), secret

    @staticmethod
    def check_admin(given: str | None, required: str | None, *, client: Iterable[str] = ()) -> None:
        """The admin password check of every path that needs it (creating, restoring).

        Nothing to check when no password is set. Wrong guesses are counted per
        ``client`` key (browser session, address) as for join codes: after a few,
        the client must wait before it may try again, even with the right
        password; every refusal is logged (never the password itself).
        """
        if not required:
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
                           admin_password: str | None = None, required_password: str | None = None,
                           member_of: PartnershipAccess | None = None, client: Iterable[str] = ()) -> dict:
        """Validate the fields of a new workshop without writing; returns them cleaned.

        Raises the same Dutch errors as :meth:`create_workshop` (which calls it), so a page
        can check a workshop before it creates a partnership for it.
        """
        self.check_admin(admin_password, required_password, client=client)
        title = clean(title, limit=Limits.TITLE, label=t("field.title"))
        if member_of is not None:
            self._check_partner(member_of)
            partnership = self.partnership(member_of.partnership_id).name
        else:
            partnership = clean(partnership, limit=Limits.PARTNERSHIP, label=t("field.partnership"))
        facilitator = clean(facilitator, limit=Limits.FACILITATOR, label=t("field.facilitator"), required=False)
        keys = list(werkvormen)
        if not keys:
            raise UserError("error.no_werkvormen")
        for key in keys:
            canvas_models.get(key)
        return {"title": title, "partnership": partnership, "facilitator": facilitator, "werkvormen": keys}

    # ---------------------------------------------------------- partnerships
    def create_partnership(self, name: str, *, admin_password: str | None = None,
                           required_password: str | None = None, client: Iterable[str] = ()) -> tuple[Partnership, str]:
        """Create a partnership; returns it with its secret (the private link, shown once)."""
        self.check_admin(admin_password, required_password, client=client)
        name = clean(name, limit=Limits.PARTNERSHIP, label=t("field.partnership"))
        secret = secrets.token_urlsafe(24)  # 192 bits
        with self.db.writing() as conn:
            pid = conn.execute(insert(D.partnerships).values(
                name=name, secret_hash=_hash(secret), created_at=now()).returning(D.partnerships.c.id)).scalar_one()
        return self.partnership(pid), secret

    def partnership(self, partnership_id: int) -> Partnership:
        with self.db.reading() as conn:
            row = conn.execute(select(D.partnerships).where(D.partnerships.c.id == partnership_id)).first()
        if row is None:
            raise NotAllowed("error.not_partnership")
        return _row(Partnership, row)

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

    @staticmethod
    def _check_partner(access: PartnershipAccess) -> None:
        if not isinstance(access, PartnershipAccess) or access._proof is not _PROOF:
            raise NotAllowed("error.not_partnership")

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

    def workshop(self, workshop_id: int) -> Workshop:
        with self.db.reading() as conn:
            row = conn.execute(select(D.workshops).where(D.workshops.c.id == workshop_id)).first()
        if row is None:
            raise UserError("error.unknown_room")
        return _row(Workshop, row)

    def workshop_by_code(self, code: str | None) -> Workshop | None:
        code = normalise_code(code)
        if len(code) != CODE_LENGTH:
            return None
        def run():
            with self.db.reading() as conn:
                return conn.execute(_Q_WORKSHOP, {"code": code}).first()
        row = self._guard(run)
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

    @staticmethod
    def _check(fac: Facilitator, workshop_id: int | None = None) -> None:
        if not isinstance(fac, Facilitator) or fac._proof is not _PROOF:
            raise NotAllowed("error.not_facilitator")
        if workshop_id is not None and fac.workshop_id != workshop_id:
            raise NotAllowed("error.not_facilitator")

    def _lock_row(self, conn, table, row_id: int) -> None:
        """Serialise a read-then-write transaction on one row (PostgreSQL).

        SQLite needs nothing here: every writing transaction is BEGIN IMMEDIATE.
        FOR NO KEY UPDATE still lets other transactions insert rows that refer to this one.
        """
        if not self.db.is_sqlite:
            conn.execute(select(table.c.id).where(table.c.id == row_id).with_for_update(key_share=True))

    def _bump(self, conn, workshop_id: int, **values) -> None:
        conn.execute(
            update(D.workshops).where(D.workshops.c.id == workshop_id)
            .values(state_version=D.workshops.c.state_version + 1, **values)
        )
        with self._cache_lock:
            self._state_cache.pop(workshop_id, None)

    def _touch(self, conn, workshop_id: int) -> None:
        """What the screen shows of this workshop changed (a note, a dot, a tap, a moderation):
        raise its content version in the same transaction, so ui/push.py redraws the screen.
        On SQLite it costs one statement inside the already serialised transaction; on
        PostgreSQL it is the transaction's last statement, so the workshop's row lock is held
        only for the commit."""
        conn.execute(self._q_touch, {"workshop_id": workshop_id})

    def update_workshop(self, fac: Facilitator, **values) -> None:
        self._check(fac)
        allowed = {"show_join", "participant_pdf", "anonymous"}
        if not values.keys() <= allowed:
            raise ValueError(f"cannot set {values.keys() - allowed}")
        with self.db.writing() as conn:
            self._bump(conn, fac.workshop_id, **values)

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

    def db_ok(self) -> None:
        """Raise :class:`StoreUnavailable` unless the database answers."""
        def run():
            with self.db.reading() as conn:
                conn.execute(select(1)).scalar()
        self._guard(run)

    # ----------------------------------------------------------------- steps
    def steps(self, workshop_id: int) -> list[Step]:
        def run():
            with self.db.reading() as conn:
                return conn.execute(_Q_STEPS, {"workshop_id": workshop_id}).all()
        return [_row(Step, r) for r in self._guard(run)]

    def step(self, step_id: int) -> Step:
        with self.db.reading() as conn:
            return self._read_step(conn, step_id)

    @staticmethod
    def _read_step(conn, step_id: int) -> Step:
        row = conn.execute(_Q_STEP, {"step_id": step_id}).first()
        if row is None:
            raise UserError("error.generic")
        return _row(Step, row)

    def current_step(self, ws: Workshop) -> Step:
        steps = self.steps(ws.id)
        return steps[min(ws.current_step, len(steps) - 1)]

    def state(self, workshop_id: int, max_age: float = 0.0) -> tuple[int, int]:
        """(state_version, current_step): the cheap poll.

        ``max_age`` lets many polling phones share one query per process.
        """
        if max_age:
            with self._cache_lock:
                hit = self._state_cache.get(workshop_id)
            if hit and time.monotonic() - hit[0] < max_age:
                return hit[1]
        def run():
            with self.db.reading() as conn:
                return conn.execute(_Q_STATE, {"workshop_id": workshop_id}).first()
        row = self._guard(run)
        if row is None:
            raise UserError("error.unknown_room")
        value = (row[0], row[1])
        with self._cache_lock:
            self._state_cache[workshop_id] = (time.monotonic(), value)
        return value

    def versions(self, workshop_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
        """(state_version, content version) of several workshops in one query (ui/push.py's
        watcher). The first moves with what the facilitator steers (every phone redraws), the
        second with every note, dot, tap and moderation (the screens redraw)."""
        ids = sorted(set(workshop_ids))
        if not ids:
            return {}
        def run():
            rows = []
            with self.db.reading() as conn:
                for at in range(0, len(ids), 50):
                    chunk = ids[at:at + 50]
                    rows += conn.execute(_versions_query(len(chunk)),
                                         {f"w{i}": wid for i, wid in enumerate(chunk)}).all()
            return rows
        return {row[0]: (row[1], row[2]) for row in self._guard(run)}

    def go_to_step(self, fac: Facilitator, position: int) -> None:
        self._check(fac)
        with self.db.writing() as conn:
            self._lock_row(conn, D.workshops, fac.workshop_id)
            count = conn.execute(
                select(func.count()).select_from(D.steps).where(D.steps.c.workshop_id == fac.workshop_id)
            ).scalar_one()
            if not 0 <= position < count:
                raise UserError("error.no_such_step")
            current = conn.execute(
                select(D.workshops.c.current_step).where(D.workshops.c.id == fac.workshop_id)
            ).scalar_one()
            if current == position:
                return
            conn.execute(insert(D.step_changes).values(
                workshop_id=fac.workshop_id, from_step=current, to_step=position, undone=False, created_at=now()))
            self._bump(conn, fac.workshop_id, current_step=position)

    def undo_step(self, fac: Facilitator) -> bool:
        """Go back to where the last step change came from. False when nothing to undo."""
        self._check(fac)
        with self.db.writing() as conn:
            self._lock_row(conn, D.workshops, fac.workshop_id)
            last = conn.execute(
                select(D.step_changes).where(
                    D.step_changes.c.workshop_id == fac.workshop_id, D.step_changes.c.undone.is_(False)
                ).order_by(D.step_changes.c.id.desc()).limit(1)
            ).first()
            if last is None:
                return False
            conn.execute(update(D.step_changes).where(D.step_changes.c.id == last.id).values(undone=True))
            self._bump(conn, fac.workshop_id, current_step=last.from_step)
        return True

    def can_undo(self, workshop_id: int) -> bool:
        with self.db.reading() as conn:
            return conn.execute(
                select(func.count()).select_from(D.step_changes).where(
                    D.step_changes.c.workshop_id == workshop_id, D.step_changes.c.undone.is_(False))
            ).scalar_one() > 0

    def update_step(self, fac: Facilitator, step_id: int, **values) -> None:
        """Set facilitator-controlled step flags (lock, reveal, stage, voting, timer)."""
        self._check(fac)
        allowed = {"locked", "revealed", "stage", "voting_open", "dots", "multi_dot", "votes_live",
                   "vote_target", "timer_seconds", "timer_end", "timer_paused_left", "timer_auto_lock", "config"}
        if not values.keys() <= allowed:
            raise ValueError(f"cannot set {values.keys() - allowed}")
        with self.db.writing() as conn:
            res = conn.execute(update(D.steps).where(
                D.steps.c.id == step_id, D.steps.c.workshop_id == fac.workshop_id).values(**values))
            if res.rowcount != 1:
                raise NotAllowed("error.not_facilitator")
            self._bump(conn, fac.workshop_id)

    def timer(self, fac: Facilitator, step_id: int, action: str, seconds: int | None = None) -> None:
        """Start, pause, extend (by ``seconds``) or reset (to ``seconds``) a step's timebox."""
        step = self.step(step_id)
        moment = now()
        if action == "start":
            values = timer.start(step, moment)
        elif action == "pause":
            values = timer.pause(step, moment)
        elif action == "extend":
            values = timer.extend(step, moment, int(seconds or 60))
        elif action == "reset":
            values = timer.reset(step, seconds)
        else:
            raise ValueError(action)
        if values:
            self.update_step(fac, step_id, **values)

    def enforce_timer(self, step: Step) -> Step:
        """Lock a step whose timebox ran out when the facilitator asked for that.

        Idempotent and safe to call from every screen tick: the update only
        matches while the step is still open, so the version is bumped once.
        """
        if step.locked or not step.timer_auto_lock or not timer.expired(step, now()):
            return step
        with self.db.writing() as conn:
            res = conn.execute(update(D.steps).where(
                D.steps.c.id == step.id, D.steps.c.locked.is_(False)).values(locked=True))
            if res.rowcount:
                self._bump(conn, step.workshop_id)
        return self.step(step.id)

    def set_sections(self, fac: Facilitator, step_id: int, sections: list[dict]) -> None:
        """Replace the section list (praatplaat aspects) of a step, validated."""
        step = self.step(step_id)
        cleaned = []
        for i, sec in enumerate(sections):
            texts = clean_section({"title": sec.get("title"), "question": sec.get("question", ""),
                                   "prompts": sec.get("prompts") or []})
            key = ascii_key(sec.get("key") or texts["title"]).replace(" ", "_")[:30] or f"aspect_{i}"
            if not key[0].isalpha():
                key = f"a_{key}"[:30]
            cleaned.append({"key": key, **texts})
        if not cleaned:
            raise UserError("error.no_sections")
        if len({c["key"] for c in cleaned}) != len(cleaned):
            raise UserError("error.duplicate_sections")
        canvas_models.get(step.werkvorm_key).with_sections(cleaned)  # validates
        self.update_step(fac, step_id, config={**step.config, "sections": cleaned})

    # ---------------------------------------------------------- participants
    def join(self, code: str, *, name: str, org_type: str, idem_key: str | None = None) -> Participant:
        ws = self.workshop_by_code(code)
        if ws is None:
            raise UserError("error.unknown_room")
        name = clean(name, limit=Limits.NAME, label=t("field.name"), required=not ws.anonymous)
        if org_type not in ORG_TYPES:
            raise UserError("error.org_type")
        token = secrets.token_urlsafe(18)

        def run() -> Participant:
            with self.db.writing() as conn:
                self._lock_row(conn, D.workshops, ws.id)  # the room limit holds under concurrent joins
                if idem_key:
                    again = conn.execute(select(D.participants).where(
                        D.participants.c.workshop_id == ws.id, D.participants.c.idem_key == idem_key)).first()
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
        return self._guard(run)

    def participant(self, code: str | None, token: str | None) -> Participant | None:
        code = normalise_code(code)
        if len(code) != CODE_LENGTH or not token:
            return None
        def run():  # one query: every participant page load does this
            with self.db.reading() as conn:
                return conn.execute(_Q_PARTICIPANT, {"code": code, "token": str(token)[:64]}).first()
        row = self._guard(run)
        return _row(Participant, row) if row else None

    def participants(self, workshop_id: int) -> list[Participant]:
        with self.db.reading() as conn:
            rows = conn.execute(select(D.participants).where(
                D.participants.c.workshop_id == workshop_id).order_by(D.participants.c.id)).all()
        return [_row(Participant, r) for r in rows]

    def participant_count(self, workshop_id: int) -> int:
        def run():
            with self.db.reading() as conn:
                return conn.execute(select(func.count()).select_from(D.participants).where(
                    D.participants.c.workshop_id == workshop_id)).scalar_one()
        return self._guard(run)

    def readiness(self, workshop_id: int, position: int) -> tuple[int, int]:
        """(participants who tapped 'klaar' for this step, all participants)."""
        with self.db.reading() as conn:
            row = conn.execute(_Q_READINESS, {"position": position, "workshop_id": workshop_id}).first()
        return int(row[1] or 0), int(row[0] or 0)

    def set_ready(self, who: Participant, step_position: int | None) -> None:
        with self.db.writing() as conn:
            conn.execute(update(D.participants).where(D.participants.c.id == who.id).values(ready_step=step_position))
            self._touch(conn, who.workshop_id)

    # --------------------------------------------------------- contributions
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
            wv.section(section)
            if wv.sequential and wv.sections[min(step.stage, len(wv.sections) - 1)].key != section:
                raise UserError("error.stage_moved")
            return (spec.kind, clean(text, limit=spec.max_length, label=spec.label, multiline=True),
                    [tag for tag in tags if tag in canvas_models.FUNCTIONS],
                    min(wv.max_notes_per_participant, Limits.NOTES_PER_STEP))

        def run() -> int:
            try:
                with self.db.writing() as conn:
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
            except IntegrityError:  # the same key raced in from a second tap
                with self.db.reading() as conn:
                    return conn.execute(select(D.contributions.c.id).where(
                        D.contributions.c.workshop_id == who.workshop_id,
                        D.contributions.c.idem_key == idem_key)).scalar_one()
        return self._guard(run)

    def answer(self, who: Participant, step_id: int, *, section: str, values: dict[str, Any],
               idem_key: str) -> None:
        """Store answers for a section (kinds ``score`` and ``text``); newest wins.

        ``values`` maps field key to a score (1-5, or None for "weet ik niet")
        or a text. All fields are validated before anything is written.
        """
        step = self._open_step(who, step_id)
        wv = step.werkvorm
        wv.section(section)
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

        def run() -> None:
            try:
                with self.db.writing() as conn:
                    for row in rows:
                        conn.execute(insert(D.contributions).values(
                            workshop_id=who.workshop_id, step_id=step_id, participant_id=who.id,
                            section=section, tags=[], idem_key=f"{idem_key}:{row['field']}",
                            created_at=stamp, **row))
                    self._touch(conn, who.workshop_id)
            except IntegrityError:
                return  # this exact submission was stored already
        self._guard(run)

    # ------------------------------------------------------- choices layout
    def choose(self, who: Participant, step_id: int, *, section: str, option: str, idem_key: str) -> None:
        """One choice in a ``choices`` step whose field is of kind ``choice``: an appended row,
        the newest per participant and section counts (layouts/choices/logic.py)."""
        def run() -> None:
            try:
                with self.db.writing() as conn:
                    step = self._open_step(who, step_id, conn)
                    spec = _choices_field(step, "choice")
                    _choices_option(step, section, option)
                    conn.execute(insert(D.contributions).values(
                        workshop_id=who.workshop_id, step_id=step_id, participant_id=who.id, section=section,
                        field=spec.key, kind="choice", text=option, score=None, tags=[], idem_key=idem_key,
                        created_at=now()))
                    self._touch(conn, who.workshop_id)
            except IntegrityError:
                return  # this exact choice was stored already
        self._guard(run)

    def allocate(self, who: Participant, step_id: int, *, section: str, points: dict[str, int],
                 idem_key: str) -> None:
        """A participant's whole spread of points over the options of one section (kind ``points``).

        One row per option, written together; the budget (:func:`points_budget`) is read in the same
        serialised transaction, and the participant's row is locked on PostgreSQL, so two devices
        cannot interleave two spreads."""
        for value in points.values():
            if type(value) is not int or not 0 <= value <= canvas_models.MAX_POINTS:
                raise UserError("error.choices.points")

        def run() -> None:
            try:
                with self.db.writing() as conn:
                    self._lock_row(conn, D.participants, who.id)
                    step = self._open_step(who, step_id, conn)
                    spec = _choices_field(step, "points")
                    options = [o.key for o in _choices_section(step, section).options]
                    if set(points) - set(options):
                        raise UserError("error.choices.gone")
                    budget, total = points_budget(step), sum(points.values())
                    if total > budget:
                        raise UserError("error.choices.over", total=total, budget=budget, over=total - budget)
                    stamp = now()
                    conn.execute(insert(D.contributions), [dict(
                        workshop_id=who.workshop_id, step_id=step_id, participant_id=who.id, section=section,
                        field=spec.key, kind="points", text=key, score=points.get(key, 0), tags=[],
                        idem_key=f"{idem_key}:{i}", created_at=stamp) for i, key in enumerate(options)])
                    self._touch(conn, who.workshop_id)
            except IntegrityError:
                return  # this exact spread was stored already
        self._guard(run)

    def _edit_config(self, fac: Facilitator, step_id: int, edit) -> dict:
        """Change a step's settings under a lock (read, ``edit(step, config)`` in place, write)."""
        self._check(fac)
        with self.db.writing() as conn:
            self._lock_row(conn, D.steps, step_id)
            step = self._read_step(conn, step_id)
            if step.workshop_id != fac.workshop_id:
                raise NotAllowed("error.not_facilitator")
            config = dict(step.config or {})
            edit(step, config)
            conn.execute(update(D.steps).where(D.steps.c.id == step_id).values(config=config))
            self._bump(conn, fac.workshop_id)
        return config

    def set_choice_settings(self, fac: Facilitator, step_id: int, *, points: int | None = None,
                            top_n: int | None = None) -> dict:
        """The facilitator's settings of a ``choices`` step: points per participant, how many of the best
        options become starting activities."""
        def edit(step: Step, config: dict) -> None:
            wv = step.werkvorm
            if wv.choice_field is None:
                raise ValueError("not a choices step")
            if points is not None:
                if type(points) is not int or not 1 <= points <= canvas_models.MAX_POINTS:
                    raise UserError("error.choices.budget", most=canvas_models.MAX_POINTS)
                config["points"] = points
            if top_n is not None:
                most = max(len(s.options) for s in wv.sections)
                if type(top_n) is not int or not 0 <= top_n <= most:
                    raise UserError("error.choices.top_n", most=most)
                config["top_n"] = top_n
        return self._edit_config(fac, step_id, edit)

    def settle_choice(self, fac: Facilitator, step_id: int, *, section: str, option: str | None) -> dict:
        """The facilitator settles a section (a clause) on ``option``; None opens it again."""
        def edit(step: Step, config: dict) -> None:
            if step.werkvorm.choice_field is None:
                raise ValueError("not a choices step")
            settled = dict(config.get("settled") or {})
            if option is None:
                _choices_section(step, section)
                settled.pop(section, None)
            else:
                _choices_option(step, section, option)
                settled[section] = option
            config["settled"] = settled
        return self._edit_config(fac, step_id, edit)

    def delete_own(self, who: Participant, contribution_id: int) -> None:
        with self.db.writing() as conn:
            res = conn.execute(update(D.contributions).where(
                D.contributions.c.id == contribution_id, D.contributions.c.participant_id == who.id,
            ).values(deleted=True))
            if res.rowcount != 1:
                raise NotAllowed("error.not_yours")
            self._touch(conn, who.workshop_id)

    def edit_own(self, who: Participant, contribution_id: int, text: str) -> None:
        with self.db.reading() as conn:
            row = conn.execute(select(D.contributions).where(D.contributions.c.id == contribution_id)).first()
        if row is None or row.participant_id != who.id:
            raise NotAllowed("error.not_yours")
        step = self._open_step(who, row.step_id)
        spec = step.werkvorm.field(row.field)
        text = clean(text, limit=spec.max_length, label=spec.label, multiline=True)
        with self.db.writing() as conn:
            conn.execute(update(D.contributions).where(D.contributions.c.id == contribution_id).values(text=text))
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
        def run():
            with self.db.reading() as conn:
                result = conn.execute(query, params)
                keys = list(result.keys())  # once, not per row: the screen reads thousands of rows a second
                return [dict(zip(keys, r)) for r in result]
        return self._guard(run)

    def note_count(self, step_id: int) -> int:
        with self.db.reading() as conn:
            return conn.execute(_Q_NOTE_COUNT, {"step_id": step_id}).scalar_one()

    def latest_answers(self, step_id: int, participant_id: int | None = None) -> list[dict]:
        """Newest score/text answer per participant, section and field."""
        rows = [r for r in self.contributions(step_id, include_hidden=True, kinds=("score", "text"))
                if participant_id is None or r["participant_id"] == participant_id]
        latest: dict[tuple, dict] = {}
        for row in rows:  # ordered by id, so later rows win
            latest[(row["participant_id"], row["section"], row["field"])] = row
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

    def cockpit_state(self, workshop_id: int) -> dict[str, tuple]:
        """Cheap fingerprints for the facilitator's cockpit, read in one transaction. The cockpit
        redraws a live part only when its fingerprint moved (ui/facilitator_page.py):

        * ``steering``: state_version and current step (step changes, lock, reveal, timer, ...);
        * ``room``: how many participants, and their "klaar" taps;
        * ``added``: notes and answers of the current step coming in (count, newest, length);
        * ``tally``: what changes the rest of a step's view: hidden and merged notes, clusters and
          who is in them, dots, the workshop's actions, the number of participants.
        """
        w, p, c, v, cl, a = D.workshops, D.participants, D.contributions, D.votes, D.clusters, D.actions
        with self.db.reading() as conn:
            head = conn.execute(select(w.c.state_version, w.c.current_step).where(w.c.id == workshop_id)).first()
            if head is None:
                return {"steering": (None,), "room": (None,), "added": (None,), "tally": (None,)}
            people = conn.execute(select(func.count(), func.sum(func.coalesce(p.c.ready_step, -1) + 1))
                                  .where(p.c.workshop_id == workshop_id)).one()
            step_id = conn.execute(select(D.steps.c.id).where(D.steps.c.workshop_id == workshop_id,
                                                              D.steps.c.position == head[1])).scalar()
            notes = conn.execute(select(
                func.count(), func.max(c.c.id), func.sum(func.length(c.c.text)), func.sum(func.length(c.c.section)),
                func.sum(case((c.c.hidden.is_(True), c.c.id), else_=0)), func.sum(func.coalesce(c.c.merged_into, 0)),
                func.sum(func.coalesce(c.c.cluster_id, 0) * c.c.id))
                .where(c.c.step_id == step_id, c.c.deleted.is_(False))).one()
            dots = conn.execute(select(func.count(), func.max(v.c.id)).where(v.c.step_id == step_id)).one()
            groups = conn.execute(select(func.count(), func.sum(func.length(cl.c.name)))
                                  .where(cl.c.step_id == step_id, cl.c.deleted.is_(False))).one()
            todo = conn.execute(select(func.count(), func.max(a.c.updated_at))
                                .where(a.c.workshop_id == workshop_id)).one()
        return {
            "steering": (head[0], head[1]),
            "room": (int(people[0] or 0), int(people[1] or 0)),
            "added": tuple(notes[:4]),
            "tally": (int(people[0] or 0), *(int(x or 0) for x in notes[4:]), int(dots[0] or 0), int(dots[1] or 0),
                      int(groups[0] or 0), int(groups[1] or 0), int(todo[0] or 0), str(todo[1])),
        }

    # ---------------------------------------------------------------- votes
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

        def run() -> int:
            with self.db.writing() as conn:
                if not self.db.is_sqlite:  # row lock serialises this participant's votes
                    conn.execute(select(D.participants.c.id).where(D.participants.c.id == who.id).with_for_update())
                again = conn.execute(select(D.votes.c.id).where(
                    D.votes.c.workshop_id == who.workshop_id, D.votes.c.idem_key == idem_key)).scalar()
                if again is not None:
                    return again
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
        try:
            return self._guard(run)
        except IntegrityError:
            with self.db.reading() as conn:
                return conn.execute(select(D.votes.c.id).where(
                    D.votes.c.workshop_id == who.workshop_id, D.votes.c.idem_key == idem_key)).scalar_one()

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

    # ------------------------------------------------------ facilitator notes
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
            tags = [f for f in canvas_models.FUNCTIONS if f in have]
            conn.execute(update(c).where(c.c.id.in_(ids)).values(merged_into=keep.id, hidden=True))
            conn.execute(update(c).where(c.c.merged_into.in_(ids)).values(merged_into=keep.id))
            conn.execute(update(c).where(c.c.id == keep.id).values(tags=tags))
            conn.execute(update(D.votes).where(
                D.votes.c.step_id == keep.step_id, D.votes.c.target_type == "note",
                D.votes.c.target_id.in_(ids)).values(target_id=keep.id))
            self._touch(conn, fac.workshop_id)
        return len(ids)

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

    # -------------------------------------------------------------- clusters
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

    # --------------------------------------------------------------- actions
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

        def run() -> int:
            # Count and insert in one serialised transaction, so two devices cannot pass the limit.
            try:
                with self.db.writing() as conn:
                    self._lock_row(conn, D.participants, who.id)
                    again = conn.execute(select(D.actions.c.id).where(
                        D.actions.c.workshop_id == ws.id, D.actions.c.idem_key == idem_key)).scalar()
                    if again is not None:
                        return again
                    mine = conn.execute(select(func.count()).select_from(D.actions).where(
                        D.actions.c.proposed_by == who.id)).scalar_one()
                    if mine >= Limits.ACTIONS_PER_PARTICIPANT:
                        raise UserError("error.too_many_actions", limit=Limits.ACTIONS_PER_PARTICIPANT)
                    action_id = conn.execute(insert(D.actions).values(**row).returning(D.actions.c.id)).scalar_one()
                    self._touch(conn, ws.id)
                    return action_id
            except IntegrityError:  # the same key raced in from a second tap
                with self.db.reading() as conn:
                    return conn.execute(select(D.actions.c.id).where(
                        D.actions.c.workshop_id == ws.id, D.actions.c.idem_key == idem_key)).scalar_one()
        return self._guard(run)

    def add_action(self, fac: Facilitator, *, idem_key: str | None = None, source: str = "", **values) -> int:
        self._check(fac)
        ws = self.workshop(fac.workshop_id)
        data = self._action_values({"status": "open", **values})
        if "what" not in data:
            raise UserError("error.empty", label=t("field.what"))
        stamp = now()
        return self._insert_once(D.actions, {
            "confirmed": True, **data, "workshop_id": ws.id,
            "source": source, "idem_key": idem_key or new_key(), "created_at": stamp, "updated_at": stamp})

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


def choice_budget(config: dict | None, werkvorm: canvas_models.Werkvorm) -> int:
    """Points each participant spends per section of a ``choices`` step: the facilitator's setting
    (``config["points"]``), else the werkvorm's."""
    value = (config or {}).get("points")
    if type(value) is int and 1 <= value <= canvas_models.MAX_POINTS:
        return value
    return werkvorm.points


def points_budget(step: Step) -> int:
    return choice_budget(step.config, step.werkvorm)


def _choices_field(step: Step, kind: str) -> canvas_models.FieldSpec:
    spec = step.werkvorm.choice_field
    if spec is None or spec.kind != kind:
        raise ValueError(f"step {step.id} takes no '{kind}'")
    return spec


def _choices_section(step: Step, section: str) -> canvas_models.Section:
    try:
        return step.werkvorm.section(section)
    except KeyError:
        raise UserError("error.choices.gone") from None


def _choices_option(step: Step, section: str, option: str) -> canvas_models.Option:
    try:
        return _choices_section(step, section).option(option)
    except KeyError:
        raise UserError("error.choices.gone") from None


#: Most prompts or script lines one section keeps.
SECTION_LINES = 10


def clean_section(section: dict) -> dict:
    """The texts of one section (aspect, canvas block, GROW stage) cleaned like typed text,
    whatever their origin: typed by the facilitator, or read from a backup. Other keys
    (key, minutes, grid) pass unchanged; the werkvorm model validates them."""
    out = dict(section)
    out["title"] = clean(section.get("title"), limit=Limits.SECTION_TITLE, label=t("field.aspect"))
    out["question"] = clean(section.get("question") or "", limit=Limits.SECTION_QUESTION, label=t("field.question"),
                            required=False)
    for key, label in (("prompts", t("field.question")), ("script", t("field.script"))):
        lines = section.get(key) or []
        if key in section or key == "prompts":
            if not isinstance(lines, (list, tuple)):
                raise UserError("error.empty", label=label)
            out[key] = [clean(line, limit=Limits.SECTION_QUESTION, label=label) for line in lines
                        if str(line or "").strip()][:SECTION_LINES]
    if "group" in section:
        out["group"] = clean(section.get("group") or "", limit=Limits.SECTION_GROUP, label=t("field.group"),
                             required=False)
    return out


_store_lock = threading.Lock()
_stores: dict[str, Store] = {}


_PURGE_EVERY = 24 * 3600
_last_purge: dict[str, float] = {}


def retention_days() -> int | None:
    """The retention setting ``SAMENSPRAAK_RETENTION_DAYS``; None keeps workshops."""
    raw = os.environ.get("SAMENSPRAAK_RETENTION_DAYS", "").strip()
    if not raw:
        return None
    try:
        days = int(raw)
    except ValueError:
        return None
    return days if days > 0 else None


def get_store(url: str | None = None) -> Store:
    """The process-wide store for the configured database.

    Applies the retention setting at start and then once a day.
    """
    database = D.get_db(url)
    with _store_lock:
        store = _stores.get(database.url)
        fresh = store is None or store.db is not database
        if fresh:
            store = _stores[database.url] = Store(database)
        days = retention_days()
        due = days is not None and time.monotonic() - _last_purge.get(database.url, -_PURGE_EVERY) >= _PURGE_EVERY
        if due:
            _last_purge[database.url] = time.monotonic()
    if fresh:  # a restore that a process which died left unfinished (never visible)
        from workshop.bulk import purge_abandoned

        purge_abandoned(store)
    if due:
        store.purge_older_than(days)
    return store
