"""Fixtures and helpers for AppTests of the werkvorm pages (import them into a test module).

``app_store`` points the app at the test's private database (the ``db_url``
fixture of ``conftest.py``, so SQLite and PostgreSQL) and hands back its store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest

from apptest import open_page
from workshop import db as D
from workshop import store as S


@pytest.fixture
def app_store(db_url, setting):
    """Point the app at this test's private database and hand back its store."""
    setting("SAMENSPRAAK_DATABASE_URL", db_url)
    D.reset_instances()
    S._stores.clear()
    yield S.get_store()
    D.reset_instances()
    S._stores.clear()


@dataclass
class AppRoom:
    """A workshop created straight in the store, with its facilitator capability."""

    store: S.Store
    ws: S.Workshop
    secret: str
    fac: S.Facilitator
    people: list[S.Participant] = field(default_factory=list)

    def step(self, werkvorm: str) -> S.Step:
        return next(s for s in self.store.steps(self.ws.id) if s.werkvorm_key == werkvorm)

    def go(self, werkvorm: str) -> S.Step:
        """Make the first step of ``werkvorm`` the active one."""
        step = self.step(werkvorm)
        self.store.go_to_step(self.fac, step.position)
        return step

    def join(self, name: str, org: str) -> S.Participant:
        who = self.store.join(self.ws.code, name=name, org_type=org)
        self.people.append(who)
        return who

    def facilitator_page(self):
        return open_page("facilitator", room=self.ws.code, key=self.secret)

    def screen(self):
        return open_page("screen", room=self.ws.code)

    def phone(self, who: S.Participant):
        """The participant page as a fresh browser opens it from the participant's link."""
        return open_page("join", room=self.ws.code, p=who.token)


def make_app_room(store: S.Store, werkvormen=("praatplaat", "followup"), *, anonymous: bool = False,
                  partnership: str = "STO Regio Test", title: str = "Werkatelier techniek",
                  day: date = date(2026, 11, 26), member_of: S.PartnershipAccess | None = None) -> AppRoom:
    ws, secret = store.create_workshop(title=title, partnership=partnership, day=day, facilitator="Fenna",
                                       werkvormen=list(werkvormen), anonymous=anonymous, member_of=member_of)
    return AppRoom(store, ws, secret, store.authorize(ws.code, secret))
