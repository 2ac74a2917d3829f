"""Read-only SQL on the warehouse for planners: `saphan query` and `saphan tables`.

The warehouse is opened read-only and only reading statements are accepted, so a query can never change it. CSV
output is spreadsheet-safe (transforms/spreadsheet.py): planners open it in Excel.
"""

import csv
import datetime as dt
import decimal
import io
import json
import threading
import unicodedata
from pathlib import Path
from typing import Any

import duckdb

from flows.warehouse import relations
from schemas.contracts import LINKS, QUARANTINE, Contract, raw_contract, std_contract
from schemas.marts import MARTS
from transforms.spreadsheet import neutralised_row

__all__ = ["FORMATS", "QueryError", "list_tables", "run_query"]

FORMATS = ("table", "csv", "json")
# Classified by DuckDB's own parser, never by keywords: DESCRIBE, SHOW, SUMMARIZE and WITH parse as SELECT; a
# COPY, INSERT or ATTACH hidden anywhere makes the statement's type something else (or fails to parse).
READING = {"SELECT", "EXPLAIN"}
DEFAULT_TIMEOUT = 300.0
SHAREABLE = {*(c.table for c in MARTS), "links", "ref_area"}
MAX_TABLE_ROWS = 1000


class QueryError(Exception):
    """A query cannot run; the message says why in one line."""


def _contracts() -> dict[str, Contract]:
    found = [raw_contract("roster"), raw_contract("poverty"), std_contract("roster"), std_contract("poverty"),
             QUARANTINE, LINKS, *MARTS]
    return {c.table: c for c in found}


def _open(warehouse: Path | str) -> duckdb.DuckDBPyConnection:
    path = Path(warehouse)
    if not path.is_file():
        raise QueryError(f"warehouse not found: {path}")
    try:
        # No file access beyond the warehouse: a read-only query cannot COPY out, ATTACH or read other files.
        return duckdb.connect(str(path), read_only=True, config={"enable_external_access": False})
    except duckdb.Error as e:
        raise QueryError(f"cannot open warehouse {path}: {_one_line(e)}") from None


def _one_line(e: BaseException) -> str:
    return " ".join(str(e).split())


