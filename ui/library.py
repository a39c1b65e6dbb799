"""The template library and the programme of a new workshop (issue 18).

* :func:`programme_builder`: the ordered programme of werkvormen with minutes per step (reorder,
  remove, change minutes, add), kept in ``ui.library_state`` so the editor can add to it.
* :func:`programme_files`: save the programme as a template for an owner this session opened, load
  one, download it as YAML, import a werkvorm or programme file (:func:`import_file`).
* :func:`library_panel`: the shipped werkvormen, grouped, and the own templates of every owner this
  session opened with its link (a pasted facilitator or partnership link opens one), each with a
  preview of what phones and the screen will show.
* :func:`cockpit_entry` and :func:`partnership_templates`: the same library from the cockpit and the
  partnership page.

Only a link opened in this browser session reaches an owner's templates; a typed name never does.
"""

from __future__ import annotations

import streamlit as st

import canvas_models
from canvas_models import Werkvorm
from canvas_models import spec as spec_of
from messages import dutch_date, t
from ui import library_state as lib
from ui import live_preview
from ui import partnership as ps
from ui.common import esc, flash, guarded, html_block, md, show_flash, store
from workshop import NotAllowed, UserError
from workshop.store import Facilitator

#: The werkvorm editor's page (``/werkvorm``).
EDITOR_PAGE = "pages/werkvorm.py"
YAML_MIME = "application/yaml"
#: How many sections a preview shows before "and N more".
PREVIEW_SECTIONS = 8


def editor_link(label: str, **params: str) -> None:
    """A link to the werkvorm editor (``/werkvorm``)."""
    st.page_link(EDITOR_PAGE, label=label, query_params=params)


# ------------------------------------------------------------------ the programme being built
def _changed(prefix: str) -> None:
    """After a step moved, went or came: the minute fields take their values afresh."""
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(f"{prefix}-min-")]:
        del st.session_state[key]


def _move(prefix: str, index: int, by: int) -> None:
    items = lib.programme()
    other = index + by
    if 0 <= index < len(items) and 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
        lib.set_programme(items)
    _changed(prefix)


def _remove(prefix: str, index: int) -> None:
    items = lib.programme()
    if 0 <= index < len(items):
        del items[index]
        lib.set_programme(items)
    _changed(prefix)


def _set_minutes(prefix: str, index: int) -> None:
    items = lib.programme()
    value = st.session_state.get(f"{prefix}-min-{index}")
    if 0 <= index < len(items) and isinstance(value, int) and 1 <= value <= spec_of.MAX_MINUTES:
        items[index] = (items[index][0], value)
        lib.set_programme(items)


def _replace(prefix: str, items: list[tuple[Werkvorm, int]]) -> None:
    lib.set_programme(items)
    _changed(prefix)


def _append(prefix: str, werkvorm: Werkvorm, minutes: int | None = None) -> None:
    """Add a werkvorm at the end (a Dutch refusal when the programme is full)."""
    if len(lib.programme()) >= spec_of.PROGRAMME_STEPS:
        raise UserError("lib.too_many", limit=spec_of.PROGRAMME_STEPS)
    lib.add_to_programme(werkvorm, minutes)
    _changed(prefix)


def _own_werkvormen() -> dict[str, tuple[Werkvorm, str]]:
    """The werkvorm templates of every owner this session opened: choice key -> (werkvorm, owner label)."""
    out = {}
    for owner in lib.owners():
        for template in store().templates(owner.owner, "werkvorm"):
            out[f"t:{owner.key}:{template.id}"] = (template.werkvorm, owner.label)
    return out


def _add_chosen(prefix: str) -> None:
    choice = st.session_state.get(f"{prefix}-add")

    def run() -> None:
        if choice in canvas_models.REGISTRY:
            werkvorm = canvas_models.REGISTRY[choice]
        else:
            found = _own_werkvormen().get(choice)
            if found is None:
                raise UserError("template.not_yours")
            werkvorm = found[0]
        _append(prefix, werkvorm)
        flash(f"{prefix}-prog", t("lib.added", title=werkvorm.title), "success")

    guarded(f"{prefix}-prog", run)


