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
    steps.py          steps, the timebox, the fingerprints the pages poll
    participants.py   joining, tokens, readiness
    contributions.py  notes and answers, moderation, merging
    votes.py          dots
    clusters.py       clusters of notes
    actions.py        the follow-up list and earlier agreements
"""

from __future__ import annotations

import threading
import time

from workshop import db as D
from workshop import settings
from workshop.store.actions import REVIEW_FIELDS, ActionService
from workshop.store.admin import AdminService
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
from workshop.store.retention import RetentionService
from workshop.store.steps import SECTION_LINES, StepService, clean_section
from workshop.store.votes import VoteService

__all__ = [
    "ACTION_STATUSES", "CODE_ALPHABET", "CODE_LENGTH", "REVIEW_FIELDS", "SECTION_LINES", "Facilitator",
    "Participant", "Partnership", "PartnershipAccess", "Step", "Store", "Workshop", "_hash", "clean_section",
    "get_store", "new_key", "normalise_code", "now",
]


class Store(AdminService, PartnershipService, RetentionService, StepService, ParticipantService,
            ContributionService, VoteService, ClusterService, ActionService):
    """Every read and write of one database (see the modules above for each part)."""


_store_lock = threading.Lock()
_stores: dict[str, Store] = {}


_PURGE_EVERY = 24 * 3600
_last_purge: dict[str, float] = {}


def get_store(url: str | None = None) -> Store:
    """The process-wide store for the configured database.

    Applies the retention setting at start and then once a day.
    """
    database = D.get_db(url)
    with _store_lock:
        store = _stores.get(database.url)
        fresh = store is None or store.db is not database
        if fresh:
            store = _stores[database.url] = Store(database)
        days = settings.get().retention_days
        due = days is not None and time.monotonic() - _last_purge.get(database.url, -_PURGE_EVERY) >= _PURGE_EVERY
        if due:
            _last_purge[database.url] = time.monotonic()
    if fresh:  # a restore that a process which died left unfinished (never visible)
        from workshop.bulk import purge_abandoned

        purge_abandoned(store)
    if due:
        store.purge_older_than(days)
    return store
