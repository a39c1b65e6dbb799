"""Driving Samenspraak in a real browser: the app server, Streamlit widgets, watchers, axe-core.

Imported by the browser tests as ``from e2e.drive import ...``. Nothing here waits a fixed time
for the app: every wait is for a condition (a health answer, an element, a text, the app's
connection state), with a deadline.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import BrowserContext, Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

ROOT = Path(__file__).resolve().parents[2]
E2E_DIR = Path(__file__).resolve().parent
ARTIFACTS = ROOT / "test-artifacts" / "e2e"  # emptied at the start of each run (tests/conftest.py)
AXE_JS = E2E_DIR / "node_modules" / "axe-core" / "axe.min.js"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]

PHONE = dict(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, device_scale_factor=2)
SCREEN = dict(viewport={"width": 1920, "height": 1080})
LAPTOP = dict(viewport={"width": 1280, "height": 900})

#: How long a page may take to load and connect (JS parse on a 2-core machine is ~2 s).
LOAD_MS = 25_000
#: Default for waiting on something the app does after an action.
ACT_MS = 10_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------------------------- the app server
#: How a server process is started: ./run.sh's launcher, or plain ``streamlit run app.py``
#: (Streamlit's hosting, most Docker images), which must give the same app.
LAUNCHERS = {
    "serve": [sys.executable, "serve.py"],
    # `streamlit run app.py`, with the virtualenv's own `streamlit` command
    "bare": [str(Path(sys.executable).with_name("streamlit")), "run", "app.py"],
}


@dataclass
class AppServer:
    """One ``streamlit run app.py`` process on a port, against one database."""

    db_url: str
    log_dir: Path
    cookie_secret: str
    port: int = field(default_factory=free_port)
    name: str = "app"
    launcher: str = "serve"
    public_url: str | None = None  # SAMENSPRAAK_PUBLIC_URL, when a proxy is in front
    proc: subprocess.Popen | None = None
    starts: int = 0
    healthy_after: float = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.log_dir / f"streamlit-{self.name}-{self.port}.log"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            SAMENSPRAAK_DATABASE_URL=self.db_url,
            SAMENSPRAAK_PUBLIC_URL=self.public_url or self.url,
            # Every process behind one proxy must share the cookie secret (see the README).
            STREAMLIT_SERVER_COOKIE_SECRET=self.cookie_secret,
            STREAMLIT_SERVER_HEADLESS="true",
            STREAMLIT_BROWSER_GATHER_USAGE_STATS="false",
            PYTHONUNBUFFERED="1",
        )
        return env

    def start(self, timeout: float = 40.0) -> float:
        """Start the process and wait until ``/_stcore/health`` answers; returns the seconds it took."""
        assert self.proc is None or self.proc.poll() is not None, "already running"
        began = time.monotonic()
        log = open(self.log_path, "a", encoding="utf-8")
        log.write(f"\n===== start #{self.starts + 1} on port {self.port} =====\n")
        log.flush()
        self.proc = subprocess.Popen(
            [*LAUNCHERS[self.launcher], "--server.port", str(self.port), "--server.address", "127.0.0.1"],
            cwd=ROOT, env=self.env(), stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log.close()
        self.starts += 1
        deadline = began + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as resp:
                    if resp.status == 200 and resp.read().strip() == b"ok":
                        self.healthy_after = time.monotonic() - began
                        return time.monotonic() - began
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            if time.monotonic() > deadline:
                self.kill()
                raise RuntimeError(f"streamlit on {self.url} not healthy after {timeout} s:\n{self.log_tail()}")
            time.sleep(0.1)  # poll interval of the health check, not a wait for app state

    def restart(self) -> float:
        """Kill the process (no clean shutdown) and start it again on the same port and database."""
        self.kill()
        return self.start()

    def kill(self) -> None:
        """SIGKILL the whole process group: a crash, not a shutdown."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def is_down(self) -> bool:
        try:
            urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=1)
        except (urllib.error.URLError, ConnectionError, OSError):
            return True
        return False

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    def tracebacks(self, since: int = 0) -> list[str]:
        """Python tracebacks the server logged (an uncaught exception in a page), after offset ``since``."""
        text = self.log_text()[since:]
        return [m.group(0)[:3000] for m in re.finditer(r"Traceback \(most recent call last\):.*?(?=\n\S|\Z)",
                                                       text, re.S)]


