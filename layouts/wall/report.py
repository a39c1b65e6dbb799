"""The wall in the exports (no streamlit): the PDF section (clusters with their notes, by dots)
and the sheet (one row per note, with its cluster when the werkvorm clusters)."""

from __future__ import annotations

from exports.pdf import vote_suffix
from exports.snapshot import step_rows, vote_counts
from exports.tables import notes_sheet
from messages import plural, t
from workshop.aggregate import group_by_cluster, is_visible


def pdf_section(b, step: dict) -> None:
    pdf = b.pdf
    notes = step_rows(b.snap, step["id"], kinds=("note", "tagged_note"))
    clusters = [c for c in b.snap.get("clusters", []) if c["step_id"] == step["id"]]
    note_votes = vote_counts(b.snap, step["id"], "note")
    cluster_votes = vote_counts(b.snap, step["id"], "cluster")
    shown = [n for n in notes if is_visible(n)]
    if not shown:
        pdf.muted(t("pdf.empty"))
        return
    pdf.para(t("pdf.brainstorm.summary", notes=plural("n.notes", len(shown)),
               people=plural("n.participants", len({n["participant_id"] for n in shown})),
               clusters=plural("n.clusters", len(clusters)),
               dots=plural("n.dots", sum(note_votes.values()) + sum(cluster_votes.values()))))
    groups = group_by_cluster(shown, clusters, cluster_votes=cluster_votes, note_votes=note_votes, by_votes=True)
    for group in groups:
        name = group.name if group.cluster is not None else t("wall.unclustered")
        pdf.heading(f"{name}{vote_suffix(group.votes)}", 2)
        ordered = sorted(group.notes, key=lambda r: (-note_votes.get(r["id"], 0), r["id"]))
        for note in ordered:
            pdf.para(note["text"] + vote_suffix(note_votes.get(note["id"], 0)), bullet="•", indent=2, gap=0.5)


def docx_section(w, step: dict) -> None:
    """The step in the Word minutes (``w``: :class:`exports.minutes.WordBuilder`): the PDF section is text
    only, so it is written by the same function."""
    pdf_section(w, step)


def sheet(ctx, step: dict):
    return notes_sheet(ctx, step)
