"""Participant page at `/`: enter a code, join, then take part in the active step."""

from ui import participant_page
from ui.common import connection_banner, page_setup

page_setup()
connection_banner()
participant_page.page()