# ------------------------------------------------------------------------------ the reverse proxy
NGINX = "/usr/sbin/nginx"


@dataclass
class Nginx:
    """Debian's nginx with deploy/nginx-samenspraak.conf in front of app processes, on 127.0.0.1.

    The site file is rendered by deploy/nginx.py exactly as in production; only the few lines
    around it (pid, logs, temp folders) are this test's, so no system nginx is needed or touched.
    """

    folder: Path
    backend_ports: list[int]
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def access_log(self) -> Path:
        return self.folder / "access.log"

    def write_config(self) -> Path:
        import importlib.util

        spec = importlib.util.spec_from_file_location("deploy_nginx", ROOT / "deploy" / "nginx.py")
        deploy_nginx = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(deploy_nginx)
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "samenspraak.conf").write_text(
            deploy_nginx.render(self.backend_ports, listen=f"127.0.0.1:{self.port}", server_name="localhost",
                                access_log=str(self.access_log)), encoding="utf-8")
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.folder / sub).mkdir(exist_ok=True)
        user = "user root;\n" if os.geteuid() == 0 else ""  # workers write this test's temp folders
        conf = self.folder / "nginx.conf"
        conf.write_text(
            f"{user}worker_processes 1;\npid {self.folder}/nginx.pid;\nerror_log {self.folder}/error.log info;\n"
            "events { worker_connections 1024; }\n"
            "http {\n"
            f"  client_body_temp_path {self.folder}/body;\n  proxy_temp_path {self.folder}/proxy;\n"
            f"  fastcgi_temp_path {self.folder}/fastcgi;\n  uwsgi_temp_path {self.folder}/uwsgi;\n"
            f"  scgi_temp_path {self.folder}/scgi;\n"
            f"  include {self.folder}/samenspraak.conf;\n"
            "}\n", encoding="utf-8")
        return conf

    def start(self, timeout: float = 20.0) -> None:
        if not os.access(NGINX, os.X_OK):
            raise RuntimeError(f"{NGINX} is missing: install Debian's nginx package (./test.sh does it)")
        conf = self.write_config()
        check = subprocess.run([NGINX, "-t", "-p", str(self.folder), "-e", "stderr", "-c", str(conf)],
                               capture_output=True, text=True, timeout=30)
        if check.returncode != 0:
            raise RuntimeError(f"nginx -t refused the rendered config:\n{check.stderr}")
        self.proc = subprocess.Popen(
            [NGINX, "-p", str(self.folder), "-e", "stderr", "-c", str(conf), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL, stderr=open(self.folder / "stderr.log", "w"), stdin=subprocess.DEVNULL,
            start_new_session=True)
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nginx exited with {self.proc.returncode}: "
                                   f"{(self.folder / 'stderr.log').read_text(errors='replace')}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"nginx not listening on {self.port} after {timeout} s")
                time.sleep(0.1)  # poll interval of the port check

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGQUIT)  # graceful: workers finish, then exit
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)

    def get(self, path: str, cookies: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
        """A plain HTTP request through the proxy: (status, headers, body)."""
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in (cookies or {}).items())} if cookies else {}
        req = urllib.request.Request(self.url + path, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                return resp.status, dict(resp.headers), resp.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as err:
            return err.code, dict(err.headers), err.read().decode("utf-8", "replace")

    def log_lines(self) -> list[str]:
        try:
            return self.access_log.read_text(encoding="utf-8", errors="replace").splitlines()
        except FileNotFoundError:
            return []

    def upstream_of(self, node: str) -> int:
        """The app port that serves a browser with cookie ``samenspraak_node=node``, from the
        proxy's own access log (the ``upstream=`` field of deploy/'s log format)."""
        marker = f"/_stcore/health?probe={node}"
        status, _, _ = self.get(marker, {"samenspraak_node": node})
        assert status == 200, f"health through the proxy answered {status}"
        deadline = time.monotonic() + 5  # nginx writes the line just after it answered
        while True:
            for line in reversed(self.log_lines()):
                if marker in line and f"node={node} " in line:
                    found = re.search(r"upstream=127\.0\.0\.1:(\d+)", line)
                    assert found, line
                    return int(found.group(1))
            if time.monotonic() > deadline:
                raise AssertionError(f"no access log line for node {node!r}: {self.log_lines()[-5:]}")
            time.sleep(0.02)  # poll interval of the log check

    def nodes_for_each_backend(self) -> dict[int, str]:
        """A cookie value that lands on each backend (the hash is nginx's; found by asking it)."""
        found: dict[int, str] = {}
        for i in range(200):
            node = f"test-node-{i}"
            found.setdefault(self.upstream_of(node), node)
            if len(found) == len(self.backend_ports):
                return found
        raise AssertionError(f"200 node ids all went to {sorted(found)}")


# ------------------------------------------------------------------------------ pages and watchers
#: Installed in every page before the app's own scripts: records, for each watched string, the
#: first moment (Date.now()) it appeared anywhere in the DOM text, checked on every DOM mutation.
WATCH_SCRIPT = r"""
(() => {
  window.__ssWatch = window.__ssWatch || {};
  window.__ssWatchList = window.__ssWatchList || [];
  window.__ssDialogs = window.__ssDialogs || [];
  const check = () => {
    const root = document.documentElement;
    if (!root || !window.__ssWatchList.length) return;
    const txt = root.textContent || "";
    for (const s of window.__ssWatchList) {
      if (!(s in window.__ssWatch) && txt.includes(s)) window.__ssWatch[s] = Date.now();
    }
  };
  window.__ssCheck = check;
  new MutationObserver(check).observe(document, {subtree: true, childList: true, characterData: true});
})();
"""


@dataclass(eq=False)
class Tab:
    """One browser context with one page, and what happened in it."""

    name: str
    context: BrowserContext
    page: Page
    dialogs: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    wire_watch: list[str] = field(default_factory=list)
    wire_seen: dict[str, float] = field(default_factory=dict)

    def watch_wire(self, *texts: str) -> None:
        """Record when each text first arrives over the app's websocket (sent, even if not drawn)."""
        self.wire_watch.extend(texts)

    def _frame(self, payload) -> None:
        if not self.wire_watch:
            return
        data = payload if isinstance(payload, bytes) else str(payload).encode("utf-8", "replace")
        for text in self.wire_watch:
            if text not in self.wire_seen and text.encode("utf-8") in data:
                self.wire_seen[text] = now_ms()

    def watch(self, *texts: str) -> None:
        """Start recording when each text first appears in this page's DOM (must not be there yet)."""
        present = self.page.evaluate(
            "(xs) => { for (const s of xs) if (!window.__ssWatchList.includes(s)) window.__ssWatchList.push(s);"
            " window.__ssCheck(); return xs.filter(s => s in window.__ssWatch); }", list(texts))
        assert not present, f"{self.name}: {present!r} already on the page before it was sent"

    def seen_at(self, text: str) -> float | None:
        """Epoch milliseconds at which ``text`` first appeared in the DOM, or None."""
        return self.page.evaluate("(s) => { window.__ssCheck(); return window.__ssWatch[s] ?? null; }", text)

    def wait_seen(self, text: str, timeout_ms: int = ACT_MS) -> float:
        self.page.wait_for_function("(s) => { window.__ssCheck(); return s in window.__ssWatch; }", arg=text,
                                    timeout=timeout_ms, polling=50)
        return self.seen_at(text)

    def dom_text(self) -> str:
        return self.page.evaluate("() => document.documentElement.textContent")


def open_tab(new_context, name: str, url: str, **context_args) -> Tab:
    context = new_context(**context_args)
    context.add_init_script(WATCH_SCRIPT)
    page = context.new_page()
    page.set_default_timeout(ACT_MS)
    tab = Tab(name, context, page)

    def on_dialog(dialog) -> None:
        tab.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda exc: tab.page_errors.append(str(exc)))
    page.on("websocket", lambda ws: ws.on("framereceived", tab._frame))
    goto(page, url)
    return tab


