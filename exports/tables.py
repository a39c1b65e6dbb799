"""The workshop as tables: Excel (one sheet per werkvorm step, plus participants, actions, votes)
and a zip of CSV files with the same tables. Imports no streamlit.

* Anonymous workshops: no names anywhere, and no participant numbers on notes,
  answers and votes (so rows cannot be linked to one person).
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
from datetime import datetime
from typing import Any

import pandas as pd

import canvas_models
from exports.snapshot import parse_date, participants_by_id, step_rows, vote_counts
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


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    """A DataFrame whose texts can be stored anywhere: lone surrogates (invalid UTF-16 halves that
    can come from a hand-made JSON file) become U+FFFD, control characters are dropped."""
    for row in rows:
        for key, value in row.items():
            if isinstance(value, str):
                row[key] = _ILLEGAL.sub("", _SURROGATE.sub("\ufffd", value))
    return pd.DataFrame(rows, columns=columns)


def _yes(value: Any) -> str:
    return t("table.yes") if value else t("table.no")


def _org(code: str | None) -> str:
    return ORG_TYPES.get(code or "overig", code or "")


def _time(value: Any) -> str:
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


def tables(snap: dict) -> dict[str, pd.DataFrame]:
    """Every table of the export, by sheet name, in sheet order (values not yet made safe)."""
    anonymous = bool((snap.get("workshop") or {}).get("anonymous"))
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
        row[col["org"]] = _org(p.get("org_type"))
        ready = p.get("ready_step")
        row[col["ready"]] = ready + 1 if isinstance(ready, int) else None
        rows.append(row)
    out[_sheet_name(t("table.sheet.participants"), taken)] = _frame(
        rows, columns=[c for c in (col["nr"], None if anonymous else col["name"], col["org"], col["ready"]) if c])

    # -- the workshop's actions: in the follow-up step's sheet when there is one, else a sheet of their own
    actions = _actions(snap, col, number, anonymous)
    has_followup = any(_layout(s) == "actions" for s in steps)

    # -- one sheet per step
    note_numbers: dict[int, int] = {}
    for n, step in enumerate(steps, start=1):
        key = step.get("werkvorm")
        layout = _layout(step)
        titles = {s["key"]: s["title"] for s in step.get("sections") or []}
        name = _sheet_name(t("table.sheet.step", n=n, title=step.get("title", key)), taken)
        if layout == "scores":
            out[name] = _praatplaat(snap, step, titles, col, number, anonymous)
        elif layout == "actions":
            out[name] = _followup(snap, col, actions)
        elif layout == "choices":
            from types import SimpleNamespace

            from layouts.choices.report import sheet
            out[name] = sheet(SimpleNamespace(snap=snap, number=number, anonymous=anonymous), step)
        else:
            out[name] = _notes(snap, step, titles, col, number, anonymous, layout, note_numbers)

    if not has_followup:
        out[_sheet_name(t("table.sheet.actions"), taken)] = actions

    # -- votes
    step_no = {s["id"]: i for i, s in enumerate(steps, start=1)}
    cluster_name = {c["id"]: c["name"] for c in snap.get("clusters", [])}
    note_text = {c["id"]: c["text"] for c in snap.get("contributions", [])}
    rows = []
    for v in snap.get("votes", []):
        is_note = v["target_type"] == "note"
        row = {col["step"]: step_no.get(v["step_id"]),
               col["target_type"]: t("table.target.note") if is_note else t("table.target.cluster"),
               col["target_nr"]: note_numbers.get(v["target_id"]) if is_note else None,
               col["text"]: note_text.get(v["target_id"], "") if is_note else cluster_name.get(v["target_id"], "")}
        if not anonymous:
            row[col["participant"]] = number.get(v["participant_id"])
        row[col["org"]] = _org((people.get(v["participant_id"]) or {}).get("org_type"))
        row[col["time"]] = _time(v.get("created_at"))
        rows.append(row)
    columns = [col["step"], col["target_type"], col["target_nr"], col["text"]]
    columns += ([] if anonymous else [col["participant"]]) + [col["org"], col["time"]]
    out[_sheet_name(t("table.sheet.votes"), taken)] = _frame(rows, columns)
    return out


def _layout(step: dict) -> str:
    key = step.get("werkvorm")
    return canvas_models.REGISTRY[key].layout if key in canvas_models.REGISTRY else "wall"


def _actions(snap, col, number, anonymous) -> pd.DataFrame:
    """This workshop's actions (agreements), in the order they were made."""
    rows = []
    for i, a in enumerate(a for a in snap.get("actions", []) if not a.get("deleted")):
        row = {col["nr"]: i + 1, col["what"]: a.get("what", ""), col["owner"]: a.get("owner", ""),
               col["partner"]: a.get("partner", ""), col["due"]: parse_date(a.get("due")),
               col["status"]: a.get("status", ""), col["link"]: a.get("link", ""),
               col["confirmed"]: _yes(a.get("confirmed")), col["review"]: a.get("review_note", "")}
        if not anonymous:
            row[col["proposer"]] = number.get(a.get("proposed_by"))
        row[col["source"]] = a.get("source", "")
        row[col["time"]] = _time(a.get("created_at"))
        rows.append(row)
    columns = [col[k] for k in ("nr", "what", "owner", "partner", "due", "status", "link", "confirmed", "review")]
    columns += ([] if anonymous else [col["proposer"]]) + [col["source"], col["time"]]
    return _frame(rows, columns)


