"""Benchmark: the follow-up PDF of a 200-participant workshop.

    .venv/bin/python bench/pdf.py [--participants 200] [--runs 7] [--seed 1]

Builds a demo workshop (``exports.demo``, one transaction) in a temporary
SQLite database, takes its snapshot through the Store API, then builds the PDF
``--runs`` times. It prints the wall and CPU time of every run, and a baseline
from the same run: a plain fpdf2 document with as many lines of plain text,
placed with fpdf2's ordinary ``cell()``. The LAST line is::

    pdf participants=200 notes=N actions=M seconds=S bytes=B

with S the median wall time of the runs. Targets (issue 5): S <= 2.0 on a
2-core machine, B <= 3 MB. The machine may be shared; CPU seconds are printed
too, as they are less disturbed by other processes.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import logging  # noqa: E402

from fpdf import FPDF  # noqa: E402

from exports import demo, pdf  # noqa: E402
from exports.snapshot import snapshot  # noqa: E402
from workshop import db as D  # noqa: E402
from workshop.store import Store  # noqa: E402


logging.getLogger("fpdf").setLevel(logging.ERROR)  # the baseline has no fallback fonts: no glyph warnings


def baseline(lines: list[str]) -> tuple[float, float, int]:
    """A plain fpdf2 document: the same number of lines, one ``cell()`` each, DejaVu Sans 9 pt."""
    wall, cpu = time.perf_counter(), time.process_time()
    doc = FPDF()
    doc.add_font("dejavu", "", str(pdf.FONT_DIR / "DejaVuSans.ttf"))
    doc.set_font("dejavu", size=9)
    doc.add_page()
    for line in lines:
        doc.cell(0, 4.2, line, new_x="LMARGIN", new_y="NEXT")
    data = bytes(doc.output())
    return time.perf_counter() - wall, time.process_time() - cpu, len(data)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as folder:
        database = D.Database(f"sqlite:///{Path(folder) / 'bench.db'}")
        store = Store(database)
        started = time.perf_counter()
        ws, _secret = demo.generate(store, args.participants, args.seed, fast=True)
        built = time.perf_counter() - started
        started = time.perf_counter()
        snap = snapshot(store, ws.id)
        read = time.perf_counter() - started
        database.dispose()
    figures = demo.counts(snap)
    print(f"demo workshop: {figures['participants']} participants, {figures['notes']} notes, "
          f"{figures['actions']} actions, {len(snap['contributions'])} contributions, {len(snap['votes'])} votes; "
          f"generated in {built:.2f} s, snapshot in {read:.2f} s")

    walls, cpus = [], []
    size = 0
    report = None
    for i in range(args.runs + 1):
        wall, cpu = time.perf_counter(), time.process_time()
        data, report = pdf.build_report(snap)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        size = len(data)
        label = "cold (first in process)" if i == 0 else f"run {i}"
        print(f"  {label:24s} wall {wall:6.3f} s  cpu {cpu:6.3f} s  {size:,} bytes  {report.page_no()} pages")
        if i:  # the first build also pays imports and font coverage tables, once per process
            walls.append(wall)
            cpus.append(cpu)
    median = statistics.median(walls)
    print(f"pdf median wall {median:.3f} s, median cpu {statistics.median(cpus):.3f} s, "
          f"min wall {min(walls):.3f} s over {len(walls)} runs; {report.lines_drawn} text lines")

    # Baseline: the same number of lines of plain text through fpdf2's ordinary API.
    texts = [c["text"] for c in snap["contributions"] if c["text"]] or ["tekst"]
    lines = [" ".join(texts[i % len(texts)].split())[:90] for i in range(report.lines_drawn)]
    base = [baseline(lines) for _ in range(3)]
    base_wall = statistics.median(b[0] for b in base)
    base_cpu = statistics.median(b[1] for b in base)
    print(f"baseline plain fpdf2 cell() x {len(lines)} lines: wall {base_wall:.3f} s, cpu {base_cpu:.3f} s, "
          f"{base[0][2]:,} bytes; report/baseline wall ratio {median / base_wall:.2f}")
    ok = median <= 2.0 and size <= 3 * 1024 * 1024
    print(f"targets: seconds <= 2.0 and bytes <= 3 MB: {'met' if ok else 'NOT met'}")
    print(f"pdf participants={figures['participants']} notes={figures['notes']} actions={figures['actions']} "
          f"seconds={median:.3f} bytes={size}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
