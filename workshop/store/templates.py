"""The template library: a facilitator's own werkvormen and programmes.

A template belongs to whoever made it: a workshop's facilitator link (:class:`Facilitator`) or a
partnership's link (:class:`PartnershipAccess`). Only that link lists, reads, changes or deletes it;
a name never reaches one. Shipped werkvormen are files and are never stored here: a facilitator
copies one, and the copy is theirs. A workshop keeps its own copy of every werkvorm it runs with
(``steps.spec``), so changing a template never changes a past workshop. Imports no streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, insert, select, update

from canvas_models import Werkvorm
from canvas_models import spec as spec_of
from workshop import db as D
from workshop.errors import NotAllowed, UserError
from workshop.store.core import Facilitator, PartnershipAccess, Service, now
from workshop.text import ascii_key

Owner = Facilitator | PartnershipAccess
KINDS = ("werkvorm", "programme")
#: Most templates one owner keeps (werkvormen and programmes together).
MAX_TEMPLATES = 200


@dataclass(frozen=True)
class Template:
    id: int
    kind: str
    key: str
    title: str
    body: dict
    version: int
    updated_at: datetime
    #: "facilitator" (the workshop's link made it) or "partnership".
    owner: str

    @property
    def werkvorm(self) -> Werkvorm:
        """The werkvorm of a werkvorm template (checked when it was stored)."""
        return spec_of.stored(self.key, self.body)

    @property
    def programme(self) -> spec_of.Programme:
        """The programme of a programme template."""
        return spec_of.parse_programme(self.body)


def describe(item: Werkvorm | spec_of.Programme) -> tuple[str, str, str, dict]:
    """A checked werkvorm or programme as a template row holds it: (kind, key, title, body). A
    programme is known to its owner by its title; its key is a plain form of that title."""
    if isinstance(item, Werkvorm):
        return "werkvorm", item.key, item.title, spec_of.dump(item)
    key = ascii_key(item.title).replace(" ", "_")[:40] or "programma"
    return "programme", key, item.title, spec_of.dump_programme(item)


def _template(row) -> Template:
    return Template(id=row.id, kind=row.kind, key=row.key, title=row.title, body=row.body, version=row.version,
                    updated_at=row.updated_at,
                    owner="partnership" if row.owner_partnership_id is not None else "facilitator")


class TemplateService(Service):
    """Save, list, read and delete the templates of one owner."""

    @staticmethod
    def _known_id(template_id: object) -> int:
        """A template id as a number the database can hold (one from an address can be anything)."""
        if isinstance(template_id, bool) or not isinstance(template_id, int) or not 0 < template_id < 2**62:
            raise NotAllowed("template.not_yours")
        return template_id

    def _owner(self, owner: Owner):
        """The owner's column and id, after checking its capability."""
        if isinstance(owner, PartnershipAccess):
            self._check_partner(owner)
            return D.templates.c.owner_partnership_id, owner.partnership_id, D.partnerships
        if isinstance(owner, Facilitator):
            self._check(owner)
            return D.templates.c.owner_workshop_id, owner.workshop_id, D.workshops
        raise NotAllowed("error.not_facilitator")

    def templates(self, owner: Owner, kind: str | None = None) -> list[Template]:
        """The owner's templates, newest change first (``kind``: only werkvormen or programmes)."""
        column, owner_id, _ = self._owner(owner)
        query = select(D.templates).where(column == owner_id)
        if kind is not None:
            query = query.where(D.templates.c.kind == kind)
        with self.db.reading() as conn:
            rows = conn.execute(query.order_by(D.templates.c.updated_at.desc(), D.templates.c.id.desc())).all()
        return [_template(r) for r in rows]

    def templates_of_workshop(self, workshop_id: int) -> list[Template]:
        """The templates a workshop's facilitator link owns, for its backup (``exports.snapshot``, which
        reads every part of a workshop by id once a page has checked the link)."""
        with self.db.reading() as conn:
            rows = conn.execute(select(D.templates).where(D.templates.c.owner_workshop_id == workshop_id)
                                .order_by(D.templates.c.id)).all()
        return [_template(r) for r in rows]

    def template(self, owner: Owner, template_id: int) -> Template:
        """One template of the owner's; another owner's (or none) is refused alike."""
        column, owner_id, _ = self._owner(owner)
        template_id = self._known_id(template_id)
        with self.db.reading() as conn:
            row = conn.execute(select(D.templates).where(D.templates.c.id == template_id, column == owner_id)).first()
        if row is None:
            raise NotAllowed("template.not_yours")
        return _template(row)

    def save_werkvorm(self, owner: Owner, werkvorm: Werkvorm | dict, *, template_id: int | None = None) -> Template:
        """Store a werkvorm as the owner's template: a new one, or a new version of ``template_id``.
        A dict is checked as a file from outside (``canvas_models.spec.parse``: Dutch
        :class:`~canvas_models.spec.SpecError`). Two templates of one owner never share a key."""
        if not isinstance(werkvorm, Werkvorm):
            werkvorm = spec_of.parse(werkvorm)
        return self._save(owner, *describe(werkvorm), template_id)

    def save_programme(self, owner: Owner, programme: spec_of.Programme | dict, *,
                       template_id: int | None = None) -> Template:
        """Store a programme as the owner's template (its own werkvormen are kept whole in it, so it
        still runs when their templates change or go)."""
        if not isinstance(programme, spec_of.Programme):
            programme = spec_of.parse_programme(programme)
        return self._save(owner, *describe(programme), template_id)

    def _save(self, owner: Owner, kind: str, key: str, title: str, body: dict, template_id: int | None) -> Template:
        column, owner_id, owner_table = self._owner(owner)
        if template_id is not None:
            template_id = self._known_id(template_id)
        t = D.templates
        moment = now()
        with self.db.writing() as conn:
            self._lock_row(conn, owner_table, owner_id)  # one owner's saves one at a time (the key check)
            if kind == "programme":
                same = t.c.title == title  # a programme is known by its title
            else:
                same = t.c.key == key
            clash = conn.execute(select(t.c.id).where(column == owner_id, t.c.kind == kind, same)).scalar()
            if template_id is None:
                if clash is not None:
                    raise UserError("template.key_taken" if kind == "werkvorm" else "template.title_taken",
                                    name=key, title=title)
                count = conn.execute(select(func.count()).select_from(t).where(column == owner_id)).scalar_one()
                if count >= MAX_TEMPLATES:
                    raise UserError("template.too_many", limit=MAX_TEMPLATES)
                new_id = conn.execute(insert(t).values(
                    kind=kind, key=key, title=title, body=body, version=1, created_at=moment, updated_at=moment,
                    **{column.name: owner_id}).returning(t.c.id)).scalar_one()
            else:
                mine = conn.execute(select(t.c.id).where(t.c.id == template_id, column == owner_id,
                                                         t.c.kind == kind)).scalar()
                if mine is None:
                    raise NotAllowed("template.not_yours")
                if clash is not None and clash != template_id:
                    raise UserError("template.key_taken" if kind == "werkvorm" else "template.title_taken",
                                    name=key, title=title)
                conn.execute(update(t).where(t.c.id == template_id).values(
                    key=key, title=title, body=body, version=t.c.version + 1, updated_at=moment))
                new_id = template_id
        return self.template(owner, new_id)

    def delete_template(self, owner: Owner, template_id: int) -> None:
        """Delete one of the owner's templates (workshops that ran it keep their own copy)."""
        column, owner_id, _ = self._owner(owner)
        template_id = self._known_id(template_id)
        with self.db.writing() as conn:
            done = conn.execute(delete(D.templates).where(D.templates.c.id == template_id, column == owner_id))
        if done.rowcount != 1:
            raise NotAllowed("template.not_yours")