def _step_label(n: int, werkvorm: Werkvorm) -> str:
    key = "lib.step" if spec_of.is_shipped(werkvorm) else "lib.step_own"
    return t(key, n=n, title=werkvorm.title)


def programme_builder(prefix: str) -> list[tuple[Werkvorm, int]]:
    """The programme with its controls (outside any form); returns it as it stands."""
    items = lib.programme()
    st.subheader(t("lib.programme"))
    st.caption(t("lib.programme_intro"))
    if not items:
        st.info(t("lib.programme_empty"))
    for i, (werkvorm, minutes) in enumerate(items):
        with st.container(key=f"{prefix}-step-{i}", horizontal=True, vertical_alignment="center", wrap=False):
            html_block(f'<p class="ss-user ss-step-title" style="margin:0">{esc(_step_label(i + 1, werkvorm))}</p>')
            st.number_input(t("lib.minutes", n=i + 1), min_value=1, max_value=spec_of.MAX_MINUTES, step=5,
                            value=minutes, key=f"{prefix}-min-{i}", on_change=_set_minutes, args=(prefix, i),
                            label_visibility="collapsed", width=115)
            st.button(t("lib.up_short"), icon=":material/arrow_upward:", key=f"{prefix}-up-{i}", type="tertiary", help=t("lib.up", n=i + 1),
                      disabled=i == 0, on_click=_move, args=(prefix, i, -1))
            st.button(t("lib.down_short"), icon=":material/arrow_downward:", key=f"{prefix}-down-{i}", type="tertiary", help=t("lib.down", n=i + 1),
                      disabled=i == len(items) - 1, on_click=_move, args=(prefix, i, 1))
            st.button(t("lib.remove_short"), icon=":material/close:", key=f"{prefix}-remove-{i}", type="tertiary", help=t("lib.remove", n=i + 1),
                      on_click=_remove, args=(prefix, i))
    total = sum(m for _, m in items)
    st.caption(t("lib.total", minutes=total, n=len(items)))
    choices = {key: wv.title for key, wv in canvas_models.REGISTRY.items()}
    choices.update({key: t("lib.own_label", title=wv.title, owner=owner)
                    for key, (wv, owner) in _own_werkvormen().items()})
    if st.session_state.get(f"{prefix}-add") not in choices:
        st.session_state.pop(f"{prefix}-add", None)
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.selectbox(t("lib.add"), list(choices), format_func=lambda k: choices[k], key=f"{prefix}-add")
        st.button(t("lib.add_go"), key=f"{prefix}-add-go", on_click=_add_chosen, args=(prefix,))
    with st.container(horizontal=True):
        st.button(t("lib.clear"), key=f"{prefix}-clear", on_click=_replace, args=(prefix, []),
                  type="tertiary", disabled=not items)
        registry = canvas_models.REGISTRY
        default = [(registry[k], registry[k].default_minutes) for k in canvas_models.DEFAULT_SELECTION if k in registry]
        st.button(t("lib.reset"), key=f"{prefix}-reset", on_click=_replace, args=(prefix, default), type="tertiary")
    show_flash(f"{prefix}-prog")
    return items


def create_args(items: list[tuple[Werkvorm, int]]) -> dict:
    """``werkvormen`` and ``minutes`` for ``store().create_workshop`` (a shipped werkvorm by key)."""
    return {"werkvormen": [wv.key if spec_of.is_shipped(wv) else wv for wv, _ in items],
            "minutes": [m for _, m in items]}


# ------------------------------------------------------------------ files
def programme_yaml(title: str, items: list[tuple[Werkvorm, int]]) -> str:
    """The programme as a YAML file (the shipped werkvormen by key, own ones whole)."""
    return spec_of.to_yaml(spec_of.Programme(title or t("lib.export_name"), tuple(items)))


