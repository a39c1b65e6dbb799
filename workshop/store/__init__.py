"""The workshop store: every read and write of Samenspraak's data goes here.

Pages never contain SQL. Facilitator actions need a :class:`Facilitator`
capability, which only :meth:`Store.authorize` hands out after checking the
workshop secret in constant time. Participant actions need a
:class:`Participant` looked up by its private token. Imports no streamlit.

:class:`Store` is a thin front over one service per concern, each in its own module
of this package (the capability a method needs is in its signature there):

    core.py           records, capabilities, the shared transaction helpers
    admin.py          creating workshops (the admin password), reading them, the facilitator link
    partnerships.py   partnerships and their private link
    retention.py      deleting a workshop, and the old ones
    steps.py          steps, the timebox, the fingerprints the pages compare
    participants.py   joining, tokens, readiness
    contributions.py  notes and answers, moderation, merging
    votes.py          dots
    rounds.py         per-round reveals, the chosen case, the case giver's marks (layouts/rounds)
    choices.py        one choice or a spread of points per section, settled sections (layouts/choices)
    clusters.py       clusters of notes
    actions.py        the follow-up list and earlier agreements
    templates.py      the template library: own werkvormen and programmes of a facilitator or partnership
"""

from __future__ import annotations

import threading

from workshop import db as D
from workshop import settings
from workshop.store.actions import REVIEW_FIELDS, ActionService
from workshop.store.admin import AdminService
from workshop.store.choices import ChoiceService, choice_budget, points_budget
from workshop.store.clusters import ClusterService
from workshop.store.contributions import ContributionService
from workshop.store.core import (
    ACTION_STATUSES,
    CODE_ALPHABET,
    CODE_LENGTH,
    Facilitator,
    Participant,
    Partnership,
    PartnershipAccess,
    Step,
    Workshop,
    _hash,
    new_key,
    normalise_code,
    now,
)
from workshop.store.participants import ParticipantService
from workshop.store.partnerships import PartnershipService
from workshop.store.rounds import RoundService
from workshop.store.retention import RetentionDaemon, RetentionService
from workshop.store.steps import SECTION_LINES, StepService, clean_section
from workshop.store.templates import Template, TemplateService
from workshop.store.votes import VoteService

__all__ = [
    "ACTION_STATUSES", "CODE_ALPHABET", "CODE_LENGTH", "REVIEW_FIELDS", "SECTION_LINES", "Facilitator",
    "Participant", "Partnership", "PartnershipAccess", "Step", "Store", "Workshop", "_hash", "choice_budget",
    "clean_section", "get_store", "new_key", "normalise_code", "now", "points_budget", "Template",
]


class Store(AdminService, PartnershipService, RetentionService, StepService, ParticipantService,
            ContributionService, VoteService, ClusterService, ActionService, ChoiceService,
            RoundService, TemplateService):
    """Every read and write of one database (see the modules above for each part)."""


_store_lock = threading.Lock()
#: The process-wide stores, by their database's URL.
_stores: dict[str, Store] = {}
#: The same stores by the URL asked for (the configured one when none is given): the fast path.
_asked: dict[str, Store] = {}
#: The retention daemon of each database (by its URL), one per process.
_purgers: dict[str, RetentionDaemon] = {}


def get_store(url: str | None = None) -> Store:
    """The process-wide store for ``url`` (default: the configured database).

    Cheap after the first call (pages call it many times per run): two dictionary look-ups.
    The first call for a database removes what a restore left unfinished when its process died,
    and starts the retention daemon when ``SAMENSPRAAK_RETENTION_DAYS`` is set (old workshops
    are deleted in the background at start and daily, never inside a page render).
    """
    key = url or settings.get().database_url
    store = _asked.get(key)
    if store is not None and _stores.get(store.db.url) is store and D.current(store.db.url) is store.db:
        return store
    database = D.get_db(url)
    with _store_lock:
        store = _stores.get(database.url)
        fresh = store is None or store.db is not database
        if fresh:
            store = _stores[database.url] = Store(database)
        _asked[key] = store
    if fresh:
        from workshop.bulk import purge_abandoned

        purge_abandoned(store)  # a restore that a process which died left unfinished (never visible)
        start_retention(store)
    return store


def start_retention(store: Store) -> RetentionDaemon | None:
    """Start (or restart, for a new store on the same database) the retention daemon of
    ``store``'s database; None when the retention setting is off."""
    days = settings.get().retention_days
    with _store_lock:
        old = _purgers.pop(store.db.url, None)
        daemon = _purgers[store.db.url] = RetentionDaemon(store, days) if days else None
    if old is not None:
        old.stop()
    if daemon is None:
        _purgers.pop(store.db.url, None)
        return None
    return daemon.start()


def stop_retention() -> None:
    """Stop every retention daemon of this process (tests)."""
    with _store_lock:
        daemons = list(_purgers.values())
        _purgers.clear()
    for daemon in daemons:
        daemon.stop()
