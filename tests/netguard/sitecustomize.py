"""Loaded into a server process by tests/test_server_network.py (PYTHONPATH): it refuses and
records every attempt of that process to reach another machine.

* An audit hook (PEP 578) sees every ``socket.connect``, ``socket.sendto`` and name lookup
  (``socket.getaddrinfo``, ``gethostbyname``, ``gethostbyaddr``) of the process, whichever
  library makes it. A target that is not this machine's loopback (or a Unix socket) is
  written to ``$SAMENSPRAAK_NETGUARD_LOG`` and refused with an OSError, so a failing test
  still sends nothing out.
* A server that binds to every interface (``server.address`` not set, as users start
  Streamlit) is bound to loopback instead, and that is logged too. The test machine is
  then not reachable from outside, while Streamlit's own choices (what it looks up, what it
  prints) are those of the default set-up the test is about.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import sys

_LOG = os.environ.get("SAMENSPRAAK_NETGUARD_LOG")
_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}


def _record(kind: str, target: object) -> None:
    if _LOG:
        with open(_LOG, "a", encoding="utf-8") as fh:
            fh.write(f"{kind} {target!r}\n")


def _is_local(host: object) -> bool:
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    host = str(host).strip("[]").split("%")[0]
    if host.lower() in _LOCAL_NAMES or host == "":
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False  # a name to resolve: that asks a DNS server
    mapped = getattr(address, "ipv4_mapped", None)
    address = mapped or address
    return address.is_loopback or address.is_unspecified


def _audit(event: str, args: tuple) -> None:
    if event in ("socket.connect", "socket.sendto"):
        sock, address = args[0], args[1]
        if sock.family not in (socket.AF_INET, socket.AF_INET6):
            return
        host = address[0] if isinstance(address, tuple) else address
        if not _is_local(host):
            _record("OUTSIDE " + event, address)
            raise OSError(f"netguard: {event} to {address!r} refused in this test")
    elif event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr"):
        host = args[0]
        if not _is_local(host):
            _record("OUTSIDE " + event, host)
            raise OSError(f"netguard: {event}({host!r}) refused in this test")


sys.addaudithook(_audit)

_bind = socket.socket.bind


def _loopback_bind(self, address):
    if isinstance(address, tuple) and self.family in (socket.AF_INET, socket.AF_INET6) \
            and address[0] in ("", "0.0.0.0", "::"):
        _record("WILDCARD-BIND", address)
        address = ("::1" if self.family == socket.AF_INET6 else "127.0.0.1", *address[1:])
    return _bind(self, address)


socket.socket.bind = _loopback_bind
if _LOG:
    _record("LOADED", os.getpid())
