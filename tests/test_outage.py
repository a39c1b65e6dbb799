"""The database is briefly unreachable (PostgreSQL stopped for a few seconds).

The participant gets a clear Dutch message and keeps what they typed; a retry
stores the note exactly once; the screen recovers by itself. This test runs its
own PostgreSQL cluster, because it stops and starts the server.
"""

from __future__ import annotations

import os
from datetime import date

import pytest

from apptest import open_page, page_text
from bench.pgcluster import PgCluster
from messages import t
from workshop import db as D
from workshop import store as S

pytestmark = pytest.mark.postgresql


@pytest.fixture
def own_pg(setting, pg_url):  # pg_url: fail loudly, like every PostgreSQL test, if PG is missing
    cluster = PgCluster(max_connections=60).start()
    setting("SAMENSPRAAK_DATABASE_URL", cluster.url)
    D.reset_instances()
    S._stores.clear()
    try:
        yield cluster
    finally:
        D.reset_instances()
        S._stores.clear()
        cluster.stop()


def _server(cluster: PgCluster, action: str) -> None:
    data = os.path.join(cluster.dir, "data")
    if action == "stop":
        cluster._run(f"{cluster.bin}/pg_ctl", "-D", data, "-m", "fast", "-w", "stop")
    else:
        opts = f"-p {cluster.port} -h 127.0.0.1 -k {cluster.dir} -c max_connections=60"
        cluster._run(f"{cluster.bin}/pg_ctl", "-D", data, "-l", os.path.join(cluster.dir, "server.log"),
                     "-o", opts, "-w", "-t", "60", "start")


def _notes(store, ws):
    return [n["text"] for n in store.contributions(store.steps(ws.id)[0].id)]


def test_outage_keeps_typed_text_and_retry_stores_once(own_pg):
    store = S.get_store()
    ws, _secret = store.create_workshop(title="Storing", partnership="Regio", day=date(2026, 11, 26),
                                        facilitator="", werkvormen=["brainstorm"])
    phone = open_page("join", room=ws.code)
    phone.text_input(key="join-name").input("Ilse")
    phone.selectbox(key="join-org").select("po")
    phone.button[0].click().run()
    screen = open_page("screen", room=ws.code)
    assert ws.code in page_text(screen) and 'class="ss-screen ss-lobby"' in page_text(screen)  # not started yet

    _server(own_pg, "stop")
    phone.text_area[0].input("Geschreven tijdens de storing")
    phone.button[0].click().run()
    assert not phone.exception
    shown = page_text(phone)
    assert t("error.db_unavailable") in shown
    screen.run()
    assert not screen.exception
    assert t("screen.offline") in page_text(screen)

    _server(own_pg, "start")
    phone.run()  # the page's recovery fragment reruns it once the database answers
    assert not phone.exception
    assert phone.text_area[0].value == "Geschreven tijdens de storing"  # nothing typed was lost
    phone.button[0].click().run()
    assert phone.success[0].value == t("participant.sent")
    phone.text_area[0].input("Geschreven tijdens de storing")  # the same form resent
    phone.button[0].click().run()
    assert _notes(store, ws) == ["Geschreven tijdens de storing"]

    screen.run()
    assert "Geschreven tijdens de storing" in page_text(screen)
    assert t("screen.offline") not in page_text(screen)
