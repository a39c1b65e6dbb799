"""Shared fixtures: a store on SQLite and on PostgreSQL, and workshops to test with.

Storage tests (the ``store``, ``db_url`` and ``workshop_factory`` fixtures) run on both
databases. Page tests (``app_store``: the app's own store, for AppTest) run once, on SQLite:
what a page shows does not depend on the database, and the store under it is tested on both.

PostgreSQL comes from ``SAMENSPRAAK_TEST_PG_URL`` (``./test.sh`` starts a throwaway
cluster and sets it). Without it the PostgreSQL tests FAIL, so that a missing
database is never mistaken for a pass. Only ``SAMENSPRAAK_TEST_SQLITE_ONLY=1``
turns them off, and then the run says so in its header and summary.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from datetime import date
from pathlib import Path
from typing import Iterable, Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from workshop import db as D
from workshop import settings
from workshop import store as S
from workshop.store import Store

from helpers import Room

PG_ENV = "SAMENSPRAAK_TEST_PG_URL"
SQLITE_ONLY_ENV = "SAMENSPRAAK_TEST_SQLITE_ONLY"

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgresql),
]


def _sqlite_only() -> bool:
    return os.environ.get(SQLITE_ONLY_ENV, "").strip() == "1"


# ------------------------------------------------------------------ reporting
def pytest_report_header(config) -> list[str]:
    if _sqlite_only():
        return [f"PostgreSQL: OFF ({SQLITE_ONLY_ENV}=1) - PostgreSQL tests are deselected"]
    url = os.environ.get(PG_ENV)
    if not url:
        return [f"PostgreSQL: {PG_ENV} is not set - PostgreSQL tests will FAIL (run ./test.sh)"]
    return [f"PostgreSQL: {make_url(url).render_as_string(hide_password=True)}"]


def pytest_collection_modifyitems(config, items) -> None:
    if not _sqlite_only():
        return
    keep, dropped = [], []
    for item in items:
        (dropped if item.get_closest_marker("postgresql") else keep).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep
    config._samenspraak_pg_deselected = len(dropped)  # type: ignore[attr-defined]


# The browser tests' artifacts and measurements (tests/e2e): hooks of this file, because under
# pytest-xdist only the controlling process sees the whole run, and it loads no conftest below tests/.
E2E_ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "e2e"
_E2E_TIMINGS: dict[str, dict] = {}


def _controller(config) -> bool:
    return not hasattr(config, "workerinput")


def pytest_configure(config) -> None:
    """Screenshots, the PDF, timings and failing server logs of this run only: emptied once, before
    any test (under pytest-xdist by the controller, before a worker starts)."""
    if _controller(config):
        shutil.rmtree(E2E_ARTIFACTS, ignore_errors=True)
        E2E_ARTIFACTS.mkdir(parents=True, exist_ok=True)


def pytest_runtest_logreport(report) -> None:
    """What a browser test measured (its ``timings`` fixture), from the report of its teardown."""
    for name, data in report.user_properties:
        if name == "e2e_timings" and report.when == "teardown":
            _E2E_TIMINGS[report.nodeid] = data


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    if _E2E_TIMINGS and _controller(config):
        (E2E_ARTIFACTS / "timings.json").write_text(json.dumps(_E2E_TIMINGS, indent=1, ensure_ascii=False),
                                                     encoding="utf-8")
        terminalreporter.write_sep("-", "browser suite measurements")
        for nodeid, data in _E2E_TIMINGS.items():
            terminalreporter.write_line(f"{nodeid.split('::')[-1]}: " + ", ".join(f"{k}={v}" for k, v in data.items()))
        terminalreporter.write_line(f"(also in {E2E_ARTIFACTS / 'timings.json'}; screenshots and the PDF beside it)")
    if not _sqlite_only():
        return
    # Under pytest-xdist the workers deselect, and this (controlling) process has no count.
    dropped = getattr(config, "_samenspraak_pg_deselected", None)
    terminalreporter.write_sep(
        "!", f"{'the' if dropped is None else dropped} PostgreSQL tests deselected because {SQLITE_ONLY_ENV}=1; "
             "this run does NOT cover PostgreSQL", yellow=True, bold=True)


# ------------------------------------------------------------------ settings
@pytest.fixture(autouse=True)
def _settings_of_the_environment() -> Iterator[None]:
    """Every test starts and ends with the settings of its environment (workshop/settings.py
    reads them once; a test changes one with the ``setting`` fixture)."""
    settings.reload()
    yield
    settings.reload()  # after monkeypatch has put the environment back


@pytest.fixture
def setting(monkeypatch):
    """``setting("SAMENSPRAAK_X", value)``: set a setting for this test (the environment, re-read)."""

    def put(name: str, value: str) -> None:
        monkeypatch.setenv(name, value)
        settings.reload()

    return put


# ----------------------------------------------------------------- databases
@pytest.fixture(scope="session")
def pg_url() -> str:
    """The PostgreSQL server URL (a maintenance database; tests get their own)."""
    url = os.environ.get(PG_ENV, "").strip()
    if not url:
        pytest.fail(
            f"{PG_ENV} is not set: the PostgreSQL tests need a server. Run ./test.sh, which starts a "
            f"throwaway one, or set {SQLITE_ONLY_ENV}=1 to deselect them explicitly.",
            pytrace=False,
        )
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - report any connection problem as a failure
        pytest.fail(f"cannot reach PostgreSQL at {PG_ENV}: {exc}", pytrace=False)
    finally:
        engine.dispose()
    return url


@pytest.fixture(scope="session")
def pg_admin(pg_url):
    engine = create_engine(pg_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def pg_template(pg_admin, pg_url) -> Iterator[str]:
    """A database with the current schema, copied for each test (faster than migrating each time)."""
    name = f"template_{secrets.token_hex(6)}"
    with pg_admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    database = D.Database(make_url(pg_url).set(database=name).render_as_string(hide_password=False))
    database.dispose()
    yield name
    with pg_admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def fresh_pg_database(pg_admin, pg_url: str, template: str | None = None) -> Iterator[str]:
    """Create a database for one test (empty, or a copy of ``template``) and drop it afterwards."""
    name = f"test_{secrets.token_hex(6)}"
    with pg_admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
    try:
        yield make_url(pg_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with pg_admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def db_url(backend, request, tmp_path) -> Iterator[str]:
    """A URL of a database of the current backend, private to this test.

    SQLite starts empty; PostgreSQL starts as a copy of a freshly migrated template.
    """
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'samenspraak-test.db'}"
    else:
        pg = request.getfixturevalue("pg_url")
        admin = request.getfixturevalue("pg_admin")
        yield from fresh_pg_database(admin, pg, request.getfixturevalue("pg_template"))


@pytest.fixture
def empty_db_url(backend, request, tmp_path) -> Iterator[str]:
    """A URL of a truly empty database (no schema) of the current backend."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'samenspraak-empty.db'}"
    else:
        yield from fresh_pg_database(request.getfixturevalue("pg_admin"), request.getfixturevalue("pg_url"))


