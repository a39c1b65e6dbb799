"""Demo data for a step of rounds (intervision): cases and a vote, the case giver's question, private
questions and advice (revealed), marks and next steps. Imports no streamlit."""

from __future__ import annotations

from canvas_models.spec import of_step

CASES = (
    "Mijn team haakt af bij het nieuwe rooster voor de techniekdagen",
    "Een bedrijf zegde drie stageplaatsen op het laatste moment af",
    "Twee scholen willen hetzelfde praktijklokaal op dezelfde middag",
    "Ik krijg de mbo-collega's niet aan tafel voor de leerlijn",
)
QUESTION = ("Hoe krijg ik mijn team weer mee zonder het rooster los te laten?",
            "Wat kan ik zelf doen zodat het team meedenkt in plaats van afhaakt?")
QUESTIONS = (
    "Wanneer merkte je voor het eerst dat het team afhaakte?",
    "Wie heeft het rooster gemaakt, en wie is erover gehoord?",
    "Wat zeggen de docenten zelf als je het vraagt?",
    "Wat gebeurt er als je niets doet?",
    "Welk deel van het rooster staat echt vast?",
    "Wat heb je al geprobeerd?",
)
TALK = (
    "Het lijkt meer over zeggenschap te gaan dan over het rooster",
    "Het team voelt zich overvallen",
    "De planning is in de vakantie gemaakt",
)
ADVICE = (
    "Plan een kort gesprek met het team over wat wel kan",
    "Laat twee docenten het rooster mee herzien",
    "Begin klein: één techniekdag als proef",
    "Vraag het bedrijf om mee te denken over de data",
    "Leg uit welke keuzes al vastlagen en waarom",
)
NEXT = ("Volgende week een teamoverleg over het rooster plannen",
        "Twee docenten vragen mee te schrijven aan de proefdag")


def fill(demo, step: dict) -> None:
    """Fill ``step`` (a plan step): ``demo`` has ``rng``, ``people``, ``tick``, ``votes`` and ``note(...)``
    (:class:`exports.demo.Demo`)."""
    rng, people, note, votes, tick = demo.rng, demo.people, demo.note, demo.votes, demo.tick
    if len(people) < 2:
        return
    sections = of_step(step).sections
    submitters = people[:min(3, len(people))]
    cases = [note(step, p, s.key, CASES[i % len(CASES)]) for s in sections if s.role == "cases"
             for i, p in enumerate(submitters)]
    chosen = cases[1] if len(cases) > 1 else cases[0]
    giver = next(p for p in people if p["id"] == chosen["participant_id"])
    others = [p for p in people if p is not giver]
    for person in others:
        votes.append({"id": len(votes) + 1, "step_id": step["id"], "participant_id": person["id"],
                      "target_type": "note", "target_id": chosen["id"], "created_at": tick()})
    asked = 0
    for section in sections:
        if section.role == "cases" or section.writers == "none":
            continue
        if section.role == "question":
            note(step, giver, section.key, QUESTION[asked % len(QUESTION)])
            asked += 1
            continue
        if section.role == "next_steps":
            for text in NEXT:
                note(step, giver, section.key, text)
            continue
        writers = others if section.writers == "others" else people
        pool = {"questions": QUESTIONS, "advice": ADVICE}.get(section.role, TALK)
        rows = [note(step, person, section.key, pool[(i + rng.randint(0, 2)) % len(pool)])
                for i, person in enumerate(writers[:12])]
        if section.marks and section.role == "advice":
            for row in rows[:2]:
                votes.append({"id": len(votes) + 1, "step_id": step["id"], "participant_id": giver["id"],
                              "target_type": "mark", "target_id": row["id"], "created_at": tick()})
    step["config"] = {**step.get("config", {}),
                      "revealed": [s.key for s in sections if s.private_until_reveal]}
