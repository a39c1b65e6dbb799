"""A partnership over time (issue 15): praatplaat trend, follow-through, the voortgangsverslag PDF, the
one-page summary that opens the report (and is the participants' download), and the Word minutes.

The history is five demo workshops (exports.demo, different seeds and dates) in which the aspect
"relatie" and every action are replaced by figures set here, so the expected results are known.
"""

from __future__ import annotations

import io
import json
import random
import subprocess
import sys
from datetime import date, datetime, timezone
from pathlib import Path

import docx
import pypdf
import pytest

from canvas_models.spec import of_step

from exports import backup, demo, minutes, pdf, progress
from exports.summary import summarize
from messages import number, plural, signed_number, t
from test_exports import assert_in_pdf, norm, pdf_text

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 12, 1)
DATES = [date(2026, 1, 15), date(2026, 3, 15), date(2026, 5, 15), date(2026, 7, 15), date(2026, 9, 15)]
#: Scores on "relatie" per workshop as (org type, score); None: nobody scored it in that workshop.
RELATIE = [
    [("mbo", 2), ("mbo", 2), ("bedrijfsleven", 2), ("bedrijfsleven", 2), ("po", 2)],  # 2,0
    [("mbo", 2), ("mbo", 2), ("bedrijfsleven", 2), ("bedrijfsleven", 2), ("po", 2)],  # 2,0
    None,
    [("mbo", 2), ("mbo", 2), ("bedrijfsleven", 3), ("bedrijfsleven", 3), ("po", 3)],  # 2,6
    [("mbo", 4), ("mbo", 4), ("bedrijfsleven", 3), ("bedrijfsleven", 3), ("po", 3)],  # 3,4
]


def _stamp(day: str) -> str:
    return f"{day}T10:00:00+00:00"


def _action(i: int, what: str, owner: str, partner: str, due: str | None, status: str, *, created: str,
            updated: str, confirmed: bool = True, deleted: bool = False, merged_into=None) -> dict:
    return {"id": i, "what": what, "owner": owner, "partner": partner, "due": due, "status": status,
            "link": "", "confirmed": confirmed, "proposed_by": None, "source": "", "merged_into": merged_into,
            "deleted": deleted, "review_note": "", "created_at": _stamp(created), "updated_at": _stamp(updated)}


#: Per workshop its actions; the comment says what each is on AS_OF.
ACTIONS = [
    [_action(1, "Actie A stagebank", "Jan", "ROC van Twente", "2026-03-01", "klaar",  # done on time
             created="2026-01-15", updated="2026-02-20"),
     _action(2, "Actie B convenant", " jan ", "Gemeente Enschede", "2026-02-01", "klaar",  # done late
             created="2026-01-15", updated="2026-03-10")],
    [_action(1, "Actie C techniekdag", "Priya", "ROC van Twente", "2026-06-01", "open",  # dropped
             created="2026-03-15", updated="2026-04-01", deleted=True),
     _action(2, "Actie D voorstel", "Priya", "", "2026-06-01", "open",  # a proposal: no agreement
             created="2026-03-15", updated="2026-03-15", confirmed=False)],
    [_action(1, "Actie E werving", "Priya", "Pabo Saxion", "2026-10-01", "bezig",  # overdue
             created="2026-05-15", updated="2026-06-01")],
    [_action(1, "Actie F leerlijn", "Jan", "Pabo Saxion", "2027-01-10", "open",  # open
             created="2026-07-15", updated="2026-07-15"),
     _action(2, "Actie G dubbel", "Jan", "", "2027-01-10", "open",  # merged into F: not counted
             created="2026-07-15", updated="2026-07-15", deleted=True, merged_into=1)],
    [_action(1, "Actie H subsidie", "", "", "2026-11-01", "klaar",  # done after AS_OF, due before: overdue
             created="2026-09-15", updated="2026-12-15"),
     _action(2, "Actie J nieuwsbrief", "Secretariaat", "Techniek Nederland", None, "open",  # open
             created="2026-09-15", updated="2026-09-15"),
     _action(3, "Actie K later", "Jan", "", "2027-03-01", "open",  # made after AS_OF
             created="2026-12-10", updated="2026-12-10")],
]


