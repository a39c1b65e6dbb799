"""A realistic demo workshop: N participants across every werkvorm, Dutch text, some hostile strings.

Used by the benchmarks, the tests and people trying the app::

    python -m exports --demo 40 --json demo.json

:func:`plan` builds the whole workshop as a backup-shaped dict (deterministic
for a seed). :func:`generate` writes it into a store:

* ``fast=False`` (the default) goes through the real write path, the Store API,
  exactly as phones and the facilitator would: join, add_note, answer,
  place_vote, add_cluster, moderate, propose_action, update_action, ...
  About 4 ms a write on SQLite: 200 participants take some 20-30 s.
* ``fast=True`` writes the same plan through :func:`exports.backup.restore`
  (about a second for 200 participants). The benchmark uses it;
  a test checks that both paths give the same workshop.

Imports no streamlit.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone
from typing import Any

import canvas_models
from exports.snapshot import FORMAT, FORMAT_VERSION
from workshop.store import new_key
from workshop.text import Limits, clean

ORG_WEIGHTS = (("po", 14), ("vmbo", 18), ("mbo", 20), ("hbo", 12), ("bedrijfsleven", 18), ("gemeente", 10),
               ("overig", 8))

FIRST = ("Anna", "Bram", "Chantal", "Daan", "Eva", "Fatima", "Gerrit", "Hanneke", "Ilse", "Jeroen", "Kees",
         "Lotte", "Mohamed", "Noor", "Olaf", "Priya", "Quinten", "Rachid", "Sanne", "Thijs", "Ugur", "Vera",
         "Willem", "Yara", "Zoë", "Ömer", "Aïcha", "Joëlle", "Linh", "Sem", "Fleur", "Ruud", "Marloes",
         "Kevin", "Esra", "Bas", "Ingrid", "Tim", "Mila", "Henk")
LAST = ("de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder",
        "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit",
        "Dijkstra", "Smits", "El Amrani", "Yılmaz", "Nguyen", "van Dijk", "Kok", "Jacobs", "Haan", "Schouten")
#: Names that must survive every export: accents, Arabic, Chinese, emoji, markup.
SPECIAL_NAMES = ("فاطمة الزهراء", "王小明", "Zoë 🎓 Verbeek", "<b>Jan</b> & Co", "Łukasz Wójcik",
                 "Ana-María Núñez")

PARTNERSHIPS = ("Sterk Techniekonderwijs Twente", "Samen Opleiden Utrecht", "Onderwijsregio Rijnmond",
                "STO-regio Noord-Limburg", "Partnerschap Opleiden Amsterdam")
PARTNERS = ("ROC van Twente", "Gemeente Enschede", "Pabo Saxion", "Techniek Nederland", "Stichting Carmel",
            "Bedrijvenkring Hengelo", "Het Stedelijk Lyceum", "Gemeente Almelo", "Fontys Lerarenopleiding", "")

#: Hostile strings, stored and exported as plain text (issue 8). Each fits in a note.
HOSTILE = (
    "<script>alert('hallo')</script> zomaar een idee",
    "<b>vet</b> & <i>schuin</i> <img src=x onerror=alert(1)> einde",
    "[klik hier](javascript:alert(1)) en ![plaatje](https://example.invalid/x.png)",
    "# Kop\n## Subkop\n**vet** _schuin_ `code` > citaat",
    "Robert'); DROP TABLE contributions;-- ",
    "' OR '1'='1' --",
    "=HYPERLINK(\"https://example.invalid\",\"klik\")",
    "+31 6 12345678 bellen voor stageplekken",
    "-2+3 is een formule",
    "@SUM(A1:A10) telt op",
    "مدرسة النور تعمل مع البلدية في التدريب",
    "שיתוף פעולה בין בתי ספר",
    "合作伙伴关系很重要：学校和企业",
    "🎓📚🤝 samen sterk 💪 en 👩‍🏫 in de klas",
    "zero\u200bwidth\u200dtekst met\ufeff onzichtbare tekens",
    "Samenwerkingsovereenkomstonderhandelingsvoorbereidingsbijeenkomstverslagleggingsprocedurebeschrijvingsdocument",
    "W" * 240,
    "Ünïcödé: ë é ü ï ß Ø ł ñ ç å — “quotes” ‘single’ … €",
    "{nb} {title} %s %d {0} ${HOME} $(rm -rf /)",
    "NUL\x00 en bel\x07 en \x1b[31mrood\x1b[0m",
    "\u202eomgekeerd\u202c en \u2066isolaat\u2069",
    "Ẑ̶̧̛a̷̡͝l̴̢̛g̸̨̛o̵̧̕ tekst",
)

SUBJECTS = {
    "Stages en werkplekleren": ("stageplekken in de techniek", "werkplekleren in het mbo", "vervoer naar stagebedrijven",
                                "begeleiding van stagiairs op de werkvloer", "een regionale stagebank"),
    "Leraren en opleiden": ("het lerarentekort", "zij-instromers", "opleiden in de school",
                            "begeleiding van startende leraren", "gastdocenten uit bedrijven"),
    "Doorlopende leerlijnen": ("de overstap van vmbo naar mbo", "doorlopende leerlijnen techniek",
                               "loopbaanoriëntatie in groep 7 en 8", "techniek in het basisonderwijs"),
    "Samenwerking met bedrijven": ("gastlessen door bedrijven", "bedrijfsbezoeken voor docenten",
                                   "gedeelde technieklokalen", "een vast aanspreekpunt bij bedrijven"),
    "Organisatie en geld": ("de verdeling van de subsidie", "het mandaat van de stuurgroep",
                            "tijd voor docenten om mee te doen", "de rol van de gemeente"),
}
OPENERS = ("Hoe organiseren we", "Meer aandacht voor", "Kunnen we samen werken aan", "Idee: een pool voor",
           "Vraag: wie trekt", "Laten we starten met", "Betere afstemming over", "Ervaringen delen over",
           "Zorg voor continuïteit in", "Wat levert het op:")
CLOSERS = ("?", " in de regio.", " met de bedrijven.", " vóór de zomer.", " – graag concreet!", ".",
           " voor alle scholen.", " zodat leerlingen kiezen voor techniek.")

ASPECT_GOOD = ("We kennen elkaar goed en durven elkaar te bellen.", "Het doel is helder voor iedereen.",
               "De bedrijven denken echt mee.", "Afspraken worden nagekomen.", "Er is ruimte om te experimenteren.",
               "De stuurgroep neemt snel besluiten.", "Mooie resultaten bij de techniekdagen.",
               "Docenten zijn enthousiast.", "De gemeente faciliteert goed.")
ASPECT_BETTER = ("Meer tijd voor docenten om mee te doen.", "Wie beslist waarover is niet duidelijk.",
                 "De lasten liggen vooral bij de scholen.", "Communicatie naar de werkvloer kan beter.",
                 "Te veel overleg, te weinig doen.", "Het primair onderwijs sluit nog weinig aan.",
                 "Subsidie loopt af: hoe verder?", "Vaste contactpersonen bij bedrijven ontbreken.")
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
}
ACTION_VERBS = ("Plan een overleg over", "Maak een voorstel voor", "Inventariseer", "Organiseer een bijeenkomst over",
                "Schrijf een notitie over", "Vraag subsidie aan voor", "Stem af met de gemeente over",
                "Zet op de agenda van de stuurgroep:")
#: Owners in an anonymous workshop: roles, not people.
ROLES = ("Stuurgroep", "Werkgroep stages", "Programmamanager", "Kerngroep techniek", "Schoolopleiders",
         "Regiegroep Onderwijsregio")
STATUS_WEIGHTS = (("open", 55), ("bezig", 30), ("klaar", 15))


def _pick_weighted(rng: random.Random, pairs) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _c(text: str, limit: int, *, required: bool = True, multiline: bool = True) -> str:
    return clean(text, limit=limit, label="demo", required=required, multiline=multiline)


def plan(n_participants: int, seed: int = 1, *, anonymous: bool = False,
         start: datetime | None = None) -> dict[str, Any]:
    """The whole demo workshop as a backup-shaped dict (see :mod:`exports.snapshot`)."""
    if not 1 <= n_participants <= Limits.MAX_PARTICIPANTS:
        raise ValueError(f"n_participants must be 1..{Limits.MAX_PARTICIPANTS}")
    rng = random.Random(seed)
    start = start or datetime(2026, 3, 12, 9, 30, tzinfo=timezone.utc)
    clock = [start]

    def tick() -> str:
        clock[0] += timedelta(milliseconds=rng.randint(200, 4000))
        return clock[0].isoformat()

    keys = list(canvas_models.REGISTRY)
    steps = []
    for pos, key in enumerate(keys):
        wv = canvas_models.get(key)
        steps.append({
            "id": pos + 1, "position": pos, "werkvorm": key, "title": wv.title, "config": {},
            "locked": False, "revealed": wv.hidden_until_reveal, "stage": len(wv.sections) - 1 if wv.sequential else 0,
            "voting_open": False, "dots": 3, "multi_dot": True, "votes_live": True, "vote_target": "note",
            "timer_seconds": wv.default_minutes * 60, "timer_auto_lock": False,
            "sections": [{"key": s.key, "title": s.title, "question": s.question, "group": s.group}
                         for s in wv.sections],
        })
    step_of = {s["werkvorm"]: s for s in steps}

    people = []
    for i in range(n_participants):
        if i < len(SPECIAL_NAMES) and n_participants >= 3:
            name = SPECIAL_NAMES[i]
        else:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if anonymous and rng.random() < 0.7:
            name = ""
        people.append({"id": i + 1, "name": _c(name, Limits.NAME, required=False, multiline=False),
                       "org_type": _pick_weighted(rng, ORG_WEIGHTS), "ready_step": None})

    contributions: list[dict] = []
    clusters: list[dict] = []
    votes: list[dict] = []
    actions: list[dict] = []
    hostile = list(HOSTILE)
    rng.shuffle(hostile)

    def note(step: dict, person: dict, section: str, text: str, *, kind: str = "note", tags=(),
             limit: int = 280, cluster_id=None) -> dict:
        row = {"id": len(contributions) + 1, "step_id": step["id"], "participant_id": person["id"],
               "section": section, "field": "note", "kind": kind, "text": _c(text, limit), "score": None,
               "tags": list(tags), "cluster_id": cluster_id, "merged_into": None, "hidden": False,
               "latest": True, "created_at": tick()}
        contributions.append(row)
        return row

    def vote_round(step: dict, pool: list[dict], dots: int) -> None:
        if not pool:
            return
        weights = [1 + (7 if i % 7 == 0 else 0) + rng.random() for i in range(len(pool))]
        for person in people:
            for _ in range(rng.randint(max(0, dots - 1), dots)):
                target = rng.choices(pool, weights=weights)[0]
                votes.append({"id": len(votes) + 1, "step_id": step["id"], "participant_id": person["id"],
                              "target_type": "note", "target_id": target["id"], "created_at": tick()})

    # -- brainstorm: notes, clusters, votes
    step = step_of["brainstorm"]
    for name in SUBJECTS:
        clusters.append({"id": len(clusters) + 1, "step_id": step["id"], "name": name})
    cluster_id = {c["name"]: c["id"] for c in clusters}
    notes = []
    for person in people:
        for _ in range(rng.randint(3, 5)):
            topic = rng.choice(list(SUBJECTS))
            text = f"{rng.choice(OPENERS)} {rng.choice(SUBJECTS[topic])}{rng.choice(CLOSERS)}"
            notes.append(note(step, person, "ideeen", text,
                              cluster_id=cluster_id[topic] if rng.random() < 0.85 else None))
    for i, text in enumerate(hostile[:12]):
        notes.append(note(step, people[i % len(people)], "ideeen", text))
    if len(notes) > 6:
        notes[2]["hidden"] = True
        notes[5]["merged_into"] = notes[4]["id"]
        notes[5]["cluster_id"] = notes[4]["cluster_id"]
    vote_round(step, [n for n in notes if not n["hidden"] and n["merged_into"] is None], 3)

    # -- praatplaat: scores and remarks for every aspect, some changed later
    step = step_of["praatplaat"]
    changed = []
    for person in people:
        for sec in step["sections"]:
            base = {"vmbo": 3.4, "mbo": 3.0, "po": 2.6, "hbo": 3.2, "bedrijfsleven": 2.4, "gemeente": 3.6,
                    "overig": 3.0}[person["org_type"]]
            if sec["key"] == "relatie":
                base += 0.8
            if sec["key"] == "belangen" and person["org_type"] == "bedrijfsleven":
                base -= 1.2
            score = None if rng.random() < 0.06 else min(5, max(1, round(rng.gauss(base, 0.9))))
            good = rng.choice(ASPECT_GOOD) if rng.random() < 0.55 else ""
            better = rng.choice(ASPECT_BETTER) if rng.random() < 0.55 else ""
            stamp = tick()
            for field, kind, value in (("score", "score", score), ("goed", "text", good), ("beter", "text", better)):
                contributions.append({
                    "id": len(contributions) + 1, "step_id": step["id"], "participant_id": person["id"],
                    "section": sec["key"], "field": field, "kind": kind,
                    "text": "" if kind == "score" else _c(value, 500, required=False), "score": value if kind == "score" else None,
                    "tags": [], "cluster_id": None, "merged_into": None, "hidden": False, "latest": True,
                    "created_at": stamp})
            if rng.random() < 0.05:
                changed.append((person, sec["key"]))
    for person, section in changed:  # changed their mind: the newest row wins
        for row in contributions:
            if row["participant_id"] == person["id"] and row["section"] == section and row["step_id"] == step["id"]:
                row["latest"] = False
        stamp = tick()
        new_score = rng.randint(1, 5)
        for field, kind, value in (("score", "score", new_score), ("goed", "text", rng.choice(ASPECT_GOOD)),
                                   ("beter", "text", rng.choice(ASPECT_BETTER))):
            contributions.append({
                "id": len(contributions) + 1, "step_id": step["id"], "participant_id": person["id"],
                "section": section, "field": field, "kind": kind, "text": "" if kind == "score" else value,
                "score": value if kind == "score" else None, "tags": [], "cluster_id": None,
                "merged_into": None, "hidden": False, "latest": True, "created_at": stamp})
    for i, text in enumerate(hostile[12:16]):
        row = next(r for r in reversed(contributions) if r["field"] == "beter" and r["latest"]
                   and r["participant_id"] == people[i % len(people)]["id"])
        row["text"] = _c(text, 500)

    # -- follow-up: every participant proposes an action; the facilitator confirms and adds some
    step = step_of["followup"]
    today = date.fromisoformat(start.date().isoformat())
    subjects = [s for group in SUBJECTS.values() for s in group]
    aspects = [s["title"] for s in step_of["praatplaat"]["sections"]]
    for person in people:
        stamp = tick()
        actions.append({
            "id": len(actions) + 1, "what": _c(f"{rng.choice(ACTION_VERBS)} {rng.choice(subjects)}", 300,
                                               multiline=False),
            "owner": rng.choice(ROLES) if anonymous else (person["name"] or rng.choice(FIRST)),
            "partner": rng.choice(PARTNERS),
            "due": (today + timedelta(days=rng.randint(14, 200))).isoformat() if rng.random() < 0.85 else None,
            "status": "open", "link": rng.choice(aspects + [""]), "confirmed": False,
            "proposed_by": person["id"], "source": "followup", "merged_into": None, "deleted": False,
            "review_note": "", "created_at": stamp, "updated_at": stamp,
        })
    for a in actions:
        if rng.random() < 0.7:
            a["confirmed"] = True
            a["status"] = _pick_weighted(rng, STATUS_WEIGHTS)
            a["updated_at"] = tick()
    for i in range(max(1, n_participants // 10)):
        stamp = tick()
        actions.append({
            "id": len(actions) + 1, "what": _c(f"{rng.choice(ACTION_VERBS)} {rng.choice(subjects)}", 300,
                                               multiline=False),
            "owner": rng.choice(ROLES) if anonymous else rng.choice(FIRST), "partner": rng.choice(PARTNERS),
            "due": (today + timedelta(days=rng.randint(7, 120))).isoformat(), "status": "open", "link": "",
            "confirmed": True, "proposed_by": None, "source": "", "merged_into": None, "deleted": False,
            "review_note": "", "created_at": stamp, "updated_at": stamp,
        })
    for action, text in zip(actions, hostile[16:19]):  # a demo of one person has only two actions
        action["what"] = _c(text, 300, multiline=False)
    if len(actions) > 4:  # the facilitator merged two proposals
        actions[3]["merged_into"] = actions[2]["id"]
        actions[3]["deleted"] = True

    # -- canvas: notes per block and votes
    step = step_of["canvas"]
    canvas_notes = []
    for person in people:
        for _ in range(rng.randint(3, 5)):
            sec = rng.choice(step["sections"])
            text = rng.choice(CANVAS_TEXT.get(sec["key"], ("Een goed idee",)))
            if rng.random() < 0.5:
                text += f" ({rng.choice(subjects)})"
            canvas_notes.append(note(step, person, sec["key"], text))
    for i, text in enumerate(hostile[19:]):
        canvas_notes.append(note(step, people[i % len(people)], step["sections"][i]["key"], text))
    vote_round(step, canvas_notes, 3)

    # -- GROW: tagged notes in every stage, votes on the options
    step = step_of["grow"]
    options = []
    for sec in step["sections"]:
        for person in people:
            if rng.random() < 0.62:
                text = rng.choice(GROW_TEXT.get(sec["key"], ("Een antwoord",)))
                if rng.random() < 0.6:
                    text += f": {rng.choice(subjects)}"
                tags = rng.sample(canvas_models.FUNCTIONS, k=rng.choice((0, 1, 1, 2)))
                row = note(step, person, sec["key"], text, kind="tagged_note", tags=tags, limit=400)
                if sec["key"].startswith("options"):
                    options.append(row)
    vote_round(step, options, 2)

    # -- the choices layout (menu, reglement, which condition first): its own demo data
    from types import SimpleNamespace

    from layouts.choices.demo import fill as fill_choices
    workshop = SimpleNamespace(rng=rng, tick=tick, start=start, anonymous=anonymous, steps=steps, people=people,
                               contributions=contributions, actions=actions)
    for step in steps:
        if canvas_models.get(step["werkvorm"]).layout == "choices":
            fill_choices(workshop, step)

    for person in people:
        person["ready_step"] = len(steps) - 1 if rng.random() < 0.8 else None

    return {
        "format": FORMAT, "format_version": FORMAT_VERSION, "exported_at": tick(),
        "workshop": {
            "id": 1, "code": "", "title": f"Werksessie samenwerking {start.year}",
            "partnership": rng.choice(PARTNERSHIPS), "date": start.date().isoformat(),
            "facilitator": rng.choice(("Fatima El Amrani", "Jeroen Bakker", "Marloes de Wit")),
            "anonymous": anonymous, "max_participants": Limits.MAX_PARTICIPANTS,
            "current_step": len(steps) - 1, "show_join": False, "participant_pdf": True,
            "created_at": start.isoformat(),
        },
        "steps": steps, "participants": people, "clusters": clusters, "contributions": contributions,
        "votes": votes, "actions": actions, "earlier_actions": [],
    }


def generate(store, n_participants: int, seed: int = 1, *, anonymous: bool = False, fast: bool = False):
    """Build the demo workshop in ``store``; returns ``(workshop, facilitator_secret)``."""
    data = plan(n_participants, seed, anonymous=anonymous)
    if fast:
        from exports.backup import restore

        return restore(store, data, max_bytes=1 << 62)
    return _through_store(store, data)


def _through_store(store, data: dict):
    """Replay the plan through the Store API, as the app's users would."""
    ws_in = data["workshop"]
    steps_in = data["steps"]
    ws, secret = store.create_workshop(
        title=ws_in["title"], partnership=ws_in["partnership"], day=date.fromisoformat(ws_in["date"]),
        facilitator=ws_in["facilitator"], werkvormen=[s["werkvorm"] for s in steps_in],
        anonymous=ws_in["anonymous"])
    fac = store.authorize(ws.code, secret)
    steps = {s.position: s for s in store.steps(ws.id)}
    step_id = {s["id"]: steps[s["position"]].id for s in steps_in}
    step_in = {s["id"]: s for s in steps_in}

    who = {}
    for p in data["participants"]:
        who[p["id"]] = store.join(ws.code, name=p["name"], org_type=p["org_type"], idem_key=new_key())

    cluster_ids = {c["id"]: store.add_cluster(fac, step_id[c["step_id"]], c["name"]) for c in data["clusters"]}

    note_ids: dict[int, int] = {}
    rows = sorted(data["contributions"], key=lambda r: r["id"])
    # GROW is sequential: the facilitator moves stage by stage while people write.
    for sid, step in step_in.items():
        if canvas_models.get(step["werkvorm"]).sequential:
            store.update_step(fac, step_id[sid], stage=0)
    stage_now: dict[int, int] = {}
    answered: set[tuple] = set()
    answer_groups: dict[tuple, list[dict]] = {}
    for row in rows:
        if row["kind"] in ("score", "text"):
            key = (row["step_id"], row["participant_id"], row["section"], row["created_at"])
            answer_groups.setdefault(key, []).append(row)
    for row in rows:
        step = step_in[row["step_id"]]
        sid = step_id[row["step_id"]]
        person = who[row["participant_id"]]
        if row["kind"] in ("choice", "points"):  # below, through the choices layout's own replay
            continue
        if row["kind"] in ("note", "tagged_note"):
            wv = canvas_models.get(step["werkvorm"])
            if wv.sequential:
                index = [s.key for s in wv.sections].index(row["section"])
                if stage_now.get(sid) != index:
                    store.update_step(fac, sid, stage=index)
                    stage_now[sid] = index
            note_ids[row["id"]] = store.add_note(person, sid, section=row["section"], field=row["field"],
                                                 text=row["text"], idem_key=new_key(), tags=row["tags"])
        else:
            # One answer() call stores score, goed and beter of one aspect together.
            key = (row["step_id"], row["participant_id"], row["section"], row["created_at"])
            if key in answered:
                continue
            answered.add(key)
            values = {r["field"]: (r["score"] if r["kind"] == "score" else r["text"]) for r in answer_groups[key]}
            store.answer(person, sid, section=row["section"], values=values, idem_key=new_key())

    for row in rows:
        if row["kind"] not in ("note", "tagged_note"):
            continue
        changes = {}
        if row["cluster_id"] is not None:
            changes["cluster_id"] = cluster_ids[row["cluster_id"]]
        if row["hidden"]:
            changes["hidden"] = True
        if row["merged_into"] is not None:
            changes["merged_into"] = note_ids[row["merged_into"]]
        if changes:
            store.moderate(fac, note_ids[row["id"]], **changes)

    from layouts.choices.demo import replay as replay_choices
    for sid_in, step in step_in.items():
        if canvas_models.get(step["werkvorm"]).layout == "choices":
            replay_choices(store, fac, step_id[sid_in], step, [r for r in rows if r["step_id"] == sid_in], who,
                           new_key)

    by_step: dict[int, list[dict]] = {}
    for v in sorted(data["votes"], key=lambda v: v["id"]):
        by_step.setdefault(v["step_id"], []).append(v)
    for sid_in, votes in by_step.items():
        sid = step_id[sid_in]
        store.update_step(fac, sid, voting_open=True, dots=step_in[sid_in]["dots"])
        for v in votes:
            store.place_vote(who[v["participant_id"]], sid, target_type=v["target_type"],
                             target_id=note_ids[v["target_id"]] if v["target_type"] == "note"
                             else cluster_ids[v["target_id"]], idem_key=new_key())
        store.update_step(fac, sid, voting_open=False)

    action_ids: dict[int, int] = {}
    for a in sorted(data["actions"], key=lambda a: a["id"]):
        fields = {"what": a["what"], "owner": a["owner"], "partner": a["partner"], "due": a["due"] or None,
                  "link": a["link"]}
        if a["proposed_by"] is not None:
            new_id = store.propose_action(who[a["proposed_by"]], idem_key=new_key(), source=a["source"], **fields)
            if a["confirmed"] or a["status"] != "open":
                store.update_action(fac, new_id, confirmed=a["confirmed"], status=a["status"])
        else:
            new_id = store.add_action(fac, source=a["source"], status=a["status"], **fields)
        action_ids[a["id"]] = new_id
    for a in data["actions"]:
        if a["merged_into"] is not None:
            store.merge_actions(fac, action_ids[a["merged_into"]], [action_ids[a["id"]]])

    for p in data["participants"]:
        if p["ready_step"] is not None:
            store.set_ready(who[p["id"]], p["ready_step"])
    for sid_in, step in step_in.items():
        flags = {k: step[k] for k in ("revealed", "stage", "dots") if k in step}
        store.update_step(fac, step_id[sid_in], **flags)
    store.go_to_step(fac, ws_in["current_step"])
    store.update_workshop(fac, show_join=ws_in["show_join"], participant_pdf=ws_in["participant_pdf"])
    return store.workshop(ws.id), secret


