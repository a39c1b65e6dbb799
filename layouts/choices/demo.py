"""Demo data for the 'choices' layout. Imports no streamlit.

:func:`fill` adds a choices step's rows to the demo workshop (``demo``: its generator ``rng``, clock
``tick``, ``start``, ``anonymous``, ``people``, and the ``contributions`` and ``actions`` it appends to);
:func:`replay` writes those rows through the Store API as phones and the facilitator would.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Callable

from canvas_models.spec import of_step
from layouts.choices import logic
from messages import t

#: Owners of starting activities in an anonymous workshop (roles, not people), partner companies,
#: and target groups of the demo.
ROLES = ("Werkgroep professionalisering", "Programmamanager", "Kerngroep techniek", "Stuurgroep")
COMPANIES = ("Installatiebedrijf Oost", "Metaalunie regio Noord", "Techniekhuis Twente", "Bouwbedrijf Van Dam",
             "Elektro Hengelo")
TARGETS = ("docenten techniek vmbo", "instructeurs mbo", "docenten en instructeurs")


def fill(demo, step: dict) -> None:
    """Choices (or spreads of points) of most participants, a few changed minds, about half of the
    sections settled by the facilitator, and a menu's best options as starting activities."""
    rng, tick, people = demo.rng, demo.tick, demo.people
    contributions, actions = demo.contributions, demo.actions
    today = demo.start.date()
    owners = ([p["name"] for p in people if p["name"]] if not demo.anonymous else []) or list(ROLES)
    wv = of_step(step)
    spec = wv.choice_field
    budget = wv.points

    def row(person: dict, section: str, option: str, score, stamp: str) -> None:
        contributions.append({
            "id": len(contributions) + 1, "step_id": step["id"], "participant_id": person["id"],
            "section": section, "field": spec.key, "kind": spec.kind, "text": option, "score": score,
            "tags": [], "cluster_id": None, "merged_into": None, "hidden": False, "latest": True,
            "created_at": stamp})

    for n, section in enumerate(wv.sections):
        options = [o.key for o in section.options]
        favourite = rng.randrange(len(options)) if n % 2 == 0 else -1  # (every other section divided)
        weights = [1 + (4 if i == favourite else 0) + rng.random() for i in range(len(options))]
        for person in people:
            if rng.random() < 0.1:  # not everyone chooses
                continue
            if spec.kind == "choice":
                row(person, section.key, rng.choices(options, weights=weights)[0], None, tick())
                if rng.random() < 0.1:  # changed their mind: the newest choice counts
                    row(person, section.key, rng.choice(options), None, tick())
            else:
                spread = dict.fromkeys(options, 0)
                for _ in range(rng.randint(budget - 1, budget)):
                    spread[rng.choices(options, weights=weights)[0]] += 1
                stamp = tick()
                for option in options:
                    row(person, section.key, option, spread[option], stamp)
    rows = [c for c in contributions if c["step_id"] == step["id"]]
    results = logic.results(wv, rows, {})
    if spec.kind == "choice" and len(wv.sections) > 1:
        settled = {r.key: r.options[0].key for i, r in enumerate(results) if r.total and i % 2 == 0}
        if settled:
            step["config"] = {**step.get("config", {}), "settled": settled}
    if spec.kind == "points" and wv.top_n:
        for option in logic.top_options(results[0], wv.top_n):
            stamp = tick()
            actions.append({
                "id": len(actions) + 1,
                "what": t("choices.action_what", activity=option.label, target=rng.choice(TARGETS)),
                "owner": rng.choice(owners), "partner": rng.choice(COMPANIES),
                "due": (today + timedelta(days=rng.randint(30, 150))).isoformat(), "status": "open",
                "link": wv.title[:80], "confirmed": True, "proposed_by": None, "source": wv.key,
                "merged_into": None, "deleted": False, "review_note": "", "created_at": stamp, "updated_at": stamp})


def replay(store, fac, step_id: int, step: dict, rows: list[dict], who: dict, new_key: Callable[[], str]) -> None:
    """The plan's rows of one choices step through the Store API (choose, allocate, settle)."""
    spreads: dict[tuple, dict[str, int]] = {}
    for row in sorted(rows, key=lambda r: r["id"]):
        if row["kind"] == "choice":
            store.choose(who[row["participant_id"]], step_id, section=row["section"], option=row["text"],
                         idem_key=new_key())
        else:
            spreads.setdefault((row["participant_id"], row["section"], row["created_at"]), {})[row["text"]] = \
                row["score"]
    for (pid, section, _stamp), points in spreads.items():
        store.allocate(who[pid], step_id, section=section, points=points, idem_key=new_key())
    config = step.get("config") or {}
    if "points" in config or "top_n" in config:
        store.set_choice_settings(fac, step_id, points=config.get("points"), top_n=config.get("top_n"))
    for section, option in (config.get("settled") or {}).items():
        store.settle_choice(fac, step_id, section=section, option=option)