def _put_relatie(snap: dict, scores) -> None:
    """Replace every score on "relatie" by ``scores``, given by new participants of those org types."""
    step = next(s for s in snap["steps"] if s["werkvorm"] == "praatplaat")
    snap["contributions"] = [c for c in snap["contributions"] if not (
        c["step_id"] == step["id"] and c["section"] == "relatie" and c["kind"] == "score")]
    next_person = max(p["id"] for p in snap["participants"]) + 1
    next_row = max(c["id"] for c in snap["contributions"]) + 1
    for org, score in scores or ():
        snap["participants"].append({"id": next_person, "name": "", "org_type": org, "ready_step": None})
        snap["contributions"].append({
            "id": next_row, "step_id": step["id"], "participant_id": next_person, "section": "relatie",
            "field": "score", "kind": "score", "text": "", "score": score, "tags": [], "cluster_id": None,
            "merged_into": None, "hidden": False, "latest": True, "created_at": None})
        next_person += 1
        next_row += 1


def make_history() -> list[dict]:
    snaps = []
    for i, day in enumerate(DATES):
        start = datetime(day.year, day.month, day.day, 9, 30, tzinfo=timezone.utc)
        plan = demo.plan(8 + 2 * i, seed=20 + i, start=start)
        plan["workshop"]["title"] = f"Werksessie {i + 1}"
        plan["workshop"]["partnership"] = "Regio Twente"
        _put_relatie(plan, RELATIE[i])
        plan["actions"] = [dict(a) for a in ACTIONS[i]]
        snaps.append(backup.read_snapshot(backup.to_json(plan)))
    return snaps


@pytest.fixture(scope="module")
def history() -> list[dict]:
    snaps = make_history()
    shuffled = snaps[:]
    random.Random(4).shuffle(shuffled)
    assert progress.in_date_order(shuffled) == snaps
    return snaps


# --------------------------------------------------------------- the figures
def test_numbers_and_plurals_are_dutch():
    assert number(2.6) == "2,6" and number(None) == "-"
    assert signed_number(0.8) == "+0,8" and signed_number(-0.04) == "0,0" and signed_number(-0.3) == "-0,3"
    assert plural("n.notes", 1) == "1 briefje" and plural("n.notes", 2) == "2 briefjes"
    assert plural("n.dots", 1) == "1 stip" and plural("n.dots", 0) == "0 stippen"
    assert plural("n.agreements", 1) == "1 afspraak" and plural("n.participants", 3) == "3 deelnemers"


def test_trend_per_aspect_and_org_type(history):
    trend = progress.praat_trend(history)
    assert [w.title for w in trend.workshops] == [f"Werksessie {i}" for i in range(1, 6)]
    relatie = trend.aspect("relatie")
    assert relatie.title == "Relatie"
    assert [None if v is None else round(v, 6) for v in relatie.overall] == [2.0, 2.0, None, 2.6, 3.4]
    assert relatie.n == (5, 5, 0, 5, 5)
    assert relatie.org("mbo") == (2.0, 2.0, None, 2.0, 4.0)
    assert relatie.org("bedrijfsleven") == (2.0, 2.0, None, 3.0, 3.0)
    assert relatie.org("gemeente") == (None,) * 5  # nobody of a gemeente scored it
    change = relatie.change()
    assert change.text == "Relatie: 2,6 → 3,4" and change.text_with_delta == "Relatie: 2,6 → 3,4 (+0,8)"
    assert relatie.change("mbo").text == "Relatie (Mbo): 2,0 → 4,0"
    assert relatie.change("bedrijfsleven").delta == 0
    # the other aspects come from the demo: every workshop scored them
    assert {a.key for a in trend.aspects} >= {"ambitie", "belangen", "relatie", "organisatie", "proces"}
    assert all(v is not None for a in trend.aspects if a.key != "relatie" for v in a.overall)
    assert "Relatie: 2,6 → 3,4" in [c.text for c in trend.changes()]


