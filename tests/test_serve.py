"""serve.py patches private parts of Streamlit; these tests notice when an upgrade moves them.

What the patches are for is measured by bench/live.py; that the app works through them is
the browser suite (every e2e server starts with serve.py).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import streamlit

ROOT = Path(__file__).resolve().parent.parent


def test_streamlit_is_the_version_the_patches_were_written_for():
    pin = re.search(r"^streamlit==(\S+)$", (ROOT / "requirements.txt").read_text(), re.M)
    assert pin is not None, "requirements.txt must pin streamlit exactly (serve.py patches its internals)"
    assert streamlit.__version__ == pin.group(1)


CHECK = r"""
import serve
from streamlit.runtime import app_session
from streamlit.runtime.app_session import AppSession
from streamlit.runtime.runtime import Runtime

def patched():
    return {
        "event": AppSession._on_scriptrunner_event,
        "handle": AppSession._handle_scriptrunner_event_on_event_loop,
        "create": AppSession._create_scriptrunner,
        "wake": Runtime._enqueued_some_message,
        "config": app_session._populate_config_msg,
        "theme": app_session._populate_theme_msg,
    }

def build(msg):  # as AppSession._create_new_session_message does
    app_session._populate_config_msg(msg.config)
    app_session._populate_theme_msg(msg.custom_theme)
    app_session._populate_theme_msg(msg.custom_theme.light, "theme.light")
    app_session._populate_theme_msg(msg.custom_theme.dark.sidebar, "theme.dark.sidebar")

before = patched()
fresh = app_session.NewSession()
build(fresh)

for _ in range(2):  # applying twice must not wrap twice
    serve.batch_script_events()
    serve.keep_finished_fragment_runs()
    serve.cache_session_config()
after = patched()
changed = sorted(k for k in before if before[k] is not after[k])
assert changed == sorted(before), changed

cached = app_session.NewSession()
for _ in range(2):  # first call fills the cache, second one copies from it
    cached.Clear()
    build(cached)
assert cached == fresh, (cached, fresh)
print("ok")
"""


def test_patches_apply_once_and_the_cached_config_equals_a_fresh_one():
    out = subprocess.run([sys.executable, "-c", CHECK], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.strip() == "ok"
