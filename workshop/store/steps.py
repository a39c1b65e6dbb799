"""Steps: which one is on, moving between them, their flags (lock, reveal, stage, dots), the
timebox, and the cheap fingerprints the pages and ui/push.py's watcher compare (state, versions,
the cockpit's)."""

from __future__ import annotations

import time
from typing import Any, Iterable

from sqlalchemy import case, func, insert, or_, select, update

import canvas_models
from canvas_models import spec as spec_of
from messages import t
from workshop import db as D
from workshop import timer
from workshop.errors import NotAllowed, UserError
from workshop.store.core import _CV, _P, Facilitator, Service, Step, Workshop, _row, now
from workshop.text import Limits, ascii_key, clean

_Q_STEPS = select(D.steps).where(D.steps.c.workshop_id == _P("workshop_id")).order_by(D.steps.c.position)
_Q_STATE = select(D.workshops.c.state_version, D.workshops.c.current_step).where(D.workshops.c.id == _P("workshop_id"))
_Q_VERSIONS: dict[int, Any] = {}


def _versions_query(count: int):
    """(id, state_version, content version) of ``count`` workshops, parameters w0, w1, ...

    One statement per count, with plain parameters: an expanding IN list is rendered anew at
    every execution, which was two thirds of the watcher's CPU at ten rounds a second."""
    query = _Q_VERSIONS.get(count)
    if query is None:
        query = (select(D.workshops.c.id, D.workshops.c.state_version, func.coalesce(_CV.c.version, 0))
                 .select_from(D.workshops.outerjoin(_CV, _CV.c.workshop_id == D.workshops.c.id))
                 .where(or_(*(D.workshops.c.id == _P(f"w{i}") for i in range(count)))))
        _Q_VERSIONS[count] = query
    return query



#: Most prompts or script lines one section keeps.
SECTION_LINES = canvas_models.MAX_LINES


def clean_section(section: dict) -> dict:
    """The texts of one section (aspect, canvas block, GROW stage) cleaned like typed text,
    whatever their origin: typed by the facilitator, or read from a backup. Other keys
    (key, minutes, grid) pass unchanged; the werkvorm model validates them."""
    out = dict(section)
    out["title"] = clean(section.get("title"), limit=Limits.SECTION_TITLE, label=t("field.aspect"))
    out["question"] = clean(section.get("question") or "", limit=Limits.SECTION_QUESTION, label=t("field.question"),
                            required=False)
    for key, label in (("prompts", t("field.question")), ("script", t("field.script"))):
        lines = section.get(key) or []
        if key in section or key == "prompts":
            if not isinstance(lines, (list, tuple)):
                raise UserError("error.empty", label=label)
            out[key] = [clean(line, limit=Limits.SECTION_QUESTION, label=label) for line in lines
                        if str(line or "").strip()][:SECTION_LINES]
    if "group" in section:
        out["group"] = clean(section.get("group") or "", limit=Limits.SECTION_GROUP, label=t("field.group"),
                             required=False)
    return out