def test_a_missing_score_compares_with_the_last_workshop_that_had_one(history):
    shorter = history[:4]  # the newest is workshop 4 (2,6); workshop 3 had no scores: compare with 2
    assert progress.praat_trend(shorter).aspect("relatie").change().text == "Relatie: 2,0 → 2,6"
    assert progress.praat_trend(history[:3]).aspect("relatie").change() is None  # newest has nothing
    assert progress.praat_trend(history[:1]).changes() == []  # one workshop: nothing to compare


def test_follow_through_as_of_a_date(history):
    result = progress.follow_through(history, AS_OF)
    assert result.total == progress.Counts(made=7, on_time=1, late=1, dropped=1, open=2, overdue=2)
    states = {a.what.split()[1]: a.state for a in result.agreements}
    assert states == {"A": "on_time", "B": "late", "C": "dropped", "E": "overdue", "F": "open", "H": "overdue",
                      "J": "open"}
    owners = dict(result.by_owner)
    assert owners["Jan"] == progress.Counts(made=3, on_time=1, late=1, open=1)  # "Jan" and " jan " are one
    assert owners["Priya"] == progress.Counts(made=2, dropped=1, overdue=1)
    assert owners["(niemand genoemd)"] == progress.Counts(made=1, overdue=1)
    assert result.by_owner[0][0] == "Jan"  # most agreements first
    partners = dict(result.by_partner)
    assert partners["ROC van Twente"] == progress.Counts(made=2, on_time=1, dropped=1)
    assert partners["Pabo Saxion"] == progress.Counts(made=2, open=1, overdue=1)
    assert [a.what for a in result.still_open] == ["Actie E werving", "Actie H subsidie", "Actie F leerlijn",
                                                   "Actie J nieuwsbrief"]
    later = progress.follow_through(history, date(2026, 12, 31))
    assert later.total == progress.Counts(made=8, on_time=1, late=2, dropped=1, open=3, overdue=1)
    before = progress.follow_through(history, date(2026, 2, 25))  # only workshop 1's agreements exist
    assert before.total == progress.Counts(made=2, on_time=1, overdue=1)


# ---------------------------------------------------------------- the PDFs
def test_voortgangsverslag_holds_trend_follow_through_and_open_agreements(history):
    data = progress.build_progress_pdf(history, AS_OF)
    text = pdf_text(data)
    flat = norm(text)
    assert norm("Voortgangsverslag") in flat and norm("Regio Twente") in flat
    assert norm("Stand van zaken op 1 december 2026, over 5 workshops.") in flat
    assert norm("Relatie: 2,6 → 3,4 (+0,8)") in flat
    assert norm("Relatie 2,0 (n=5) 2,0 (n=5) - 2,6 (n=5) 3,4 (n=5)") in flat  # the trend table
    assert norm("7 afspraken gemaakt. Op 1 december 2026: 1 op tijd klaar, 1 te laat klaar, 1 vervallen, "
                "2 nog open en 2 over de datum.") in flat
    assert norm("Jan 3 1 1 0 1 0") in flat and norm("Priya 2 0 0 1 0 1") in flat  # per owner
    assert norm("ROC van Twente 2 1 0 1 0 0") in flat  # per partner
    for what, owner, partner, due in (("Actie E werving (datum verstreken)", "Priya", "Pabo Saxion",
                                       "1 oktober 2026 Werksessie 3"),
                                      ("Actie F leerlijn", "Jan", "Pabo Saxion", "10 januari 2027 Werksessie 4")):
        assert norm(f"{what} {owner} {partner} {due}") in flat
    assert norm("Actie C techniekdag") not in flat.split(norm("Openstaande afspraken"))[1]
    # the trend is drawn as vectors: one chart per aspect with its change, no images
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert not any(page.images for page in reader.pages)
    assert text.count("iedereen 3,4") >= 1  # the end label of the overall line on "relatie"


