"""The partnership page (`/partnerschap?p=ID&key=SECRET`): its workshops over time, its agreements
across all workshops, a new workshop in it, joining an existing workshop, and its backup.

Without a link the page creates a new partnership (or restores one from a backup). The
partnership's secret is never drawn as text: it lives in the address bar, in the links this page
makes for its own holder, and (so that `/nieuw` can offer "a partnership you opened") in this
browser session's memory.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import streamlit as st

from messages import dutch_date, t
from ui import downloads
from ui.common import client_keys, esc, flash, guarded, html_block, link, show_flash, store
from workshop import NotAllowed, StoreUnavailable, UserError
from workshop.store import ACTION_STATUSES, Partnership, PartnershipAccess
from workshop.text import Limits

SCOPE = "ps"
#: session_state: {partnership id: secret} of the partnerships this browser session opened with their link.
OPENED = "_partnerships"


# ------------------------------------------------------------------ links
def partnership_link(partnership_id: int, secret: str) -> str:
    return link("partnerschap", p=str(partnership_id), key=secret)


def cockpit_link(code: str, partnership_id: int, secret: str) -> str:
    """The facilitator page of one of the partnership's workshops, opened with the partnership's link."""
    return link("begeleider", room=code, partnerschap=str(partnership_id), pkey=secret)


def link_params(url: str | None) -> dict[str, str]:
    """The query parameters of a pasted link (first value of each)."""
    try:
        query = urlsplit((url or "").strip()).query
    except ValueError:
        return {}
    return {k: v[0].strip() for k, v in parse_qs(query).items() if v}


def open_pasted(url: str | None) -> PartnershipAccess:
    """A pasted partnership link as a capability; a Dutch error when it is not one."""
    params = link_params(url)
    if not params.get("p") or not params.get("key"):
        raise UserError("partnership.x_link")
    access = store().open_partnership(params["p"], params["key"])
    remember(access.partnership_id, params["key"])
    return access


def remember(partnership_id: int, secret: str) -> None:
    st.session_state.setdefault(OPENED, {})[partnership_id] = secret


def opened() -> list[tuple[Partnership, PartnershipAccess]]:
    """The partnerships this browser session opened with their link (still valid)."""
    out = []
    for pid, secret in list(st.session_state.get(OPENED, {}).items()):
        try:
            access = store().open_partnership(pid, secret)
        except NotAllowed:
            st.session_state[OPENED].pop(pid, None)
            continue
        out.append((store().partnership(pid), access))
    return out


def show_link_once(partnership_id: int, secret: str, name: str) -> None:
    """The new partnership's private link, with the Dutch 'keep this link' message."""
    st.success(t("partnership.created", name=name))
    url = partnership_link(partnership_id, secret)
    st.warning(t("partnership.keep_link"))
    st.code(url, language=None)
    st.link_button(t("partnership.open"), url)


# ------------------------------------------------------------------- page
def run(partnership_id: str | None, secret: str | None) -> None:
    try:
        if not partnership_id and not secret:
            _create_page()
            return
        _run(partnership_id, secret)
    except StoreUnavailable:
        st.warning(t("error.db_unavailable"))


def _run(partnership_id: str | None, secret: str | None) -> None:
    try:
        access = store().open_partnership(partnership_id, secret)
    except NotAllowed:
        st.error(t("partnership.no_access"))
        return
    remember(access.partnership_id, secret)
    partnership = store().partnership(access.partnership_id)
    html_block(f'<h1 class="ss-user">{esc(t("partnership.title", name=partnership.name))}</h1>')
    apply_agreement_edits(access)
    show_flash(SCOPE)
    workshops = store().partnership_workshops(access)
    workshops_panel(access, secret, workshops)
    actions = store().partnership_actions(access)
    agreements_panel(access, actions)
    reports_slot(access, workshops)
    new_workshop_panel(access, actions)
    from ui import library  # it imports this module

    library.partnership_templates(access)
    attach_panel(access)
    backup_panel(access)


def _snapshots(workshops: list[dict]) -> list[dict]:
    from exports.snapshot import snapshot

    return [snapshot(store(), row["id"]) for row in workshops]


