"""Standardise and the Splink model, cold against warm caches (flows/lookup_cache.py, link_model's model cache).

    python -m benchmarks.bench_rerun_lookups --households 100000

One sample (benchmarks/work/sample_<households>_<seed>, made by bench_pipeline.ensure_sample) is ingested once
in a child process. Then, in one fresh process, back to back on copies of that warehouse: standardise with an
empty cache (cold: every value computed, then written) and with the filled cache (warm), and the link stage
training its model (cold) and taking it from the cache (warm). Standardise without any cache runs in a fresh
child process of its own: the rules' in-process caches (names, gazetteer) would otherwise make whichever run
comes second look cheaper. CPU seconds (the process and its joined workers) are the figures to compare; wall
seconds beside them. The warm run's tables are checked equal to the run without a cache (except all, both
ways), and so are the links, review and scored pairs of the two link runs.
Writes benchmarks/results/rerun_lookups.json.
"""

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.bench_pipeline import RESULTS, ROOT, WORK, cpu_seconds, ensure_sample, machine

DATASETS = ("roster", "poverty")


def _timed(step: Any) -> tuple[Any, float, float]:
    t0, c0 = time.perf_counter(), cpu_seconds()
    value = step()
    return value, round(cpu_seconds() - c0, 2), round(time.perf_counter() - t0, 2)


def _differ(path: Path, other: Path, prefixes: tuple[str, ...]) -> dict[str, int]:
    """Rows in one warehouse's tables (those starting with prefixes) and not in the other's, both ways."""
    from flows.warehouse import connect, relations

    with connect(path) as con:
        con.execute("attach ? as other (read_only)", [str(other)])
        names = [t for t in relations(con) if t.startswith(prefixes)]
        return {t: con.execute(f"select (select count(*) from (select * from {t} except all select * from other.{t}))"
                               f" + (select count(*) from (select * from other.{t} except all select * from {t}))"
                               ).fetchall()[0][0] for t in names}


def _ingest(sample: Path, raw: Path) -> None:
    from flows.ingest import ingest_files
    from flows.warehouse import connect
    from schemas.contracts import QUARANTINE

    with connect(raw) as con:
        con.execute("create table quarantine (" + ", ".join(f'"{c.name}" {c.type}' for c in QUARANTINE.columns)
                    + ")")
        ingest_files(con, "roster", [str(sample / "rosters")], {})
        ingest_files(con, "poverty", [str(sample / "poverty")], {})


def _standardised(raw: Path, path: Path, cache_dir: Path | None) -> dict[str, Any]:
    """Standardise both datasets; CPU seconds in all, and those spent making the lookup tables (the rest is SQL)."""
    from flows import standardise as stage
    from flows.warehouse import connect

    in_lookups = [0.0]

    def counted(apply: Any) -> Any:
        def run(*args: Any, **kwargs: Any) -> Any:
            value, cpu, _wall = _timed(lambda: apply(*args, **kwargs))
            in_lookups[0] += cpu
            return value
        return run

    shutil.copyfile(raw, path)
    real = stage.apply_distinct, stage.apply_cached
    stage.apply_distinct, stage.apply_cached = counted(real[0]), counted(real[1])
    try:
        with connect(path) as con:
            counts, cpu, wall = _timed(lambda: {d: stage.standardise(con, d, {}, cache_dir) for d in DATASETS})
    finally:
        stage.apply_distinct, stage.apply_cached = real
    return {"cpu_s": cpu, "wall_s": wall, "lookups_cpu_s": round(in_lookups[0], 2), "counts": counts}


def _child(*args: str) -> str:
    command = [sys.executable, "-m", "benchmarks.bench_rerun_lookups", "--child", *args]
    done = subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True)
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-link", action="store_true", help="standardise only")
    parser.add_argument("--child", nargs=3, metavar=("STEP", "RAW", "TARGET"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:  # a step in a fresh process: ingest, or standardise without a cache
        step, raw, target = args.child
        if step == "ingest":
            _ingest(Path(target), Path(raw))
        else:
            print(json.dumps(_standardised(Path(raw), Path(target), None), ensure_ascii=False))
        return

    from flows.link import link
    from flows.warehouse import connect

    sample = ensure_sample(args.households, args.seed)
    work = WORK / f"rerun_lookups_{args.households}_{args.seed}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    raw = work / "raw.duckdb"
    _child("ingest", str(raw), str(sample))
    host = machine()
    cache = work / "out" / "state" / "cache"
    (work / "out").mkdir()
    record: dict[str, Any] = {"households": args.households, "seed": args.seed, "machine": host, "standardise": {}}
    for name in ("cold", "warm"):  # this process: the warm run right after the cold one
        record["standardise"][name] = _standardised(raw, work / f"{name}.duckdb", cache)
    record["standardise"]["none"] = json.loads(_child("standardise", str(raw), str(work / "none.duckdb")))
    record["standardise"]["cache_mb"] = round(sum(f.stat().st_size for f in cache.rglob("*.parquet")) / 2**20, 1)
    record["standardise"]["warm_differs_from_none"] = {
        k: v for k, v in _differ(work / "warm.duckdb", work / "none.duckdb", ("lkp_", "stg_", "std_")).items() if v}

    if not args.skip_link:
        record["link"] = {}
        for name in ("cold", "warm"):
            path = work / f"link_{name}.duckdb"
            shutil.copyfile(work / "none.duckdb", path)
            with connect(path) as con:
                methods, cpu, wall = _timed(lambda con=con: link(con, model_cache=str(cache / "models")))
                status = con.execute("select status, source from int_link_model").fetchall()[0]
            record["link"][name] = {"cpu_s": cpu, "wall_s": wall, "methods": methods, "model": list(status)}
        record["link"]["warm_differs_from_cold"] = {
            k: v for k, v in _differ(work / "link_warm.duckdb", work / "link_cold.duckdb",
                                     ("links", "review", "int_splink_pairs")).items() if v}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "rerun_lookups.json").write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n")
    s = record["standardise"]
    print(f"standardise {args.households:,} households, CPU s (of which making lookups): no cache "
          f"{s['none']['cpu_s']} ({s['none']['lookups_cpu_s']}), cold cache {s['cold']['cpu_s']} "
          f"({s['cold']['lookups_cpu_s']}), warm {s['warm']['cpu_s']} ({s['warm']['lookups_cpu_s']}); cache "
          f"{s['cache_mb']} MB; tables differing warm vs none: {s['warm_differs_from_none'] or 'none'}")
    if "link" in record:
        lk = record["link"]
        print(f"link: model trained {lk['cold']['cpu_s']} s CPU, from the cache {lk['warm']['cpu_s']} s; "
              f"differing: {lk['warm_differs_from_cold'] or 'none'}")
    print(json.dumps(record, ensure_ascii=False))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