def _notes(snap, step, titles, col, number, anonymous, layout, note_numbers) -> pd.DataFrame:
    rows = []
    votes = vote_counts(snap, step["id"], "note")
    clusters = {c["id"]: c["name"] for c in snap.get("clusters", []) if c["step_id"] == step["id"]}
    notes = step_rows(snap, step["id"], kinds=("note", "tagged_note"))
    for row in notes:
        note_numbers[row["id"]] = len(note_numbers) + 1
    for row in notes:
        out = {col["nr"]: note_numbers[row["id"]], col["section"]: titles.get(row["section"], row["section"]),
               col["text"]: row["text"]}
        if layout == "wall" or clusters:
            cid = row.get("cluster_id")
            out[col["cluster"]] = clusters.get(cid, "")
        if layout == "stages" or any(r.get("tags") for r in notes):
            out[col["tags"]] = ", ".join(row.get("tags") or [])
        out[col["dots"]] = votes.get(row["id"], 0)
        out[col["hidden"]] = _yes(row.get("hidden"))
        out[col["merged"]] = note_numbers.get(row.get("merged_into"))
        if not anonymous:
            out[col["participant"]] = number.get(row.get("participant_id"))
            out[col["name"]] = row.get("name") or ""
        out[col["org"]] = _org(row.get("org_type"))
        out[col["time"]] = _time(row.get("created_at"))
        rows.append(out)
    columns = [col["nr"], col["section"], col["text"]]
    if layout == "wall" or clusters:
        columns.append(col["cluster"])
    if layout == "stages" or any(r.get("tags") for r in notes):
        columns.append(col["tags"])
    columns += [col["dots"], col["hidden"], col["merged"]]
    columns += ([] if anonymous else [col["participant"], col["name"]]) + [col["org"], col["time"]]
    return _frame(rows, columns)


def _praatplaat(snap, step, titles, col, number, anonymous) -> pd.DataFrame:
    """One row per participant and aspect: score, what goes well, what should improve (newest answers)."""
    answers = step_rows(snap, step["id"], kinds=("score", "text"))
    merged: dict[tuple, dict] = {}
    for row in answers:
        key = (row["participant_id"], row["section"])
        entry = merged.setdefault(key, {"row": row, "score": None, "has_score": False, "goed": "", "beter": "",
                                        "hidden": False})
        if row["kind"] == "score":
            entry["score"], entry["has_score"] = row["score"], True
        elif row["field"] in ("goed", "beter"):
            entry[row["field"]] = row["text"]
        entry["hidden"] = entry["hidden"] or bool(row.get("hidden"))
    order = {s["key"]: i for i, s in enumerate(step.get("sections") or [])}
    rows = []
    for (pid, section), e in merged.items():
        score: Any = e["score"] if e["score"] is not None else (t("table.unknown") if e["has_score"] else None)
        out = {col["aspect"]: titles.get(section, section), col["score"]: score, col["goed"]: e["goed"],
               col["beter"]: e["beter"], col["hidden"]: _yes(e["hidden"])}
        if not anonymous:
            out[col["participant"]] = number.get(pid)
            out[col["name"]] = e["row"].get("name") or ""
        out[col["org"]] = _org(e["row"].get("org_type"))
        # Anonymous: sort within an aspect by content, so row order does not link answers to a person.
        out["_order"] = ((order.get(section, 99), str(score), e["goed"], e["beter"]) if anonymous
                         else (order.get(section, 99), pid or 0))
        rows.append(out)
    rows.sort(key=lambda r: r["_order"])
    for r in rows:
        del r["_order"]
    columns = [col["aspect"], col["score"], col["goed"], col["beter"], col["hidden"]]
    columns += ([] if anonymous else [col["participant"], col["name"]]) + [col["org"]]
    return _frame(rows, columns)


def _followup(snap, col, actions: pd.DataFrame) -> pd.DataFrame:
    """The follow-up step: this workshop's actions, then the open actions of earlier workshops that came
    back for review (their workshop named in the last column)."""
    this = t("table.this_workshop")
    earlier = [{col["what"]: a.get("what", ""), col["owner"]: a.get("owner", ""), col["partner"]: a.get("partner", ""),
                col["due"]: parse_date(a.get("due")), col["status"]: a.get("status", ""),
                col["review"]: a.get("review_note", ""),
                col["workshop"]: f"{a.get('workshop_title', '')} ({a.get('workshop_date', '')})"}
               for a in snap.get("earlier_actions") or []]
    own = actions.assign(**{col["workshop"]: this}) if len(actions) else actions.assign(**{col["workshop"]: []})
    return pd.concat([own, _frame(earlier, list(own.columns))], ignore_index=True)[list(own.columns)]


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
