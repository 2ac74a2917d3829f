"""Linkage accuracy, time and memory: saphan's tiered link stage against Splink with stock comparisons.

    python -m benchmarks.bench_linkage --households 100000 --seed 1

Generates inputs with flows.sample.write_sample into benchmarks/work/ (git-ignored), ingests and standardises
them into a DuckDB file (the lead's stages), then runs each linker in its own process on a copy of that
warehouse (so peak RSS is the linker's own) and compares its links with truth.csv. Prints a table and
writes benchmarks/results/linkage.json.
"""

import argparse
import json
import logging
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.cache_key import code_key

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "benchmarks" / "work"
RESULTS = ROOT / "benchmarks" / "results" / "linkage.json"



def _peak_rss_mb() -> float:
    """This process's own peak RSS: VmHWM (ru_maxrss keeps the parent's peak across fork + exec on Linux)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def prepare(households: int, seed: int, memory_limit: str) -> tuple[Path, Path, dict[str, Any]]:
    """Write the sample (once per size and seed) and build std_roster / std_poverty in a warehouse file."""
    from flows.ingest import ingest_files
    from flows.sample import write_sample
    from flows.standardise import standardise
    from flows.warehouse import connect
    from schemas.contracts import QUARANTINE

    sample = WORK / f"sample_{households}_{seed}_{code_key()}"  # made by this code, never an older one's
    warehouse = WORK / f"std_{households}_{seed}_{code_key()}.duckdb"
    info: dict[str, Any] = {}
    if not (sample / "truth.csv").exists():
        t = time.perf_counter()
        write_sample(sample, households=households, seed=seed)
        info["sample_seconds"] = round(time.perf_counter() - t, 1)
    if not warehouse.exists():
        partial = warehouse.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        t = time.perf_counter()
        with connect(partial, memory_limit) as con:
            con.execute("create or replace table quarantine ("
                        + ", ".join(f'"{c.name}" {c.type}' for c in QUARANTINE.columns) + ")")
            for dataset, folder in (("roster", "rosters"), ("poverty", "poverty")):
                ingest_files(con, dataset, [str(sample / folder)], {})
                standardise(con, dataset, {})
        os.replace(partial, warehouse)
        info["ingest_standardise_seconds"] = round(time.perf_counter() - t, 1)
    return sample, warehouse, info


def run_saphan(warehouse: Path) -> dict[str, Any]:
    """The link stage as the pipeline runs it."""
    from flows.link import link
    from flows.warehouse import connect

    with connect(warehouse) as con:
        t = time.perf_counter()
        methods = link(con)
        seconds = time.perf_counter() - t
        con.execute("create or replace table bench_links as select roster_file, roster_row, poverty_file, "
                    "poverty_row from links where poverty_row is not null")
        blocking = con.execute("select rule, pairs from int_blocking_report order by rule_order").fetchall()
    return {"seconds": round(seconds, 1), "methods": methods, "blocking": dict(blocking)}


def stock_best_links(con: Any, seed: int) -> None:
    """Splink with stock comparisons and simple blocking, trained the usual way: from tables stock_roster and
    stock_poverty (record_id, first_name, last_name, cid, area, birth_year_be) into stock_best (roster_id,
    poverty_id, match_probability), the best pair at probability >= 0.9 per roster record.

    The peer from raw files (benchmarks/stock_peer.py) runs this same function on its own reading of the files.
    """
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    db_api = DuckDBAPI(connection=con)
    frames = [db_api.register(f"stock_{d}", dataset_display_name=d) for d in ("roster", "poverty")]
    settings = SettingsCreator(
        link_type="link_only",
        unique_id_column_name="record_id",
        comparisons=[
            cl.NameComparison("first_name"), cl.NameComparison("last_name"),
            cl.ExactMatch("cid"), cl.ExactMatch("area"), cl.ExactMatch("birth_year_be"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("first_name", "last_name"), block_on("area", "birth_year_be"), block_on("cid"),
        ],
    )
    linker = Linker(frames, settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match([block_on("cid")], recall=0.9)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=seed)
    for rule in (block_on("first_name", "last_name"), block_on("area", "birth_year_be")):
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    predictions = linker.inference.predict(threshold_match_probability=0.9, warning_mode="never")
    con.execute(f"""
create or replace table stock_best as
with pairs as (
    select case when source_dataset_l = 'roster' then record_id_l else record_id_r end as roster_id,
        case when source_dataset_l = 'roster' then record_id_r else record_id_l end as poverty_id,
        match_probability
    from {predictions.physical_name}
),
best as (
    select *, row_number() over (partition by roster_id order by match_probability desc, poverty_id) as nth
    from pairs
)
select roster_id, poverty_id, match_probability from best where nth = 1
""")


def run_stock(warehouse: Path, seed: int) -> dict[str, Any]:
    """Splink with stock comparisons and simple blocking on saphan's standardised columns (std_*), best link per
    roster record."""
    from flows.warehouse import connect

    with connect(warehouse) as con:
        t = time.perf_counter()
        cols = "record_id, first_name, last_name, cid, subdistrict_code as area, birth_year_be"
        for d in ("roster", "poverty"):
            con.execute(f"create or replace table stock_{d} as select {cols} from std_{d}")
        stock_best_links(con, seed)
        con.execute("""