def counts(snap: dict) -> dict[str, int]:
    """Figures of a snapshot: participants, notes (all note rows), actions (live)."""
    notes = sum(1 for c in snap["contributions"] if c["kind"] in ("note", "tagged_note"))
    actions = sum(1 for a in snap["actions"] if not a.get("deleted"))
    return {"participants": len(snap["participants"]), "notes": notes, "actions": actions}


def main(argv: list[str] | None = None) -> int:
    """``python -m exports.demo --participants 30``: a demo workshop in the configured database.

    Every werkvorm is filled, the praatplaat revealed and a dot-vote round closed, so every screen
    state can be tried. Prints the screen, facilitator and join links (paths on the app's address).
    """
    import argparse
    import sys

    from messages import t
    from workshop.errors import UserError
    from workshop.store import get_store
    from workshop.text import Limits

    parser = argparse.ArgumentParser(prog="python -m exports.demo", description=t("cli.demo_db.description"))
    parser.add_argument("--participants", metavar="N", type=int, default=30, help=t("cli.demo"))
    parser.add_argument("--seed", type=int, default=1, help=t("cli.seed"))
    parser.add_argument("--anonymous", action="store_true", help=t("cli.demo_db.anonymous"))
    args = parser.parse_args(argv)
    if not 1 <= args.participants <= Limits.MAX_PARTICIPANTS:
        print(t("cli.bad_demo", limit=Limits.MAX_PARTICIPANTS), file=sys.stderr)
        return 2
    try:
        ws, secret = generate(get_store(), args.participants, args.seed, anonymous=args.anonymous,
                              fast=args.participants > 40)
    except UserError as err:
        print(str(err), file=sys.stderr)
        return 2
    print(f"screen: /scherm?room={ws.code}")
    print(f"facilitator: /begeleider?room={ws.code}&key={secret}")
    print(f"join: /?room={ws.code}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
