"""Exports: snapshot, JSON backup and restore, Excel/CSV, the follow-up PDF, the demo and the CLI.

The ``store`` fixture (tests/conftest.py) runs each storage test on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import csv
import io
import json
import re
import os
import shutil
import subprocess
import sys
import threading
import time
import unicodedata
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import pypdf
import pytest

from openpyxl import load_workbook

from canvas_models.spec import of_step
from exports import backup, demo, pdf, tables
from exports.snapshot import FORMAT_VERSION, snapshot
from helpers import assert_dutch, count_rows
from messages import t
from workshop import db as D
from workshop import settings
from workshop.errors import UserError
from workshop.store import normalise_code
from workshop.text import Limits
from sqlalchemy import select

ROOT = Path(__file__).resolve().parent.parent
TABLES = (D.workshops, D.steps, D.participants, D.contributions, D.clusters, D.votes, D.actions)

#: Hostile strings for the exports (issue 8 keeps lists per input; this one is for PDF/Excel/CSV/JSON).
HOSTILE = [
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "<b>vet</b> &amp; <i>schuin</i> &lt;tag&gt;",
    "<!-- commentaar --> <style>body{display:none}</style>",
    "[klik](javascript:alert(1))",
    "![plaatje](https://example.invalid/x.png)",
    "# Kop\n## Subkop\n---\n* lijst",
    "**vet** __ook vet__ `code` ~~weg~~",
    "Robert'); DROP TABLE contributions;--",
    "' OR '1'='1",
    "1; SELECT * FROM workshops WHERE 1=1 --",
    "=1+1",
    "=HYPERLINK(\"https://example.invalid\";\"klik\")",
    "+31 6 12345678",
    "-2+3",
    "@SUM(A1:A2)",
    "\tTab vooraan",
    "x" * 100_000,
    "lang" + "woord" * 5_000,
    "NUL\x00teken",
    "bel\x07 escape\x1b[31m rood",
    "\x01\x02\x03\x04\x05\x06\x0b\x0c\x0e\x0f\x7f\x9f",
    "مرحبا بالجميع في الورشة",
    "שלום לכולם",
    "\u202eomgekeerd\u202c",
    "\u2066isolaat\u2069 \u200f",
    "🎓📚🤝💪🏽👩‍🏫🏳️‍🌈",
    "zero\u200bwidth\u200djoiner\ufeffbom",
    "合作伙伴关系很重要",
    "日本語のテキストと한국어",
    "Ünïcödé ë é ü ï ß Ø ł ñ ç",
    "Ẑ̶̧̛a̷̡͝l̴̢̛g̸̨̛o̵̧̕",
    "{nb} {title} %s %d {0} ${HOME}",
    "\ud800 losse surrogaat",
    "vóór\ue000achter",  # a private-use character no font draws: replaced visibly, line kept
    "\n\n\n",
    "",
    " ",
]


# ------------------------------------------------------------------ helpers
def canonical(snap: dict, *, times: bool = True) -> dict:
    """A snapshot without ids, codes and secrets, for comparing two workshops."""
    people = sorted(snap["participants"], key=lambda p: p["id"])
    person = {p["id"]: i for i, p in enumerate(people)}
    steps = sorted(snap["steps"], key=lambda s: s["position"])
    step = {s["id"]: s["position"] for s in steps}
    cluster = {c["id"]: (step[c["step_id"]], c["name"]) for c in snap["clusters"]}
    notes = sorted(snap["contributions"], key=lambda c: c["id"])
    note = {c["id"]: i for i, c in enumerate(notes)}
    actions = sorted(snap["actions"], key=lambda a: a["id"])
    action = {a["id"]: i for i, a in enumerate(actions)}
    when = (lambda v: v) if times else (lambda v: None)
    ws = snap["workshop"]
    return {
        "workshop": {k: ws[k] for k in ("title", "partnership", "date", "facilitator", "anonymous",
                                        "max_participants", "current_step", "show_join", "participant_pdf")},
        "steps": [{k: v for k, v in s.items() if k != "id"} for s in steps],
        "participants": [(p["name"], p["org_type"], p["ready_step"]) for p in people],
        "clusters": sorted(cluster.values()),
        "contributions": [
            (step[c["step_id"]], person.get(c["participant_id"]), c["section"], c["field"], c["kind"], c["text"],
             c["score"], tuple(c["tags"]), cluster.get(c["cluster_id"]), note.get(c["merged_into"]), c["hidden"],
             c["latest"], when(c["created_at"]))
            for c in notes],
        "votes": sorted(
            (step[v["step_id"]], person[v["participant_id"]], v["target_type"],
             cluster[v["target_id"]] if v["target_type"] == "cluster" else note[v["target_id"]], when(v["created_at"]))
            for v in snap["votes"]),
        "actions": [
            (a["what"], a["owner"], a["partner"], a["due"], a["status"], a["link"], a["confirmed"],
             person.get(a["proposed_by"]), a["source"], action.get(a["merged_into"]), a["deleted"], a["review_note"],
             when(a["created_at"]), when(a["updated_at"]))
            for a in actions],
    }


def norm(text: str) -> str:
    """Text as compared with PDF extraction: NFKC, no whitespace, no invisible or control characters."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch) not in ("Cf", "Cc", "Mn"))


def is_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def assert_in_pdf(text: str, haystack: str, what: str) -> None:
    """``text`` appears in the PDF text, wrapping ignored.

    Right-to-left words come out of PDF text extraction in visual order, so for
    text with Arabic or Hebrew every word must appear (the words may be reordered).
    """
    if is_rtl(text):
        for word in text.split():
            token = norm(word.strip("()[]{}.,:;!?\"'"))
            assert token in haystack, f"{what}: word {word!r} of {text!r} not in the PDF"
    else:
        assert norm(text) in haystack, f"{what}: {text!r} not in the PDF"


def visible(row: dict) -> bool:
    return not row["hidden"] and row["merged_into"] is None


