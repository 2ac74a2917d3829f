"""`saphan run` as users run it beside the simplest peer, on the same files, in one sitting (issue 17 point 1).

    python -m benchmarks.bench_run --sizes 100000 --seed 1      # what `make bench` runs
    python -m benchmarks.bench_run --sizes 400000 --repeat 2    # province scale, peer and saphan twice

For one sample (benchmarks.bench_pipeline.ensure_sample), each round runs, one after the other and each in a fresh
process: the stock peer (benchmarks/stock_peer.py: pandas reads the files, Splink with stock comparisons), then
`saphan run` with a pseudonym key (so marts and both reports are written) and Prefect's temporary server (no
PREFECT_API_URL), into an empty output folder. Wall seconds, CPU seconds and peak RSS come from wait4 (the process
and the children it waited for: the Prefect server, the standardise workers); links are scored against truth.csv.
saphan's breakdown is its own (flows/timing.py: $SAPHAN_TIMINGS_FILE, the manifest's timings), plus the process's
exit (wall outside minus the process's age at its last line). The speed probe is taken before and after.

Results: benchmarks/results/run.json (keyed by households and seed; earlier keys kept) and run.md.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.bench_pipeline import BENCH_KEY, RESULTS, ROOT, WORK, ensure_sample, machine, speed_probe


def timed_process(cmd: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run ``cmd`` to its end; wall and CPU seconds, peak RSS (wait4), exit code and the last line it printed."""
    out = WORK / "bench_run_stdout.txt"
    with out.open("w") as stdout:
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=stdout, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t
    lines = out.read_text(encoding="utf-8", errors="replace").splitlines()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise RuntimeError(f"{' '.join(cmd[:4])} exited {code}:\n" + "\n".join(lines[-30:]))
    return {"seconds": round(wall, 2), "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
            "peak_rss_mb": round(usage.ru_maxrss / 1024), "last_line": lines[-1] if lines else ""}


def score(links: Path, truth_csv: Path) -> dict[str, Any]:
    """Precision, recall and F1 of the links (roster row -> poverty row) against truth.csv."""
    import duckdb

    with duckdb.connect() as con:
        found, right, truth = con.execute(f"""
with links as (
    select roster_file, roster_row::bigint as roster_row, poverty_file, poverty_row::bigint as poverty_row
    from read_parquet('{links}') where poverty_row is not null
),
truth as (
    select roster_file, roster_row::bigint as roster_row, poverty_file, poverty_row::bigint as poverty_row
    from read_csv('{truth_csv}', all_varchar = true) where poverty_row is not null and poverty_row <> ''
)
select (select count(*) from links), (select count(*) from links join truth using (roster_file, roster_row,
    poverty_file, poverty_row)), (select count(*) from truth)
""").fetchall()[0]
    precision, recall = (right / found if found else 0.0), (right / truth if truth else 0.0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"links": found, "correct": right, "true_links": truth, "precision": round(precision, 5),
            "recall": round(recall, 5), "f1": round(f1, 5)}


def run_peer(sample: Path, out: Path, seed: int) -> dict[str, Any]:
    shutil.rmtree(out, ignore_errors=True)
    result = timed_process([sys.executable, "-m", "benchmarks.stock_peer", "--rosters", str(sample / "rosters"),
                            "--poverty", str(sample / "poverty"), "--out", str(out), "--seed", str(seed)])
    result["parts"] = json.loads(result.pop("last_line"))
    return result | score(out / "links.parquet", sample / "truth.csv")


def run_saphan(sample: Path, out: Path) -> dict[str, Any]:
    """`saphan run` as a user runs it, with the temporary Prefect server; its breakdown from its own timings."""
    shutil.rmtree(out, ignore_errors=True)
    timings = WORK / "bench_run_timings.json"
    timings.unlink(missing_ok=True)
    env = dict(os.environ, SAPHAN_PSEUDONYM_KEY=os.environ.get("SAPHAN_PSEUDONYM_KEY", BENCH_KEY),
               SAPHAN_TIMINGS_FILE=str(timings), PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1")
    env.pop("PREFECT_API_URL", None)  # as users run it: the run's own temporary server
    cmd = [str(Path(sys.executable).parent / "saphan"), "run", "--rosters", str(sample / "rosters"),
           "--poverty", str(sample / "poverty"), "--out", str(out)]
    result = timed_process(cmd, env)
    result["summary_line"] = result.pop("last_line").strip()
    recorded = json.loads(timings.read_text(encoding="utf-8"))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    steps = recorded["steps"]
    steps["process.exit"] = {"seconds": round(max(0.0, result["seconds"] - recorded["whole_process_seconds"]), 3),
                             "cpu_seconds": None, "calls": 1}
    result |= {"command": " ".join(["saphan", *cmd[1:]]), "roots": [*recorded["roots"], "process.exit"],
               "steps": steps, "manifest_timings": manifest.get("timings", {}),
               "input_rows": sum(i["rows_read"] for i in manifest["inputs"])}
    result |= score(out / "links.parquet", sample / "truth.csv")
    shutil.rmtree(out, ignore_errors=True)
    return result


def bench(households: int, seed: int, repeat: int) -> dict[str, Any]:
    sample = ensure_sample(households, seed)
    report: dict[str, Any] = {"households": households, "seed": seed, "sample": str(sample.relative_to(ROOT)),
                              "machine_before": machine(), "rounds": []}
    for i in range(repeat):
        print(f"round {i + 1}: stock peer", flush=True)
        peer = run_peer(sample, WORK / f"bench_run_peer_{households}_{seed}", seed)
        print(f"  {peer['seconds']} s, F1 {peer['f1']}; saphan run", flush=True)
        saphan = run_saphan(sample, WORK / f"bench_run_saphan_{households}_{seed}")
        print(f"  {saphan['seconds']} s, F1 {saphan['f1']}: {saphan['summary_line']}", flush=True)
        report["rounds"].append({
            "stock_peer": peer, "saphan_run": saphan,
            "ratio_saphan_to_peer": {"seconds": round(saphan["seconds"] / peer["seconds"], 3),
                                     "cpu_seconds": round(saphan["cpu_seconds"] / peer["cpu_seconds"], 3)},
        })
    report["machine_after"] = {"load_average": [round(x, 2) for x in os.getloadavg()], "speed_probe_s": speed_probe()}
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True,
                           text=True).stdout.strip()
    report["commit"] = commit.stdout.strip() + ("+dirty" if dirty else "")
    return report