def import_file(service, data: bytes | str, owner=None) -> tuple[Werkvorm | spec_of.Programme, object]:
    """A werkvorm or programme file from outside: checked (a Dutch :class:`UserError` names what is
    wrong) and, with an ``owner``, stored as that owner's template. Returns (item, template or None).
    A refused file writes nothing."""
    return _keep(service, read_file(data), owner)


def read_file(data: bytes | str) -> Werkvorm | spec_of.Programme:
    """A werkvorm or programme file, checked; a Dutch :class:`UserError` names what is wrong."""
    try:
        return spec_of.from_yaml(data)
    except spec_of.SpecError as err:
        raise UserError("lib.import_refused", reason=str(err)) from None


def _keep(service, item: Werkvorm | spec_of.Programme, owner) -> tuple[Werkvorm | spec_of.Programme, object]:
    """With an ``owner``, store a checked item as that owner's template; returns (item, template or None)."""
    saved = None
    if owner is not None:
        if isinstance(item, spec_of.Programme):
            saved = service.save_programme(owner, item)
        else:
            saved = service.save_werkvorm(owner, item)
    return item, saved


def _owner_choice(key: str):
    return next((o for o in lib.owners() if o.key == key), None)


def _save_programme(prefix: str) -> None:
    s = st.session_state
    owner = _owner_choice(s.get(f"{prefix}-save-owner"))

    def run() -> None:
        if owner is None:
            raise UserError("lib.no_owner")
        title = (s.get(f"{prefix}-save-title") or "").strip()
        try:
            programme = spec_of.parse_programme(spec_of.dump_programme(spec_of.Programme(title, tuple(lib.programme()))))
        except spec_of.SpecError as err:
            raise UserError("lib.import_refused", reason=str(err)) from None
        saved = store().save_programme(owner.owner, programme)
        flash(f"{prefix}-files", t("lib.saved", title=saved.title, owner=owner.label), "success")

    guarded(f"{prefix}-files", run)


def _load_programme(prefix: str, owner_key: str, template_id: int) -> None:
    def run() -> None:
        owner = _owner_choice(owner_key)
        if owner is None:
            raise UserError("template.not_yours")
        programme = store().template(owner.owner, template_id).programme
        _replace(prefix, list(programme.steps))
        flash(f"{prefix}-prog", t("lib.loaded", title=programme.title, n=len(programme.steps)), "success")

    guarded(f"{prefix}-prog", run)


def _import(prefix: str) -> None:
    s = st.session_state
    upload = s.get(f"{prefix}-import")
    owner = _owner_choice(s.get(f"{prefix}-import-owner"))

    def run() -> None:
        if upload is None:
            raise UserError("lib.import_none")
        item = read_file(upload.getvalue())
        if isinstance(item, Werkvorm) and len(lib.programme()) >= spec_of.PROGRAMME_STEPS:
            raise UserError("lib.too_many", limit=spec_of.PROGRAMME_STEPS)  # before anything is stored
        _keep(store(), item, owner.owner if owner else None)
        if isinstance(item, spec_of.Programme):
            _replace(prefix, list(item.steps))
            message = t("lib.loaded", title=item.title, n=len(item.steps))
        else:
            _append(prefix, item)
            message = t("lib.import_werkvorm", title=item.title)
        if owner is not None:
            message += " " + t("lib.saved_werkvorm" if isinstance(item, Werkvorm) else "lib.saved",
                               title=item.title, owner=owner.label)
        flash(f"{prefix}-files", message, "success")

    guarded(f"{prefix}-files", run)


