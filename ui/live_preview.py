"""The live preview of a werkvorm, in the editor and in the library: the real phone page and the real
projected screen of a private practice workshop that shows just that werkvorm.

The practice workshop admits one participant (the preview's own phone), is marked ``practice`` and
is made again when the werkvorm changes; the one it replaces is deleted, and practice workshops
older than ``PRACTICE_HOURS`` go when a new one is made. A browser session holds one preview.
"""

from __future__ import annotations

import json
from datetime import date

import streamlit as st

from canvas_models import Werkvorm
from canvas_models import spec as spec_of
from messages import t
from ui import library_state, screen_frame
from ui.common import esc, link, store
from workshop import NotAllowed, UserError
from workshop.text import Limits

HELD = "preview:held"  # the session's practice workshop: signature, code, secret, participant token

#: The two kinds of frame: the page's width in CSS pixels, and the box it is scaled into.
_KINDS = {
    "phone": (360, ".ss-pv-phone { position:relative; width:100%; max-width:300px; aspect-ratio:360 / 740; "
                   "overflow:hidden; border:2px solid #111; border-radius:14px; background:#fff; margin:0 auto; } "
                   ".ss-pv-phone iframe { position:absolute; left:0; top:0; width:360px; height:740px; border:0; "
                   "transform-origin:0 0; }"),
    "screen": (1920, ".ss-pv-screen { position:relative; width:100%; aspect-ratio:16 / 9; overflow:hidden; "
                     "border:2px solid #111; border-radius:6px; background:#fff; } "
                     ".ss-pv-screen iframe { position:absolute; left:0; top:0; width:1920px; height:1080px; border:0; "
                     "transform-origin:0 0; pointer-events:none; }"),
}

# The frame is made by the script (st.html keeps no <iframe> of its own), scaled to its box.
_FRAME = """<style>%(css)s</style>
<div class="ss-pv-%(kind)s" id="%(id)s"%(box)s></div>
<script>
(() => {
  const box = document.getElementById(%(id_json)s);
  if (!box || box.dataset.ready) return;
  box.dataset.ready = "1";
  const frame = document.createElement("iframe");
  frame.src = %(src)s;
  frame.title = %(title)s;
  %(inert)s
  box.appendChild(frame);
  const fit = () => { if (box.clientWidth) frame.style.transform = "scale(" + (box.clientWidth / %(width)d) + ")"; };
  new ResizeObserver(fit).observe(box);
  fit();
})();
</script>
"""


def frame(kind: str, ident: str, src: str, title: str, *, image: bool = False) -> None:
    """One real page in a scaled frame: ``kind`` "phone" (360 px wide) or "screen" (1920x1080).
    ``image``: a picture of the page (role img, the frame out of the tab order), as the cockpit
    shows what is projected."""
    width, css = _KINDS[kind]
    st.html(_FRAME % {"css": css, "kind": kind, "id": esc(ident), "id_json": json.dumps(ident), "src": json.dumps(src),
                      "title": json.dumps(title), "width": width,
                      "box": f' role="img" aria-label="{esc(title)}"' if image else "",
                      "inert": "frame.tabIndex = -1;" if image else ""},
            unsafe_allow_javascript=True)


def _drop(held: dict | None) -> None:
    if not held:
        return
    try:
        store().delete_workshop(store().authorize(held["code"], held["secret"]))
    except (NotAllowed, UserError):
        pass


def allowed() -> bool:
    """Where making a workshop asks for the admin password, only an owner's link makes practice ones."""
    return not store().needs_admin_password() or bool(library_state.owners())


def held() -> dict | None:
    return st.session_state.get(HELD)


def practice_workshop(werkvorm: Werkvorm) -> dict | None:
    """The practice workshop that shows ``werkvorm`` (made again when it changed); None if it cannot be made."""
    signature = json.dumps(spec_of.dump(werkvorm), sort_keys=True, ensure_ascii=False)
    before = held()
    if before and before["signature"] == signature and store().workshop_by_code(before["code"]) is not None:
        return before
    title = t("preview.workshop", title=werkvorm.title)[:Limits.TITLE]
    try:
        ws, secret = store().create_workshop(title=title, partnership=t("preview.partnership"),
                                             day=date.today(), facilitator="", werkvormen=[werkvorm],
                                             max_participants=1, practice=True)
        fac = store().authorize(ws.code, secret)
        store().update_workshop(fac, show_join=False)  # the step, not the lobby
        who = store().join(ws.code, name=t("preview.name"), org_type="mbo")
    except UserError:
        return None
    _drop(before)
    fresh = {"signature": signature, "code": ws.code, "secret": secret, "token": who.token}
    st.session_state[HELD] = fresh
    return fresh


def frames(shown: dict, *, side_by_side: bool = False) -> None:
    """The phone and the screen of a practice workshop: in two tabs (a narrow column) or side by side."""
    code = shown["code"]
    if side_by_side:
        phone, screen = st.columns([1, 3], gap="medium")
        phone.caption(t("preview.phone"))
        screen.caption(t("preview.screen"))
    else:
        phone, screen = st.tabs([t("preview.phone"), t("preview.screen")])
    with phone:
        frame("phone", f"ss-pv-phone-{code}", link("", room=code, p=shown["token"]), t("preview.phone"))
    with screen:
        frame("screen", f"ss-pv-screen-{code}", screen_link(code), t("preview.screen"))


def screen_link(code: str) -> str:
    """The projected screen's address for a frame: its height is in it, so the page does not reload
    itself to tell the server."""
    return link("scherm", room=code, vh=str(screen_frame.PREVIEW_HEIGHT))


def close() -> None:
    """Delete the session's practice workshop (the preview was closed)."""
    _drop(st.session_state.pop(HELD, None))
