"""Start Samenspraak the way production should: ``streamlit run app.py`` with TCP_NODELAY,
and with Streamlit's legacy ``pages/`` folder mode switched off (see ``modern_pages_only``).

    .venv/bin/python serve.py [streamlit options]          # same options as `streamlit run`
    .venv/bin/python serve.py --server.port 8080

Why: Streamlit 1.67 serves through uvicorn on a socket it binds itself with
``socket.socket(family)``, so the socket's ``proto`` is 0, and asyncio only turns
on TCP_NODELAY for sockets whose proto is IPPROTO_TCP (uvicorn issue #3149).
Nagle's algorithm then holds back every small websocket frame that follows a
larger one until the browser's delayed ACK arrives: about 40 ms added to every
script run on Linux (up to 200 ms on Windows clients), measured with bench/live.py.
This launcher makes asyncio set TCP_NODELAY on every TCP stream socket, then
hands over to Streamlit's own command line. ``bench/live.py`` starts both the app
and its baseline through it (``--launcher streamlit`` measures without it).
"""

from __future__ import annotations

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


def main(argv: list[str]) -> None:
    install()
    modern_pages_only()
    from streamlit.web.cli import main as streamlit_main

    script = str(Path(__file__).resolve().parent / "app.py")
    # `serve.py run other.py ...` runs another script (the benchmark's baseline); default: app.py.
    args = argv[1:] if argv[:1] == ["run"] else [script, *argv]
    sys.argv = ["streamlit", "run", *args]
    streamlit_main()


if __name__ == "__main__":
    main(sys.argv[1:])
