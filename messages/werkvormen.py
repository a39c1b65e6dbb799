"""Texts for the werkvorm-specific views (praatplaat, canvas, GROW, brainstorm, follow-up)."""

NL: dict[str, str] = {
    # charts (ui/charts.py)
    "chart.overall": "Alle deelnemers",
    "chart.group_n": "{label} (n={n})",
    "chart.praatplaat.title": "Eén beeld van de samenwerking",
    "chart.praatplaat.axis": "Gemiddelde score (1 = zwak, 5 = sterk)",
    "chart.praatplaat.empty": "Nog geen scores",
    "chart.praatplaat.differs": "hier kijken we verschillend",
    "chart.praatplaat.differs_mark": "≠ {title}",
    "chart.praatplaat.hover": "{aspect}<br>{group}: {mean} (n={n})",
    "chart.heatmap.title": "Functies per fase",
    "chart.heatmap.untagged": "Zonder functie",
    "chart.heatmap.gaps": "Omlijnd met stippellijn: nog niets genoemd",
    "chart.heatmap.empty": "Nog geen fasen of functies",
    "chart.heatmap.hover": "{function} · {stage}: {count}",
    "chart.ranking.title": "Stippen",
    "chart.ranking.axis": "Aantal stippen",
    "chart.ranking.empty": "Nog geen stippen",
    "chart.function.werven": "Werven",
    "chart.function.matchen": "Matchen",
    "chart.function.opleiden": "Opleiden",
    "chart.function.begeleiden": "Begeleiden",
    "chart.function.professionaliseren": "Professionaliseren",
}