def reports_slot(access: PartnershipAccess, workshops: list[dict]) -> None:
    """The partnership over time: the praatplaat per aspect across its workshops (a chart per aspect, the
    change since last time called out), what became of the agreements, and the voortgangsverslag PDF."""
    from exports import progress as P
    from ui import charts

    st.subheader(t("partnership.reports"))
    if not workshops:
        st.caption(t("progress.follow.none"))
        return
    snaps = _snapshots(workshops)
    trend = P.praat_trend(snaps)
    if len(workshops) < 2:
        st.caption(t("progress.one_workshop"))
    changes = trend.changes()
    if changes:
        html_block('<ul class="ss-user">' + "".join(f"<li>{esc(c.text_with_delta)}</li>" for c in changes) + "</ul>")
    if trend.aspects:
        titles = {a.key: a.title for a in trend.aspects}
        key = st.selectbox(t("partnership.trend_aspect"), list(titles), format_func=titles.__getitem__,
                           key=f"{SCOPE}-trend-{access.partnership_id}")
        aspect = trend.aspect(key)
        alt = "; ".join(f"{w.label}: {charts.nl_number(v)}" for w, v in zip(trend.workshops, aspect.overall))
        st.plotly_chart(charts.praatplaat_trend_chart(aspect, trend.workshops, height=460), theme=None,
                        config={"displayModeBar": False, "staticPlot": True}, alt=alt[:1000])
    else:
        st.caption(t("progress.trend.none"))

    today = date.today()
    result = P.follow_through(snaps, today)
    html_block(f'<p>{esc(P.follow_text(result) if result.total.made else t("progress.follow.none"))}</p>')

    slot = f"{SCOPE}-progress-pdf-{access.partnership_id}"
    if st.button(t("partnership.progress_pdf"), key=f"make-{slot}"):
        bar = st.progress(0.0, text=t("dl.progress.building"))

        def progress(fraction: float, label: str = "") -> None:
            bar.progress(min(1.0, max(0.0, float(fraction))), text=label or t("dl.progress.building"))

        st.session_state[slot] = P.build_progress_pdf(snaps, today, partnership=store().partnership(
            access.partnership_id).name, progress=progress)
        bar.progress(1.0, text=t("dl.progress.done"))
    if st.session_state.get(slot):
        st.download_button(t("dl.save", name=f"voortgangsverslag-{today}.pdf"), st.session_state[slot],
                           file_name=f"voortgangsverslag-{today}.pdf", mime="application/pdf", type="primary",
                           key=f"save-{slot}", on_click="ignore")


def workshops_panel(access: PartnershipAccess, secret: str, workshops: list[dict]) -> None:
    st.subheader(t("partnership.workshops"))
    if not workshops:
        st.caption(t("partnership.workshops_none"))
        return
    rows = []
    for w in workshops:
        cockpit = cockpit_link(w["code"], access.partnership_id, secret)
        screen = link("scherm", room=w["code"])
        rows.append(
            f'<li><span class="ss-user">{esc(t("partnership.workshop_row", date=dutch_date(w["date"]), title=w["title"], code=w["code"]))}</span>'
            f' · <a href="{esc(cockpit)}" target="_self">{esc(t("partnership.open_cockpit", title=w["title"]))}</a>'
            f' · <a href="{esc(screen)}" target="_blank">{esc(t("partnership.open_screen", title=w["title"]))}</a></li>')
    html_block(f'<ol class="ss-ps-workshops">{"".join(rows)}</ol>')


def _overdue(action: dict, today: date) -> bool:
    return action["status"] != "klaar" and action["due"] is not None and action["due"] < today


def _per(actions: list[dict], column: str, today: date, label: str) -> pd.DataFrame:
    groups: dict[str, list[dict]] = {}
    for a in actions:
        groups.setdefault(a[column] or t("partnership.nobody"), []).append(a)
    return pd.DataFrame({
        label: list(groups),
        t("partnership.count_open"): [sum(a["status"] != "klaar" for a in g) for g in groups.values()],
        t("partnership.count_done"): [sum(a["status"] == "klaar" for a in g) for g in groups.values()],
        t("partnership.count_overdue"): [sum(_overdue(a, today) for a in g) for g in groups.values()],
        t("partnership.col.total"): [len(g) for g in groups.values()],
    })


AGREEMENTS = "ps-agreements"


