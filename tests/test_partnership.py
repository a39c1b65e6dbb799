"""Partnerships: their own secret link, never a matching name (issue 15), on SQLite and PostgreSQL.

The outsider scenario: workshop A belongs to partnership P and has an action owned by "Jan Jansen".
An outsider creates workshop B with the same (or a similar) partnership name but without P's link.
Nothing of A may reach B: not its facilitator data, not its screen, not its exports; and B can
change nothing of A.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, timedelta

import pypdf
import pytest
from openpyxl import load_workbook
from sqlalchemy import Column, Index, MetaData, String, Table, UniqueConstraint, inspect, insert, select

from exports import pdf, tables
from exports.backup import to_json
from exports.snapshot import snapshot
from helpers import assert_dutch, count_rows
from workshop import db as D
from workshop.errors import NotAllowed, UserError
from workshop.store import PartnershipAccess, Store, _hash, new_key, now

SECRET_OWNER = "Jan Jansen"
SECRET_WHAT = "Stagebank Twente opzetten"


def member(store: Store, name: str = "Regio Twente") -> tuple[PartnershipAccess, str]:
    partnership, secret = store.create_partnership(name)
    return store.open_partnership(partnership.id, secret), secret


def workshop_a(workshop_factory, store):
    access, secret = member(store)
    room = workshop_factory(("praatplaat", "followup"), member_of=access, title="Sessie A", participants=1)
    aid = store.add_action(room.fac, what=SECRET_WHAT, owner=SECRET_OWNER, partner="ROC van Twente",
                           due=date(2026, 6, 1))
    store.update_action(room.fac, aid, review_note="Alleen voor partnerschap P")
    return room, aid, access


def every_export(store, workshop_id: int) -> dict[str, str]:
    """The text of B's JSON, CSV, Excel and PDF exports."""
    snap = snapshot(store, workshop_id)
    out = {"json": to_json(snap).decode("utf-8")}
    with zipfile.ZipFile(io.BytesIO(tables.to_csv_zip(snap))) as zf:
        out["csv"] = "\n".join(zf.read(name).decode("utf-8-sig") for name in zf.namelist())
    book = load_workbook(io.BytesIO(tables.to_xlsx(snap)), read_only=True)
    out["xlsx"] = "\n".join(str(cell) for sheet in book for row in sheet.iter_rows(values_only=True)
                            for cell in row if cell is not None)
    reader = pypdf.PdfReader(io.BytesIO(pdf.build_pdf(snap)))
    out["pdf"] = "\n".join(page.extract_text() or "" for page in reader.pages)
    return out


@pytest.mark.parametrize("name", ["regio-twente", "Regio Twente", "  REGIO twente "])
def test_an_outsider_with_the_same_name_sees_and_changes_nothing(workshop_factory, store, name):
    a, aid, _access = workshop_a(workshop_factory, store)
    b = workshop_factory(("praatplaat", "followup"), partnership=name, title="Sessie B")
    assert b.ws.partnership_id is None and b.ws.partnership == " ".join(name.split())

    assert store.earlier_open_actions(b.ws.id) == []
    assert store.earlier_open_actions(b.ws.id, include_closed_since=True) == []
    assert store.actions(b.ws.id) == []
    for kind, text in every_export(store, b.ws.id).items():
        assert SECRET_OWNER not in text and SECRET_WHAT not in text and "Sessie A" not in text, kind

    for values in ({"status": "klaar"}, {"review_note": "Overgenomen"}, {"what": "Weg"}, {"deleted": True},
                   {"owner": "Iemand anders"}):
        with pytest.raises(NotAllowed):
            store.update_action(b.fac, aid, **values)
    own = store.add_action(b.fac, what="Eigen actie van B")
    with pytest.raises(NotAllowed):
        store.merge_actions(b.fac, own, [aid])
    [row] = store.actions(a.ws.id)
    assert (row["what"], row["owner"], row["status"], row["review_note"], row["deleted"]) == (
        SECRET_WHAT, SECRET_OWNER, "open", "Alleen voor partnerschap P", False)
    # B's facilitator cannot reach A's cockpit either
    with pytest.raises(NotAllowed):
        store.authorize(a.ws.code, b.secret)


