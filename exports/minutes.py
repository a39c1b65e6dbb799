"""Minutes as a Word document (python-docx): the summary, every step and the agreements, for a secretary
to edit and send. Imports no streamlit.

``build_docx(snapshot, previous=None) -> bytes``. The text opens with the
summary page of the PDF (:mod:`exports.summary`); then each step gets a section,
written by its layout (``docx_section(w, step)`` in ``layouts/<name>/report.py``,
``w`` a :class:`WordBuilder`); then every agreement in a table, unless a step
holds them (the follow-up plaat), as in the PDF. What the minutes show follows the
report's rules: no participant names (an action's owner only), a confidential
step (intervision) only its outcome. Text is cleaned as for the PDF (control and
invisible characters dropped, very long texts cut), since Word's XML cannot
hold control characters; everything else, markup included, stays plain text.
"""

from __future__ import annotations

import io
import re
from typing import Any, Iterable, Sequence

from docx import Document
from docx.shared import Pt, RGBColor

from canvas_models.spec import of_step
import layouts
from exports.pdf import MUTED, PRIMARY, action_headers, action_rows, clean_text, earlier_headers, earlier_rows
from exports.snapshot import live_actions
from exports.summary import facts, parts, summarize
from messages import t

#: Longest text put in one paragraph or cell (Word copes, a reader does not).
MAX_TEXT = 5_000


#: Characters XML 1.0 cannot hold that the PDF's cleaning keeps (the PDF shows them as U+FFFD too).
_NOT_XML = re.compile("[\ufffe\uffff]")


def _text(value) -> str:
    return _NOT_XML.sub("\ufffd", clean_text(value, MAX_TEXT))


def new_document(title: str, kicker: str):
    """A Dutch Word document in the house style: the kicker line in the primary colour, then ``title``
    as its heading (also the document's title property). Shared with :mod:`exports.regioplan`."""
    doc = Document()
    doc.core_properties.title = _text(title)[:200]
    doc.core_properties.language = "nl-NL"
    style = doc.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(10.5)
    run = doc.add_paragraph().add_run(kicker)
    run.bold = True
    run.font.color.rgb = RGBColor(*PRIMARY)
    doc.add_heading(_text(title) or "-", level=0)
    return doc


def build_docx(snap: dict, previous: dict | None = None) -> bytes:
    """The minutes of one workshop as .docx bytes; ``previous`` adds what changed since then."""
    summary = summarize(snap, previous)
    doc = new_document(summary.title, t("minutes.kicker"))
    doc.add_paragraph(_text(facts(summary)))

    doc.add_heading(t("minutes.summary"), level=1)
    for part in parts(summary)[:-1]:  # the agreements get their own table below
        doc.add_heading(part.heading, level=2)
        if not part.lines:
            doc.add_paragraph(part.empty)
        for line in part.lines:
            doc.add_paragraph(_text(line), style="List Bullet")
        if part.more:
            doc.add_paragraph(part.more)

    steps = sorted(snap.get("steps", []), key=lambda s: s.get("position", 0))
    writer = WordBuilder(doc, snap)
    for n, step in enumerate(steps, start=1):
        doc.add_heading(_text(t("pdf.step_heading", n=n, title=step.get("title", ""))), level=1)
        layouts.of(step).report.docx_section(writer, step)

    # the agreements get a chapter of their own, unless a step holds them (its section shows them)
    if not any("action" in of_step(s).kinds for s in steps):
        doc.add_heading(t("minutes.actions"), level=1)
        actions = live_actions(snap)
        if not actions:
            doc.add_paragraph(t("pdf.actions.none"))
        else:
            _table(doc, action_headers(), action_rows(actions))
        earlier = snap.get("earlier_actions") or []
        if earlier:
            doc.add_heading(t("minutes.earlier"), level=1)
            _table(doc, earlier_headers(), earlier_rows(earlier))

    note = doc.add_paragraph()
    note.add_run(t("minutes.note")).italic = True
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _table(doc, headers: list[str], rows: list[list]) -> None:
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Light Grid Accent 1"
    for cell, header in zip(table.rows[0].cells, headers):
        cell.text = header
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row):
            cell.text = _text(value)


class WordWriter:
    """The text calls of the PDF's :class:`exports.pdf.Report` (``heading``, ``para``, ``muted``, ``table``),
    written into a Word document: a layout whose PDF section is text only draws its minutes section with
    that very function. Sizes, colours, widths and page breaks are the PDF's business and are ignored."""

    #: Some sections size their table columns from this; Word sizes its own.
    content_width = 180.0

    def __init__(self, doc):
        self.doc = doc
        self.y = 0.0  # a section may move the PDF's pen; nothing to move here

    def heading(self, value: Any, level: int = 1) -> None:
        self.doc.add_heading(_text(value) or "-", level=max(1, min(level, 4)))

    def para(self, value: Any, *, style: str = "", bullet: str = "", **_: Any) -> None:
        paragraph = self.doc.add_paragraph(style="List Bullet" if bullet else None)
        run = paragraph.add_run(_text(value))
        run.bold = "B" in style
        run.italic = "I" in style

    def muted(self, value: Any, size: float = 0.0) -> None:
        run = self.doc.add_paragraph().add_run(_text(value))
        run.italic = True
        run.font.color.rgb = RGBColor(*MUTED)

    def table(self, headers: Sequence[str], rows: Iterable[Sequence[Any]], widths: Sequence[float] = (),
              **_: Any) -> None:
        _table(self.doc, list(headers), [list(row) for row in rows])

    def ensure(self, height: float) -> None:
        """(the PDF keeps a block on one page; Word flows)"""


class WordBuilder:
    """What a layout's ``docx_section(w, step)`` gets: ``w.doc`` (the python-docx document), ``w.snap``
    (the snapshot), ``w.anonymous``, and ``w.pdf``, a :class:`WordWriter`, so ``w`` stands in for the PDF
    builder (``b``) of a text-only ``pdf_section(b, step)``."""

    def __init__(self, doc, snap: dict):
        self.doc = doc
        self.snap = snap
        self.anonymous = bool((snap.get("workshop") or {}).get("anonymous"))
        self.pdf = WordWriter(doc)