def total_rows(store) -> dict[str, int]:
    return {table.name: count_rows(store, table) for table in TABLES}


@pytest.fixture(scope="module")
def demo_snap() -> dict:
    """A 14-participant demo as a snapshot, without a database (plan -> backup reader)."""
    return backup.read_snapshot(backup.to_json(demo.plan(14, seed=3)))


# ------------------------------------------------------------ snapshot/backup
def test_snapshot_reads_everything_through_the_store(store):
    ws, _ = demo.generate(store, 8, seed=5)  # the real write path: the Store API
    snap = snapshot(store, ws.id)
    plan = demo.plan(8, seed=5)
    assert snap["format_version"] == FORMAT_VERSION
    assert [s["werkvorm"] for s in snap["steps"]] == [s["werkvorm"] for s in plan["steps"]]
    assert len(snap["participants"]) == 8 and all("token" not in p for p in snap["participants"])
    assert len(snap["contributions"]) == len(plan["contributions"])
    # one hidden note per wall step of the demo (the brainstorm, the regioplan's ideas)
    assert sum(c["hidden"] for c in snap["contributions"]) == sum(c["hidden"] for c in plan["contributions"]) >= 1
    assert sum(not c["latest"] for c in snap["contributions"]) == sum(not c["latest"] for c in plan["contributions"])
    assert len(snap["votes"]) == len(plan["votes"]) and len(snap["actions"]) == len(plan["actions"])
    assert {c["name"] for c in snap["clusters"]} == set(demo.SUBJECTS)
    # The Store API path and the one-transaction path build the same workshop.
    fast_ws, _ = demo.generate(store, 8, seed=5, fast=True)
    assert canonical(snapshot(store, fast_ws.id), times=False) == canonical(snap, times=False)


def test_json_backup_round_trip_loses_nothing(store, tmp_path):
    ws, secret = demo.generate(store, 10, seed=7, fast=True)
    first = snapshot(store, ws.id)
    raw = backup.to_json(first)
    assert json.loads(raw)["format_version"] == FORMAT_VERSION

    # Restore into a fresh database (SQLite) and into the same one (this backend).
    fresh = D.Database(f"sqlite:///{tmp_path / 'fresh.db'}")
    try:
        from workshop.store import Store

        other = Store(fresh)
        copy_ws, copy_secret = backup.restore(other, raw)
        assert canonical(snapshot(other, copy_ws.id)) == canonical(first)
    finally:
        fresh.dispose()
    again_ws, again_secret = backup.restore(store, raw)
    again = snapshot(store, again_ws.id)
    assert canonical(again) == canonical(first)
    assert again_ws.code != ws.code and again_secret != secret
    store.authorize(again_ws.code, again_secret)  # the new secret works
    with pytest.raises(UserError):
        store.authorize(again_ws.code, secret)  # the old one does not
    # and a backup of the copy is the same backup again
    assert canonical(backup.read_snapshot(backup.to_json(again))) == canonical(first)


@pytest.mark.parametrize("case", [
    "malformed", "not_utf8", "empty", "list", "wrong_format", "wrong_version", "missing_version", "too_big",
    "bad_score", "unknown_werkvorm", "dangling_vote", "dangling_cluster", "duplicate_id", "bad_org",
    "too_long_text", "bad_date", "version_true", "version_float", "version_string",
])
def test_bad_imports_are_refused_and_write_nothing(store, case):
    ws, _ = demo.generate(store, 4, seed=2, fast=True)
    good = snapshot(store, ws.id)
    data = json.loads(backup.to_json(good))
    kwargs = {}
    if case == "malformed":
        raw = backup.to_json(good)[:-20]
    elif case == "not_utf8":
        raw = "{}".encode("utf-16")
    elif case == "empty":
        raw = b"   "
    elif case == "list":
        raw = b"[1, 2, 3]"
    else:
        if case == "wrong_format":
            data["format"] = "iets-anders"
        elif case == "wrong_version":
            data["format_version"] = FORMAT_VERSION + 1
        elif case == "missing_version":
            del data["format_version"]
        elif case == "version_true":  # True == 1 in Python: must not pass as version 1
            data["format_version"] = True
        elif case == "version_float":
            data["format_version"] = 1.0
        elif case == "version_string":
            data["format_version"] = "1"
        elif case == "too_big":
            kwargs["max_bytes"] = 2_000
        elif case == "bad_score":
            next(c for c in data["contributions"] if c["kind"] == "score")["score"] = 9
        elif case == "unknown_werkvorm":
            data["steps"][0]["werkvorm"] = "tarot"
        elif case == "dangling_vote":
            data["votes"][0]["target_id"] = 10**9
        elif case == "dangling_cluster":
            next(c for c in data["contributions"] if c["kind"] == "note")["cluster_id"] = 10**9
        elif case == "duplicate_id":
            data["participants"].append(dict(data["participants"][0]))
        elif case == "bad_org":
            data["participants"][0]["org_type"] = "school"
        elif case == "too_long_text":
            data["actions"][0]["what"] = "x" * 5_000
        elif case == "bad_date":
            data["workshop"]["date"] = "32-13-2026"
        raw = json.dumps(data).encode()
    before = total_rows(store)
    with pytest.raises(UserError) as info:
        backup.restore(store, raw, **kwargs)
    assert info.value.key == "error.import"
    assert_dutch(info.value)
    assert str(info.value).startswith("Deze back-up kunnen we niet inlezen: ")
    assert total_rows(store) == before
    if case.startswith("version_"):
        assert str(info.value).endswith(t("import.reason.version_type", found=json.dumps(data["format_version"])))


def test_backup_with_a_byte_order_mark_is_read(store):
    """Windows Notepad saves UTF-8 with a BOM; that is still a good backup (bytes and text)."""
    ws, _ = demo.generate(store, 3, seed=2, fast=True)
    raw = backup.to_json(snapshot(store, ws.id))
    copy, _ = backup.restore(store, b"\xef\xbb\xbf" + raw)
    assert copy.title == ws.title
    assert backup.read_snapshot("\ufeff" + raw.decode("utf-8"))["workshop"]["title"] == ws.title