def agreements_panel(access: PartnershipAccess, actions: list[dict], today: date | None = None) -> None:
    """The agreements of all workshops: counts, one table (status and review note editable with the
    partnership's link, as in the follow-up plaat's review), and totals per owner and per partner."""
    from layouts.actions.views import _digest, _remember_rows, action_columns, status_label

    today = today or date.today()
    st.subheader(t("partnership.agreements"))
    if not actions:
        st.caption(t("partnership.agreements_none"))
        return
    cols = st.columns(4)
    cols[0].metric(t("partnership.count_open"), sum(a["status"] == "open" for a in actions))
    cols[1].metric(t("partnership.count_busy"), sum(a["status"] == "bezig" for a in actions))
    cols[2].metric(t("partnership.count_done"), sum(a["status"] == "klaar" for a in actions))
    cols[3].metric(t("partnership.count_overdue"), sum(_overdue(a, today) for a in actions))
    ids = [a["id"] for a in actions]
    frame = pd.DataFrame({
        **action_columns(actions),
        "overdue": [_overdue(a, today) for a in actions],
        "workshop": [f'{a["workshop_title"]} ({dutch_date(a["workshop_date"])})' for a in actions],
        "status": [a["status"] for a in actions],
        "review_note": [a["review_note"] for a in actions],
    }, index=pd.Index(ids, name="id"))
    cc = st.column_config
    # The table's identity follows its rows, so an edit can never land on another agreement.
    key = st.session_state[f"{AGREEMENTS}:{access.partnership_id}"] = f"{AGREEMENTS}-{_digest(ids)}"
    _remember_rows(key, ids)
    st.data_editor(
        frame, key=key, hide_index=True, num_rows="fixed", width="stretch", placeholder="–",
        column_order=list(frame.columns),
        column_config={
            "what": cc.TextColumn(t("followup.col.what"), disabled=True, width="large"),
            "owner": cc.TextColumn(t("followup.col.owner"), disabled=True),
            "partner": cc.TextColumn(t("followup.col.partner"), disabled=True),
            "due": cc.DateColumn(t("followup.col.due"), format="DD-MM-YYYY", disabled=True),
            "overdue": cc.CheckboxColumn(t("partnership.col.overdue"), disabled=True),
            "workshop": cc.TextColumn(t("partnership.col.workshop"), disabled=True),
            "status": cc.SelectboxColumn(t("followup.col.status"), options=list(ACTION_STATUSES), required=True,
                                         format_func=status_label),
            "review_note": cc.TextColumn(t("followup.col.review_note"), max_chars=Limits.REVIEW_NOTE),
        },
    )
    cols = st.columns(2)
    with cols[0]:
        st.markdown(f"**{t('partnership.by_owner')}**")
        st.dataframe(_per(actions, "owner", today, t("partnership.col.who")), hide_index=True, width="stretch")
    with cols[1]:
        st.markdown(f"**{t('partnership.by_partner')}**")
        st.dataframe(_per(actions, "partner", today, t("partnership.col.partner")), hide_index=True,
                     width="stretch")


def apply_agreement_edits(access: PartnershipAccess) -> None:
    """Write status and review notes edited in the agreements table since it was last drawn."""
    from layouts.actions.views import REVIEW_EDITABLE, apply_table_edits

    key = st.session_state.get(f"{AGREEMENTS}:{access.partnership_id}")
    if key:
        apply_table_edits(key, REVIEW_EDITABLE,
                          lambda action_id, values: store().update_action(access, action_id, **values), SCOPE)


# ------------------------------------------------------- new workshop in it
def _create_workshop(access: PartnershipAccess) -> None:
    from ui import library, library_state

    s = st.session_state
    result = []
    ok = guarded(f"{SCOPE}-new", lambda: result.append(store().create_workshop(
        title=s.get("ps-new-title", ""), partnership="", day=s.get("ps-new-date") or date.today(),
        facilitator=s.get("ps-new-facilitator", ""), **library.create_args(library_state.programme()),
        anonymous=bool(s.get("ps-new-anonymous")), admin_password=s.get("ps-new-admin") or "",
        member_of=access, client=client_keys())))
    if ok:
        ws, secret = result[0]
        s["ps-created"] = (ws.code, secret, ws.title)


