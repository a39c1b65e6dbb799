"""What a ``choices`` step with ``feeds_links`` (which condition needs attention first) hands the
follow-up plaat: the option labels in the order its choice of "what it belongs to" offers them,
the group's outcome first. Imports no streamlit."""

from __future__ import annotations

from layouts.choices import logic


def leading_links(store, workshop_id: int) -> list[str]:
    """Labels to put first among an action's link options, from every ``feeds_links`` step of the workshop."""
    out: list[str] = []
    for step in store.steps(workshop_id):
        wv = step.werkvorm
        if wv.choice_field is None or not wv.feeds_links:
            continue
        rows = store.contributions(step.id, include_hidden=True, kinds=logic.KINDS)
        for result in logic.results(wv, rows, step.config):
            out += [label for label in logic.leading_labels(result) if label not in out]
    return out
