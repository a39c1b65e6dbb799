"""The facilitator's controls: steps, lock, reveal, moderation, links.

Every action here runs through a :class:`workshop.Facilitator` capability
obtained from the secret; pages for participants and the screen never build one.
"""

from __future__ import annotations

import streamlit as st

from messages import t
from ui.common import esc, flash, guarded, html_block, join_url, link, md, qr_svg, show_flash, store
from workshop import Facilitator, Step, Workshop

SCOPE = "fac"


def _go(fac: Facilitator, position: int) -> None:
    guarded(SCOPE, lambda: store().go_to_step(fac, position))


def _undo(fac: Facilitator) -> None:
    guarded(SCOPE, lambda: store().undo_step(fac), t("fac.undone"))


def _set_step(fac: Facilitator, step_id: int, **values) -> None:
    guarded(SCOPE, lambda: store().update_step(fac, step_id, **values))


def links_panel(ws: Workshop, secret: str | None) -> None:
    with st.expander(t("fac.links"), expanded=False):
        url = join_url(ws.code)
        st.markdown(t("fac.code", code=ws.code))
        st.text_input(t("fac.join_link"), url, disabled=True, key="lnk-join")
        html_block(f'<div style="max-width:220px">{qr_svg(url, scale=5)}</div>')
        st.text_input(t("fac.screen_link"), link("scherm", room=ws.code), disabled=True, key="lnk-screen")
        st.link_button(t("fac.open_screen"), link("scherm", room=ws.code))
        if secret:  # opened through the partnership's link, the workshop's own secret is not known
            st.text_input(t("fac.own_link"), link("begeleider", room=ws.code, key=secret), disabled=True,
                          type="password", key="lnk-own")


def _attach(fac: Facilitator) -> None:
    from ui import partnership as ps

    def run() -> None:
        ws = store().attach_workshop(fac, ps.open_pasted(st.session_state.get("fac-partnership-link")))
        flash(SCOPE, t("partnership.attached", title=ws.title), "success")

    if guarded(f"{SCOPE}-ps", run):
        st.session_state["fac-partnership-link"] = ""


def partnership_panel(ws: Workshop, fac: Facilitator, partnership_id: str | None,
                      partnership_secret: str | None) -> None:
    """Which partnership this workshop belongs to; a loose workshop can join one on purpose,
    with the partnership's link (the facilitator then holds both links)."""
    from ui import partnership as ps

    with st.expander(t("fac.partnership"), expanded=False):
        if ws.partnership_id is not None:
            name = store().partnership(ws.partnership_id).name
            html_block(f'<p class="ss-user">{esc(t("fac.partnership_in", name=name))}</p>')
            if partnership_id and partnership_secret:
                html_block(f'<p class="ss-user">{esc(t("fac.via_partnership", name=name))}</p>')
                st.link_button(t("fac.back_to_partnership"), ps.partnership_link(ws.partnership_id, partnership_secret))
            return
        st.caption(t("fac.partnership_none"))
        st.text_input(t("fac.partnership_link"), key="fac-partnership-link", type="password",
                      help=t("new.partnership_link_help"))
        st.button(t("fac.partnership_attach"), key="fac-partnership-attach", on_click=_attach, args=(fac,))
        show_flash(f"{SCOPE}-ps")


def step_controls(ws: Workshop, steps: list[Step], fac: Facilitator) -> Step:
    current = steps[min(ws.current_step, len(steps) - 1)]
    st.subheader(t("fac.current", n=current.position + 1, title=current.werkvorm.title))
    cols = st.columns(3)
    cols[0].button(t("fac.back"), on_click=_go, args=(fac, current.position - 1),
                   disabled=current.position == 0, width="stretch", key="step-back")
    cols[1].button(t("fac.next"), on_click=_go, args=(fac, current.position + 1), type="primary",
                   disabled=current.position >= len(steps) - 1, width="stretch", key="step-next")
    cols[2].button(t("fac.undo"), on_click=_undo, args=(fac,), disabled=not store().can_undo(ws.id),
                   width="stretch", key="step-undo")
    titles = {s.position: f"{s.position + 1}. {s.werkvorm.title}" for s in steps}
    choice = st.selectbox(t("fac.jump"), list(titles), index=current.position, format_func=titles.get,
                          key=f"jump-{ws.state_version}")
    if choice != current.position:
        store().go_to_step(fac, choice)
        st.rerun()
    show_flash(SCOPE)
    return current


