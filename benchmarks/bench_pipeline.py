"""The whole pipeline at scale: wall time, peak memory and rows/s per stage, accuracy, stock Splink side by side.

    python -m benchmarks.bench_pipeline --sizes 10000,100000            # what `make bench` runs
    python -m benchmarks.bench_pipeline --sizes 10000,100000,1000000    # the full run (and the linearity ratio)
    python -m benchmarks.bench_pipeline --sample-dir benchmarks/work/country_16x227500_1 --skip-stock \\
        --memory-limit 6GB --link-partition province                    # a sample made by sample_chunks
    python -m benchmarks.bench_pipeline --sizes 400000 --saphan-run     # also time `saphan run` end to end

Each size gets a sample from flows.sample.write_sample in benchmarks/work/ (git-ignored, made once, in its own
process). Its stages run without Prefect in a child process, in the order the flow runs them: ingest (rosters and
poverty files into raw_*), standardise, link, publish (Parquet outputs, marts, XLSX and HTML reports). A thread
samples the child's RSS every 50 ms, so each stage has its own peak; the child's VmHWM is the run's peak. Links
are scored against truth.csv; Splink with stock comparisons (benchmarks.bench_linkage.run_stock) runs in another
child on a copy of the standardised warehouse. With --saphan-run, `saphan run` is timed as a user runs it (with
PREFECT_API_URL when set, else Prefect's temporary server), peak RSS from wait4. Results are merged into
benchmarks/results/pipeline.json (keyed by size, seed and mode) and rendered to benchmarks/results/pipeline.md.
"""

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "benchmarks" / "work"
RESULTS = ROOT / "benchmarks" / "results"
BENCH_KEY = "saphan-benchmark-key-for-synthetic-data-only"


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds() -> float:
    """CPU of this process and its finished children: the standardise stage's worker processes count too."""
    usages = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return sum(u.ru_utime + u.ru_stime for u in usages)


def _hwm_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


class RssSampler:
    """Samples this process's RSS in a thread; `stage()` records a stage's wall time and peak RSS."""

    def __init__(self, every: float = 0.05) -> None:
        self.peak = 0.0
        self.every = every
        self.stages: dict[str, dict[str, float]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.peak = max(self.peak, _rss_mb())

    @contextmanager
    def stage(self, name: str) -> Iterator[dict[str, float]]:
        self.peak = _rss_mb()
        record: dict[str, float] = {}
        t, cpu = time.perf_counter(), cpu_seconds()
        yield record
        record["seconds"] = round(time.perf_counter() - t, 2)
        record["cpu_seconds"] = round(cpu_seconds() - cpu, 2)
        record["peak_rss_mb"] = round(max(self.peak, _rss_mb()))
        self.stages[name] = record

    def close(self) -> None:
        self._stop.set()


def speed_probe() -> float:
    """CPU seconds of a fixed pure-Python loop (~0.5 s): this VM's speed drifts by a third from hour to hour
    (the same code's figures with it), so a result is read beside the probe taken just before it."""
    t = time.process_time()
    d: dict[int, str] = {}
    for i in range(3_000_000):
        d[i % 1000] = str(i)
    return round(time.process_time() - t, 3)


def machine() -> dict[str, Any]:
    """nproc, memory, CPU model, the load average and the speed probe now (the machine may be shared)."""
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), "unknown")
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal:"))
    return {"nproc": os.cpu_count(), "memory_gb": round(mem_kb / 1024 / 1024, 1), "cpu_model": model,
            "load_average": [round(x, 2) for x in os.getloadavg()], "speed_probe_s": speed_probe(),
            "python": sys.version.split()[0]}


def ensure_sample(households: int, seed: int) -> Path:
    """benchmarks/work/sample_<households>_<seed>, generated once in a child process (the generator's memory
    must not count against the pipeline's)."""
    sample = WORK / f"sample_{households}_{seed}"
    if not (sample / "truth.csv").exists():
        code = ("import sys; from pathlib import Path; from flows.sample import write_sample; "
                "write_sample(Path(sys.argv[1]), households=int(sys.argv[2]), seed=int(sys.argv[3]))")
        subprocess.run([sys.executable, "-c", code, str(sample), str(households), str(seed)], cwd=ROOT, check=True)
    return sample