def test_summary_page_opens_the_report(history):
    newest, before = history[-1], history[-2]
    data = pdf.build_pdf(newest, previous=before)
    pages = pypdf.PdfReader(io.BytesIO(data)).pages
    first = norm(pages[0].extract_text())
    assert first.startswith(norm("Samenvatting voor de stuurgroep"))
    assert norm("Wat veranderde sinds de vorige keer") in first and norm("Relatie: 2,6 → 3,4 (+0,8)") in first
    summary = summarize(newest, before)
    for item in summary.top:  # the top clusters and their dots
        assert norm(f"{item.name}: {plural('n.dots', item.dots)}, {plural('n.notes', item.notes)}") in first
    assert summary.differences and norm(summary.differences[0].title) in first
    assert norm("Waar de perspectieven het meest verschillen") in first
    assert norm("Blinde vlekken in de gesprekskaart") in first
    assert norm("Actie J nieuwsbrief — Secretariaat, Techniek Nederland, uiterlijk zonder datum") in first
    assert norm("Actie H subsidie — (niemand genoemd), uiterlijk 1 november 2026") in first
    assert norm("Het volledige verslag volgt") in first
    assert norm("Verslag van de workshop") in norm(pages[1].extract_text())  # then the detail, from its cover
    # without a previous workshop there is no comparison
    alone = norm(pdf_text(pdf.build_summary_pdf(newest)))
    assert norm("Wat veranderde sinds de vorige keer") not in alone


def test_summary_names_the_grow_gaps():
    plan = demo.plan(6, seed=2)
    grow = next(s for s in plan["steps"] if s["werkvorm"] == "grow")
    for row in plan["contributions"]:
        if row["step_id"] == grow["id"]:
            row["tags"] = [tag for tag in row["tags"] if tag != "werven"]
            if row["section"] != "goal":
                row["tags"] = [tag for tag in row["tags"] if tag != "opleiden"]
            elif "opleiden" not in row["tags"]:
                row["tags"].append("opleiden")
    snap = backup.read_snapshot(backup.to_json(plan))
    gaps = {g.function: g.stages for g in summarize(snap).gaps}
    assert gaps["werven"] == ()
    assert gaps["opleiden"] == ("Reality", "Options", "Way forward")
    text = norm(pdf_text(pdf.build_summary_pdf(snap)))
    assert norm("Werven: nog niets over gezegd") in text
    assert norm("Opleiden: niets bij Reality, Options, Way forward") in text


def test_summary_is_one_page_even_for_200_participants():
    snap = backup.read_snapshot(backup.to_json(demo.plan(200, seed=1)))
    data = pdf.build_summary_pdf(snap)
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    text = norm(reader.pages[0].extract_text())
    live = [a for a in snap["actions"] if not a["deleted"]]
    shown = sum(1 for line in reader.pages[0].extract_text().splitlines() if "— " in line)
    assert 10 < shown < len(live)
    assert norm(plural("summary.more_agreements", len(live) - shown)) in text


def test_participants_summary_keeps_the_anonymity_of_the_report():
    plan = demo.plan(20, seed=9, anonymous=True)
    snap = backup.read_snapshot(backup.to_json(plan))
    names = [p["name"] for p in snap["participants"] if p["name"]]
    assert names
    summary_text = norm(pdf_text(pdf.build_summary_pdf(snap)))
    words = _docx_text(minutes.build_docx(snap))
    for name in names:
        assert norm(name) not in summary_text, name
        assert name not in words, name
    # and no remark of the praatplaat: those are in the full report only
    remark = next(c["text"] for c in snap["contributions"] if c["field"] == "beter" and c["text"])
    assert norm(remark) not in summary_text and remark not in words


