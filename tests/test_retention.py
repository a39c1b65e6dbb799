"""The retention setting: a daemon thread of each process deletes old workshops at start and
daily, never a page render; the store a page asks for is cached."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import update

from workshop import db as D
from workshop.errors import StoreUnavailable
from workshop import store as S
from workshop.store import retention


@pytest.fixture
def fresh_process(db_url, setting):
    """The app's store as a new process would make it, on this test's database."""
    setting("SAMENSPRAAK_DATABASE_URL", db_url)

    def restart():
        S.stop_retention()
        D.reset_instances()
        S._stores.clear()
        return S.get_store()

    yield restart
    S.stop_retention()
    D.reset_instances()
    S._stores.clear()


def _old_and_new(store):
    old, _ = store.create_workshop(title="Oud", partnership="P", day=date(2025, 1, 1), facilitator="",
                                   werkvormen=["brainstorm"])
    new, _ = store.create_workshop(title="Nieuw", partnership="P", day=date(2026, 1, 1), facilitator="",
                                   werkvormen=["brainstorm"])
    store.join(old.code, name="Ans", org_type="po")
    with store.db.writing() as conn:
        conn.execute(update(D.workshops).where(D.workshops.c.id == old.id).values(
            created_at=datetime.now(timezone.utc) - timedelta(days=40)))
    return old, new


def test_retention_purges_old_workshops_at_start_in_the_background(fresh_process, setting, monkeypatch):
    store = fresh_process()
    assert S._purgers == {}, "no retention setting, no daemon"
    old, new = _old_and_new(store)
    setting("SAMENSPRAAK_RETENTION_DAYS", "30")
    callers = []
    real = retention.RetentionService.purge_older_than

    def purge(self, days):
        callers.append(threading.current_thread().name)
        return real(self, days)

    monkeypatch.setattr(retention.RetentionService, "purge_older_than", purge)
    store = fresh_process()  # a restarted app applies the setting
    daemon = S._purgers[store.db.url]
    assert daemon.wait_rounds(1, timeout=30)
    assert callers == ["samenspraak-retention"], "the purge runs in the daemon, not in the caller"
    assert store.workshop_by_code(old.code) is None
    assert store.workshop_by_code(new.code) is not None
    assert store.participants(old.id) == []
    for _ in range(50):  # every page asks for the store: the same one, and no second daemon
        assert S.get_store() is store
    assert S._purgers == {store.db.url: daemon} and callers == ["samenspraak-retention"]
    assert [t.name for t in threading.enumerate()].count("samenspraak-retention") == 1


def test_the_daemon_purges_again_after_a_day(fresh_process, setting, monkeypatch):
    monkeypatch.setattr(retention, "PURGE_EVERY", 0.2)  # "a day"
    setting("SAMENSPRAAK_RETENTION_DAYS", "30")
    store = fresh_process()
    daemon = S._purgers[store.db.url]
    assert daemon.every == 0.2 and daemon.wait_rounds(1, timeout=30)
    old, new = _old_and_new(store)  # made old after the start-up purge
    assert daemon.wait_rounds(daemon.rounds + 2, timeout=30)
    assert store.workshop_by_code(old.code) is None
    assert store.workshop_by_code(new.code) is not None


def test_a_failed_purge_is_tried_again_soon(fresh_process, setting, monkeypatch):
    monkeypatch.setattr(retention, "RETRY_AFTER", 0.1)
    setting("SAMENSPRAAK_RETENTION_DAYS", "30")
    tries = []

    def purge(self, days):
        tries.append(days)
        if len(tries) == 1:
            raise StoreUnavailable()
        return 0

    monkeypatch.setattr(retention.RetentionService, "purge_older_than", purge)
    store = fresh_process()
    daemon = S._purgers[store.db.url]
    assert daemon.wait_rounds(2, timeout=30), "the daemon survives a failure and tries again"
    assert tries[:2] == [30, 30] and daemon.thread.is_alive()


def test_the_store_is_cached_but_follows_a_new_database(fresh_process, tmp_path, setting, monkeypatch):
    store = fresh_process()
    with monkeypatch.context() as patch:  # the cached path neither makes the URL (mkdir) nor takes a lock
        patch.setattr(D, "database_url", lambda: pytest.fail("get_store made the database URL again"))
        patch.setattr(S, "_store_lock", None)
        for _ in range(100):
            assert S.get_store() is store
    D.reset_instances()  # a restore or a test forgets the engines: a new store on new engines
    again = S.get_store()
    assert again is not store and again.db is D.current(again.db.url)
    other = f"sqlite:///{tmp_path / 'other.db'}"
    setting("SAMENSPRAAK_DATABASE_URL", other)
    assert S.get_store().db.url == other