def _own_store(url: str) -> Iterator[Store]:
    database = D.Database(url)
    try:
        yield Store(database)
    finally:
        database.dispose()


@pytest.fixture
def store(db_url) -> Iterator[Store]:
    """A Store on a fresh database (not the process-wide singleton)."""
    yield from _own_store(db_url)


@pytest.fixture
def second_store(db_url) -> Iterator[Store]:
    """A second, independent Store on the same database (another device / server process)."""
    yield from _own_store(db_url)


@pytest.fixture
def app_store(tmp_path, setting) -> Iterator[Store]:
    """The app pointed at this test's private SQLite database, and its store (page tests)."""
    setting("SAMENSPRAAK_DATABASE_URL", f"sqlite:///{tmp_path / 'samenspraak-app.db'}")
    D.reset_instances()
    S._stores.clear()
    yield S.get_store()
    D.reset_instances()
    S._stores.clear()


# ----------------------------------------------------------------- workshops
@pytest.fixture
def workshop_factory(store):
    """``make(werkvormen=..., participants=N, **create_workshop kwargs) -> Room``."""

    def make(werkvormen: Iterable[str] = ("brainstorm",), *, participants: int = 0,
             title: str = "Werksessie techniek", partnership: str = "Regio Twente", day: date | None = None,
             facilitator: str = "Fatima", **kwargs) -> Room:
        ws, secret = store.create_workshop(
            title=title, partnership=partnership, day=day or date(2026, 3, 12), facilitator=facilitator,
            werkvormen=list(werkvormen), **kwargs)
        room = Room(store, ws, secret, store.authorize(ws.code, secret))
        if participants:
            room.join(participants)
        return room

    return make


@pytest.fixture
def room(workshop_factory) -> Room:
    """A workshop with every shipped werkvorm and three participants."""
    return workshop_factory(("brainstorm", "praatplaat", "followup", "canvas", "grow"), participants=3)


