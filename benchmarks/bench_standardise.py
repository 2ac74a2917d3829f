"""Time the real standardise stage (flows.standardise.standardise) on a province-sized roster.

Run: .venv/bin/python -m benchmarks.bench_standardise --rows 1000000

The rows are the project's synthetic fund rosters (transforms/synth.py: names from pythainlp's corpora with
Zipf-like popularity, surnames shared per household, titles in their own column, glued or abbreviated, IDs
and dates in the forms the five roster layouts carry them, split-field and free-text addresses), laid into
raw_roster the way ingest leaves them. They are generated once in a child process and kept in
benchmarks/work/raw_roster_<rows>_<seed>.duckdb, so the timed process holds only the stage: wall time,
CPU time (the fairer figure on a shared machine) and peak RSS. Writes benchmarks/results/standardise.json.
"""

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from benchmarks.cache_key import code_key

WORK = Path(__file__).parent / "work"
RESULTS = Path(__file__).parent / "results"
ROWS_PER_HOUSEHOLD = 0.89  # roster rows the generator makes per household (89,609 for 100,000)
_CELL_TO_FIELD = {"first": "first_name", "last": "last_name", "full": "full_name", "cid": "citizen_id",
                  "birth": "birth_date", "postal": "postal_code"}



def generate(path: Path, rows: int, seed: int) -> None:
    """Write raw_roster with `rows` rows of synthetic rosters (all text cells, with lineage) to path."""
    import pyarrow as pa

    from schemas.contracts import raw_contract
    from transforms import synth

    _ARROW = {"INTEGER": pa.int32(), "BIGINT": pa.int64()}

    population = synth.make_population(int(rows / ROWS_PER_HOUSEHOLD) + 1000, seed=seed)
    parts = []
    for i, (fund_name, fmt, table) in enumerate(synth.make_rosters(population, seed=seed)):
        n = table.num_rows
        cells = {_CELL_TO_FIELD.get(c, c): table.column(h) for h, c in synth._LAYOUTS[fmt].items()}
        parts.append(pa.table({
            "source_file": pa.array([f"fund_{i:04d}_{fmt}.csv"] * n),
            "source_sha256": pa.array([f"{i:064d}"] * n),
            "source_row": pa.array(range(1, n + 1), pa.int64()),
            "source_sheet": pa.array([""] * n),
            "source_line": pa.array(range(2, n + 2), pa.int64()),  # one header line above
            **{c.name: cells.get(c.name, pa.nulls(n, _ARROW.get(c.type, pa.string())))
               for c in raw_contract("roster").columns[5:]},
        }))
        del fund_name
    table = pa.concat_tables(parts).slice(0, rows)
    with duckdb.connect(str(path)) as con:
        con.register("_raw", table)
        con.execute("create table raw_roster as select * from _raw")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--generate-only", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate_only:
        generate(args.generate_only, args.rows, args.seed)
        return
    source = WORK / f"raw_roster_{args.rows}_{args.seed}_{code_key()}.duckdb"  # made by this code's contract
    if not source.exists():
        WORK.mkdir(exist_ok=True)
        tmp = source.with_suffix(".tmp")
        tmp.unlink(missing_ok=True)
        subprocess.run([sys.executable, "-m", "benchmarks.bench_standardise", "--rows", str(args.rows),
                        "--seed", str(args.seed), "--generate-only", str(tmp)], check=True)
        tmp.rename(source)

    from benchmarks.bench_pipeline import cpu_seconds, machine  # CPU: this process and its joined workers
    from flows.standardise import standardise
    from flows.warehouse import connect, default_workers
    from schemas.contracts import QUARANTINE

    host = machine()  # before the stage: its speed probe says how fast the VM is just now
    with tempfile.TemporaryDirectory() as tmpdir:
        warehouse = Path(tmpdir) / "w.duckdb"
        shutil.copy(source, warehouse)
        con = connect(warehouse)
        con.execute(f"create table quarantine ({', '.join(f'{c.name} {c.type}' for c in QUARANTINE.columns)})")
        rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t0, cpu0 = time.perf_counter(), cpu_seconds()
        distinct = standardise(con, "roster", {})
        wall, cpu = time.perf_counter() - t0, cpu_seconds() - cpu0
        accepted = con.execute("select count(*) from std_roster").fetchone()
        statuses = dict(con.execute("select cid_status, count(*) from stg_roster group by 1 order by 1").fetchall())
        con.close()
    record = {
        "rows": args.rows, "seed": args.seed, "accepted": accepted[0] if accepted else 0, "distinct": distinct,
        "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),  # CPU: the fairer figure on a shared machine
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        # the largest worker process's peak; while one ran beside the stage, the sum bounds their joint peak
        "worker_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
        "workers": default_workers(),
        "rss_before_mb": round(rss0 / 1024), "cid_status": statuses, "machine": host,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "standardise.json").write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n")
    print(f"bench_standardise: {args.rows:,} roster rows standardised in {record['wall_s']} s wall, "  # noqa: T201
          f"{record['cpu_s']} s CPU, peak RSS {record['peak_rss_mb']} MB (+ {record['worker_peak_rss_mb']} MB worker) "
          f"({sum(distinct.values()):,} distinct values through Python; speed probe {host['speed_probe_s']} s)")
    print(json.dumps(record, ensure_ascii=False))  # noqa: T201


if __name__ == "__main__":
    main()
