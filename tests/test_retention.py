"""The retention setting purges old workshops when the app's store starts."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from sqlalchemy import update

from workshop import db as D
from workshop import store as S


def test_retention_purges_old_workshops_at_start(db_url, setting):
    setting("SAMENSPRAAK_DATABASE_URL", db_url)
    D.reset_instances()
    S._stores.clear()
    S._last_purge.clear()
    try:
        store = S.get_store()
        old, _ = store.create_workshop(title="Oud", partnership="P", day=date(2025, 1, 1), facilitator="",
                                       werkvormen=["brainstorm"])
        new, _ = store.create_workshop(title="Nieuw", partnership="P", day=date(2026, 1, 1), facilitator="",
                                       werkvormen=["brainstorm"])
        store.join(old.code, name="Ans", org_type="po")
        with store.db.writing() as conn:
            conn.execute(update(D.workshops).where(D.workshops.c.id == old.id).values(
                created_at=datetime.now(timezone.utc) - timedelta(days=40)))
        setting("SAMENSPRAAK_RETENTION_DAYS", "30")
        D.reset_instances()
        S._stores.clear()
        S._last_purge.clear()
        store = S.get_store()  # a restarted app applies the setting
        assert store.workshop_by_code(old.code) is None
        assert store.workshop_by_code(new.code) is not None
        assert store.participants(old.id) == []
    finally:
        D.reset_instances()
        S._stores.clear()
        S._last_purge.clear()
