"""Actions in the exports (no streamlit): the PDF section (the workshop's agreements as a table,
then the earlier agreements under review) and the sheet (this workshop's actions, then the earlier
ones with their workshop). A werkvorm of this layout holds the workshop's actions, so the PDF and
the workbook give them no chapter or sheet of their own."""

from __future__ import annotations

import pandas as pd

from exports.pdf import action_table, earlier_headers, earlier_rows
from exports.snapshot import live_actions, parse_date
from exports.tables import frame
from messages import plural, t


def pdf_section(b, step: dict) -> None:
    pdf = b.pdf
    actions = live_actions(b.snap)
    proposed = [a for a in actions if not a.get("confirmed")]
    pdf.para(t("pdf.followup.summary", count=plural("n.agreements", len(actions)),
               confirmed=len(actions) - len(proposed)))
    action_table(pdf, actions)
    earlier = b.snap.get("earlier_actions") or []
    if earlier:
        pdf.heading(t("pdf.followup.earlier"), 2)
        pdf.table(earlier_headers(), earlier_rows(earlier), [62, 28, 24, 18, pdf.content_width - 132])


def docx_section(w, step: dict) -> None:
    """The step in the Word minutes (``w``: :class:`exports.minutes.WordBuilder`): the PDF section is text
    only, so it is written by the same function."""
    pdf_section(w, step)


def sheet(ctx, step: dict) -> pd.DataFrame:
    """This workshop's actions, then the open actions of earlier workshops that came back for review
    (their workshop named in the last column)."""
    col = ctx.col
    actions = ctx.actions
    this = t("table.this_workshop")
    earlier = [{col["what"]: a.get("what", ""), col["owner"]: a.get("owner", ""), col["partner"]: a.get("partner", ""),
                col["due"]: parse_date(a.get("due")), col["status"]: a.get("status", ""),
                col["review"]: a.get("review_note", ""),
                col["workshop"]: f"{a.get('workshop_title', '')} ({a.get('workshop_date', '')})"}
               for a in ctx.snap.get("earlier_actions") or []]
    own = actions.assign(**{col["workshop"]: this}) if len(actions) else actions.assign(**{col["workshop"]: []})
    return pd.concat([own, frame(earlier, list(own.columns))], ignore_index=True)[list(own.columns)]
