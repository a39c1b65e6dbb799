"""The workshop as tables: Excel (one sheet per werkvorm step, plus participants, actions, votes)
and a zip of CSV files with the same tables. Imports no streamlit.

* Anonymous workshops, and workshops with a confidential step (intervision): no names
  anywhere, and no participant numbers on notes, answers and votes (so rows cannot be
  linked to one person).
* Formula injection: a text cell that starts with ``=``, ``+``, ``-``, ``@`` (or a
  tab or carriage return) is prefixed with an apostrophe, so that Excel,
  LibreOffice and Google Sheets show it as text instead of running it.
* Characters that Excel files cannot hold (control characters) are removed, and
  a text longer than Excel's 32,767 characters is cut with a visible note (the
  JSON backup keeps it whole).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pandas as pd

from canvas_models.spec import of_step
import layouts
from exports.snapshot import confidential_steps, parse_date, participants_by_id, step_rows, vote_counts
from messages import ORG_TYPES, t

EXCEL_MAX = 32_767
#: Characters an xlsx (XML 1.0) cannot hold: C0 controls and the noncharacters U+FFFE/U+FFFF (openpyxl
#: refuses the latter when it writes with lxml, which python-docx brings along).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_RISKY_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any, *, limit: int | None = EXCEL_MAX) -> Any:
    """A cell value that a spreadsheet shows as plain text (see the module docstring)."""
    if not isinstance(value, str):
        return value
    text = _ILLEGAL.sub("", value)
    if text.startswith(_RISKY_START):
        text = "'" + text
    if limit is not None and len(text) > limit:
        note = " " + t("table.cut", count=len(text) - (limit - 200))
        text = text[: limit - 200] + note
    return text


def frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    """A DataFrame whose texts can be stored anywhere: lone surrogates (invalid UTF-16 halves that
    can come from a hand-made JSON file) become U+FFFD, control characters are dropped."""
    for row in rows:
        for key, value in row.items():
            if isinstance(value, str):
                row[key] = _ILLEGAL.sub("", _SURROGATE.sub("\ufffd", value))
    return pd.DataFrame(rows, columns=columns)


def yes(value: Any) -> str:
    return t("table.yes") if value else t("table.no")


def org_name(code: str | None) -> str:
    return ORG_TYPES.get(code or "overig", code or "")


def time_text(value: Any) -> str:
    if not value:
        return ""
    try:
        return datetime.fromisoformat(str(value)).strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return str(value)


def _shorten(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters, cut between words with '…' where it is too long."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 3:]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" .,-") + "…"


def _sheet_name(text: str, taken: set[str]) -> str:
    """A valid, unique Excel sheet name (at most 31 characters), cut between words."""
    full = " ".join(re.sub(r"[\[\]:*?/\\]", " ", text).split()).strip("'") or "Blad"
    name, n = _shorten(full, 31), 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name = _shorten(full, 31 - len(suffix)) + suffix
        n += 1
    taken.add(name.lower())
    return name


@dataclass
class SheetContext:
    """What a layout's ``sheet(ctx, step)`` needs (see ``layouts/*/report.py``)."""

    snap: dict
    #: Column names by key (``table.col.<key>``).
    col: dict[str, str]
    #: Participant id -> the number it has in every sheet.
    number: dict[int, int]
    anonymous: bool
    #: This workshop's actions (the "Acties" table), for a layout that holds them.
    actions: pd.DataFrame
    #: Note id -> its number across the workbook, filled as the note sheets are made (the dots sheet
    #: refers to notes by it).
    note_numbers: dict[int, int] = field(default_factory=dict)

    @staticmethod
    def titles(step: dict) -> dict[str, str]:
        """Section key -> title of a step."""
        return {s["key"]: s["title"] for s in step.get("sections") or []}