# ------------------------------------------------------------------ Word
def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_minutes_hold_the_summary_and_every_agreement(history):
    newest, before = history[-1], history[-2]
    data = minutes.build_docx(newest, before)
    assert data[:2] == b"PK"
    document = docx.Document(io.BytesIO(data))
    text = _docx_text(data)
    assert document.core_properties.title == "Werksessie 5"
    assert "Relatie: 2,6 → 3,4 (+0,8)" in text
    assert "Waar de perspectieven het meest verschillen" in text
    for item in summarize(newest).top:
        assert f"{item.name}: {plural('n.dots', item.dots)}" in text
    # (the steps' sections come first: the praatplaat's table of means)
    table = next(tb for tb in document.tables if tb.rows[0].cells[0].text == "Wat")
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["Wat", "Wie", "Partner", "Uiterlijk", "Status"]
    assert ["Actie J nieuwsbrief", "Secretariaat", "Techniek Nederland", "-", "open"] in rows
    assert ["Actie K later", "Jan", "-", "1 maart 2027", "open"] in rows
    assert ["Actie H subsidie", "-", "-", "1 november 2026", "klaar"] in rows


def test_hostile_text_survives_in_minutes_and_summary(history):
    from hostile import HOSTILE
    from workshop.errors import UserError
    from workshop.text import clean

    stored = []
    for raw in HOSTILE.values():
        try:
            stored.append(clean(raw, limit=200_000, label="x", multiline=True))
        except UserError:
            continue  # refused at input: never stored
    snap = json.loads(json.dumps(history[-1]))
    snap["actions"] = [_action(i + 1, text, text[:100], text[:50], "2026-10-01", "open", created="2026-09-15",
                               updated="2026-09-15") for i, text in enumerate(stored)]
    words = _docx_text(minutes.build_docx(snap))
    for text in stored:
        assert minutes._text(text) in words, text[:40]
    assert "<script>alert('xss')</script>" in words and "[klik](javascript:alert(1))" in "".join(words.split())

    probe = pdf.Report("probe")
    brainstorm = next(s for s in snap["steps"] if s["werkvorm"] == "brainstorm")
    # the summary's top clusters come from every clustered step: keep the brainstorm's alone
    snap["clusters"] = [c for c in snap["clusters"] if c["step_id"] == brainstorm["id"]]
    short = [text for text in stored if len(text) <= 90 and text.strip()]
    for start in range(0, len(short), 5):  # five at a time as the names of the top clusters
        batch = short[start:start + 5]
        for cluster, text in zip([c for c in snap["clusters"] if c["step_id"] == brainstorm["id"]], batch):
            cluster["name"] = text
        page = norm(pdf_text(pdf.build_summary_pdf(snap)))
        for text in batch:
            assert_in_pdf(probe.prep(text), page, "hostile cluster name")


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "exports", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def test_cli_writes_the_minutes_and_the_voortgangsverslag(tmp_path):
    paths = []
    for i, snap in enumerate(make_history()):
        path = tmp_path / f"w{i}.json"
        path.write_bytes(backup.to_json(snap))
        paths.append(str(path))
    out = tmp_path / "notulen.docx"
    run = _cli(paths[-1], "--docx", str(out))
    assert run.returncode == 0, run.stderr
    assert "Actie J nieuwsbrief" in _docx_text(out.read_bytes())

    report = tmp_path / "voortgang.pdf"
    run = _cli(*reversed(paths), "--voortgang", str(report), "--per", "2026-12-01")  # any order: sorted by date
    assert run.returncode == 0, run.stderr
    text = norm(pdf_text(report.read_bytes()))
    assert norm("Relatie: 2,6 → 3,4 (+0,8)") in text and norm("7 afspraken gemaakt. Op 1 december 2026") in text

    for args, message in (((*paths[:2], "--pdf", str(tmp_path / "x.pdf")), "cli.many_backups"),
                          ((*paths, "--voortgang", str(report), "--per", "1-12-2026"), "cli.bad_as_of"),
                          ((paths[0], "--voortgang", str(report), "--docx", str(out)), "cli.progress_only")):
        run = _cli(*args)
        assert run.returncode == 2 and run.stderr.strip() == t(message), run.stderr