def programme_files(prefix: str, items: list[tuple[Werkvorm, int]]) -> None:
    """Save the programme as a template, download it, import a file (in an expander)."""
    owners = lib.owners()
    labels = {o.key: o.label for o in owners}
    # tracked (a key, a rerun on change): it stays open when the programme above it grows or shrinks
    with st.expander(t("lib.files"), key=f"{prefix}-files-box", on_change="rerun"):
        if owners:
            st.text_input(t("lib.save_title"), key=f"{prefix}-save-title", max_chars=120,
                          help=t("lib.save_title_help"))
            if st.session_state.get(f"{prefix}-save-owner") not in labels:
                st.session_state.pop(f"{prefix}-save-owner", None)
            st.selectbox(t("lib.save_owner"), list(labels), format_func=lambda k: labels[k],
                         key=f"{prefix}-save-owner")
            st.button(t("lib.save_go"), key=f"{prefix}-save-go", on_click=_save_programme, args=(prefix,),
                      disabled=not items)
        else:
            st.caption(t("lib.no_owner"))
        if items:
            title = (st.session_state.get(f"{prefix}-save-title") or "").strip()
            st.download_button(t("lib.export"), programme_yaml(title, items), file_name="programma.yaml",
                               mime=YAML_MIME, key=f"{prefix}-export", on_click="ignore")
        st.divider()
        targets = {"": t("lib.import_owner_none"), **labels}
        if st.session_state.get(f"{prefix}-import-owner") not in targets:
            st.session_state.pop(f"{prefix}-import-owner", None)
        # one form: its button waits for the upload to finish (see downloads.restore_fields)
        with st.form(f"{prefix}-import-form", border=False):
            st.file_uploader(t("lib.import"), type=["yaml", "yml"], key=f"{prefix}-import",
                             help=t("lib.import_help"), max_upload_size=1)
            st.selectbox(t("lib.import_owner"), list(targets), format_func=lambda k: targets[k],
                         key=f"{prefix}-import-owner")
            st.form_submit_button(t("lib.import_go"), key=f"{prefix}-import-go", on_click=_import, args=(prefix,))
        show_flash(f"{prefix}-files")


# ------------------------------------------------------------------ preview
def preview_html(werkvorm: Werkvorm) -> str:
    """What phones ask (sections, questions, prompts, options, the fields) and what the screen shows."""
    phone = []
    for section in werkvorm.sections[:PREVIEW_SECTIONS]:
        parts = [f"<strong>{esc(section.title)}</strong>"]
        if section.question:
            parts.append(f"<br>{esc(section.question)}")
        if section.prompts:
            parts.append(f"<br><small>{esc(t('lib.preview_prompts', prompts=' · '.join(section.prompts)))}</small>")
        if section.options:
            parts.append(f"<br><small>{esc(t('lib.preview_options', options=' · '.join(o.label for o in section.options)))}</small>")
        phone.append(f"<li>{''.join(parts)}</li>")
    more = len(werkvorm.sections) - PREVIEW_SECTIONS
    if more > 0:
        phone.append(f"<li>{esc(t('lib.preview_more', n=more))}</li>")
    fields = []
    for field in werkvorm.fields:
        limit = t("lib.preview_limit", n=field.max_length) if field.kind in ("note", "tagged_note", "text") else ""
        fields.append("<li>" + esc(t("lib.preview_field", label=field.label, kind=t(f"editor.kind.{field.kind}"),
                                       limit=limit, required=t("lib.preview_required") if field.required else ""))
                      + "</li>")
    screen = [t(f"lib.screen.{werkvorm.layout}")]
    for flag in ("sequential", "hidden_until_reveal", "confidential"):
        if getattr(werkvorm, flag):
            screen.append(t({"sequential": "lib.preview_sequential", "hidden_until_reveal": "lib.preview_hidden",
                             "confidential": "lib.preview_confidential"}[flag]))
    screen.append(t("lib.preview_sections", n=len(werkvorm.sections)))
    return (
        '<div class="ss-user" style="display:flex;gap:1.5rem;flex-wrap:wrap">'
        f'<div style="flex:1 1 16rem"><h4>{esc(t("lib.preview_phone"))}</h4><ol>{"".join(phone)}</ol>'
        f'<ul>{"".join(fields)}</ul></div>'
        f'<div style="flex:1 1 12rem"><h4>{esc(t("lib.preview_screen"))}</h4>'
        + "".join(f"<p>{esc(line)}</p>" for line in screen if line) + "</div></div>")


