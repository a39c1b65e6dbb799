"""Shared page chrome and helpers: store access, safe text, QR codes, flashes."""

from __future__ import annotations

import html
import re
import secrets
from typing import Callable
from urllib.parse import urlencode

import segno
import streamlit as st

from messages import t
from ui.streamlit_internals import script_run_ctx
from workshop import UserError, get_store, settings

# Characters that Markdown, LaTeX or Streamlit directives could interpret.
_ENTITIES = {ch: f"&#{ord(ch)};" for ch in "[]()*_`~#$:|!{}\\<>&\"'=+-"}
_ESCAPE = str.maketrans({**_ENTITIES, "\n": "<br>"})


def store():
    """The process-wide store (cached in workshop.store.get_store: two dictionary look-ups)."""
    return get_store()


def esc(text: object) -> str:
    """User text as inert HTML: nothing is interpreted, newlines kept."""
    # str.translate, not a loop over the characters: the screen escapes every note of the wall
    # at each redraw, and ui/push.py redraws it with every note (a fifth of a redraw's time).
    return str(text).translate(_ESCAPE)


# Characters that Streamlit's Markdown (labels, captions, headers, radio options) could interpret.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~:$<>&])")
# What the GFM autolinker makes a link of, even from escaped text: a scheme, "www.", an address.
_AUTOLINK = re.compile(r"(?i)(\b(?:https?|ftp|mailto|xmpp)(?=:)|\bwww(?=\.)|@)")
#: WORD JOINER: invisible, and screen readers skip it; it breaks the autolink patterns.
_JOINER = "\u2060"


def md(text: object) -> str:
    """User text as inert Markdown, for every Streamlit element that renders Markdown.

    Markdown, directive (``:red[]``) and LaTeX characters are escaped, and web and mail
    addresses get an invisible WORD JOINER after their scheme, ``www`` or ``@``, so that
    Streamlit's autolinker (which also works on escaped text) makes no link of them; the
    address still reads the same, on screen and to a screen reader.
    """
    plain = _AUTOLINK.sub(lambda m: m.group(1) + _JOINER, " ".join(str(text).split()))
    return _MARKDOWN.sub(r"\\\1", plain)


def html_block(body: str) -> None:
    """Render trusted markup (user parts must already be escaped with :func:`esc`)."""
    st.html(body)


def base_url() -> str:
    """Public address of the app, for join links and QR codes."""
    configured = settings.get().public_url
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


def client_keys() -> tuple[str, str]:
    """Who is guessing, for workshop.throttle: this browser session and this client's address."""
    session = st.session_state.setdefault("throttle-id", secrets.token_hex(8))
    try:
        address = st.context.ip_address or ""
    except Exception:  # pragma: no cover - outside a session
        address = ""
    return f"s:{session}", (f"ip:{address}" if address else "")


def fragment_rerun() -> bool:
    """True while only a fragment reruns (a tap inside it), not the whole page."""
    ctx = script_run_ctx()
    return bool(ctx and ctx.fragment_ids_this_run)


def flash(scope: str, message: str, kind: str = "error") -> None:
    st.session_state[f"_flash:{scope}"] = (kind, message)


def show_flash(scope: str) -> None:
    """The scope's message, once. Its place is kept when there is none (an empty slot), so the
    elements after it keep their places from run to run: when they shifted, the browser drew them
    anew, and an expander a person had opened below a message that went away closed again."""
    item = st.session_state.pop(f"_flash:{scope}", None)
    slot = st.empty()
    if item:
        kind, message = item
        {"error": slot.error, "success": slot.success, "info": slot.info}[kind](message)


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
/* No Streamlit chrome (header, menu, toolbar) on any page: the page's own heading is the first
   thing a person sees, never hidden under a fixed header. */
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stMainMenu"],
[data-testid="stDecoration"], #MainMenu, footer { display:none !important; }
.block-container { padding-top:1.2rem !important; }
/* Phones: one column, large touch targets, no horizontal scroll. */
html, body, .stApp { overflow-x:hidden; }
.stButton button, .stFormSubmitButton button, .stDownloadButton button { min-height:48px; }
/* Choices (scores, aspects, functions): a touch target of at least 48x48 px, and the chosen one
   filled with a check mark, not a faint tint (a screen reader reads it from aria-checked/pressed). */