def test_counts_in_the_report_use_dutch_singulars():
    plan = demo.plan(1, seed=1)
    steps = {s["werkvorm"]: s for s in plan["steps"]}
    note = next(c for c in plan["contributions"] if c["step_id"] == steps["brainstorm"]["id"])
    plan["contributions"] = [c for c in plan["contributions"] if c["step_id"] != steps["brainstorm"]["id"]
                             or c is note]
    plan["votes"] = [{"id": 1, "step_id": note["step_id"], "participant_id": 1, "target_type": "note",
                      "target_id": note["id"], "created_at": None}]
    plan["actions"] = [_action(1, "Eén afspraak", "Jan", "", "2026-05-01", "open", created="2026-03-12",
                               updated="2026-03-12")]
    snap = backup.read_snapshot(backup.to_json(plan))
    text = norm(pdf_text(pdf.build_pdf(snap)))
    for phrase in ("1 briefje van 1 deelnemer, 5 clusters, 1 stip.", f"{note['text']} (1 stip)",
                   "1 deelnemer vulde de praatplaat in", "1 afspraak, waarvan 1 bevestigd"):
        assert norm(phrase) in text, phrase
    assert norm("1 briefjes") not in text and norm("1 stippen") not in text
    # Without a step of actions (follow-up plaat, regioplan activities) the actions get a chapter of their own, which counts them too.
    plan["steps"] = [s for s in plan["steps"] if of_step(s).layout != "actions"]
    for i, step in enumerate(plan["steps"]):
        step["position"] = i
    plan["workshop"]["current_step"] = 0
    text = norm(pdf_text(pdf.build_pdf(backup.read_snapshot(backup.to_json(plan)))))
    assert norm("1 actie, op volgorde") in text


def test_trend_chart_for_the_screen(history):
    from ui.charts import OVERALL, STYLE, praatplaat_trend_chart

    trend = progress.praat_trend(history)
    relatie = trend.aspect("relatie")
    fig = praatplaat_trend_chart(relatie, trend.workshops)
    assert fig.layout.title.text == "Relatie: 2,6 → 3,4 (+0,8)"
    names = [trace.name for trace in fig.data]
    assert names == ["Alle deelnemers", "Primair onderwijs (po)", "Mbo", "Bedrijfsleven"]
    overall = fig.data[0]
    assert list(overall.x) == ["15-1-2026", "15-3-2026", "15-5-2026", "15-7-2026", "15-9-2026"]
    assert [None if v is None else round(v, 6) for v in overall.y] == [2.0, 2.0, None, 2.6, 3.4]
    assert list(overall.text) == ["2,0", "2,0", "", "2,6", "3,4"] and overall.connectgaps is False
    # colour is not the only cue: each group keeps its own dash and marker, as on the praatplaat chart
    assert fig.data[2].line.dash == STYLE["mbo"]["dash"] and fig.data[2].marker.symbol == STYLE["mbo"]["symbol"]
    assert overall.line.dash == STYLE[OVERALL]["dash"]
    hostile = progress.AspectTrend("x", "<b>Relatie</b>", (None, 3.0), (0, 1), ())
    assert praatplaat_trend_chart(hostile, trend.workshops[:2]).layout.title.text == "&lt;b&gt;Relatie&lt;/b&gt;"


def test_hostile_text_survives_in_the_voortgangsverslag(history):
    from hostile import HOSTILE
    from workshop.errors import UserError
    from workshop.text import clean

    short = []
    for raw in HOSTILE.values():
        try:
            text = clean(raw, limit=300, label="x", multiline=True)
        except UserError:
            continue  # refused at input (too long for an action, or nothing left): never stored
        if len(text) <= 90:
            short.append(text)
    snaps = json.loads(json.dumps(history))
    snaps[-1]["actions"] = [_action(i + 1, text, "Jan", "", "2027-01-01", "open", created="2026-09-15",
                                    updated="2026-09-15") for i, text in enumerate(short)]
    snaps[-1]["workshop"]["title"] = HOSTILE["script_tag"]
    text = norm(pdf_text(progress.build_progress_pdf(snaps, AS_OF)))
    probe = pdf.Report("probe")
    assert len(short) > 30
    for value in short + [HOSTILE["script_tag"]]:
        assert_in_pdf(probe.prep(value), text, "hostile agreement")
