"""Creating a workshop: details, ordered werkvormen, and the links that result."""

from __future__ import annotations

from datetime import date

import streamlit as st

from messages import t
from ui import downloads, library, library_state
from ui import partnership as ps
from ui.common import client_keys, esc, guarded, html_block, join_url, link, qr_svg, show_flash, store

SCOPE = "new"
#: The partnership choices on /nieuw besides the partnerships this browser session opened.
NONE, NEW = "none", "new"


def _create() -> None:
    """Create the workshop in the partnership chosen by its link (pasted, or opened in this
    session), in a new partnership, or in none. A typed name never puts it in one."""
    s = st.session_state
    result, made = [], []
    programme = library.create_args(library_state.programme())
    fields = dict(title=s.get("new-title", ""), partnership=s.get("new-partnership", ""),
                  facilitator=s.get("new-facilitator", ""), werkvormen=programme["werkvormen"],
                  admin_password=s.get("new-admin") or "", client=client_keys())
    choice = s.get("new-partnership-choice", NONE)

    def run() -> None:
        member_of = None
        if (s.get("new-partnership-link") or "").strip():
            member_of = ps.open_pasted(s["new-partnership-link"])
        elif choice == NEW:
            store().check_new_workshop(**fields)  # refuse a bad workshop before the partnership exists
            partnership, secret = store().create_partnership(
                fields["partnership"], admin_password=fields["admin_password"], client=fields["client"])
            ps.remember(partnership.id, secret)
            made.append((partnership.id, secret, partnership.name))
            member_of = store().open_partnership(partnership.id, secret)
        elif choice != NONE:
            member_of = store().open_partnership(choice, s.get(ps.OPENED, {}).get(choice))
        result.append(store().create_workshop(
            **fields, minutes=programme["minutes"], day=s.get("new-date") or date.today(), anonymous=bool(s.get("new-anonymous")),
            member_of=member_of))

    if guarded(SCOPE, run):
        ws, secret = result[0]
        s["created"] = (ws.code, secret, ws.title)
        s["new-partnership-link"] = ""
        if made:
            s["created-partnership"] = made[0]


def _created(code: str, secret: str, title: str) -> None:
    made = st.session_state.get("created-partnership")
    if made is not None:
        ps.show_link_once(*made)
        st.divider()
    show_created(code, secret, title, again_key="created")


def show_created(code: str, secret: str, title: str, *, again_key: str) -> None:
    """The new workshop's links (the facilitator link shown once); ``again_key`` is the
    session key whose removal brings back the form."""
    st.success(t("new.created"))
    html_block(f'<h2 class="ss-user">{esc(title)}</h2>')
    fac_link = link("begeleider", room=code, key=secret)
    st.warning(t("new.secret_warning"))
    st.code(fac_link, language=None)
    st.link_button(t("new.open_facilitator"), fac_link, type="primary")
    url = join_url(code)
    st.markdown(t("fac.code", code=code))
    st.code(url, language=None)
    html_block(f'<div style="max-width:260px">{qr_svg(url, scale=6)}</div>')
    if st.button(t("new.another"), key=f"{again_key}-again"):
        st.session_state.pop(again_key, None)
        st.session_state.pop("created-partnership", None)
        st.rerun()


def detail_fields(prefix: str) -> None:
    """Date, facilitator, anonymity and (when set) the admin password of a new workshop, under
    session keys ``{prefix}-date`` etc.; inside the caller's form. The werkvormen are the programme
    (``ui.library.programme_builder``), outside the form."""
    st.date_input(t("new.date"), key=f"{prefix}-date", value=date.today(), format="DD-MM-YYYY")
    st.text_input(t("new.facilitator"), key=f"{prefix}-facilitator", max_chars=80)
    st.checkbox(t("new.anonymous"), key=f"{prefix}-anonymous")
    if store().needs_admin_password():
        st.text_input(t("new.admin_password"), type="password", key=f"{prefix}-admin")


def run() -> None:
    if "created" in st.session_state:
        _created(*st.session_state["created"])
        return
    st.title(t("new.title"))
    st.caption(t("new.intro"))
    details, plan = st.columns([4, 8], gap="large")
    with plan:
        items = library.programme_builder("new")
        library.programme_files("new", items)
    with details, st.form("new-form"):
        st.text_input(t("new.ws_title"), key="new-title", max_chars=120)
        st.text_input(t("new.partnership"), key="new-partnership", max_chars=120, help=t("new.partnership_help"))
        choices = {NONE: t("new.partnership_none"), NEW: t("new.partnership_new")}
        choices.update({p.id: t("new.partnership_opened", name=p.name) for p, _ in ps.opened()})
        if st.session_state.get("new-partnership-choice") not in choices:
            st.session_state.pop("new-partnership-choice", None)
        st.selectbox(t("new.partnership_choice"), list(choices), format_func=choices.get,
                     key="new-partnership-choice", help=t("new.partnership_choice_help"))
        st.text_input(t("new.partnership_link"), key="new-partnership-link", type="password",
                      help=t("new.partnership_link_help"))
        detail_fields("new")
        st.form_submit_button(t("new.submit"), type="primary", on_click=_create)
    with details:
        show_flash(SCOPE)
    st.divider()
    library.library_panel("new")
    st.divider()
    st.page_link("pages/partnerschap.py", label=t("new.partnership_page"))
    downloads.restore_panel()
    show_flash("restore")
