"""The ``choices`` layout's writes: one choice, a spread of points, the facilitator's settings and
settled sections (layouts/choices/)."""

from __future__ import annotations

from sqlalchemy import insert

import canvas_models
from workshop import db as D
from workshop.errors import UserError
from workshop.store.core import Facilitator, Participant, Service, Step, now


class ChoiceService(Service):
    def choose(self, who: Participant, step_id: int, *, section: str, option: str, idem_key: str) -> None:
        """One choice in a ``choices`` step whose field is of kind ``choice``: an appended row,
        the newest per participant and section counts (layouts/choices/logic.py)."""
        def write(conn) -> None:
            step = self._open_step(who, step_id, conn)
            spec = _choices_field(step, "choice")
            _choices_option(step, section, option)
            conn.execute(insert(D.contributions).values(
                workshop_id=who.workshop_id, step_id=step_id, participant_id=who.id, section=section,
                field=spec.key, kind="choice", text=option, score=None, tags=[], idem_key=idem_key,
                created_at=now()))
            self._touch(conn, who.workshop_id)
        self._insert_once(D.contributions, who.workshop_id, idem_key, write, found=lambda _: None)  # a repeat: once

    def allocate(self, who: Participant, step_id: int, *, section: str, points: dict[str, int],
                 idem_key: str) -> None:
        """A participant's whole spread of points over the options of one section (kind ``points``).

        One row per option, written together; the budget (:func:`points_budget`) is read in the same
        serialised transaction, and the participant's row is locked on PostgreSQL, so two devices
        cannot interleave two spreads."""
        for value in points.values():
            if type(value) is not int or not 0 <= value <= canvas_models.MAX_POINTS:
                raise UserError("error.choices.points")

        def write(conn) -> None:
            self._lock_row(conn, D.participants, who.id)
            step = self._open_step(who, step_id, conn)
            spec = _choices_field(step, "points")
            options = [o.key for o in _choices_section(step, section).options]
            if set(points) - set(options):
                raise UserError("error.choices.gone")
            budget, total = points_budget(step), sum(points.values())
            if total > budget:
                raise UserError("error.choices.over", total=total, budget=budget, over=total - budget)
            stamp = now()
            conn.execute(insert(D.contributions), [dict(
                workshop_id=who.workshop_id, step_id=step_id, participant_id=who.id, section=section,
                field=spec.key, kind="points", text=key, score=points.get(key, 0), tags=[],
                idem_key=f"{idem_key}:{i}", created_at=stamp) for i, key in enumerate(options)])
            self._touch(conn, who.workshop_id)
        # a repeat of this spread: its first row (one per option, the first always there) is stored already
        self._insert_once(D.contributions, who.workshop_id, f"{idem_key}:0", write, found=lambda _: None)

    def set_choice_settings(self, fac: Facilitator, step_id: int, *, points: int | None = None,
                            top_n: int | None = None) -> dict:
        """The facilitator's settings of a ``choices`` step: points per participant, how many of the best
        options become starting activities."""
        def edit(step: Step, config: dict) -> None:
            wv = step.werkvorm
            if wv.choice_field is None:
                raise ValueError("not a choices step")
            if points is not None:
                if type(points) is not int or not 1 <= points <= canvas_models.MAX_POINTS:
                    raise UserError("error.choices.budget", most=canvas_models.MAX_POINTS)
                config["points"] = points
            if top_n is not None:
                most = max(len(s.options) for s in wv.sections)
                if type(top_n) is not int or not 0 <= top_n <= most:
                    raise UserError("error.choices.top_n", most=most)
                config["top_n"] = top_n
        return self._edit_config(fac, step_id, edit)

    def settle_choice(self, fac: Facilitator, step_id: int, *, section: str, option: str | None) -> dict:
        """The facilitator settles a section (a clause) on ``option``; None opens it again."""
        def edit(step: Step, config: dict) -> None:
            if step.werkvorm.choice_field is None:
                raise ValueError("not a choices step")
            settled = dict(config.get("settled") or {})
            if option is None:
                _choices_section(step, section)
                settled.pop(section, None)
            else:
                _choices_option(step, section, option)
                settled[section] = option
            config["settled"] = settled
        return self._edit_config(fac, step_id, edit)


def choice_budget(config: dict | None, werkvorm: canvas_models.Werkvorm) -> int:
    """Points each participant spends per section of a ``choices`` step: the facilitator's setting
    (``config["points"]``), else the werkvorm's."""
    value = (config or {}).get("points")
    if type(value) is int and 1 <= value <= canvas_models.MAX_POINTS:
        return value
    return werkvorm.points


def points_budget(step: Step) -> int:
    return choice_budget(step.config, step.werkvorm)


def _choices_field(step: Step, kind: str) -> canvas_models.FieldSpec:
    spec = step.werkvorm.choice_field
    if spec is None or spec.kind != kind:
        raise ValueError(f"step {step.id} takes no '{kind}'")
    return spec


def _choices_section(step: Step, section: str) -> canvas_models.Section:
    try:
        return step.werkvorm.section(section)
    except KeyError:
        raise UserError("error.choices.gone") from None


def _choices_option(step: Step, section: str, option: str) -> canvas_models.Option:
    try:
        return _choices_section(step, section).option(option)
    except KeyError:
        raise UserError("error.choices.gone") from None
