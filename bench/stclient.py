"""A headless Streamlit client that speaks the browser's own websocket protocol.

It opens ``ws://HOST:PORT/_stcore/stream`` with the ``streamlit`` subprotocol,
sends ``BackMsg.rerun_script`` messages (query string, page, widget states,
fragment id) exactly as the frontend does (see ``sendRerunBackMsg`` and
``WidgetStateManager.submitForm`` in Streamlit's frontend bundle), and parses
the ``ForwardMsg`` stream: ``new_session`` starts a run, ``delta`` messages
carry the elements, ``page_info_changed`` carries a new query string (what
``st.query_params`` writes), ``auto_rerun`` starts a fragment's ``run_every``
timer, and ``script_finished`` ends the run.

One client costs a few hundred kilobytes, so hundreds run in one asyncio loop.
Only ``streamlit.proto`` and ``websockets`` are used.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

FINISHED_FULL = ForwardMsg.FINISHED_SUCCESSFULLY
FINISHED_FRAGMENT = ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY
FINISHED_EARLY = ForwardMsg.FINISHED_EARLY_FOR_RERUN
FINISHED_ERROR = ForwardMsg.FINISHED_WITH_COMPILE_ERROR

#: Element types that are widgets, and the proto field that holds their value.
WIDGET_TYPES = {"text_input", "text_area", "selectbox", "button", "multiselect", "segmented_control",
                "button_group", "date_input", "checkbox", "radio", "number_input", "slider"}


class ProtocolError(RuntimeError):
    pass


@dataclass
class Run:
    """One script run (full or fragment) as the client saw it."""

    run_id: str
    fragment_ids: tuple[str, ...]
    started: float
    elements: list = field(default_factory=list)  # (delta_path, element type, Element proto, fragment_id)
    finished: float | None = None
    status: int | None = None
    exception: str | None = None

    @property
    def is_fragment(self) -> bool:
        return bool(self.fragment_ids)

    def of_type(self, kind: str) -> list:
        return [el for _p, k, el, _f in self.elements if k == kind]

    def html_bodies(self) -> list[str]:
        return [el.html.body for el in self.of_type("html")]

    def alerts(self) -> list[str]:
        return [el.alert.body for el in self.of_type("alert")]

    def widget(self, kind: str, user_key: str):
        """The widget of ``kind`` whose element id carries ``user_key`` (``$$ID-<hash>-<key>``)."""
        for el in self.of_type(kind):
            wid = getattr(el, kind).id
            if wid.split("-", 2)[-1] == user_key:
                return getattr(el, kind)
        return None

    def widgets(self, kind: str) -> list:
        return [getattr(el, kind) for el in self.of_type(kind)]

    def fragment_of(self, widget_id: str) -> str:
        """The fragment a widget was drawn in ('' outside fragments): the browser sends it along
        with a rerun that the widget triggers, so that only that fragment runs."""
        for _p, kind, el, fragment_id in self.elements:
            if kind in WIDGET_TYPES and getattr(el, kind).id == widget_id:
                return fragment_id
        return ""


class StreamlitClient:
    """One browser tab: a websocket session on one page of the app."""

    def __init__(self, base: str, page: str = "", query: dict[str, str] | None = None, *,
                 timezone: str = "Europe/Amsterdam", locale: str = "nl-NL", keep_runs: int = 4):
        self.base = base.rstrip("/")  # http://127.0.0.1:8501
        self.page = page.strip("/")  # '' or 'scherm'
        self.query_string = urlencode(query or {})
        self.page_script_hash = ""
        self.timezone = timezone
        self.locale = locale
        self.ws = None
        self.runs: list[Run] = []
        self._last_full: Run | None = None
        self.current: Run | None = None
        self.keep_runs = keep_runs
        self.widget_states: dict[str, WidgetState] = {}
        self.auto_reruns: dict[str, float] = {}
        self.query_changes: list[tuple[float, str]] = []
        self.exceptions: list[str] = []
        self.bytes_in = 0
        self.msgs_in = 0
        self.closed = asyncio.Event()
        self._run_waiters: list[tuple[callable, asyncio.Future]] = []
        self._reader: asyncio.Task | None = None
        self._tickers: dict[str, asyncio.Task] = {}
        self.tick_auto_reruns = False
        self.on_run_finished = None  # optional callback(client, run)
        self.on_element = None  # optional callback(client, element type, Element proto, arrival time)

    # ------------------------------------------------------------ connection
    @property
    def url(self) -> str:
        path = f"/{self.page}" if self.page else "/"
        return self.base + path + (f"?{self.query_string}" if self.query_string else "")

    async def connect(self) -> None:
        ws_url = self.base.replace("http://", "ws://").replace("https://", "wss://") + "/_stcore/stream"
        # The browser sends ["streamlit", <xsrf token or placeholder>, <session id to resume>].
        self.ws = await websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None,
                                           compression=None, open_timeout=60, ping_interval=None)
        if self.ws.subprotocol != "streamlit":
            raise ProtocolError(f"server chose subprotocol {self.ws.subprotocol!r}")
        self._reader = asyncio.get_running_loop().create_task(self._read())

    async def close(self) -> None:
        for task in self._tickers.values():
            task.cancel()
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            try:
                await asyncio.wait_for(self._reader, 5)
            except (asyncio.TimeoutError, Exception):
                self._reader.cancel()

    # ------------------------------------------------------------- sending
    def _context_info(self, msg) -> None:
        ctx = msg.rerun_script.context_info
        ctx.timezone = self.timezone
        ctx.timezone_offset = -60
        ctx.locale = self.locale
        ctx.url = self.url
        ctx.is_embedded = False
        ctx.color_scheme = "light"

    async def rerun(self, widget_states: list[WidgetState] | None = None, *, fragment_id: str = "",
                    auto: bool = False) -> None:
        """Send ``rerun_script`` as ``sendRerunBackMsg`` does."""
        msg = BackMsg()
        rs = msg.rerun_script
        rs.query_string = self.query_string
        if self.page_script_hash:
            rs.page_script_hash = self.page_script_hash
        else:  # first load: the page is named by the URL path
            rs.page_script_hash = ""
            rs.page_name = self.page
        if fragment_id:
            rs.fragment_id = fragment_id
        rs.is_auto_rerun = auto
        states = list(self.widget_states.values()) if widget_states is None else widget_states
        rs.widget_states.widgets.extend(states)
        self._context_info(msg)
        await self.ws.send(msg.SerializeToString())

    async def submit_form(self, submit_button, values: dict[str, WidgetState], *, fragment_id: str = "") -> None:
        """``WidgetStateManager.submitForm``: the form's pending values join the committed
        widget states, the submit button gets ``trigger_value=True``, one rerun is sent,
        then the trigger is dropped again."""
        for wid, state in values.items():
            self.widget_states[wid] = state
        trigger = WidgetState(id=submit_button.id, trigger_value=True)
        states = [s for wid, s in self.widget_states.items() if wid != submit_button.id] + [trigger]
        await self.rerun(states, fragment_id=fragment_id)

    # ------------------------------------------------------------- waiting
    def wait_run(self, predicate, timeout: float = 60.0) -> asyncio.Future:
        """A future for the first finished run after now for which ``predicate(run)`` holds."""
        fut = asyncio.get_running_loop().create_future()
        self._run_waiters.append((predicate, fut))
        return asyncio.ensure_future(asyncio.wait_for(fut, timeout))

    @property
    def last_full_run(self) -> Run | None:
        """The page as the last complete full run drew it."""
        return self._last_full

    # ------------------------------------------------------------- reading
    async def _read(self) -> None:
        try:
            async for frame in self.ws:
                self.bytes_in += len(frame)
                self.msgs_in += 1
                msg = ForwardMsg()
                msg.ParseFromString(frame)
                self._handle(msg)
        except websockets.ConnectionClosed:
            pass
        finally:
            self.closed.set()
            for _pred, fut in self._run_waiters:
                if not fut.done():
                    fut.set_exception(ProtocolError("connection closed"))
            self._run_waiters.clear()

    def _handle(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        if kind == "delta":
            run = self.current
            if run is None:
                return
            delta = msg.delta
            dk = delta.WhichOneof("type")
            if dk == "new_element":
                el = delta.new_element
                ek = el.WhichOneof("type")
                run.elements.append((tuple(msg.metadata.delta_path), ek, el, delta.fragment_id))
                if self.on_element is not None:  # the browser draws an element as it arrives
                    self.on_element(self, ek, el, time.perf_counter())
                if ek == "exception":
                    run.exception = el.exception.message
                    self.exceptions.append(el.exception.message)
                elif ek in WIDGET_TYPES:
                    self._sync_widget(ek, getattr(el, ek))
        elif kind == "new_session":
            ns = msg.new_session
            if ns.page_script_hash:
                self.page_script_hash = ns.page_script_hash
            run_meta = msg.metadata.run
            self.current = Run(run_meta.script_run_id, tuple(run_meta.fragment_ids), time.perf_counter())
            if not run_meta.fragment_ids:  # handleNewSession: a full run clears every run_every timer
                self.auto_reruns.clear()
                for task in self._tickers.values():
                    task.cancel()
                self._tickers.clear()
        elif kind == "script_finished":
            run = self.current
            if run is None:
                return
            run.finished = time.perf_counter()
            run.status = msg.script_finished
            self.current = None
            self.runs.append(run)
            if len(self.runs) > self.keep_runs:
                del self.runs[0]
            if run.status == FINISHED_FULL:  # the browser forgets widgets that left the page
                self._last_full = run
                live = {getattr(el, k).id for _p, k, el, _f in run.elements if k in WIDGET_TYPES}
                for wid in list(self.widget_states):
                    if wid not in live:
                        del self.widget_states[wid]
            if self.on_run_finished is not None:
                self.on_run_finished(self, run)
            still = []
            for pred, fut in self._run_waiters:
                if fut.done():
                    continue
                if pred(run):
                    fut.set_result(run)
                else:
                    still.append((pred, fut))
            self._run_waiters = still
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
            self.query_changes.append((time.perf_counter(), self.query_string))
        elif kind == "auto_rerun":
            ar = msg.auto_rerun
            if ar.fragment_id and self.auto_reruns.get(ar.fragment_id) != ar.interval:
                self.auto_reruns[ar.fragment_id] = ar.interval
                if self.tick_auto_reruns:
                    self._start_ticker(ar.fragment_id, ar.interval)
        elif kind == "stop_auto_rerun":
            for fid in msg.stop_auto_rerun.fragment_ids:
                self.auto_reruns.pop(fid, None)
                task = self._tickers.pop(fid, None)
                if task:
                    task.cancel()
        elif kind == "session_event":
            ev = msg.session_event
            if ev.WhichOneof("type") == "script_compilation_exception":
                self.exceptions.append(ev.script_compilation_exception.message)

    def _sync_widget(self, kind: str, proto) -> None:
        """A value the server set (``set_value``) replaces what the browser held."""
        if not getattr(proto, "set_value", False):
            return
        if kind in ("text_input", "text_area"):
            self.widget_states[proto.id] = WidgetState(id=proto.id, string_value=proto.value)

    # ------------------------------------------------------------- timers
    def start_auto_reruns(self) -> None:
        """Tick every fragment whose ``run_every`` the server announced, like ``handleAutoRerun``."""
        self.tick_auto_reruns = True
        for fid, interval in self.auto_reruns.items():
            if fid not in self._tickers:
                self._start_ticker(fid, interval)

    def _start_ticker(self, fragment_id: str, interval: float) -> None:
        old = self._tickers.pop(fragment_id, None)
        if old:
            old.cancel()
        self._tickers[fragment_id] = asyncio.get_running_loop().create_task(self._tick(fragment_id, interval))

    async def _tick(self, fragment_id: str, interval: float) -> None:
        # setInterval: the first tick comes one interval after the message.
        try:
            while not self.closed.is_set():
                await asyncio.sleep(interval)
                if self.closed.is_set():
                    return
                await self.rerun(fragment_id=fragment_id, auto=True)
        except (asyncio.CancelledError, websockets.ConnectionClosed):
            return


def text_state(widget, value: str) -> WidgetState:
    return WidgetState(id=widget.id, string_value=value)


def selectbox_state(widget, option_label: str) -> WidgetState:
    """A selectbox's wire value is the formatted option text (``SelectboxSerde``)."""
    if option_label not in list(widget.options):
        raise ProtocolError(f"{option_label!r} is not an option of {widget.id}")
    return WidgetState(id=widget.id, string_value=option_label)


def form_submit_button(run: Run, form_id: str):
    for button in run.widgets("button"):
        if button.is_form_submitter and button.form_id == form_id:
            return button
    return None
