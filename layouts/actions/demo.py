"""Demo data of actions (follow-up plaat): every participant proposes an action, most are confirmed
with a status, the facilitator adds some, two proposals are merged."""

from __future__ import annotations

from datetime import date, timedelta

from canvas_models.spec import of_step
from exports.demo import FIRST, clean_text, pick_weighted

ACTION_VERBS = ("Plan een overleg over", "Maak een voorstel voor", "Inventariseer", "Organiseer een bijeenkomst over",
                "Schrijf een notitie over", "Vraag subsidie aan voor", "Stem af met de gemeente over",
                "Zet op de agenda van de stuurgroep:")
#: Owners in an anonymous workshop: roles, not people.
ROLES = ("Stuurgroep", "Werkgroep stages", "Programmamanager", "Kerngroep techniek", "Schoolopleiders",
         "Regiegroep Onderwijsregio")
STATUS_WEIGHTS = (("open", 55), ("bezig", 30), ("klaar", 15))
PARTNERS = ("ROC van Twente", "Gemeente Enschede", "Pabo Saxion", "Techniek Nederland", "Stichting Carmel",
            "Bedrijvenkring Hengelo", "Het Stedelijk Lyceum", "Gemeente Almelo", "Fontys Lerarenopleiding", "")


def fill(demo, step: dict) -> None:
    rng, people, actions, anonymous = demo.rng, demo.people, demo.actions, demo.anonymous
    today = date.fromisoformat(demo.start.date().isoformat())
    subjects = demo.subjects
    # What an action can belong to: the aspects of a werkvorm with scores (as on the phone).
    aspects = [s["title"] for other in demo.steps if "score" in of_step(other).kinds
               for s in other["sections"]]
    first = len(actions)
    for person in people:
        stamp = demo.tick()
        actions.append({
            "id": len(actions) + 1, "what": clean_text(f"{rng.choice(ACTION_VERBS)} {rng.choice(subjects)}", 300,
                                                       multiline=False),
            "owner": rng.choice(ROLES) if anonymous else (person["name"] or rng.choice(FIRST)),
            "partner": rng.choice(PARTNERS),
            "due": (today + timedelta(days=rng.randint(14, 200))).isoformat() if rng.random() < 0.85 else None,
            "status": "open", "link": rng.choice(aspects + [""]), "confirmed": False,
            "proposed_by": person["id"], "source": step["werkvorm"], "merged_into": None, "deleted": False,
            "review_note": "", "created_at": stamp, "updated_at": stamp,
        })
    for a in actions[first:]:
        if rng.random() < 0.7:
            a["confirmed"] = True
            a["status"] = pick_weighted(rng, STATUS_WEIGHTS)
            a["updated_at"] = demo.tick()
    for _ in range(max(1, len(people) // 10)):
        stamp = demo.tick()
        actions.append({
            "id": len(actions) + 1, "what": clean_text(f"{rng.choice(ACTION_VERBS)} {rng.choice(subjects)}", 300,
                                                       multiline=False),
            "owner": rng.choice(ROLES) if anonymous else rng.choice(FIRST), "partner": rng.choice(PARTNERS),
            "due": (today + timedelta(days=rng.randint(7, 120))).isoformat(), "status": "open", "link": "",
            "confirmed": True, "proposed_by": None, "source": "", "merged_into": None, "deleted": False,
            "review_note": "", "created_at": stamp, "updated_at": stamp,
        })
    mine = actions[first:]
    for action, text in zip(mine, demo.hostile(3)):  # a demo of one person has only two actions
        action["what"] = clean_text(text, 300, multiline=False)
    if len(mine) > 4:  # the facilitator merged two proposals
        mine[3]["merged_into"] = mine[2]["id"]
        mine[3]["deleted"] = True
