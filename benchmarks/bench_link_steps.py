"""The link stage alone, step by step, on a copy of a finished run's warehouse; and its outputs, to compare.

    python -m benchmarks.bench_link_steps WAREHOUSE --memory-limit 1GB --dump DIR [--explain]

Copies WAREHOUSE (a `saphan run` warehouse: std_* and stg_* present) beside itself, runs flows.link.link with the
pipeline's defaults on the copy under DuckDB's `memory_limit`, and prints each timed step (wall and CPU seconds,
flows/timing.py). With --dump, writes what the link stage makes (the model text, links, review, the Splink pair and
input tables, ...) as Parquet under DIR, so two code versions' outputs can be compared row for row (--compare A B).
With --explain, runs the slowest statements of the last step again under EXPLAIN ANALYZE and prints their plans.
"""

import argparse
import re
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

OUTPUTS = ("int_link_model", "links", "review", "int_splink_pairs", "int_splink_roster", "int_splink_poverty",
           "int_link_vetoed", "int_links", "int_link_probabilistic", "int_blocking_report", "int_id_typo_candidates",
           "int_link_exact", "int_link_id_typo")


class _Timed:
    """The connection, each of saphan's own statements timed (wall, CPU) under the step it ran in; Splink is given
    the connection itself (its statements count in the step only)."""

    def __init__(self, con: Any, stats: dict[str, list[float]]) -> None:
        self._con, self._stats = con, stats

    def __getattr__(self, name: str) -> Any:
        return getattr(self._con, name)

    def execute(self, sql: str, *args: Any, **kwargs: Any) -> Any:
        from flows import timing

        made = re.search(r"create or replace (?:temp )?table (\w+)", sql)
        label = f"{timing._parent.get()} | {made.group(1) if made else sql.strip().splitlines()[0][:50]}"
        wall, cpu = time.perf_counter(), timing.cpu_seconds()
        result = self._con.execute(sql, *args, **kwargs)
        stat = self._stats.setdefault(label, [0.0, 0.0, 0])
        stat[0] += time.perf_counter() - wall
        stat[1] += timing.cpu_seconds() - cpu
        stat[2] += 1
        return result


def _time_splink(stats: dict[str, list[float]]) -> None:
    """Splink's statements timed too, under the step they ran in (labelled by the table each makes)."""
    from splink.internals.duckdb.database_api import DuckDBAPI

    from flows import timing

    real = DuckDBAPI._execute_sql_against_backend

    def execute(self: Any, final_sql: str) -> Any:
        made = re.search(r"create table (\w+)", final_sql, re.IGNORECASE)
        label = f"{timing._parent.get()} | splink {made.group(1) if made else final_sql.strip()[:40]}"
        wall, cpu = time.perf_counter(), timing.cpu_seconds()
        result = real(self, final_sql)
        stat = stats.setdefault(label, [0.0, 0.0, 0])
        stat[0] += time.perf_counter() - wall
        stat[1] += timing.cpu_seconds() - cpu
        stat[2] += 1
        return result

    DuckDBAPI._execute_sql_against_backend = execute  # type: ignore[method-assign]


def run(warehouse: Path, memory_limit: str, dump: Path | None, explain: bool) -> None:
    import flows.link
    from flows import timing
    from flows.link import link
    from flows.warehouse import connect

    real_api = flows.link.DuckDBAPI
    flows.link.DuckDBAPI = lambda connection: real_api(  # type: ignore[assignment,misc]
        connection=connection._con if isinstance(connection, _Timed) else connection)
    stats: dict[str, list[float]] = {}
    _time_splink(stats)

    copy = warehouse.with_name(warehouse.stem + ".linkcopy.duckdb")
    shutil.copyfile(warehouse, copy)
    try:
        timing.reset()
        con = connect(copy, memory_limit)
        wall, cpu = time.perf_counter(), timing.cpu_seconds()
        with timing.timed("link"):
            methods = link(_Timed(con, stats))  # type: ignore[arg-type]
        wall, cpu = time.perf_counter() - wall, timing.cpu_seconds() - cpu
        print(f"link: {wall:.1f} s wall, {cpu:.1f} s CPU, memory_limit {memory_limit}, {methods}")
        for name, step in timing.steps().items():
            print(f"  {name:60s} {step.seconds:7.2f} {step.cpu_seconds:7.2f}  x{step.calls}")
        print("statements (wall, CPU s):")
        for label, (w, c, n) in sorted(stats.items(), key=lambda kv: -kv[1][1]):
            if c >= 0.05:
                print(f"  {label:70s} {w:7.2f} {c:7.2f}  x{int(n)}")
        if explain:
            _explain(con)
        if dump:
            dump.mkdir(parents=True, exist_ok=True)
            for table in OUTPUTS:
                con.execute(f"copy (select * from {table}) to '{dump / table}.parquet' (format parquet)")
        con.close()
    finally:
        copy.unlink(missing_ok=True)
        Path(str(copy) + ".wal").unlink(missing_ok=True)


def _explain(con: Any) -> None:
    from transforms.link_sql import links_sql, review_sql, splink_vetoes_sql

    for name, sql in (("review", review_sql(0.5, 0.9)), ("links", links_sql())):
        t = time.perf_counter()
        plan = con.execute("explain analyze " + sql).fetchall()
        print(f"== {name}: {time.perf_counter() - t:.2f} s")
        print(plan[0][1])
    del splink_vetoes_sql


def compare(a: Path, b: Path) -> int:
    """Each output table of two dumps equal row for row, in order; the number that differ."""
    bad = 0
    for table in OUTPUTS:
        ta, tb = pq.read_table(a / f"{table}.parquet"), pq.read_table(b / f"{table}.parquet")
        same = ta.equals(tb)
        bad += not same
        print(f"{table:28s} {ta.num_rows:>9,} rows  {'equal' if same else 'DIFFERENT'}")
    return bad


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warehouse", type=Path, nargs="?")
    parser.add_argument("--memory-limit", default="1GB")
    parser.add_argument("--dump", type=Path)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--compare", type=Path, nargs=2)
    args = parser.parse_args()
    if args.compare:
        sys.exit(1 if compare(*args.compare) else 0)
    run(args.warehouse, args.memory_limit, args.dump, args.explain)


if __name__ == "__main__":
    main()
