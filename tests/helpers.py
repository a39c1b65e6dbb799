"""Test helpers shared by the test modules (imported as ``helpers``): the one :class:`Room`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from messages import CATALOGUE, t
from workshop.errors import UserError
from workshop.store import Facilitator, Participant, PartnershipAccess, Step, Store, Workshop, new_key

ORG_CYCLE = ("po", "vmbo", "mbo", "hbo", "bedrijfsleven", "gemeente", "overig")


@dataclass
class Room:
    """A workshop under test, with its facilitator capability and participants; the pages of the
    app on it (AppTest) for the page tests."""

    store: Store
    ws: Workshop
    secret: str
    fac: Facilitator
    participants: list[Participant] = field(default_factory=list)

    @property
    def steps(self) -> list[Step]:
        return self.store.steps(self.ws.id)

    def step(self, werkvorm: str) -> Step:
        """The first step of this werkvorm."""
        for step in self.steps:
            if step.werkvorm_key == werkvorm:
                return step
        raise KeyError(werkvorm)

    def refresh(self) -> Workshop:
        self.ws = self.store.workshop(self.ws.id)
        return self.ws

    def go(self, werkvorm: str) -> Step:
        """Make the first step of ``werkvorm`` the active one."""
        step = self.step(werkvorm)
        self.store.go_to_step(self.fac, step.position)
        return step

    def join_as(self, name: str, org_type: str) -> Participant:
        """One participant with this name and organisation type."""
        who = self.store.join(self.ws.code, name=name, org_type=org_type)
        self.participants.append(who)
        return who

    def join(self, n: int = 1, *, name: str = "Deelnemer", org_type: str | None = None) -> list[Participant]:
        joined = []
        for _ in range(n):
            i = len(self.participants)
            who = self.store.join(self.ws.code, name=f"{name} {i + 1}" if name else "",
                                  org_type=org_type or ORG_CYCLE[i % len(ORG_CYCLE)])
            self.participants.append(who)
            joined.append(who)
        return joined

    def note(self, who: Participant, text: str = "Een idee", *, werkvorm: str = "brainstorm",
             section: str | None = None, field: str = "note", idem_key: str | None = None, **kw) -> int:
        step = self.step(werkvorm)
        section = section or step.werkvorm.sections[0].key
        return self.store.add_note(who, step.id, section=section, field=field, text=text,
                                   idem_key=idem_key or new_key(), **kw)

    def open_voting(self, werkvorm: str = "brainstorm", *, dots: int = 3, multi_dot: bool = True) -> Step:
        step = self.step(werkvorm)
        self.store.update_step(self.fac, step.id, voting_open=True, dots=dots, multi_dot=multi_dot)
        return self.store.step(step.id)

    # The pages (AppTest): the store must be the app's (the ``app_store`` fixture).
    def facilitator_page(self):
        from apptest import open_page

        return open_page("facilitator", room=self.ws.code, key=self.secret)

    def screen(self):
        from apptest import open_page

        return open_page("screen", room=self.ws.code)

    def phone(self, who: Participant):
        """The participant page as a fresh browser opens it from the participant's link."""
        from apptest import open_page

        return open_page("join", room=self.ws.code, p=who.token)


def make_app_room(store: Store, werkvormen=("praatplaat", "followup"), *, anonymous: bool = False,
                  partnership: str = "STO Regio Test", title: str = "Werkatelier techniek",
                  day: date = date(2026, 11, 26), member_of: PartnershipAccess | None = None) -> Room:
    """A workshop for the page tests, made straight in the store."""
    ws, secret = store.create_workshop(title=title, partnership=partnership, day=day, facilitator="Fenna",
                                       werkvormen=list(werkvormen), anonymous=anonymous, member_of=member_of)
    return Room(store, ws, secret, store.authorize(ws.code, secret))


def count_rows(store: Store, table, **where) -> int:
    """Rows in ``table`` matching column == value filters (tests only)."""
    query = select(func.count()).select_from(table)
    for key, value in where.items():
        query = query.where(table.c[key] == value)
    with store.db.reading() as conn:
        return conn.execute(query).scalar_one()


def assert_dutch(err: UserError) -> None:
    """The error carries a catalogue key and its message is that key's Dutch text."""
    assert isinstance(err, UserError), type(err)
    assert err.key in CATALOGUE, err.key
    assert str(err) == t(err.key, **err.params)
    assert str(err).strip() and err.key not in str(err)