[data-testid="stButtonGroup"] button { min-height:48px; min-width:48px; }
/* a score row that wraps on a phone ("Weet ik niet" on a line of its own): separate buttons, each with all
   its borders, rather than joined segments that lose their end borders where the row breaks */
[data-testid="stButtonGroup"] [role="radiogroup"]:has(> button[data-variant^="segmented"]) { gap:6px; }
[data-testid="stButtonGroup"] button[data-variant^="segmented"] { border:1px solid #8a8a8a !important;
  border-radius:.5rem !important; margin:0 !important; }
[data-testid="stButtonGroup"] button[data-selected="true"] {
  background:#0b4f8a !important; border-color:#0b4f8a !important; color:#fff !important; font-weight:700; }
[data-testid="stButtonGroup"] button[data-selected="true"] * { color:#fff !important; }
[data-testid="stButtonGroup"] button[data-variant^="segmented"][data-selected="true"]::before {
  content:"✓"; margin-right:.3rem; }
[data-testid="stHeaderActionElements"] { display:none !important; }  /* heading anchors: 16 px, only for a mouse */
/* On a phone (narrow, or a finger for a pointer) every other control is at least 48 px high (Streamlit draws
   selects, dates and panel headers at 38-40 px, page links at 28 px, a radio option at 22 px, the steps of a number
   field at 32x38 px), and a help icon beside a label gets a 44 px target
   around its 16 px, without moving the label. The laptop's cockpit keeps its compact controls. */
@media (max-width: 640px), (pointer: coarse) {
  [data-testid="stSelectbox"] [role="group"], [data-testid="stMultiSelect"] [role="group"],
  [data-testid="stDateInputField"], [data-testid="stTextInput"] [data-baseweb="input"] { min-height:48px; }
  [data-testid="stSelectbox"] [role="group"] button, [data-testid="stDateInput"] button { min-width:44px; min-height:44px; }
  [data-testid="stPageLink-NavLink"] { min-height:48px; display:flex; align-items:center; }
  [data-testid="stExpander"] summary { min-height:48px; display:flex; align-items:center; }
  [data-testid="stWidgetLabel"] button { min-width:44px; min-height:44px; margin:-14px -14px -14px -8px; }
  [data-testid="stRadio"] [role="radiogroup"] label { min-height:44px; display:flex; align-items:center; }
  [data-testid="stNumberInput"] [data-baseweb="input"] { min-height:48px; }
  [data-testid="stNumberInput"] button { min-width:44px; min-height:44px; }
}
.ss-pp-progress { font-weight:700; margin:0; }
.ss-pp-of { color:#333; margin:0; font-size:.9rem; }
@media (max-width: 640px) {
  .block-container { padding-left:.8rem; padding-right:.8rem; padding-top:1rem; }
  .stButton button, .stFormSubmitButton button { width:100%; }
}
</style>
"""


#: Streamlit's own English texts that a person or a screen reader meets, as patterns, with the key of
#: their Dutch text in the messages catalogue ($1 is the pattern's first group).
STREAMLIT_TEXTS: list[tuple[str, str]] = [
    (r"^Skip to main content$", "st.skip"),
    (r"^Main menu$", "st.main_menu"),
    (r"^Help for (.+)$", "st.help_for"),
    (r"^Help$", "st.help"),
    (r"^Press Enter to submit form$", "st.enter_submit"),
    (r"^Press Enter to apply$", "st.enter_apply"),
    (r"^Press (⌘|Ctrl)\+Enter to submit form$", "st.ctrl_enter_submit"),
    (r"^Press (⌘|Ctrl)\+Enter to apply$", "st.ctrl_enter_apply"),
    (r"^Choose date$", "st.choose_date"),
    (r"^Choose date range$", "st.choose_date_range"),
    (r"^Clear value$", "st.clear_value"),
    (r"^Clear all$", "st.clear_all"),
    (r"^Choose an option$", "st.choose_option"),
    (r"^Choose options$", "st.choose_options"),
    (r"^No results$", "st.no_results"),
    (r"^Select all$", "st.select_all"),
    (r"^Show password$", "st.show_password"),
    (r"^Hide password$", "st.hide_password"),
    (r"^Previous month$", "st.previous_month"),
    (r"^Next month$", "st.next_month"),
    (r"^Increment$", "st.increment"),
    (r"^Decrement$", "st.decrement"),
    (r"^Drag and drop files? here$", "st.drop_file"),
    (r"^Browse files$", "st.browse_files"),
    (r"^(?:Limit )?(\S+) per file(?: • (.+))?$", "st.upload_limit"),
    (r"^Upload$", "st.browse_files"),
    (r"^file upload$", "st.browse_files"),
    (r"^Running\.\.\.$", "st.running"),
    (r"^Stop$", "st.stop"),
    (r"^Fullscreen$", "st.fullscreen"),
    (r"^Close fullscreen$", "st.close_fullscreen"),
    (r"^Show/hide columns$", "st.table_columns"),
    (r"^Download as CSV$", "st.table_csv"),
    (r"^Search$", "st.table_search"),
    # a date field's parts, as a phone shows them (the placeholder letters) and reads them out
    (r"^yyyy$", "st.year_letters"),
    (r"^day, (.+)$", "st.day_of"),
    (r"^month, (.+)$", "st.month_of"),
    (r"^year, (.+)$", "st.year_of"),
    (r"^Empty$", "st.empty"),
]

_DUTCH_JS = r"""
<script>
(() => {
  if (window.__ssDutch) return;
  window.__ssDutch = true;
  document.documentElement.lang = "nl";
  const rules = %s.map(([pattern, text]) => [new RegExp(pattern), text]);
  const dutch = (value) => {
    const trimmed = (value || "").trim();
    for (const [re, text] of rules) {
      const m = trimmed.match(re);
      if (m) return text.replace(/\$(\d)/g, (_, i) => m[+i] || "");
    }
    return null;
  };
  const ATTRS = ["aria-label", "title", "placeholder", "aria-description", "aria-roledescription", "aria-valuetext"];
  const fix = (el) => {
    if (el.nodeType === 3) {
      const nl = dutch(el.data);
      if (nl !== null && el.data.trim() !== nl) el.data = nl;
      return;
    }
    if (el.nodeType !== 1) return;
    for (const a of ATTRS) {
      const v = el.getAttribute(a);
      if (v === null) continue;
      let nl = dutch(v);
      /* a date field's placeholder: the format in Dutch letters (jjjj for yyyy), as our messages say */
      if (nl === null && a === "placeholder" && /^[\sDMY/.-]+$/i.test(v) && /y/i.test(v)) nl = v.replace(/y/gi, "j");
      if (nl !== null && nl !== v) el.setAttribute(a, nl);
    }
  };
  const walk = (root) => {
    fix(root);
    if (root.nodeType !== 1) return;
    const it = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    while (it.nextNode()) fix(it.currentNode);
  };
  new MutationObserver((changes) => {
    for (const c of changes) {
      if (c.type === "childList") c.addedNodes.forEach(walk);
      else fix(c.target);
    }
  }).observe(document.documentElement, {childList: true, subtree: true, characterData: true,
                                        attributes: true, attributeFilter: ATTRS});
  walk(document.body);
})();
</script>
"""


def page_setup() -> None:
    """Every page's start: the page settings and the server fixes (also when Streamlit serves the page
    file straight from pages/, before app.py ran in a fresh process), the shared styles, and Dutch for
    Streamlit's own texts."""
    import json

    from ui.streamlit_internals import install_in_server

    install_in_server()
    st.set_page_config(page_title=t("app.name"), page_icon="💬", layout="wide", initial_sidebar_state="collapsed")
    rules = [[pattern, t(key)] for pattern, key in STREAMLIT_TEXTS]
    html_block(BASE_CSS)
    st.html(_DUTCH_JS % json.dumps(rules, ensure_ascii=False), unsafe_allow_javascript=True)


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