def tables(snap: dict) -> dict[str, pd.DataFrame]:
    """Every table of the export, by sheet name, in sheet order (values not yet made safe)."""
    confidential = confidential_steps(snap)
    # A workshop with a confidential step (intervision) names nobody, as its PDF: its tables are an
    # anonymous workshop's (no names, no participant numbers that link rows to one person).
    anonymous = bool((snap.get("workshop") or {}).get("anonymous")) or bool(confidential)
    people = participants_by_id(snap)
    number = {pid: i + 1 for i, pid in enumerate(sorted(people))}
    taken: set[str] = set()
    out: dict[str, pd.DataFrame] = {}

    col = {k: t(f"table.col.{k}") for k in (
        "nr", "name", "org", "ready", "participant", "section", "text", "cluster", "tags", "dots", "hidden",
        "merged", "time", "aspect", "score", "goed", "beter", "what", "owner", "partner", "due", "status",
        "link", "confirmed", "review", "proposer", "source", "step", "target_type", "target_nr", "workshop")}

    # -- participants
    rows = []
    steps = sorted(snap.get("steps", []), key=lambda s: s.get("position", 0))
    for pid in sorted(people):
        p = people[pid]
        row = {col["nr"]: number[pid]}
        if not anonymous:
            row[col["name"]] = p.get("name") or ""
        row[col["org"]] = org_name(p.get("org_type"))
        ready = p.get("ready_step")
        row[col["ready"]] = ready + 1 if isinstance(ready, int) else None
        rows.append(row)
    out[_sheet_name(t("table.sheet.participants"), taken)] = frame(
        rows, columns=[c for c in (col["nr"], None if anonymous else col["name"], col["org"], col["ready"]) if c])

    # -- the workshop's actions: in the sheet of a step that holds them when there is one, else their own
    actions = _actions(snap, col, number, anonymous)
    holds_actions = any("action" in of_step(s).kinds for s in steps)

    # -- one sheet per step, drawn by its layout
    ctx = SheetContext(snap, col, number, anonymous, actions)
    for n, step in enumerate(steps, start=1):
        key = step.get("werkvorm")
        name = _sheet_name(t("table.sheet.step", n=n, title=step.get("title", key)), taken)
        out[name] = layouts.of(step).report.sheet(ctx, step)
    note_numbers = ctx.note_numbers

    if not holds_actions:
        out[_sheet_name(t("table.sheet.actions"), taken)] = actions

    # -- votes
    step_no = {s["id"]: i for i, s in enumerate(steps, start=1)}
    cluster_name = {c["id"]: c["name"] for c in snap.get("clusters", [])}
    note_text = {c["id"]: c["text"] for c in snap.get("contributions", [])}
    rows = []
    for v in snap.get("votes", []):
        if v["step_id"] in confidential:  # intervision: who chose which case or advice stays in the room
            continue
        is_note = v["target_type"] == "note"
        row = {col["step"]: step_no.get(v["step_id"]),
               col["target_type"]: t("table.target.note") if is_note else t("table.target.cluster"),
               col["target_nr"]: note_numbers.get(v["target_id"]) if is_note else None,
               col["text"]: note_text.get(v["target_id"], "") if is_note else cluster_name.get(v["target_id"], "")}
        if not anonymous:
            row[col["participant"]] = number.get(v["participant_id"])
        row[col["org"]] = org_name((people.get(v["participant_id"]) or {}).get("org_type"))
        row[col["time"]] = time_text(v.get("created_at"))
        rows.append(row)
    columns = [col["step"], col["target_type"], col["target_nr"], col["text"]]
    columns += ([] if anonymous else [col["participant"]]) + [col["org"], col["time"]]
    out[_sheet_name(t("table.sheet.votes"), taken)] = frame(rows, columns)
    return out


def _actions(snap, col, number, anonymous) -> pd.DataFrame:
    """This workshop's actions (agreements), in the order they were made."""
    rows = []
    for i, a in enumerate(a for a in snap.get("actions", []) if not a.get("deleted")):
        row = {col["nr"]: i + 1, col["what"]: a.get("what", ""), col["owner"]: a.get("owner", ""),
               col["partner"]: a.get("partner", ""), col["due"]: parse_date(a.get("due")),
               col["status"]: a.get("status", ""), col["link"]: a.get("link", ""),
               col["confirmed"]: yes(a.get("confirmed")), col["review"]: a.get("review_note", "")}
        if not anonymous:
            row[col["proposer"]] = number.get(a.get("proposed_by"))
        row[col["source"]] = a.get("source", "")
        row[col["time"]] = time_text(a.get("created_at"))
        rows.append(row)
    columns = [col[k] for k in ("nr", "what", "owner", "partner", "due", "status", "link", "confirmed", "review")]
    columns += ([] if anonymous else [col["proposer"]]) + [col["source"], col["time"]]
    return frame(rows, columns)