def layout_name(werkvorm: Werkvorm) -> str:
    """The layout in words ("muur met briefjes"); every layout has its message."""
    return t(f"lib.layout.{werkvorm.layout}")


# ------------------------------------------------------------------ the library
def groups() -> list[tuple[str, list[Werkvorm]]]:
    """The shipped werkvormen in groups: the core five, intervisie, regioplan, the rest of the toolkit."""
    registry = canvas_models.REGISTRY
    core = [registry[k] for k in canvas_models.DEFAULT_SELECTION if k in registry]
    inter = [wv for wv in registry.values() if wv.key.startswith("intervisie")]
    regio = [wv for wv in registry.values() if wv.key.startswith("regio_")]
    taken = {wv.key for wv in core + inter + regio}
    rest = [wv for wv in registry.values() if wv.key not in taken]
    return [(t("lib.group.core"), core), (t("lib.group.intervisie"), inter), (t("lib.group.regioplan"), regio),
            (t("lib.group.toolkit"), rest)]


def _add_one(prefix: str, werkvorm_dump: dict) -> None:
    def run() -> None:
        werkvorm = spec_of.stored(werkvorm_dump["key"], werkvorm_dump)
        _append(prefix, werkvorm)
        flash(f"{prefix}-prog", t("lib.added", title=werkvorm.title), "success")

    guarded(f"{prefix}-prog", run)


LIVE = "lib-live"  # the library entry whose live preview is open


def _show_live(slot: str | None) -> None:
    if slot is None:
        live_preview.close()
    st.session_state[LIVE] = slot


def live_entry(slot: str, werkvorm: Werkvorm) -> None:
    """The real phone page and screen of ``werkvorm`` (a practice workshop), on request: one entry at a time."""
    if st.session_state.get(LIVE) != slot:
        st.button(t("lib.live_open"), key=f"lib-live-{slot}", on_click=_show_live, args=(slot,))
        return
    if not live_preview.allowed():
        st.info(t("preview.needs_link"))
        return
    shown = live_preview.practice_workshop(werkvorm)
    if shown is None:
        st.info(t("lib.live_none"))
        return
    st.caption(t("lib.live_help"))
    live_preview.frames(shown, side_by_side=True)
    st.button(t("lib.live_close"), key=f"lib-live-close-{slot}", on_click=_show_live, args=(None,))


def _shipped_entry(prefix: str, werkvorm: Werkvorm) -> None:
    with st.expander(md(werkvorm.title)):
        st.caption(md(t("lib.meta", layout=layout_name(werkvorm), minutes=werkvorm.default_minutes,
                        owner=t("lib.shipped"))))
        html_block(f'<p class="ss-user">{esc(werkvorm.summary)}</p>')
        html_block(preview_html(werkvorm))
        live_entry(f"shipped-{werkvorm.key}", werkvorm)
        with st.container(horizontal=True):
            st.button(t("lib.add_one"), key=f"lib-add-{werkvorm.key}", on_click=_add_one,
                      args=(prefix, spec_of.dump(werkvorm)))
            editor_link(t("lib.edit_copy"), van=werkvorm.key)


def _delete(owner_key: str, template_id: int) -> None:
    def run() -> None:
        owner = _owner_choice(owner_key)
        if owner is None:
            raise UserError("template.not_yours")
        title = store().template(owner.owner, template_id).title
        store().delete_template(owner.owner, template_id)
        flash("lib", t("lib.deleted", title=title), "success")

    guarded("lib", run)
    st.session_state.pop(f"lib-del-{owner_key}-{template_id}", None)


def _ask_delete(owner_key: str, template_id: int, asking: bool) -> None:
    st.session_state[f"lib-del-{owner_key}-{template_id}"] = asking


