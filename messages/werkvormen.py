"""Texts for the werkvorm-specific views (praatplaat, canvas, GROW, brainstorm, follow-up)."""

NL: dict[str, str] = {
}
