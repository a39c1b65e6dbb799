"""Every use of Streamlit's (and asyncio's) internals, in one place.

Samenspraak changes how Streamlit 1.67 serves many sessions, and the push watcher
(ui/push.py) reruns sessions from its own thread. Both need parts of Streamlit that are
not its public API. They all live here, and nowhere else: ``PRIVATE`` lists every
private name this module touches, and tests/test_serve.py checks that each exists in the
pinned Streamlit, that the patches apply once and that no other module of the app uses a
private name or imports one of Streamlit's inner modules.

``install()`` applies the server fixes, once per process (each measured with
bench/live.py):

* TCP_NODELAY on every connection (``set_nodelay_everywhere``). Streamlit binds its
  socket itself with ``socket.socket(family)``, so the socket's ``proto`` is 0, and
  asyncio only turns on TCP_NODELAY for sockets whose proto is IPPROTO_TCP (uvicorn issue
  #3149). Nagle's algorithm then holds back every small websocket frame that follows a
  larger one until the browser's delayed ACK arrives: about 40 ms added to every script
  run on Linux.
* A run's messages reach the event loop in batches (``batch_script_events``).
* The output of a fragment run that just finished is not thrown away when the next
  rerun comes in quickly (``keep_finished_fragment_runs``): it was the "Verstuurd" of a
  stored note.
* The config part of every run's ``new_session`` message is built once
  (``cache_session_config``).
* No outside calls (``no_outside_calls``): Streamlit looks up the machine's addresses
  (checkip.amazonaws.com, a route to 8.8.8.8) when it prints its URLs and when a
  websocket comes from another origin. ``.streamlit/config.toml`` sets ``browser.serverAddress`` so the
  start-up banner asks nothing; this makes sure nothing else asks either.
* ``/_stcore/metrics`` only for requests from this machine (``metrics_from_loopback_only``).

Both ways of starting the app install them: ``serve.py`` (./run.sh) before the server
starts, and ``app.py`` on its first run in a process, so a bare ``streamlit run app.py``
(Streamlit's hosting, most Docker images) serves the same app. On that path the first
connection was accepted before the fix; ``set_nodelay_everywhere`` sets the option on the
connections already open too.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
import threading
from asyncio import base_events

from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.scriptrunner_utils.script_run_context import ThreadState

_LOG = logging.getLogger(__name__)

#: Streamlit functions replaced below, kept alive (see batch_script_events).
_REPLACED: list[object] = []

#: Every private name used below, by owner. tests/test_serve.py checks each one against the
#: installed Streamlit and asyncio, and that the rest of the app uses none of them.
PRIVATE: dict[str, tuple[str, ...]] = {
    "asyncio.base_events": ("_set_nodelay",),
    "asyncio.selector_events.BaseSelectorEventLoop": ("_transports",),
    "streamlit.runtime.app_session": ("_populate_config_msg", "_populate_theme_msg"),
    "streamlit.runtime.app_session.AppSession": (
        "_on_scriptrunner_event", "_handle_scriptrunner_event_on_event_loop", "_create_scriptrunner",
        "_call_soon_on_event_loop", "_event_loop", "_scriptrunner", "_client_state", "_state",
    ),
    "streamlit.runtime.runtime.Runtime": ("_enqueued_some_message", "_get_async_objs"),
}


# ------------------------------------------------------------------------ what push.py needs
def script_run_ctx():
    """The running script's context, or None outside a script run."""
    return get_script_run_ctx(suppress_warning=True)


def served_session_id() -> str | None:
    """This run's session, if a real Streamlit server holds it (not under AppTest or in a script)."""
    ctx = script_run_ctx()
    if ctx is None or not Runtime.exists():
        return None
    # `is True`: AppTest installs a MagicMock as the runtime, whose answers are mocks.
    if Runtime.instance().is_active_session(ctx.session_id) is not True:
        return None
    return ctx.session_id


def is_active_session(session_id: str) -> bool:
    return Runtime.instance().is_active_session(session_id)


