"""Demo data of the risks layout: everyone rates every risk (some "weet ik niet"), some propose a
measure, one changes their mind (the newest counts), a few measures are hostile strings."""

from __future__ import annotations

from canvas_models.spec import of_step
from exports.demo import clean_text
from layouts.scores.demo import answer_row

MEASURES = ("Per activiteit een vaste trekker en een vervanger aanwijzen.",
            "Afspraken met bedrijven vastleggen in een korte intentieverklaring.",
            "Een reserve van tien procent in de begroting opnemen.",
            "Uren voor docenten vooraf in de jaartaak afspreken.",
            "Elk kwartaal in de stuurgroep de voortgang bespreken.",
            "Kleiner beginnen en na een half jaar opschalen.")


def fill(demo, step: dict) -> None:
    rng, people = demo.rng, demo.people
    fields = of_step(step).fields
    for r, sec in enumerate(step["sections"]):
        base_like, base_impact = 1.5 + (r * 1.3) % 3.5, 2 + (r * 0.9) % 3
        for person in people:
            stamp = demo.tick()
            for spec in fields:
                if spec.kind == "score":
                    base = base_like if spec is fields[0] else base_impact
                    value = None if rng.random() < 0.05 else min(5, max(1, round(rng.gauss(base, 0.8))))
                    demo.contributions.append(answer_row(demo, step, person, sec["key"], spec, value, stamp, ""))
                elif rng.random() < 0.3:
                    text = clean_text(rng.choice(MEASURES), spec.max_length, required=False)
                    demo.contributions.append(answer_row(demo, step, person, sec["key"], spec, text, stamp, text))
    texts = [f for f in fields if f.kind == "text"]
    if texts and step["sections"]:
        for i, text in enumerate(demo.hostile(2)):
            demo.contributions.append(answer_row(demo, step, people[i % len(people)], step["sections"][-1]["key"],
                                           texts[0], text, demo.tick(), clean_text(text, texts[0].max_length)))
