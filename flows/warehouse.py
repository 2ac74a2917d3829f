"""The DuckDB warehouse: connections, contract enforcement, and Python transforms applied per distinct value."""

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from schemas.contracts import Contract
from transforms.contract_sql import contract_checks_sql


class ContractViolation(Exception):
    """A table broke its contract: the message names the table, the column and the rule."""


def connect(
    path: Path | str, memory_limit: str | None = None, threads: int | None = None, temp_directory: str | None = None
) -> duckdb.DuckDBPyConnection:
    """Open the warehouse file; insertion order is kept so row order is stable run to run.

    memory_limit (e.g. "4GB") and temp_directory let big runs spill to disk instead of running out of memory.
    """
    con = duckdb.connect(str(path))
    con.execute("set preserve_insertion_order = true")
    if memory_limit:
        con.execute("set memory_limit = ?", [str(memory_limit)])
    if threads:
        con.execute(f"set threads = {int(threads)}")
    if temp_directory:
        con.execute("set temp_directory = ?", [str(temp_directory)])
    return con


def check_contract(con: duckdb.DuckDBPyConnection, contract: Contract, table: str | None = None) -> None:
    """Raise ContractViolation unless the table has the contract's columns, types and checks."""
    t = table or contract.table
    actual = {row[0]: row[1] for row in con.execute(f"describe {t}").fetchall()}
    for c in contract.columns:
        if c.name not in actual:
            raise ContractViolation(f"table {t}, column {c.name}: missing (rule: present)")
        if actual[c.name] != c.type:
            raise ContractViolation(f"table {t}, column {c.name}: type {actual[c.name]} (rule: type {c.type})")
    for column, rule, sql in contract_checks_sql(contract, t):
        bad = con.execute(sql).fetchall()[0]  # fetch to the end: DuckDB 2 refuses new work on an unfinished result
        if bad and bad[0]:
            raise ContractViolation(f"table {t}, column {column}: {bad[0]} rows break rule {rule}")


def create_from_arrow(con: duckdb.DuckDBPyConnection, table: str, data: pa.Table) -> None:
    """Create (or replace) a warehouse table from an Arrow table."""
    con.register("_arrow_in", data)
    try:
        con.execute(f"create or replace table {table} as select * from _arrow_in")
    finally:
        con.unregister("_arrow_in")


def apply_distinct(
    con: duckdb.DuckDBPyConnection,
    source_sql: str,
    inputs: Sequence[str],
    func: Callable[..., dict[str, Any]],
    outputs: Sequence[tuple[str, str]],
    lookup_table: str,
) -> int:
    """Run a Python transform once per distinct input combination and store the results as a lookup table.

    Python only sees distinct values (names repeat a lot); the caller joins the lookup back in SQL.

    Args:
        source_sql: a query or table name holding the input columns.
        inputs: input column names, passed positionally to func.
        func: returns a dict with every output column.
        outputs: (column, DuckDB type) of func's results.
        lookup_table: created with the input columns (prefixed in_) and the outputs.

    Returns:
        The number of distinct inputs transformed.
    """
    cols = ", ".join(f'"{c}"' for c in inputs)
    distinct: pa.Table = con.sql(f"select distinct {cols} from ({source_sql}) order by all").to_arrow_table()
    values = [distinct.column(i).to_pylist() for i in range(len(inputs))]
    results = [func(*args) for args in zip(*values, strict=True)]
    arrays: dict[str, Any] = {f"in_{c}": distinct.column(i) for i, c in enumerate(inputs)}
    for name, _type in outputs:
        arrays[name] = [r.get(name) for r in results]
    con.register("_distinct_out", pa.table(arrays))
    try:
        casts = ", ".join(
            [f'"in_{c}"' for c in inputs] + [f'cast("{n}" as {t}) as "{n}"' for n, t in outputs]
        )
        con.execute(f"create or replace table {lookup_table} as select {casts} from _distinct_out")
    finally:
        con.unregister("_distinct_out")
    return len(results)
