"""Demo data of a grid (canvas): notes in random blocks, texts per block where the demo has them,
a few hostile strings, a round of dots."""

from __future__ import annotations

from canvas_models.spec import of_step

CANVAS_TEXT = {
    "partners": ("ROC en vmbo-scholen", "Lokale installatiebedrijven", "Gemeente en provincie", "Pabo's in de regio"),
    "kernactiviteiten": ("Techniekdagen voor groep 8", "Gezamenlijke docentenstages", "Doorlopende leerlijn ontwikkelen"),
    "middelen": ("Gedeelde technieklokalen", "Subsidie Sterk Techniekonderwijs", "Een programmamanager voor 0,6 fte"),
    "waardepropositie": ("Leerlingen zien wat techniek is", "Bedrijven vinden sneller personeel",
                         "Leraren blijven bij in hun vak"),
    "draagvlak": ("Bestuurders tekenen een convenant", "Jaarlijkse netwerkbijeenkomst", "Nieuwsbrief voor docenten"),
    "bereik": ("Ouderavonden over techniek", "Social media van de scholen", "Open dagen bij bedrijven"),
    "doelgroepen": ("Leerlingen groep 7 en 8", "Vmbo-leerlingen in de onderbouw", "Zij-instromers"),
    "kosten": ("Vervoer van leerlingen", "Uren van docenten", "Materiaal voor de lokalen"),
    "financiering": ("Regionale investeringsfondsen", "Bijdrage van bedrijven", "Meten hoeveel leerlingen kiezen voor techniek"),
}


def fill(demo, step: dict) -> None:
    rng, people = demo.rng, demo.people
    spec = of_step(step).fields[0]
    notes = []
    for person in people:
        for _ in range(rng.randint(3, 5)):
            sec = rng.choice(step["sections"])
            text = rng.choice(CANVAS_TEXT.get(sec["key"], ("Een goed idee",)))
            if rng.random() < 0.5:
                text += f" ({rng.choice(demo.subjects)})"
            notes.append(demo.note(step, person, sec["key"], text, field=spec.key, limit=spec.max_length))
    for i, text in enumerate(demo.hostile(len(step["sections"]))):
        notes.append(demo.note(step, people[i % len(people)], step["sections"][i]["key"], text, field=spec.key,
                               limit=spec.max_length))
    demo.vote_round(step, notes, 3)
