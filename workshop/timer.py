"""The timebox of a step: pure arithmetic over the step's timer columns.

A step's timer is in one of three states:
- not started: ``timer_end`` and ``timer_paused_left`` are empty; the full
  ``timer_seconds`` is left;
- running: ``timer_end`` is the moment it runs out;
- paused: ``timer_paused_left`` holds the seconds that were left.
Imports no streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

MAX_SECONDS = 4 * 3600


@dataclass(frozen=True)
class TimerView:
    state: str  # "idle" | "running" | "paused" | "expired"
    left: int  # whole seconds left (0 when expired)
    total: int

    @property
    def label(self) -> str:
        minutes, seconds = divmod(max(0, self.left), 60)
        return f"{minutes}:{seconds:02d}"


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value


def view(step, now: datetime) -> TimerView | None:
    """What the timer of ``step`` shows at ``now``; None when the step has no timebox."""
    total = step.timer_seconds or 0
    if total <= 0:
        return None
    end = _aware(step.timer_end)
    if end is not None:
        left = int((end - now).total_seconds() + 0.999)
        return TimerView("running" if left > 0 else "expired", max(0, left), total)
    if step.timer_paused_left is not None:
        return TimerView("paused", step.timer_paused_left, total)
    return TimerView("idle", total, total)


def start(step, now: datetime) -> dict:
    """Column values that (re)start the timer from where it stands."""
    current = view(step, now)
    left = current.left if current and current.state == "paused" else (step.timer_seconds or 0)
    return {"timer_end": now + timedelta(seconds=left), "timer_paused_left": None}


def pause(step, now: datetime) -> dict:
    current = view(step, now)
    if current is None or current.state != "running":
        return {}
    return {"timer_end": None, "timer_paused_left": current.left}


def extend(step, now: datetime, seconds: int) -> dict:
    """Add (or with a negative number, take) time, in any state."""
    current = view(step, now)
    if current is None:
        return {"timer_seconds": max(60, min(MAX_SECONDS, seconds))}
    if current.state in ("running", "expired"):
        base = max(now, _aware(step.timer_end)) if current.state == "running" else now
        return {"timer_end": base + timedelta(seconds=seconds)}
    if current.state == "paused":
        return {"timer_paused_left": max(0, min(MAX_SECONDS, current.left + seconds))}
    return {"timer_seconds": max(60, min(MAX_SECONDS, current.total + seconds))}


def reset(step, seconds: int | None = None) -> dict:
    total = step.timer_seconds if seconds is None else max(0, min(MAX_SECONDS, int(seconds)))
    return {"timer_seconds": total, "timer_end": None, "timer_paused_left": None}


def seconds_to_end(step, now: datetime) -> float | None:
    """Exact seconds until a running timebox runs out (negative once it has); None when it is not running."""
    end = _aware(step.timer_end)
    if not (step.timer_seconds or 0) > 0 or end is None:
        return None
    return (end - now).total_seconds()


def expired(step, now: datetime) -> bool:
    current = view(step, now)
    return current is not None and current.state == "expired"
