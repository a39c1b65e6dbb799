"""Start Samenspraak the way production should: ``streamlit run app.py`` with a few fixes
to how Streamlit 1.67 serves many sessions (each measured with bench/live.py):

* TCP_NODELAY on every connection (``install``). Streamlit binds its socket itself with
  ``socket.socket(family)``, so the socket's ``proto`` is 0, and asyncio only turns on
  TCP_NODELAY for sockets whose proto is IPPROTO_TCP (uvicorn issue #3149). Nagle's
  algorithm then holds back every small websocket frame that follows a larger one until
  the browser's delayed ACK arrives: about 40 ms added to every script run on Linux.
* No legacy ``pages/`` folder mode (``modern_pages_only``).
* A run's messages reach the event loop in batches (``batch_script_events``).
* The output of a fragment run that just finished is not thrown away when the next
  rerun comes in quickly (``keep_finished_fragment_runs``): it was the "Verstuurd" of a
  stored note.
* The config part of every run's ``new_session`` message is built once
  (``cache_session_config``).

    .venv/bin/python serve.py [streamlit options]          # same options as `streamlit run`
    .venv/bin/python serve.py --server.port 8080

The patches are pinned to the Streamlit version in requirements.txt, which
tests/test_serve.py checks. ``bench/live.py`` starts both the app and its baseline
through this launcher (``--launcher streamlit`` measures without it).
"""

from __future__ import annotations

import asyncio
import socket
import sys
from asyncio import base_events
from pathlib import Path


def _set_nodelay(sock: socket.socket) -> None:
    if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM:
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:  # pragma: no cover - a socket that does not take the option
            pass


def install() -> None:
    """Set TCP_NODELAY on every asyncio TCP transport created from now on."""
    base_events._set_nodelay = _set_nodelay


def modern_pages_only() -> None:
    """Tell Streamlit this app navigates with st.navigation only.

    Streamlit treats a folder named ``pages/`` next to the main script as a legacy
    multipage app until the first script run calls ``st.navigation``. So the first
    visitor of a fresh process who opens ``/scherm`` or ``/begeleider`` got a
    "Page not found" dialog that blocked the page (tests/e2e/test_e2e_smoke.py).
    Setting the flag before any session starts avoids that legacy first run.
    """
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False


