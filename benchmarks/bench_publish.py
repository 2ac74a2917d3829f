"""Time each piece of the publish step and the run history on a kept warehouse, in one process, wall and CPU.

    python -m benchmarks.bench_pipeline --sizes 400000 --skip-stock --keep     # leaves the warehouse
    python -m benchmarks.bench_publish --warehouse benchmarks/work/pipeline_400000_1.duckdb
    python -m benchmarks.bench_publish --warehouse ... --baseline e0b7b37~1 --repeat 2   # before/after, alternated

Each round copies the warehouse into a scratch folder (build_marts rewrites its marts) and times, in the pipeline's
order: write_parquet, build_marts, write_marts, the reports (XLSX and HTML: write_reports, its zip left to a thread
where the code does so), fix lists, reconcile and the manifest's queries, the wait for the workbook's zip, the
outputs' sha256 (file_entry), and history.fingerprint_outputs; "publish" is all but the fingerprints, as one block
(pieces may overlap), "outputs_sha256" a digest of every output's sha256. CPU is this process's (DuckDB's
threads included) from getrusage: steadier than wall time on a shared machine. With --baseline REV, the same pieces
run from that revision's flows/, transforms/ and schemas/ (git archive into benchmarks/work/) in a child process,
alternating with the working tree's, so both are measured back to back. Results are merged into
benchmarks/results/publish.json, keyed by warehouse and code.
"""

import argparse
import contextlib
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "benchmarks" / "work"
RESULTS = ROOT / "benchmarks" / "results"
BENCH_KEY = b"saphan-benchmark-key-for-synthetic-data-only"
MANIFEST = {"run_id": "bench-publish", "started_at": "2026-12-02T00:00:00+00:00", "inputs": []}


def _cpu() -> float:
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime


def time_pieces(warehouse: Path, scratch: Path) -> dict[str, Any]:
    """Every piece of publish and history on a copy of `warehouse`, with the code importable now."""
    import duckdb

    from flows import fix_lists, history, marts, publish, reports

    shutil.rmtree(scratch, ignore_errors=True)
    run = scratch / "run"
    run.mkdir(parents=True)
    shutil.copyfile(warehouse, run / publish.WAREHOUSE_NAME)
    times: dict[str, Any] = {}

    def timed(name: str, fn: Any, *args: Any) -> Any:
        wall, cpu = time.perf_counter(), _cpu()
        result = fn(*args)
        times[name] = {"wall": round(time.perf_counter() - wall, 2), "cpu": round(_cpu() - cpu, 2)}
        return result

    con = duckdb.connect(str(run / publish.WAREHOUSE_NAME))
    # As the pipeline's publish task: the workbook's zip may go on in a thread (reports.zips_in_background, where
    # the code has it) while the fix lists are written; "publish" is the whole block's wall and CPU.
    background = getattr(reports, "zips_in_background", contextlib.nullcontext)
    start = time.perf_counter(), _cpu()
    try:
        with background():
            outputs = timed("write_parquet", publish.write_parquet, con, run)
            timed("build_marts", marts.build_marts, con, BENCH_KEY)
            shareable = timed("write_marts", marts.write_marts, con, run)
            shareable += timed("reports", reports.write_reports, con, run, MANIFEST)
            outputs += timed("fix_lists", fix_lists.write_fix_lists, con, run, []) + shareable
            timed("reconcile", publish.reconcile, con, [])

            def manifest_queries() -> None:
                con.execute("select reason, count(*) from quarantine group by all order by all").fetchall()
                for d in ("roster", "poverty"):
                    con.execute(f"select address_status, count(*) from std_{d} group by all order by all").fetchall()
                con.execute("select rule, sum(pairs) from int_blocking_report group by all order by all").fetchall()

            timed("manifest_queries", manifest_queries)
            waiting = time.perf_counter(), _cpu()
        times["zip_wait"] = {"wall": round(time.perf_counter() - waiting[0], 2),  # the block's end: the zip's rest
                             "cpu": round(_cpu() - waiting[1], 2)}
    finally:
        con.close()
    entries = timed("file_entries", lambda: [publish.file_entry(run / o["path"], o["rows"], o["path"]) for o in outputs]
                    + [publish.file_entry(run / publish.WAREHOUSE_NAME, None, publish.WAREHOUSE_NAME)])
    times["publish"] = {"wall": round(time.perf_counter() - start[0], 2), "cpu": round(_cpu() - start[1], 2)}
    timed("fingerprints", history.fingerprint_outputs, run, entries, scratch / "fingerprints.parquet")
    both = [times["publish"], times["fingerprints"]]
    times["publish+history"] = {k: round(sum(v[k] for v in both), 2) for k in ("wall", "cpu")}
    sha = {o["path"]: o["sha256"] for o in entries if not o["path"].endswith(publish.WAREHOUSE_NAME)}
    times["outputs_sha256"] = hashlib.sha256(json.dumps(sha, sort_keys=True).encode()).hexdigest()[:16]
    shutil.rmtree(scratch, ignore_errors=True)
    return times


def _code_tree(rev: str) -> Path:
    """flows/, transforms/ and schemas/ as they were at `rev`, under benchmarks/work/code_<rev>/."""
    sha = subprocess.run(["git", "rev-parse", "--short", rev], cwd=ROOT, check=True, capture_output=True,
                         text=True).stdout.strip()
    tree = WORK / f"code_{sha}"
    if not (tree / "flows").is_dir():
        tree.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", sha, "flows", "transforms", "schemas"], cwd=ROOT, check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return tree


def _child(code: Path | None, warehouse: Path, scratch: Path) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "benchmarks.bench_publish", "--child", "--warehouse", str(warehouse),
           "--scratch", str(scratch)] + (["--code", str(code)] if code else [])
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-3000:])
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, required=True, help="a warehouse bench_pipeline --keep left")
    parser.add_argument("--baseline", help="a git revision to time alternately with the working tree")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--code", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--scratch", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        if args.code:
            sys.path.insert(0, str(args.code))  # the baseline's flows/transforms/schemas come first
        import logging

        logging.disable(logging.WARNING)
        print(json.dumps(time_pieces(args.warehouse, args.scratch)))  # noqa: T201 - the child's answer
        return
    from benchmarks.bench_pipeline import machine

    warehouse = args.warehouse.resolve()
    scratch = WORK / f"publish_scratch_{os.getpid()}"
    variants: list[tuple[str, Path | None]] = [("working tree", None)]
    if args.baseline:
        variants.insert(0, (f"baseline {args.baseline}", _code_tree(args.baseline)))
    rounds: list[dict[str, Any]] = []
    for i in range(args.repeat):
        for label, code in variants:
            before = machine()
            times = _child(code, warehouse, scratch)
            rounds.append({"round": i + 1, "code": label, "load_average": before["load_average"],
                           "speed_probe_s": before["speed_probe_s"], "times": times})
            print(f"round {i + 1} {label}: " + ", ".join(  # noqa: T201 - a benchmark's output
                f"{k} {v['cpu']}/{v['wall']}" if isinstance(v, dict) else f"{k} {v}" for k, v in times.items())
                + " (CPU/wall s)", flush=True)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    path = RESULTS / "publish.json"
    results = json.loads(path.read_text()) if path.exists() else {}
    results[f"{warehouse.name} @ {commit.stdout.strip()}"] = {"warehouse": str(warehouse.relative_to(ROOT))
                                                             if warehouse.is_relative_to(ROOT) else str(warehouse),
                                                             "rounds": rounds}
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {path.relative_to(ROOT)}")  # noqa: T201


if __name__ == "__main__":
    main()
