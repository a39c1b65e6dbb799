"""AppTest: the facilitator builds the report and data files on request; a backup restores."""

from __future__ import annotations

import io
import json
import zipfile

import pandas as pd
import pytest
from pypdf import PdfReader

from apptest import join_as, make_room, open_page, page_text
from messages import t


def _fill(store, ws, secret=None):
    who = store.join(ws.code, name="Zoë Çelik", org_type="vmbo")
    step = store.steps(ws.id)[0]
    store.add_note(who, step.id, section="ideeen", field="note", text="Techniekdag met bedrijven 🚀", idem_key="a")
    if secret:
        store.add_action(store.authorize(ws.code, secret), what="Zelf een actie: stagebank", owner="Werkgroep",
                         due="2026-12-01")
    return who


@pytest.mark.parametrize("fmt,label", [("pdf", "dl.pdf"), ("docx", "dl.docx"), ("xlsx", "dl.xlsx"), ("zip", "dl.csv"),
                                       ("json", "dl.json")])
def test_facilitator_builds_each_file_on_request(app_store, fmt, label):
    ws, secret = make_room(app_store)
    _fill(app_store, ws, secret)
    at = open_page("facilitator", room=ws.code, key=secret)
    slot = f"dl:{fmt}:{ws.id}"
    assert slot not in at.session_state  # nothing is built before it is asked for
    at.button(key=f"make-{slot}").click().run()
    assert not at.exception
    data = at.session_state[slot]
    if fmt == "pdf":
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
        assert "Techniekdag met bedrijven" in text
    elif fmt == "docx":
        import docx

        document = docx.Document(io.BytesIO(data))
        assert document.core_properties.title == ws.title
        assert t("summary.agreements") not in [p.text for p in document.paragraphs]  # a table, not bullets
        assert "Zelf een actie" in document.tables[0].rows[1].cells[0].text
        from ui.downloads import file_name

        assert file_name(ws, "docx") == f"samenspraak-{ws.code}-2026-11-26-notulen.docx"
    elif fmt == "xlsx":
        sheets = pd.read_excel(io.BytesIO(data), sheet_name=None)
        assert any("Techniekdag met bedrijven 🚀" in frame.to_string() for frame in sheets.values())
    elif fmt == "zip":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert any("Techniekdag" in archive.read(name).decode("utf-8-sig") for name in archive.namelist())
    else:
        backup = json.loads(data)
        assert "format_version" in backup
        assert "Techniekdag met bedrijven 🚀" in json.dumps(backup, ensure_ascii=False)


def test_participant_downloads_summary_only_when_allowed(app_store):
    ws, secret = make_room(app_store)
    _fill(app_store, ws, secret)
    phone = join_as(ws)
    assert t("dl.participant_pdf") not in page_text(phone)
    app_store.update_workshop(app_store.authorize(ws.code, secret), participant_pdf=True)
    phone.run()
    slot = f"pdl:summary:{ws.id}"
    phone.button(key=f"make-{slot}").click().run()
    data = phone.session_state[slot]
    pages = PdfReader(io.BytesIO(data)).pages
    assert len(pages) == 1  # the one-page summary, not the full report
    text = pages[0].extract_text()
    assert t("summary.kicker") in text and "Zelf een actie" in text
    assert "Techniekdag met bedrijven" not in text  # a note without dots is detail, in the full report only
    assert "Zoë Çelik" not in text


def test_restore_backup_as_new_workshop(app_store):
    from exports.backup import to_json
    from exports.snapshot import snapshot

    ws, _ = make_room(app_store)
    _fill(app_store, ws)
    backup = to_json(snapshot(app_store, ws.id))
    at = open_page("new")
    at.file_uploader(key="restore-file").set_value(("backup.json", backup, "application/json"))
    at.button(key="restore-go").click().run()
    assert not at.exception
    assert at.success[0].value == t("new.created")
    codes = [c.value for c in at.code]
    fac_link = next(c for c in codes if "begeleider" in c)
    code = fac_link.split("room=")[1].split("&")[0]
    assert code != ws.code
    new_ws = app_store.workshop_by_code(code)
    notes = app_store.contributions(app_store.steps(new_ws.id)[0].id)
    assert [n["text"] for n in notes] == ["Techniekdag met bedrijven 🚀"]
    app_store.authorize(code, fac_link.split("key=")[1])


def test_bad_backup_is_refused_in_dutch_and_nothing_written(app_store):
    ws, _ = make_room(app_store)
    before = len(_all_codes(app_store))
    at = open_page("new")
    at.file_uploader(key="restore-file").set_value(("backup.json", b"{niet: json", "application/json"))
    at.button(key="restore-go").click().run()
    assert not at.exception
    assert at.error[0].value.startswith(t("error.import", reason="").rstrip())
    assert len(_all_codes(app_store)) == before


def _all_codes(store):
    from sqlalchemy import select

    from workshop import db as D
    with store.db.reading() as conn:
        return list(conn.execute(select(D.workshops.c.code)).scalars())
