#!/usr/bin/env python
"""What the facilitator page costs on the wire: bytes per minute over its websocket.

A real Chromium (Debian's /usr/bin/chromium through Playwright) opens the facilitator page
(``/begeleider?room=CODE&key=SECRET``) at 1920x1080 against a fresh app process (``serve.py``)
and a fresh SQLite database. Chrome's DevTools protocol reports every websocket frame the page
receives (``Network.webSocketFrameReceived``); the bench counts the bytes of the page's own
websocket (the first one the page opens; the screen preview in an iframe has its own, counted
apart and printed as ``preview``).

* quiet: a brainstorm with 7 notes and 8 participants, nobody does anything;
* busy:  three phones post a note each every ~2 s through the Store API (about 90 notes a
         minute), and one of them taps "klaar" now and then; measured from 10 s after they
         started, so both figures are for a room that is busy, not one that is getting busy.

The same measurement runs on a baseline checkout (``--baseline-ref``, default ``main``, unpacked
with ``git archive`` into a temporary folder), so the figures before and after a change come from
one run on one machine. Run from the project root (under 3 minutes with the baseline)::

    .venv/bin/python bench/cockpit.py
    .venv/bin/python bench/cockpit.py --seconds 20 --no-baseline

The last line::

    cockpit bytes_per_min_quiet=Q bytes_per_min_busy=B baseline_quiet=BQ baseline_busy=BB ratio_quiet=RQ ratio_busy=RB
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
PYTHON = sys.executable

#: Runs inside the measured checkout (its own code and schema): make the workshop, print the links.
SEED = r"""
import json, sys
from datetime import date
from workshop import db as D, new_key
from workshop.store import Store
store = Store(D.Database(sys.argv[1]))
ws, secret = store.create_workshop(title="Werksessie techniek", partnership="Regio Twente", day=date(2026, 3, 12),
                                   facilitator="Fatima", werkvormen=["brainstorm", "canvas", "followup"])
step = store.steps(ws.id)[0]
people = [store.join(ws.code, name=f"Deelnemer {i}", org_type="mbo") for i in range(8)]
for i, text in enumerate(["Meer stageplekken bij bedrijven", "Docenten bijscholen", "Open dag samen",
                          "Gastlessen uit de regio", "Een gedeeld loket", "Minder administratie",
                          "Vaker op bezoek bij elkaar"]):
    store.add_note(people[i], step.id, section="ideeen", field="note", text=text, idem_key=new_key())
print(json.dumps({"code": ws.code, "secret": secret}))
"""

#: Runs inside the measured checkout: three phones that post notes until killed.
PHONES = r"""
import sys, time
from workshop import db as D, new_key
from workshop.store import Store
store = Store(D.Database(sys.argv[1]))
ws = store.workshop_by_code(sys.argv[2])
step = store.steps(ws.id)[0]
people = [store.join(ws.code, name=f"Telefoon {i}", org_type="hbo") for i in range(3)]
n = 0
while True:
    for who in people:
        n += 1
        store.add_note(who, step.id, section="ideeen", field="note", text=f"Idee nummer {n} van {who.name}",
                       idem_key=new_key())
        if n % 7 == 0:
            store.set_ready(who, step.position if n % 14 else None)
        time.sleep(0.66)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Wire:
    """Bytes received per websocket of one page, in order of creation."""
    sockets: list[str] = field(default_factory=list)
    received: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def created(self, event: dict) -> None:
        with self.lock:
            self.sockets.append(event["requestId"])
            self.received.setdefault(event["requestId"], 0)

    def frame(self, event: dict) -> None:
        response = event["response"]
        data = response.get("payloadData", "")
        size = len(base64.b64decode(data)) if response.get("opcode") == 2 else len(data.encode("utf-8"))
        with self.lock:
            self.received[event["requestId"]] = self.received.get(event["requestId"], 0) + size

    def snapshot(self) -> tuple[int, int]:
        """(bytes of the page's own websocket, bytes of all others: the preview)."""
        with self.lock:
            if not self.sockets:
                return 0, 0
            own = self.received.get(self.sockets[0], 0)
            return own, sum(self.received.values()) - own


