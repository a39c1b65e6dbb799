"""CPU time and memory of a server process, read from /proc (Linux), sampled in a thread."""

from __future__ import annotations

import os
import threading
import time

_TICKS = os.sysconf("SC_CLK_TCK")
_PAGE = os.sysconf("SC_PAGE_SIZE")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of ``pid`` (all its threads)."""
    with open(f"/proc/{pid}/stat", "rb") as fh:
        data = fh.read()
    fields = data[data.rindex(b")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime


def total_cpu_seconds(pids) -> float:
    """CPU seconds of these processes together; one that has exited counts as 0."""
    total = 0.0
    for pid in pids:
        try:
            total += cpu_seconds(pid)
        except (FileNotFoundError, ProcessLookupError):
            pass
    return total


def rss_bytes(pid: int) -> int:
    with open(f"/proc/{pid}/statm", "rb") as fh:
        return int(fh.read().split()[1]) * _PAGE


def thread_count(pid: int) -> int:
    try:
        return len(os.listdir(f"/proc/{pid}/task"))
    except FileNotFoundError:
        return 0


class Sampler:
    """Samples RSS and threads of some processes every ``interval`` seconds; keeps the peaks."""

    def __init__(self, pids: list[int], interval: float = 0.1):
        self.pids = list(pids)
        self.interval = interval
        self.peak_rss = {pid: 0 for pid in self.pids}
        self.peak_threads = {pid: 0 for pid in self.pids}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="procstat", daemon=True)

    def start(self) -> "Sampler":
        self._sample()
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self._sample()

    def _sample(self) -> None:
        for pid in self.pids:
            try:
                self.peak_rss[pid] = max(self.peak_rss[pid], rss_bytes(pid))
                self.peak_threads[pid] = max(self.peak_threads[pid], thread_count(pid))
            except (FileNotFoundError, ProcessLookupError):
                pass

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def cpu(self) -> float:
        """Total CPU seconds of all sampled processes now."""
        return total_cpu_seconds(self.pids)


def own_cpu_seconds() -> float:
    t = os.times()
    return t.user + t.system


def now() -> float:
    return time.perf_counter()


def machine_busy_seconds() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, all cores (from /proc/stat)."""
    with open("/proc/stat") as fh:
        fields = [int(x) for x in fh.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    total = sum(fields[:8])  # user nice system idle iowait irq softirq steal (guest is inside user)
    return (total - idle) / _TICKS, total / _TICKS


class Load:
    """How busy the machine was with *other* work while a scenario ran.

    Other processes (a test suite, a browser) on a 2-core machine take CPU from the
    server and stretch its latencies; CPU time per submit is much less affected.
    """

    def __init__(self, own_pids: list[int]):
        self.own_pids = own_pids
        self.start()

    def _own(self) -> float:
        return own_cpu_seconds() + total_cpu_seconds(self.own_pids)

    def start(self) -> None:
        self.busy0, self.total0 = machine_busy_seconds()
        self.own0 = self._own()
        self.t0 = time.perf_counter()

    def other_pct(self) -> float:
        """Share of the machine (all cores = 100 %) that other processes used since start()."""
        busy, total = machine_busy_seconds()
        other = (busy - self.busy0) - (self._own() - self.own0)
        return max(0.0, 100.0 * other / max(total - self.total0, 1e-9))
