"""Linkage per trap and per difference (issue 14, point 7): saphan beside stock Splink on the same files, same run.

    python -m benchmarks.bench_traps --households 3000 --seed 1

Writes a trap set (benchmarks.trap_generator, written apart from saphan's sample writer) into benchmarks/work/,
ingests and standardises it with saphan's stages on one DuckDB file (no Prefect), then links a copy with saphan's
link stage and another with Splink and stock comparisons (benchmarks.bench_linkage.run_stock, on the same
standardised columns). Scores every roster row against the truth table: precision, recall and F1 overall and per
kind, false links per trap (goal for saphan: 0), links to the trap's decoy, and for saphan the rows left in review.
Prints a table and writes benchmarks/results/traps.json (with the machine's speed probe).
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import duckdb

from benchmarks.trap_generator import DIFFERENCES, KINDS, TRAPS

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "benchmarks" / "work"
RESULTS = ROOT / "benchmarks" / "results" / "traps.json"


def prepare(folder: Path, households: int, seed: int) -> Path:
    """Write the trap set and its standardised warehouse (std_roster, std_poverty) under folder."""
    from benchmarks.trap_files import write_trap_set
    from benchmarks.trap_generator import generate
    from flows.ingest import ingest_files
    from flows.standardise import standardise
    from flows.warehouse import connect
    from schemas.contracts import QUARANTINE

    if folder.exists():
        shutil.rmtree(folder)
    write_trap_set(generate(households, seed), folder, seed)
    warehouse = folder / "std.duckdb"
    with connect(warehouse, "2GB") as con:
        con.execute("create or replace table quarantine ("
                    + ", ".join(f'"{c.name}" {c.type}' for c in QUARANTINE.columns) + ")")
        for dataset, sub in (("roster", "rosters"), ("poverty", "poverty")):
            ingest_files(con, dataset, [str(folder / sub)], {})
            standardise(con, dataset, {"warehouse": {"workers": 1}})
    return warehouse


def run_saphan(warehouse: Path) -> float:
    """saphan's link stage; leaves bench_links (linked pairs) and bench_review (roster rows in review)."""
    from flows.link import link
    from flows.warehouse import connect

    with connect(warehouse) as con:
        t = time.perf_counter()
        link(con)
        seconds = time.perf_counter() - t
        con.execute("create or replace table bench_links as select roster_file, roster_row, poverty_file, "
                    "poverty_row from links where poverty_row is not null")
        con.execute("create or replace table bench_review as select distinct r.source_file as roster_file, "
                    "r.source_row as roster_row from review q join std_roster r on r.record_id = q.roster_record_id")
    return seconds


def score_sql(truth_csv: Path) -> str:
    """Per roster row of truth: its kind and outcome (tp, fp, fn, tn), whether it went to the decoy or review."""
    return f"""
with truth as (
    select roster_file, roster_row::bigint as roster_row, kind,
        nullif(poverty_file, '') as poverty_file, try_cast(poverty_row as bigint) as poverty_row,
        nullif(decoy_file, '') as decoy_file, try_cast(decoy_row as bigint) as decoy_row
    from read_csv('{truth_csv}', all_varchar = true)
),
joined as (
    select t.*, l.poverty_file as got_file, l.poverty_row as got_row,
        exists (select 1 from std_roster s where s.source_file = t.roster_file and s.source_row = t.roster_row)
            as accepted,
        exists (select 1 from bench_review q where q.roster_file = t.roster_file and q.roster_row = t.roster_row)
            as in_review
    from truth t
    left join bench_links l using (roster_file, roster_row)
),
final as (
    select kind, accepted, in_review,
        got_file is not null and got_file = poverty_file and got_row = poverty_row as tp,
        got_file is not null and not coalesce(got_file = poverty_file and got_row = poverty_row, false) as fp,
        poverty_file is not null and not coalesce(got_file = poverty_file and got_row = poverty_row, false) as fn,
        coalesce(got_file = decoy_file and got_row = decoy_row, false) as to_decoy
    from joined
)
select kind, count(*) as rows, count(*) filter (accepted) as accepted, count(*) filter (tp) as tp,
    count(*) filter (fp) as fp, count(*) filter (fn) as fn, count(*) filter (to_decoy) as to_decoy,
    count(*) filter (in_review and not tp) as in_review
from final group by kind order by kind
"""


