"""The facilitator at `/begeleider?room=CODE&key=SECRET`."""

import streamlit as st

from ui import facilitator_page
from ui.common import page_setup

page_setup()
facilitator_page.run(st.query_params.get("room"), st.query_params.get("key"))
