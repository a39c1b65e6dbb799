"""Create a new workshop at `/nieuw`."""

from ui import new_workshop
from ui.common import page_setup

page_setup()
new_workshop.run()