def template_actions(owner, template, *, prefix: str | None = None) -> None:
    """Edit, export and delete (with confirmation) one own template; with ``prefix``, also add it to
    (a werkvorm) or load it into (a programme) the programme builder."""
    item = template.werkvorm if template.kind == "werkvorm" else template.programme
    slot = f"{owner.key}-{template.id}"
    if st.session_state.get(f"lib-del-{slot}"):
        st.warning(md(t("lib.delete_confirm", title=template.title)))
        with st.container(horizontal=True):
            st.button(t("lib.delete_yes"), key=f"lib-del-yes-{slot}", type="primary", on_click=_delete,
                      args=(owner.key, template.id))
            st.button(t("lib.delete_no"), key=f"lib-del-no-{slot}", on_click=_ask_delete,
                      args=(owner.key, template.id, False))
        return
    with st.container(horizontal=True):
        if prefix is not None and template.kind == "werkvorm":
            st.button(t("lib.add_one"), key=f"lib-add-{slot}", on_click=_add_one, args=(prefix, template.body))
        if prefix is not None and template.kind == "programme":
            st.button(t("lib.load_go"), key=f"lib-load-{slot}", on_click=_load_programme,
                      args=(prefix, owner.key, template.id))
        if template.kind == "werkvorm":
            editor_link(t("lib.edit"), sjabloon=str(template.id))
        st.download_button(t("lib.export_one"), spec_of.to_yaml(item), file_name=f"{template.key}.yaml",
                           mime=YAML_MIME, key=f"lib-export-{slot}", on_click="ignore")
        st.button(t("lib.delete"), key=f"lib-del-ask-{slot}", on_click=_ask_delete, args=(owner.key, template.id, True))


def _own_entry(prefix: str, owner, template) -> None:
    with st.expander(md(template.title)):
        if template.kind == "werkvorm":
            werkvorm = template.werkvorm
            st.caption(md(t("lib.meta", layout=layout_name(werkvorm), minutes=werkvorm.default_minutes,
                            owner=owner.label)))
            st.caption(t("lib.version", version=template.version, updated=dutch_date(template.updated_at)))
            html_block(f'<p class="ss-user">{esc(werkvorm.summary)}</p>')
            html_block(preview_html(werkvorm))
            live_entry(f"own-{owner.key}-{template.id}", werkvorm)
        else:
            programme = template.programme
            st.caption(t("lib.meta_programme", n=len(programme.steps), minutes=programme.minutes,
                         version=template.version))
            html_block('<ol class="ss-user">' + "".join(
                f"<li>{esc(t('lib.programme_step', title=wv.title, minutes=m))}</li>" for wv, m in programme.steps)
                + "</ol>")
        template_actions(owner, template, prefix=prefix)


def _open_link() -> None:
    url = st.session_state.get("lib-link") or ""
    params = ps.link_params(url)

    def run() -> None:
        try:
            choice = lib.open_link(params)
        except NotAllowed:  # a wrong link (another Dutch message, slow down or the database away, stays)
            raise UserError("lib.bad_link") from None
        if choice is None:
            raise UserError("lib.bad_link")
        flash("lib", t("lib.opened", owner=choice.label), "success")
        st.session_state["lib-tabs"] = t("lib.own")  # show what the link opened

    if guarded("lib", run):
        st.session_state["lib-link"] = ""