def run_stages(sample: Path, warehouse: Path, stock_copy: Path | None, memory_limit: str | None,
               threads: int | None, link_partition: str, with_reports: bool = True) -> dict[str, Any]:
    """The pipeline's four stages in this process, without Prefect; returns per-stage figures."""
    from flows import marts, partition, publish, reports
    from flows.ingest import ingest_files
    from flows.link import link
    from flows.standardise import standardise
    from flows.warehouse import connect
    from schemas.contracts import QUARANTINE

    sampler = RssSampler()
    out = warehouse.parent / f"{warehouse.stem}_out"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    warehouse.unlink(missing_ok=True)
    result: dict[str, Any] = {}
    with connect(warehouse, memory_limit, threads) as con:
        con.execute(f"set temp_directory = '{warehouse.parent / (warehouse.stem + '_spill')}'")
        con.execute("create or replace table quarantine ("
                    + ", ".join(f'"{c.name}" {c.type}' for c in QUARANTINE.columns) + ")")
        with sampler.stage("ingest") as s:
            files = ingest_files(con, "roster", [str(sample / "rosters")], {})
            files += ingest_files(con, "poverty", [str(sample / "poverty")], {})
            s["rows"] = sum(f.rows_read or 0 for f in files)
            s["files"] = len(files)
        with sampler.stage("standardise") as s:
            for dataset in ("roster", "poverty"):
                standardise(con, dataset, {})
            s["rows"] = s_rows = con.execute(
                "select (select count(*) from stg_roster) + (select count(*) from stg_poverty)").fetchall()[0][0]
        result["roster_rows"], result["poverty_rows"] = con.execute(
            "select (select count(*) from std_roster), (select count(*) from std_poverty)").fetchall()[0]
        result["input_rows"] = s_rows
        if stock_copy is not None:
            con.execute("checkpoint")
            shutil.copyfile(warehouse, stock_copy)  # outside every stage's timing
        with sampler.stage("link") as s:
            if link_partition == "province":
                result["match_methods"] = partition.link_by_province(
                    con, warehouse.parent / f"{warehouse.stem}_partitions", None, memory_limit, threads)
            else:
                result["match_methods"] = link(con)
            s["rows"] = result["roster_rows"] + result["poverty_rows"]
        with sampler.stage("publish") as s:
            t = time.perf_counter()
            outputs = publish.write_parquet(con, out)
            s["parquet_seconds"], t = round(time.perf_counter() - t, 2), time.perf_counter()
            marts.build_marts(con, BENCH_KEY.encode())
            outputs += marts.write_marts(con, out)
            s["marts_seconds"], t = round(time.perf_counter() - t, 2), time.perf_counter()
            if with_reports:
                outputs += reports.write_reports(con, out)
                s["reports_seconds"] = round(time.perf_counter() - t, 2)
            s["rows"] = sum(o["rows"] or 0 for o in outputs)
        con.execute("create or replace table bench_links as select roster_file, roster_row, poverty_file, "
                    "poverty_row from links where poverty_row is not null")
    sampler.close()
    for stage in sampler.stages.values():
        stage["rows_per_second"] = round(stage["rows"] / stage["seconds"]) if stage["seconds"] else 0
    result["stages"] = sampler.stages
    result["seconds"] = round(sum(s["seconds"] for s in sampler.stages.values()), 2)
    result["peak_rss_mb"] = round(_hwm_mb())
    shutil.rmtree(out, ignore_errors=True)
    return result


