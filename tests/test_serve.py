"""ui/streamlit_internals.py is the one place that uses Streamlit's internals; these tests
notice when an upgrade moves one of them, or when another module starts using one.

What the fixes are for is measured by bench/live.py; that the app works through them is
the browser suite (every e2e server starts with serve.py, and one as a bare
``streamlit run app.py``); tests/test_server_network.py starts both and checks what they
say to the network.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import streamlit

from ui import streamlit_internals

ROOT = Path(__file__).resolve().parent.parent
INTERNALS = ROOT / "ui" / "streamlit_internals.py"
#: Names the module sets on Streamlit's objects for itself (flags, per-session state).
OWN_PREFIXES = ("_samenspraak", "_ss_")


def test_streamlit_is_the_version_the_patches_were_written_for():
    pin = re.search(r"^streamlit==(\S+)$", (ROOT / "requirements.txt").read_text(), re.M)
    assert pin is not None, "requirements.txt must pin streamlit exactly (ui/streamlit_internals.py uses its internals)"
    assert streamlit.__version__ == pin.group(1)


def _private_attributes(path: Path) -> set[str]:
    """Every ``x._name`` (not ``__dunder__``) read or written in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.attr for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")}


def test_private_lists_every_private_name_the_module_uses():
    used = {name for name in _private_attributes(INTERNALS) if not name.startswith(OWN_PREFIXES)}
    listed = {name for names in streamlit_internals.PRIVATE.values() for name in names}
    assert used == listed, f"used but not in PRIVATE: {sorted(used - listed)}; listed, unused: {sorted(listed - used)}"


CHECK_EXISTS = r"""
import asyncio, importlib, sys
from ui.streamlit_internals import PRIVATE

def resolve(dotted):
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for attr in parts[i:]:
            obj = getattr(obj, attr)
        return obj
    raise ImportError(dotted)

async def instances():
    # A real session and a real event loop: some of the names are set in __init__.
    from streamlit.runtime.app_session import AppSession
    from streamlit.runtime.script_data import ScriptData
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
    session = AppSession(ScriptData("app.py", False), MemoryUploadedFileManager("/upload"), ScriptCache(), None, {})
    return {"streamlit.runtime.app_session.AppSession": session,
            "asyncio.selector_events.BaseSelectorEventLoop": asyncio.get_running_loop()}

made = asyncio.run(instances())
missing = []
for owner, names in PRIVATE.items():
    obj = resolve(owner)
    for name in names:
        if not hasattr(obj, name) and not hasattr(made.get(owner), name):
            missing.append(f"{owner}.{name}")
made["streamlit.runtime.app_session.AppSession"].shutdown()
assert isinstance(made["asyncio.selector_events.BaseSelectorEventLoop"], resolve("asyncio.selector_events.BaseSelectorEventLoop"))
print("missing:", missing)
"""


def test_every_private_name_exists_in_the_pinned_streamlit():
    out = subprocess.run([sys.executable, "-c", CHECK_EXISTS], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.strip().splitlines()[-1] == "missing: []"


#: Outside ui/streamlit_internals.py the app imports only Streamlit's public API.
PUBLIC = re.compile(r"^streamlit(\.components\.v1|\.testing\.v1|\.proto(\..*)?)?$")
PRIVATE_MODULES = re.compile(r"^(asyncio\.base_events|asyncio\.selector_events|starlette|uvicorn)(\.|$)")


def _project_files() -> list[Path]:
    skip = {".venv", "node_modules", "tests", ".git", "test-artifacts"}
    return [p for p in ROOT.rglob("*.py") if not skip & set(p.relative_to(ROOT).parts) and p != INTERNALS]


def test_no_other_module_uses_streamlit_internals():
    listed = {name for names in streamlit_internals.PRIVATE.values() for name in names}
    problems = []
    files = _project_files()
    assert ROOT / "ui" / "push.py" in files and ROOT / "serve.py" in files
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = path.relative_to(ROOT)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                modules = [node.module] + ([f"{node.module}.{a.name}" for a in node.names]
                                           if node.module == "streamlit" else [])
            else:
                modules = []
            for module in modules:
                if module.startswith("streamlit") and not PUBLIC.match(module) or PRIVATE_MODULES.match(module):
                    problems.append(f"{where}:{node.lineno} imports {module}")
        for name in _private_attributes(path) & listed:
            problems.append(f"{where} uses {name}")
    assert problems == [], "use ui/streamlit_internals.py instead:\n" + "\n".join(problems)


CHECK = r"""
from ui import streamlit_internals as internals
from streamlit.runtime import app_session
from streamlit.runtime.app_session import AppSession
from streamlit.runtime.runtime import Runtime
from streamlit import net_util
from starlette.applications import Starlette
from asyncio import base_events

def patched():
    return {
        "event": AppSession._on_scriptrunner_event,
        "handle": AppSession._handle_scriptrunner_event_on_event_loop,
        "create": AppSession._create_scriptrunner,
        "wake": Runtime._enqueued_some_message,
        "config": app_session._populate_config_msg,
        "theme": app_session._populate_theme_msg,
        "external_ip": net_util.get_external_ip,
        "internal_ip": net_util.get_internal_ip,
        "asgi": Starlette.__call__,
        "nodelay": base_events._set_nodelay,
    }

def build(msg):  # as AppSession._create_new_session_message does
    app_session._populate_config_msg(msg.config)
    app_session._populate_theme_msg(msg.custom_theme)
    app_session._populate_theme_msg(msg.custom_theme.light, "theme.light")
    app_session._populate_theme_msg(msg.custom_theme.dark.sidebar, "theme.dark.sidebar")

before = patched()
fresh = app_session.NewSession()
build(fresh)

internals.install_in_server()  # no server runs here: nothing happens
assert patched() == before

for _ in range(2):  # installing twice must not wrap twice
    internals.install()
    after = patched()
    changed = sorted(k for k in before if before[k] is not after[k])
    assert changed == sorted(before), changed
for name in ("batch_script_events", "keep_finished_fragment_runs", "cache_session_config",
             "metrics_from_loopback_only"):
    getattr(internals, name)()
assert patched() == after
assert net_util.get_external_ip() is None and net_util.get_internal_ip() is None

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
