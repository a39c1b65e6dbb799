"""workshop/settings.py: every SAMENSPRAAK_* setting read in one place, one parser each."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from workshop import settings

ROOT = Path(__file__).resolve().parent.parent


def test_defaults_and_bad_values_mean_the_default(setting):
    for name in ("RETENTION_DAYS", "IMPORT_MAX_BYTES", "MAX_PARTICIPANTS", "PUSH_SECONDS", "ADMIN_PASSWORD",
                 "PUBLIC_URL", "DATABASE_URL"):
        setting(f"SAMENSPRAAK_{name}", "")
    now = settings.get()
    assert (now.retention_days, now.import_max_bytes, now.max_participants, now.push_seconds) == (
        None, 20 * 1024 * 1024, 250, 0.1)
    assert (now.admin_password, now.public_url, now.database_url) == ("", "", "")
    for bad in ("dertig", "0", "-3", "2.5"):
        setting("SAMENSPRAAK_RETENTION_DAYS", bad)
        assert settings.get().retention_days is None, bad
    setting("SAMENSPRAAK_RETENTION_DAYS", " 30 ")
    assert settings.get().retention_days == 30
    setting("SAMENSPRAAK_MAX_PARTICIPANTS", "veel")
    assert settings.get().max_participants == 250


def test_durations_are_kept_within_their_bounds(setting):
    setting("SAMENSPRAAK_PUSH_SECONDS", "0.001")
    assert settings.get().push_seconds == 0.05
    setting("SAMENSPRAAK_COCKPIT_TICK_SECONDS", "3600")
    assert settings.get().cockpit_tick_seconds == 10.0
    setting("SAMENSPRAAK_PHONE_POLL_SECONDS", "snel")
    assert settings.get().phone_poll_seconds == 120.0
    setting("SAMENSPRAAK_PUBLIC_URL", " https://workshop.example.nl/ ")
    assert settings.get().public_url == "https://workshop.example.nl"


def test_read_once_until_reloaded(monkeypatch):
    before = settings.get()
    monkeypatch.setenv("SAMENSPRAAK_ADMIN_PASSWORD", "nieuw-wachtwoord")
    assert settings.get() is before, "a process reads its environment once"
    assert settings.reload().admin_password == "nieuw-wachtwoord"


def test_no_other_module_reads_the_environment():
    """Only workshop/settings.py reads SAMENSPRAAK_* settings (the tests, bench and deploy aside)."""
    files = subprocess.run(["git", "ls-files", "*.py"], cwd=ROOT, capture_output=True, text=True,
                           check=True).stdout.split()
    readers = []
    for name in files:
        if name.startswith(("tests/", "bench/", "deploy/")) or name == "workshop/settings.py":
            continue
        text = (ROOT / name).read_text(encoding="utf-8")
        if re.search(r"os\.environ|os\.getenv|getenv\(", text) and "SAMENSPRAAK_" in text:
            readers.append(name)
    assert readers == []


def test_every_setting_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = re.findall(r'_(?:text|whole|seconds)\("([A-Z_]+)"', (ROOT / "workshop/settings.py").read_text())
    assert len(names) == 14
    assert [n for n in names if f"`SAMENSPRAAK_{n}`" not in readme] == []


def test_settings_load_nothing_else_of_the_app():
    """Any module may read a setting, also one the store imports (canvas_models): importing the
    settings loads neither the store nor the database layer."""
    code = ("import sys, workshop.settings as s; s.get(); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('workshop', 'sqlalchemy', 'canvas_models', "
            "'messages', 'streamlit')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['workshop', 'workshop.settings']"