def app_session(session_id: str):
    """The AppSession of ``session_id``, or None when the browser went away."""
    return Runtime.instance().get_app_session(session_id)


def call_on_session_loop(session, fn, *args) -> None:
    """Run ``fn(*args)`` on the event loop that serves ``session`` (from any thread)."""
    session._event_loop.call_soon_threadsafe(fn, *args)


def session_is_running(session) -> bool:
    """A script run of this session is in progress (call on its event loop)."""
    return session._scriptrunner is not None


def rerun_session(session) -> None:
    """Rerun the page as the browser last asked for it (call on its event loop)."""
    session.request_rerun(session._client_state)


def current_fragment_id() -> str | None:
    """The fragment the running code is drawn in (None in a page's main body, or outside a run)."""
    try:
        return ThreadState.get().fragment_id
    except RuntimeError:  # not a script thread
        return None


def buttons_pressed_now() -> int:
    """How many buttons the running interaction pressed, seen from a widget callback. Clicks that reach
    the server together (the facilitator's, and the cockpit ticker's hidden refresh) are one
    interaction: their callbacks run in one script run, and that run's fragment is the first click's."""
    ctx = get_script_run_ctx(suppress_warning=True)
    state = getattr(getattr(ctx, "session_state", None), "_state", None)
    widgets = getattr(state, "_current_interaction_widget_states", None)
    if widgets is None:
        return 0
    return sum(1 for w in widgets.widgets if w.WhichOneof("value") == "trigger_value" and w.trigger_value)


def rerun_fragment(session, fragment_id: str) -> None:
    """Rerun one fragment of the page, as the browser's ``run_every`` tick asks for it (call on
    the session's event loop)."""
    state = ClientState()
    state.CopyFrom(session._client_state)
    state.fragment_id = fragment_id
    state.is_auto_rerun = True
    session.request_rerun(state)


# ------------------------------------------------------------------------------ the fixes
def _set_nodelay(sock) -> None:
    if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM:
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:  # pragma: no cover - a socket that does not take the option
            pass


def set_nodelay_everywhere() -> None:
    """TCP_NODELAY on every asyncio TCP transport created from now on, and on those the
    server's event loop already holds (a bare ``streamlit run`` installs this during the
    first run, after the first browser connected)."""
    base_events._set_nodelay = _set_nodelay
    loop = _server_loop()
    if loop is None:
        return

    def existing() -> None:
        for transport in list(loop._transports.values()):
            sock = transport.get_extra_info("socket")
            if sock is not None:
                _set_nodelay(sock)

    loop.call_soon_threadsafe(existing)