def notes_sheet(ctx: SheetContext, step: dict) -> pd.DataFrame:
    """One row per note (hidden and merged ones too, marked): its block or stage, text, cluster when
    the werkvorm clusters (or has clusters), tags when it has a tag vocabulary (or tagged notes)."""
    col, snap = ctx.col, ctx.snap
    werkvorm = of_step(step)
    titles = ctx.titles(step)
    note_numbers = ctx.note_numbers
    rows = []
    votes = vote_counts(snap, step["id"], "note")
    clusters = {c["id"]: c["name"] for c in snap.get("clusters", []) if c["step_id"] == step["id"]}
    notes = step_rows(snap, step["id"], kinds=("note", "tagged_note"))
    with_clusters = werkvorm.clusters or bool(clusters)
    with_tags = bool(werkvorm.tags) or any(r.get("tags") for r in notes)
    for row in notes:
        note_numbers[row["id"]] = len(note_numbers) + 1
    for row in notes:
        out = {col["nr"]: note_numbers[row["id"]], col["section"]: titles.get(row["section"], row["section"]),
               col["text"]: row["text"]}
        if with_clusters:
            out[col["cluster"]] = clusters.get(row.get("cluster_id"), "")
        if with_tags:
            out[col["tags"]] = ", ".join(row.get("tags") or [])
        out[col["dots"]] = votes.get(row["id"], 0)
        out[col["hidden"]] = yes(row.get("hidden"))
        out[col["merged"]] = note_numbers.get(row.get("merged_into"))
        if not ctx.anonymous:
            out[col["participant"]] = ctx.number.get(row.get("participant_id"))
            out[col["name"]] = row.get("name") or ""
        out[col["org"]] = org_name(row.get("org_type"))
        out[col["time"]] = time_text(row.get("created_at"))
        rows.append(out)
    columns = [col["nr"], col["section"], col["text"]]
    if with_clusters:
        columns.append(col["cluster"])
    if with_tags:
        columns.append(col["tags"])
    columns += [col["dots"], col["hidden"], col["merged"]]
    columns += ([] if ctx.anonymous else [col["participant"], col["name"]]) + [col["org"], col["time"]]
    return frame(rows, columns)


def _whole_numbers(values: pd.Series) -> bool:
    """True for a column of whole numbers with gaps (float64 with NaN, or objects mixing ints and None)."""
    present = values.dropna()
    if values.dtype == object:
        if len(present) == 0 or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
            return False
    elif not pd.api.types.is_float_dtype(values):
        return False
    return bool(present.map(lambda v: float(v).is_integer()).all())


def _safe_frame(frame: pd.DataFrame, limit: int | None) -> pd.DataFrame:
    """Texts made safe (see :func:`safe_cell`); whole numbers stay whole where a column has gaps (pandas
    would store 1 beside an empty cell as 1.0, and the CSV would say "1.0")."""
    frame = frame.copy()
    for name in frame.columns:
        if _whole_numbers(frame[name]):
            frame[name] = frame[name].astype("Float64").astype("Int64")
        if frame[name].dtype == object or pd.api.types.is_string_dtype(frame[name]):
            frame[name] = frame[name].map(lambda v: safe_cell(v, limit=limit))
    return frame


def to_xlsx(snap: dict) -> bytes:
    """All tables as one Excel workbook."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in tables(snap).items():
            safe = _safe_frame(frame, EXCEL_MAX)
            safe.to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            for i, column in enumerate(safe.columns, start=1):
                longest = max([len(str(column))] + [min(len(str(v)), 60) for v in safe[column].head(500)])
                sheet.column_dimensions[sheet.cell(row=1, column=i).column_letter].width = min(max(8, longest + 2), 62)
            sheet.freeze_panes = "A2"
    return buffer.getvalue()


def to_csv_zip(snap: dict) -> bytes:
    """All tables as CSV files (UTF-8 with BOM, so Excel reads the accents) in one zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for i, (name, frame) in enumerate(tables(snap).items(), start=1):
            safe = _safe_frame(frame, None)
            text = safe.to_csv(index=False, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
            filename = f"{i:02d} {re.sub(r'[^0-9A-Za-zÀ-ÿ .()_-]+', '_', name).strip()}.csv"
            archive.writestr(filename, ("\ufeff" + text).encode("utf-8"))
    return buffer.getvalue()