def test_import_size_limit_is_a_setting(store, setting):
    ws, _ = demo.generate(store, 3, seed=2, fast=True)
    raw = backup.to_json(snapshot(store, ws.id))
    setting("SAMENSPRAAK_IMPORT_MAX_BYTES", str(len(raw) - 1))
    with pytest.raises(UserError, match="MB"):
        backup.restore(store, raw)
    setting("SAMENSPRAAK_IMPORT_MAX_BYTES", str(len(raw)))
    assert backup.restore(store, raw)[0].title == ws.title
    setting("SAMENSPRAAK_IMPORT_MAX_BYTES", "")
    assert settings.get().import_max_bytes == 20 * 1024 * 1024


def test_failing_restore_leaves_nothing_half_written(store, monkeypatch):
    """A database error in the middle of a restore rolls the whole workshop back."""
    import workshop.bulk as bulk

    ws, _ = demo.generate(store, 5, seed=4, fast=True)
    raw = backup.to_json(snapshot(store, ws.id))
    real = bulk._insert_many

    def failing(conn, table, rows):
        if table is D.votes:  # workshop, steps, participants, clusters, notes are written by now
            raise RuntimeError("disk full")
        return real(conn, table, rows)

    monkeypatch.setattr(bulk, "_insert_many", failing)
    before = total_rows(store)
    with pytest.raises(RuntimeError):
        backup.restore(store, raw)
    assert total_rows(store) == before


def test_restore_cleans_hostile_text(store):
    """Text in a backup is cleaned like typed text: PostgreSQL would refuse a NUL."""
    data = json.loads(backup.to_json(demo.plan(3, seed=1)))
    note = next(c for c in data["contributions"] if c["kind"] == "note")
    note["text"] = "NUL\x00 en \u202eomgekeerd\u202c <script>x</script>"
    data["participants"][0]["name"] = "Bel\x07la"
    data["participants"][1]["name"] = "A\ud800B"  # a lone surrogate, as JSON can spell it
    data["steps"][0]["config"].update(chart="bar", sound=True, junk={"x": "y" * 1000})
    data["steps"][1]["config"].update(chart="radar", sound="ja")  # the praatplaat: its layout keeps a chart
    ws, _ = backup.restore(store, json.dumps(data))
    # only what the app keeps, each of its type: every step a sound, the scores layout its chart
    assert store.steps(ws.id)[0].config == {"sound": True}
    assert store.steps(ws.id)[1].config == {"chart": "radar"}
    snap = snapshot(store, ws.id)
    texts = {c["text"] for c in snap["contributions"]}
    assert "NUL en omgekeerd <script>x</script>" in texts
    assert snap["participants"][0]["name"] == "Bella"
    assert snap["participants"][1]["name"] == "A\ufffdB"


# ---------------------------------------------------------- restore limits and load
def big_backup(participants: int, steps: int, notes: int) -> dict:
    """A backup within every live limit: ``participants`` people posting ``notes`` notes in each
    of ``steps`` brainstorm steps."""
    data = json.loads(backup.to_json(demo.plan(3, seed=1)))
    data.update(steps=[{"id": s + 1, "position": s, "werkvorm": "brainstorm", "config": {}} for s in range(steps)],
                participants=[{"id": p + 1, "name": f"Deelnemer {p + 1}", "org_type": "mbo"}
                              for p in range(participants)],
                clusters=[], votes=[], actions=[])
    data["workshop"].update(max_participants=participants, current_step=0)
    data["contributions"] = [
        {"id": 1 + i, "step_id": 1 + i // (participants * notes), "participant_id": 1 + (i // notes) % participants,
         "section": "ideeen", "field": "note", "kind": "note", "text": f"Idee {i} over stageplekken in de regio"}
        for i in range(steps * participants * notes)]
    return data


@pytest.mark.parametrize("case", ["participants", "max_participants", "notes_per_step", "dots", "actions"])
def test_restore_holds_the_limits_of_a_live_workshop(store, case, monkeypatch):
    data = big_backup(participants=4, steps=1, notes=3)
    if case == "participants":  # more people than a workshop here may have
        monkeypatch.setattr(Limits, "MAX_PARTICIPANTS", 3)
    elif case == "max_participants":
        data["workshop"]["max_participants"] = 100_000
    elif case == "notes_per_step":
        monkeypatch.setattr(Limits, "NOTES_PER_STEP", 2)
    elif case == "dots":
        data["steps"][0]["dots"] = 1
        data["votes"] = [{"id": i + 1, "step_id": 1, "participant_id": 1, "target_type": "note", "target_id": i + 1}
                         for i in range(2)]
    elif case == "actions":
        data["actions"] = [{"id": i + 1, "what": f"Actie {i}", "proposed_by": 2}
                           for i in range(Limits.ACTIONS_PER_PARTICIPANT + 1)]
    before = total_rows(store)
    if case == "max_participants":  # clamped to the setting, as for a workshop made on /nieuw
        ws, _ = backup.restore(store, json.dumps(data))
        assert ws.max_participants == Limits.MAX_PARTICIPANTS
        return
    with pytest.raises(UserError) as info:
        backup.restore(store, json.dumps(data))
    assert_dutch(info.value)
    assert "import.reason" not in str(info.value) and ("maximum" in str(info.value) or "toestaat" in str(info.value))
    assert total_rows(store) == before


