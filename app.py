"""Samenspraak: the page list. No logic lives here.

The first run in a process installs the server fixes (ui/streamlit_internals.py), so a
bare ``streamlit run app.py`` serves the same app as ./run.sh. The page files in pages/ carry the
names of their addresses: before app.py first runs in a fresh process, Streamlit serves a pages/
folder the old way (a page per file, named after it), and then /scherm still finds pages/scherm.py.
"""

import streamlit as st

from messages import t
from ui.streamlit_internals import install_in_server

install_in_server()

st.set_page_config(page_title=t("app.name"), page_icon="💬", layout="wide", initial_sidebar_state="collapsed")

pages = [
    st.Page("pages/meedoen.py", title=t("page.join"), url_path="meedoen", default=True),
    st.Page("pages/nieuw.py", title=t("page.new"), url_path="nieuw"),
    st.Page("pages/begeleider.py", title=t("page.facilitator"), url_path="begeleider"),
    st.Page("pages/scherm.py", title=t("page.screen"), url_path="scherm"),
    st.Page("pages/partnerschap.py", title=t("page.partnership"), url_path="partnerschap"),
    st.Page("pages/werkvorm.py", title=t("page.editor"), url_path="werkvorm"),
]
st.navigation(pages, position="hidden").run()