def start_server(app_dir: Path, db_url: str, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = dict(os.environ, SAMENSPRAAK_DATABASE_URL=db_url, STREAMLIT_SERVER_HEADLESS="true",
               STREAMLIT_BROWSER_GATHER_USAGE_STATS="false", PYTHONUNBUFFERED="1")
    env.pop("SAMENSPRAAK_PUBLIC_URL", None)
    proc = subprocess.Popen([PYTHON, "serve.py", "--server.port", str(port), "--server.address", "127.0.0.1"],
                            cwd=app_dir, env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.read().strip() == b"ok":
                    return proc, url
        except OSError:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.2)
    stop(proc)
    raise RuntimeError(f"app in {app_dir} did not start:\n{log.read_text()[-3000:]}")


def stop(proc: subprocess.Popen | None) -> None:
    if proc is not None and proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def measure(browser, app_dir: Path, seconds: float, label: str) -> dict[str, float]:
    """Quiet and busy bytes per minute of the facilitator page served from ``app_dir``."""
    work = Path(tempfile.mkdtemp(prefix=f"bench-cockpit-{label}-"))
    db_url = f"sqlite:///{work / 'bench.db'}"
    proc = phones = None
    try:
        env = dict(os.environ, PYTHONPATH=str(app_dir))
        links = json.loads(subprocess.run([PYTHON, "-c", SEED, db_url], cwd=app_dir, env=env, check=True,
                                          capture_output=True, text=True).stdout.strip().splitlines()[-1])
        proc, url = start_server(app_dir, db_url, work / "server.log")
        context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="nl-NL")
        page = context.new_page()
        wire = Wire()
        cdp = context.new_cdp_session(page)
        cdp.on("Network.webSocketCreated", wire.created)
        cdp.on("Network.webSocketFrameReceived", wire.frame)
        cdp.send("Network.enable")
        page.goto(f"{url}/begeleider?room={links['code']}&key={links['secret']}", wait_until="commit")
        page.get_by_role("button", name="Volgende stap").first.wait_for(timeout=60_000)
        page.wait_for_timeout(6000)  # first draw, the preview's first draw, fonts: not part of the figures
        out: dict[str, float] = {}
        own0, other0 = wire.snapshot()
        page.wait_for_timeout(seconds * 1000)  # (Playwright hands over CDP events only while it waits)
        own1, other1 = wire.snapshot()
        out["quiet"] = (own1 - own0) * 60 / seconds
        out["preview_quiet"] = (other1 - other0) * 60 / seconds
        phones = subprocess.Popen([PYTHON, "-c", PHONES, db_url, links["code"]], cwd=app_dir, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        page.wait_for_timeout(10_000)  # the room gets busy: measured once it is
        own0, other0 = wire.snapshot()
        page.wait_for_timeout(seconds * 1000)  # (Playwright hands over CDP events only while it waits)
        own1, other1 = wire.snapshot()
        out["busy"] = (own1 - own0) * 60 / seconds
        out["preview_busy"] = (other1 - other0) * 60 / seconds
        context.close()
        return out
    finally:
        stop(phones)
        stop(proc)
        shutil.rmtree(work, ignore_errors=True)


def checkout(ref: str) -> Path:
    """``ref`` of this repository unpacked into a temporary folder (no git state is touched)."""
    folder = Path(tempfile.mkdtemp(prefix="bench-cockpit-base-"))
    archive = subprocess.run(["git", "archive", ref], cwd=ROOT, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=25.0, help="length of each measuring window")
    parser.add_argument("--baseline-ref", default="main", help="git ref measured as the baseline")
    parser.add_argument("--no-baseline", action="store_true", help="measure this checkout only")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    base_dir = None if args.no_baseline else checkout(args.baseline_ref)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                         args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
            try:
                now = measure(browser, ROOT, args.seconds, "now")
                print(f"this checkout: quiet {now['quiet']:,.0f} B/min, busy {now['busy']:,.0f} B/min "
                      f"(screen preview iframe: quiet {now['preview_quiet']:,.0f}, busy {now['preview_busy']:,.0f})",
                      flush=True)
                base = None
                if base_dir is not None:
                    base = measure(browser, base_dir, args.seconds, "base")
                    print(f"baseline {args.baseline_ref}: quiet {base['quiet']:,.0f} B/min, "
                          f"busy {base['busy']:,.0f} B/min", flush=True)
            finally:
                browser.close()
    finally:
        if base_dir is not None:
            shutil.rmtree(base_dir, ignore_errors=True)
    line = f"cockpit bytes_per_min_quiet={now['quiet']:.0f} bytes_per_min_busy={now['busy']:.0f}"
    if base is not None:
        line += (f" baseline_quiet={base['quiet']:.0f} baseline_busy={base['busy']:.0f}"
                 f" ratio_quiet={base['quiet'] / max(now['quiet'], 1):.1f}"
                 f" ratio_busy={base['busy'] / max(now['busy'], 1):.1f}")
    print(line)


if __name__ == "__main__":
    main()