#: Phones of another workshop, in a process of their own (as another app process, and so that what is
#: measured is waiting for the database, not for this process's interpreter): they write until
#: ``stop`` exists, then print how long each write took.
PHONES = """
import json, os, sys, time
from workshop import db as D
from workshop.store import Store
url, code, stop = sys.argv[1:4]
store = Store(D.Database(url))
step = store.steps(store.workshop_by_code(code).id)[0]
waits, n, who = [], 0, None
print("ready", flush=True)
while not os.path.exists(stop):
    began = time.perf_counter()
    if n % 30 == 0:  # the notes limit: a new participant joins
        who = store.join(code, name=f"P{n}", org_type="po")
    store.add_note(who, step.id, section="ideeen", field="note", text=f"briefje {n}", idem_key=f"k{n}")
    waits.append(time.perf_counter() - began)
    n += 1
    time.sleep(0.01)
print(json.dumps(waits))
"""


def test_a_large_restore_does_not_stall_other_workshops(store, tmp_path):
    """While a backup of 45,000 notes is restored, phones of another workshop keep submitting:
    none waits a second for the database, and the restored workshop cannot be reached before it
    is complete."""
    room_ws, _ = store.create_workshop(title="Andere workshop", partnership="Regio", day=date(2026, 3, 1),
                                       facilitator="", werkvormen=["brainstorm"])
    raw = json.dumps(big_backup(participants=250, steps=6, notes=30))
    stop = tmp_path / "stop"
    phones = subprocess.Popen([sys.executable, "-c", PHONES, str(store.db.url), room_ws.code, str(stop)],
                              cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE,
                              text=True)
    seen_pending: list[str] = []
    seen_complete: list[int] = []
    done = threading.Event()

    def watcher():
        """Look at every workshop in the database, again and again, while the restore runs."""
        while not done.is_set():
            with store.db.reading() as conn:
                codes = conn.execute(select(D.workshops.c.code)).scalars().all()
            for code in set(codes) - {room_ws.code}:
                found = store.workshop_by_code(code)
                if found is None:
                    seen_pending.append(code)
                else:  # reachable: then it must be complete
                    seen_complete.append(store.note_count(store.steps(found.id)[0].id))
            time.sleep(0.05)

    look = threading.Thread(target=watcher)
    try:
        assert phones.stdout.readline().strip() == "ready"
        time.sleep(0.3)
        look.start()
        began = time.perf_counter()
        ws, _ = backup.restore(store, raw)
        took = time.perf_counter() - began
    finally:
        done.set()
        stop.touch()
        out, _ = phones.communicate(timeout=60)
        if look.is_alive():
            look.join()
    waits = sorted(json.loads(out))
    print(f"\nrestore of 45,000 notes on {store.db.url.split(':')[0]}: {took:.2f} s; {len(waits)} writes of "
          f"another workshop alongside, worst wait {waits[-1]:.3f} s, p95 {waits[int(len(waits) * .95)]:.3f} s")
    assert store.note_count(store.steps(ws.id)[0].id) == 7_500
    assert len(waits) > 20 and waits[-1] < 1.0
    assert seen_pending, "the restore was never seen while pending"  # the watcher did look mid-way
    assert all(len(normalise_code(c)) != 6 for c in seen_pending)  # no link or typed code reaches it
    assert all(count == 7_500 for count in seen_complete)  # once reachable, it is complete


def test_a_restore_left_pending_by_a_dead_process_is_removed_later(store):
    """A process killed mid-restore leaves an unreachable workshop; the next start removes it
    once it is clearly abandoned, and leaves a restore that may still be running alone."""
    import workshop.bulk as bulk

    rows = backup.load(json.dumps(big_backup(participants=3, steps=1, notes=2)))
    before = total_rows(store)
    old = bulk._create_pending(store, rows["workshop"], "geheim")
    bulk._Writer(store).insert(D.participants, [{"workshop_id": old, "token": f"t{i}", "name": "A", "org_type": "po",
                                                 "created_at": bulk.now()} for i in range(3)])
    running = bulk._create_pending(store, rows["workshop"], "geheim")
    with store.db.writing() as conn:
        conn.execute(D.workshops.update().where(D.workshops.c.id == old)
                     .values(created_at=bulk.now() - bulk.ABANDONED_AFTER * 2))
    assert bulk.purge_abandoned(store) == 1
    assert total_rows(store)["participants"] == before["participants"]
    with store.db.reading() as conn:
        assert conn.execute(select(D.workshops.c.id)).scalars().all().count(running) == 1


# --------------------------------------------------------------- Excel / CSV
def unneutralise(value):
    if isinstance(value, str) and value.startswith("'") and value[1:2] in ("=", "+", "-", "@", "\t", "\r"):
        return value[1:]
    return value


def without_confidential(snap: dict) -> dict:
    """The demo workshop without its intervision steps: a workshop with one names nobody in its tables
    (tests/test_toolkit_exports.py), and these tests read the names and numbers."""
    from exports.snapshot import confidential_steps

    hidden = confidential_steps(snap)
    return {**snap, "steps": [s for s in snap["steps"] if s["id"] not in hidden]}


