"""Demo data for an inspiratiekompas step: activities under most themes and a strength per theme, with
one weak theme and one without activities, so the gaps show. Imports no streamlit."""

from __future__ import annotations

ACTIVITIES = {
    "leerlijnen": ("Gezamenlijke leerlijn installatietechniek vmbo-mbo", "Doorstroomdag voor derdejaars",
                   "Afspraken over de overstap naar mbo-niveau 2", "Een gedeeld portfolio techniek"),
    "faciliteiten": ("Het lasrobotlokaal delen met twee scholen", "Een rooster voor de mobiele techniekbus",
                     "Samen een 3D-printerlab inrichten"),
    "docenten": ("Docentenstage bij een installatiebedrijf", "Studiedag over duurzame energie",
                 "Lesbezoek bij een collega-school", "Training lesgeven met de lasrobot"),
    "bedrijven": ("Echte opdrachten van de metaalbedrijven", "Gastlessen door jonge vakmensen",
                  "Snuffelstages in de regio", "Een bedrijf adopteert een klas"),
    "basisonderwijs": ("Techniekdagen voor groep 7 en 8", "Leskisten techniek voor basisscholen",
                       "Een technieklab op de open dag"),
    "profielen": ("Techniekproject binnen zorg en welzijn", "Domotica in de zorgklas"),
}
#: Mean strength per theme the demo draws around; the last theme stays empty of activities.
BASE = {"leerlijnen": 3.6, "faciliteiten": 2.0, "docenten": 3.1, "bedrijven": 3.8, "basisonderwijs": 2.9,
        "profielen": 2.6}


def fill(demo, step: dict) -> None:
    """Fill ``step`` (a plan step): activities through ``demo.note``, scores into ``demo.contributions``
    (``demo``: :class:`exports.demo.Demo`)."""
    rng, people, note, contributions, tick = demo.rng, demo.people, demo.note, demo.contributions, demo.tick
    keys = [s["key"] for s in step["sections"]]
    planned = [k for k in keys[:-1] if k in ACTIVITIES] or keys[:-1]
    for i, person in enumerate(people):
        for key in rng.sample(planned, k=min(len(planned), rng.choice((1, 1, 2)))):
            texts = ACTIVITIES.get(key, ("Een geplande activiteit",))
            note(step, person, key, texts[(i + rng.randint(0, 1)) % len(texts)], limit=300)
        stamp = tick()
        for key in keys:
            score = None if rng.random() < 0.05 else min(5, max(1, round(rng.gauss(BASE.get(key, 3.0), 0.8))))
            contributions.append({
                "id": len(contributions) + 1, "step_id": step["id"], "participant_id": person["id"],
                "section": key, "field": "strength", "kind": "score", "text": "", "score": score, "tags": [],
                "cluster_id": None, "merged_into": None, "hidden": False, "latest": True, "created_at": stamp})
