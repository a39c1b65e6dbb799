"""deploy/: the production recipe's files agree with the app. That the recipe works (nginx in
front of two processes on one PostgreSQL) is tests/e2e/test_e2e_scaleout.py, which renders the
same nginx file."""

from __future__ import annotations

import configparser
import importlib.util
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"


def _renderer():
    spec = importlib.util.spec_from_file_location("deploy_nginx", DEPLOY / "nginx.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_nginx_file_names_every_process_and_closes_the_metrics():
    text = _renderer().render([8501, 8502, 8503], listen="80", server_name="workshop.example.nl")
    assert "@" not in re.sub(r"#.*", "", text), "a placeholder was left in the rendered file"
    assert re.findall(r"^\s*server 127\.0\.0\.1:(\d+);", text, re.M) == ["8501", "8502", "8503"]
    assert re.search(r"location \^~ /_stcore/metrics \{\s*return 403;", text)
    stream = text[text.index("location /_stcore/stream"):]
    for directive in ("proxy_set_header Upgrade $http_upgrade", "proxy_read_timeout 3600s",
                      "proxy_set_header Host $http_host", "proxy_set_header X-Forwarded-For"):
        assert directive in stream, directive
    with pytest.raises(ValueError):
        _renderer().render([])


def test_the_rendered_file_is_valid_nginx(tmp_path):
    (tmp_path / "site.conf").write_text(_renderer().render([8501, 8502], listen="127.0.0.1:18080",
                                                           access_log=str(tmp_path / "access.log")))
    conf = tmp_path / "nginx.conf"
    conf.write_text(f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
                    f"http {{ include {tmp_path}/site.conf; }}\n")
    out = subprocess.run(["/usr/sbin/nginx", "-t", "-q", "-p", str(tmp_path), "-e", "stderr", "-c", str(conf)],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr


def test_systemd_unit_starts_serve_py_on_loopback_with_the_shared_settings():
    unit = configparser.ConfigParser(interpolation=None, strict=False)
    unit.optionxform = str
    unit.read(DEPLOY / "samenspraak@.service")
    start = unit["Service"]["ExecStart"].split()
    assert start[1:] == ["serve.py", "--server.port", "%i", "--server.address", "127.0.0.1"]
    assert unit["Service"]["EnvironmentFile"] == "/etc/samenspraak/env"
    env = dict(line.split("=", 1) for line in (DEPLOY / "env.example").read_text().splitlines()
               if line and not line.startswith("#"))
    assert {"SAMENSPRAAK_DATABASE_URL", "SAMENSPRAAK_PUBLIC_URL", "STREAMLIT_SERVER_COOKIE_SECRET"} <= set(env)
    assert env["SAMENSPRAAK_DATABASE_URL"].startswith("postgresql+psycopg://")


def test_every_page_file_is_named_after_its_address():
    """A folder named pages/ next to app.py puts Streamlit in its legacy multipage mode until app.py
    first runs, serving each file under its own name: with other names the first visitor of /scherm or
    /begeleider got "Page not found". So each page file carries its address (the join page is the
    default, at /), and no other script lies in pages/."""
    import re

    source = (ROOT / "app.py").read_text(encoding="utf-8")
    declared = re.findall(r'st\.Page\("pages/(\w+)\.py".*?url_path="(\w+)"', source)
    assert declared and all(name == url for name, url in declared), declared
    files = sorted(p.stem for p in (ROOT / "pages").glob("*.py"))
    assert files == sorted(name for name, _ in declared)
