"""The projected screen's frame: every layout draws into it, and it owns the fit to one 16:9 view.

* **Type scale.** Sizes are in viewport units (``vh``), so 1920x1080 and 1280x720 show the same
  picture, scaled; the smallest text is ``--ss-fs-min`` (24 px at 1080 px high). Layout CSS uses
  the variables below, never pixel or rem sizes of its own.
* **The join box has its own place.** In the lobby (nothing happened yet) it is the page: the
  workshop title, the short join address, the code and a large QR code. Once the step runs it moves
  into the header, beside the step title, where no content can run under it.
* **Nothing below the fold.** Content that may grow marks its container ``data-fit`` and each
  item ``ss-fit-item``. A small script in the page hides the items that reach furthest down until
  the page ends above the bottom edge, and writes "+ N meer" in their container. It refits on every
  redraw, on resize and once the web font has loaded.
* **Charts** are built for a 1080 px high screen and scaled to the real one (:func:`chart`): the
  page keeps the viewport height in its address (``vh=``), so the server knows it.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import plotly.graph_objects as go
import streamlit as st

from messages import t
from ui.common import esc, html_block, store
from workshop import Step, Workshop

#: The design height: chart fonts and sizes are chosen for this screen height and scaled from it.
DESIGN_HEIGHT = 1080

SCREEN_CSS = """
<style>
/* Presenter mode: no chrome, one 16:9 view, sizes in viewport units. */
:root { --ss-fs-min:2.25vh; --ss-fs-body:2.5vh; --ss-fs-h2:3.2vh; --ss-fs-h1:4.6vh; --ss-gap:1.2vh; }
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stSidebar"],
[data-testid="stSidebarCollapsedControl"], footer, #MainMenu { display:none !important; }
[data-testid="stMain"] { overflow:hidden !important; }
.block-container { max-width:100% !important; padding:1.6vh 2vw 0 2vw !important; }
.block-container [data-testid="stVerticalBlock"] { gap:var(--ss-gap) !important; }
.stApp { background:#fff; color:#111; }
.stApp p, .stApp li, .stApp td, .stApp th { font-size:var(--ss-fs-body); }
.ss-screen { font-size:var(--ss-fs-body); line-height:1.3; color:#111; }
.ss-screen h1 { font-size:var(--ss-fs-h1); line-height:1.15; margin:0; padding:0; color:#111; }
.ss-screen h2 { font-size:var(--ss-fs-h2); line-height:1.2; margin:0 0 .4vh 0; padding:0; }
.ss-screen .ss-sub, .ss-screen .ss-count { font-size:var(--ss-fs-body); color:#222; margin:0; }
.ss-screen .ss-count { font-weight:700; color:#111; }
.ss-screen .ss-note { font-size:var(--ss-fs-body); padding:.8vh 1vh; margin:0 0 1vh 0; border-width:.25vh; }
.ss-screen .ss-note .ss-meta, .ss-screen .ss-tag { font-size:var(--ss-fs-min); }
.ss-screen .ss-votes { font-size:var(--ss-fs-body); float:none; display:inline-block; margin:0 .6vh 0 0; }
.ss-more, .ss-more td { font-size:var(--ss-fs-min) !important; font-style:italic; color:#222; margin:.3vh 0 0 0; }
.ss-fit-item.ss-cut { display:none !important; }
.ss-wall { column-width:40vh; column-gap:1.5vh; }
.ss-wall .ss-note { break-inside:avoid; }
.ss-cluster h2 { color:#0b4f8a; }
/* The header: where we are, and (once the step runs) how to join, side by side. */
.ss-head { display:flex; align-items:center; gap:2vw; }
.ss-head .ss-head-main { flex:1 1 auto; min-width:0; overflow-wrap:anywhere; }
.ss-join { display:flex; align-items:center; gap:1.2vh; border:.3vh solid #111; border-radius:1vh; padding:.6vh 1vh;
  background:#fff; flex:0 0 auto; }
.ss-join .ss-qr { width:11vh; }
.ss-join .ss-url { font-size:var(--ss-fs-min); font-weight:600; }
.ss-join .ss-code { font-size:4.4vh; font-weight:800; letter-spacing:.4vh; line-height:1.1; color:#111; }
/* The lobby: the whole page asks people to join. */
.ss-lobby { display:flex; align-items:center; gap:5vw; margin-top:2vh; }
.ss-lobby .ss-qr { width:min(58vh, 40vw); flex:0 0 auto; }
.ss-lobby .ss-lobby-title { font-size:5.6vh; font-weight:800; line-height:1.15; margin:0 0 1vh 0; overflow-wrap:anywhere; }
.ss-lobby .ss-lobby-sub { font-size:3vh; margin:0 0 3vh 0; color:#222; overflow-wrap:anywhere; }
.ss-lobby .ss-lobby-ask { font-size:3.4vh; margin:0; }
.ss-lobby .ss-url { font-size:5vh; font-weight:800; margin:0 0 2vh 0; overflow-wrap:anywhere; }
.ss-lobby .ss-code { font-size:14vh; font-weight:800; letter-spacing:1.2vh; line-height:1; margin:0 0 2vh 0; }
.ss-lobby .ss-count { font-size:3.4vh; }
/* Streamlit's own small texts on the screen (captions, alerts) at the screen's minimum size. */
.stApp [data-testid="stCaptionContainer"], .stApp [data-testid="stAlert"] p { font-size:var(--ss-fs-min) !important; }
</style>
"""

#: (DOMPurify drops a script whose text looks like markup, so nothing in it may read like a tag.)
_FIT_JS = """
<script>
(() => {
  if (window.__ssFit) return;
  window.__ssFit = true;
  const MORE = %s;
  /* The server sizes charts from the viewport height it finds in the address. */
  const syncHeight = () => {
    const url = new URL(location.href);
    const have = parseInt(url.searchParams.get("vh") || "0", 10);
    const h = Math.round(innerHeight);
    if (!have || Math.abs(have - h) / h > 0.04) {
      url.searchParams.set("vh", String(h));
      location.replace(url.toString());
      return true;
    }
    return false;
  };
  if (syncHeight()) return;
  let resizing;
  addEventListener("resize", () => { clearTimeout(resizing); resizing = setTimeout(() => { syncHeight() || fit(); }, 500); });

  const contentBottom = () => {
    let bottom = 0;
    for (const el of document.querySelectorAll('[data-testid="stMainBlockContainer"] [data-testid="stElementContainer"]')) {
      const r = el.getBoundingClientRect();
      if (r.height > 0 && r.bottom > bottom) bottom = r.bottom;
    }
    return bottom;
  };
  const limit = () => innerHeight - Math.max(4, innerHeight * 0.012);
  /* A box that fills the rest of the screen (data-fill) gets the height left under its top. */
  const fill = () => {
    for (const el of document.querySelectorAll("[data-fill]")) {
      el.style.height = "auto";
      el.style.height = Math.max(40, limit() - el.getBoundingClientRect().top) + "px";
    }
  };
  const crowded = (box) => box.scrollHeight > box.clientHeight + 1 && getComputedStyle(box).overflowY !== "visible";
  const overflowing = () => contentBottom() > limit() || [...document.querySelectorAll("[data-fit]")].some(crowded);
  const label = (box) => {
    const cut = box.querySelectorAll(".ss-fit-item.ss-cut").length;
    let more = box.querySelector(":scope .ss-more-auto");
    if (!cut) { if (more) more.remove(); return; }
    if (!more) {
      const row = box.tagName === "TBODY";
      more = document.createElement(row ? "tr" : "p");
      more.className = "ss-more ss-more-auto";
      if (row) { const cell = document.createElement("td"); cell.colSpan = 9; more.appendChild(cell); }
      (box.querySelector(".ss-more-slot") || box).appendChild(more);
    }
    (more.firstElementChild || more).textContent = MORE.replace("{n}", String(cut));
  };
  let observer;
  const fit = () => {
    const items = [...document.querySelectorAll("[data-fit] .ss-fit-item")];
    items.forEach((i) => i.classList.remove("ss-cut"));
    document.querySelectorAll(".ss-more-auto").forEach((m) => m.remove());
    fill();
    let guard = items.length + 2;
    while (overflowing() && guard-- > 0) {
      /* A full box (fixed height) gives up the last item of its longest list, so that two lists in one
         card shrink evenly; otherwise the items that start below the edge go, else the lowest one. */
      const cut = [];
      for (const box of document.querySelectorAll("[data-fit]")) {
        if (!crowded(box)) continue;
        const lists = new Map();
        for (const i of box.querySelectorAll(".ss-fit-item:not(.ss-cut)")) {
          lists.set(i.parentElement, (lists.get(i.parentElement) || []).concat([i]));
        }
        let longest = null;
        for (const list of lists.values()) if (!longest || list.length > longest.length) longest = list;
        if (longest) cut.push(longest[longest.length - 1]);
      }
      if (!cut.length && contentBottom() > limit()) {
        const L = limit();
        const shown = items.filter((i) => !i.classList.contains("ss-cut"));
        cut.push(...shown.filter((i) => i.getBoundingClientRect().top >= L));
        if (!cut.length && shown.length) {
          let worst = shown[0], wb = -1;
          for (const i of shown) { const b = i.getBoundingClientRect().bottom; if (b > wb) { wb = b; worst = i; } }
          cut.push(worst);
        }
      }
      if (!cut.length) break;
      const boxes = new Set();
      for (const i of cut) { i.classList.add("ss-cut"); boxes.add(i.closest("[data-fit]")); }
      boxes.forEach(label);
    }
    document.body.dataset.ssFit = String(Date.now());
    if (observer) observer.takeRecords();
  };
  window.__ssRefit = fit;
  observer = new MutationObserver(fit);
  const start = () => {
    const main = document.querySelector('[data-testid="stMain"]');
    if (!main) { setTimeout(start, 100); return; }
    observer.observe(main, {childList: true, subtree: true, characterData: true});
    fit();
  };
  start();
  if (document.fonts) document.fonts.addEventListener("loadingdone", fit);
})();
</script>
"""


def frame() -> None:
    """The screen page's styles and fitting script (drawn once per page run, before the live part)."""
    html_block(SCREEN_CSS)
    st.html(_FIT_JS % json.dumps(t("screen.more")), unsafe_allow_javascript=True)


#: The height of the 1920-wide frame that previews the screen (cockpit, editor, library): its link
#: carries it as ``vh``, so the page does not reload itself to tell the server.
PREVIEW_HEIGHT = 1080


def viewport_height() -> int:
    """The screen's height in CSS pixels, as the page reported it (``vh=``), else the design height."""
    try:
        value = int(st.query_params.get("vh", DESIGN_HEIGHT))
    except (TypeError, ValueError):
        return DESIGN_HEIGHT
    return min(2400, max(360, value))


def scale() -> float:
    return viewport_height() / DESIGN_HEIGHT


def _scaled(node, k: float, key: str = ""):
    """Every font size, marker size and margin of a figure's JSON, multiplied by ``k``."""
    if isinstance(node, dict):
        out = {}
        for name, value in node.items():
            number = isinstance(value, (int, float)) and not isinstance(value, bool)
            if name == "size" and number and key in ("font", "textfont", "tickfont",
                                                                               "marker", "insidetextfont",
                                                                               "outsidetextfont", "pattern"):
                out[name] = value * k
            elif key == "margin" and number:  # (margin.autoexpand is a bool, not a size)
                out[name] = value * k
            else:
                out[name] = _scaled(value, k, name)
        return out
    if isinstance(node, list):
        return [_scaled(v, k, key) for v in node]
    return node


def chart(fig: go.Figure, *, height_vh: float, alt: str, config: dict) -> None:
    """Show a screen chart ``height_vh`` per cent of the screen high, its type scaled to the screen."""
    k = scale()
    data = _scaled(fig.to_plotly_json(), k)
    data.setdefault("layout", {})["height"] = round(viewport_height() * height_vh / 100)
    st.plotly_chart(go.Figure(data), theme=None, config=config, alt=alt[:1000])


def focus(step: Step) -> str:
    """What the facilitator put in focus on the screen for ``step``: "" (everything), "results", or the key
    of one part (a block, a cluster id as text)."""
    value = (step.config or {}).get("screen_focus", "")
    return value if isinstance(value, str) else ""


def _set_focus(fac, step_id: int, key: str) -> None:
    from ui import step_controls as fv
    from ui.common import guarded

    guarded(fv.SCOPE, lambda: store().set_step_config(fac, step_id, screen_focus=st.session_state[key]))


def focus_control(step: Step, fac, parts: list[tuple[str, str]], *, results: bool) -> None:
    """The facilitator's choice of what the screen shows: everything, the results (a ranking), or one part
    (``parts``: key and title). The screen follows at its next redraw."""
    options = [""] + (["results"] if results else []) + [key for key, _ in parts]
    titles = {"": t("screen.focus.all"), "results": t("screen.focus.results"), **dict(parts)}
    current = focus(step) if focus(step) in options else ""
    key = f"screen-focus-{step.id}"
    if st.session_state.get(f"{key}:stored") != current:  # changed elsewhere (another tab, an undo): follow it
        st.session_state[key] = current
        st.session_state[f"{key}:stored"] = current
    st.selectbox(t("screen.focus"), options, format_func=titles.__getitem__, key=key, on_change=_set_focus,
                 args=(fac, step.id, key))


def short_url(code: str) -> str:
    """The join address without its scheme: what people type from the projector."""
    from ui.common import join_url

    parts = urlsplit(join_url(code))
    return f"{parts.netloc}{parts.path}?{parts.query}" if parts.query else f"{parts.netloc}{parts.path}"


def header(ws: Workshop, step: Step, total_steps: int, count: int, ready: int, qr: str | None) -> None:
    """Where we are (step, participants, readiness, the step's title) and, with ``qr``, how to join."""
    readiness = f' · <span class="ss-count">{esc(t("screen.ready", ready=ready, total=count))}</span>' if ready else ""
    join = ""
    if qr:
        join = (f'<div class="ss-join" role="region" aria-label="{esc(t("screen.code"))}">'
                f'<div class="ss-qr">{qr}</div><div><div class="ss-url">{esc(short_url(ws.code))}</div>'
                f'<div class="ss-code">{esc(ws.code)}</div></div></div>')
    html_block(
        f'<div class="ss-screen ss-head"><div class="ss-head-main"><p class="ss-sub">'
        f'{esc(t("screen.step", n=step.position + 1, total=total_steps))}'
        f' · <span class="ss-count">{esc(t("screen.participants", count=count))}</span>{readiness}</p>'
        f'<h1 class="ss-user">{esc(step.werkvorm.title)}</h1></div>{join}</div>'
    )


def lobby(ws: Workshop, step: Step, count: int, qr: str) -> None:
    """Before anything happened: the workshop's title, the short address, the code and a large QR code."""
    from messages import dutch_date

    sub = " · ".join(part for part in (ws.partnership, dutch_date(ws.date),
                                       t("screen.lobby_first", title=step.werkvorm.title)) if part)
    html_block(
        f'<div class="ss-screen ss-lobby" role="region" aria-label="{esc(t("screen.code"))}">'
        f'<div class="ss-qr">{qr}</div><div>'
        f'<p class="ss-lobby-title ss-user">{esc(ws.title)}</p><p class="ss-lobby-sub ss-user">{esc(sub)}</p>'
        f'<p class="ss-lobby-ask">{esc(t("screen.join_ask"))}</p><p class="ss-url">{esc(short_url(ws.code))}</p>'
        f'<p class="ss-code">{esc(ws.code)}</p>'
        f'<p class="ss-count">{esc(t("screen.participants", count=count))}</p></div></div>'
    )


def hidden_count(ws: Workshop, step: Step) -> None:
    html_block(f'<div class="ss-screen"><p class="ss-count">'
               f'{esc(t("screen.answered", count=store().respondent_count(step.id), total=store().participant_count(ws.id)))}'
               f'</p><p class="ss-sub">{esc(t("screen.hidden"))}</p></div>')


def render(ws: Workshop, step: Step) -> None:
    import layouts
    layouts.screen(ws, step)