def _prf(tp: int, fp: int, fn: int) -> dict[str, float | None]:
    p = tp / (tp + fp) if tp + fp else None
    r = tp / (tp + fn) if tp + fn else None
    f1 = 2 * p * r / (p + r) if p is not None and r is not None and p + r else None
    return {"precision": None if p is None else round(p, 4), "recall": None if r is None else round(r, 4),
            "f1": None if f1 is None else round(f1, 4)}


def score(warehouse: Path, truth_csv: Path) -> dict[str, Any]:
    """Overall and per-kind figures of one linker's bench_links against the truth table."""
    with duckdb.connect(str(warehouse)) as con:
        # stock Splink has no review queue: an empty one
        con.execute("create table if not exists bench_review (roster_file varchar, roster_row bigint)")
        cols = ("rows", "accepted", "tp", "fp", "fn", "to_decoy", "in_review")
        kinds: dict[str, dict[str, Any]] = {k: dict(zip(cols, map(int, v), strict=True))
                 for k, *v in con.execute(score_sql(truth_csv)).fetchall()}
    for v in kinds.values():
        v |= _prf(v["tp"], v["fp"], v["fn"])
    total = {c: sum(v[c] for v in kinds.values()) for c in cols}
    return {"overall": total | _prf(total["tp"], total["fp"], total["fn"]), "kinds": kinds,
            "trap_false_links": {k: kinds.get(k, {}).get("fp", 0) for k in TRAPS}}


def bench(households: int, seed: int, skip_stock: bool = False) -> dict[str, Any]:
    """Generate, standardise, link with each linker on its own copy, and score; the report as a dictionary."""
    from benchmarks.bench_linkage import run_stock
    from benchmarks.bench_pipeline import machine

    folder = WORK / f"traps_{households}_{seed}"
    probe = machine()
    t = time.perf_counter()
    warehouse = prepare(folder, households, seed)
    report: dict[str, Any] = {"households": households, "seed": seed, "machine": probe,
                              "prepare_seconds": round(time.perf_counter() - t, 1)}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        report["roster_rows"], report["poverty_rows"] = con.execute(
            "select (select count(*) from std_roster), (select count(*) from std_poverty)").fetchall()[0]
    for which in ("saphan", "stock_splink")[: 1 if skip_stock else 2]:
        copy = folder / f"{which}.duckdb"
        shutil.copyfile(warehouse, copy)
        seconds = run_saphan(copy) if which == "saphan" else run_stock(copy, seed)["seconds"]
        report[which] = {"link_seconds": round(seconds, 1)} | score(copy, folder / "truth.csv")
        copy.unlink()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    report["commit"] = commit.stdout.strip()
    return report


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.4f}"


def render(report: dict[str, Any]) -> str:
    """The table: per kind, rows and saphan's / stock's precision, recall, F1, false links and links to decoys."""
    linkers = [w for w in ("saphan", "stock_splink") if w in report]
    head = f"{'kind':<28}{'rows':>6}" + "".join(
        f"{w[:6] + ' P':>10}{'R':>8}{'F1':>8}{'FP':>5}{'decoy':>6}" for w in linkers) + f"{'review':>8}"
    lines = [f"households {report['households']:,} seed {report['seed']}: roster {report['roster_rows']:,} x "
             f"poverty {report['poverty_rows']:,}", head]
    order = [k for k in KINDS if k not in TRAPS and k not in DIFFERENCES] + list(TRAPS) + list(DIFFERENCES)
    for kind in [*order, "overall"]:
        figs = [report[w]["overall"] if kind == "overall" else report[w]["kinds"].get(kind) for w in linkers]
        if figs[0] is None:
            continue
        line = f"{kind:<28}{figs[0]['rows']:>6}"
        for f in figs:
            line += (f"{_fmt(f['precision']):>10}{_fmt(f['recall']):>8}{_fmt(f['f1']):>8}{f['fp']:>5}"
                     f"{f['to_decoy']:>6}")
        lines.append(line + f"{figs[0]['in_review']:>8}")
    for w in linkers:
        lines.append(f"{w}: false links on traps {report[w]['trap_false_links']}, link {report[w]['link_seconds']} s")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-stock", action="store_true")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    WORK.mkdir(parents=True, exist_ok=True)
    report = bench(args.households, args.seed, args.skip_stock)
    print(render(report))  # noqa: T201 - the benchmark's output
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    previous[f"{args.households}_{args.seed}"] = report
    RESULTS.write_text(json.dumps(previous, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
