#!/usr/bin/env bash
# Start Samenspraak: ./run.sh [streamlit options], then open http://localhost:8501
# (serve.py is `streamlit run app.py` with the server fixes of ui/streamlit_internals.py in place from the start)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then  # Debian/Ubuntu ship venv separately
    if [ "$(id -u)" -eq 0 ]; then apt-get install -y python3-venv; else sudo apt-get install -y python3-venv; fi
fi
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
STAMP=.venv/.requirements.sha256
want="$(sha256sum requirements.txt | cut -d' ' -f1)"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$want" ]; then
    .venv/bin/python -m pip install --disable-pip-version-check -q -r requirements.txt
    echo "$want" >"$STAMP"
fi
exec .venv/bin/python serve.py "$@"