def test_a_workshop_joins_only_with_the_partnership_link(workshop_factory, store):
    a, aid, access = workshop_a(workshop_factory, store)
    later = workshop_factory(("followup",), member_of=access, title="Sessie C", day=date(2026, 9, 1))
    assert later.ws.partnership == "Regio Twente" and later.ws.partnership_id == access.partnership_id
    assert [x["id"] for x in store.earlier_open_actions(later.ws.id)] == [aid]
    # a forged capability is worthless
    with pytest.raises(NotAllowed):
        store.create_workshop(title="Vals", partnership="", day=date(2026, 9, 1), facilitator="",
                              werkvormen=["followup"], member_of=PartnershipAccess(access.partnership_id))
    with pytest.raises(NotAllowed):
        store.update_action(PartnershipAccess(access.partnership_id), aid, status="klaar")


def test_open_partnership_checks_the_secret(store, setting):
    partnership, secret = store.create_partnership("  STO   Oost ")
    assert partnership.name == "STO Oost" and len(secret) >= 32  # 24 random bytes: 192 bits
    with store.db.reading() as conn:
        stored = conn.execute(select(D.partnerships.c.secret_hash)).scalar_one()
    assert secret not in stored and len(stored) == 64
    assert store.open_partnership(str(partnership.id), secret).partnership_id == partnership.id
    for pid, key in ((partnership.id, secret[:-1] + ("A" if secret[-1] != "A" else "B")), (partnership.id, ""),
                     (partnership.id, None), (partnership.id + 1, secret), ("x", secret), (None, secret),
                     (-1, secret), ("9" * 40, secret)):
        with pytest.raises(NotAllowed) as info:
            store.open_partnership(pid, key)
        assert_dutch(info.value)
    with pytest.raises(UserError) as info:
        store.create_partnership("   ")
    assert info.value.key == "error.empty"
    setting("SAMENSPRAAK_ADMIN_PASSWORD", "goed")
    with pytest.raises(NotAllowed):
        store.create_partnership("P", admin_password="fout")
    assert store.create_partnership("P", admin_password="goed")[0].name == "P"


def test_attach_needs_both_links_and_one_partnership(workshop_factory, store):
    a, aid, access = workshop_a(workshop_factory, store)
    loose = workshop_factory(("followup",), partnership="Regio Twente", title="Losse sessie")
    loose_aid = store.add_action(loose.fac, what="Eigen actie")
    assert store.earlier_open_actions(loose.ws.id) == []
    with pytest.raises(NotAllowed):
        store.attach_workshop(loose.fac, PartnershipAccess(access.partnership_id))
    with pytest.raises(NotAllowed):
        store.attach_workshop(type(loose.fac)(loose.ws.id), access)
    ws = store.attach_workshop(loose.fac, access)
    assert ws.partnership_id == access.partnership_id and ws.state_version > loose.ws.state_version
    assert store.attach_workshop(loose.fac, access).partnership_id == access.partnership_id  # again: harmless
    assert [x["id"] for x in store.earlier_open_actions(loose.ws.id)] == [aid]
    other, _ = member(store, "Regio Noord")
    with pytest.raises(UserError) as info:
        store.attach_workshop(loose.fac, other)
    assert info.value.key == "partnership.x_other"
    assert_dutch(info.value)
    # the partnership's link steers its workshops, and reads their agreements
    assert store.authorize_in_partnership(access, loose.ws.code).workshop_id == loose.ws.id
    with pytest.raises(NotAllowed):
        store.authorize_in_partnership(other, loose.ws.code)
    assert [w["title"] for w in store.partnership_workshops(access)] == ["Sessie A", "Losse sessie"]
    assert {x["id"] for x in store.partnership_actions(access)} == {aid, loose_aid}
    assert store.partnership_actions(other) == []


