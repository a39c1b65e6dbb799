#!/usr/bin/env python
"""Live-scale benchmark: hundreds of headless phones against the real app.

Every participant is a websocket client that speaks Streamlit's own protocol
(``bench/stclient.py``): it opens ``/?room=CODE``, fills the real join form
(``join-name``, ``join-org``, the submit button), receives its ``p=TOKEN`` from
the server's ``page_info_changed``, sends one note through the real brainstorm
form and waits until the run that shows "Verstuurd..." has finished. It stays
connected. A headless screen opens ``/scherm?room=CODE``, ticks the projection
fragment like the browser's ``run_every`` timer and takes the server's pushes; it
records when each note's element first arrives.

Scenarios (a fresh server process and database for each):

* ``base-N``   the bare-Streamlit baseline (bench/baseline_app.py), N clients
               open the page and submit within the window;
* ``quiet-N``  Samenspraak, N participants join, then all submit within 5 s;
* ``live-N``   the same as in real use: the screen is open, and every phone keeps
               its page open: it runs its own slow fallback check (``_follow``) and
               takes the server's pushes. First the idle CPU with everyone connected,
               then the burst; each note's visibility is measured from its send to its
               first appearance on the screen. After the submits the facilitator locks
               the step, and the bench measures how long until every phone shows that
               (the push, ui/push.py);
* ``neighbour-N`` ``live-N`` while a CPU hog (another process, pinned to one core,
               ending by itself after ``--hog-seconds``) runs during the burst; the
               bare app runs under the same hog as ``base-neighbour-N``;
* ``pg-1`` / ``pg-2``  closed-loop submit throughput, one or two app processes
               on one throwaway PostgreSQL cluster; they alternate ``--pg-rounds``
               times and the gain compares the median throughputs. On two cores the
               benchmark's own clients and PostgreSQL share the machine with the app.

Run from the project root::

    .venv/bin/python bench/live.py                    # everything (about 20 minutes)
    .venv/bin/python bench/live.py --sizes 200 --skip-pg --neighbour ""
    .venv/bin/python bench/live.py --sizes 400 --skip-pg --skip-quiet --neighbour ""
    .venv/bin/python bench/live.py --sizes "" --skip-pg --neighbour 200
    .venv/bin/python bench/live.py --st-flag runner.postScriptGC=true   # A/B a server setting

The summary ends the output, one line per ``live-N`` and per ``neighbour-N``::

    live participants=400 lost=0 submit_p95_s=S visible_p95_s=V join_p95_s=J idle_cpu_pct=I baseline_ratio=R ...
    live participants=200 neighbour=1 lost=0 submit_p95_s=S visible_p95_s=V ...
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
os.environ.setdefault("SAMENSPRAAK_MAX_PARTICIPANTS", "1000")  # the 400 scenario; read at import

from streamlit.proto.Alert_pb2 import Alert  # noqa: E402

import procstat  # noqa: E402
from watch import metrics as read_metrics  # noqa: E402
from stclient import (FINISHED_EARLY, FINISHED_FRAGMENT, FINISHED_FULL, StreamlitClient, form_submit_button,  # noqa: E402
                      selectbox_state, text_state)

from messages import ORG_TYPES, t  # noqa: E402

SENT = t("participant.sent")
BASELINE_SENT = "Verstuurd."
MARKER = re.compile(r"idee (\w+) nr (\d+)")
WORDS = ("meer stageplekken in de zorg", "samen opleiden met het mbo", "zij-instromers beter begeleiden",
         "een gedeeld loket voor werkgevers", "minder administratie voor praktijkopleiders",
         "de regio in kaart brengen", "vaker bij elkaar op bezoek")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pct(values: list[float], p: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def fmt(value, digits: int = 2) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def stop_process(proc: subprocess.Popen | None, grace: float) -> None:
    """Terminate ``proc`` (one the benchmark started), killing it after ``grace`` seconds."""
    if proc and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


# --------------------------------------------------------------------------- servers
class Server:
    """One ``streamlit run`` process on a free port, started from the project root so that
    .streamlit/config.toml applies to Samenspraak and the baseline alike."""

    def __init__(self, script: str, env: dict[str, str], flags: list[str], logdir: Path, name: str,
                 launcher: str = "serve"):
        self.script = script
        self.launcher = launcher
        self.port = free_port()
        self.env = {**os.environ, **env}
        self.flags = flags
        self.log = logdir / f"{name}.log"
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "Server":
        if self.launcher == "serve":  # serve.py: streamlit run with TCP_NODELAY (production)
            head = [sys.executable, str(ROOT / "serve.py"), "run"]
        else:  # plain `streamlit run`
            head = [sys.executable, "-m", "streamlit", "run"]
        cmd = [*head, self.script, "--server.port", str(self.port),
               "--server.address", "127.0.0.1", "--server.headless", "true"]
        for flag in self.flags:
            key, _, value = flag.partition("=")
            cmd += [f"--{key}", value]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=self.env, stdout=open(self.log, "w"),
                                     stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited; see {self.log}:\n{self.log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as resp:
                    if resp.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"server did not become healthy; see {self.log}")

    @property
    def pid(self) -> int:
        return self.proc.pid

    def metrics(self) -> dict[str, float]:
        """The figures /_stcore/metrics serves (OpenMetrics text)."""
        return read_metrics(self.url)

    def profile(self, out: Path, rate: int = 250) -> None:
        """Sample this server with py-spy (collapsed stacks) until stop()."""
        exe = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or shutil.which("py-spy")
        if not exe:
            raise RuntimeError("--profile needs py-spy: .venv/bin/pip install -r requirements-dev.txt")
        self._spy = subprocess.Popen([exe, "record", "-p", str(self.pid), "-o", str(out), "--format", "raw",
                                      "--rate", str(rate), "--nonblocking", "--threads"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop_profile(self) -> None:
        spy = getattr(self, "_spy", None)
        if spy and spy.poll() is None:
            spy.send_signal(2)
            try:
                spy.wait(30)
            except subprocess.TimeoutExpired:
                spy.kill()

    def stop(self) -> None:
        self.stop_profile()
        stop_process(self.proc, 15)


# --------------------------------------------------------------------------- people
@dataclass
class Person:
    idx: int
    server: str
    client: StreamlitClient | None = None
    open_s: float | None = None
    join_s: float | None = None
    marker: str = ""
    sent_at: float | None = None
    ack_s: float | None = None
    acked_at: float | None = None
    error: str | None = None
    acks: list[float] = field(default_factory=list)  # closed loop: ack times


def note_text(tag: str, i: int, rnd: random.Random) -> str:
    return f"idee {tag} nr {i}: {rnd.choice(WORDS)}, {rnd.choice(WORDS)}"


def _is_ack(run, sent: str) -> bool:
    """The run that a submit caused has finished and shows its outcome (a full run, or only the
    form's fragment when the form lives in one).

    A run whose ``script_finished`` the server rewrote to FINISHED_EARLY_FOR_RERUN counts too
    when its elements arrived: that happens when the next run (a phone's ``_follow`` tick)
    starts before the finish message left the queue. The browser keeps and shows those
    elements (``handleScriptFinished`` only skips its stale-element clean-up for that status).
    """
    if run.status not in (FINISHED_FULL, FINISHED_FRAGMENT, FINISHED_EARLY):
        return False
    for _p, kind, el, _f in run.elements:
        if kind == "alert" and (el.alert.body.startswith(sent) or el.alert.format == Alert.ERROR):
            return True
    return False


def _ack_error(run, sent: str) -> str | None:
    for body in run.alerts():
        if body.startswith(sent):
            return None
    return "; ".join(run.alerts()) or "no acknowledgement"


async def open_page(p: Person, page: str, query: dict[str, str], timeout: float) -> None:
    p.client = StreamlitClient(p.server, page, query)
    t0 = time.perf_counter()
    await p.client.connect()
    fut = p.client.wait_run(lambda r: r.status == FINISHED_FULL, timeout)
    await p.client.rerun()
    run = await fut
    p.open_s = time.perf_counter() - t0
    if run.exception:
        raise RuntimeError(f"page raised: {run.exception}")


async def join(p: Person, code: str, rnd: random.Random, timeout: float) -> None:
    """Open the join page, fill the real join form, wait for the participant page."""
    await open_page(p, "", {"room": code}, timeout)
    run = p.client.last_full_run
    name = run.widget("text_input", "join-name")
    org = run.widget("selectbox", "join-org")
    if name is None or org is None:
        raise RuntimeError("join form not found")
    button = form_submit_button(run, name.form_id)
    values = {name.id: text_state(name, f"Deelnemer {p.idx + 1}"),
              org.id: selectbox_state(org, rnd.choice(list(ORG_TYPES.values())))}
    fut = p.client.wait_run(lambda r: r.status == FINISHED_FULL and (r.widgets("text_area") or r.alerts()), timeout)
    t0 = time.perf_counter()
    await p.client.submit_form(button, values)
    run = await fut
    if not run.widgets("text_area"):
        raise RuntimeError("join failed: " + "; ".join(run.alerts()))
    if "p=" not in p.client.query_string:
        raise RuntimeError("no participant token in the query string")
    p.join_s = time.perf_counter() - t0


async def submit(p: Person, text: str, sent: str, timeout: float) -> float:
    """Send one note through the form on the page; return the acknowledgement latency."""
    run = p.client.last_full_run
    areas = run.widgets("text_area")
    if not areas:
        raise RuntimeError("note form not found")
    area = areas[0]
    button = form_submit_button(run, area.form_id)
    fut = p.client.wait_run(lambda r: _is_ack(r, sent), timeout)
    t0 = time.perf_counter()
    p.sent_at = t0
    await p.client.submit_form(button, {area.id: text_state(area, text)}, fragment_id=run.fragment_of(button.id))
    run = await fut
    err = _ack_error(run, sent)
    if err:
        raise RuntimeError(err)
    p.acked_at = time.perf_counter()
    return p.acked_at - t0


class ScreenWatch:
    """The projected screen: records when each note marker first appears, that is when the
    element that carries it arrives (the browser draws an element as it arrives, before
    the run has finished)."""

    def __init__(self, server: str, code: str):
        self.client = StreamlitClient(server, "scherm", {"room": code}, keep_runs=2)
        self.seen: dict[str, float] = {}
        self.run_ms: list[float] = []
        self.runs = 0
        self.client.on_run_finished = self._on_run
        self.client.on_element = self._on_element

    def _on_run(self, _client, run) -> None:
        self.runs += 1
        if run.finished and run.started:
            self.run_ms.append((run.finished - run.started) * 1000)

    def _on_element(self, _client, kind: str, el, at: float) -> None:
        if kind == "html":
            for m in MARKER.finditer(el.html.body):
                self.seen.setdefault(m.group(0), at)

    async def start(self, timeout: float) -> None:
        await self.client.connect()
        fut = self.client.wait_run(lambda r: r.status == FINISHED_FULL, timeout)
        await self.client.rerun()
        await fut
        self.client.start_auto_reruns()


class CpuHog:
    """A noisy neighbour: another process that keeps one core busy (pinned to the last core,
    so the machine's other cores stay free for the app). It ends by itself after ``limit``
    seconds, whatever happens to the benchmark, and ``stop`` ends it sooner."""

    CODE = ("import os, sys, time\n"
            "end = time.monotonic() + float(sys.argv[2])\n"
            "try:\n    os.sched_setaffinity(0, {int(sys.argv[1])})\n"
            "except (AttributeError, OSError):\n    pass\n"
            "while time.monotonic() < end:\n    pass\n")

    def __init__(self, limit: float):
        self.limit = limit
        self.proc: subprocess.Popen | None = None

    def start(self) -> "CpuHog":
        core = (os.cpu_count() or 1) - 1
        self.proc = subprocess.Popen([sys.executable, "-c", self.CODE, str(core), str(self.limit)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return self

    def cpu_seconds(self) -> float:
        return procstat.cpu_seconds(self.proc.pid) if self.proc and self.proc.poll() is None else 0.0

    def stop(self) -> None:
        stop_process(self.proc, 5)


# --------------------------------------------------------------------------- scenarios
@dataclass
class Result:
    name: str
    participants: int
    kind: str
    joined: int = 0
    join_errors: int = 0
    open_p95: float | None = None
    join_p95: float | None = None
    submitted: int = 0
    acked: int = 0
    submit_p50: float | None = None
    submit_p95: float | None = None
    submit_max: float | None = None
    last_submit_to_last_ack: float | None = None
    visible_all_s: float | None = None
    visible_p50: float | None = None
    visible_p95: float | None = None
    visible_max: float | None = None
    screen_runs: int | None = None
    neighbour: bool = False
    hog_cpu_pct: float | None = None
    follow_p95: float | None = None
    follow_all_s: float | None = None
    screen_run_ms_p50: float | None = None
    in_db: int = 0
    lost: int | None = None
    duplicates: int = 0
    cpu_ms_per_submit: float | None = None
    cpu_ms_per_submit_raw: float | None = None
    background_cpu_pct: float | None = None
    peak_rss_mb: float | None = None
    peak_threads: int | None = None
    bench_cpu_pct: float | None = None
    throughput_per_s: float | None = None
    db_cpu_ms_per_submit: float | None = None
    machine_busy_pct: float | None = None  # all cores = 100 %
    other_load_pct: float | None = None
    metrics: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)


class Bench:
    def __init__(self, args):
        self.args = args
        self.tmp = Path(tempfile.mkdtemp(prefix="samenspraak-bench."))
        self.rnd = random.Random(args.seed)
        self.results: list[Result] = []

    def log(self, *parts) -> None:
        print(*parts, file=sys.stderr, flush=True)

    # -- helpers -------------------------------------------------------------------------
    def ours(self, db_url: str, name: str) -> Server:
        env = {"SAMENSPRAAK_DATABASE_URL": db_url, "SAMENSPRAAK_MAX_PARTICIPANTS": "1000",
               "SAMENSPRAAK_MAX_NOTES_PER_STEP": "30"}
        env.update(kv.split("=", 1) for kv in self.args.app_env)
        return Server("app.py", env, self.args.st_flag, self.tmp, name, self.args.launcher).start()

    def baseline(self, db_path: str, name: str) -> Server:
        return Server("bench/baseline_app.py", {"BASELINE_DB": db_path}, self.args.st_flag, self.tmp, name,
                      self.args.launcher).start()

    @staticmethod
    def store(db_url: str):
        from workshop import get_store
        return get_store(db_url)

    def workshop(self, db_url: str, n: int):
        store = self.store(db_url)
        ws, secret = store.create_workshop(title=f"Bench {n}", partnership="Bench regio", day=date.today(),
                                           facilitator="Bench", werkvormen=["brainstorm"],
                                           max_participants=n + 10)
        self.secret = secret
        return store, ws, store.steps(ws.id)[0]

    async def follow_change(self, store, ws, step, people: list[Person]) -> tuple[float | None, float | None]:
        """The facilitator locks the step: (p95, all) seconds until the phones show it."""
        locked = t("participant.locked")
        phones = [p for p in people if p.client is not None and not p.client.closed.is_set()]
        futs = [p.client.wait_run(lambda r: r.status == FINISHED_FULL
                                  and any(body.startswith(locked) for body in r.alerts()),
                                  self.args.visible_timeout) for p in phones]
        fac = store.authorize(ws.code, self.secret)
        t0 = time.perf_counter()
        await asyncio.to_thread(store.update_step, fac, step.id, locked=True)
        done = await asyncio.gather(*futs, return_exceptions=True)
        times = [run.finished - t0 for run in done if not isinstance(run, BaseException)]
        return pct(times, 95), (max(times) if times and len(times) == len(phones) else None)

    async def warm_up(self, servers: list[Server], db_url: str) -> None:
        """Import everything and run every page once, outside the measurement."""
        _store, ws, _step = self.workshop(db_url, 2)
        for server in servers:
            p = Person(-1, server.url)
            await join(p, ws.code, self.rnd, 120)
            await submit(p, note_text("warmup", 0, self.rnd), SENT, 120)
            screen = ScreenWatch(server.url, ws.code)
            await screen.start(120)
            await asyncio.sleep(1.5)
            await screen.client.close()
            await p.client.close()

    async def join_all(self, people: list[Person], code: str, poll: bool, rate: float | None = None) -> None:
        rate = rate or self.args.join_rate

        async def one(p: Person) -> None:
            await asyncio.sleep(p.idx / rate)
            try:
                await join(p, code, self.rnd, self.args.timeout)
                if poll:
                    p.client.start_auto_reruns()
            except Exception as exc:  # noqa: BLE001 - reported, never hidden
                p.error = f"join: {exc!r}"

        await asyncio.gather(*(one(p) for p in people))

    async def submit_all(self, people: list[Person], tag: str, sent: str) -> tuple[float, float]:
        window = self.args.submit_window
        offsets = [self.rnd.uniform(0, window) for _ in people]
        start = time.perf_counter()

        async def one(p: Person, offset: float) -> None:
            await asyncio.sleep(max(0.0, start + offset - time.perf_counter()))
            p.marker = f"idee {tag} nr {p.idx}"
            try:
                p.ack_s = await submit(p, note_text(tag, p.idx, self.rnd), sent, self.args.timeout)
            except Exception as exc:  # noqa: BLE001
                p.error = f"submit: {exc!r}"

        await asyncio.gather(*(one(p, o) for p, o in zip(people, offsets) if p.client is not None
                               and p.error is None))
        return start, time.perf_counter()

    def summarise_people(self, res: Result, people: list[Person]) -> None:
        res.joined = sum(1 for p in people if p.join_s is not None or (res.kind == "baseline" and p.open_s))
        res.join_errors = sum(1 for p in people if p.error and p.error.startswith("join"))
        res.open_p95 = pct([p.open_s for p in people if p.open_s is not None], 95)
        res.join_p95 = pct([p.join_s for p in people if p.join_s is not None], 95)
        acks = [p.ack_s for p in people if p.ack_s is not None]
        res.submitted = sum(1 for p in people if p.sent_at is not None)
        res.acked = len(acks)
        res.submit_p50, res.submit_p95 = pct(acks, 50), pct(acks, 95)
        res.submit_max = max(acks) if acks else None
        res.errors = sorted({p.error for p in people if p.error})[:5]

    # -- Samenspraak: quiet-N and live-N ------------------------------------------------------
    async def scenario_ours(self, n: int, live: bool, neighbour: bool = False) -> Result:
        name = f"{'neighbour' if neighbour else 'live' if live else 'quiet'}-{n}"
        res = Result(name, n, "live" if live else "quiet", neighbour=neighbour)
        db_url = f"sqlite:///{self.tmp}/{name}.db"
        server = self.ours(db_url, name)
        hog = None
        try:
            await self.warm_up([server], db_url)
            store, ws, step = self.workshop(db_url, n)
            if self.args.profile:
                server.profile(Path(self.args.profile) / f"{name}.txt")
            sampler = procstat.Sampler([server.pid]).start()
            load = procstat.Load([server.pid])
            bench_cpu0, wall0 = procstat.own_cpu_seconds(), time.perf_counter()
            screen = None
            if live:
                screen = ScreenWatch(server.url, ws.code)
                await screen.start(self.args.timeout)
            people = [Person(i, server.url) for i in range(n)]
            await self.join_all(people, ws.code, poll=live)
            await asyncio.sleep(2.0)
            bg_rate = 0.0
            if live:  # what the screen and the polling phones cost with nobody submitting
                c0, t0 = sampler.cpu(), time.perf_counter()
                await asyncio.sleep(self.args.background_window)
                bg_rate = (sampler.cpu() - c0) / (time.perf_counter() - t0)
                res.background_cpu_pct = bg_rate * 100
            hog = self.hog() if neighbour else None
            cpu0 = sampler.cpu()
            start, end = await self.submit_all(people, f"q{n}", SENT)
            cpu1 = sampler.cpu()
            last_ack = max((p.acked_at for p in people if p.acked_at), default=end)
            busy = cpu1 - cpu0
            self.summarise_people(res, people)
            if res.acked:
                res.cpu_ms_per_submit_raw = busy * 1000 / res.acked
                res.cpu_ms_per_submit = (busy - bg_rate * (end - start)) * 1000 / res.acked
            sends = [p.sent_at for p in people if p.sent_at]
            last_send = max(sends) if sends else end
            res.last_submit_to_last_ack = last_ack - last_send
            if screen is not None:
                expected = {p.marker for p in people if p.sent_at}
                deadline = time.perf_counter() + self.args.visible_timeout
                while time.perf_counter() < deadline and not expected <= screen.seen.keys():
                    await asyncio.sleep(0.05)
                if expected <= screen.seen.keys():
                    res.visible_all_s = max(screen.seen[m] for m in expected) - last_send
                # Per note: from its send to its first appearance on the screen.
                delays = [screen.seen[p.marker] - p.sent_at for p in people
                          if p.sent_at and p.marker in screen.seen]
                missing = len(expected) - len(delays)
                if delays:  # a note never seen counts as seen at the deadline: it cannot improve the figure
                    delays += [self.args.visible_timeout] * missing
                    res.visible_p50, res.visible_p95 = pct(delays, 50), pct(delays, 95)
                    res.visible_max = max(delays)
                res.screen_run_ms_p50 = pct(screen.run_ms, 50)
                res.screen_runs = screen.runs
            if hog is not None:
                res.hog_cpu_pct = hog.cpu_seconds() / max(time.perf_counter() - start, 1e-9) * 100
                hog.stop()
            if live:
                res.follow_p95, res.follow_all_s = await self.follow_change(store, ws, step, people)
            res.metrics = server.metrics()
            rows = store.contributions(step.id, include_hidden=True)
            found = [m.group(0) for r in rows for m in [MARKER.search(r["text"])] if m]
            self.check_lost(res, people, found)
            sampler.stop()
            res.peak_rss_mb = sampler.peak_rss[server.pid] / 2**20
            res.peak_threads = sampler.peak_threads[server.pid]
            res.bench_cpu_pct = (procstat.own_cpu_seconds() - bench_cpu0) / (time.perf_counter() - wall0) * 100
            res.other_load_pct = load.other_pct()
            await self.close_all(people, screen)
        finally:
            if neighbour and hog is not None:
                hog.stop()
            server.stop()
        return res

    def hog(self) -> CpuHog:
        """A CPU hog for one burst: started right before the submits, at most --hog-seconds."""
        return CpuHog(self.args.hog_seconds).start()

    @staticmethod
    def check_lost(res: Result, people: list[Person], found: list[str]) -> None:
        sent = {p.marker for p in people if p.sent_at}
        counts: dict[str, int] = {}
        for marker in found:
            counts[marker] = counts.get(marker, 0) + 1
        res.in_db = sum(1 for m in sent if m in counts)
        res.lost = len(sent) - res.in_db
        res.duplicates = sum(c - 1 for m, c in counts.items() if m in sent and c > 1)

    async def close_all(self, people: list[Person], screen: ScreenWatch | None) -> None:
        clients = [p.client for p in people if p.client] + ([screen.client] if screen else [])
        await asyncio.gather(*(c.close() for c in clients), return_exceptions=True)

    # -- baseline ---------------------------------------------------------------------------
    async def scenario_baseline(self, n: int, neighbour: bool = False) -> Result:
        name = f"base-{'neighbour-' if neighbour else ''}{n}"
        res = Result(name, n, "baseline", neighbour=neighbour)
        db_path = str(self.tmp / f"{name}.db")
        server = self.baseline(db_path, name)
        hog = None
        try:
            warm = Person(-1, server.url)
            await open_page(warm, "", {}, 120)
            await self.baseline_submit(warm, "warm")
            await warm.client.close()
            if self.args.profile:
                server.profile(Path(self.args.profile) / f"{name}.txt")
            sampler = procstat.Sampler([server.pid]).start()
            load = procstat.Load([server.pid])
            people = [Person(i, server.url) for i in range(n)]
            rate = self.args.join_rate

            async def arrive(p: Person) -> None:
                await asyncio.sleep(p.idx / rate)
                try:
                    await open_page(p, "", {}, self.args.timeout)
                except Exception as exc:  # noqa: BLE001
                    p.error = f"join: {exc!r}"

            await asyncio.gather(*(arrive(p) for p in people))
            await asyncio.sleep(2.0)
            hog = self.hog() if neighbour else None
            cpu0 = sampler.cpu()
            window = self.args.submit_window
            offsets = [self.rnd.uniform(0, window) for _ in people]
            start = time.perf_counter()

            async def one(p: Person, offset: float) -> None:
                await asyncio.sleep(max(0.0, start + offset - time.perf_counter()))
                p.marker = f"idee b{n} nr {p.idx}"
                try:
                    p.ack_s = await self.baseline_submit(p, p.marker)
                except Exception as exc:  # noqa: BLE001
                    p.error = f"submit: {exc!r}"

            await asyncio.gather(*(one(p, o) for p, o in zip(people, offsets) if p.error is None))
            busy = sampler.cpu() - cpu0
            if hog is not None:
                res.hog_cpu_pct = hog.cpu_seconds() / max(time.perf_counter() - start, 1e-9) * 100
                hog.stop()
            self.summarise_people(res, people)
            if res.acked:
                res.cpu_ms_per_submit = res.cpu_ms_per_submit_raw = busy * 1000 / res.acked
            res.metrics = server.metrics()
            with sqlite3.connect(db_path) as conn:
                texts = [r[0] for r in conn.execute("SELECT text FROM notes")]
            found = [m.group(0) for text in texts for m in [MARKER.search(text)] if m]
            self.check_lost(res, people, found)
            sampler.stop()
            res.peak_rss_mb = sampler.peak_rss[server.pid] / 2**20
            res.peak_threads = sampler.peak_threads[server.pid]
            res.other_load_pct = load.other_pct()
            await self.close_all(people, None)
        finally:
            if hog is not None:
                hog.stop()
            server.stop()
        return res

    async def baseline_submit(self, p: Person, text: str) -> float:
        run = p.client.last_full_run
        area = run.widgets("text_area")[0]
        button = form_submit_button(run, area.form_id)
        fut = p.client.wait_run(lambda r: _is_ack(r, BASELINE_SENT), self.args.timeout)
        t0 = time.perf_counter()
        p.sent_at = t0
        await p.client.submit_form(button, {area.id: text_state(area, text)})
        await fut
        p.acked_at = time.perf_counter()
        return p.acked_at - t0

    # -- PostgreSQL throughput -------------------------------------------------------------
    async def scenario_pg(self, processes: int, pg, round_no: int = 1) -> Result:
        n = self.args.pg_participants
        name = f"pg-{processes}" + (f" #{round_no}" if self.args.pg_rounds > 1 else "")
        res = Result(name, n, "throughput")
        servers = [self.ours(pg.url, f"{name}-{i}") for i in range(processes)]
        try:
            await self.warm_up(servers, pg.url)
            store, ws, step = self.workshop(pg.url, n)
            sampler = procstat.Sampler([s.pid for s in servers]).start()
            load = procstat.Load([s.pid for s in servers] + pg.postmaster_pids())
            people = [Person(i, servers[i % processes].url) for i in range(n)]
            await self.join_all(people, ws.code, poll=False, rate=self.args.pg_join_rate)
            await asyncio.sleep(2.0)
            duration, warm = self.args.pg_duration, 3.0
            start = time.perf_counter()
            stop_at = start + duration
            counter = iter(range(10**9))

            async def loop(p: Person) -> None:
                await asyncio.sleep(self.rnd.uniform(0, 1.0))
                while p.error is None and time.perf_counter() < stop_at:
                    i = next(counter)
                    try:
                        lat = await submit(p, note_text(f"t{processes}", i, self.rnd), SENT, self.args.timeout)
                        p.acks.append(time.perf_counter())
                        p.ack_s = lat if p.ack_s is None else max(p.ack_s, lat)
                    except Exception as exc:  # noqa: BLE001
                        p.error = f"submit: {exc!r}"

            measure = [None, None, None, None]
            bench_cpu = [0.0, 0.0]

            async def marks() -> None:
                await asyncio.sleep(warm)
                measure[0], measure[1], bench_cpu[0] = sampler.cpu(), pg_cpu(pg), procstat.own_cpu_seconds()
                busy0 = procstat.machine_busy_seconds()
                await asyncio.sleep(duration - warm)
                measure[2], measure[3], bench_cpu[1] = sampler.cpu(), pg_cpu(pg), procstat.own_cpu_seconds()
                busy1 = procstat.machine_busy_seconds()
                res.machine_busy_pct = (busy1[0] - busy0[0]) / max(busy1[1] - busy0[1], 1e-9) * 100

            await asyncio.gather(marks(), *(loop(p) for p in people if p.error is None))
            acks = [a for p in people for a in p.acks if start + warm <= a <= stop_at]
            res.throughput_per_s = len(acks) / (duration - warm)
            res.joined = sum(1 for p in people if p.join_s is not None)
            res.join_p95 = pct([p.join_s for p in people if p.join_s is not None], 95)
            res.acked = sum(len(p.acks) for p in people)
            res.errors = sorted({p.error for p in people if p.error})[:5]
            if acks:
                res.cpu_ms_per_submit = (measure[2] - measure[0]) * 1000 / len(acks)
                res.db_cpu_ms_per_submit = (measure[3] - measure[1]) * 1000 / len(acks)
            res.bench_cpu_pct = (bench_cpu[1] - bench_cpu[0]) / (duration - warm) * 100
            rows = store.contributions(step.id, include_hidden=True)
            res.in_db = sum(1 for r in rows if MARKER.search(r["text"]) and f"idee t{processes} " in r["text"])
            res.lost = res.acked - res.in_db if res.in_db <= res.acked else 0
            sampler.stop()
            res.peak_rss_mb = sum(sampler.peak_rss.values()) / 2**20
            load.own_pids = [s.pid for s in servers] + pg.postmaster_pids()
            res.other_load_pct = load.other_pct()
            await self.close_all(people, None)
        finally:
            for s in servers:
                s.stop()
        return res

    # -- the whole run -----------------------------------------------------------------------
    async def run(self) -> None:
        a = self.args
        for n in a.sizes:
            if not a.skip_baseline:
                await self.record(self.scenario_baseline(n))
            if not a.skip_quiet:
                await self.record(self.scenario_ours(n, live=False))
            if not a.skip_live:
                await self.record(self.scenario_ours(n, live=True))
        for n in a.neighbour_sizes:
            if not a.skip_baseline:
                await self.record(self.scenario_baseline(n, neighbour=True))
            await self.record(self.scenario_ours(n, live=True, neighbour=True))
        if not a.skip_pg:
            from pgcluster import PgCluster
            pg = PgCluster().start()
            try:
                for round_no in range(1, a.pg_rounds + 1):  # alternating, so drift hits both alike
                    for processes in (1, 2):
                        await self.record(self.scenario_pg(processes, pg, round_no))
            finally:
                pg.stop()

    async def wait_quiet(self) -> None:
        """Wait (up to --wait-quiet seconds) until other processes leave the machine alone."""
        deadline = time.perf_counter() + self.args.wait_quiet
        while True:
            probe = procstat.Load([])
            await asyncio.sleep(3.0)
            other = probe.other_pct()
            if other <= self.args.quiet_pct or time.perf_counter() >= deadline:
                if other > self.args.quiet_pct:
                    self.log(f"[bench] warning: other processes use {other:.0f}% of the machine; "
                             "latencies will be inflated")
                return
            self.log(f"[bench] machine busy with other work ({other:.0f}%), waiting")

    async def record(self, coro) -> None:
        if self.args.wait_quiet:
            await self.wait_quiet()
        res = await coro
        self.results.append(res)
        self.log(f"[bench] {res.name}: " + json.dumps({k: v for k, v in res.__dict__.items()
                                                       if k not in ("metrics",)}, default=str))

    def report(self) -> None:
        base = {(r.participants, r.neighbour): r for r in self.results if r.kind == "baseline"}
        print()
        print(f"Samenspraak live benchmark, {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
              f"streamlit {_st_version()}, launcher {self.args.launcher}, flags {self.args.st_flag or 'none'}, "
              f"app env {self.args.app_env or 'none'}")
        cols = ("scenario", "joined", "join_p95", "acked", "sub_p50", "sub_p95", "sub_max", "vis_p50",
                "vis_p95", "vis_max", "scr_runs", "scr_ms", "follow_p95", "follow_all", "lost", "dup", "cpu_ms",
                "raw_ms", "ratio", "idle_cpu%", "rss_MB", "threads", "bench%", "other%")
        print(" ".join(f"{c:>11}" for c in cols))
        for r in self.results:
            if r.kind == "throughput":
                continue
            ratio = self.ratio(r, base)
            row = (r.name, f"{r.joined}/{r.participants}", fmt(r.join_p95), f"{r.acked}/{r.submitted}",
                   fmt(r.submit_p50), fmt(r.submit_p95), fmt(r.submit_max), fmt(r.visible_p50),
                   fmt(r.visible_p95), fmt(r.visible_max), fmt(r.screen_runs), fmt(r.screen_run_ms_p50, 0),
                   fmt(r.follow_p95), fmt(r.follow_all_s), fmt(r.lost), fmt(r.duplicates),
                   fmt(r.cpu_ms_per_submit, 1),
                   fmt(r.cpu_ms_per_submit_raw, 1), fmt(ratio), fmt(r.background_cpu_pct, 0),
                   fmt(r.peak_rss_mb, 0), fmt(r.peak_threads), fmt(r.bench_cpu_pct, 0), fmt(r.other_load_pct, 0))
            print(" ".join(f"{c:>11}" for c in row))
        thr = [r for r in self.results if r.kind == "throughput"]
        if thr:
            print()
            print("PostgreSQL, closed loop (every participant submits again as soon as acknowledged):")
            for r in thr:
                print(f"  {r.name}: {r.participants} participants, {fmt(r.throughput_per_s, 1)} submits/s, "
                      f"app cpu {fmt(r.cpu_ms_per_submit, 1)} ms/submit, postgres cpu "
                      f"{fmt(r.db_cpu_ms_per_submit, 1)} ms/submit, the benchmark's own clients "
                      f"{fmt(r.bench_cpu_pct, 0)} % of a core, machine busy {fmt(r.machine_busy_pct, 0)} %, "
                      f"lost {r.lost}, errors {r.errors or 'none'}")
            ones = [r.throughput_per_s for r in thr if r.name.startswith("pg-1") and r.throughput_per_s]
            twos = [r.throughput_per_s for r in thr if r.name.startswith("pg-2") and r.throughput_per_s]
            if ones and twos:
                gains = " ".join(f"{b / a:.2f}x" for a, b in zip(ones, twos))
                print(f"  gain two processes / one: {pct(twos, 50) / pct(ones, 50):.2f}x (median throughputs of "
                      f"{len(ones)} alternating rounds; per round {gains})")
        for r in self.results:
            if r.errors:
                print(f"  {r.name} errors: {r.errors}")
        # The summary: one line per live-N, then one per neighbour-N (visible = per note, from
        # its send to its first appearance on the screen; idle = phones and screen connected,
        # nobody typing).
        for r in self.results:
            if r.kind == "live" and not r.neighbour:
                print(f"live participants={r.participants} lost={fmt(r.lost)} submit_p95_s={fmt(r.submit_p95)} "
                      f"visible_p95_s={fmt(r.visible_p95)} join_p95_s={fmt(r.join_p95)} "
                      f"idle_cpu_pct={fmt(r.background_cpu_pct, 1)} baseline_ratio={fmt(self.ratio(r, base))} "
                      f"cpu_ms_per_submit={fmt(r.cpu_ms_per_submit, 1)}")
        for r in self.results:
            if r.kind == "live" and r.neighbour:
                b = base.get((r.participants, True))
                print(f"live participants={r.participants} neighbour=1 lost={fmt(r.lost)} "
                      f"submit_p95_s={fmt(r.submit_p95)} visible_p95_s={fmt(r.visible_p95)} "
                      f"baseline_submit_p95_s={fmt(b.submit_p95 if b else None)} hog_cpu_pct={fmt(r.hog_cpu_pct, 0)}")

    @staticmethod
    def ratio(r: Result, base: dict) -> float | None:
        """CPU per submit against the bare app's at the same size (under the same neighbour)."""
        b = base.get((r.participants, r.neighbour))
        if b and r.cpu_ms_per_submit and b.cpu_ms_per_submit:
            return r.cpu_ms_per_submit / b.cpu_ms_per_submit
        return None


def pg_cpu(pg) -> float:
    return procstat.total_cpu_seconds(pg.postmaster_pids())


def _st_version() -> str:
    from importlib.metadata import version
    return version("streamlit")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",") if x.strip()],
                    default=[50, 100, 200, 400], help='participants per scenario (base-N, quiet-N, live-N); "" for none')
    ap.add_argument("--neighbour", dest="neighbour_sizes", metavar="SIZES", default=[200],
                    type=lambda s: [int(x) for x in s.split(",") if x.strip()],
                    help='neighbour-N for these sizes (default 200; "" for none): live-N while another process '
                         "keeps one core busy during the burst, with the bare app under the same hog")
    ap.add_argument("--hog-seconds", type=float, default=90.0,
                    help="the neighbour's CPU hog ends by itself after this long, whatever happens")
    ap.add_argument("--join-rate", type=float, default=10.0,
                    help="participants arriving per second (a plenary scanning a QR code: a few per second)")
    ap.add_argument("--submit-window", type=float, default=5.0, help="all submit within this many seconds")
    ap.add_argument("--background-window", type=float, default=10.0,
                    help="seconds of idle (everyone connected, nobody typing) measured in live-N")
    ap.add_argument("--visible-timeout", type=float, default=20.0)
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--pg-participants", type=int, default=200)
    ap.add_argument("--pg-duration", type=float, default=20.0)
    ap.add_argument("--pg-rounds", type=int, default=3,
                    help="pg-1 and pg-2 alternate this many times; the gain compares the median throughputs "
                         "(one round moves by about 15 %%)")
    ap.add_argument("--pg-join-rate", type=float, default=40.0,
                    help="participants joining per second before a throughput run (not timed)")
    ap.add_argument("--skip-pg", action="store_true")
    ap.add_argument("--skip-baseline", action="store_true")
    ap.add_argument("--skip-quiet", action="store_true")
    ap.add_argument("--skip-live", action="store_true", help="no live-N (with --neighbour: only the neighbour part)")
    ap.add_argument("--st-flag", action="append", default=[],
                    help="extra streamlit option for every server, e.g. runner.postScriptGC=true")
    ap.add_argument("--app-env", action="append", default=[], metavar="KEY=VALUE",
                    help="environment for the Samenspraak servers, e.g. SAMENSPRAAK_PHONE_POLL_SECONDS=6")
    ap.add_argument("--launcher", choices=("serve", "streamlit"), default="serve",
                    help="serve: serve.py (TCP_NODELAY, as in production); streamlit: plain `streamlit run`")
    ap.add_argument("--profile", metavar="DIR",
                    help="record each server with py-spy into DIR/<scenario>.txt (collapsed stacks; "
                         "the profiler itself costs CPU, so use the figures of a run without it)")
    ap.add_argument("--wait-quiet", type=float, default=0.0, metavar="SECONDS",
                    help="before each scenario wait up to this long until other processes use less than "
                         "--quiet-pct of the machine")
    ap.add_argument("--quiet-pct", type=float, default=15.0)
    ap.add_argument("--json", help="also write all results to this file")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder (logs, databases)")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    if args.profile:
        Path(args.profile).mkdir(parents=True, exist_ok=True)
    bench = Bench(args)

    def _terminate(*_):  # a SIGTERM unwinds like Ctrl-C, so servers and the PostgreSQL cluster stop
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _terminate)
    try:
        asyncio.run(bench.run())
    finally:
        if args.json:
            Path(args.json).write_text(json.dumps([r.__dict__ for r in bench.results], indent=1, default=str))
        if not args.keep:
            shutil.rmtree(bench.tmp, ignore_errors=True)
        else:
            print(f"[bench] kept {bench.tmp}", file=sys.stderr)
    bench.report()
    return 0


if __name__ == "__main__":
    sys.exit(main())
