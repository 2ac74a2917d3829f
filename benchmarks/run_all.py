"""Every benchmark, one after another (`make bench`): `saphan run` beside the stock peer, the pipeline at scale, then
address, standardise, linkage, traps.

    python -m benchmarks.run_all                                   # run at 100k, pipeline at 10k and 100k, small rest
    python -m benchmarks.run_all --only run --sizes 400000         # `saphan run` and the peer at province scale
    python -m benchmarks.run_all --sizes 10000,100000,1000000      # the full run (adds the linearity ratio)
    python -m benchmarks.run_all --only pipeline --saphan-run      # one benchmark, with `saphan run` timed too

Each benchmark runs as its own process (its memory figures are its own) and writes its results file under
benchmarks/results/. The machine's load is printed first: on a shared 2-core machine a load above 2 means the
timings include waiting for the CPU.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def commands(args: argparse.Namespace) -> dict[str, list[str]]:
    pipeline = ["benchmarks.bench_pipeline", "--sizes", args.sizes or "10000,100000"]
    if args.saphan_run:
        pipeline.append("--saphan-run")
    if args.skip_stock:
        pipeline.append("--skip-stock")
    return {
        "run": ["benchmarks.bench_run", "--sizes", args.sizes or "100000"],
        "pipeline": pipeline,
        "address": ["benchmarks.bench_address", "--n", str(args.address_n)],
        "standardise": ["benchmarks.bench_standardise", "--rows", str(args.standardise_rows)],
        "linkage": ["benchmarks.bench_linkage", "--households", str(args.linkage_households)],
        "traps": ["benchmarks.bench_traps", "--households", str(args.trap_households)],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", help="households, comma-separated, for `saphan run` beside the stock peer (default "
                        "100000; 400000 is a province) and the pipeline benchmark (default 10000,100000)")
    parser.add_argument("--saphan-run", action="store_true", help="also time `saphan run` end to end")
    parser.add_argument("--skip-stock", action="store_true", help="leave out stock Splink in the pipeline benchmark")
    parser.add_argument("--address-n", type=int, default=20_000)
    parser.add_argument("--standardise-rows", type=int, default=100_000)
    parser.add_argument("--linkage-households", type=int, default=10_000)
    parser.add_argument("--trap-households", type=int, default=3_000)
    parser.add_argument("--only", action="append",
                        choices=("run", "pipeline", "address", "standardise", "linkage", "traps"))
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs", flush=True)
    failed = []
    for name, cmd in commands(args).items():
        if args.only and name not in args.only:
            continue
        if not (ROOT / "benchmarks" / f"{cmd[0].split('.')[-1]}.py").exists():
            print(f"== {name}: {cmd[0]} not found, skipped", flush=True)
            continue
        print(f"== {name}: python -m {' '.join(cmd)}", flush=True)
        t = time.perf_counter()
        if subprocess.run([sys.executable, "-m", *cmd], cwd=ROOT).returncode != 0:
            failed.append(name)
        print(f"== {name}: {time.perf_counter() - t:.0f} s", flush=True)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