def test_excel_and_csv_round_trip(demo_snap):
    snap = without_confidential(demo_snap)
    frames = tables.tables(snap)
    xlsx = pd.read_excel(io.BytesIO(tables.to_xlsx(snap)), sheet_name=None)
    assert list(xlsx) == list(frames)
    names = list(xlsx)
    assert names[0] == "Deelnemers" and names[-1] == "Stippen"
    assert len(names) == 1 + len(snap["steps"]) + 1  # the actions live in the follow-up step's sheet

    people = xlsx["Deelnemers"]
    assert len(people) == len(snap["participants"])
    assert sorted(people["Naam"].fillna("")) == sorted(p["name"] for p in snap["participants"])

    steps = sorted(snap["steps"], key=lambda s: s["position"])
    for sheet, step in zip(names[1:], steps):
        frame = xlsx[sheet]
        rows = [c for c in snap["contributions"] if c["step_id"] == step["id"]]
        if step["werkvorm"] == "praatplaat":
            latest = {(c["participant_id"], c["section"]) for c in rows if c["latest"]}
            assert len(frame) == len(latest)
            remarks = sorted(c["text"] for c in rows if c["latest"] and c["field"] == "beter" and c["text"])
            got = sorted(unneutralise(v) for v in frame["Wat moet beter"].dropna() if v != "")
            assert got == remarks
        elif step["werkvorm"] == "teams":  # the board: a row per participant and cell (team, subregion)
            latest = {(c["participant_id"], c["section"], *c["tags"]) for c in rows if c["latest"]}
            assert len(frame) == len(latest)
            notes = sorted(c["text"] for c in rows if c["latest"] and c["field"] == "kan_beter" and c["text"])
            assert sorted(unneutralise(v) for v in frame["Kan beter"].dropna() if v != "") == notes
        elif of_step(step).layout == "actions":  # the follow-up plaat, regioplan activities
            followup_sheet = sheet
            assert list(frame.columns)[:2] == ["Nr", "Wat"]
        elif of_step(step).layout == "risks":  # one row per risk
            assert len(frame) == len(step["sections"])
        elif of_step(step).layout == "choices":  # one row per counted choice
            from layouts.choices.logic import counted
            assert len(frame) == sum(1 for c in counted(rows) if c["kind"] == "choice" or c["score"])
        elif of_step(step).layout in ("rounds", "compass"):
            continue  # a sheet of their own, tested in tests/test_toolkit_exports.py
        else:
            notes = [c for c in rows if c["kind"] in ("note", "tagged_note")]
            assert len(frame) == len(notes)
            assert [unneutralise(v) for v in frame["Tekst"]] == [c["text"] for c in notes]
            assert frame["Stippen"].sum() == sum(1 for v in snap["votes"] if v["step_id"] == step["id"])

    live = [a for a in snap["actions"] if not a["deleted"]]
    own = xlsx[followup_sheet][xlsx[followup_sheet]["Uit workshop"] == "Deze workshop"]
    assert [unneutralise(v) for v in own["Wat"]] == [a["what"] for a in live]
    assert len(xlsx[followup_sheet]) == len(live) + len(snap.get("earlier_actions") or [])
    confidential = {s["id"] for s in snap["steps"] if of_step(s).confidential}
    assert len(xlsx["Stippen"]) == sum(1 for v in snap["votes"] if v["step_id"] not in confidential)

    with zipfile.ZipFile(io.BytesIO(tables.to_csv_zip(snap))) as archive:
        files = sorted(archive.namelist())
        assert len(files) == len(frames)
        for filename, (sheet, frame) in zip(files, frames.items()):
            with archive.open(filename) as handle:
                back = pd.read_csv(handle, encoding="utf-8-sig", keep_default_na=False)
            assert list(back.columns) == list(frame.columns), filename
            assert len(back) == len(frame), filename
            text_cols = [c for c in ("Tekst", "Wat", "Naam") if c in frame.columns]
            for col in text_cols:
                assert [unneutralise(v) for v in back[col]] == [("" if v is None else v) for v in frame[col]]


def test_sheet_names_are_cut_between_words_and_stay_unique():
    taken: set[str] = set()
    long = tables._sheet_name("1. Brainstorm inventariseren en clusteren", taken)
    assert long == "1. Brainstorm inventariseren…" and len(long) <= 31
    assert tables._sheet_name("1. Brainstorm inventariseren en clusteren", taken) == "1. Brainstorm… (2)"
    assert tables._sheet_name("Zeer[lang]:woord*" * 4, set()).endswith("…")
    assert len(tables._sheet_name("x" * 80, set())) == 31


def test_actions_without_a_follow_up_step_get_their_own_sheet(demo_snap):
    snap = json.loads(json.dumps(demo_snap))
    snap["steps"] = [s for s in snap["steps"] if of_step(s).layout != "actions"]
    frames = tables.tables(snap)
    assert list(frames)[-2:] == ["Acties", "Stippen"]
    assert len(frames["Acties"]) == sum(1 for a in snap["actions"] if not a["deleted"])


def test_whole_numbers_stay_whole_in_csv_and_excel(demo_snap):
    """'Klaar bij stap' and 'Voorgesteld door (nr)' have gaps; they must not turn into 1.0."""
    snap = without_confidential(json.loads(json.dumps(demo_snap)))
    snap["participants"][0]["ready_step"] = 0
    with zipfile.ZipFile(io.BytesIO(tables.to_csv_zip(snap))) as archive:
        people = archive.read(sorted(archive.namelist())[0]).decode("utf-8-sig")
        sheets = [list(csv.reader(io.StringIO(archive.read(n).decode("utf-8-sig")))) for n in archive.namelist()]
    assert people.splitlines()[1].endswith(",1"), people.splitlines()[1]
    for header, *rows in sheets:  # a mean (the compass's strength) is a decimal; every other number is whole
        whole = [i for i, name in enumerate(header) if t("compass.col_strength") != name]
        assert not [row[i] for row in rows for i in whole if i < len(row) and re.fullmatch(r"\d+\.0", row[i])]
    book = load_workbook(io.BytesIO(tables.to_xlsx(snap)))
    assert book["Deelnemers"]["D2"].value == 1 and isinstance(book["Deelnemers"]["D2"].value, int)


