"""Database engine and schema. The only module that knows SQL dialect details.

SQLite (a file under ``data/``) by default; any SQLAlchemy URL through the
``SAMENSPRAAK_DATABASE_URL`` setting. On SQLite we use WAL, a busy timeout and
``BEGIN IMMEDIATE`` for every writing transaction, so that read-then-write
sequences are serialised instead of silently losing updates.
"""

from __future__ import annotations

import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.engine import Connection, Engine

from workshop import settings

SCHEMA_VERSION = 4
DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "samenspraak.db"

metadata = MetaData()

#: A partnership (schema version 3): workshops that belong together over time. It has its own
#: private link, like a workshop; a workshop joins one only through that link, never by a name.
partnerships = Table(
    "partnerships",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("secret_hash", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

workshops = Table(
    "workshops",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(6), nullable=False, unique=True),
    Column("secret_hash", String(64), nullable=False),
    Column("title", String(200), nullable=False),
    #: The partnership's name as typed or chosen: display text only, it grants nothing.
    Column("partnership", String(200), nullable=False),
    Column("partnership_id", ForeignKey("partnerships.id", ondelete="SET NULL"), nullable=True, index=True),
    Column("date", Date, nullable=False),
    Column("facilitator", String(100), nullable=False, default=""),
    Column("anonymous", Boolean, nullable=False, default=False),
    Column("max_participants", Integer, nullable=False, default=250),
    Column("current_step", Integer, nullable=False, default=0),
    #: Bumped by every facilitator state change; ui/push.py's watcher reads it and reruns the phones.
    Column("state_version", Integer, nullable=False, default=0),
    Column("show_join", Boolean, nullable=False, default=True),
    Column("participant_pdf", Boolean, nullable=False, default=False),
    #: A practice workshop (schema version 4): the werkvorm editor's live preview. Nobody else joins it,
    #: and it is deleted again when its editor moves on or, at the latest, after PRACTICE_HOURS.
    Column("practice", Boolean, nullable=False, default=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

steps = Table(
    "steps",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workshop_id", ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("werkvorm", String(40), nullable=False),
    #: The werkvorm this step runs with, whole, as JSON text (schema version 4): a later edit of a
    #: template or of a shipped file never changes a past workshop. Kept as text, not JSON: the pages
    #: read steps on every rerun, and the text is the key of the parsed werkvorm in a per-process cache
    #: (canvas_models.spec.stored). Empty only in a database made before version 4 that named a
    #: werkvorm this release no longer ships.
    Column("spec", Text, nullable=True),
    Column("config", JSON, nullable=False, default=dict),
    Column("locked", Boolean, nullable=False, default=False),
    Column("revealed", Boolean, nullable=False, default=False),
    Column("stage", Integer, nullable=False, default=0),
    Column("voting_open", Boolean, nullable=False, default=False),
    Column("dots", Integer, nullable=False, default=3),
    Column("multi_dot", Boolean, nullable=False, default=True),
    Column("votes_live", Boolean, nullable=False, default=True),
    Column("vote_target", String(20), nullable=False, default="note"),
    Column("timer_seconds", Integer, nullable=True),
    Column("timer_end", DateTime(timezone=True), nullable=True),
    Column("timer_paused_left", Integer, nullable=True),
    Column("timer_auto_lock", Boolean, nullable=False, default=False),
    UniqueConstraint("workshop_id", "position"),
)

#: Every step change, appended; undo walks back through it.
step_changes = Table(
    "step_changes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workshop_id", ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("from_step", Integer, nullable=False),
    Column("to_step", Integer, nullable=False),
    Column("undone", Boolean, nullable=False, default=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

participants = Table(
    "participants",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workshop_id", ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("token", String(64), nullable=False, unique=True),
    Column("name", String(80), nullable=False, default=""),
    Column("org_type", String(20), nullable=False),
    Column("ready_step", Integer, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("idem_key", String(64), nullable=True),
    UniqueConstraint("workshop_id", "idem_key"),
)

#: Notes and answers. Every submission is its own appended row; for answers
#: that can be changed (scores, texts) the newest row per field wins.
contributions = Table(
    "contributions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workshop_id", ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False),
    Column("step_id", ForeignKey("steps.id", ondelete="CASCADE"), nullable=False),
    Column("participant_id", ForeignKey("participants.id", ondelete="CASCADE"), nullable=True),
    Column("section", String(40), nullable=False),
    Column("field", String(40), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("text", Text, nullable=False, default=""),
    Column("score", Integer, nullable=True),
    Column("tags", JSON, nullable=False, default=list),
    Column("cluster_id", Integer, nullable=True),
    Column("merged_into", Integer, nullable=True),
    Column("hidden", Boolean, nullable=False, default=False),
    Column("deleted", Boolean, nullable=False, default=False),
    Column("idem_key", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("workshop_id", "idem_key"),
    Index("ix_contrib_step", "step_id", "id"),
    # A phone's own notes, and the notes limit checked at every submit (schema version 2).
    Index("ix_contrib_step_participant", "step_id", "participant_id"),
)

clusters = Table(
    "clusters",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workshop_id", ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False),
    Column("step_id", ForeignKey("steps.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("name", String(80), nullable=False),
    Column("deleted", Boolean, nullable=False, default=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

#: One row per dot placed. Taking a dot back deletes its row.
votes = Table(
    "votes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workshop_id", ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False),
    Column("step_id", ForeignKey("steps.id", ondelete="CASCADE"), nullable=False),
    Column("participant_id", ForeignKey("participants.id", ondelete="CASCADE"), nullable=False),
    Column("target_type", String(20), nullable=False),
    Column("target_id", Integer, nullable=False),
    Column("idem_key", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("workshop_id", "idem_key"),
    Index("ix_votes_step_participant", "step_id", "participant_id"),
)

actions = Table(
    "actions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workshop_id", ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("what", String(300), nullable=False),
    Column("owner", String(80), nullable=False, default=""),
    Column("partner", String(80), nullable=False, default=""),
    Column("due", Date, nullable=True),
    Column("status", String(10), nullable=False, default="open"),
    Column("link", String(80), nullable=False, default=""),
    Column("confirmed", Boolean, nullable=False, default=False),
    Column("proposed_by", ForeignKey("participants.id", ondelete="SET NULL"), nullable=True),
    Column("source", String(40), nullable=False, default=""),
    Column("merged_into", Integer, nullable=True),
    Column("deleted", Boolean, nullable=False, default=False),
    Column("review_note", String(300), nullable=False, default=""),
    Column("idem_key", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("workshop_id", "idem_key"),
)

#: A facilitator's own werkvormen and programmes (schema version 4). Each belongs to one owner: the
#: workshop whose facilitator link made it, or a partnership (its link); shipped werkvormen are files
#: and are never stored here. ``body`` holds the file format of canvas_models/spec.py.
templates = Table(
    "templates",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(20), nullable=False),  # "werkvorm" or "programme"
    Column("key", String(40), nullable=False),
    Column("title", String(200), nullable=False),
    Column("body", JSON, nullable=False),
    Column("owner_workshop_id", ForeignKey("workshops.id", ondelete="CASCADE"), nullable=True, index=True),
    Column("owner_partnership_id", ForeignKey("partnerships.id", ondelete="CASCADE"), nullable=True, index=True),
    Column("version", Integer, nullable=False, default=1),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# What the projected screen and the facilitator's live views show changes with every note, vote,
# tap and moderation, without the workshop's state_version moving (that one reruns every phone).
# One counter per workshop, raised in the same transaction as the change: ui/push.py's watcher
# reads it with state_version in its one query per round and redraws the screens that are behind.
# A table of its own, so create_all adds it to an older database; no row yet means 0.
content_versions = Table(
    "content_versions",
    metadata,
    Column("workshop_id", ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True),
    Column("version", Integer, nullable=False, default=0),
)

meta = Table(
    "samenspraak_meta",
    metadata,
    Column("key", String(40), primary_key=True),
    Column("value", String(200), nullable=False),
)


def database_url() -> str:
    url = settings.get().database_url
    if url:
        return url
    DEFAULT_PATH.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_PATH}"


class Database:
    """Two engines on one store: ``read`` for plain reads, ``write`` for
    transactions that must be serialised (``BEGIN IMMEDIATE`` on SQLite)."""

    def __init__(self, url: str):
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            args = {"check_same_thread": False, "timeout": 30}
            self.read = create_engine(url, connect_args=args, pool_size=20, max_overflow=40)
            self.write = create_engine(url, connect_args=args, pool_size=5, max_overflow=40)
            for eng, immediate in ((self.read, False), (self.write, True)):
                _sqlite_setup(eng, immediate)
        else:
            self.read = create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)
            self.write = self.read
        for engine in {self.read, self.write}:
            event.listen(engine, "handle_error", _unavailable)
        self._migrate()

    def _migrate(self) -> None:
        with self.write.begin() as conn:
            metadata.create_all(conn)
            have = conn.execute(meta.select().where(meta.c.key == "schema_version")).first()
            if have is None:
                conn.execute(meta.insert().values(key="schema_version", value=str(SCHEMA_VERSION)))
            elif int(have.value) < SCHEMA_VERSION:
                _upgrade(conn, int(have.value))
        inspect(self.read).get_table_names()

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """A serialised read-modify-write transaction."""
        with self.write.begin() as conn:
            yield conn

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        with self.read.connect() as conn:
            yield conn

    def dispose(self) -> None:
        self.read.dispose()
        if self.write is not self.read:
            self.write.dispose()


def _upgrade(conn, version: int) -> None:
    """Bring a database made by an older release up to SCHEMA_VERSION (create_all only adds
    missing tables, not what is new in an existing one)."""
    if version < 2:
        for index in contributions.indexes:
            if index.name == "ix_contrib_step_participant":
                index.create(conn, checkfirst=True)
    if version < 3:
        _upgrade_partnerships(conn)
    if version < 4:
        _upgrade_step_copies(conn)
    conn.execute(meta.update().where(meta.c.key == "schema_version").values(value=str(SCHEMA_VERSION)))


def _upgrade_partnerships(conn) -> None:
    """Schema 3: partnerships become entities with their own link.

    Before, workshops whose typed partnership names looked alike (``partnership_key``) shared
    their actions. A name proves nothing, so no workshop is put in a partnership here: every
    existing workshop starts on its own (``partnership_id`` empty), and the name-matching keys are
    dropped. A facilitator who holds both links joins a workshop to a partnership on purpose
    (``Store.attach_workshop``). ``create_all`` already made the ``partnerships`` table.
    """
    have = {c["name"] for c in inspect(conn).get_columns("workshops")}
    if "partnership_id" not in have:
        conn.execute(text("ALTER TABLE workshops ADD COLUMN partnership_id INTEGER "
                          "REFERENCES partnerships (id) ON DELETE SET NULL"))
    for index in workshops.indexes:
        if "partnership_id" in index.columns:
            index.create(conn, checkfirst=True)
    for table in ("workshops", "actions"):
        if "partnership_key" in {c["name"] for c in inspect(conn).get_columns(table)}:
            # SQLite drops a column only when no index uses it; PostgreSQL drops the index with it.
            conn.execute(text(f"DROP INDEX IF EXISTS ix_{table}_partnership_key"))
            conn.execute(text(f"ALTER TABLE {table} DROP COLUMN partnership_key"))


def _upgrade_step_copies(conn) -> None:
    """Schema 4: every step keeps its own copy of its werkvorm. A step made before gets the copy of
    the werkvorm it ran with until now: the shipped one of its key (``create_all`` made ``templates``).
    Workshops learn whether they are the editor's practice ones (none were before)."""
    from canvas_models import REGISTRY
    from canvas_models.spec import dump, spec_text

    if "practice" not in {c["name"] for c in inspect(conn).get_columns("workshops")}:
        conn.execute(text("ALTER TABLE workshops ADD COLUMN practice BOOLEAN NOT NULL DEFAULT FALSE"))

    if "spec" not in {c["name"] for c in inspect(conn).get_columns("steps")}:
        conn.execute(text("ALTER TABLE steps ADD COLUMN spec TEXT"))
    keys = conn.execute(select(steps.c.werkvorm).where(steps.c.spec.is_(None)).distinct()).scalars().all()
    for key in keys:
        if key in REGISTRY:
            conn.execute(update(steps).where(steps.c.werkvorm == key, steps.c.spec.is_(None))
                         .values(spec=spec_text(dump(REGISTRY[key]))))


def _unavailable(ctx):
    """Turn 'the database cannot be reached' into one domain error with a Dutch message.

    Integrity errors (duplicate idempotency keys) and programming errors pass unchanged.
    """
    from sqlalchemy import exc as sa_exc

    from workshop.errors import StoreUnavailable

    error = ctx.sqlalchemy_exception
    if ctx.is_disconnect or isinstance(error, (sa_exc.OperationalError, sa_exc.InterfaceError)) or (
        ctx.original_exception is not None and type(ctx.original_exception).__name__ in (
            "OperationalError", "ConnectionFailure", "ConnectionTimeout", "AdminShutdown")):
        return StoreUnavailable()
    return None


def _sqlite_setup(engine: Engine, immediate: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # pragma: no cover - trivial
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        """Writers take SQLite's write lock at once (BEGIN IMMEDIATE), so that two
        read-modify-write transactions never interleave. Readers open no transaction:
        each statement reads one consistent snapshot of its own (WAL), and a reader
        saves a statement round trip on the app's hottest paths."""
        if not immediate:
            return
        try:  # on the driver's connection: SQLAlchemy's statement machinery costs ~10x more
            conn.connection.driver_connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:  # locked past busy_timeout, disk gone
            from workshop.errors import StoreUnavailable

            raise StoreUnavailable() from exc


_lock = threading.Lock()
_instances: dict[str, Database] = {}


def get_db(url: str | None = None) -> Database:
    """The process-wide database for ``url`` (default: the configured one)."""
    url = url or database_url()
    with _lock:
        db = _instances.get(url)
        if db is None:
            db = _instances[url] = Database(url)
        return db


def current(url: str) -> Database | None:
    """The process-wide database for ``url`` if there is one (no lock: a dictionary read)."""
    return _instances.get(url)


def reset_instances() -> None:
    """Forget cached engines (tests, restore)."""
    with _lock:
        for db in _instances.values():
            db.dispose()
        _instances.clear()