def new_workshop_panel(access: PartnershipAccess, actions: list[dict]) -> None:
    from ui.library import programme_builder
    from ui.new_workshop import detail_fields, show_created

    created = st.session_state.get("ps-created")
    with st.expander(t("partnership.new_workshop"), expanded=created is not None):
        if created is not None:
            show_created(*created, again_key="ps-created")
            return
        st.caption(t("partnership.new_workshop_intro"))
        still_open = sum(a["status"] != "klaar" for a in actions)
        st.caption(t("partnership.new_workshop_open_none") if not still_open
                   else t("partnership.new_workshop_open", count=still_open))
        programme_builder("ps-new")
        with st.form("ps-new-form"):
            st.text_input(t("new.ws_title"), key="ps-new-title", max_chars=120)
            detail_fields("ps-new")
            st.form_submit_button(t("new.submit"), type="primary", on_click=_create_workshop, args=(access,))
        show_flash(f"{SCOPE}-new")


# ------------------------------------------------------------------ attach
def _attach(access: PartnershipAccess) -> None:
    params = link_params(st.session_state.get("ps-attach-link"))

    def run() -> None:
        if not params.get("room") or not params.get("key"):
            raise UserError("partnership.x_fac_link")
        fac = store().authorize(params["room"], params["key"])
        ws = store().attach_workshop(fac, access)
        flash(SCOPE, t("partnership.attached", title=ws.title), "success")

    if guarded(f"{SCOPE}-attach", run):
        st.session_state["ps-attach-link"] = ""


def attach_panel(access: PartnershipAccess) -> None:
    with st.expander(t("partnership.attach_title")):
        st.caption(t("partnership.attach_intro"))
        st.text_input(t("partnership.attach_link"), key="ps-attach-link", type="password")
        st.button(t("partnership.attach_go"), key="ps-attach-go", on_click=_attach, args=(access,))
        show_flash(f"{SCOPE}-attach")


# ------------------------------------------------------------------ backup
def backup_panel(access: PartnershipAccess) -> None:
    from ui.downloads import MIME

    with st.expander(t("partnership.backup_title")):
        st.caption(t("partnership.backup_intro"))
        slot = f"ps-backup-{access.partnership_id}"
        if st.button(t("partnership.backup_make"), key=f"make-{slot}"):
            from exports import partnership as backup

            with st.spinner(t("dl.progress.building")):
                st.session_state[slot] = backup.to_json(backup.snapshot(store(), access))
        data = st.session_state.get(slot)
        if data is not None:
            name = f"samenspraak-partnerschap-{access.partnership_id}-{date.today()}.json"
            st.download_button(t("dl.save", name=name), data, file_name=name, mime=MIME["json"],
                               key=f"save-{slot}", type="primary", on_click="ignore")


# ------------------------------------------------------ without a link: create
def _create_partnership() -> None:
    s = st.session_state
    result = []
    if guarded(f"{SCOPE}-create", lambda: result.append(store().create_partnership(
            s.get("ps-name", ""), admin_password=s.get("ps-admin") or "", client=client_keys()))):
        partnership, secret = result[0]
        remember(partnership.id, secret)
        s["ps-made"] = (partnership.id, secret, partnership.name)


def _restore_partnership() -> None:
    from exports.partnership import restore

    def apply(raw: bytes) -> None:
        partnership, secret = restore(store(), raw)
        remember(partnership.id, secret)
        st.session_state["ps-made"] = (partnership.id, secret, partnership.name)
    downloads.run_restore("ps-restore", f"{SCOPE}-restore", apply)


def _create_page() -> None:
    made = st.session_state.get("ps-made")
    if made is not None:
        show_link_once(*made)
        if st.button(t("new.another"), key="ps-again"):
            st.session_state.pop("ps-made", None)
            st.rerun()
        return
    st.title(t("partnership.new_title"))
    st.caption(t("partnership.new_intro"))
    with st.form("ps-create-form"):
        st.text_input(t("partnership.name"), key="ps-name", max_chars=120)
        if store().needs_admin_password():
            st.text_input(t("new.admin_password"), type="password", key="ps-admin")
        st.form_submit_button(t("partnership.create"), type="primary", on_click=_create_partnership)
    show_flash(f"{SCOPE}-create")
    with st.expander(t("partnership.restore_title")):
        st.caption(t("partnership.restore_intro"))
        downloads.restore_fields("ps-restore", _restore_partnership)
    show_flash(f"{SCOPE}-restore")
