"""Participant page at `/`: enter a code, join, then take part in the active step."""

import streamlit as st

from ui import join
from ui.common import page_setup

page_setup()
workshop, participant = join.identify()
if participant is not None:
    join.participant_page(workshop, participant)
elif workshop is not None:
    join.join_form(workshop)
else:
    join.code_form()
