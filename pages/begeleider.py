"""The facilitator at `/begeleider?room=CODE&key=SECRET` (or, from the partnership page,
`/begeleider?room=CODE&partnerschap=ID&pkey=SECRET`)."""

import streamlit as st

from ui import facilitator_page
from ui.common import page_setup

page_setup()
q = st.query_params
facilitator_page.run(q.get("room"), q.get("key"), q.get("partnerschap"), q.get("pkey"))
