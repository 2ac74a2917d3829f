"""The planners' commands: `saphan query`, `saphan tables`, `saphan report`.

flows/cli.py calls register(subparsers); each command returns an exit code. Nothing here imports Prefect, so the
commands answer in well under a second.
"""

import argparse
import sys
from pathlib import Path

DEFAULT_WAREHOUSE = Path("data/out/saphan.duckdb")


def _fail(message: str, code: int = 2) -> int:
    sys.stderr.write(f"saphan: error: {message}\n")
    return code


def cmd_query(args: argparse.Namespace) -> int:
    from flows.query import QueryError, run_query

    try:
        text = run_query(args.warehouse, args.sql, args.format, args.timeout)
    except QueryError as e:
        return _fail(str(e))
    if args.output:
        # CSV for Excel: UTF-8 with a byte-order mark, or Excel shows Thai as garbage
        encoding = "utf-8-sig" if args.format == "csv" else "utf-8"
        try:
            Path(args.output).write_text(text + "\n", encoding=encoding)
        except OSError as e:
            return _fail(f"cannot write {args.output}: {e.strerror or type(e).__name__}")
        sys.stderr.write(f"wrote {args.output}\n")
        return 0
    sys.stdout.write(text + "\n")
    return 0


def cmd_tables(args: argparse.Namespace) -> int:
    from flows.query import QueryError, list_tables

    try:
        sys.stdout.write(list_tables(args.warehouse) + "\n")
    except QueryError as e:
        return _fail(str(e))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """Write the XLSX and HTML reports from the warehouse's marts; build the marts first if they are missing."""
    import duckdb

    from flows.config import ConfigError, load_config
    from flows.marts import build_marts
    from flows.pseudonym_key import PseudonymKeyError, load_key
    from flows.reports import write_reports
    from flows.warehouse import ContractViolation, connect
    from schemas.marts import MARTS

    warehouse = Path(args.warehouse)
    if not warehouse.is_file():
        return _fail(f"warehouse not found: {warehouse}")
    try:
        con = connect(warehouse)
    except duckdb.Error as e:
        return _fail(f"cannot open warehouse {warehouse}: {' '.join(str(e).split())}")
    with con:
        present = {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
        try:
            if not {c.table for c in MARTS} <= present:
                build_marts(con, load_key(load_config(args.config)))
            entries = write_reports(con, Path(args.out))
        except (ConfigError, PseudonymKeyError, ContractViolation) as e:
            return _fail(str(e))
        except duckdb.Error as e:
            return _fail(f"warehouse {warehouse} lacks what the marts need: {' '.join(str(e).split())}")
    for entry in entries:
        sys.stdout.write(f"wrote {Path(args.out) / entry['path']}\n")
    return 0


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add query, tables and report to the `saphan` command."""
    query = subparsers.add_parser(
        "query", help="run one read-only SQL query on the warehouse (table, csv or json)",
        description="Run one reading SQL statement (SELECT, WITH, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN) on the "
        "warehouse, opened read-only; statements are classified by DuckDB's own parser. CSV output is "
        "spreadsheet-safe.",
    )
    query.add_argument("sql", metavar="SQL", help='e.g. "select * from coverage where level = \'subdistrict\'"')
    query.add_argument("--warehouse", default=str(DEFAULT_WAREHOUSE), metavar="FILE",
                       help=f"DuckDB warehouse (default {DEFAULT_WAREHOUSE})")
    query.add_argument("--format", choices=("table", "csv", "json"), default="table", help="output format")
    query.add_argument("--output", metavar="FILE",
                       help="write to FILE instead of the screen (CSV as UTF-8 with a BOM, for Excel)")
    query.add_argument("--timeout", type=float, default=300.0, metavar="SECONDS",
                       help="stop a query still running after this many seconds (default 300; 0: no limit)")
    query.set_defaults(func=cmd_query)
    tables = subparsers.add_parser("tables", help="list the warehouse's tables with rows, access and descriptions")
    tables.add_argument("--warehouse", default=str(DEFAULT_WAREHOUSE), metavar="FILE",
                        help=f"DuckDB warehouse (default {DEFAULT_WAREHOUSE})")
    tables.set_defaults(func=cmd_tables)
    report = subparsers.add_parser("report", help="write the XLSX workbook and the HTML report from the marts")
    report.add_argument("--warehouse", required=True, metavar="FILE", help="DuckDB warehouse of a run")
    report.add_argument("--out", required=True, metavar="DIR", help="folder for saphan_report.xlsx and .html")
    report.add_argument("--config", metavar="FILE", help="TOML config ([privacy] key_file), used to build marts")
    report.set_defaults(func=cmd_report)
