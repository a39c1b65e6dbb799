"""Fixtures of the browser suite: Debian's Chromium through Playwright, app servers, databases.

Playwright never downloads a browser here: it launches ``/usr/bin/chromium``. If that is missing
the tests fail (./test.sh installs the Debian package); they are never skipped.
"""

from __future__ import annotations

import os
import re
import secrets
import time

import pytest

import conftest as root_conftest  # tests/conftest.py: pg_url, pg_admin, fresh_pg_database
from playwright.sync_api import expect, sync_playwright

from e2e.drive import ACT_MS, ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, AppServer, Nginx


# Waits for the app after an action; a page's first load has its own, longer deadline (LOAD_MS).
expect.set_options(timeout=ACT_MS)


# ------------------------------------------------------------------------------------ the browser
# Playwright's sync API keeps an asyncio loop running in the main thread while it is started, and
# then asyncio.run() fails in any later test. pytest-playwright's fixtures live for the whole
# session, so this package has its own: Playwright starts with the first browser test and stops
# after the last one in tests/e2e.
CONTEXT_DEFAULTS = {"locale": "nl-NL", "timezone_id": "Europe/Amsterdam", "accept_downloads": True}


@pytest.fixture(scope="package")
def browser():
    """Debian's Chromium, headless, launched once for the browser tests."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (./test.sh does it)", pytrace=False)
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.e2e_failed = report.failed
    return report


@pytest.fixture
def new_context(browser, request):
    """``new_context(**options)`` -> a fresh browser context; all are closed after the test, and
    when the test failed every open page is saved as a screenshot first."""
    contexts = []

    def make(**options):
        context = browser.new_context(**{**CONTEXT_DEFAULTS, **options})
        contexts.append(context)
        return context

    yield make
    if getattr(request.node, "e2e_failed", False):
        folder = ARTIFACTS / "failures" / re.sub(r"[^\w.-]+", "_", request.node.name)
        folder.mkdir(parents=True, exist_ok=True)
        for i, context in enumerate(contexts):
            for j, page in enumerate(context.pages):
                try:
                    page.screenshot(path=str(folder / f"context{i}-page{j}.png"), full_page=True, timeout=5000)
                except Exception:  # noqa: BLE001 - a page that is gone has nothing to show
                    pass
    for context in contexts:
        context.close()


# ------------------------------------------------------------------------------------- databases
@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'samenspraak-e2e.db'}"


@pytest.fixture
def pg_database(pg_url, pg_admin):
    """A fresh PostgreSQL database for one test (dropped afterwards)."""
    yield from root_conftest.fresh_pg_database(pg_admin, pg_url)


# ------------------------------------------------------------------------------------ app servers
@pytest.fixture(scope="session")
def cookie_secret() -> str:
    return secrets.token_urlsafe(32)


def _fail_on_tracebacks(servers: list[AppServer], since: dict[str, int] | None = None) -> None:
    since = since or {}
    problems = [(s.name, tb) for s in servers for tb in s.tracebacks(since.get(s.name, 0))]
    if problems:
        keep = ARTIFACTS / "server-logs"
        keep.mkdir(parents=True, exist_ok=True)
        for s in servers:
            (keep / s.log_path.name).write_text(s.log_text(), encoding="utf-8")
        pytest.fail("the app logged tracebacks:\n" + "\n\n".join(f"[{n}] {tb}" for n, tb in problems),
                    pytrace=False)


@pytest.fixture
def app_factory(tmp_path, cookie_secret, browser):
    """``start(db_url, name=..., launcher="serve"|"bare") -> AppServer``; every server is stopped after the test, and a
    Python traceback in any server's log fails the test; ``server.restart()`` kills and starts it
    again on its port. Servers start cold: the first visitor of a fresh process is tested too."""
    servers: list[AppServer] = []

    def start(db_url: str, *, name: str = "app", launcher: str = "serve", public_url: str | None = None,
              port: int | None = None) -> AppServer:
        server = AppServer(db_url=db_url, log_dir=tmp_path, cookie_secret=cookie_secret, name=name,
                           launcher=launcher, public_url=public_url, **({"port": port} if port else {}))
        server.start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
    _fail_on_tracebacks(servers)


@pytest.fixture
def nginx_factory(tmp_path):
    """``start(backend_ports) -> Nginx``: Debian's nginx with deploy/'s site config in front of
    those app ports, on 127.0.0.1; stopped after the test (its logs stay in tmp_path)."""
    proxies: list[Nginx] = []

    def start(backend_ports: list[int]) -> Nginx:
        proxy = Nginx(tmp_path / f"nginx-{len(proxies)}", list(backend_ports))
        proxies.append(proxy)
        proxy.start()
        return proxy

    yield start
    for proxy in proxies:
        proxy.stop()


@pytest.fixture(scope="package")
def shared_app(tmp_path_factory, cookie_secret, browser):
    """One app process on one SQLite file for the tests that need no process of their own
    (each makes its own workshop); started once, stopped at the end of the run."""
    folder = tmp_path_factory.mktemp("shared-app")
    server = AppServer(db_url=f"sqlite:///{folder / 'samenspraak-e2e.db'}", log_dir=folder,
                       cookie_secret=cookie_secret, name="shared")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def app(shared_app) -> AppServer:
    """The shared app process; a traceback it logs during this test fails the test."""
    if shared_app.proc is None or shared_app.proc.poll() is not None:
        shared_app.start()
    offset = len(shared_app.log_text())
    yield shared_app
    _fail_on_tracebacks([shared_app], {shared_app.name: offset})


# ---------------------------------------------------------------------------------- measurements
@pytest.fixture
def timings(request):
    """A dict the test fills with what it measured; written to test-artifacts/ and summarised."""
    data: dict[str, object] = {}
    began = time.monotonic()
    yield data
    data["test_seconds"] = round(time.monotonic() - began, 1)
    # carried by the test's teardown report, also from a pytest-xdist worker to the controller, which
    # writes them down and prints them (tests/conftest.py)
    request.node.user_properties.append(("e2e_timings", data))
