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


def _set(fac: Facilitator, step_id: int, key: str) -> None:
    value = st.session_state.get(f"{key}-{step_id}")
    if key == "autolock":
        guarded(SCOPE, lambda: store().update_step(fac, step_id, timer_auto_lock=bool(value)))
    elif key == "sound":
        step = store().step(step_id)
        guarded(SCOPE, lambda: store().update_step(fac, step_id, config={**step.config, "sound": bool(value)}))
    elif key == "minutes":
        guarded(SCOPE, lambda: store().timer(fac, step_id, "reset", int(value or 0) * 60))


def facilitator_panel(step: Step, fac: Facilitator) -> None:
    view = current(step)
    with st.expander(t("timer.title") + (f" · {view.label}" if view else ""), expanded=view is not None and
                     view.state in ("running", "paused", "expired")):
        cols = st.columns(4)
        running = view is not None and view.state == "running"
        if running:
            cols[0].button(t("timer.pause"), key="timer-pause", on_click=_act, args=(fac, step.id, "pause"),
                           width="stretch")
        else:
            cols[0].button(t("timer.start"), key="timer-start", on_click=_act, args=(fac, step.id, "start"),
                           type="primary", disabled=view is None, width="stretch")
        cols[1].button(t("timer.plus"), key="timer-plus", on_click=_act, args=(fac, step.id, "extend", 60),
                       width="stretch")
        cols[2].button(t("timer.minus"), key="timer-minus", on_click=_act, args=(fac, step.id, "extend", -60),
                       width="stretch")
        cols[3].button(t("timer.reset"), key="timer-reset", on_click=_act, args=(fac, step.id, "reset"),
                       width="stretch")
        st.number_input(t("timer.minutes"), min_value=0, max_value=240, step=1,
                        value=(step.timer_seconds or 0) // 60, key=f"minutes-{step.id}",
                        on_change=_set, args=(fac, step.id, "minutes"), help=t("timer.minutes_help"))
        st.checkbox(t("timer.autolock"), value=step.timer_auto_lock, key=f"autolock-{step.id}",
                    on_change=_set, args=(fac, step.id, "autolock"))
        st.checkbox(t("timer.sound"), value=bool(step.config.get("sound")), key=f"sound-{step.id}",
                    on_change=_set, args=(fac, step.id, "sound"))


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
