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
from canvas_models.spec import dump, of_step
import layouts
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


class Demo:
    """The demo workshop as it grows: what a layout's ``fill(demo, step)`` (``layouts/*/demo.py``)
    reads and appends to. Every random choice comes from one generator, in step order, so a seed
    gives the same workshop."""

    def __init__(self, rng: random.Random, tick, start: datetime, anonymous: bool, steps: list[dict],
                 people: list[dict], hostile: list[str]):
        self.rng, self.tick, self.start, self.anonymous = rng, tick, start, anonymous
        self.steps, self.people = steps, people
        self._hostile = hostile
        self.contributions: list[dict] = []
        self.clusters: list[dict] = []
        self.votes: list[dict] = []
        self.actions: list[dict] = []
        #: The brainstorm subjects as one list (actions and canvas notes are about them too).
        self.subjects = [s for group in SUBJECTS.values() for s in group]

    def hostile(self, count: int | None = None) -> list[str]:
        """The next ``count`` hostile strings (all that are left without a count): each is used once."""
        count = len(self._hostile) if count is None else count
        taken, self._hostile = self._hostile[:count], self._hostile[count:]
        return taken

    def note(self, step: dict, person: dict, section: str, text: str, *, kind: str = "note", tags=(), field: str = "note",
             limit: int = 280, cluster_id=None) -> dict:
        row = {"id": len(self.contributions) + 1, "step_id": step["id"], "participant_id": person["id"],
               "section": section, "field": field, "kind": kind, "text": clean_text(text, limit), "score": None,
               "tags": list(tags), "cluster_id": cluster_id, "merged_into": None, "hidden": False,
               "latest": True, "created_at": self.tick()}
        self.contributions.append(row)
        return row

    def vote_round(self, step: dict, pool: list[dict], dots: int) -> None:
        """Everyone places ``dots`` (or one less) on the notes of ``pool``; some notes are favourites."""
        rng = self.rng
        if not pool:
            return
        weights = [1 + (7 if i % 7 == 0 else 0) + rng.random() for i in range(len(pool))]
        for person in self.people:
            for _ in range(rng.randint(max(0, dots - 1), dots)):
                target = rng.choices(pool, weights=weights)[0]
                self.votes.append({"id": len(self.votes) + 1, "step_id": step["id"], "participant_id": person["id"],
                                   "target_type": "note", "target_id": target["id"], "created_at": self.tick()})


def pick_weighted(rng: random.Random, pairs) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def clean_text(text: str, limit: int, *, required: bool = True, multiline: bool = True) -> str:
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
            "id": pos + 1, "position": pos, "werkvorm": key, "title": wv.title, "spec": dump(wv), "config": {},
            "locked": False, "revealed": wv.hidden_until_reveal, "stage": len(wv.sections) - 1 if wv.sequential else 0,
            "voting_open": False, "dots": 3, "multi_dot": True, "votes_live": True, "vote_target": "note",
            "timer_seconds": wv.default_minutes * 60, "timer_auto_lock": False,
            "sections": canvas_models.section_dicts(wv),
        })

    people = []
    for i in range(n_participants):
        if i < len(SPECIAL_NAMES) and n_participants >= 3:
            name = SPECIAL_NAMES[i]
        else:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if anonymous and rng.random() < 0.7:
            name = ""
        people.append({"id": i + 1, "name": clean_text(name, Limits.NAME, required=False, multiline=False),
                       "org_type": pick_weighted(rng, ORG_WEIGHTS), "ready_step": None})

    hostile = list(HOSTILE)
    rng.shuffle(hostile)

    demo = Demo(rng, tick, start, anonymous, steps, people, hostile)
    for step in steps:
        layouts.of(step).demo.fill(demo, step)
    contributions, clusters, votes, actions = demo.contributions, demo.clusters, demo.votes, demo.actions

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
    #: A layout whose rows are no notes or answers replays them itself (``demo.replay``: the choices layout).
    own_replay = {sid: getattr(layouts.of(step).demo, "replay", None) for sid, step in step_in.items()}
    # GROW is sequential: the facilitator moves stage by stage while people write.
    for sid, step in step_in.items():
        if of_step(step).sequential:
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
        if own_replay[row["step_id"]] is not None:  # below, through its layout's own replay
            continue
        if row["kind"] in ("note", "tagged_note"):
            wv = of_step(step)
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
            store.answer(person, sid, section=row["section"], values=values, idem_key=new_key(),
                         column=(row.get("tags") or [""])[0])  # a board's cell: section and column

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

    for sid_in, step in step_in.items():
        if own_replay[sid_in] is not None:
            own_replay[sid_in](store, fac, step_id[sid_in], step, [r for r in rows if r["step_id"] == sid_in], who,
                               new_key)

    by_step: dict[int, list[dict]] = {}
    for v in sorted(data["votes"], key=lambda v: v["id"]):
        if v["target_type"] != "mark":  # the case giver's marks follow the reveal, below
            by_step.setdefault(v["step_id"], []).append(v)
    for sid_in, votes in by_step.items():
        sid = step_id[sid_in]
        store.update_step(fac, sid, voting_open=True, dots=step_in[sid_in]["dots"])
        for v in votes:
            store.place_vote(who[v["participant_id"]], sid, target_type=v["target_type"],
                             target_id=note_ids[v["target_id"]] if v["target_type"] == "note"
                             else cluster_ids[v["target_id"]], idem_key=new_key())
        store.update_step(fac, sid, voting_open=False)

    for sid_in, step in step_in.items():  # rounds revealed, then the case giver's marks (workshop.rounds)
        for section in (step.get("config") or {}).get("revealed") or ():
            store.reveal_section(fac, step_id[sid_in], section)
        if (step.get("config") or {}).get("outcome"):  # a settled sentence (the regioplan's vision)
            store.set_outcome(fac, step_id[sid_in], step["config"]["outcome"])
    for v in sorted(data["votes"], key=lambda v: v["id"]):
        if v["target_type"] == "mark":
            store.mark_note(who[v["participant_id"]], step_id[v["step_id"]], note_ids[v["target_id"]])

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