def app_root(page: Page) -> Locator:
    return page.locator('[data-testid="stApp"]')


def wait_connected(page: Page, timeout_ms: int = LOAD_MS) -> None:
    """The Streamlit client is connected to the server over its websocket."""
    expect(app_root(page)).to_have_attribute("data-test-connection-state", "CONNECTED", timeout=timeout_ms)


def settled(page: Page, timeout_ms: int = ACT_MS) -> None:
    """No script run in progress (after a widget change that reruns the page).

    Right after a click the run it asks for may not have started yet (the page says "running"
    some 80 ms later on a busy machine), so this alone does not prove that the click's work is
    done: wait for what the click shows (``expect``), as a person would."""
    expect(app_root(page)).to_have_attribute("data-test-script-state", "notRunning", timeout=timeout_ms)


def goto(page: Page, url: str) -> None:
    page.goto(url, wait_until="commit", timeout=LOAD_MS)
    wait_connected(page)


def now_ms() -> float:
    return time.time() * 1000.0


def click_until(target: Locator, done: Locator) -> int:
    """Click ``target`` until ``done`` shows, as a person would: a second time if nothing happened.

    Why: under a full suite's load the cockpit's "Stemronde openen" sometimes did nothing. A log of
    every rerun request the server received (kept while diagnosing) showed that such a click never
    reached the server: the browser sent no request for it, so no server code saw it. The second click
    goes through the same locator by its name, so it can never press the button's next face
    ("Stemronde sluiten"). Returns how many clicks it took."""
    for clicks in (1, 2):
        target.click()
        try:
            expect(done).to_be_visible(timeout=ACT_MS // 2 if clicks == 1 else ACT_MS)
            return clicks
        except AssertionError:
            if clicks == 2 or not target.is_visible():
                raise
    raise AssertionError("unreachable")


# ---------------------------------------------------------------------------------- drag and drop
def drag(page: Page, source: Locator, target: Locator, *, steps: int = 12, at: float = 0.5, max_y: float | None = None,
         placed: Locator | None = None) -> None:
    """Drag with the mouse as a person does: press, move in steps, release over the target (``at``: how far
    down it, 0.5 the middle; ``max_y``: at most this many pixels down).

    ``placed``: what the board shows once the card is in place under the pointer (a sorted list moves the
    card there while it is dragged); a person waits for that before letting go, and so does this. Letting
    go at once, under load, dropped a card one place short (the last moves were not handled yet)."""
    source.scroll_into_view_if_needed()
    a, b = source.bounding_box(), target.bounding_box()
    page.mouse.move(a["x"] + a["width"] / 2, a["y"] + a["height"] / 2)
    page.mouse.down()
    page.mouse.move(a["x"] + a["width"] / 2 + 8, a["y"] + a["height"] / 2 + 4, steps=3)
    down = b["height"] * at if max_y is None else min(b["height"] * at, max_y)
    page.mouse.move(b["x"] + b["width"] / 2, b["y"] + down, steps=steps)
    if placed is not None:
        expect(placed).to_be_visible(timeout=ACT_MS)
    page.mouse.up()


# ---------------------------------------------------------------------------------- widgets
def textbox(page: Page | Locator, label: str) -> Locator:
    """A text input or text area by its exact label (Streamlit puts it in aria-label)."""
    return page.get_by_role("textbox", name=label, exact=True)


def button(page: Page | Locator, name: str) -> Locator:
    return page.get_by_role("button", name=name, exact=True)


def fill(page: Page | Locator, label: str, value: str) -> None:
    box = textbox(page, label)
    box.fill(value)
    expect(box).to_have_value(value)


def fresh(locator: Locator) -> Locator:
    """``locator`` without the elements of the previous run that Streamlit keeps on the page, greyed out,
    while it redraws (inside ``[data-stale="true"]``): during a redraw a widget can be there twice."""
    return locator.locator("xpath=self::*[not(ancestor-or-self::*[@data-stale='true'])]")


def combobox(page: Page | Locator, label: str) -> Locator:
    """The Streamlit selectbox labelled ``label`` of the current run (not a stale copy)."""
    return fresh(page.get_by_role("combobox", name=label, exact=True))


def open_list(page: Page, label: str, option: str, *, within: Page | Locator | None = None) -> Locator:
    """Open the list of the Streamlit selectbox labelled ``label`` until ``option`` shows; that option.

    The list opens with the selectbox's own "Open" button: a click in the text field of a
    selectbox that already has a value only focuses it. A stale copy of the box (a redraw) is skipped.
    """
    combo = combobox(within or page, label)
    item = fresh(page.get_by_role("option", name=option, exact=True))
    for attempt in range(3):  # the first press after a page load or a redraw sometimes only focuses the box
        combo.locator("xpath=following-sibling::button[1]").click()
        try:
            expect(item).to_be_visible(timeout=1500)
            break
        except AssertionError:
            if attempt == 2:
                raise
    return item


def pick(page: Page, label: str, option: str, *, within: Page | Locator | None = None) -> float:
    """Open the list of the selectbox labelled ``label`` and click ``option``; returns the moment of that
    click (epoch ms). A redraw of the part the box is in (the cockpit redraws its parts as the room
    moves) closes an open list: the option is gone from the page, so the list is opened again, as a
    person would."""
    for attempt in range(3):
        item = open_list(page, label, option, within=within)
        try:
            clicked = now_ms()
            item.click(timeout=3000)
            return clicked
        except PlaywrightTimeoutError:
            if attempt == 2:
                raise


def choose(page: Page, label: str, option: str, *, within: Page | Locator | None = None) -> None:
    """Pick ``option`` in a Streamlit selectbox labelled ``label`` (optionally inside ``within``)."""
    pick(page, label, option, within=within)
    expect(combobox(within or page, label)).to_have_value(option)


def no_app_errors(tab: Tab) -> None:
    """No Streamlit exception box and no uncaught JS error in this page."""
    exceptions = tab.page.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, f"{tab.name}: exception on the page: {exceptions.first.inner_text()[:800]}"
    assert not tab.page_errors, f"{tab.name}: JavaScript errors: {tab.page_errors}"
    assert not tab.dialogs, f"{tab.name}: dialogs opened (script ran?): {tab.dialogs}"


def page_not_found_dialog(tab: Tab) -> bool:
    """True when Streamlit shows its "Page not found" dialog over the page."""
    dialog = tab.page.get_by_role("dialog")
    return dialog.count() > 0 and "Page not found" in dialog.first.inner_text()


def no_horizontal_scroll(page: Page) -> None:
    sizes = page.evaluate(
        "() => ({scroll: document.scrollingElement.scrollWidth, inner: window.innerWidth,"
        " body: document.body.scrollWidth})")
    assert sizes["scroll"] <= sizes["inner"], f"horizontal scroll: {sizes}"


def elements_wider_than_viewport(page: Page) -> list[str]:
    """Visible elements whose box sticks out beyond the right edge of the viewport."""
    return page.evaluate(
        """() => {
          const w = window.innerWidth, out = [];
          for (const el of document.querySelectorAll('.stApp *')) {
            const r = el.getBoundingClientRect();
            if (r.width === 0 || r.height === 0) continue;
            const st = getComputedStyle(el);
            if (st.position === 'fixed' || st.visibility === 'hidden') continue;
            if (r.right > w + 1) out.push(`${el.tagName}.${el.className}`.slice(0, 120) + ` right=${Math.round(r.right)}`);
          }
          return out.slice(0, 20);
        }""")


def screenshot(page: Page, name: str, *, full_page: bool = False) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=full_page)
    assert path.stat().st_size > 5_000, f"screenshot {path} is suspiciously small"
    return path