def test_formula_injection_is_neutralised_but_readable(demo_snap):
    for risky in ("=1+1", "+31 6 1234", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert tables.safe_cell(risky) == "'" + risky
    assert tables.safe_cell("gewoon =1+1") == "gewoon =1+1"
    assert tables.safe_cell(3) == 3
    snap = json.loads(json.dumps(demo_snap))
    note = next(c for c in snap["contributions"] if c["kind"] == "note")
    note["text"] = "=HYPERLINK(\"https://example.invalid\",\"klik\")"
    book = load_workbook(io.BytesIO(tables.to_xlsx(snap)))
    cells = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "'=HYPERLINK(\"https://example.invalid\",\"klik\")" in cells
    assert not any(v.startswith(("=", "+", "-", "@")) for v in cells)
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    with zipfile.ZipFile(io.BytesIO(tables.to_csv_zip(snap))) as archive:
        csv_text = "".join(archive.read(n).decode("utf-8-sig") for n in archive.namelist())
    assert "\"'=HYPERLINK(" in csv_text and "\"=HYPERLINK(" not in csv_text


# ---------------------------------------------------------------------- PDF
def test_pdf_holds_every_note_remark_and_action(store):
    ws, _ = demo.generate(store, 12, seed=11)  # through the Store API
    snap = snapshot(store, ws.id)
    progress = []
    data = pdf.build_pdf(snap, progress=lambda f, label: progress.append((f, label)))
    assert data.startswith(b"%PDF-")
    text = norm(pdf_text(data))

    # intervision keeps only its outcome (tests/test_toolkit_exports.py)
    confidential = {s["id"] for s in snap["steps"] if of_step(s).confidential}
    notes = [c for c in snap["contributions"] if c["kind"] in ("note", "tagged_note") and visible(c)
             and c["step_id"] not in confidential]
    remarks = [c for c in snap["contributions"] if c["kind"] == "text" and c["latest"] and c["text"]]
    actions = [a for a in snap["actions"] if not a["deleted"]]
    assert len(notes) > 100 and len(remarks) > 20 and len(actions) > 10
    for note in notes:
        assert_in_pdf(note["text"], text, "note")
    for remark in remarks:
        assert_in_pdf(remark["text"], text, "remark")
    for action in actions:
        for field in ("what", "owner", "partner"):
            if action[field]:
                assert_in_pdf(action[field], text, f"action {field}")
    # not anonymous: names on the cover, unless the workshop has a confidential step (intervision)
    assert norm(t("pdf.cover.confidential")) in text
    open_steps = [s for s in snap["steps"] if s["id"] not in confidential]
    names = norm(pdf_text(pdf.build_pdf({**snap, "steps": open_steps})))
    for person in snap["participants"]:
        assert_in_pdf(person["name"], names, "name")
    # Unicode made it through: Arabic, Chinese, emoji, accents.
    for sample in ("王小明", "فاطمة", "Zoë", "Łukasz", "🎓"):
        assert norm(sample) in text, sample
    for fixed in (snap["workshop"]["title"], "12 maart 2026", "3. Vervolgplaat", "Over de gegevens",
                  "Hier kijken we verschillend", "Functies per fase", "pagina 2 van"):
        assert norm(fixed) in text, fixed
    # progress runs from 0 to 1, never backwards
    fractions = [f for f, _ in progress]
    assert fractions[0] == 0.0 and fractions[-1] == 1.0 and fractions == sorted(fractions)
    assert all(isinstance(label, str) and label for _, label in progress)


def test_pdf_renders_to_png(demo_snap, tmp_path):
    source = tmp_path / "verslag.pdf"
    source.write_bytes(pdf.build_pdf(demo_snap))
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "pdftoppm (Debian poppler-utils) is needed; ./test.sh installs it"
    subprocess.run([pdftoppm, "-r", "40", "-png", str(source), str(tmp_path / "page")], check=True, timeout=120)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == len(pypdf.PdfReader(str(source)).pages) >= 5
    for page in pages:
        assert page.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and page.stat().st_size > 1000


def test_pdf_is_vector_and_embeds_only_what_it_needs(demo_snap):
    data = pdf.build_pdf(demo_snap)
    reader = pypdf.PdfReader(io.BytesIO(data))
    images = sum(len(page.images) for page in reader.pages)
    assert images == 0  # charts are drawn as vectors
    fonts = set()
    for page in reader.pages:
        for font in (page.get("/Resources", {}).get("/Font") or {}).values():
            fonts.add(str(font.get_object().get("/BaseFont")))
    assert any("DejaVu" in f for f in fonts)
    assert len(data) < 1_000_000


def test_anonymous_workshop_shows_no_names_anywhere():
    plan = demo.plan(20, seed=9, anonymous=True)
    snap = backup.read_snapshot(backup.to_json(plan))
    names = [p["name"] for p in snap["participants"] if p["name"]]
    assert names, "the demo keeps a few typed names, to prove they stay hidden"
    text = norm(pdf_text(pdf.build_pdf(snap)))
    book = load_workbook(io.BytesIO(tables.to_xlsx(snap)))
    cells = " ".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row)
    with zipfile.ZipFile(io.BytesIO(tables.to_csv_zip(snap))) as archive:
        csv_text = "".join(archive.read(n).decode("utf-8-sig") for n in archive.namelist())
    for name in names:
        assert norm(name) not in text, name
        assert name not in cells and name not in csv_text, name
    assert "Naam" not in cells and norm("Deze workshop was anoniem") in text


def test_hostile_strings_never_crash_any_export(demo_snap):
    snap = json.loads(json.dumps(demo_snap))
    steps = {s["werkvorm"]: s for s in snap["steps"]}
    snap["workshop"]["title"] = HOSTILE[0] + " " + HOSTILE[22] + " " + HOSTILE[26]
    snap["workshop"]["facilitator"] = HOSTILE[19]
    snap["clusters"][0]["name"] = HOSTILE[29]
    next_id = max(c["id"] for c in snap["contributions"]) + 1
    for i, text in enumerate(HOSTILE):
        snap["participants"][i % len(snap["participants"])]["name"] = text[:200]
        for werkvorm in ("brainstorm", "canvas", "grow"):
            step = steps[werkvorm]
            snap["contributions"].append({
                "id": next_id, "step_id": step["id"], "participant_id": snap["participants"][0]["id"],
                "section": step["sections"][i % len(step["sections"])]["key"], "field": "note",
                "kind": "tagged_note" if werkvorm == "grow" else "note", "text": text, "score": None,
                "tags": ["werven"], "cluster_id": None, "merged_into": None, "hidden": False, "latest": True,
                "created_at": "2026-03-12T10:00:00+00:00"})
            next_id += 1
        snap["contributions"].append({
            "id": next_id, "step_id": steps["praatplaat"]["id"], "participant_id": snap["participants"][1]["id"],
            "section": steps["praatplaat"]["sections"][0]["key"], "field": "goed", "kind": "text", "text": text,
            "score": None, "tags": [], "cluster_id": None, "merged_into": None, "hidden": False, "latest": True,
            "created_at": "2026-03-12T10:00:00+00:00"})
        next_id += 1
        snap["actions"][i % len(snap["actions"])].update(what=text, owner=text[:300], partner=text[:50])

    data = pdf.build_pdf(snap)
    text = pdf_text(data)
    assert "vóór\ufffdachter" in text  # undrawable glyph replaced visibly, rest of the line kept
    assert "[… nog" in text  # a 100,000-character text is cut with a visible note
    assert norm("<script>alert('x')</script>") in norm(text)  # markup printed as text
    assert norm("[klik](javascript:alert(1))") in norm(text)
    assert "合作伙伴关系很重要" in text and "日本語のテキストと" in text
    # Korean is not in the bundled fonts: each syllable shows as a replacement character.
    assert "日本語のテキストと\ufffd\ufffd\ufffd" in text
    assert tables.to_xlsx(snap)[:2] == b"PK" and tables.to_csv_zip(snap)[:2] == b"PK"
    json.loads(backup.to_json(snap))  # the backup writer takes anything a snapshot holds