def test_partnership_link_updates_only_status_and_review(workshop_factory, store):
    a, aid, access = workshop_a(workshop_factory, store)
    other, _ = member(store, "Regio Noord")
    store.update_action(access, aid, status="bezig", review_note="Loopt")
    with pytest.raises(NotAllowed):
        store.update_action(access, aid, what="Anders")
    with pytest.raises(NotAllowed):
        store.update_action(other, aid, status="klaar")
    [row] = store.actions(a.ws.id)
    assert (row["status"], row["review_note"], row["what"]) == ("bezig", "Loopt", SECRET_WHAT)


def test_counted_texts_have_their_singular():
    from messages import t

    assert t("partnership.new_workshop_open", count=1) == "Er komt 1 open afspraak terug om na te lopen."
    assert t("partnership.new_workshop_open", count=3) == "Er komen 3 open afspraken terug om na te lopen."
    assert t("error.too_many_notes", limit=1) == "Je hebt het maximum van 1 briefje voor deze stap bereikt."
    assert t("error.slow_down", seconds=1).startswith("Te veel verkeerde codes. Wacht 1 seconde en")


def test_partnership_workshops_in_date_order(workshop_factory, store):
    access, _ = member(store)
    for day, title in ((date(2026, 9, 1), "Derde"), (date(2026, 1, 5), "Eerste"), (date(2026, 4, 2), "Tweede")):
        workshop_factory(("praatplaat",), member_of=access, title=title, day=day)
    workshop_factory(("praatplaat",), partnership="Regio Twente", title="Buiten", day=date(2026, 2, 1))
    rows = store.partnership_workshops(access)
    assert [(r["title"], r["date"]) for r in rows] == [
        ("Eerste", date(2026, 1, 5)), ("Tweede", date(2026, 4, 2)), ("Derde", date(2026, 9, 1))]
    assert set(rows[0]) == {"id", "code", "title", "date", "created_at"}


# ------------------------------------------------------------------ migration
def _schema_2() -> MetaData:
    """The tables as schema version 2 made them: no partnerships, a ``partnership_key`` per
    workshop and per action that linked workshops with similar names."""
    old = MetaData()
    for table in D.metadata.sorted_tables:
        if table.name == "partnerships":
            continue
        columns = [c._copy() for c in table.columns if c.name != "partnership_id"]
        if table.name in ("workshops", "actions"):
            columns.append(Column("partnership_key", String(200), nullable=False, index=True))
        copy = Table(table.name, old, *columns, *[
            UniqueConstraint(*c.columns.keys()) for c in table.constraints
            if isinstance(c, UniqueConstraint) and len(c.columns) > 1])
        have = {ix.name for ix in copy.indexes}
        for ix in table.indexes:
            if ix.name not in have and "partnership_id" not in ix.columns:
                Index(ix.name, *[copy.c[c.name] for c in ix.columns])
    return old


