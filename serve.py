"""Start Samenspraak: ``streamlit run app.py`` with the server fixes installed before it starts.

    .venv/bin/python serve.py [streamlit options]          # same options as `streamlit run`
    .venv/bin/python serve.py --server.port 8080

The fixes themselves, and every other use of Streamlit's internals, are in
ui/streamlit_internals.py. ``app.py`` installs them too, on its first run, so a bare
``streamlit run app.py`` serves the same app; starting through this launcher only has them
in place a moment earlier (before the first connection). ``bench/live.py`` starts both the
app and its baseline through this launcher (``--launcher streamlit`` starts them with plain
``streamlit run``).
"""

from __future__ import annotations

import sys
from pathlib import Path


def main(argv: list[str]) -> None:
    from ui.streamlit_internals import run_streamlit

    script = str(Path(__file__).resolve().parent / "app.py")
    # `serve.py run other.py ...` runs another script (the benchmark's baseline); default: app.py.
    run_streamlit(argv[1:] if argv[:1] == ["run"] else [script, *argv])


if __name__ == "__main__":
    main(sys.argv[1:])
