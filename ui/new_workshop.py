"""Creating a workshop: details, ordered werkvormen, and the links that result."""

from __future__ import annotations

import os
from datetime import date

import streamlit as st

import canvas_models
from messages import t
from ui import downloads
from ui.common import client_keys, esc, guarded, html_block, join_url, link, qr_svg, show_flash, store

SCOPE = "new"


def admin_password() -> str:
    return os.environ.get("SAMENSPRAAK_ADMIN_PASSWORD", "")


def _create() -> None:
    s = st.session_state
    result = []
    ok = guarded(SCOPE, lambda: result.append(store().create_workshop(
        title=s.get("new-title", ""), partnership=s.get("new-partnership", ""),
        day=s.get("new-date") or date.today(), facilitator=s.get("new-facilitator", ""),
        werkvormen=s.get("new-werkvormen") or [], anonymous=bool(s.get("new-anonymous")),
        admin_password=s.get("new-admin"), required_password=admin_password() or None, client=client_keys())))
    if ok:
        ws, secret = result[0]
        s["created"] = (ws.code, secret, ws.title)


def _created(code: str, secret: str, title: str) -> None:
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
    if st.button(t("new.another"), key="new-again"):
        st.session_state.pop("created", None)
        st.rerun()


def run() -> None:
    if "created" in st.session_state:
        _created(*st.session_state["created"])
        return
    st.title(t("new.title"))
    st.caption(t("new.intro"))
    registry = canvas_models.REGISTRY
    with st.form("new-form"):
        st.text_input(t("new.ws_title"), key="new-title", max_chars=120)
        st.text_input(t("new.partnership"), key="new-partnership", max_chars=120, help=t("new.partnership_help"))
        st.date_input(t("new.date"), key="new-date", value=date.today(), format="DD-MM-YYYY")
        st.text_input(t("new.facilitator"), key="new-facilitator", max_chars=80)
        st.multiselect(t("new.werkvormen"), list(registry), default=list(registry),
                       format_func=lambda k: registry[k].title, key="new-werkvormen",
                       help=t("new.werkvormen_help"))
        st.checkbox(t("new.anonymous"), key="new-anonymous")
        if admin_password():
            st.text_input(t("new.admin_password"), type="password", key="new-admin")
        st.form_submit_button(t("new.submit"), type="primary", on_click=_create)
    show_flash(SCOPE)
    downloads.restore_panel(admin_password())
    show_flash("restore")