def test_a_version_2_database_migrates_without_linking_by_name(empty_db_url):
    from sqlalchemy import create_engine

    old = _schema_2()
    engine = create_engine(empty_db_url)
    stamp = now()
    with engine.begin() as conn:
        old.create_all(conn)
        conn.execute(insert(old.tables["samenspraak_meta"]).values(key="schema_version", value="2"))
        ws = old.tables["workshops"]
        ids = []
        for i, name in enumerate(("Regio Twente", "regio-twente")):
            ids.append(conn.execute(insert(ws).values(
                code=f"AAAAA{i + 3}", secret_hash="0" * 64, title=f"Oud {i}", partnership=name,
                partnership_key="regio twente", date=date(2026, 1, 1) + timedelta(days=i), facilitator="",
                anonymous=False, max_participants=250, current_step=0, state_version=0, show_join=True,
                participant_pdf=False, created_at=stamp + timedelta(seconds=i)).returning(ws.c.id)).scalar_one())
        conn.execute(insert(old.tables["actions"]).values(
            workshop_id=ids[0], partnership_key="regio twente", what=SECRET_WHAT, owner=SECRET_OWNER,
            partner="", status="open", link="", confirmed=True, source="", deleted=False, review_note="",
            idem_key=new_key(), created_at=stamp, updated_at=stamp))
    engine.dispose()

    database = D.Database(empty_db_url)
    try:
        store = Store(database)
        for table in ("workshops", "actions"):
            assert "partnership_key" not in {c["name"] for c in inspect(database.read).get_columns(table)}
        assert "partnership_id" in {c["name"] for c in inspect(database.read).get_columns("workshops")}
        with database.reading() as conn:
            assert conn.execute(select(D.meta.c.value)).scalars().all() == [str(D.SCHEMA_VERSION)]
        first, second = store.workshop(ids[0]), store.workshop(ids[1])
        assert first.partnership_id is None and second.partnership_id is None
        assert first.partnership == "Regio Twente"  # the name stays, as text
        assert store.earlier_open_actions(second.id) == []  # a name no longer links them
        # the migrated database works as a new one: new partnerships, workshops and actions
        access, _ = member(store)
        ws, secret = store.create_workshop(title="Nieuw", partnership="", day=date(2026, 3, 1), facilitator="",
                                           werkvormen=["followup"], member_of=access)
        fac = store.authorize(ws.code, secret)
        store.add_action(fac, what="Na de migratie")
        # a deliberate join brings the old workshop's open actions back
        old_fac = store.authorize_in_partnership(access, ws.code)
        assert old_fac.workshop_id == ws.id
        with database.writing() as conn:  # the old rows had a made-up secret: give the first a known one
            conn.execute(D.workshops.update().where(D.workshops.c.id == ids[0]).values(secret_hash=_hash("s" * 32)))
        store.attach_workshop(store.authorize(first.code, "s" * 32), access)
        assert [a["what"] for a in store.earlier_open_actions(ws.id)] == [SECRET_WHAT]
        D.Database(empty_db_url).dispose()  # starting again is harmless
        assert count_rows(store, D.partnerships) == 1
    finally:
        database.dispose()


# -------------------------------------------------------------------- backup
def _partnership_of_three(store):
    from exports import demo

    access, secret = member(store, "Regio Achterhoek")
    for seed in (3, 5, 8):
        ws, ws_secret = demo.generate(store, 5, seed=seed, fast=True)
        store.attach_workshop(store.authorize(ws.code, ws_secret), access)
    return access, secret


def _all_rows(store) -> dict[str, int]:
    return {table.name: count_rows(store, table) for table in D.metadata.sorted_tables if table.name != "samenspraak_meta"}


def test_partnership_backup_round_trip(store, tmp_path):
    from exports import partnership as P
    from test_exports import canonical

    access, secret = _partnership_of_three(store)
    first = P.snapshot(store, access)
    raw = P.to_json(first)
    text = raw.decode("utf-8")
    assert secret not in text and "secret" not in text and "token" not in text
    assert json.loads(raw)["format"] == "samenspraak-partnership" and len(first["workshops"]) == 3
    dates = [w["workshop"]["date"] for w in first["workshops"]]
    assert dates == sorted(dates)

    def check(target: Store) -> None:
        before = count_rows(target, D.partnerships)
        partnership, new_secret = P.restore(target, raw)
        assert partnership.name == "Regio Achterhoek" and new_secret != secret
        assert count_rows(target, D.partnerships) == before + 1
        new_access = target.open_partnership(partnership.id, new_secret)
        with pytest.raises(NotAllowed):
            target.open_partnership(partnership.id, secret)
        copy = P.snapshot(target, new_access)
        assert [canonical(w) for w in copy["workshops"]] == [canonical(w) for w in first["workshops"]]
        codes = [w["code"] for w in target.partnership_workshops(new_access)]
        assert set(codes).isdisjoint(w["workshop"]["code"] for w in first["workshops"])
        # the restored workshops are steered through the new partnership link
        assert target.authorize_in_partnership(new_access, codes[-1]).workshop_id == copy["workshops"][-1]["workshop"]["id"]

    fresh = D.Database(f"sqlite:///{tmp_path / 'fresh.db'}")
    try:
        check(Store(fresh))
    finally:
        fresh.dispose()
    check(store)


