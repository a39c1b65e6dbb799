"""The timebox: facilitator controls, the countdown on the screen and on phones."""

from __future__ import annotations

import io
import json
import math
import secrets
import struct
import wave
from datetime import datetime, timezone

import streamlit as st

from messages import t
from ui.common import esc, guarded, html_block, store
from workshop import Facilitator, Step
from workshop import timer

SCOPE = "timer"


def current(step: Step) -> timer.TimerView | None:
    return timer.view(step, datetime.now(timezone.utc))


def _act(fac: Facilitator, step_id: int, action: str, seconds: int | None = None) -> None:
    guarded(SCOPE, lambda: store().timer(fac, step_id, action, seconds))


def _set(fac: Facilitator, step_id: int, what: str, key: str, drawn: object) -> None:
    value = st.session_state.get(key)
    if value == drawn:  # a setting from an earlier drawing that the browser still reports
        return
    if what == "autolock":
        guarded(SCOPE, lambda: store().update_step(fac, step_id, timer_auto_lock=bool(value)))
    elif what == "sound":
        guarded(SCOPE, lambda: store().set_step_config(fac, step_id, sound=bool(value)))
    elif what == "minutes":
        guarded(SCOPE, lambda: store().timer(fac, step_id, "reset", int(value or 0) * 60))


def facilitator_panel(step: Step, fac: Facilitator, version: int = 0) -> None:
    """The timebox in the cockpit: what it shows now, one row of buttons, and its settings in a
    popover with a stable key (a live update of the cockpit never closes it).

    The settings' widget keys carry the workshop's ``version``: after a change made elsewhere
    (another device, the automatic lock) they are drawn afresh from the database, so a stale
    value in the browser never wins."""
    view = current(step)
    running = view is not None and view.state == "running"
    with st.container(horizontal=True, vertical_alignment="center", gap="small", key="timer-row"):
        if view is None:
            html_block(f'<span class="ss-timer-none">{esc(t("timer.none"))}</span>')
        elif view.state == "idle":
            html_block(f'<span class="ss-timer-none">{esc(t("timer.set", left=view.label))}</span>')
        else:
            phone_badge(step)
        if running:
            st.button(t("timer.pause"), key="timer-pause", on_click=_act, args=(fac, step.id, "pause"))
        else:
            st.button(t("timer.start"), key="timer-start", on_click=_act, args=(fac, step.id, "start"),
                      type="primary", disabled=view is None or view.state == "expired")
        st.button(t("timer.plus"), key="timer-plus", on_click=_act, args=(fac, step.id, "extend", 60))
        st.button(t("timer.minus"), key="timer-minus", on_click=_act, args=(fac, step.id, "extend", -60))
        st.button(t("timer.reset"), key="timer-reset", on_click=_act, args=(fac, step.id, "reset"))
        with st.popover(t("timer.settings"), key="timer-settings"):
            key = f"minutes-{step.id}-{version}"
            st.number_input(t("timer.minutes"), min_value=0, max_value=240, step=1,
                            value=(step.timer_seconds or 0) // 60, key=key,
                            on_change=_set, args=(fac, step.id, "minutes", key, (step.timer_seconds or 0) // 60),
                            help=t("timer.minutes_help"))
            key = f"autolock-{step.id}-{version}"
            st.checkbox(t("timer.autolock"), value=step.timer_auto_lock, key=key,
                        on_change=_set, args=(fac, step.id, "autolock", key, step.timer_auto_lock))
            key = f"sound-{step.id}-{version}"
            st.checkbox(t("timer.sound"), value=bool(step.config.get("sound")), key=key,
                        on_change=_set, args=(fac, step.id, "sound", key, bool(step.config.get("sound"))))


def badge_html(view: timer.TimerView | None, *, big: bool) -> str:
    if view is None or view.state == "idle":
        return ""
    size = "clamp(2rem, 4vw, 4.5rem)" if big else "1.4rem"
    if view.state == "expired":
        text, style = t("timer.expired"), "background:#8a0b0b;color:#fff"
    elif view.state == "paused":
        text, style = t("timer.paused", left=view.label), "background:#eef2f7;color:#111;border:2px solid #111"
    else:
        text, style = t("timer.left", left=view.label), "background:#0b4f8a;color:#fff"
    return (f'<div role="timer" aria-live="off" style="display:inline-block;{style};font-weight:800;'
            f'font-size:{size};padding:.2rem .8rem;border-radius:10px">{esc(text)}</div>')


@st.cache_data(show_spinner=False)
def chime() -> bytes:
    """A soft two-tone chime (0.9 s WAV), made here so no file or network is needed."""
    rate, out = 22050, io.BytesIO()
    frames = bytearray()
    for i in range(int(rate * 0.9)):
        sec = i / rate
        freq = 660 if sec < 0.45 else 880
        envelope = math.exp(-4 * (sec % 0.45)) * 0.25
        frames += struct.pack("<h", int(32767 * envelope * math.sin(2 * math.pi * freq * sec)))
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(bytes(frames))
    return out.getvalue()


def screen_badge(step: Step) -> None:
    view = current(step)
    body = badge_html(view, big=True)
    if body:
        html_block(f'<div class="ss-screen" style="text-align:right">{body}</div>')
    if view is not None and view.state == "expired" and step.config.get("sound"):
        st.audio(chime(), format="audio/wav", autoplay=True)


_COUNTDOWN_JS = """
<script>
(() => {
  const el = document.getElementById(%(id)s);
  if (!el) return;
  const end = Date.now() + %(left)d * 1000;
  const timer = setInterval(() => {
    if (!document.body.contains(el)) { clearInterval(timer); return; }
    const left = Math.max(0, Math.ceil((end - Date.now()) / 1000));
    if (left <= 0) {
      el.textContent = %(expired)s;
      el.style.background = "#8a0b0b";
      clearInterval(timer);
      return;
    }
    el.textContent = %(template)s.replace("{}", Math.floor(left / 60) + ":" + String(left %% 60).padStart(2, "0"));
  }, 1000);
})();
</script>
"""


def phone_badge(step: Step) -> None:
    """The timebox on a phone. A running one counts down in the browser, so that no
    phone needs a script run on the server every second; a push (ui/push.py) redraws
    it when the facilitator pauses, extends or resets it."""
    view = current(step)
    body = badge_html(view, big=False)
    if not body:
        return
    if view.state != "running":
        html_block(body)
        return
    uid = f"ss-timer-{secrets.token_hex(4)}"
    script = _COUNTDOWN_JS % {"id": json.dumps(uid), "left": view.left, "expired": json.dumps(t("timer.expired")),
                              "template": json.dumps(t("timer.left", left="{}"))}
    st.html(body.replace('<div role="timer"', f'<div id="{uid}" role="timer"', 1) + script,
            unsafe_allow_javascript=True)