def _running_loop():
    """The event loop running in this thread, or None (a ScriptRunner thread has none)."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _server_loop():
    """The event loop of a running Streamlit server, or None (before it started, AppTest)."""
    if not Runtime.exists() or type(Runtime.instance()) is not Runtime:
        return None
    try:
        return Runtime.instance()._get_async_objs().eventloop
    except RuntimeError:  # the runtime has no event loop yet
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
                _LOG.exception("script event %s failed", event)
        return True

    # A running ScriptRunner holds its session's handler through a weak reference to the
    # function (blinker's WeakMethod): keep the original alive, or a run that is going on
    # while this installs (the first run of a bare `streamlit run`) loses its messages.
    _REPLACED.append(AppSession._on_scriptrunner_event)
    AppSession._on_scriptrunner_event = on_event
    AppSession._samenspraak_batched = True

    # Every message the loop thread queues for a browser then "wakes" the loop it is
    # already running on, through the same socket. On the loop thread, set the flag.
    from streamlit.runtime.runtime import Runtime as RuntimeClass

    def enqueued_some_message(self) -> None:
        objs = self._get_async_objs()
        if _running_loop() is objs.eventloop:
            objs.need_send_data.set()
        else:
            objs.eventloop.call_soon_threadsafe(objs.need_send_data.set)

    RuntimeClass._enqueued_some_message = enqueued_some_message


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
    from streamlit.runtime import app_session as app_session_module

    if getattr(app_session_module, "_samenspraak_cached", False):
        return
    populate_config = app_session_module._populate_config_msg
    populate_theme = app_session_module._populate_theme_msg
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
    app_session_module._populate_config_msg = config_msg
    app_session_module._populate_theme_msg = theme_msg
    app_session_module._samenspraak_cached = True


def no_outside_calls() -> None:
    """Never ask the network for this machine's addresses.

    Streamlit 1.67 fetches checkip.amazonaws.com (``net_util.get_external_ip``) and
    "connects" a UDP socket to 8.8.8.8 (``get_internal_ip``) for the "External URL" and
    "Network URL" lines of its start-up banner when ``server.address`` is not set (or is
    0.0.0.0) and ``server.headless`` is on, and again when a websocket arrives from an
    origin other than the address the page was opened on. Binding to one address would
    stop it but also shut out the phones on the local network; ``browser.serverAddress``
    in .streamlit/config.toml stops the banner's lookups, this stops the rest. A
    cross-origin websocket is then judged on localhost and the configured addresses only
    (the app's own pages are same-origin and never get there).
    """
    from streamlit import net_util

    net_util.get_external_ip = _no_address
    net_util.get_internal_ip = _no_address


def _no_address() -> None:
    return None


def is_loopback(host: str | None) -> bool:
    """``host`` is an address of this machine's loopback interface (127.0.0.0/8, ::1)."""
    try:
        address = ipaddress.ip_address((host or "").strip("[]"))
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return (mapped or address).is_loopback


async def _forbidden(send) -> None:
    from messages import t

    body = t("server.metrics_forbidden").encode("utf-8")
    await send({"type": "http.response.start", "status": 403,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def metrics_from_loopback_only() -> None:
    """Answer ``/_stcore/metrics`` only to a request from this machine.

    The page has the number of open sessions, connects and disconnects: nothing for a
    phone on the venue's Wi-Fi. The client is the connection's peer, or, when that peer is
    a proxy on this machine, the address the proxy passed in ``X-Forwarded-For`` (uvicorn
    trusts that header from 127.0.0.1 and ::1 only), so behind nginx an outside visitor
    stays outside. Streamlit builds its routes before the app's first run, so the check
    sits in front of them, in the Starlette application's entry.
    """
    from starlette.applications import Starlette
    from streamlit.web.server.starlette.starlette_routes import ROUTE_METRICS

    if getattr(Starlette, "_samenspraak_metrics_guard", False):
        return
    call = Starlette.__call__
    suffix = "/" + ROUTE_METRICS.strip("/")  # under any server.baseUrlPath

    async def guarded(self, scope, receive, send) -> None:
        if scope.get("type") == "http" and scope.get("path", "").rstrip("/").endswith(suffix):
            client = scope.get("client")
            if not is_loopback(client[0] if client else None):
                await _forbidden(send)
                return
        await call(self, scope, receive, send)

    Starlette.__call__ = guarded
    Starlette._samenspraak_metrics_guard = True


_install_lock = threading.Lock()


def install() -> None:
    """Apply every fix of this module; a second call changes nothing."""
    with _install_lock:
        if getattr(install, "done", False):
            return
        set_nodelay_everywhere()
        batch_script_events()
        keep_finished_fragment_runs()
        cache_session_config()
        no_outside_calls()
        metrics_from_loopback_only()
        install.done = True


def install_in_server() -> None:
    """``install()`` when a real Streamlit server runs this app; nothing under AppTest."""
    if getattr(install, "done", False):
        return
    if Runtime.exists() and type(Runtime.instance()) is Runtime:
        install()


def run_streamlit(args: list[str]) -> None:
    """``streamlit run ARGS``, with the fixes installed before the server starts."""
    import sys

    from streamlit.web.cli import main as streamlit_main

    install()
    sys.argv = ["streamlit", "run", *args]
    streamlit_main()
