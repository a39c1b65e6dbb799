"""A throwaway PostgreSQL cluster for the benchmark, started the way test.sh does it.

PostgreSQL refuses to run as root, so as root the binaries run as the ``postgres``
user (runuser). The cluster lives in a temporary folder that ``stop()`` removes.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_bin() -> str:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: [int(x) for x in p.split("/")[-2].split(".")])
    if not found or not os.access(os.path.join(found[-1], "initdb"), os.X_OK):
        raise RuntimeError("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin "
                           "(apt-get install postgresql)")
    return found[-1]


class PgCluster:
    def __init__(self, max_connections: int = 300):
        self.bin = _pg_bin()
        self.port = _free_port()
        self.max_connections = max_connections
        self.dir = tempfile.mkdtemp(prefix="samenspraak-bench-pg.")
        os.chmod(self.dir, 0o755)
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            shutil.chown(self.dir, "postgres", "postgres")

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        cmd = list(args)
        if self._as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, cwd=self.dir, check=check, capture_output=True, text=True)

    def start(self) -> "PgCluster":
        data = os.path.join(self.dir, "data")
        res = self._run(f"{self.bin}/initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
                        "--locale=C.UTF-8", check=False)
        if res.returncode != 0:
            self._run(f"{self.bin}/initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C")
        # Production-like durability would add fsync; the bench measures the app, not the disk.
        opts = (f"-p {self.port} -h 127.0.0.1 -k {self.dir} -c max_connections={self.max_connections} "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=128MB")
        self._run(f"{self.bin}/pg_ctl", "-D", data, "-l", os.path.join(self.dir, "server.log"), "-o", opts,
                  "-w", "-t", "60", "start")
        return self

    def postmaster_pids(self) -> list[int]:
        """Every process of the cluster (postmaster and backends), for CPU accounting."""
        pidfile = os.path.join(self.dir, "data", "postmaster.pid")
        try:
            with open(pidfile) as fh:
                master = int(fh.readline())
        except (FileNotFoundError, ValueError):
            return []
        out = [master]
        try:
            children = open(f"/proc/{master}/task/{master}/children").read().split()
            out += [int(c) for c in children]
        except FileNotFoundError:
            pass
        return out

    def stop(self) -> None:
        data = os.path.join(self.dir, "data")
        if os.path.exists(os.path.join(data, "postmaster.pid")):
            self._run(f"{self.bin}/pg_ctl", "-D", data, "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> "PgCluster":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
