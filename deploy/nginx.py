"""Render deploy/nginx-samenspraak.conf for the app processes you run.

    python3 deploy/nginx.py --ports 8501 8502 --server-name workshop.example.nl \
        > /etc/nginx/conf.d/samenspraak.conf
    nginx -t && systemctl reload nginx

The browser suite renders the same file for its own nginx (tests/e2e/conftest.py).
Standard library only.
"""

from __future__ import annotations

import argparse
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "nginx-samenspraak.conf"


def render(ports: list[int], *, listen: str = "80", server_name: str = "_",
           access_log: str = "/var/log/nginx/samenspraak.access.log", host: str = "127.0.0.1") -> str:
    if not ports:
        raise ValueError("at least one app process port is needed")
    upstreams = "\n".join(f"    server {host}:{int(port)};" for port in ports)
    text = TEMPLATE.read_text(encoding="utf-8")
    for key, value in {"@LISTEN@": listen, "@SERVER_NAME@": server_name, "@UPSTREAMS@": upstreams,
                       "@ACCESS_LOG@": access_log}.items():
        text = text.replace(key, value)
    return text


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ports", type=int, nargs="+", default=[8501, 8502], help="ports of the app processes")
    ap.add_argument("--listen", default="80", help="nginx listen parameter (e.g. 80, or '443 ssl')")
    ap.add_argument("--server-name", default="_")
    ap.add_argument("--access-log", default="/var/log/nginx/samenspraak.access.log")
    args = ap.parse_args()
    print(render(args.ports, listen=args.listen, server_name=args.server_name, access_log=args.access_log), end="")


if __name__ == "__main__":
    main()