def _running_loop():
    """The event loop running in this thread, or None (a ScriptRunner thread has none)."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def batch_script_events() -> None:
    """Hand a script run's messages to the event loop in batches, not one by one.

    Streamlit's ScriptRunner thread passes every element it draws to the event loop with
    its own ``call_soon_threadsafe``, which writes to the loop's wake-up socket each time:
    a system call and a thread switch per element. Under a burst of submits that was the
    largest single cost on the server (bench/live.py with --profile). Here the events of a
    session queue up, in order, and one callback drains whatever has arrived by the time
    the loop gets to it, then looks again 2 ms later for as long as more keep coming. An
    event sent from the loop thread itself is handled at once, after those before it. What
    reaches the browser, and in which order, is unchanged; it may arrive 2 ms later.
    """
    import logging
    import threading
    from collections import deque

    from streamlit.runtime.app_session import AppSession

    FOLLOW_UP_SECONDS = 0.002
    if getattr(AppSession, "_samenspraak_batched", False):
        return

    def on_event(self, sender, event, **kwargs) -> None:
        state = self.__dict__.get("_ss_events")
        if state is None:
            state = self.__dict__.setdefault("_ss_events", (threading.Lock(), deque(), [False]))
        lock, pending, scheduled = state
        with lock:
            pending.append((sender, event, kwargs))
            if _running_loop() is not self._event_loop:
                if not scheduled[0]:
                    scheduled[0] = True
                    self._call_soon_on_event_loop(lambda: drain(self, state))
                return
        handle_pending(self, state)  # sent from the loop itself: handle it now, after what came before

    def drain(self, state) -> None:
        if handle_pending(self, state):
            # The run is likely still drawing: look again shortly, so that its next
            # elements need no wake-up of their own.
            self._event_loop.call_later(FOLLOW_UP_SECONDS, drain, self, state)

    def handle_pending(self, state) -> bool:
        lock, pending, scheduled = state
        with lock:
            if not pending:
                scheduled[0] = False
                return False
            batch = list(pending)
            pending.clear()
        for sender, event, kwargs in batch:
            try:
                self._handle_scriptrunner_event_on_event_loop(sender, event, **kwargs)
            except Exception:  # as asyncio does for a failing callback: log it, go on
                logging.getLogger(__name__).exception("script event %s failed", event)
        return True

    AppSession._on_scriptrunner_event = on_event
    AppSession._samenspraak_batched = True

    # Every message the loop thread queues for a browser then "wakes" the loop it is
    # already running on, through the same socket. On the loop thread, set the flag.
    from streamlit.runtime.runtime import Runtime

    def enqueued_some_message(self) -> None:
        objs = self._get_async_objs()
        if _running_loop() is objs.eventloop:
            objs.need_send_data.set()
        else:
            objs.eventloop.call_soon_threadsafe(objs.need_send_data.set)

    Runtime._enqueued_some_message = enqueued_some_message


def keep_finished_fragment_runs() -> None:
    """Do not throw away the output of a fragment run that just finished.

    When a session's ScriptRunner has finished its last run and is shutting down, while
    the event loop has not yet handled that run's messages, a new fragment rerun (a
    phone's ``run_every`` tick, say) makes Streamlit start a new ScriptRunner at once.
    From then on it ignores every message of the old runner, which includes the whole
    previous run: a submit was stored, but its "Verstuurd" never reached the phone
    (bench/live.py caught this under load, with and without the batching above). Here
    the new rerun waits until the old runner's messages, and its shutdown, are handled.
    A full rerun still starts at once, as before: it redraws everything anyway.
    """
    from streamlit.runtime.app_session import AppSession, AppSessionState
    from streamlit.runtime.scriptrunner import ScriptRunnerEvent

    if getattr(AppSession, "_samenspraak_keeps_runs", False):
        return
    create = AppSession._create_scriptrunner
    handle = AppSession._handle_scriptrunner_event_on_event_loop

    def create_scriptrunner(self, initial_rerun_data) -> None:
        deferred = self.__dict__.setdefault("_ss_deferred", [])
        if self._scriptrunner is not None:  # it refused the rerun: it is shutting down
            deferred.append(initial_rerun_data)
            return
        create(self, initial_rerun_data)
        while deferred and self._scriptrunner is not None:
            if not self._scriptrunner.request_rerun(deferred[0]):
                return  # that runner is done already; its shutdown brings the rest
            deferred.pop(0)

    def handle_event(self, sender, event, *args, **kwargs) -> None:
        was_current = sender is not None and sender is self._scriptrunner
        handle(self, sender, event, *args, **kwargs)
        if event != ScriptRunnerEvent.SHUTDOWN or not was_current or self._scriptrunner is not None:
            return
        deferred = self.__dict__.get("_ss_deferred")
        if not deferred:
            return
        if self._state == AppSessionState.SHUTDOWN_REQUESTED:
            deferred.clear()
            return
        create_scriptrunner(self, deferred.pop(0))

    AppSession._create_scriptrunner = create_scriptrunner
    AppSession._handle_scriptrunner_event_on_event_loop = handle_event
    AppSession._samenspraak_keeps_runs = True


def cache_session_config() -> None:
    """Build the config and theme parts of Streamlit's ``new_session`` message once.

    Streamlit sends ``new_session`` at the start of every script run, fragment runs
    included, and rebuilds its config and six theme sections from the option table each
    time: a fifth of the server's CPU while 200 phones only poll (bench/live.py with
    --profile). The options are fixed once the server runs; if Streamlit parses its
    config again, the cache is emptied.
    """
    from streamlit import config
    from streamlit.runtime import app_session

    if getattr(app_session, "_samenspraak_cached", False):
        return
    populate_config, populate_theme = app_session._populate_config_msg, app_session._populate_theme_msg
    cache: dict[str, object] = {}

    def cached(key: str, msg, build) -> None:
        hit = cache.get(key)
        if hit is None:
            hit = type(msg)()
            build(hit)
            cache[key] = hit
        if hit.ByteSize():  # an empty section leaves the field unset, as Streamlit does
            msg.CopyFrom(hit)

    def config_msg(msg) -> None:
        cached("config", msg, populate_config)

    def theme_msg(msg, section: str = "theme") -> None:
        cached(section, msg, lambda fresh: populate_theme(fresh, section))

    config.on_config_parsed(cache.clear, force_connect=True)
    app_session._populate_config_msg = config_msg
    app_session._populate_theme_msg = theme_msg
    app_session._samenspraak_cached = True


def main(argv: list[str]) -> None:
    install()
    modern_pages_only()
    batch_script_events()
    keep_finished_fragment_runs()
    cache_session_config()
    from streamlit.web.cli import main as streamlit_main

    script = str(Path(__file__).resolve().parent / "app.py")
    # `serve.py run other.py ...` runs another script (the benchmark's baseline); default: app.py.
    args = argv[1:] if argv[:1] == ["run"] else [script, *argv]
    sys.argv = ["streamlit", "run", *args]
    streamlit_main()


if __name__ == "__main__":
    main(sys.argv[1:])