create or replace table bench_links as
select r.source_file as roster_file, r.source_row as roster_row,
    p.source_file as poverty_file, p.source_row as poverty_row
from stock_best b join std_roster r on r.record_id = b.roster_id join std_poverty p on p.record_id = b.poverty_id
""")
        seconds = time.perf_counter() - t
    return {"seconds": round(seconds, 1)}


def score(warehouse: Path, truth_csv: Path) -> dict[str, Any]:
    """Precision and recall of bench_links against truth.csv (roster row -> poverty row)."""
    import duckdb

    with duckdb.connect(str(warehouse)) as con:
        con.execute(f"""
create or replace table bench_truth as
select roster_file, roster_row::bigint as roster_row, poverty_file, poverty_row::bigint as poverty_row
from read_csv('{truth_csv}', all_varchar = true)
where poverty_row is not null and poverty_row <> ''
""")
        found, right, truth, truth_accepted = con.execute("""
with matched as (
    select count(*) as n
    from bench_links l join bench_truth t using (roster_file, roster_row, poverty_file, poverty_row)
)
select (select count(*) from bench_links), (select n from matched), (select count(*) from bench_truth),
    (select count(*) from bench_truth t
        where exists (select 1 from std_roster r where r.source_file = t.roster_file and r.source_row = t.roster_row)
        and exists (select 1 from std_poverty p where p.source_file = t.poverty_file and p.source_row = t.poverty_row))
""").fetchall()[0]
    return {
        "links": found, "correct": right, "true_links": truth, "true_links_accepted": truth_accepted,
        "precision": round(right / found, 5) if found else None,
        "recall": round(right / truth, 5) if truth else None,
        "recall_of_accepted": round(right / truth_accepted, 5) if truth_accepted else None,
    }


def child(which: str, warehouse: Path, seed: int) -> None:
    """Run one linker in this process and print its result (with this process's peak RSS) as JSON."""
    result = run_saphan(warehouse) if which == "saphan" else run_stock(warehouse, seed)
    result["peak_rss_mb"] = round(_peak_rss_mb())
    print(json.dumps(result))


def bench(households: int, seed: int, memory_limit: str, skip_stock: bool) -> dict[str, Any]:
    sample, warehouse, info = prepare(households, seed, memory_limit)
    with_sizes: dict[str, Any] = {"households": households, "seed": seed, **info}
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        with_sizes["roster_rows"], with_sizes["poverty_rows"] = con.execute(
            "select (select count(*) from std_roster), (select count(*) from std_poverty)"
        ).fetchall()[0]
    rows = []
    for which in ("saphan", "stock_splink")[: 1 if skip_stock else 2]:
        copy = WORK / f"{which}_{households}_{seed}.duckdb"
        shutil.copyfile(warehouse, copy)
        out = subprocess.run(
            [sys.executable, "-m", "benchmarks.bench_linkage", "--child", which, "--warehouse", str(copy),
             "--seed", str(seed)],
            cwd=ROOT, check=True, capture_output=True, text=True,
        )
        result = json.loads(out.stdout.strip().splitlines()[-1])
        result |= score(copy, sample / "truth.csv")
        rows.append({"linker": which, **result})
        copy.unlink()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    machine = {"cpus": os.cpu_count(), "python": platform.python_version()}
    return {**with_sizes, "commit": commit.stdout.strip(), "machine": machine, "rows": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--memory-limit", default="4GB")
    parser.add_argument("--skip-stock", action="store_true")
    parser.add_argument("--child", choices=("saphan", "stock_splink"), help=argparse.SUPPRESS)
    parser.add_argument("--warehouse", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    if args.child:
        child(args.child, args.warehouse, args.seed)
        return
    WORK.mkdir(parents=True, exist_ok=True)
    report = bench(args.households, args.seed, args.memory_limit, args.skip_stock)
    print(f"households {report['households']:,}: roster {report['roster_rows']:,} x poverty {report['poverty_rows']:,}")
    print("recall counts every true link; recall_acc only those whose two rows standardise accepted")
    print(f"{'linker':<14}{'precision':>10}{'recall':>9}{'recall_acc':>11}{'links':>9}{'seconds':>9}{'peak MB':>9}")
    for r in report["rows"]:
        print(f"{r['linker']:<14}{r['precision']:>10}{r['recall']:>9}{r['recall_of_accepted']:>11}{r['links']:>9}"
              f"{r['seconds']:>9}{r['peak_rss_mb']:>9}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    previous[f"{args.households}_{args.seed}"] = report
    RESULTS.write_text(json.dumps(previous, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
