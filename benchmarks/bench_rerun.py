"""Incremental reruns (issue 17 point 3), timed as users run them: `saphan run` cold, again with nothing changed,
and again with one roster file changed, into the same --out; wall and CPU seconds and the ratios to the cold run.

    python -m benchmarks.bench_rerun                      # 100,000 households, seed 1
    python -m benchmarks.bench_rerun --households 400000

The sample comes from benchmarks.bench_pipeline.ensure_sample; its inputs are copied to benchmarks/work/ (one roster
file gets changed: its last data line removed). So is saphan's code (flows, transforms, schemas), and the runs use
that snapshot (`python -m flows.cli run`, what the `saphan` script calls): a source file edited in the checkout
during the benchmark would change the code version and, rightly, stop the reuse. Each run is a fresh process
(with PREFECT_API_URL when set, else Prefect's temporary server) with a pseudonym key, so marts and both reports are
written. CPU is the process's and its reaped children's (the temporary server, standardise's workers), from wait4.
Last, a run with --no-cache on the changed files into another folder gives a second cold time and checks that the
changed run's output files equal a cold run's byte for byte (the HTML page, which names its run, the manifest and
the warehouse file, which is not byte-stable, aside; the history's table fingerprints compare the warehouse by
content).

Targets: unchanged at most 0.25 times the cold run, one file changed at most 0.5 times. Results are written to
benchmarks/results/rerun.json.
"""

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.bench_pipeline import BENCH_KEY, ROOT, WORK, ensure_sample, machine

RESULTS = ROOT / "benchmarks" / "results" / "rerun.json"
NOT_BYTE_STABLE = {"manifest.json", "saphan_report.html", "saphan.duckdb"}


def snapshot_code(target: Path) -> dict[str, Any]:
    """Copy saphan's code to `target`; the commit it came from, and the files the checkout had changed."""
    packages = ("flows", "transforms", "schemas")
    for package in packages:
        shutil.copytree(ROOT / package, target / package, ignore=shutil.ignore_patterns("__pycache__"))

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.rstrip("\n")

    changed = git("status", "--porcelain", "--", *packages).splitlines()
    return {"commit": git("rev-parse", "HEAD"), "uncommitted_files": sorted(line[3:] for line in changed)}


