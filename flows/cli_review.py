"""`saphan review export` and `saphan review import`: the review queue as a workbook, and decisions back.

flows/cli.py calls register(subparsers). Nothing here imports Prefect: both commands answer in seconds.
"""

import argparse
import sys
from pathlib import Path

DEFAULT_OUT = Path("data/out")
EXPORT_EXAMPLE = """\
The workbook is RESTRICTED: it holds names and whole citizen IDs, which a reviewer needs to decide. Keep it with
authorised reviewers only and delete it once its decisions are imported.

example:
  saphan review export review_310108.xlsx --out data/out
  (fill in the column ผลการตรวจ: ใช่ / ไม่ใช่ / ไม่แน่ใจ, then)
  saphan review import review_310108.xlsx --out data/out
"""
IMPORT_EXAMPLE = """\
Decisions are kept by the two records' stable keys (names, birth year, ID and area, hashed), not row numbers, in
OUT/state/decisions.parquet (or --decisions FILE, for [link] decisions = FILE in the config). Every later run
applies them: accepted pairs link as 'clerical', rejected pairs never link, unsure ones stay in review. A blank
decision is no decision; a pair decided again takes the new decision.

example:
  saphan review import review_310108.xlsx --out data/out
  saphan run --rosters r/ --poverty p/ --out data/out      # applies them
"""


def _fail(message: str, code: int = 2) -> int:
    sys.stderr.write(f"saphan: error: {message}\n")
    return code


def _decisions_path(args: argparse.Namespace) -> Path:
    from flows import history
    from flows.review import DECISIONS_NAME

    return Path(args.decisions) if args.decisions else history.state_dir(args.out or DEFAULT_OUT) / DECISIONS_NAME


def cmd_export(args: argparse.Namespace) -> int:
    import duckdb

    from flows.review import ReviewError, read_decisions
    from flows.review_xlsx import export_queue

    warehouse = Path(args.warehouse) if args.warehouse else Path(args.out or DEFAULT_OUT) / "saphan.duckdb"
    if not warehouse.is_file():
        return _fail(f"warehouse not found: {warehouse}")
    decisions = _decisions_path(args)
    try:
        decided = {(r[0], r[1]): r[2] for r in read_decisions(decisions)} if decisions.is_file() else {}
        with duckdb.connect(str(warehouse), read_only=True) as con:
            counts = export_queue(con, Path(args.file), decided)
    except ReviewError as e:
        return _fail(str(e))
    except duckdb.Error as e:
        return _fail(f"warehouse {warehouse} has no review queue to export: {type(e).__name__}")
    except OSError as e:
        return _fail(f"cannot write {args.file}: {e.strerror or type(e).__name__}")
    sys.stdout.write(f"wrote {args.file} (RESTRICTED: names and citizen IDs): {counts['pairs']} pairs of "
                     f"{counts['roster_records']} roster records, {counts['decided']} decided before\n")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from flows.review import ReviewError, record_decisions
    from flows.review_xlsx import read_workbook

    path = Path(args.file)
    if not path.is_file():
        return _fail(f"workbook not found: {path}")
    target = _decisions_path(args)
    try:
        decisions, per = read_workbook(path)
        counts = record_decisions(decisions, target, path.name)
    except ReviewError as e:
        return _fail(str(e))
    except OSError as e:
        return _fail(f"cannot write {target}: {e.strerror or type(e).__name__}")
    sys.stdout.write(
        f"recorded {len(decisions)} decisions in {target} (accept {per['accept']}, reject {per['reject']}, "
        f"unsure {per['unsure']}): {counts['new']} new, {counts['changed']} changed, {counts['unchanged']} "
        f"unchanged; {counts['total']} in the file. The next run applies them.\n")
    return 0


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add `review` (export, import) to the `saphan` command."""
    review = subparsers.add_parser(
        "review", help="the review queue as a workbook for clerical reviewers, and their decisions back",
        description="Export the review queue (pairs neither linked nor rejected) as a RESTRICTED workbook with "
        "both records side by side, then import the reviewers' decisions; later runs apply them.\n\n"
        "example:\n  saphan review export review.xlsx --out data/out\n  saphan review import review.xlsx --out "
        "data/out", formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = review.add_subparsers(dest="review_command", required=True)
    export = sub.add_parser(
        "export", help="write the review queue as a RESTRICTED workbook (names and citizen IDs)",
        description="Write the review queue as a workbook in Thai: both records side by side, what agreed and what "
        "did not, and a decision column (ใช่ / ไม่ใช่ / ไม่แน่ใจ).\n\n" + EXPORT_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    export.add_argument("file", metavar="FILE.xlsx", help="the workbook to write (restricted: names and IDs)")
    where = export.add_mutually_exclusive_group()
    where.add_argument("--warehouse", metavar="W", help="the warehouse (default: OUT/saphan.duckdb)")
    where.add_argument("--out", metavar="DIR", help=f"a run's output folder (default: {DEFAULT_OUT})")
    export.add_argument("--decisions", metavar="FILE", help="decisions shown as already made (default: "
                        "OUT/state/decisions.parquet)")
    export.set_defaults(func=cmd_export)
    imp = sub.add_parser(
        "import", help="record the decisions of a filled review workbook for later runs",
        description="Read the decisions of a filled review workbook and record them.\n\n" + IMPORT_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    imp.add_argument("file", metavar="FILE.xlsx", help="the filled review workbook")
    imp.add_argument("--out", metavar="DIR", help=f"the output folder whose state keeps the decisions (default: "
                     f"{DEFAULT_OUT})")
    imp.add_argument("--decisions", metavar="FILE", help="record them in this file instead (for [link] decisions)")
    imp.set_defaults(func=cmd_import)
