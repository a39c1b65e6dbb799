"""Demo data of the board (programme teams): everyone picks a subregion and gives most teams a state
(some say "n.v.t."), with notes now and then; a few change a state later (the newest counts)."""

from __future__ import annotations

import canvas_models
from canvas_models.spec import of_step
from exports.demo import clean_text

#: Notes per text field, in the werkvorm's order (opbrengst, succesfactor, kan beter).
TEXTS = (
    ("Twintig leerlingen deden een gastles bij een bedrijf.", "Een gezamenlijke techniekdag voor groep 8.",
     "Docenten van vmbo en mbo maakten samen een lessenserie.", "Een gedeelde werkplaats is in gebruik."),
    ("Vaste contactpersoon per school.", "De bedrijven denken mee.", "Korte lijnen met de gemeente.",
     "Enthousiaste trekkers in het team."),
    ("Meer tijd voor docenten om mee te doen.", "Het primair onderwijs sluit nog weinig aan.",
     "Afspraken tussen scholen staan nog niet op papier.", "Resultaten worden weinig gedeeld."),
)


def _row(demo, step: dict, person: dict, section: str, column: str, spec, value, stamp: str) -> dict:
    text = "" if spec.kind == "score" else clean_text(value, spec.max_length, required=False)
    return {"id": len(demo.contributions) + 1, "step_id": step["id"], "participant_id": person["id"],
            "section": section, "field": spec.key, "kind": spec.kind, "text": text,
            "score": value if spec.kind == "score" else None, "tags": [column], "cluster_id": None,
            "merged_into": None, "hidden": False, "latest": True, "created_at": stamp}


def fill(demo, step: dict) -> None:
    rng = demo.rng
    wv = of_step(step)
    columns = canvas_models.columns_of(wv, step.get("config"))
    texts = [f for f in wv.fields if f.kind == "text"]
    pool = {f.key: TEXTS[min(i, len(TEXTS) - 1)] for i, f in enumerate(texts)}
    #: Each subregion has its own level, and each team a shift: the heatmap shows a pattern.
    level = {c.key: rng.uniform(2.2, 4.0) for c in columns}
    shift = {s["key"]: rng.uniform(-0.8, 0.8) for s in step["sections"]}
    nvt = {(s["key"], c.key) for s in step["sections"] for c in columns if rng.random() < 0.08}
    for person in demo.people:
        column = rng.choice(columns).key
        for sec in step["sections"]:
            if rng.random() < 0.15:  # skipped this team
                continue
            stamp = demo.tick()
            for spec in wv.fields:
                if spec.kind == "score":
                    value = None if (sec["key"], column) in nvt or rng.random() < 0.03 else \
                        min(5, max(1, round(rng.gauss(level[column] + shift[sec["key"]], 0.7))))
                else:
                    value = rng.choice(pool[spec.key]) if rng.random() < 0.35 else ""
                demo.contributions.append(_row(demo, step, person, sec["key"], column, spec, value, stamp))
            if rng.random() < 0.04:  # changed their mind: the newest state counts
                for row in demo.contributions:
                    if (row["participant_id"], row["step_id"], row["section"], row["kind"]) == \
                            (person["id"], step["id"], sec["key"], "score"):
                        row["latest"] = False
                spec = next(f for f in wv.fields if f.kind == "score")
                demo.contributions.append(_row(demo, step, person, sec["key"], column, spec, rng.randint(1, 5),
                                               demo.tick()))
    if texts and demo.people:
        last = texts[-1]
        candidates = [r for r in demo.contributions if r["step_id"] == step["id"] and r["field"] == last.key]
        for row, text in zip(candidates, demo.hostile(3)):
            row["text"] = clean_text(text, last.max_length)
