"""Demo data of scores (praatplaat): everyone scores every aspect (organisation types differ, some
say "weet ik niet") and writes some remarks; a few change their mind later (the newest counts)."""

from __future__ import annotations

from canvas_models.spec import of_step
from exports.demo import clean_text

#: Remarks for the werkvorm's first and second text field (praatplaat: goed, beter).
TEXTS = (
    ("We kennen elkaar goed en durven elkaar te bellen.", "Het doel is helder voor iedereen.",
     "De bedrijven denken echt mee.", "Afspraken worden nagekomen.", "Er is ruimte om te experimenteren.",
     "De stuurgroep neemt snel besluiten.", "Mooie resultaten bij de techniekdagen.",
     "Docenten zijn enthousiast.", "De gemeente faciliteert goed."),
    ("Meer tijd voor docenten om mee te doen.", "Wie beslist waarover is niet duidelijk.",
     "De lasten liggen vooral bij de scholen.", "Communicatie naar de werkvloer kan beter.",
     "Te veel overleg, te weinig doen.", "Het primair onderwijs sluit nog weinig aan.",
     "Subsidie loopt af: hoe verder?", "Vaste contactpersonen bij bedrijven ontbreken."),
)
#: The mean score each organisation type tends to give, and how some aspects shift it.
BASE = {"vmbo": 3.4, "mbo": 3.0, "po": 2.6, "hbo": 3.2, "bedrijfsleven": 2.4, "gemeente": 3.6, "overig": 3.0}
SHIFT = {("relatie", None): 0.8, ("belangen", "bedrijfsleven"): -1.2}


def answer_row(demo, step: dict, person: dict, section: str, spec, value, stamp: str, text: str) -> dict:
    return {"id": len(demo.contributions) + 1, "step_id": step["id"], "participant_id": person["id"],
            "section": section, "field": spec.key, "kind": spec.kind, "text": text,
            "score": value if spec.kind == "score" else None, "tags": [], "cluster_id": None, "merged_into": None,
            "hidden": False, "latest": True, "created_at": stamp}


def fill(demo, step: dict) -> None:
    rng, people = demo.rng, demo.people
    fields = of_step(step).fields
    texts = [f for f in fields if f.kind == "text"]
    pool = {f.key: TEXTS[min(i, len(TEXTS) - 1)] for i, f in enumerate(texts)}
    changed = []
    for person in people:
        for sec in step["sections"]:
            base = BASE[person["org_type"]] + SHIFT.get((sec["key"], None), 0.0) \
                + SHIFT.get((sec["key"], person["org_type"]), 0.0)
            values = {}
            for spec in fields:
                if spec.kind == "score":
                    values[spec.key] = None if rng.random() < 0.06 else min(5, max(1, round(rng.gauss(base, 0.9))))
                else:
                    values[spec.key] = rng.choice(pool[spec.key]) if rng.random() < 0.55 else ""
            stamp = demo.tick()
            for spec in fields:
                value = values[spec.key]
                text = "" if spec.kind == "score" else clean_text(value, spec.max_length, required=False)
                demo.contributions.append(answer_row(demo, step, person, sec["key"], spec, value, stamp, text))
            if rng.random() < 0.05:
                changed.append((person, sec["key"]))
    for person, section in changed:  # changed their mind: the newest row wins
        for row in demo.contributions:
            if row["participant_id"] == person["id"] and row["section"] == section and row["step_id"] == step["id"]:
                row["latest"] = False
        stamp = demo.tick()
        values = {spec.key: rng.randint(1, 5) if spec.kind == "score" else rng.choice(pool[spec.key])
                  for spec in fields}
        for spec in fields:
            value = values[spec.key]
            demo.contributions.append(answer_row(demo, step, person, section, spec, value, stamp,
                                           "" if spec.kind == "score" else value))
    if texts:
        last = texts[-1].key
        for i, text in enumerate(demo.hostile(4)):
            row = next(r for r in reversed(demo.contributions) if r["field"] == last and r["latest"]
                       and r["participant_id"] == people[i % len(people)]["id"])
            row["text"] = clean_text(text, texts[-1].max_length)