def _row(name: str, r: dict[str, Any]) -> str:
    return (f"| {name} | {r['seconds']} | {r['cpu_seconds']} | {r['peak_rss_mb']:,} | {r['precision']} | "
            f"{r['recall']} | {r['f1']} |")


def render(results: dict[str, Any]) -> str:
    """run.json as markdown: per sample and round, peer beside saphan, then saphan's breakdown."""
    lines = ["# `saphan run` beside the simplest peer", "",
             "Made by `python -m benchmarks.bench_run` (see its docstring and benchmarks/README.md). Each process is"
             " fresh; wall, CPU (the process and the children it waited for) and peak RSS from wait4. Ratios only"
             " count within one round: the VM's speed drifts (speed probe: CPU seconds of a fixed loop)."]
    for r in results.values():
        before, after = r["machine_before"], r["machine_after"]
        lines += ["", f"## {r['households']:,} households, seed {r['seed']} (commit {r['commit']})", "",
                  f"Load {before['load_average'][0]} → {after['load_average'][0]} on {before['nproc']} CPUs; "
                  f"speed probe {before['speed_probe_s']} s → {after['speed_probe_s']} s.", ""]
        for n, rnd in enumerate(r["rounds"], 1):
            s, p, ratio = rnd["saphan_run"], rnd["stock_peer"], rnd["ratio_saphan_to_peer"]
            lines += [f"Round {n}: {s['input_rows']:,} rows read; saphan / peer: wall **{ratio['seconds']}**, CPU "
                      f"{ratio['cpu_seconds']}.", "",
                      "| run | wall s | CPU s | peak MB | precision | recall | F1 |",
                      "|---|---:|---:|---:|---:|---:|---:|",
                      _row("stock peer (pandas + stock Splink)", p), _row("`saphan run` (temporary Prefect server)", s),
                      "", f"Peer: read {p['parts']['read_seconds']} s, Splink {p['parts']['link_seconds']} s, write "
                      f"{p['parts']['write_seconds']} s (process {p['parts']['process_seconds']} s).", "",
                      "| saphan step | wall s | CPU s | share of wall | peak MB at its end |",
                      "|---|---:|---:|---:|---:|"]
            for name, step in s["steps"].items():
                depth = sum(".".join(name.split(".")[:i]) in s["steps"] for i in range(1, name.count(".") + 1))
                label = ("&nbsp;&nbsp;" * depth) + (name.rsplit(".", 1)[-1] if depth else name)
                bold = name in s["roots"]
                cpu = "" if step["cpu_seconds"] is None else step["cpu_seconds"]
                share = f"{100 * step['seconds'] / s['seconds']:.1f}%"
                peak = f"{step['peak_rss_mb']:,}" if step.get("peak_rss_mb") else ""  # older results have none
                name_md = "**" + label + "**" if bold else label
                lines.append(f"| {name_md} | {step['seconds']} | {cpu} | {share} | {peak} |")
            lines.append("")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000", help="households, comma-separated (400000 is a province)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1, help="rounds of peer then saphan")
    parser.add_argument("--render", action="store_true", help="only write run.md again from run.json")
    args = parser.parse_args()
    path = RESULTS / "run.json"
    if not args.render:
        WORK.mkdir(parents=True, exist_ok=True)
        mine = {f"{n}_{args.seed}": bench(int(n), args.seed, args.repeat) for n in args.sizes.split(",")}
        results = json.loads(path.read_text()) if path.exists() else {}  # read late: keep others' keys
        RESULTS.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(results | mine, indent=2, ensure_ascii=False) + "\n")
    (RESULTS / "run.md").write_text(render(json.loads(path.read_text())))
    print(f"wrote {path.relative_to(ROOT)} and run.md")


if __name__ == "__main__":
    main()