def _child_json(args: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    out = subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, env=env)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:3])} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def time_saphan_run(sample: Path, out: Path, config: Path | None, link_partition: str,
                    with_reports: bool = True) -> dict[str, Any]:
    """`saphan run` as a user runs it; wall time and the peak RSS of the process (wait4)."""
    env = dict(os.environ, SAPHAN_PSEUDONYM_KEY=os.environ.get("SAPHAN_PSEUDONYM_KEY", BENCH_KEY),
               PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1")
    env.setdefault("PREFECT_HOME", str(ROOT / ".prefect"))
    cmd = [str(Path(sys.executable).parent / "saphan"), "run", "--rosters", str(sample / "rosters"),
           "--poverty", str(sample / "poverty"), "--out", str(out), "--link-partition", link_partition]
    if config:
        cmd += ["--config", str(config)]
    if not with_reports:
        cmd.append("--no-reports")
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t
    return {"seconds": round(seconds, 2), "peak_rss_mb": round(usage.ru_maxrss / 1024),
            "exit_code": os.waitstatus_to_exitcode(status),
            "prefect": "server " + env["PREFECT_API_URL"] if env.get("PREFECT_API_URL") else "temporary server",
            "command": " ".join(["saphan", *cmd[1:]])}


def bench_one(sample: Path, label: str, args: argparse.Namespace) -> dict[str, Any]:
    from benchmarks.bench_linkage import score

    warehouse = WORK / f"pipeline_{label}.duckdb"
    stock = None if args.skip_stock else WORK / f"pipeline_{label}_stock.duckdb"
    child = ["benchmarks.bench_pipeline", "--child", str(sample), "--warehouse", str(warehouse),
             "--link-partition", args.link_partition]
    if stock:
        child += ["--stock-copy", str(stock)]
    if args.memory_limit:
        child += ["--memory-limit", args.memory_limit]
    if args.threads:
        child += ["--threads", str(args.threads)]
    if args.skip_reports:
        child.append("--skip-reports")
    report: dict[str, Any] = {"sample": str(sample.relative_to(ROOT)), "link_partition": args.link_partition,
                              "reports": not args.skip_reports,
                              "memory_limit": args.memory_limit, "threads": args.threads, "machine": machine()}
    report |= _child_json(child)
    report["accuracy"] = score(warehouse, sample / "truth.csv")
    if stock:
        s = _child_json(["benchmarks.bench_linkage", "--child", "stock_splink", "--warehouse", str(stock),
                         "--seed", str(args.seed)])
        s |= score(stock, sample / "truth.csv")
        link_s = report["stages"]["link"]["seconds"]
        acc = report["accuracy"]
        report["stock_splink"] = s | {
            "time_ratio_saphan_link_to_stock": round(link_s / s["seconds"], 2) if s["seconds"] else None,
            "precision_ratio_saphan_to_stock": round(acc["precision"] / s["precision"], 4) if s["precision"] else None,
            "recall_ratio_saphan_to_stock": round(acc["recall"] / s["recall"], 4) if s["recall"] else None,
        }
        stock.unlink()
    if args.saphan_run:
        out = WORK / f"pipeline_{label}_run_out"
        report["saphan_run"] = time_saphan_run(sample, out, args.config, args.link_partition, not args.skip_reports)
        shutil.rmtree(out, ignore_errors=True)
    if not args.keep:
        warehouse.unlink(missing_ok=True)
    report["seconds_per_1000_input_rows"] = round(1000 * report["seconds"] / report["input_rows"], 4)
    return report


def render(results: dict[str, Any]) -> str:
    """The results file as a markdown table (one row per stage per run)."""
    lines = ["# Pipeline benchmark", "", "Made by `python -m benchmarks.bench_pipeline` (see benchmarks/README.md)."
             " Stage figures come from the stages run without Prefect in one child process; peak = the stage's"
             " highest sampled RSS. Load = the 1-minute load average when the run started (2-core machine:"
             " above 2 means the figures include waiting for CPU).", "",
             "| run | stage | rows | seconds | rows/s | peak MB | precision | recall | stock precision | stock recall"
             " | link time saphan/stock | load |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for key, r in results.items():
        if key.startswith("_"):
            continue
        acc, st = r.get("accuracy", {}), r.get("stock_splink", {})
        for name, s in r["stages"].items():
            lines.append(f"| {key} | {name} | {s['rows']:,} | {s['seconds']} | {s['rows_per_second']:,} | "
                         f"{s['peak_rss_mb']:,} | | | | | | |")
        lines.append(f"| {key} | **all stages** | {r['input_rows']:,} | {r['seconds']} | "
                     f"{round(r['input_rows'] / r['seconds']):,} | {r['peak_rss_mb']:,} | {acc.get('precision')} | "
                     f"{acc.get('recall')} | {st.get('precision', '')} | {st.get('recall', '')} | "
                     f"{st.get('time_ratio_saphan_link_to_stock', '')} | {r['machine']['load_average'][0]} |")
        if "saphan_run" in r:
            s = r["saphan_run"]
            lines.append(f"| {key} | `saphan run` ({s['prefect']}) | {r['input_rows']:,} | {s['seconds']} | "
                         f"{round(r['input_rows'] / s['seconds']):,} | {s['peak_rss_mb']:,} | | | | | | |")
    ratios = [f"- {k}: wall {v['seconds']}, CPU {v['cpu_seconds']}" for k, v in results.get("_linearity", {}).items()]
    if ratios:
        lines += ["", "Linearity (cost per input row at the larger size / at the smaller; the same runs' stages,"
                  " reports included only where both runs had them):", *ratios]
    return "\n".join(lines) + "\n"


def linearity(results: dict[str, Any]) -> dict[str, dict[str, float]]:
    """Per consecutive pair of generated sizes measured at the same commit, with the same reports setting
    (unpartitioned runs): cost per input row, larger over smaller. Runs of different code are not compared.

    Wall time and CPU time both: on a shared machine the CPU ratio is the fairer one.
    """
    groups: dict[tuple[bool, str], list[tuple[int, str]]] = {}
    for k, r in results.items():
        if m := re.fullmatch(r"(\d+)_\d+_none(_noreports)?", k):
            commit = str(r.get("commit", "")).removesuffix("+dirty")
            groups.setdefault((bool(r.get("reports", True)), commit), []).append((int(m.group(1)), k))

    def per_row(key: str, field: str) -> float:
        r = results[key]
        return sum(s[field] for s in r["stages"].values()) / r["input_rows"]

    return {f"{big} vs {small}": {f: round(per_row(big, f) / per_row(small, f), 2) for f in ("seconds", "cpu_seconds")}
            for sized in (sorted(g) for g in groups.values())
            for (_, small), (_, big) in zip(sized, sized[1:], strict=False)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="households, comma-separated")
    parser.add_argument("--sample-dir", type=Path, help="bench an existing sample folder instead of --sizes")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--memory-limit", default=None, help="DuckDB memory_limit, e.g. 6GB")
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--link-partition", choices=("none", "province"), default="none")
    parser.add_argument("--skip-stock", action="store_true", help="leave out stock Splink")
    parser.add_argument("--skip-reports", action="store_true",
                        help="publish without the XLSX and HTML reports (and time `saphan run --no-reports`)")
    parser.add_argument("--saphan-run", action="store_true", help="also time `saphan run` end to end")
    parser.add_argument("--config", type=Path, help="config for --saphan-run")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark warehouse")
    parser.add_argument("--render", action="store_true", help="only recompute linearity and pipeline.md")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--warehouse", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--stock-copy", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        import logging

        logging.disable(logging.WARNING)
        print(json.dumps(run_stages(args.child, args.warehouse, args.stock_copy, args.memory_limit, args.threads,
                                    args.link_partition, not args.skip_reports)))
        return
    WORK.mkdir(parents=True, exist_ok=True)
    path = RESULTS / "pipeline.json"
    results: dict[str, Any]
    if args.render:
        results = json.loads(path.read_text())
        results["_linearity"] = linearity(results)
        path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
        (RESULTS / "pipeline.md").write_text(render(results))
        return
    mine: dict[str, Any] = {}
    runs = ([(args.sample_dir, args.sample_dir.name)] if args.sample_dir else
            [(ensure_sample(int(n), args.seed), f"{int(n)}_{args.seed}") for n in args.sizes.split(",")])
    for sample, label in runs:
        key = f"{label}_{args.link_partition}" + ("_noreports" if args.skip_reports else "")
        print(f"{key}: running", flush=True)
        mine[key] = r = bench_one(sample.resolve(), label, args)
        print(json.dumps(r["stages"]), flush=True)
        print(f"{key}: {r['input_rows']:,} input rows, {r['seconds']} s, peak {r['peak_rss_mb']} MB, "
              f"precision {r['accuracy']['precision']}, recall {r['accuracy']['recall']}", flush=True)
    # read again just before writing: another benchmark may have written its runs meanwhile
    results = json.loads(path.read_text()) if path.exists() else {}
    results |= mine
    results["_linearity"] = linearity(results)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True,
                           text=True).stdout.strip()
    for key in mine:
        results[key]["commit"] = commit.stdout.strip() + ("+dirty" if dirty else "")
    RESULTS.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    (RESULTS / "pipeline.md").write_text(render(results))
    print(f"wrote {path.relative_to(ROOT)} and pipeline.md")


if __name__ == "__main__":
    main()
