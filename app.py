"""Samenspraak: the page list. No logic lives here."""

import streamlit as st

from messages import t

st.set_page_config(page_title=t("app.name"), page_icon="💬", layout="wide", initial_sidebar_state="collapsed")

pages = [
    st.Page("pages/join.py", title=t("page.join"), url_path="meedoen", default=True),
    st.Page("pages/new.py", title=t("page.new"), url_path="nieuw"),
    st.Page("pages/facilitator.py", title=t("page.facilitator"), url_path="begeleider"),
    st.Page("pages/screen.py", title=t("page.screen"), url_path="scherm"),
    st.Page("pages/partnership.py", title=t("page.partnership"), url_path="partnerschap"),
]
st.navigation(pages, position="hidden").run()
