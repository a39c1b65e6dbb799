"""Figures a cache shares between sessions (the compass radar, the GROW heatmap) are built on by many
sessions at once: each gets a figure of its own (``ui.charts.fresh``). Building straight from the shared
figure let plotly take a trace's type out of the shared dicts while another session read them, which
drew a Scatter where a Scatterpolar was meant (a screen error the browser suite caught under load)."""

from __future__ import annotations

import threading

from canvas_models import REGISTRY
from layouts.compass.views import radar_figure
from layouts.stages.views import heatmap_figure
from ui import charts
from workshop.aggregate import function_stage_matrix

POINTS = (("Werven", 2.5, False), ("Matchen", None, True), ("Opleiden", 4.0, False))


def _hammer(build, threads: int = 8, rounds: int = 40) -> list[str]:
    errors: list[str] = []

    def work() -> None:
        for _ in range(rounds):
            try:
                fig = build()
                fig.update_layout(margin=dict(t=110))  # callers build on their copy
            except Exception as exc:  # noqa: BLE001 - every failure is counted
                errors.append(repr(exc)[:120])

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return errors


def test_sessions_building_on_the_shared_radar_at_once_each_get_their_own():
    assert _hammer(lambda: charts.fresh(radar_figure(POINTS, 600))) == []
    assert radar_figure(POINTS, 600).data[0].type == "scatterpolar"  # the shared one is untouched


def test_sessions_building_on_the_shared_heatmap_at_once_each_get_their_own():
    grow = REGISTRY["grow"]
    notes = [{"section": grow.sections[0].key, "tags": [grow.tags[0]], "hidden": False, "merged_into": None,
              "deleted": False, "text": "Stages in de regio"}]
    matrix = function_stage_matrix(notes, grow.sections, grow.tags)
    assert _hammer(lambda: charts.fresh(heatmap_figure(matrix, 600))) == []
    assert heatmap_figure(matrix, 600).data[0].type == "heatmap"