# ------------------------------------------------------------------------------------- axe-core
#: The axe-core rules the accessibility check enforces: every input has a label, and the contrast
#: of text is at least WCAG AA.
AXE_RULES = [
    "label", "label-title-only", "aria-input-field-name", "select-name", "button-name", "image-alt",
    "link-name", "color-contrast",
]


def axe(page: Page, rules: list[str] = AXE_RULES) -> dict:
    """Inject axe-core from tests/e2e/node_modules and run the given rules on the whole page."""
    if not AXE_JS.exists():
        raise AssertionError(f"{AXE_JS} is missing: run `npm ci --prefix tests/e2e` (./test.sh does it)")
    page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
    return page.evaluate(
        """async (rules) => {
          const result = await axe.run(document, {runOnly: {type: 'rule', values: rules},
                                                  resultTypes: ['violations', 'incomplete']});
          const brief = (items) => items.map(v => ({id: v.id, impact: v.impact, help: v.help,
              nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 200),
                                         summary: (n.failureSummary || '').slice(0, 300)}))}));
          return {violations: brief(result.violations), incomplete: brief(result.incomplete),
                  passes: result.passes.map(p => p.id), version: axe.version};
        }""", rules)


def format_violations(violations: list[dict]) -> str:
    return json.dumps(violations, indent=1, ensure_ascii=False)[:6000]
