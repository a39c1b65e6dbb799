"""Shared page chrome and helpers: store access, safe text, QR codes, flashes."""

from __future__ import annotations

import html
import os
from typing import Callable
from urllib.parse import urlencode

import segno
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from messages import t
from workshop import UserError, get_store

# Characters that Markdown, LaTeX or Streamlit directives could interpret.
_ENTITIES = {ch: f"&#{ord(ch)};" for ch in "[]()*_`~#$:|!{}\\<>&\"'=+-"}
_ESCAPE = str.maketrans({**_ENTITIES, "\n": "<br>"})


def store():
    return get_store()


def esc(text: object) -> str:
    """User text as inert HTML: nothing is interpreted, newlines kept."""
    # str.translate, not a loop over the characters: the screen escapes every note of the wall
    # at each redraw, and ui/push.py redraws it with every note (a fifth of a redraw's time).
    return str(text).translate(_ESCAPE)


def html_block(body: str) -> None:
    """Render trusted markup (user parts must already be escaped with :func:`esc`)."""
    st.html(body)


def base_url() -> str:
    """Public address of the app, for join links and QR codes."""
    configured = os.environ.get("SAMENSPRAAK_PUBLIC_URL", "").strip().rstrip("/")
    if configured:
        return configured
    try:
        url = st.context.url or ""
    except Exception:  # pragma: no cover - outside a session
        url = ""
    if url:
        from urllib.parse import urlsplit
        parts = urlsplit(url)
        if parts.scheme and parts.netloc:
            return f"{parts.scheme}://{parts.netloc}"
    return "http://localhost:8501"


def link(path: str, **params: str) -> str:
    query = urlencode({k: v for k, v in params.items() if v})
    return f"{base_url()}/{path.lstrip('/')}" + (f"?{query}" if query else "")


def join_url(code: str) -> str:
    return link("", room=code)


def qr_svg(url: str, scale: int = 8) -> str:
    """The QR code for ``url``: segno's SVG, inlined as a data URI in an <img>.

    (st.html sanitises raw <svg> elements away; an image keeps the vector
    and gets alt text.) No network is involved.
    """
    uri = segno.make(url, error="m").svg_data_uri(scale=scale, dark="#000", light="#fff", border=2)
    return f'<img src="{uri}" alt="{html.escape(t("qr.alt", url=url))}" style="width:100%;height:auto;display:block">'


def env_seconds(name: str, default: float, low: float, high: float = float("inf")) -> float:
    """A duration setting from the environment, kept within [low, high]; a bad value means the default."""
    try:
        return min(high, max(low, float(os.environ.get(name, str(default)))))
    except ValueError:
        return default


def fragment_rerun() -> bool:
    """True while only a fragment reruns (a tap inside it), not the whole page."""
    ctx = get_script_run_ctx()
    return bool(ctx and ctx.fragment_ids_this_run)


def flash(scope: str, message: str, kind: str = "error") -> None:
    st.session_state[f"_flash:{scope}"] = (kind, message)


def show_flash(scope: str) -> None:
    item = st.session_state.pop(f"_flash:{scope}", None)
    if item:
        kind, message = item
        {"error": st.error, "success": st.success, "info": st.info}[kind](message)


def guarded(scope: str, action: Callable[[], object], success: str | None = None) -> bool:
    """Run a store action from a callback; a UserError becomes a Dutch flash.

    On failure the inputs of this scope are kept as drafts (see
    :func:`restore_drafts`), so that nothing typed is lost even when the page
    cannot be drawn for a while (the database is briefly unreachable).
    """
    try:
        action()
    except UserError as exc:
        flash(scope, str(exc))
        _save_drafts(scope)
        return False
    except Exception:  # never a stack trace for a user
        flash(scope, t("error.generic"))
        _save_drafts(scope)
        raise
    st.session_state.pop(f"_drafts:{scope}", None)
    if success:
        flash(scope, success, "success")
    return True


def _save_drafts(scope: str) -> None:
    state = st.session_state
    prefix = f"{scope}:"
    state[f"_drafts:{scope}"] = {k: state[k] for k in list(state.keys())
                                 if isinstance(k, str) and k.startswith(prefix)}


def restore_drafts(scope: str) -> None:
    """Put back inputs of ``scope`` that were lost while the page could not be drawn."""
    state = st.session_state
    for key, value in state.get(f"_drafts:{scope}", {}).items():
        if key not in state:
            state[key] = value


BASE_CSS = """
<style>
:root { --ss-ink: #111; --ss-accent: #0b4f8a; }
.ss-note { background:#fff6b3; color:#111; border:2px solid #7a6a00; border-radius:6px;
  padding:.6rem .8rem; margin:.3rem 0; overflow-wrap:anywhere; word-break:break-word;
  white-space:normal; font-size:1.05rem; line-height:1.35; }
.ss-note .ss-meta { display:block; font-size:.85em; color:#333; margin-top:.25rem; }
.ss-tag { display:inline-block; border:1.5px solid #0b4f8a; color:#0b4f8a; border-radius:999px;
  padding:0 .5rem; margin:.15rem .2rem 0 0; font-size:.8rem; background:#fff; }
.ss-votes { float:right; font-weight:700; background:#0b4f8a; color:#fff; border-radius:999px;
  padding:0 .55rem; margin-left:.4rem; }
.ss-hidden { opacity:.55; text-decoration:line-through; }
.ss-user { overflow-wrap:anywhere; word-break:break-word; }
/* Phones: one column, large touch targets, no horizontal scroll. */
html, body, .stApp { overflow-x:hidden; }
.stButton button, .stFormSubmitButton button, .stDownloadButton button { min-height:48px; }
@media (max-width: 640px) {
  .block-container { padding-left:.8rem; padding-right:.8rem; padding-top:1rem; }
  .stButton button, .stFormSubmitButton button { width:100%; }
}
</style>
"""


def page_setup() -> None:
    html_block(BASE_CSS)


_CONNECTION_JS = """
<script>
(() => {
  if (window.__ssConnection) return;
  window.__ssConnection = true;
  const text = %s;
  const bar = document.createElement("div");
  bar.setAttribute("role", "status");
  bar.setAttribute("aria-live", "polite");
  bar.id = "ss-connection";
  bar.style.cssText = "position:fixed;left:0;right:0;top:0;z-index:100000;display:none;padding:.7rem 1rem;" +
    "background:#8a0b0b;color:#fff;font:600 1rem/1.35 sans-serif;text-align:center";
  bar.textContent = text;
  document.body.appendChild(bar);
  const check = () => {
    const lost = !navigator.onLine || !!document.querySelector('[data-testid="stConnectionStatus"]');
    bar.style.display = lost ? "block" : "none";
    document.body.dataset.ssConnection = lost ? "lost" : "ok";
  };
  new MutationObserver(check).observe(document.body, {childList: true, subtree: true});
  window.addEventListener("online", check);
  window.addEventListener("offline", check);
  setInterval(check, 1000);
  check();
})();
</script>
"""


def connection_banner() -> None:
    """A plain-Dutch banner that appears while the phone has lost the connection.

    It lives outside Streamlit's element tree, so it stays visible while the
    server is unreachable; what was typed stays in the page's inputs.
    """
    import json

    st.html(_CONNECTION_JS % json.dumps(t("participant.connection_lost")), unsafe_allow_javascript=True)
