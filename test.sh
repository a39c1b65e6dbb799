#!/usr/bin/env bash
# The one command that runs the whole test suite, on SQLite and on a throwaway PostgreSQL.
#
#   ./test.sh                 # everything, as one pytest run on 3 processes (TEST_PROCESSES)
#   ./test.sh tests/test_store.py -k vote   # any pytest arguments: one pytest run, as asked
#
# On a fresh Debian/Ubuntu machine (Python 3.11+) it installs what it needs: the Debian packages
# below, a virtualenv in .venv with requirements-dev.txt, and it starts a private PostgreSQL
# cluster in a temporary folder that is removed again when the run ends. nginx is installed
# but not started as a service: the browser suite starts its own from deploy/ (127.0.0.1).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"

log() { printf '[test.sh] %s\n' "$*" >&2; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# --- Debian packages --------------------------------------------------------------------------
DEB_PACKAGES=(postgresql chromium poppler-utils fonts-dejavu-core nginx)
missing=()
for pkg in "${DEB_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$pkg")
    fi
done
PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
    missing+=(python3-venv)
fi
if ! command -v npm >/dev/null 2>&1; then  # for axe-core (browser accessibility check)
    missing+=(npm)
fi
if [ "${#missing[@]}" -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # Installing a server package must not start it as a system service (nginx would take port
    # 80 on every interface): the tests start their own, on 127.0.0.1. A policy-rc.d that says
    # "not now" is Debian's way; one that is already there is left as it is.
    POLICY=/usr/sbin/policy-rc.d
    own_policy=""
    if [ ! -e "$POLICY" ]; then
        printf '#!/bin/sh\n# written by samenspraak test.sh during apt-get install\nexit 101\n' | as_root tee "$POLICY" >/dev/null
        as_root chmod 755 "$POLICY"
        own_policy=1
    fi
    install_status=0
    if ! as_root apt-get install -y --no-install-recommends "${missing[@]}"; then
        log "install failed; running apt-get update and trying again"
        as_root apt-get update || true
        as_root apt-get install -y --no-install-recommends "${missing[@]}" || install_status=$?
    fi
    if [ -n "$own_policy" ]; then as_root rm -f "$POLICY"; fi
    if [ "$install_status" -ne 0 ]; then exit "$install_status"; fi
    if [[ " ${missing[*]} " == *" nginx "* ]]; then  # and not at the next boot either
        if command -v systemctl >/dev/null 2>&1; then as_root systemctl disable nginx.service >/dev/null 2>&1 || true; fi
        if command -v update-rc.d >/dev/null 2>&1; then as_root update-rc.d nginx disable >/dev/null 2>&1 || true; fi
    fi
fi

# --- Python virtualenv ------------------------------------------------------------------------
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    log "Python 3.11 or newer is needed (found: $("$PYTHON" --version 2>&1))"
    exit 1
fi
if [ ! -x .venv/bin/python ]; then
    log "creating .venv"
    "$PYTHON" -m venv .venv
fi
STAMP=.venv/.requirements-dev.sha256
want="$(cat requirements.txt requirements-dev.txt | sha256sum | cut -d' ' -f1)"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$want" ]; then
    log "installing Python packages (requirements-dev.txt)"
    .venv/bin/python -m pip install --disable-pip-version-check -q -r requirements-dev.txt
    echo "$want" >"$STAMP"
fi

# --- axe-core for the browser accessibility check (pinned in tests/e2e/package-lock.json) ----
NPM_STAMP=tests/e2e/node_modules/.package-lock.sha256
want_npm="$(sha256sum tests/e2e/package-lock.json | cut -d' ' -f1)"
if [ ! -f tests/e2e/node_modules/axe-core/axe.min.js ] || [ ! -f "$NPM_STAMP" ] \
        || [ "$(cat "$NPM_STAMP")" != "$want_npm" ]; then
    log "installing axe-core (npm ci in tests/e2e)"
    npm ci --prefix tests/e2e --no-audit --no-fund --loglevel=error
    echo "$want_npm" >"$NPM_STAMP"
fi

# --- Throwaway PostgreSQL ---------------------------------------------------------------------
PGTMP=""
PGBIN=""
run_pg() {  # run a PostgreSQL binary as the postgres user (it refuses to run as root)
    if [ "$(id -u)" -eq 0 ]; then
        (cd "$PGTMP" && runuser -u postgres -- "$@")
    elif id -un | grep -qx postgres; then
        (cd "$PGTMP" && "$@")
    else
        (cd "$PGTMP" && sudo -u postgres -- "$@")
    fi
}
stop_pg() {
    if [ -n "$PGTMP" ] && [ -d "$PGTMP" ]; then
        if [ -f "$PGTMP/data/postmaster.pid" ]; then
            run_pg "$PGBIN/pg_ctl" -D "$PGTMP/data" -m immediate -w stop >/dev/null 2>&1 || true
        fi
        as_root rm -rf "$PGTMP"
    fi
}
trap stop_pg EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -n "${SAMENSPRAAK_TEST_PG_URL:-}" ]; then
    log "using the PostgreSQL given in SAMENSPRAAK_TEST_PG_URL"
elif [ "${SAMENSPRAAK_TEST_SQLITE_ONLY:-}" = "1" ]; then
    log "SAMENSPRAAK_TEST_SQLITE_ONLY=1: not starting PostgreSQL; its tests will be deselected"
else
    PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
    if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
        log "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin"
        exit 1
    fi
    PGTMP="$(mktemp -d /tmp/samenspraak-pg.XXXXXX)"
    chmod 755 "$PGTMP"
    as_root chown postgres:postgres "$PGTMP"
    PORT="$(.venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    run_pg "$PGBIN/initdb" -D "$PGTMP/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$PGTMP/initdb.log" 2>&1 \
        || run_pg "$PGBIN/initdb" -D "$PGTMP/data" -U postgres -A trust -E UTF8 --locale=C >"$PGTMP/initdb.log" 2>&1 \
        || { cat "$PGTMP/initdb.log" >&2; exit 1; }
    opts="-p $PORT -h 127.0.0.1 -k $PGTMP -c max_connections=300 -c fsync=off"
    opts="$opts -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=64MB"
    if ! run_pg "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -o "$opts" -w -t 60 start >/dev/null; then
        cat "$PGTMP/server.log" >&2
        exit 1
    fi
    export SAMENSPRAAK_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$PORT/postgres"
    log "PostgreSQL $(basename "$(dirname "$PGBIN")") running on port $PORT"
fi

# --- Tests -----------------------------------------------------------------------------------
if [ "$#" -gt 0 ]; then  # the tests asked for, as asked
    set +e
    .venv/bin/python -m pytest "$@"
    status=$?
    set -e
    exit "$status"
fi
# The whole suite in one pytest run on TEST_PROCESSES processes (pytest-xdist, default 3 on any
# machine: the browser tests wait on pages and timers much of the time, so more processes than cores
# keep the cores busy). Work stealing hands the tests out as processes come free, so a long browser
# test does not leave the others waiting at the end.
set +e
.venv/bin/python -m pytest -n "${TEST_PROCESSES:-3}" --dist worksteal
status=$?
set -e
exit "$status"