def _check_reading(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as e:
        raise QueryError(_one_line(e)) from None
    if len(statements) != 1:
        raise QueryError(f"give exactly one SQL statement (got {len(statements)})")
    kind = statements[0].type.name
    if kind not in READING:
        raise QueryError(f"read-only: {kind} statements are not allowed; saphan query only reads (SELECT, WITH, "
                         "DESCRIBE, SHOW, SUMMARIZE, EXPLAIN)")


def _plain(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dt.date | dt.datetime | dt.time | dt.timedelta):
        return value.isoformat() if hasattr(value, "isoformat") else str(value)
    if isinstance(value, bytes):
        return value.hex()
    return value


def _csv_value(value: Any) -> Any:
    """As DuckDB's own CSV writer would put it: booleans as true/false."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _plain(value)


def _width(text: str) -> int:
    """Display width in a terminal: Thai vowel and tone marks (combining) take no column, wide CJK take two."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def _cell(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, float):
        return repr(value)
    return str(_plain(value)).replace("\n", "\\n")


def format_table(names: list[str], rows: list[tuple[Any, ...]]) -> str:
    """A plain aligned text table (Thai-aware widths), numbers right-aligned."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max([_width(n)] + [_width(r[i]) for r in cells]) for i, n in enumerate(names)]
    numeric = [bool(rows) and all(isinstance(r[i], int | float | decimal.Decimal) or r[i] is None for r in rows)
               for i in range(len(names))]

    def line(values: list[str]) -> str:
        out = []
        for i, v in enumerate(values):
            pad = " " * (widths[i] - _width(v))
            out.append(pad + v if numeric[i] else v + pad)
        return " | ".join(out).rstrip()

    rule = "-+-".join("-" * w for w in widths)
    return "\n".join([line(names), rule, *(line(r) for r in cells)])


def _execute(con: duckdb.DuckDBPyConnection, sql: str, timeout: float) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run and fetch the statement; a timer interrupts it after ``timeout`` seconds (0: no limit)."""
    timer = threading.Timer(timeout, con.interrupt) if timeout > 0 else None
    if timer is not None:
        timer.daemon = True
        timer.start()
    try:
        cur = con.execute(sql)
        names = [d[0] for d in cur.description or []]
        return names, cur.fetchall()
    except duckdb.InterruptException:
        raise QueryError(f"query stopped after {timeout:g} s (--timeout {timeout:g}); narrow it or raise the "
                         "limit") from None
    except duckdb.Error as e:
        message = _one_line(e)
        if "read-only" in message:
            raise QueryError("read-only: saphan query cannot change the warehouse") from None
        raise QueryError(message) from None
    finally:
        if timer is not None:
            timer.cancel()


def run_query(warehouse: Path | str, sql: str, fmt: str = "table", timeout: float = DEFAULT_TIMEOUT) -> str:
    """Run one reading statement on the warehouse, read-only; return the result as table, csv or json text.

    A statement still running after ``timeout`` seconds is interrupted (``con.interrupt()`` from a timer).

    Raises:
        QueryError: a write statement, a syntax or binder error, a missing warehouse or the time limit (one line).
    """
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    with _open(warehouse) as con:
        _check_reading(con, sql)
        names, rows = _execute(con, sql, timeout)
    if fmt == "json":
        return json.dumps([{n: _plain(v) for n, v in zip(names, r, strict=True)} for r in rows],
                          ensure_ascii=False, indent=2)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(neutralised_row(names))
        writer.writerows(neutralised_row([_csv_value(v) for v in r]) for r in rows)
        return buf.getvalue().rstrip("\n")
    shown = rows[:MAX_TABLE_ROWS]
    text = format_table(names, shown)
    more = f"\n({len(rows)} rows, first {MAX_TABLE_ROWS} shown: use --format csv for all)" if len(rows) > len(
        shown) else f"\n({len(rows)} rows)"
    return text + more


def _access(table: str) -> str:
    """Shareable only when known to carry no raw identifier: the marts, links and the area names. The rest
    (raw_/stg_/std_/lkp_/int_ tables, quarantine, the review queue, anything new) is restricted."""
    return "shareable" if table in SHAREABLE else "restricted"


def _description(table: str, contract: Contract | None) -> str:
    if contract is not None:
        return contract.description
    prefixes = {
        "raw_columns": "how each column of each file and sheet was read: header lines, header, role, evidence",
        "raw_": "rows as read (restricted: raw identifiers)",
        "stg_": "rows renamed, typed and validated (restricted: raw identifiers)",
        "std_": "accepted rows with standardised keys (restricted: raw identifiers)",
        "lkp_": "per-distinct-value lookup (restricted: may hold raw values)",
        "int_": "intermediate table of the pipeline (restricted)",
        "ref_area": "DOPA Thai names of the province, district and subdistrict codes in the data",
        "review": "candidate pairs between the link thresholds, side by side, for a person to decide (restricted)",
        "ctx_": "per source file, the area most of its resolved addresses share (used for rows that omit it)",
        "address_review": "accepted rows whose address is ambiguous or unresolved, as written (restricted)",
    }
    return next((d for p, d in prefixes.items() if table.startswith(p)), "")


def list_tables(warehouse: Path | str) -> str:
    """The warehouse's tables with row counts, access (restricted / shareable) and descriptions."""
    contracts = _contracts()
    with _open(warehouse) as con:
        rows = []
        for name in relations(con):
            counted = con.execute('select count(*) from "' + name.replace('"', '""') + '"').fetchone()
            contract = contracts.get(name)
            rows.append((name, int(counted[0]) if counted else 0, _access(name),
                         _description(name, contract)))
    return format_table(["table", "rows", "access", "description"], rows)
