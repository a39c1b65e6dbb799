"""The projected screen at `/scherm?room=CODE`: read-only, live, no secrets."""

import streamlit as st

from ui import screen_page
from ui.common import page_setup

page_setup()
screen_page.run(st.query_params.get("room"))
