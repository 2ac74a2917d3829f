"""`saphan compare RUN_A RUN_B`: change since last year, by person key (flows/compare.py).

flows/cli.py calls register(subparsers). Nothing here imports Prefect: the command reads two runs' warehouses.
"""

import argparse
import sys
from pathlib import Path

DEFAULT_RUNS_IN = Path("data/out")


def _fail(message: str, code: int = 2) -> int:
    sys.stderr.write(f"saphan: error: {message}\n")
    return code


def cmd_compare(args: argparse.Namespace) -> int:
    import duckdb

    from flows.cli_inspect import ascii_safe
    from flows.compare import CompareError, compare_runs, format_counts, resolve_run

    try:
        a = resolve_run(args.run_a, Path(args.runs_in))
        b = resolve_run(args.run_b, Path(args.runs_in))
        summary = compare_runs(a, b, Path(args.out) if args.out else None)
    except CompareError as e:
        return _fail(ascii_safe(str(e)))
    except (OSError, duckdb.Error) as e:
        return _fail(f"compare failed: {type(e).__name__}: {ascii_safe(' '.join(str(e).split()))}", 1)
    years = {k: "/".join(str(y) for y in summary["runs"][k]["survey_years"]) or "?" for k in ("a", "b")}
    ya, yb = summary["runs"]["a"]["survey_years"], summary["runs"]["b"]["survey_years"]
    if ya and yb and max(ya) > min(yb):  # RUN_A is meant to be last year: say so rather than read it backwards
        sys.stderr.write(f"saphan: warning: RUN_A's survey ({years['a']}) is later than RUN_B's ({years['b']}): "
                         "'newly' and 'no longer' read from RUN_A to RUN_B\n")
    nf = {k: summary["runs"][k]["not_followed"] for k in ("a", "b")}
    sys.stdout.write(
        f"compare run {a.run_id[:8]} (survey {years['a']}) -> run {b.run_id[:8]} (survey {years['b']}), "
        f"same pseudonym key {summary['pseudonym_key_fingerprint']}\n"
        f"{summary['people']} people followed by a valid ID, poor or a member in either run\n\n"
        f"{format_counts(summary)}\n\n"
        f"not followed (no valid ID: a key of the record, not the person): poverty records {nf['a']['poverty_records']}"
        f" -> {nf['b']['poverty_records']}, roster lines {nf['a']['roster_lines']} -> {nf['b']['roster_lines']}\n"
        f"wrote {ascii_safe(summary['out'])}: poverty_change.duckdb, marts/poverty_change/, comparison.json\n"
    )
    return 0


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add compare to the `saphan` command."""
    p = subparsers.add_parser(
        "compare", help="change since last year between two runs, by person key (writes the poverty_change mart)",
        description="Compare two published runs (e.g. the 2566 and 2567 extracts) person by person: still poor, "
        "newly poor, no longer poor, newly reached by a fund, no longer a member; counts by subdistrict are "
        "printed and the poverty_change mart is written. Both runs must have used the same pseudonym key (their "
        "manifests' key fingerprints are compared, never the key). People are followed by keys made from valid "
        "citizen IDs. Example: saphan compare out2566 out2567 --out comparisons/2566-2567",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("run_a", metavar="RUN_A", help="the earlier run: an output folder (its published run), a run "
                   "folder, or a run id (prefix) under --runs-in")
    p.add_argument("run_b", metavar="RUN_B", help="the later run, named the same ways")
    p.add_argument("--out", metavar="DIR", help="where to write the comparison (default: "
                   "<RUN_B's output folder>/comparisons/<A8>-<B8>)")
    p.add_argument("--runs-in", default=str(DEFAULT_RUNS_IN), metavar="DIR",
                   help=f"output folder whose runs/ a run id is looked up in (default {DEFAULT_RUNS_IN})")
    p.set_defaults(func=cmd_compare)
