"""The facilitator's controls: steps, lock, reveal, moderation, links.

Every action here runs through a :class:`workshop.Facilitator` capability
obtained from the secret; pages for participants and the screen never build one.
"""

from __future__ import annotations

from typing import Callable

import streamlit as st

from messages import t
from ui.common import esc, flash, guarded, html_block, join_url, link, qr_svg, show_flash, store
from workshop import Facilitator, Step, Workshop

SCOPE = "fac"


def _go(fac: Facilitator, position: int) -> None:
    guarded(SCOPE, lambda: store().go_to_step(fac, position))


def _undo(fac: Facilitator) -> None:
    guarded(SCOPE, lambda: store().undo_step(fac), t("fac.undone"))


def _set_step(fac: Facilitator, step_id: int, **values) -> None:
    guarded(SCOPE, lambda: store().update_step(fac, step_id, **values))


def links_panel(ws: Workshop, secret: str | None, extra: Callable[[], None] | None = None) -> None:
    """The workshop's links; ``extra`` draws more inside the same expander (the template library's entry)."""
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
        if extra is not None:
            st.divider()
            extra()


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


def _jump(fac: Facilitator, key: str, drawn: int) -> None:
    """"Ga naar stap": acts in the widget's callback, on the value the facilitator chose.

    (It used to compare the widget's value with the current step after the rerun; when the
    workshop's version had moved since the page was drawn (a dot round opened in the live part,
    the timer's automatic lock), the widget came back under a new key with its default value,
    and the jump was silently lost.)

    A box from an earlier drawing that the browser still reports (its fragment drew a newer
    one) holds the step it was drawn at: that is no choice, and must not move the group back."""
    choice = st.session_state.get(key)
    if choice is not None and choice != drawn:
        guarded(SCOPE, lambda: store().go_to_step(fac, int(choice)))


def _stage(fac: Facilitator, step_id: int, key: str, drawn: int) -> None:
    choice = st.session_state.get(key)
    if choice is not None and choice != drawn:  # (see _jump)
        guarded(SCOPE, lambda: store().update_step(fac, step_id, stage=int(choice)))


def step_controls(ws: Workshop, steps: list[Step], fac: Facilitator) -> Step:
    """Where the group is, back, next, undo and jump. Widgets that hold a value are keyed by the
    workshop's ``state_version``, so after any change they are drawn from the database again."""
    current = steps[min(ws.current_step, len(steps) - 1)]
    html_block(f'<h2 class="ss-cockpit-step ss-user">{esc(t("fac.current", n=current.position + 1, title=current.werkvorm.title))}'
               f' <span class="ss-of">({esc(t("fac.of_steps", total=len(steps)))})</span></h2>')
    with st.container(horizontal=True, gap="small", key="step-row"):
        st.button(t("fac.back"), on_click=_go, args=(fac, current.position - 1),
                  disabled=current.position == 0, key="step-back")
        st.button(t("fac.next"), on_click=_go, args=(fac, current.position + 1), type="primary",
                  disabled=current.position >= len(steps) - 1, key="step-next")
        st.button(t("fac.undo"), on_click=_undo, args=(fac,), disabled=not store().can_undo(ws.id),
                  key="step-undo")
    titles = {s.position: f"{s.position + 1}. {s.werkvorm.title}" for s in steps}
    key = f"jump-{ws.state_version}"
    st.selectbox(t("fac.jump"), list(titles), index=current.position, format_func=titles.get, key=key,
                 on_change=_jump, args=(fac, key, current.position), label_visibility="collapsed")
    return current


