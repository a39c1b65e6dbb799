"""A partnership at `/partnerschap?p=ID&key=SECRET`; without a link: create or restore one."""

import streamlit as st

from ui import partnership
from ui.common import page_setup

page_setup()
partnership.run(st.query_params.get("p"), st.query_params.get("key"))
