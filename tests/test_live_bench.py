"""The live benchmark's protocol client against a real server, and the TCP_NODELAY fix.

One participant joins through the real join form over Streamlit's websocket
protocol (bench/stclient.py), sends a note through the real brainstorm form,
and the note is in the database; the projected screen shows it. This is the
path bench/live.py drives with hundreds of clients.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from stclient import FINISHED_FULL, StreamlitClient, form_submit_button, selectbox_state, text_state  # noqa: E402

from messages import ORG_TYPES, t  # noqa: E402
from ui.streamlit_internals import _set_nodelay  # noqa: E402
from workshop import get_store  # noqa: E402


def test_serve_sets_nodelay_on_sockets_with_proto_zero():
    # Streamlit binds with socket.socket(family): proto 0, which asyncio's own check skips.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        assert sock.proto == 0
        _set_nodelay(sock)
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    port = _free_port()
    url = f"sqlite:///{tmp_path}/live.db"
    env = {**os.environ, "SAMENSPRAAK_DATABASE_URL": url}
    proc = subprocess.Popen([sys.executable, str(ROOT / "serve.py"), "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.headless", "true"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError("server did not start")
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}", url
    finally:
        proc.terminate()
        proc.wait(15)


@pytest.mark.slow
def test_join_and_note_over_the_websocket_protocol(server):
    base, db_url = server
    store = get_store(db_url)
    ws, _secret = store.create_workshop(title="Protocol", partnership="Regio", day=date.today(),
                                        facilitator="T", werkvormen=["brainstorm"])
    step = store.steps(ws.id)[0]

    async def scenario() -> tuple[str, list[str], list[str]]:
        phone = StreamlitClient(base, "", {"room": ws.code})
        await phone.connect()
        first = phone.wait_run(lambda r: r.status == FINISHED_FULL, 60)
        await phone.rerun()
        run = await first
        name, org = run.widget("text_input", "join-name"), run.widget("selectbox", "join-org")
        joined = phone.wait_run(lambda r: r.status == FINISHED_FULL and bool(r.widgets("text_area")), 60)
        await phone.submit_form(form_submit_button(run, name.form_id),
                                {name.id: text_state(name, "Anna"), org.id: selectbox_state(org, ORG_TYPES["mbo"])})
        run = await joined
        area = run.widgets("text_area")[0]
        button = form_submit_button(run, area.form_id)
        acked = phone.wait_run(lambda r: bool(r.alerts()), 60)
        await phone.submit_form(button, {area.id: text_state(area, "Meer stageplekken")},
                                fragment_id=run.fragment_of(button.id))
        alerts = (await acked).alerts()

        screen = StreamlitClient(base, "scherm", {"room": ws.code})
        await screen.connect()
        shown = screen.wait_run(lambda r: r.status == FINISHED_FULL, 60)
        await screen.rerun()
        bodies = (await shown).html_bodies()
        fragment = next(iter(screen.auto_reruns))
        ticked = screen.wait_run(lambda r: r.is_fragment, 60)
        await screen.rerun(fragment_id=fragment, auto=True)
        tick_bodies = (await ticked).html_bodies()
        await phone.close()
        await screen.close()
        return phone.query_string, alerts, bodies + tick_bodies

    query, alerts, bodies = asyncio.run(scenario())
    assert "p=" in query  # st.query_params reached the client as page_info_changed
    assert alerts == [t("participant.sent")]
    assert [n["text"] for n in store.contributions(step.id)] == ["Meer stageplekken"]
    assert any("Meer stageplekken" in body for body in bodies)


@pytest.mark.slow
def test_the_screen_gets_a_note_without_asking(server):
    """The headless screen opens /scherm and never sends another rerun (its run_every timer is
    not ticked); a note stored afterwards still arrives in a run the server started (ui/push.py),
    and it reruns only the screen's live fragment."""
    base, db_url = server
    store = get_store(db_url)
    ws, _secret = store.create_workshop(title="Push", partnership="Regio", day=date.today(),
                                        facilitator="T", werkvormen=["brainstorm"])
    step = store.steps(ws.id)[0]
    who = store.join(ws.code, name="Anna", org_type="mbo")
    section, field = step.werkvorm.sections[0].key, step.werkvorm.fields[0].key

    async def scenario():
        screen = StreamlitClient(base, "scherm", {"room": ws.code})
        seen: list[float] = []
        screen.on_element = lambda _c, kind, el, at: (
            seen.append(at) if kind == "html" and "Gedeelde stageplek" in el.html.body else None)
        await screen.connect()
        shown = screen.wait_run(lambda r: r.status == FINISHED_FULL, 60)
        await screen.rerun()
        await shown
        pushed = screen.wait_run(lambda r: any("Gedeelde stageplek" in b for b in r.html_bodies()), 20)
        began = time.perf_counter()
        await asyncio.to_thread(store.add_note, who, step.id, section=section, field=field,
                                text="Gedeelde stageplek", idem_key="push-1")
        run = await pushed
        await screen.close()
        return run, seen[0] - began

    run, delay = asyncio.run(scenario())
    assert run.is_fragment, "only the live fragment reran"
    assert delay < 5.0, f"the note came after {delay:.2f} s"
