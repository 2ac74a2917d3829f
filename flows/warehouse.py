"""The DuckDB warehouse: connections, contract enforcement, and Python transforms applied per distinct value."""

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from multiprocessing.connection import Connection
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


def relations(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Names of the warehouse's tables and views (std_* are views), sorted."""
    return [r[0] for r in con.execute(
        """select table_name from duckdb_tables() where not internal and database_name = current_database()
        union select view_name from duckdb_views() where not internal and database_name = current_database()
        order by 1"""
    ).fetchall()]


def drop_relation(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Drop the table or view of this name, if there is one (DuckDB's DROP names the kind)."""
    kinds = con.execute(
        "select 'table' from duckdb_tables() where table_name = ? and database_name = current_database() "
        "union all select 'view' from duckdb_views() where view_name = ? and database_name = current_database()",
        [name, name],
    ).fetchall()
    for (kind,) in kinds:
        con.execute(f'drop {kind} "{name}"')


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


# Below this many distinct values a worker process costs more than it saves.
PARALLEL_MIN_VALUES = 20_000
Columns = list[list[Any]]


def default_workers() -> int:
    """Processes for per-distinct Python work: SAPHAN_WORKERS, else one per core."""
    return max(1, int(os.environ.get("SAPHAN_WORKERS") or os.cpu_count() or 1))


def _map_columns(func: Callable[..., dict[str, Any]], rows: Sequence[tuple[Any, ...]], names: Sequence[str]) -> Columns:
    columns: Columns = [[] for _ in names]
    for args in rows:
        result = func(*args)
        for column, name in zip(columns, names, strict=True):
            column.append(result.get(name))
    return columns


def _send_result(work: Callable[[Any], Any], share: Any, out: Connection) -> None:
    out.send(work(share))
    out.close()


def in_forks(work: Callable[[Any], Any], shares: Sequence[Any]) -> list[Any]:
    """``[work(share) for share in shares]``, each share but the first in a forked process (the first here).

    Forked workers inherit the parent's warmed caches and need nothing pickled but their results. Where a
    process cannot be forked (a daemonic process, a Dask worker's, may have no children; no fork left) or a
    worker dies (killed, out of memory), its share runs here instead, so the answer never depends on the split.
    The caller decides whether forking pays (enough work, ``"fork"`` in multiprocessing's start methods).
    """
    ctx = multiprocessing.get_context("fork")
    started: list[tuple[Any, Connection | None]] = []
    for share in shares[1:]:
        receive, send = ctx.Pipe(duplex=False)
        try:
            process = ctx.Process(target=_send_result, args=(work, share, send), daemon=True)
            process.start()
        except (AssertionError, OSError):
            receive.close()
            started.append((None, None))
        else:
            started.append((process, receive))
        finally:
            send.close()
    results = [work(shares[0])] if shares else []
    for share, (process, pipe) in zip(shares[1:], started, strict=True):
        result, received = None, False
        if pipe is not None:
            try:
                result, received = pipe.recv(), True
            except EOFError:  # the worker died: its share is done here
                pass
            pipe.close()
            process.join()
        results.append(result if received else work(share))
    return results


@contextmanager
def heap_frozen() -> Iterator[None]:
    """Objects alive before a lookup is made are left out of the garbage collections made during it.

    A lookup makes ~10^6 small objects (rows, results, cache entries) on top of a heap of millions
    (dictionaries, the gazetteer, earlier lookups): each full collection walked the whole heap (GC took 2.9 s
    of a 1 M-row standardise stage; frozen, 1.0 s), and in a forked worker it would touch, and so copy, every
    inherited page. The collector keeps running (not disabled): the other threads of a Prefect run go on
    making garbage of their own.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def map_distinct(
    func: Callable[..., dict[str, Any]], rows: Sequence[tuple[Any, ...]], names: Sequence[str], workers: int = 1
) -> Columns:
    """func over every row, as one list per output name, in row order; split over forked worker processes
    (:func:`in_forks`: the parent works on the first share, a share no worker could do is done here)."""
    if workers < 2 or len(rows) < PARALLEL_MIN_VALUES or "fork" not in multiprocessing.get_all_start_methods():
        return _map_columns(func, rows, names)
    # The first row runs here first: it builds what func loads lazily (dictionaries, the gazetteer's indexes)
    # once, for the workers to inherit. Then every worker-th row, not contiguous blocks: sorted values
    # cluster cheap and costly ones together.
    head = _map_columns(func, rows[:1], names)
    rest = rows[1:]
    parts = in_forks(lambda share: _map_columns(func, share, names), [rest[i::workers] for i in range(workers)])
    columns: Columns = []
    for i in range(len(names)):
        column: list[Any] = [None] * len(rest)
        for w, part in enumerate(parts):
            column[w::workers] = part[i]
        columns.append(head[i] + column)
    return columns


def _arrow_column(values: list[Any], duckdb_type: str) -> pa.Array:
    # Told the type, Arrow converts text columns ~3x faster than when it infers one (0.7 s to 0.2 s for a
    # province's addresses); anything else, or a function that returned a non-string, is inferred and cast.
    if duckdb_type == "VARCHAR":
        try:
            return pa.array(values, type=pa.string())
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            pass
    return pa.array(values)


def distinct_inputs(con: duckdb.DuckDBPyConnection, source_sql: str, inputs: Sequence[str]) -> pa.Table:
    """The distinct combinations of the input columns, sorted (so a lookup table's row order is the same every run)."""
    cols = ", ".join(f'"{c}"' for c in inputs)
    return con.sql(f"select distinct {cols} from ({source_sql}) order by all").to_arrow_table()


def transform_rows(
    func: Callable[..., dict[str, Any]], rows: Sequence[tuple[Any, ...]], outputs: Sequence[tuple[str, str]],
    workers: int = 1,
) -> dict[str, pa.Array]:
    """func over each row of inputs (map_distinct), one Arrow array per output column, not yet cast to its type."""
    results = map_distinct(func, rows, [name for name, _type in outputs], workers)
    return {name: _arrow_column(values, type_) for (name, type_), values in zip(outputs, results, strict=True)}


def output_casts(outputs: Sequence[tuple[str, str]], alias: str = "") -> str:
    """The select list that gives each output column its DuckDB type."""
    return ", ".join(f'cast({alias}"{n}" as {t}) as "{n}"' for n, t in outputs)


def apply_distinct(
    con: duckdb.DuckDBPyConnection,
    source_sql: str,
    inputs: Sequence[str],
    func: Callable[..., dict[str, Any]],
    outputs: Sequence[tuple[str, str]],
    lookup_table: str,
    workers: int = 1,
    known: Sequence[str] = (),
) -> int:
    """Run a Python transform once per distinct input combination and store the results as a lookup table.

    Python only sees distinct values (names repeat a lot); the caller joins the lookup back in SQL.
    flows/lookup_cache.py does the same, reading values earlier runs transformed from the state folder.

    Args:
        source_sql: a query or table name holding the input columns.
        inputs: input column names, passed positionally to func.
        func: returns a dict with every output column.
        outputs: (column, DuckDB type) of func's results.
        lookup_table: created with the input columns (prefixed in_) and the outputs.
        workers: processes to share the Python work (map_distinct); 1 runs it all here.
        known: relations holding rows of the same function (in_* inputs and outputs, as this table's) whose
            values are read instead of computed (fill_lookup): the other dataset's lookup of the same name.

    Returns:
        The number of distinct inputs transformed.
    """
    with heap_frozen():  # the lookup's many small objects leave the rest of the heap out of collections
        distinct = distinct_inputs(con, source_sql, inputs)
        if known:
            fill_lookup(con, distinct, inputs, func, outputs, lookup_table, workers, known)
            return distinct.num_rows
        rows = list(zip(*(distinct.column(i).to_pylist() for i in range(len(inputs))), strict=True))
        arrays: dict[str, Any] = {f"in_{c}": distinct.column(i) for i, c in enumerate(inputs)}
        arrays.update(transform_rows(func, rows, outputs, workers))
        con.register("_distinct_out", pa.table(arrays))
        try:
            ins = ", ".join(f'"in_{c}"' for c in inputs)
            con.execute(f"create or replace table {lookup_table} as select {ins}, {output_casts(outputs)} "
                        "from _distinct_out")
        finally:
            con.unregister("_distinct_out")
        return len(rows)


def null_safe_on(inputs: Sequence[str], left: str, right: str) -> str:
    """Join condition on the in_* columns, a null input meeting a null (as a lookup's left join does)."""
    return " and ".join(f'{left}."in_{c}" is not distinct from {right}."in_{c}"' for c in inputs)


def fill_lookup(
    con: duckdb.DuckDBPyConnection,
    distinct: pa.Table,
    inputs: Sequence[str],
    func: Callable[..., dict[str, Any]],
    outputs: Sequence[tuple[str, str]],
    lookup_table: str,
    workers: int,
    known: Sequence[str],
) -> list[int]:
    """lookup_table with a row per row of ``distinct``, in its order: outputs read from the first of the ``known``
    relations that holds the inputs, func run only on the rest. The same table as apply_distinct's without them
    (func is a function of its inputs), so where a value came from never shows.

    Args:
        distinct: the distinct inputs (distinct_inputs), one column per input in ``inputs`` order.
        known: SQL relations (a table, ``read_parquet('…')``) with in_* input columns and the output columns,
            typed as outputs say; an input found twice in one is read from either row (they are equal).

    Returns:
        How many distinct inputs each known relation gave, in order.
    """
    ins = ", ".join(f'"in_{c}"' for c in inputs)
    outs = ", ".join(f'"{n}"' for n, _t in outputs)
    keyed = pa.table({**{f"in_{c}": distinct.column(i) for i, c in enumerate(inputs)},
                      "_i": pa.array(range(distinct.num_rows), type=pa.int64())})  # _i: the row order
    con.register("_fl_distinct", keyed)
    try:
        columns = ", ".join(f'"{n}" {t}' for n, t in outputs)
        con.execute(f"create or replace temp table _fl_hit (_i bigint, {columns})")
        found = []
        for relation in known:
            rows = con.execute(f"""insert into _fl_hit
                select d._i, {", ".join(f'c."{n}"' for n, _t in outputs)}
                from (select * from _fl_distinct anti join _fl_hit using (_i)) d
                join (select distinct on ({ins}) * from {relation}) c on {null_safe_on(inputs, "d", "c")}
            """).fetchall()
            found.append(int(rows[0][0]) if rows else 0)
        misses = con.sql(f"select {ins}, _i from _fl_distinct anti join _fl_hit using (_i) order by _i")
        misses = misses.to_arrow_table()
        rows_in = list(zip(*(misses.column(i).to_pylist() for i in range(len(inputs))), strict=True))
        con.register("_fl_computed", pa.table({"_i": misses.column("_i"),
                                               **transform_rows(func, rows_in, outputs, workers)}))
        try:
            con.execute(f"""create or replace table {lookup_table} as
                with found as (
                    select _i, {outs} from _fl_hit
                    union all
                    select _i, {output_casts(outputs)} from _fl_computed
                ),
                final as (
                    select d._i, {", ".join(f'd."in_{c}"' for c in inputs)}, {", ".join(
                        f'f."{n}"' for n, _t in outputs)}
                    from _fl_distinct d join found f using (_i)
                )
                select {ins}, {outs} from final order by _i""")
        finally:
            con.unregister("_fl_computed")
    finally:
        con.unregister("_fl_distinct")
        con.execute("drop table if exists _fl_hit")
    return found