def test_shared_hostile_list_in_every_export(demo_snap):
    """Every string of tests/hostile.py, stored as the app stores it, in a note, a remark, an
    action and a name: each export is built, and the PDF shows each one as plain text."""
    from hostile import HOSTILE as SHARED
    from workshop.text import clean

    snap = json.loads(json.dumps(demo_snap))
    steps = {s["werkvorm"]: s for s in snap["steps"]}
    next_id = max(c["id"] for c in snap["contributions"]) + 1
    stored = []
    for i, (name, raw) in enumerate(SHARED.items()):
        try:
            text = clean(raw, limit=200_000, label="x", multiline=True)
        except UserError:
            continue  # refused at input (for example only NUL): never stored, nothing to export
        stored.append(text)
        step = steps["brainstorm"]
        snap["contributions"].append({
            "id": next_id, "step_id": step["id"], "participant_id": snap["participants"][0]["id"],
            "section": "ideeen", "field": "note", "kind": "note", "text": text, "score": None, "tags": [],
            "cluster_id": None, "merged_into": None, "hidden": False, "latest": True, "created_at": None})
        next_id += 1
        snap["actions"][i % len(snap["actions"])]["what"] = text
    assert len(stored) >= 30
    data = pdf.build_pdf(snap)
    text = norm(pdf_text(data))
    probe = pdf.Report("probe")
    for value in stored:
        if len(value) <= 500:  # longer ones are wrapped across pages with running headers between
            assert_in_pdf(probe.prep(value), text, "hostile")
    assert tables.to_xlsx(snap)[:2] == b"PK" and tables.to_csv_zip(snap)[:2] == b"PK"
    assert json.loads(backup.to_json(snap))["contributions"][-1]["text"] == stored[-1]


def test_text_cleaning_for_the_pdf():
    assert pdf.clean_text("a\x00b\x07c\u202ed\u200be\ufeff") == "abcde"
    assert pdf.clean_text("x" * 20, limit=10).startswith("x" * 10 + " [… nog 10 tekens")
    assert pdf.clean_text("\ud800") == "\ufffd"
    assert pdf.clean_text("e\u0301") == "é"  # NFC


def test_empty_workshop_still_gives_a_report(store):
    ws, _ = store.create_workshop(title="Leeg", partnership="Regio Leeg", day=__import__("datetime").date(2026, 1, 5),
                                  facilitator="", werkvormen=["brainstorm", "praatplaat", "followup", "canvas", "grow"])
    snap = snapshot(store, ws.id)
    text = norm(pdf_text(pdf.build_pdf(snap)))
    assert norm("Er deden nog geen deelnemers mee.") in text and norm("Er zijn geen acties vastgelegd.") in text
    assert set(pd.read_excel(io.BytesIO(tables.to_xlsx(snap)), sheet_name=None)) >= {"Deelnemers", "3. Vervolgplaat"}


# --------------------------------------------------------------------- demo
def test_demo_plan_scales_to_200_participants():
    plan = demo.plan(200, seed=1)
    figures = demo.counts(plan)
    assert figures["participants"] == 200 and figures["notes"] >= 2000 and figures["actions"] >= 200
    assert {s["werkvorm"] for s in plan["steps"]} == set(__import__("canvas_models").REGISTRY)
    grow = next(s for s in plan["steps"] if s["werkvorm"] == "grow")
    stages = {c["section"] for c in plan["contributions"] if c["step_id"] == grow["id"]}
    assert stages == {s["key"] for s in grow["sections"]}
    assert any(c["tags"] for c in plan["contributions"])
    assert demo.plan(30, seed=4) == demo.plan(30, seed=4)  # deterministic per seed
    texts = " ".join(c["text"] for c in plan["contributions"]) + " ".join(a["what"] for a in plan["actions"])
    for sample in ("<script>", "DROP TABLE", "مدرسة", "合作", "🎓", "](javascript:"):
        assert sample in texts, sample


# ---------------------------------------------------------------------- CLI
def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "exports", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=600)


