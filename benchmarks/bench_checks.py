"""The input checks `saphan run` makes before its flow, then the ingest after them, timed in one process as the
run does them (issue 17 point 2): flows/cli_inspect.check_inputs on the sample's rosters and poverty folders, then
flows/ingest.ingest_files for the rosters and for the poverty extract (no ingest cache: a cold run's reading).
Wall and CPU seconds of each (CPU: this process's and its reaped children's, the forked readers).

    python -m benchmarks.bench_checks benchmarks/work/sample_400000_1
    python -m benchmarks.bench_checks benchmarks/work/sample_100000_1 --dump /tmp/before   # outputs to compare
    python -m benchmarks.bench_checks benchmarks/work/sample_400000_1 --ingest-cache   # as `saphan run` does

``--ingest-cache``: the ingest also saves each file to a fresh per-file ingest cache (flows/ingest_cache.py), as a
cold `saphan run` into a new --out does (its check finds no cache to read); the cache is removed afterwards.

``--dump DIR`` writes raw_roster, raw_poverty, raw_columns and quarantine as Parquet and the file reports as JSON,
so two versions of the code can be compared table for table (``--compare DIR_A DIR_B``).
No Prefect server starts here: in `saphan run` one starts in another process during the checks.
"""

import argparse
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run(sample: Path, dump: Path | None, ingest_cache: bool = False) -> dict[str, Any]:
    start, cpu0 = time.perf_counter(), _cpu()
    import shutil
    import tempfile

    import duckdb

    from flows.cli_inspect import check_inputs
    from flows.ingest import ingest_files
    from flows.ingest_cache import IngestCache
    from schemas.contracts import QUARANTINE

    out: dict[str, Any] = {"imports": [round(time.perf_counter() - start, 2), round(_cpu() - cpu0, 2)]}
    t, c = time.perf_counter(), _cpu()
    errors = check_inputs([str(sample / "rosters")], [str(sample / "poverty")])
    out["checks"] = [round(time.perf_counter() - t, 2), round(_cpu() - c, 2)]
    out["check_errors"] = errors
    con = duckdb.connect()
    con.execute("create table quarantine (" + ", ".join(f'"{c.name}" {c.type}' for c in QUARANTINE.columns) + ")")
    reports = []
    cache_dir = Path(tempfile.mkdtemp(prefix="bench_checks_cache_")) if ingest_cache else None
    try:
        for dataset, folder in (("roster", "rosters"), ("poverty", "poverty")):
            t, c = time.perf_counter(), _cpu()
            cache = IngestCache(cache_dir, dataset) if cache_dir else None
            reports += ingest_files(con, dataset, [str(sample / folder)], {}, 2568, cache=cache)
            out[f"ingest.{dataset}"] = [round(time.perf_counter() - t, 2), round(_cpu() - c, 2)]
    finally:
        if cache_dir:
            shutil.rmtree(cache_dir, ignore_errors=True)
    out["total"] = [round(time.perf_counter() - start, 2), round(_cpu() - cpu0, 2)]
    out["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    if dump is not None:
        dump.mkdir(parents=True, exist_ok=True)
        for table in ("raw_roster", "raw_poverty", "raw_columns", "quarantine"):
            con.execute(f"copy (select * from {table}) to '{dump / table}.parquet' (format parquet)")
        (dump / "reports.json").write_text(json.dumps([r.as_dict() for r in reports], ensure_ascii=False, indent=1))
        (dump / "checks.json").write_text(json.dumps(errors, ensure_ascii=False))
    return out


def compare(a: Path, b: Path) -> list[str]:
    """The differences between two dumps: tables compared row for row in their stored order, files byte for byte."""
    import pyarrow.parquet as pq

    diffs = []
    for name in ("raw_roster", "raw_poverty", "raw_columns", "quarantine"):
        ta, tb = pq.read_table(a / f"{name}.parquet"), pq.read_table(b / f"{name}.parquet")
        if not ta.equals(tb):
            diffs.append(f"{name}: {ta.num_rows} vs {tb.num_rows} rows, not equal")
    for name in ("reports.json", "checks.json"):
        if (a / name).read_bytes() != (b / name).read_bytes():
            diffs.append(f"{name} differs")
    return diffs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sample", nargs="?", type=Path)
    parser.add_argument("--dump", type=Path)
    parser.add_argument("--compare", nargs=2, type=Path)
    parser.add_argument("--ingest-cache", action="store_true", help="save to a fresh ingest cache, as saphan run")
    args = parser.parse_args()
    if args.compare:
        diffs = compare(*args.compare)
        print("\n".join(diffs) or "equal: raw_roster, raw_poverty, raw_columns, quarantine, reports, checks")  # noqa: T201
        return 1 if diffs else 0
    print(json.dumps(run(args.sample, args.dump, args.ingest_cache)))  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