def input_controls(step: Step, fac: Facilitator) -> None:
    wv = step.werkvorm
    cols = st.columns(2)
    if step.locked:
        cols[0].button(t("fac.unlock"), on_click=_set_step, args=(fac, step.id), kwargs={"locked": False},
                       key="lock", width="stretch")
    else:
        cols[0].button(t("fac.lock"), on_click=_set_step, args=(fac, step.id), kwargs={"locked": True},
                       key="lock", width="stretch")
    if wv.hidden_until_reveal:
        if step.revealed:
            cols[1].button(t("fac.unreveal"), on_click=_set_step, args=(fac, step.id),
                           kwargs={"revealed": False}, key="reveal", width="stretch")
        else:
            cols[1].button(t("fac.reveal"), on_click=_set_step, args=(fac, step.id),
                           kwargs={"revealed": True}, key="reveal", type="primary", width="stretch")
    if wv.sequential:
        titles = {i: md(s.title) for i, s in enumerate(wv.sections)}
        stage = st.radio(t("fac.stage"), list(titles), index=min(step.stage, len(titles) - 1),
                         format_func=titles.get, horizontal=True, key=f"stage-{step.id}-{step.stage}")
        if stage != step.stage:
            store().update_step(fac, step.id, stage=stage)
            st.rerun()
    section = wv.sections[min(step.stage, len(wv.sections) - 1)] if wv.sequential else None
    script = section.script if section else tuple(line for s in wv.sections for line in s.script)
    if script:
        with st.expander(t("fac.script"), expanded=True):
            html_block('<ul class="ss-user">' + "".join(f"<li>{esc(line)}</li>" for line in script) + "</ul>")


def render(ws: Workshop, step: Step, fac: Facilitator) -> None:
    from ui import layouts
    layouts.facilitator(ws, step, fac)


def participants_panel(ws: Workshop, step: Step) -> None:
    people = store().participants(ws.id)
    ready = [p for p in people if p.ready_step == step.position]
    st.metric(t("fac.participants", count=len(people)), t("fac.ready", ready=len(ready), total=len(people)))
    if not ws.anonymous and people:
        busy = [p.name or t("kind.anonymous") for p in people if p.ready_step != step.position]
        if busy:
            html_block(f'<p class="ss-user"><b>{esc(t("fac.busy"))}</b> {esc(", ".join(busy[:60]))}</p>')


def _toggle(fac: Facilitator, name: str) -> None:
    value = bool(st.session_state.get(f"ws-{name}"))
    guarded(SCOPE, lambda: store().update_workshop(fac, **{name: value}))


def room_settings(ws: Workshop, fac: Facilitator) -> None:
    cols = st.columns(2)
    cols[0].toggle(t("fac.show_join"), value=ws.show_join, key="ws-show_join", on_change=_toggle,
                   args=(fac, "show_join"))
    cols[1].toggle(t("fac.participant_pdf"), value=ws.participant_pdf, key="ws-participant_pdf",
                   on_change=_toggle, args=(fac, "participant_pdf"))


def danger_zone(ws: Workshop, fac: Facilitator) -> None:
    with st.expander(t("fac.delete_ws")):
        typed = st.text_input(t("fac.delete_confirm", code=ws.code), key="del-confirm")
        if st.button(t("fac.delete_ws"), type="primary", disabled=typed.strip().upper() != ws.code, key="del-go"):
            store().delete_workshop(fac)
            st.session_state["deleted"] = True
            st.rerun()
