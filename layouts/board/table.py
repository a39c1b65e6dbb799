"""The board's cells from the newest answers (no streamlit): per row and column the mean state, how
many gave one, how many said "niet van toepassing", and the notes per text field."""

from __future__ import annotations

from dataclasses import dataclass, field

from workshop.aggregate import is_visible


@dataclass
class Cell:
    row: str
    column: str
    scores: list[int] = field(default_factory=list)
    nvt: int = 0
    notes: dict[str, list[dict]] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.scores)

    @property
    def mean(self) -> float | None:
        return sum(self.scores) / len(self.scores) if self.scores else None

    @property
    def only_nvt(self) -> bool:
        """Everyone who rated this cell said "niet van toepassing"."""
        return not self.scores and self.nvt > 0


def column_of(row: dict) -> str:
    """The column of an answer row (its tag); "" for an answer outside any column."""
    tags = row.get("tags") or []
    return tags[0] if tags else ""


def cells(rows: list[dict], row_keys: list[str], column_keys: list[str],
          text_fields: list[str]) -> dict[tuple[str, str], Cell]:
    """Every cell of the board (also the empty ones), from the newest answers; hidden answers do not
    count. Answers of a removed row or column are left out."""
    out = {(r, c): Cell(r, c, notes={f: [] for f in text_fields}) for r in row_keys for c in column_keys}
    for row in sorted(rows, key=lambda a: a["id"]):
        cell = out.get((row["section"], column_of(row)))
        if cell is None or not is_visible(row):
            continue
        if row["kind"] == "score":
            if row["score"] is None:
                cell.nvt += 1
            else:
                cell.scores.append(int(row["score"]))
        elif row["field"] in cell.notes and (row.get("text") or "").strip():
            cell.notes[row["field"]].append(row)
    return out
