"""What every part of the store shares: the records it hands out, the capabilities, and the
:class:`Service` base with its few transaction helpers (locks, version bumps, idempotent inserts).

A :class:`Facilitator` or :class:`PartnershipAccess` can only be made here with the private
``_PROOF`` object, after a secret was checked in constant time (``admin.py``, ``partnerships.py``);
every facilitator method checks it with :meth:`Service._check`. Imports no streamlit.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from dataclasses import dataclass, field
from datetime import date, datetime, timezone  # noqa: F401 - date: Workshop.date
from typing import Any, Callable, TypeVar

from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Row
from sqlalchemy.exc import IntegrityError

import canvas_models
from canvas_models import spec as spec_of
from workshop import db as D
from workshop.errors import NotAllowed, UserError

T = TypeVar("T")

# The hot paths run the same statements hundreds of times a second (a room of 200 submitting,
# a screen redrawing every second). Built once, with bound parameters, SQLAlchemy neither
# rebuilds them nor recomputes their cache key: about half the cost of each (bench/live.py).
_P = bindparam
_CV = D.content_versions
_Q_STEP = select(D.steps).where(D.steps.c.id == _P("step_id"))


def _touch_query(dialect):
    """Raise a workshop's content version by one (the row appears at the first change)."""
    stmt = dialect.insert(_CV).values(workshop_id=_P("workshop_id"), version=1)
    return stmt.on_conflict_do_update(index_elements=[_CV.c.workshop_id], set_={"version": _CV.c.version + 1})


_Q_TOUCH = {"sqlite": _touch_query(sqlite), "postgresql": _touch_query(postgresql)}

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
    #: The werkvorm this step runs with, whole, as JSON text (``canvas_models.spec.stored``); None only
    #: for a step of a database made before copies were stored whose werkvorm is no longer shipped.
    spec: str | None = None

    @property
    def werkvorm(self) -> canvas_models.Werkvorm:
        """The werkvorm as this step runs it: its own copy, with the sections its facilitator chose."""
        return spec_of.stored(self.werkvorm_key, self.spec).with_sections(self.config.get("sections"))

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


def _row(cls, row) -> Any:
    data = dict(row._mapping)
    if cls is Step:
        data["werkvorm_key"] = data.pop("werkvorm")
        data["config"] = data.get("config") or {}
    names = cls.__dataclass_fields__.keys()
    return cls(**{k: v for k, v in data.items() if k in names})


class Service:
    """The database and the helpers every service of the store uses."""

    def __init__(self, database: D.Database):
        self.db = database
        self._state_cache: dict[int, tuple[float, tuple[int, int]]] = {}
        self._cache_lock = threading.Lock()
        self._q_touch = _Q_TOUCH["sqlite" if database.is_sqlite else "postgresql"]

    # -------------------------------------------------------------- capabilities
    @staticmethod
    def _check(fac: Facilitator, workshop_id: int | None = None) -> None:
        if not isinstance(fac, Facilitator) or fac._proof is not _PROOF:
            raise NotAllowed("error.not_facilitator")
        if workshop_id is not None and fac.workshop_id != workshop_id:
            raise NotAllowed("error.not_facilitator")

    @staticmethod
    def _check_partner(access: PartnershipAccess) -> None:
        if not isinstance(access, PartnershipAccess) or access._proof is not _PROOF:
            raise NotAllowed("error.not_partnership")

    # -------------------------------------------------------------- transactions
    @staticmethod
    def _find_key(conn: Connection, table, workshop_id: int, idem_key: str | tuple[str, ...], *columns) -> Row | None:
        """The row of ``table`` stored under this idempotency key, or under one of these keys
        (only ``columns``, default its id)."""
        key = table.c.idem_key.in_(idem_key) if isinstance(idem_key, tuple) else table.c.idem_key == idem_key
        return conn.execute(select(*(columns or (table.c.id,))).where(table.c.workshop_id == workshop_id, key)).first()

    def _insert_once(self, table, workshop_id: int, idem_key: str | tuple[str, ...] | None,
                     write: Callable[[Connection], T],
                     *columns, found: Callable[[Row], T] = lambda row: row[0]) -> T:
        """Insert, or re-read on a duplicate key: run ``write`` in one writing transaction; when it
        breaks the unique ``idem_key`` of ``table`` (the same submission raced in from a second tap
        or device), return ``found(row)`` of the row stored first (``columns`` of it, default its id)."""
        try:
            with self.db.writing() as conn:
                return write(conn)
        except IntegrityError:
            if idem_key is None:
                raise
            with self.db.reading() as conn:
                row = self._find_key(conn, table, workshop_id, idem_key, *columns)
            if row is None:
                raise
            return found(row)

    def _lock_row(self, conn, table, row_id: int) -> None:
        """Serialise a read-then-write transaction on one row (PostgreSQL).

        SQLite needs nothing here: every writing transaction is BEGIN IMMEDIATE.
        FOR NO KEY UPDATE still lets other transactions insert rows that refer to this one.
        """
        if not self.db.is_sqlite:
            conn.execute(select(table.c.id).where(table.c.id == row_id).with_for_update(key_share=True))

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

    def _record(self, cls, table, row_id: int, missing: type[UserError], key: str):
        """The row ``row_id`` of ``table`` as a ``cls`` record; ``missing(key)`` when there is none."""
        with self.db.reading() as conn:
            row = conn.execute(select(table).where(table.c.id == row_id)).first()
        if row is None:
            raise missing(key)
        return _row(cls, row)

    @staticmethod
    def _read_step(conn, step_id: int) -> Step:
        row = conn.execute(_Q_STEP, {"step_id": step_id}).first()
        if row is None:
            raise UserError("error.generic")
        return _row(Step, row)

    # Reads more than one service needs (defined in their own modules, declared here for readers):
    # workshop() (admin.py), step() (steps.py), partnership() (partnerships.py).
