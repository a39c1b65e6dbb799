"""What the template library's pages share in one browser session (issue 18).

* The owners this session opened with their private link: the partnerships (``ui.partnership``)
  and the workshops whose facilitator link was opened here. Only these reach templates; a typed
  name never does.
* The programme being built for a new workshop on ``/nieuw``: an ordered list of werkvormen with
  minutes. The editor (``/werkvorm``) adds to it; ``/nieuw`` shows, reorders and creates from it.

Streamlit keeps ``st.session_state`` across ``st.switch_page`` and ``st.page_link`` in one tab, so
the pages hand these over without putting a secret in another address.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

import canvas_models
from canvas_models import spec as spec_of
from messages import t
from ui import partnership as ps
from ui.common import store
from workshop import NotAllowed, UserError
from workshop.store import Facilitator, PartnershipAccess

#: session_state: {join code: facilitator secret} of the workshops whose link this session opened.
FACILITATORS = "_facilitator_links"
#: session_state: the programme being built: a list of {"spec": werkvorm file dict, "minutes": int}.
PROGRAMME = "_programme"


@dataclass(frozen=True)
class OwnerChoice:
    """One owner of templates this session may use: a label for a select box and the capability."""

    key: str  # "f:CODE" or "p:ID": stable within the session, for widget keys
    label: str
    owner: Facilitator | PartnershipAccess


def remember_facilitator(code: str, secret: str) -> None:
    """The facilitator page (or the editor) opened this workshop with its link."""
    st.session_state.setdefault(FACILITATORS, {})[code] = secret


def _partnership_choice(access: PartnershipAccess) -> OwnerChoice:
    partnership = store().partnership(access.partnership_id)
    return OwnerChoice(f"p:{partnership.id}", t("library.owner_partnership", name=partnership.name), access)


def _workshop_choice(fac: Facilitator) -> OwnerChoice:
    ws = store().workshop(fac.workshop_id)
    return OwnerChoice(f"f:{ws.code}", t("library.owner_workshop", title=ws.title, code=ws.code), fac)


def owners() -> list[OwnerChoice]:
    """Every owner this session opened with a link that still holds: partnerships first."""
    out = [_partnership_choice(access) for _p, access in ps.opened()]
    for code, secret in list(st.session_state.get(FACILITATORS, {}).items()):
        try:
            fac = store().authorize(code, secret)
        except (NotAllowed, UserError):
            st.session_state[FACILITATORS].pop(code, None)
            continue
        out.append(_workshop_choice(fac))
    return out


def open_link(params) -> OwnerChoice | None:
    """An owner's link, by its parameters (``p`` and ``key``: a partnership; ``room`` and ``key``: a
    workshop's facilitator), checked with the store and remembered for this session. None when the
    parameters are no owner's link; a wrong link raises :class:`NotAllowed` (or a Dutch UserError)."""
    key = params.get("key")
    if key and params.get("p"):
        access = store().open_partnership(params.get("p"), key)
        ps.remember(access.partnership_id, key)
        return _partnership_choice(access)
    if key and params.get("room"):
        fac = store().authorize(params.get("room"), key)
        choice = _workshop_choice(fac)
        remember_facilitator(choice.key.removeprefix("f:"), key)
        return choice
    return None


# ------------------------------------------------------------------ the programme being built
def programme() -> list[tuple[canvas_models.Werkvorm, int]]:
    """The programme on ``/nieuw``: (werkvorm, minutes) in order. A session starts from the default
    programme (the core sequence at its default times), also when the editor adds to it first."""
    if PROGRAMME not in st.session_state:
        registry = canvas_models.REGISTRY
        set_programme([(registry[k], registry[k].default_minutes)
                       for k in canvas_models.DEFAULT_SELECTION if k in registry])
    out = []
    for item in st.session_state[PROGRAMME]:
        out.append((spec_of.stored(item["spec"]["key"], item["spec"]), int(item["minutes"])))
    return out


def set_programme(items: list[tuple[canvas_models.Werkvorm, int]]) -> None:
    st.session_state[PROGRAMME] = [{"spec": spec_of.dump(wv), "minutes": int(minutes)} for wv, minutes in items]


def add_to_programme(werkvorm: canvas_models.Werkvorm, minutes: int | None = None) -> None:
    """Put a werkvorm at the end of the programme (its default time unless given)."""
    set_programme([*programme(), (werkvorm, minutes or werkvorm.default_minutes)])
