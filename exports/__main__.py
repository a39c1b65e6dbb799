"""Command line: build the exports from a backup, with no server running.

    python -m exports BACKUP.json --pdf OUT.pdf --docx OUT.docx --xlsx OUT.xlsx --csv OUT.zip
    python -m exports A.json B.json C.json --voortgang OUT.pdf [--per 2026-12-01]
    python -m exports --demo 40 --json demo.json [--pdf demo.pdf] [--seed 7] [--fast | --store-api]

``--demo N`` builds a demo workshop of N participants in a temporary SQLite
database and exports it: through the Store API (the app's real write path) up to
40 participants, in one transaction above that; ``--fast`` and ``--store-api``
choose explicitly. ``--voortgang`` builds the voortgangsverslag of the workshops of
several backups (put in date order), as of ``--per`` (default today). Exit codes: 0 done, 2 bad input (a clear Dutch message
on stderr), 1 anything unexpected.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import date
from pathlib import Path

from messages import t
from workshop.errors import UserError
from workshop.text import Limits

#: ``--demo N`` goes through the Store API up to this many participants, and writes larger
#: demos in one transaction (the Store API takes some 4 ms a write on SQLite).
FAST_ABOVE = 40


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m exports", description=t("cli.description"))
    parser.add_argument("backup", nargs="*", help=t("cli.backup"))
    parser.add_argument("--pdf", metavar="OUT.pdf", help=t("cli.pdf"))
    parser.add_argument("--docx", metavar="OUT.docx", help=t("cli.docx"))
    parser.add_argument("--xlsx", metavar="OUT.xlsx", help=t("cli.xlsx"))
    parser.add_argument("--voortgang", dest="progress", metavar="OUT.pdf", help=t("cli.progress"))
    parser.add_argument("--per", dest="as_of", metavar="JJJJ-MM-DD", help=t("cli.as_of"))
    parser.add_argument("--csv", metavar="OUT.zip", help=t("cli.csv"))
    parser.add_argument("--json", metavar="OUT.json", help=t("cli.json"))
    parser.add_argument("--demo", metavar="N", type=int, help=t("cli.demo"))
    parser.add_argument("--seed", type=int, default=1, help=t("cli.seed"))
    parser.add_argument("--fast", action="store_true", default=None, help=t("cli.fast"))
    parser.add_argument("--store-api", dest="fast", action="store_false", help=t("cli.store_api"))
    parser.add_argument("--anonymous", action="store_true", help=argparse.SUPPRESS)
    return parser


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 2


def _demo_snapshot(n: int, seed: int, fast: bool, anonymous: bool) -> dict:
    from exports.demo import generate
    from exports.snapshot import snapshot
    from workshop import db as D
    from workshop.store import Store

    with tempfile.TemporaryDirectory(prefix="samenspraak-demo-") as folder:
        database = D.Database(f"sqlite:///{Path(folder) / 'demo.db'}")
        try:
            store = Store(database)
            ws, _secret = generate(store, n, seed, anonymous=anonymous, fast=fast)
            return snapshot(store, ws.id)
        finally:
            database.dispose()


def _read_backup(name: str) -> dict:
    """A backup file as a snapshot; a UserError with a Dutch reason when it cannot be read."""
    from exports.backup import read_snapshot, refuse
    from workshop import settings

    path = Path(name)
    try:
        size = path.stat().st_size
        limit = settings.get().import_max_bytes
        if size > limit:  # refuse before reading a huge file into memory
            raise refuse("import.reason.too_big", size=f"{size / 1048576:.1f}".replace(".", ","),
                         limit=f"{limit / 1048576:.1f}".replace(".", ","))
        raw = path.read_bytes()
    except OSError as err:
        raise UserError("cli.read_error", path=str(path), error=err.strerror or err) from None
    return read_snapshot(raw)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.backup and args.demo is not None:
        return _fail(t("cli.both_inputs"))
    if not args.backup and args.demo is None:
        return _fail(t("cli.no_input"))
    if not any((args.pdf, args.docx, args.xlsx, args.csv, args.json, args.progress)):
        return _fail(t("cli.no_output"))
    if len(args.backup) > 1 and not args.progress:
        return _fail(t("cli.many_backups"))
    if args.progress and (args.demo is not None or any((args.pdf, args.docx, args.xlsx, args.csv, args.json))):
        return _fail(t("cli.progress_only"))
    try:
        as_of = date.fromisoformat(args.as_of) if args.as_of else date.today()
    except ValueError:
        return _fail(t("cli.bad_as_of"))

    if args.demo is not None:
        if not 1 <= args.demo <= Limits.MAX_PARTICIPANTS:
            return _fail(t("cli.bad_demo", limit=Limits.MAX_PARTICIPANTS))
        fast = args.fast if args.fast is not None else args.demo > FAST_ABOVE
        snap = _demo_snapshot(args.demo, args.seed, fast, args.anonymous)
        from exports.demo import counts

        print(t("cli.demo_done", **counts(snap)), file=sys.stderr)
    else:
        try:
            snaps = [_read_backup(path) for path in args.backup]
        except UserError as err:
            return _fail(str(err))
        if args.progress:
            from exports.progress import in_date_order

            snaps = in_date_order(snaps)
        snap = snaps[-1]

    outputs = []
    if args.progress:
        from exports.progress import build_progress_pdf

        outputs.append((args.progress, lambda: build_progress_pdf(snaps, as_of)))
    if args.json:
        from exports.backup import to_json

        outputs.append((args.json, lambda: to_json(snap)))
    if args.pdf:
        from exports.pdf import build_pdf

        outputs.append((args.pdf, lambda: build_pdf(snap)))
    if args.docx:
        from exports.minutes import build_docx

        outputs.append((args.docx, lambda: build_docx(snap)))
    if args.xlsx:
        from exports.tables import to_xlsx

        outputs.append((args.xlsx, lambda: to_xlsx(snap)))
    if args.csv:
        from exports.tables import to_csv_zip

        outputs.append((args.csv, lambda: to_csv_zip(snap)))
    for target, make in outputs:
        data = make()
        try:
            Path(target).write_bytes(data)
        except OSError as err:
            return _fail(t("cli.write_error", path=target, error=err.strerror or err))
        print(t("cli.written", path=target, size=len(data)), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
