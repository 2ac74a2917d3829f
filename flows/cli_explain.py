"""`saphan explain`: why one roster row linked, or did not, in words (flows/explain.py), without starting a flow."""

import argparse
import sys
from pathlib import Path

DEFAULT_WAREHOUSE = Path("data/out/saphan.duckdb")
EXAMPLE = "saphan explain fund_310108_utf8bom.csv 12 --out data/out"


def cmd_explain(args: argparse.Namespace) -> int:
    import duckdb

    from flows.cli_inspect import ascii_safe
    from flows.explain import RowNotFound, explain_lines, find_record

    if (args.row is None) == (args.line is None):
        print("saphan: error: give the roster row (ROW) or the sheet line (--line N), one of them", file=sys.stderr)
        return 2
    warehouse = Path(args.warehouse) if args.warehouse else Path(args.out) / "saphan.duckdb" if args.out \
        else DEFAULT_WAREHOUSE
    if not warehouse.is_file():
        print(f"saphan: error: no warehouse at {ascii_safe(str(warehouse))} (--out DIR or --warehouse FILE)",
              file=sys.stderr)
        return 2
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error as e:
        print(f"saphan: error: cannot open {ascii_safe(str(warehouse))}: {type(e).__name__}", file=sys.stderr)
        return 2
    try:
        record = find_record(con, args.file, args.row, args.line, args.sheet)
        lines = explain_lines(con, record, show_names=args.show_names, candidates=args.candidates)
    except RowNotFound as e:
        print(f"saphan: error: {ascii_safe(str(e))}", file=sys.stderr)
        return 1
    finally:
        con.close()
    print("\n".join(lines))
    return 0


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add `explain` to the `saphan` command."""
    explain = subparsers.add_parser(
        "explain", help="why one roster row linked or did not: each comparison's weight in words, the vetoes",
        description="For one roster row (its file and roster_row as in links.parquet, or its sheet line), print its "
        "link or its best candidates, each comparison's level and match weight in words (\"first name: exact "
        "(+8.3 bits)\"), the vetoes, and the final probability. Names and IDs are printed only with --show-names.",
        epilog=f"example: {EXAMPLE}",
    )
    explain.add_argument("file", metavar="FILE", help="the roster file's name (roster_file in links.parquet)")
    explain.add_argument("row", metavar="ROW", type=int, nargs="?",
                         help="roster_row in links.parquet (1-based among the file's data rows)")
    explain.add_argument("--line", type=int, metavar="N", help="the line number as the spreadsheet shows it")
    explain.add_argument("--sheet", metavar="S", help="the sheet of --line, when the workbook has several")
    where = explain.add_mutually_exclusive_group()
    where.add_argument("--out", metavar="DIR", help="a run's output folder (reads DIR/saphan.duckdb)")
    where.add_argument("--warehouse", metavar="W", help=f"the warehouse file (default {DEFAULT_WAREHOUSE})")
    explain.add_argument("--candidates", type=int, default=3, metavar="K",
                         help="best candidates shown for a row not linked (default 3)")
    explain.add_argument("--show-names", action="store_true",
                         help="print names and IDs too (restricted use: the output then holds personal data)")
    explain.set_defaults(func=cmd_explain)