class StepService(Service):
    """The steps of a workshop and what the facilitator steers in them."""

    def steps(self, workshop_id: int) -> list[Step]:
        with self.db.reading() as conn:
            rows = conn.execute(_Q_STEPS, {"workshop_id": workshop_id}).all()
        return [_row(Step, r) for r in rows]

    def step(self, step_id: int) -> Step:
        with self.db.reading() as conn:
            return self._read_step(conn, step_id)

    def current_step(self, ws: Workshop) -> Step:
        steps = self.steps(ws.id)
        return steps[min(ws.current_step, len(steps) - 1)]

    def state(self, workshop_id: int, max_age: float = 0.0) -> tuple[int, int]:
        """(state_version, current_step): the cheap check of a phone's page (ui/join.py).

        ``max_age`` lets many phones that check at once share one query per process.
        """
        if max_age:
            with self._cache_lock:
                hit = self._state_cache.get(workshop_id)
            if hit and time.monotonic() - hit[0] < max_age:
                return hit[1]
        with self.db.reading() as conn:
            row = conn.execute(_Q_STATE, {"workshop_id": workshop_id}).first()
        if row is None:
            raise UserError("error.unknown_room")
        value = (row[0], row[1])
        with self._cache_lock:
            self._state_cache[workshop_id] = (time.monotonic(), value)
        return value

    def versions(self, workshop_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
        """(state_version, content version) of several workshops in one query (ui/push.py's
        watcher). The first moves with what the facilitator steers (every phone redraws), the
        second with every note, dot, tap and moderation (the screens redraw)."""
        ids = sorted(set(workshop_ids))
        if not ids:
            return {}
        rows = []
        with self.db.reading() as conn:
            for at in range(0, len(ids), 50):
                chunk = ids[at:at + 50]
                rows += conn.execute(_versions_query(len(chunk)),
                                     {f"w{i}": wid for i, wid in enumerate(chunk)}).all()
        return {row[0]: (row[1], row[2]) for row in rows}

    def go_to_step(self, fac: Facilitator, position: int) -> None:
        self._check(fac)
        with self.db.writing() as conn:
            self._lock_row(conn, D.workshops, fac.workshop_id)
            count = conn.execute(
                select(func.count()).select_from(D.steps).where(D.steps.c.workshop_id == fac.workshop_id)
            ).scalar_one()
            if not 0 <= position < count:
                raise UserError("error.no_such_step")
            current = conn.execute(
                select(D.workshops.c.current_step).where(D.workshops.c.id == fac.workshop_id)
            ).scalar_one()
            if current == position:
                return
            conn.execute(insert(D.step_changes).values(
                workshop_id=fac.workshop_id, from_step=current, to_step=position, undone=False, created_at=now()))
            self._bump(conn, fac.workshop_id, current_step=position)

    def undo_step(self, fac: Facilitator) -> bool:
        """Go back to where the last step change came from. False when nothing to undo."""
        self._check(fac)
        with self.db.writing() as conn:
            self._lock_row(conn, D.workshops, fac.workshop_id)
            last = conn.execute(
                select(D.step_changes).where(
                    D.step_changes.c.workshop_id == fac.workshop_id, D.step_changes.c.undone.is_(False)
                ).order_by(D.step_changes.c.id.desc()).limit(1)
            ).first()
            if last is None:
                return False
            conn.execute(update(D.step_changes).where(D.step_changes.c.id == last.id).values(undone=True))
            self._bump(conn, fac.workshop_id, current_step=last.from_step)
        return True

    def can_undo(self, workshop_id: int) -> bool:
        with self.db.reading() as conn:
            return conn.execute(
                select(func.count()).select_from(D.step_changes).where(
                    D.step_changes.c.workshop_id == workshop_id, D.step_changes.c.undone.is_(False))
            ).scalar_one() > 0

    def set_step_config(self, fac: Facilitator, step_id: int, **values: Any) -> dict:
        """Set some of a step's settings (``config``: the screen's focus, a chart, the timer's sound),
        keeping the rest: read and written under the step's lock, so two changes at once (a focus and a
        reveal) both stay."""
        def edit(step: Step, config: dict) -> None:
            config.update(values)
        return self._edit_config(fac, step_id, edit)

    def set_outcome(self, fac: Facilitator, step_id: int, text: str | None) -> dict:
        """Settle the shared text of the step's ``settle`` section (the regioplan's vision sentence), or
        open it again (None, or nothing but spaces): cleaned and held to its limit, then stored in the
        step's settings (``outcome``) under the step's lock, like :meth:`set_step_config`."""
        value = clean(text, limit=Limits.OUTCOME, label=t("stages.outcome.label"), required=False)

        def edit(step: Step, config: dict) -> None:
            if step.werkvorm.settle_section is None:
                raise ValueError(f"step {step.id} has no section to settle")
            config["outcome"] = value
        return self._edit_config(fac, step_id, edit)

    def update_step(self, fac: Facilitator, step_id: int, **values) -> None:
        """Set facilitator-controlled step flags (lock, reveal, stage, voting, timer)."""
        self._check(fac)
        allowed = {"locked", "revealed", "stage", "voting_open", "dots", "multi_dot", "votes_live",
                   "vote_target", "timer_seconds", "timer_end", "timer_paused_left", "timer_auto_lock", "config"}
        if not values.keys() <= allowed:
            raise ValueError(f"cannot set {values.keys() - allowed}")
        with self.db.writing() as conn:
            res = conn.execute(update(D.steps).where(
                D.steps.c.id == step_id, D.steps.c.workshop_id == fac.workshop_id).values(**values))
            if res.rowcount != 1:
                raise NotAllowed("error.not_facilitator")
            self._bump(conn, fac.workshop_id)

    def timer(self, fac: Facilitator, step_id: int, action: str, seconds: int | None = None) -> None:
        """Start, pause, extend (by ``seconds``) or reset (to ``seconds``) a step's timebox."""
        step = self.step(step_id)
        moment = now()
        if action == "start":
            values = timer.start(step, moment)
        elif action == "pause":
            values = timer.pause(step, moment)
        elif action == "extend":
            values = timer.extend(step, moment, int(seconds or 60))
        elif action == "reset":
            values = timer.reset(step, seconds)
        else:
            raise ValueError(action)
        if values:
            self.update_step(fac, step_id, **values)

    def enforce_timer(self, step: Step) -> Step:
        """Lock a step whose timebox ran out when the facilitator asked for that.

        Idempotent and safe to call from every screen tick: the update only
        matches while the step is still open, so the version is bumped once.
        """
        if step.locked or not step.timer_auto_lock or not timer.expired(step, now()):
            return step
        with self.db.writing() as conn:
            res = conn.execute(update(D.steps).where(
                D.steps.c.id == step.id, D.steps.c.locked.is_(False)).values(locked=True))
            if res.rowcount:
                self._bump(conn, step.workshop_id)
        return self.step(step.id)

    def set_sections(self, fac: Facilitator, step_id: int, sections: list[dict]) -> None:
        """Replace the section list (praatplaat aspects) of a step, validated."""
        step = self.step(step_id)
        cleaned = []
        for i, sec in enumerate(sections):
            texts = clean_section({"title": sec.get("title"), "question": sec.get("question", ""),
                                   "prompts": sec.get("prompts") or []})
            key = ascii_key(sec.get("key") or texts["title"]).replace(" ", "_")[:30] or f"aspect_{i}"
            if not key[0].isalpha():
                key = f"a_{key}"[:30]
            cleaned.append({"key": key, **texts})
        if not cleaned:
            raise UserError("error.no_sections")
        if len({c["key"] for c in cleaned}) != len(cleaned):
            raise UserError("error.duplicate_sections")
        spec_of.stored(step.werkvorm_key, step.spec).with_sections(cleaned)  # validates
        self.update_step(fac, step_id, config={**step.config, "sections": cleaned})

    def set_columns(self, fac: Facilitator, step_id: int, columns: list[dict]) -> None:
        """Replace the columns of a board (the subregions of the programme-teams board), validated:
        ``columns`` are ``{"key"?, "title"}``; a column that keeps its key keeps its answers."""
        self._check(fac)
        cleaned = []
        for i, col in enumerate(columns):
            title = clean(col.get("title"), limit=Limits.TITLE, label=t("board.columns.name", n=i + 1),
                          multiline=False)
            key = ascii_key(col.get("key") or title).replace(" ", "_")[:30] or f"col_{i}"
            if not key[0].isalpha():
                key = f"c_{key}"[:30]
            cleaned.append({"key": key, "title": title})
        if not cleaned:
            raise UserError("error.no_columns")
        if len(cleaned) > Limits.BOARD_COLUMNS:
            raise UserError("error.too_many_columns", limit=Limits.BOARD_COLUMNS)
        if len({c["key"] for c in cleaned}) != len(cleaned) \
                or len({c["title"].casefold() for c in cleaned}) != len(cleaned):
            raise UserError("error.duplicate_columns")
        # the step's other settings are read and written in one writing transaction (BEGIN IMMEDIATE)
        with self.db.writing() as conn:
            self._lock_row(conn, D.steps, step_id)
            step = self._read_step(conn, step_id)
            if step.workshop_id != fac.workshop_id:
                raise NotAllowed("error.not_facilitator")
            wv = spec_of.stored(step.werkvorm_key, step.spec)
            wv.model_validate({**wv.model_dump(), "columns": cleaned})  # validates
            conn.execute(update(D.steps).where(D.steps.c.id == step_id).values(
                config={**step.config, "columns": cleaned}))
            self._bump(conn, fac.workshop_id)

    def cockpit_state(self, workshop_id: int) -> dict[str, tuple]:
        """Cheap fingerprints for the facilitator's cockpit, read in one transaction. The cockpit
        redraws a live part only when its fingerprint moved (ui/facilitator_page.py):

        * ``steering``: state_version and current step (step changes, lock, reveal, timer, ...);
        * ``room``: how many participants, and their "klaar" taps;
        * ``added``: notes and answers of the current step coming in (count, newest, length);
        * ``tally``: what changes the rest of a step's view: hidden and merged notes, clusters and
          who is in them, dots, the workshop's actions, the number of participants.
        """
        w, p, c, v, cl, a = D.workshops, D.participants, D.contributions, D.votes, D.clusters, D.actions
        with self.db.reading() as conn:
            head = conn.execute(select(w.c.state_version, w.c.current_step).where(w.c.id == workshop_id)).first()
            if head is None:
                return {"steering": (None,), "room": (None,), "added": (None,), "tally": (None,)}
            people = conn.execute(select(func.count(), func.sum(func.coalesce(p.c.ready_step, -1) + 1))
                                  .where(p.c.workshop_id == workshop_id)).one()
            step_id = conn.execute(select(D.steps.c.id).where(D.steps.c.workshop_id == workshop_id,
                                                              D.steps.c.position == head[1])).scalar()
            notes = conn.execute(select(
                func.count(), func.max(c.c.id), func.sum(func.length(c.c.text)), func.sum(func.length(c.c.section)),
                func.sum(case((c.c.hidden.is_(True), c.c.id), else_=0)), func.sum(func.coalesce(c.c.merged_into, 0)),
                func.sum(func.coalesce(c.c.cluster_id, 0) * c.c.id))
                .where(c.c.step_id == step_id, c.c.deleted.is_(False))).one()
            dots = conn.execute(select(func.count(), func.max(v.c.id)).where(v.c.step_id == step_id)).one()
            groups = conn.execute(select(func.count(), func.sum(func.length(cl.c.name)))
                                  .where(cl.c.step_id == step_id, cl.c.deleted.is_(False))).one()
            todo = conn.execute(select(func.count(), func.max(a.c.updated_at))
                                .where(a.c.workshop_id == workshop_id)).one()
        return {
            "steering": (head[0], head[1]),
            "room": (int(people[0] or 0), int(people[1] or 0)),
            "added": tuple(notes[:4]),
            "tally": (int(people[0] or 0), *(int(x or 0) for x in notes[4:]), int(dots[0] or 0), int(dots[1] or 0),
                      int(groups[0] or 0), int(groups[1] or 0), int(todo[0] or 0), str(todo[1])),
        }
