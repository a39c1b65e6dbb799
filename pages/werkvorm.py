"""The werkvorm editor at `/werkvorm` (`?van=KEY`, `?vorm=LAYOUT` or `?sjabloon=ID`)."""

from ui import editor
from ui.common import page_setup

page_setup()
editor.run()