def library_panel(prefix: str) -> None:
    """The library: shipped werkvormen by group, own templates per opened owner, the link field."""
    st.subheader(t("lib.library"))
    st.caption(t("lib.library_intro"))
    show_flash("lib")
    grouped = groups()
    # tracked (a key, a rerun on change), so a redraw keeps the tab a person chose
    tabs = st.tabs([name for name, _ in grouped] + [t("lib.own")], key="lib-tabs", on_change="rerun")
    for tab, (_, werkvormen) in zip(tabs, grouped):
        with tab:
            for werkvorm in werkvormen:
                _shipped_entry(prefix, werkvorm)
    with tabs[-1]:
        owners = lib.owners()
        if not owners:
            st.caption(t("lib.no_owners"))
        for owner in owners:
            html_block(f'<h4 class="ss-user">{esc(t("lib.own_of", owner=owner.label))}</h4>')
            templates = store().templates(owner.owner)
            if not templates:
                st.caption(md(t("lib.own_none", owner=owner.label)))
            for template in templates:
                _own_entry(prefix, owner, template)
        with st.container(horizontal=True, vertical_alignment="bottom"):
            st.text_input(t("lib.open_link"), key="lib-link", type="password", help=t("lib.open_link_help"))
            st.button(t("lib.open_go"), key="lib-open", on_click=_open_link)
        layouts = list(canvas_models.LAYOUTS)
        with st.container(horizontal=True, vertical_alignment="bottom"):
            st.selectbox(t("lib.new_layout"), layouts, key="lib-new-layout", format_func=lambda k: t(f"lib.layout.{k}"))
            editor_link(t("lib.new_from_layout"), vorm=st.session_state.get("lib-new-layout") or layouts[0])


# ------------------------------------------------------------------ cockpit and partnership page
def _save_workshop_programme(fac: Facilitator, owner_key: str) -> None:
    s = st.session_state

    def run() -> None:
        owner = _owner_choice(owner_key)
        if owner is None:
            raise UserError("lib.no_owner")
        steps = tuple((step.werkvorm, max(1, min(spec_of.MAX_MINUTES, round((step.timer_seconds or 0) / 60))
                                          or step.werkvorm.default_minutes))
                      for step in store().steps(fac.workshop_id))
        title = (s.get("lib-cockpit-title") or "").strip()
        try:
            programme = spec_of.parse_programme(spec_of.dump_programme(spec_of.Programme(title, steps)))
        except spec_of.SpecError as err:
            raise UserError("lib.import_refused", reason=str(err)) from None
        saved = store().save_programme(owner.owner, programme)
        flash("lib-cockpit", t("lib.saved", title=saved.title, owner=owner.label), "success")

    if guarded("lib-cockpit", run):
        s["lib-cockpit-title"] = ""


def cockpit_entry(fac: Facilitator, code: str) -> None:
    """In the cockpit (inside an existing expander): save this workshop's programme, open the library."""
    st.markdown(f"**{md(t('lib.cockpit'))}**")
    st.caption(t("lib.cockpit_intro"))
    owners = lib.owners()
    mine = next((o.key for o in owners if o.key == f"f:{code}"), owners[0].key if owners else None)
    if mine is not None:
        st.text_input(t("lib.cockpit_title"), key="lib-cockpit-title", max_chars=120, help=t("lib.save_title_help"))
        st.button(t("lib.cockpit_save"), key="lib-cockpit-save", on_click=_save_workshop_programme, args=(fac, mine))
    show_flash("lib-cockpit")
    st.page_link("pages/nieuw.py", label=t("lib.open_library"))


def partnership_templates(access) -> None:
    """The partnership page's list of its own templates, with export and delete, and the library link."""
    owner = next((o for o in lib.owners() if o.key == f"p:{access.partnership_id}"), None)
    with st.expander(t("lib.ps_templates")):
        show_flash("lib")
        templates = store().templates(access)
        if not templates:
            st.caption(t("lib.ps_templates_none"))
        for template in templates:
            kind = t("lib.kind_werkvorm" if template.kind == "werkvorm" else "lib.kind_programme")
            html_block(f'<p class="ss-user" style="margin:0.5rem 0 0">{esc(t("lib.ps_row", title=template.title, kind=kind, version=template.version, updated=dutch_date(template.updated_at)))}</p>')
            if owner is not None:
                template_actions(owner, template)
        st.page_link("pages/nieuw.py", label=t("lib.open_library"))