def saphan_run(code: Path, inputs: Path, out: Path, *extra: str) -> dict[str, Any]:
    """One `saphan run` in a fresh process: wall, CPU (self and reaped children), peak RSS, and what it reused."""
    env = dict(os.environ, SAPHAN_PSEUDONYM_KEY=os.environ.get("SAPHAN_PSEUDONYM_KEY", BENCH_KEY),
               PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1")
    env.setdefault("PREFECT_HOME", str(ROOT / ".prefect"))
    timings_file = out.parent / f"timings-{time.time_ns()}.json"
    env["SAPHAN_TIMINGS_FILE"] = str(timings_file)  # every timed step of the process (flows/timing.py, flows/cli.py)
    cmd = [sys.executable, "-m", "flows.cli", "run", "--rosters", str(inputs / "rosters"),
           "--poverty", str(inputs / "poverty"), "--out", str(out), *extra]
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=code, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t
    exit_code = os.waitstatus_to_exitcode(status)
    if exit_code != 0:
        raise RuntimeError(f"saphan run failed ({exit_code}): {stderr[-3000:].decode(errors='replace')}")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    steps = json.loads(timings_file.read_text(encoding="utf-8"))["steps"] if timings_file.is_file() else {}
    return {
        "seconds": round(seconds, 2), "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024), "run_id": manifest["run_id"],
        "reused_from": manifest.get("reused_from"), "not_reused": manifest.get("not_reused"),
        "ingest_cache": manifest.get("ingest_cache"),
        "steps": {k: [v["seconds"], v["cpu_seconds"]]  # flows/timing.py: [wall, CPU] seconds, biggest first
                  for k, v in sorted(steps.items(), key=lambda kv: -kv[1]["seconds"])},
        "command": " ".join(["saphan", *cmd[4:]]),
    }


def change_one_roster(inputs: Path) -> str:
    """Remove the last data line of the first CSV roster (by name): a fund sent a corrected file."""
    path = sorted((inputs / "rosters").glob("*.csv"))[0]
    data = path.read_bytes()
    lines = data.splitlines(keepends=True)
    path.write_bytes(b"".join(lines[:-1]))
    return path.name


def _files(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _published(out: Path) -> Path:
    return (out / "current").resolve()


def _fingerprints(out: Path, run_id: str) -> Any:
    return json.loads((out / "state" / "runs" / run_id / "manifest.json").read_text(encoding="utf-8"))["fingerprints"]


def bench(households: int, seed: int, keep: bool = False) -> dict[str, Any]:
    sample = ensure_sample(households, seed)
    work = WORK / f"rerun_{households}_{seed}"
    shutil.rmtree(work, ignore_errors=True)
    inputs, out, cold_out, code = work / "inputs", work / "out", work / "cold_changed_out", work / "code"
    for folder in ("rosters", "poverty"):
        shutil.copytree(sample / folder, inputs / folder)
    report: dict[str, Any] = {"households": households, "seed": seed, "sample": str(sample.relative_to(ROOT)),
                              "code": snapshot_code(code), "machine": machine()}
    runs: dict[str, Any] = {}
    runs["cold"] = saphan_run(code, inputs, out)
    runs["warm_unchanged"] = saphan_run(code, inputs, out)
    report["changed_file"] = change_one_roster(inputs)
    runs["warm_one_roster_changed"] = saphan_run(code, inputs, out)
    changed_folder = _published(out)
    runs["cold_no_cache_changed_inputs"] = saphan_run(code, inputs, cold_out, "--no-cache")
    report["runs"] = runs
    cold = runs["cold"]
    report["ratios"] = {
        name: {"wall": round(runs[name]["seconds"] / cold["seconds"], 3),
               "cpu": round(runs[name]["cpu_seconds"] / cold["cpu_seconds"], 3)}
        for name in ("warm_unchanged", "warm_one_roster_changed")
    }
    report["ratios"]["warm_one_roster_changed_vs_cold_no_cache"] = {
        "wall": round(runs["warm_one_roster_changed"]["seconds"] / runs["cold_no_cache_changed_inputs"]["seconds"], 3),
        "cpu": round(runs["warm_one_roster_changed"]["cpu_seconds"]
                     / runs["cold_no_cache_changed_inputs"]["cpu_seconds"], 3),
    }
    warm_files, cold_files = _files(changed_folder), _files(_published(cold_out))
    differ = sorted(n for n in cold_files.keys() | warm_files.keys()
                    if cold_files.get(n) != warm_files.get(n) and Path(n).name not in NOT_BYTE_STABLE)
    warm_fp = _fingerprints(out, runs["warm_one_roster_changed"]["run_id"])
    cold_fp = _fingerprints(cold_out, runs["cold_no_cache_changed_inputs"]["run_id"])
    report["changed_run_equals_cold_run"] = {
        "files_compared": len(cold_files), "files_differing": differ,
        "warehouse_tables_compared": len(cold_fp),
        "warehouse_tables_differing": sorted(t for t in cold_fp.keys() | warm_fp.keys()
                                             if cold_fp.get(t) != warm_fp.get(t)),
    }
    report["targets_met"] = {"unchanged_at_most_0.25": report["ratios"]["warm_unchanged"]["wall"] <= 0.25,
                             "one_changed_at_most_0.5": report["ratios"]["warm_one_roster_changed"]["wall"] <= 0.5}
    if not keep:
        shutil.rmtree(work, ignore_errors=True)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep benchmarks/work/rerun_* (inputs, outputs, state)")
    args = parser.parse_args()
    report = bench(args.households, args.seed, args.keep)
    results = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.is_file() else {}
    results[f"{args.households}_{args.seed}"] = report
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: report[k] for k in ("ratios", "changed_run_equals_cold_run", "targets_met")}, indent=1))
    for name, r in report["runs"].items():
        print(f"{name:32} wall {r['seconds']:8.2f} s  cpu {r['cpu_seconds']:8.2f} s  peak {r['peak_rss_mb']} MB  "
              f"{r['reused_from'] and 'reused' or r['not_reused']}")


if __name__ == "__main__":
    main()