def test_cli_builds_everything_from_a_backup_without_a_server(tmp_path):
    done = run_cli("--demo", "5", "--seed", "3", "--json", "demo.json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "5 deelnemers" in done.stderr
    done = run_cli("demo.json", "--pdf", "out.pdf", "--xlsx", "out.xlsx", "--csv", "out.zip", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out.pdf").read_bytes().startswith(b"%PDF-")
    assert pd.read_excel(tmp_path / "out.xlsx", sheet_name=None)["Deelnemers"].shape[0] == 5
    assert zipfile.ZipFile(tmp_path / "out.zip").namelist()
    snap = json.loads((tmp_path / "demo.json").read_text(encoding="utf-8"))
    assert canonical(snap, times=False) == canonical(backup.read_snapshot(backup.to_json(demo.plan(5, 3))),
                                                     times=False)


def test_cli_refuses_bad_input_with_a_dutch_message(tmp_path):
    (tmp_path / "kapot.json").write_text("{niet af", encoding="utf-8")
    done = run_cli("kapot.json", "--pdf", "out.pdf", cwd=tmp_path)
    assert done.returncode == 2
    assert "Deze back-up kunnen we niet inlezen: het bestand is geen geldige JSON." in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "out.pdf").exists()
    (tmp_path / "oud.json").write_text(json.dumps({"format": "samenspraak-workshop", "format_version": 0}))
    done = run_cli("oud.json", "--pdf", "out.pdf", cwd=tmp_path)
    assert done.returncode == 2 and "formaatversie 0" in done.stderr
    done = run_cli("bestaat-niet.json", "--pdf", "out.pdf", cwd=tmp_path)
    assert done.returncode == 2 and "Kan 'bestaat-niet.json' niet lezen" in done.stderr
    done = run_cli("--pdf", "out.pdf", cwd=tmp_path)
    assert done.returncode == 2 and "Geef een back-upbestand" in done.stderr


def test_exports_import_no_streamlit():
    """Not at import, and not when every layout's report, demo and schema have been used (a layout's
    views are the only part that imports streamlit)."""
    code = ("import sys, exports.pdf, exports.tables, exports.backup, exports.demo, exports.snapshot, "
            "exports.__main__, workshop.bulk, layouts; plan = exports.demo.plan(3); exports.pdf.build_pdf(plan); "
            "exports.tables.to_xlsx(plan); [(b.report, b.demo, b.schema) for b in map(layouts.get, layouts.NAMES)]; "
            "print('streamlit' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_demo_command_fills_the_configured_database_and_prints_the_links(tmp_path, db_url):
    """``python -m exports.demo --participants 30``: every werkvorm filled, the praatplaat revealed, a dot
    round closed, and the three links printed; the facilitator link really opens the workshop."""
    from workshop.store import Store

    url = db_url
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SAMENSPRAAK_DATABASE_URL": url}
    done = subprocess.run([sys.executable, "-m", "exports.demo", "--participants", "30", "--seed", "4"], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    lines = dict(line.split(": ", 1) for line in done.stdout.strip().splitlines())
    code = re.fullmatch(r"/scherm\?room=(\w{6})", lines["screen"]).group(1)
    assert lines["join"] == f"/?room={code}"
    key = re.fullmatch(rf"/begeleider\?room={code}&key=([\w-]+)", lines["facilitator"]).group(1)

    database = D.Database(url)
    try:
        store = Store(database)
        fac = store.authorize(code, key)
        snap = snapshot(store, fac.workshop_id)
    finally:
        database.dispose()
    assert len(snap["participants"]) == 30
    for step in snap["steps"]:  # the follow-up plaat is filled with actions, the others with contributions
        filled = snap["actions"] if of_step(step).layout == "actions" else [
            c for c in snap["contributions"] if c["step_id"] == step["id"]]
        assert filled, step["werkvorm"]
    praat = next(s for s in snap["steps"] if s["werkvorm"] == "praatplaat")
    assert praat["revealed"]
    voted = {v["step_id"] for v in snap["votes"]}
    assert voted and all(not s["voting_open"] for s in snap["steps"] if s["id"] in voted)
    assert snap["actions"]


def test_screen_and_pdf_share_colours_and_short_labels_and_the_pdf_keeps_remarks_private(demo_snap):
    """One palette and one set of short labels for screen and report; a praatplaat remark in the shared PDF
    carries the kind of organisation, never the name (the phone promises private answers)."""
    from exports import palette
    from messages import ORG_SHORT, ORG_TYPES
    from ui import charts

    for org in ORG_TYPES:
        assert pdf.ORG_COLOURS[org] == palette.rgb(charts.STYLE[org]["color"])
    assert charts._series_name("bedrijfsleven", [2]).startswith(ORG_SHORT["bedrijfsleven"])
    text = norm(pdf_text(pdf.build_pdf(demo_snap)))
    people = {p["id"]: p for p in demo_snap["participants"]}
    remarks = [c for c in demo_snap["contributions"] if c["kind"] == "text" and c["text"] and not c["hidden"]]
    assert remarks
    for remark in remarks:
        person = people[remark["participant_id"]]
        assert norm(f"{person['name']}, {ORG_SHORT[person['org_type']]}") not in text


# ------------------------------------------------- issue 14: no orphan page, no pointer section
def test_no_page_of_the_report_holds_only_a_few_overflow_lines():
    """The demo of 8 (seed 1) used to end its praatplaat with a page of two remarks: a step's last
    page that holds only a few lines is drawn a little tighter, so they come back onto the page before."""
    data = pdf.build_pdf(backup.read_snapshot(backup.to_json(demo.plan(8, seed=1))))
    pages = pypdf.PdfReader(io.BytesIO(data)).pages
    for number, page in enumerate(pages[2:-1], start=3):  # after the summary and cover, before the last
        lines = [line for line in (page.extract_text() or "").splitlines() if line.strip()]
        assert len(lines) - 2 >= 4, (number, lines)  # without the running header and the footer


def test_the_follow_up_step_shows_the_agreements_itself():
    """The follow-up step's section held one line pointing to a list further on; now it holds the list
    (and the report has no second copy of it)."""
    snap = backup.read_snapshot(backup.to_json(demo.plan(6, seed=2)))
    text = pdf_text(pdf.build_pdf(snap))
    start, end = text.index(t("pdf.step_heading", n=3, title="Vervolgplaat")), text.index("Stap 4:")
    section = norm(text[start:end])
    for action in (a for a in snap["actions"] if not a["deleted"]):
        assert norm(action["what"])[:20] in section, action["what"]
    assert norm(t("pdf.actions.title")) not in norm(text[end:])  # no separate chapter repeating them