def input_controls(step: Step, fac: Facilitator, version: int = 0) -> None:
    """Lock, reveal and (GROW) the stage: each shows the state it is in, read afresh."""
    wv = step.werkvorm
    state = [t("fac.state_locked") if step.locked else t("fac.state_open")]
    if wv.hidden_until_reveal:
        state.append(t("fac.state_revealed") if step.revealed else t("fac.state_hidden"))
    if step.voting_open:
        state.append(t("fac.state_voting"))
    with st.container(horizontal=True, gap="small", vertical_alignment="center", key="input-row"):
        html_block(f'<p class="ss-cockpit-state{" ss-locked" if step.locked else ""}" role="status" '
                   f'data-locked="{str(step.locked).lower()}">{esc(" · ".join(state))}</p>')
        if step.locked:
            st.button(t("fac.unlock"), on_click=_set_step, args=(fac, step.id), kwargs={"locked": False},
                      key="lock", type="primary")
        else:
            st.button(t("fac.lock"), on_click=_set_step, args=(fac, step.id), kwargs={"locked": True},
                      key="lock")
        if wv.hidden_until_reveal:
            if step.revealed:
                st.button(t("fac.unreveal"), on_click=_set_step, args=(fac, step.id),
                          kwargs={"revealed": False}, key="reveal")
            else:
                st.button(t("fac.reveal"), on_click=_set_step, args=(fac, step.id),
                          kwargs={"revealed": True}, key="reveal", type="primary")
    if wv.sequential:
        titles = {i: s.title for i, s in enumerate(wv.sections)}
        key = f"stage-{step.id}-{version}"
        st.selectbox(t("fac.stage"), list(titles), index=min(step.stage, len(titles) - 1),
                     format_func=titles.get, key=key, on_change=_stage, args=(fac, step.id, key, step.stage),
                     label_visibility="collapsed")


def script_panel(step: Step) -> None:
    """The facilitator's script for this step (or this stage), open until the facilitator closes it."""
    wv = step.werkvorm
    section = wv.sections[min(step.stage, len(wv.sections) - 1)] if wv.sequential else None
    script = section.script if section else tuple(line for s in wv.sections for line in s.script)
    if script:
        with st.expander(t("fac.script"), expanded=True, key=f"script-{step.id}", on_change="rerun"):
            # escaped HTML, never Markdown: a restored or edited script line stays text
            html_block('<ul class="ss-user">' + "".join(f"<li>{esc(line)}</li>" for line in script) + "</ul>")


def render(ws: Workshop, step: Step, fac: Facilitator) -> None:
    import layouts
    layouts.facilitator(ws, step, fac)


def participants_panel(ws: Workshop, step: Step) -> None:
    """Who is here and who is still busy with this step, in one line."""
    people = store().participants(ws.id)
    ready = [p for p in people if p.ready_step == step.position]
    line = (f'<b>{esc(t("fac.participants", count=len(people)))}</b> · '
            f'{esc(t("fac.ready", ready=len(ready), total=len(people)))}')
    if not ws.anonymous and people:
        busy = [p.name or t("kind.anonymous") for p in people if p.ready_step != step.position]
        if busy:
            line += f' · <b>{esc(t("fac.busy"))}</b> {esc(", ".join(busy[:60]))}'
    html_block(f'<p class="ss-user ss-room" style="margin:0">{line}</p>')


def _toggle(fac: Facilitator, name: str, key: str, drawn: bool | None = None) -> None:
    value = bool(st.session_state.get(key))
    if value == drawn:  # a switch from an earlier drawing (see _jump)
        return
    guarded(SCOPE, lambda: store().update_workshop(fac, **{name: value}))


def screen_settings(ws: Workshop, fac: Facilitator) -> None:
    """What the projected screen shows besides the step (keyed by version: never a stale value)."""
    key = f"ws-show_join-{ws.state_version}"
    st.toggle(t("fac.show_join"), value=ws.show_join, key=key, on_change=_toggle, args=(fac, "show_join", key, ws.show_join))


def room_settings(ws: Workshop, fac: Facilitator) -> None:
    key = "ws-participant_pdf"
    st.toggle(t("fac.participant_pdf"), value=ws.participant_pdf, key=key, on_change=_toggle,
              args=(fac, "participant_pdf", key))


def danger_zone(ws: Workshop, fac: Facilitator) -> None:
    with st.expander(t("fac.delete_ws")):
        typed = st.text_input(t("fac.delete_confirm", code=ws.code), key="del-confirm")
        if st.button(t("fac.delete_ws"), type="primary", disabled=typed.strip().upper() != ws.code, key="del-go"):
            store().delete_workshop(fac)
            st.session_state["deleted"] = True
            st.rerun()
