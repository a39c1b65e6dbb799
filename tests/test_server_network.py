"""What the server says to the network: nothing to the outside, and its metrics only at home.

The servers here start as users start them, with ``server.address`` not set (that is what
makes Streamlit look up the machine's public address), both through ./run.sh's launcher
and as a bare ``streamlit run app.py``. tests/netguard/sitecustomize.py runs inside each
server process: it records and refuses every connection or name lookup aimed at another
machine, and keeps the wildcard bind on loopback so the test machine stays closed.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import websockets

ROOT = Path(__file__).resolve().parent.parent
NETGUARD = Path(__file__).resolve().parent / "netguard"
sys.path.insert(0, str(ROOT / "bench"))

from stclient import FINISHED_FULL, StreamlitClient  # noqa: E402

from messages import t  # noqa: E402
from ui.streamlit_internals import is_loopback  # noqa: E402

LAUNCHERS = {
    "serve": [sys.executable, "serve.py"],  # ./run.sh
    # `streamlit run app.py`, with the virtualenv's own `streamlit` command
    "bare": [str(Path(sys.executable).with_name("streamlit")), "run", "app.py"],
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _guard_env(tmp_path: Path, log: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
    env.update(
        PYTHONPATH=os.pathsep.join([str(NETGUARD), str(ROOT)]),
        SAMENSPRAAK_NETGUARD_LOG=str(log),
        SAMENSPRAAK_DATABASE_URL=f"sqlite:///{tmp_path / 'net.db'}",
        PYTHONUNBUFFERED="1",
    )
    return env


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8", "replace")


class GuardedServer:
    def __init__(self, launcher: str, tmp_path: Path):
        self.port = _free_port()
        self.log = tmp_path / f"netguard-{launcher}.log"
        self.out = tmp_path / f"server-{launcher}.log"
        with open(self.out, "w", encoding="utf-8") as out:
            self.proc = subprocess.Popen(
                [*LAUNCHERS[launcher], "--server.port", str(self.port)],  # no server.address: the default
                cwd=ROOT, env=_guard_env(tmp_path, self.log), stdout=out, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True)
        self.base = self._wait_healthy()

    def _wait_healthy(self, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited {self.proc.returncode}:\n{self.output()}")
            for host in ("127.0.0.1", "[::1]"):  # the wildcard bind became one of these
                try:
                    with urllib.request.urlopen(f"http://{host}:{self.port}/_stcore/health", timeout=2) as r:
                        if r.status == 200:
                            return f"http://{host}:{self.port}"
                except OSError:
                    pass
            time.sleep(0.2)
        raise RuntimeError(f"server not healthy after {timeout} s:\n{self.output()}")

    def output(self) -> str:
        return self.out.read_text(encoding="utf-8", errors="replace")

    def guard_lines(self) -> list[str]:
        return self.log.read_text(encoding="utf-8").splitlines() if self.log.exists() else []

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)


@pytest.fixture
def guarded(tmp_path):
    servers: list[GuardedServer] = []

    def start(launcher: str) -> GuardedServer:
        server = GuardedServer(launcher, tmp_path)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


LAN = "192.168.1.20"  # the machine's address on the venue's network, as a phone there types it


async def _visit(base: str) -> None:
    """A browser's visit to / (the app's first run), a phone on the local network, and a
    websocket from another site."""
    phone = StreamlitClient(base, "")
    await phone.connect()
    first = phone.wait_run(lambda r: r.status == FINISHED_FULL, 60)
    await phone.rerun()
    await first
    await phone.close()
    host, port = base.rsplit("//", 1)[1].rsplit(":", 1)
    # A phone that opened http://192.168.1.20:PORT sends that as Host and Origin. The request is
    # delivered over loopback here (the server is kept off the network), byte for byte as it
    # would arrive from the Wi-Fi: the server must take it.
    async with websockets.connect(f"ws://{LAN}:{port}/_stcore/stream", host=host.strip("[]"), port=int(port),
                                  origin=f"http://{LAN}:{port}", subprotocols=["streamlit"], proxy=None,
                                  open_timeout=30) as lan_phone:
        assert lan_phone.subprotocol == "streamlit"
    ws_url = base.replace("http://", "ws://") + "/_stcore/stream"
    # Another site's page may not open a session; Streamlit judges its origin (that check
    # used to look up the machine's addresses, inside and out).
    with pytest.raises(websockets.InvalidStatus):
        async with websockets.connect(ws_url, origin="http://elders.example", subprotocols=["streamlit"],
                                      proxy=None, open_timeout=30):
            pass


def test_the_guard_catches_streamlits_address_lookup(tmp_path):
    """The control: Streamlit's own public-address lookup, unpatched, is caught and refused."""
    log = tmp_path / "control.log"
    code = "from streamlit import net_util; print(net_util.get_external_ip())"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_guard_env(tmp_path, log),
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "None"  # refused: nothing left the machine
    assert any("OUTSIDE" in line and "checkip.amazonaws.com" in line for line in log.read_text().splitlines())


@pytest.mark.parametrize("launcher", sorted(LAUNCHERS))
def test_no_outside_calls_from_a_default_server(guarded, launcher):
    server = guarded(launcher)
    asyncio.run(_visit(server.base))
    # after the first run the bare path has its fixes too: metrics stay at home
    status, _ = _get(f"{server.base}/_stcore/metrics", {"X-Forwarded-For": "192.0.2.7"})
    server.stop()
    lines = server.guard_lines()
    assert any(line.startswith("LOADED") for line in lines), "the guard did not run in the server"
    assert any(line.startswith("WILDCARD-BIND") for line in lines), \
        f"the server did not ask for every interface, so this is not the default set-up:\n{lines}"
    outside = [line for line in lines if line.startswith("OUTSIDE")]
    assert outside == [], f"the server tried to reach other machines:\n{outside}\n{server.output()[-2000:]}"
    assert status == 403


# --------------------------------------------------------------------------- /_stcore/metrics
def test_loopback_is_this_machine_only():
    for host in ("127.0.0.1", "127.0.0.2", "::1", "[::1]", "::ffff:127.0.0.1"):
        assert is_loopback(host), host
    for host in ("192.168.1.20", "10.0.0.1", "::ffff:192.0.2.7", "2001:db8::1", "0.0.0.0", "", None,
                 "localhost", "testclient"):
        assert not is_loopback(host), host


def test_metrics_only_from_this_machine(guarded):
    """From this machine the metrics answer; a visitor that a proxy on this machine passes on
    (X-Forwarded-For, what nginx in deploy/ sends) is refused, also when it claims to be local."""
    server = guarded("serve")
    url = f"{server.base}/_stcore/metrics"
    status, body = _get(url)
    assert status == 200 and "active_sessions" in body, body[:500]
    for forwarded in ("192.0.2.7", "127.0.0.1, 192.0.2.7", "2001:db8::5"):
        for path in (url, url + "/", f"{server.base}/_stcore/metrics?families=active_sessions"):
            status, body = _get(path, {"X-Forwarded-For": forwarded})
            assert (status, body) == (403, t("server.metrics_forbidden")), (path, forwarded)
    # the health check stays open to everyone (the proxy and monitoring use it)
    assert _get(f"{server.base}/_stcore/health", {"X-Forwarded-For": "192.0.2.7"})[0] == 200