@pytest.mark.parametrize("case", ["workshop_backup", "wrong_version", "too_many", "bad_workshop", "no_name",
                                  "too_big", "not_json"])
def test_bad_partnership_backups_are_refused_and_write_nothing(store, case, monkeypatch):
    from exports import backup
    from exports import partnership as P

    access, _ = _partnership_of_three(store)
    data = json.loads(P.to_json(P.snapshot(store, access)))
    kwargs = {}
    if case == "workshop_backup":
        data = data["workshops"][0]
    elif case == "wrong_version":
        data["format_version"] = 99
    elif case == "too_many":
        monkeypatch.setattr(P, "MAX_WORKSHOPS", 2)
    elif case == "bad_workshop":
        data["workshops"][1]["participants"][0]["org_type"] = "school"
    elif case == "no_name":
        data["partnership"]["name"] = "  "
    elif case == "too_big":
        kwargs["max_bytes"] = 5_000
    raw = b"{nee" if case == "not_json" else json.dumps(data).encode()
    before = _all_rows(store)
    with pytest.raises(UserError) as info:
        P.restore(store, raw, **kwargs)
    assert info.value.key == "error.import"
    assert_dutch(info.value)
    if case == "bad_workshop":
        assert "workshop 2" in str(info.value)
    assert _all_rows(store) == before
    # and the other way round: a partnership backup is not a workshop backup
    with pytest.raises(UserError):
        backup.restore(store, P.to_json(P.snapshot(store, access)))
    assert _all_rows(store) == before


def test_failing_partnership_restore_leaves_nothing_half_written(store, monkeypatch):
    import workshop.bulk as bulk
    from exports import partnership as P

    access, _ = _partnership_of_three(store)
    raw = P.to_json(P.snapshot(store, access))
    real, calls = bulk._write_rows, []

    def failing(writer, wid, data):
        calls.append(wid)
        if len(calls) == 3:  # the partnership and two workshops are written by now
            raise RuntimeError("disk full")
        return real(writer, wid, data)

    monkeypatch.setattr(bulk, "_write_rows", failing)
    before = _all_rows(store)
    with pytest.raises(RuntimeError):
        P.restore(store, raw)
    assert _all_rows(store) == before


def test_retention_removes_old_partnerships_once_they_are_empty(workshop_factory, store):
    from sqlalchemy import update

    old_access, _ = member(store, "Oud en leeg")
    kept_access, _ = member(store, "Oud met een nieuwe workshop")
    new_access, _ = member(store, "Nieuw")
    old_ws = workshop_factory(("followup",), member_of=old_access)
    workshop_factory(("followup",), member_of=kept_access)
    long_ago = now() - timedelta(days=400)
    with store.db.writing() as conn:
        conn.execute(update(D.partnerships).where(D.partnerships.c.id.in_(
            [old_access.partnership_id, kept_access.partnership_id])).values(created_at=long_ago))
        conn.execute(update(D.workshops).where(D.workshops.c.id == old_ws.ws.id).values(created_at=long_ago))
    assert store.purge_older_than(365) == 1
    with store.db.reading() as conn:
        names = set(conn.execute(select(D.partnerships.c.name)).scalars())
    assert names == {"Oud met een nieuwe workshop", "Nieuw"}
    with pytest.raises(NotAllowed):
        store.partnership(old_access.partnership_id)
