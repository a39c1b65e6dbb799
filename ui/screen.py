"""The projected screen: large type, live answers, never a control or a secret.

Each werkvorm layout has its screen function in ``ui/layouts/``. They
only ever read what the screen may show: hidden notes are filtered out in the
query, and answers of a not-yet-revealed step are reduced to a count.
"""

from __future__ import annotations


from messages import t
from ui.common import esc, html_block, store
from workshop import Step, Workshop

SCREEN_CSS = """
<style>
/* Presenter mode: no chrome, large type, high contrast. */
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stSidebar"],
[data-testid="stSidebarCollapsedControl"], footer, #MainMenu { display:none !important; }
.block-container { max-width:100% !important; padding:1.2rem 2rem 10rem 2rem !important; }
/* (the bottom padding keeps the last row clear of the corner join panel) */
.stApp { background:#fff; color:#111; }
.ss-screen h1 { font-size:clamp(2rem, 3.2vw, 3.6rem); margin:0 0 .3rem 0; color:#111; }
.ss-screen .ss-sub { font-size:clamp(1.1rem, 1.6vw, 1.8rem); color:#222; }
.ss-screen .ss-note { font-size:clamp(1.1rem, 1.5vw, 1.7rem); }
.ss-wall { column-width:20rem; column-gap:1rem; }
.ss-wall .ss-note { break-inside:avoid; }
.ss-cluster h2 { font-size:clamp(1.3rem, 2vw, 2.2rem); border-bottom:3px solid #0b4f8a; color:#0b4f8a; }
.ss-join { display:flex; align-items:center; gap:1.5rem; border:3px solid #111; border-radius:10px; padding:1rem;
  background:#fff; }
.ss-join svg { width:100%; height:auto; }
.ss-join .ss-code { font-size:clamp(2.5rem, 5vw, 5.5rem); font-weight:800; letter-spacing:.35rem; color:#111; }
.ss-join.ss-small { position:fixed; right:1rem; bottom:1rem; z-index:1000; padding:.4rem .6rem; gap:.6rem; }
.ss-join.ss-small .ss-code { font-size:1.8rem; letter-spacing:.15rem; }
.ss-count { font-size:clamp(1.1rem, 1.6vw, 1.8rem); font-weight:700; }
</style>
"""


def join_panel(ws: Workshop, url: str, svg: str, *, small: bool) -> None:
    size = "7rem" if small else "min(28vw, 22rem)"
    cls = "ss-join ss-small" if small else "ss-join"
    html_block(
        f'<div class="{cls}" role="region" aria-label="{esc(t("screen.code"))}">'
        f'<div style="width:{size}">{svg}</div><div><div>{esc(t("screen.join", url=url))}</div>'
        f'<div class="ss-code">{esc(ws.code)}</div></div></div>'
    )


def hidden_count(ws: Workshop, step: Step) -> None:
    html_block(f'<div class="ss-screen"><p class="ss-count">'
               f'{esc(t("screen.answered", count=store().respondent_count(step.id), total=store().participant_count(ws.id)))}'
               f'</p><p class="ss-sub">{esc(t("screen.hidden"))}</p></div>')


def render(ws: Workshop, step: Step) -> None:
    from ui import layouts
    layouts.screen(ws, step)
