#!/usr/bin/env python
"""Print the figures a host watches during a live session, every few seconds.

    .venv/bin/python bench/watch.py --url http://127.0.0.1:8501 --pid $(pgrep -f "serve.py")

From Streamlit's /_stcore/metrics (OpenMetrics text): active sessions (phones,
screens and facilitators with an open websocket) and connects/disconnects; from
/proc of the server process: CPU (100 % = one core, which is what one Streamlit
process can use) and resident memory. Stop with Ctrl-C.
"""

from __future__ import annotations

import argparse
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import procstat  # noqa: E402


def metrics(url: str) -> dict[str, float]:
    out = {}
    with urllib.request.urlopen(f"{url.rstrip('/')}/_stcore/metrics", timeout=5) as resp:
        for line in resp.read().decode().splitlines():
            if line and not line.startswith("#"):
                name, _, value = line.rpartition(" ")
                try:
                    out[name] = float(value)
                except ValueError:
                    pass
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", default="http://127.0.0.1:8501")
    ap.add_argument("--pid", type=int, help="the Streamlit server process (for CPU and memory)")
    ap.add_argument("--every", type=float, default=5.0)
    args = ap.parse_args()
    cpu0, t0 = (procstat.cpu_seconds(args.pid), time.perf_counter()) if args.pid else (0.0, 0.0)
    print("time      sessions  connects  disconnects  cpu%(1 core=100)  rss_MB", flush=True)
    while True:
        time.sleep(args.every)
        m = metrics(args.url)
        cpu, rss = "-", "-"
        if args.pid:
            cpu1, t1 = procstat.cpu_seconds(args.pid), time.perf_counter()
            cpu = f"{100 * (cpu1 - cpu0) / (t1 - t0):.0f}"
            cpu0, t0 = cpu1, t1
            rss = f"{procstat.rss_bytes(args.pid) / 2**20:.0f}"
        connects = m.get('session_events_total{type="connect"}', 0)
        disconnects = m.get('session_events_total{type="disconnect"}', 0)
        print(f"{time.strftime('%H:%M:%S')}  {m.get('active_sessions', 0):8.0f}  {connects:8.0f}  "
              f"{disconnects:11.0f}  {cpu:>16}  {rss:>6}", flush=True)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
