"""Downloads: the follow-up PDF (built on request, with progress), the Word minutes, Excel, CSV and the
JSON backup; the one-page summary for participants; and restoring a backup as a new workshop."""

from __future__ import annotations

from datetime import date

import streamlit as st

from messages import t
from ui.common import client_keys, flash, guarded, store
from workshop import Workshop

MIME = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
    "json": "application/json",
}


#: What a format is called in the file name, for those that differ from their extension.
KIND = {"summary": ("samenvatting", "pdf"), "docx": ("notulen", "docx"), "regioplan": ("regioplan", "docx")}


def file_name(ws: Workshop, fmt: str) -> str:
    kind, ext = KIND.get(fmt, ("", fmt))
    return f"samenspraak-{ws.code}-{ws.date or date.today()}{'-' + kind if kind else ''}.{ext}"


def _previous(ws: Workshop) -> dict | None:
    """The snapshot of the partnership's workshop before this one, for "what changed since last time"."""
    from exports import snapshot as snap_mod

    previous = store().previous_workshop(ws.id)
    return snap_mod.snapshot(store(), previous) if previous is not None else None


def _build(ws: Workshop, fmt: str) -> bytes:
    from exports import snapshot as snap_mod

    if fmt == "pdf":
        from exports.pdf import build_pdf

        bar = st.progress(0.0, text=t("dl.progress.reading"))
        snap = snap_mod.snapshot(store(), ws.id)
        previous = _previous(ws)

        def progress(fraction: float, label: str = "") -> None:
            bar.progress(min(1.0, max(0.0, float(fraction))), text=label or t("dl.progress.building"))

        data = build_pdf(snap, progress=progress, previous=previous)
        bar.progress(1.0, text=t("dl.progress.done"))
        return data
    with st.spinner(t("dl.progress.building")):
        snap = snap_mod.snapshot(store(), ws.id)
        if fmt == "summary":
            from exports.pdf import build_summary_pdf
            return build_summary_pdf(snap, previous=_previous(ws))
        if fmt == "docx":
            from exports.minutes import build_docx
            return build_docx(snap, previous=_previous(ws))
        if fmt == "regioplan":
            from exports import regioplan
            return regioplan.build_docx(snap)
        if fmt == "xlsx":
            from exports.tables import to_xlsx
            return to_xlsx(snap)
        if fmt == "zip":
            from exports.tables import to_csv_zip
            return to_csv_zip(snap)
        from exports.backup import to_json
        return to_json(snap)


def export_button(ws: Workshop, fmt: str, label_key: str, *, scope: str = "dl") -> None:
    """A 'make' button that builds the file on request, then the real download button."""
    slot = f"{scope}:{fmt}:{ws.id}"
    if st.button(t(label_key), key=f"make-{slot}", width="stretch"):
        st.session_state[slot] = _build(ws, fmt)
    data = st.session_state.get(slot)
    if data is not None:
        st.download_button(t("dl.save", name=file_name(ws, fmt)), data, file_name=file_name(ws, fmt),
                           mime=MIME[KIND.get(fmt, ("", fmt))[1]], key=f"save-{slot}", type="primary",
                           on_click="ignore", width="stretch")


def facilitator_panel(ws: Workshop) -> None:
    with st.expander(t("dl.title"), expanded=False):
        st.caption(t("dl.intro"))
        files = (("pdf", "dl.pdf"), ("docx", "dl.docx"), ("xlsx", "dl.xlsx"), ("zip", "dl.csv"), ("json", "dl.json"))
        cols = st.columns(len(files))
        for col, (fmt, key) in zip(cols, files):
            with col:
                export_button(ws, fmt, key)
        from exports.regioplan import PARTS  # the regioplan skeleton, when the workshop has its parts
        if any(s.werkvorm_key in PARTS for s in store().steps(ws.id)):
            export_button(ws, "regioplan", "dl.regioplan")


def participant_download(ws: Workshop) -> None:
    """At the end, when the facilitator allows it: the one-page summary PDF on the phone (not the full
    report: that has every remark and note)."""
    if ws.participant_pdf:
        st.divider()
        export_button(ws, "summary", "dl.participant_pdf", scope="pdl")


def restore_fields(prefix: str, on_click) -> None:
    """A restore's inputs (keys ``{prefix}-file``, ``-admin``, ``-go``): the backup file, the admin password
    when one is set, and the button.

    They are one form: its button stays disabled while the file is still uploading, so a click right
    after choosing the file cannot run without it (a plain button did, and said "no file")."""
    with st.form(f"{prefix}-form", border=False):
        st.file_uploader(t("restore.file"), type=["json"], key=f"{prefix}-file")
        if store().needs_admin_password():
            st.text_input(t("new.admin_password"), type="password", key=f"{prefix}-admin")
        st.form_submit_button(t("restore.go"), key=f"{prefix}-go", on_click=on_click)


def run_restore(prefix: str, scope: str, apply) -> bool:
    """In the button's callback: the admin check (by the store, throttled per client), then ``apply(raw)``
    with the uploaded bytes; a Dutch message in ``scope`` when there is no file or it fails."""
    upload = st.session_state.get(f"{prefix}-file")
    if upload is None:
        flash(scope, t("restore.no_file"))
        return False

    def run() -> None:
        store().check_admin(st.session_state.get(f"{prefix}-admin") or "", client=client_keys())
        apply(upload.getvalue())
    return guarded(scope, run)


def _restore() -> None:
    from exports.backup import restore

    def apply(raw: bytes) -> None:
        ws, secret = restore(store(), raw)
        st.session_state["created"] = (ws.code, secret, ws.title)
    run_restore("restore", "restore", apply)


def restore_panel() -> None:
    with st.expander(t("restore.title")):
        st.caption(t("restore.intro"))
        restore_fields("restore", _restore)
