"""Demo data of a wall (brainstorm): notes about the demo subjects, most in a cluster per subject,
some hostile strings, one hidden and one merged note, a round of dots."""

from __future__ import annotations

from canvas_models.spec import of_step
from exports.demo import SUBJECTS
from workshop.aggregate import is_visible

OPENERS = ("Hoe organiseren we", "Meer aandacht voor", "Kunnen we samen werken aan", "Idee: een pool voor",
           "Vraag: wie trekt", "Laten we starten met", "Betere afstemming over", "Ervaringen delen over",
           "Zorg voor continuïteit in", "Wat levert het op:")
CLOSERS = ("?", " in de regio.", " met de bedrijven.", " vóór de zomer.", " – graag concreet!", ".",
           " voor alle scholen.", " zodat leerlingen kiezen voor techniek.")


def fill(demo, step: dict) -> None:
    rng, people = demo.rng, demo.people
    spec = of_step(step).fields[0]
    section = step["sections"][0]["key"]
    for name in SUBJECTS:
        demo.clusters.append({"id": len(demo.clusters) + 1, "step_id": step["id"], "name": name})
    cluster_id = {c["name"]: c["id"] for c in demo.clusters if c["step_id"] == step["id"]}
    notes = []
    for person in people:
        for _ in range(rng.randint(3, 5)):
            topic = rng.choice(list(SUBJECTS))
            text = f"{rng.choice(OPENERS)} {rng.choice(SUBJECTS[topic])}{rng.choice(CLOSERS)}"
            notes.append(demo.note(step, person, section, text, field=spec.key, limit=spec.max_length,
                                   cluster_id=cluster_id[topic] if rng.random() < 0.85 else None))
    for i, text in enumerate(demo.hostile(12)):
        notes.append(demo.note(step, people[i % len(people)], section, text, field=spec.key, limit=spec.max_length))
    if len(notes) > 6:
        notes[2]["hidden"] = True
        notes[5]["merged_into"] = notes[4]["id"]
        notes[5]["cluster_id"] = notes[4]["cluster_id"]
    demo.vote_round(step, [n for n in notes if is_visible(n)], 3)
