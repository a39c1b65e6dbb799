"""What a participant types survives a lock, a step change and a reconnect: drafts in the phone's own browser.

Why the browser (``localStorage``) and not the database: a text box on a phone sends its text to the server
only when it is sent or left (a form sends nothing before its button). When the timer locks a step, the
facilitator moves on, or the connection drops, the half-typed text exists only in the browser, so only the
browser can keep it. The drafts are keyed by the participant's token and the input's widget key (which names
the step), so two people on one device, or two steps, never mix; they never leave the phone.

* Every keystroke in a text box of the participant page writes its draft.
* When a text box appears (the step opens again, the phone comes back to the step, a reload or a new
  session on the same link), and again for every box after a reconnect, a box gets its draft back. A
  praatplaat box (no form) is then left for Streamlit, so the text is stored as if the person had left it
  (after a reconnect the new server session knows nothing of what stayed in such a box).
* A draft that was stored is forgotten: after a successful send or save the page tells the browser which
  boxes to forget (:func:`forget`, drawn by :func:`keeper`).
"""

from __future__ import annotations

import json

import streamlit as st

from workshop import Participant, Step

FORGET_KEY = "_drafts_forget"

#: The keeper itself, once per page (a full run): it takes its settings from ``_CONFIG_JS``, whichever runs first.
_JS = """
<script>
(() => {
  const D = window.__ssDrafts = window.__ssDrafts || {};
  if (D.installed) return;
  D.installed = true;
  const store = window.localStorage;
  D.configure = (cfg) => {
    D.prefix = cfg.prefix;
    for (const k of cfg.forget) {
      const el = document.querySelector('.st-key-' + k + ' textarea, .st-key-' + k + ' input');
      const draft = store.getItem(cfg.prefix + k);
      /* a box outside a form whose text was stored but then drawn empty (after a reconnect the new session
         draws every box empty, and that drawing can land after the store): put the text back; the server
         has it already, so leaving the box stores nothing new, and the next run forgets the draft */
      if (el && draft && !el.value && !el.closest('[data-testid="stForm"]')) {
        setTimeout(() => { if (el.isConnected && !el.value && el !== document.activeElement) put(el, draft); }, 300);
        continue;
      }
      store.removeItem(cfg.prefix + k);
    }
    D.scan();
  };
  const FIELDS = '[data-testid="stMain"] [data-testid="stTextArea"] textarea, [data-testid="stMain"] [data-testid="stTextInput"] input';
  const keyOf = (el) => {
    const box = el.closest('[class*="st-key-"]');
    const cls = box && [...box.classList].find((c) => c.startsWith('st-key-'));
    return cls ? cls.slice(7) : null;
  };
  document.addEventListener('input', (e) => {
    const el = e.target;
    if (!D.prefix || !(el instanceof Element) || !el.matches(FIELDS)) return;
    const k = keyOf(el);
    if (!k) return;
    if (el.value) store.setItem(D.prefix + k, el.value); else store.removeItem(D.prefix + k);
  }, true);
  const put = (el, value) => {
    /* as a person types it: into the box, the text, out of the box (outside a form Streamlit stores a box
       when it is left, so the text is kept on the server too; in a form it waits for the button) */
    const active = document.activeElement;
    el.focus({preventScroll: true});
    const proto = el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
    const set = Object.getOwnPropertyDescriptor(proto, 'value').set;
    if (el.value === value) { set.call(el, ''); el.dispatchEvent(new Event('input', {bubbles: true})); }
    set.call(el, value);
    el.dispatchEvent(new Event('input', {bubbles: true}));
    el.blur();
    if (active && active !== document.body && active !== el && active.isConnected) active.focus({preventScroll: true});
  };
  /* ``again``: after a reconnect the server knows none of what was typed, also in boxes that stayed */
  D.scan = (again) => {
    if (!D.prefix) return;
    for (const el of document.querySelectorAll(FIELDS)) {
      if (el.dataset.ssDraft === D.prefix && !again) continue;
      el.dataset.ssDraft = D.prefix;
      const k = keyOf(el);
      if (!k || !store.getItem(D.prefix + k) || el === document.activeElement) continue;
      /* a moment later: the page that drew this box also says which drafts were stored meanwhile */
      setTimeout(() => {
        const draft = store.getItem(D.prefix + k);
        if (!draft || !el.isConnected) return;
        const inForm = !!el.closest('[data-testid="stForm"]');
        if (el.value !== draft || !inForm) put(el, draft);  /* a box outside a form: store what it holds */
      }, 300);
    }
  };
  const app = document.querySelector('[data-testid="stApp"]');
  let connected = true;
  if (app) new MutationObserver(() => {
    const now = app.getAttribute('data-test-connection-state') === 'CONNECTED';
    if (now && !connected) setTimeout(() => D.scan(true), 500);
    connected = now;
  }).observe(app, {attributes: true, attributeFilter: ['data-test-connection-state']});
  new MutationObserver(() => D.scan()).observe(document.body, {childList: true, subtree: true});
  if (D.pending) D.configure(D.pending);
})();
</script>
"""

#: Per run of the step's inputs (small: it goes with every submit): whose drafts, and which were stored.
_CONFIG_JS = """<script>(() => { const cfg = %s; const D = window.__ssDrafts = window.__ssDrafts || {};
if (D.configure) D.configure(cfg); else D.pending = cfg; })();</script>"""


def _css_key(key: str) -> str:
    """Streamlit's element class for a widget key (``st-key-`` plus the key, other characters as '-')."""
    return "".join(c if c.isalnum() or c in "_-" else "-" for c in key.strip())


def forget(*keys: str) -> None:
    """The text of these widgets was stored: the browser may drop their drafts (told by :func:`keeper`)."""
    pending = st.session_state.setdefault(FORGET_KEY, [])
    pending.extend(_css_key(k) for k in keys if _css_key(k) not in pending)


def install() -> None:
    """The drafts keeper of the participant page (in a full run of the page)."""
    st.html(_JS, unsafe_allow_javascript=True)


def keeper(who: Participant, step: Step) -> None:
    """Tell the keeper whose drafts these are and which were stored (in every run of the step's inputs)."""
    config = {"prefix": f"ss-draft:{who.token}:", "step": step.id,
              "forget": st.session_state.pop(FORGET_KEY, [])}
    st.html(_CONFIG_JS % json.dumps(config), unsafe_allow_javascript=True)
