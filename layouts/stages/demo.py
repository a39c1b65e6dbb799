"""Demo data of stages (GROW): notes in every stage, tagged from the werkvorm's vocabulary, a round
of dots on the notes of the options stages."""

from __future__ import annotations

from canvas_models.spec import of_step

GROW_TEXT = {
    "goal": ("Alle studenten worden in de school opgeleid", "Samen het lerarentekort te lijf",
             "Het beroep aantrekkelijker maken", "Eén loket voor zij-instromers"),
    "reality_so": ("Goede ervaringen met opleidingsscholen", "Begeleiding verschilt per school",
                   "Te weinig schoolopleiders", "Mooie samenwerking met de pabo"),
    "reality_or": ("Nog niet alle besturen zijn aangesloten", "Werven gebeurt nog per school",
                   "De rol van de gemeente is onduidelijk", "Matchen loopt via losse contacten"),
    "options_so": ("Een gezamenlijke academie", "Opleiders uitwisselen tussen scholen",
                   "Eén begeleidingsprogramma voor starters", "Samen professionaliseren op maat"),
    "options_or": ("Het partnerschap trekt de functie opleiden", "Samen één wervingscampagne",
                   "Een regionale matchingsdesk", "Data delen over tekorten"),
    "way_forward": ("Start in september met een gezamenlijke wervingscampagne",
                    "Leg de taakverdeling vast in een convenant", "Vraag de Onderwijsregio om een kwartiermaker",
                    "Maak een plan voor 100% Samen Opleiden in 2030"),
    # the regioplan's vision (regio_visie): context, then proposals for the one shared sentence
    "cijfers": ("Minder leerlingen in het vmbo over vijf jaar", "Veel vacatures in de installatietechniek",
                "Weinig meisjes kiezen techniek"),
    "kansen": ("Bedrijven willen meedoen", "Technieklokalen staan deels leeg", "Docenten gaan met pensioen"),
    "visie": ("In onze regio kiest elke leerling bewust voor techniek",
              "Samen zorgen we voor techniekonderwijs dat past bij het werk in de regio",
              "Elke school en elk bedrijf in de regio werkt mee aan goed techniekonderwijs"),
}


def fill(demo, step: dict) -> None:
    rng = demo.rng
    werkvorm = of_step(step)
    spec = werkvorm.fields[0]
    options = []
    for sec in step["sections"]:
        for person in demo.people:
            if rng.random() < 0.62:
                text = rng.choice(GROW_TEXT.get(sec["key"], ("Een antwoord",)))
                if rng.random() < 0.6:
                    text += f": {rng.choice(demo.subjects)}"
                tags = rng.sample(werkvorm.tags, k=rng.choice((0, 1, 1, 2))) if werkvorm.tags else []
                row = demo.note(step, person, sec["key"], text, kind=spec.kind, tags=tags, field=spec.key,
                                limit=spec.max_length)
                if sec.get("role") == "options":
                    options.append(row)
    demo.vote_round(step, options, 2)
    settle = werkvorm.settle_section  # the facilitator settles the shared sentence (the regioplan's vision)
    proposals = [r for r in options if settle is not None and r["section"] == settle.key]
    if proposals:
        step["config"]["outcome"] = proposals[0]["text"]
