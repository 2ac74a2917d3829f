"""The `saphan` command line."""

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from flows import timing

# How long the process took to get here (the interpreter's start, its site packages, this module's imports) and
# when: a run's timings begin with the process, not with the flow (flows/timing.py).
_STARTED_S, _STARTED_CPU, _CLI_AT = timing.process_age(), timing.cpu_seconds(), time.perf_counter()

PROJECT_ROOT = Path(__file__).resolve().parents[1]
# `saphan run` writes every timed step as JSON to this file when set (benchmarks/bench_run.py reads it).
TIMINGS_FILE_ENV = "SAPHAN_TIMINGS_FILE"


def quiet_prefect_env() -> None:
    """Nothing leaves the machine: Prefect telemetry off and its home inside the project (git-ignored)."""
    os.environ.setdefault("PREFECT_HOME", str(PROJECT_ROOT / ".prefect"))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")  # migrations on a busy machine


def fail(message: str, code: int = 2) -> int:
    print(f"saphan: error: {message}", file=sys.stderr)
    return code


def _probe_out(out: str) -> str | None:
    """A one-line error when the output folder cannot be made or written (read-only, full, not a folder)."""
    from flows.cli_inspect import ascii_safe

    path = Path(out)
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / f".saphan-probe-{os.getpid()}"
        probe.write_bytes(b"saphan")
        probe.unlink()
    except OSError as e:
        return f"cannot write to the output folder {ascii_safe(out)}: {e.strerror or type(e).__name__}"
    return None


def _environment_error(e: BaseException) -> str:
    """One line for a fault of the machine rather than the data: a full disk, a read-only folder, memory."""
    if isinstance(e, OSError):
        where = f" ({e.filename})" if e.filename else ""
        return f"{e.strerror or type(e).__name__}{where}"
    return " ".join(str(e).split())


def _process_started() -> None:
    """The process's own steps, once per process (tests call main() many times in one)."""
    if "process.start" not in timing.steps():
        timing.add("process.start", _STARTED_S, _STARTED_CPU)
        timing.add("process.command_line", time.perf_counter() - _CLI_AT, timing.cpu_seconds() - _STARTED_CPU)


def _import_pipeline() -> None:
    """What a run imports (Prefect, Splink, DuckDB, pandas, the flow): seconds of CPU, so done while the temporary
    Prefect server starts in its own process. Prefect's engine and FastAPI's encoder are imported by the first flow
    call otherwise (2-4 s of that call on a loaded machine)."""
    import fastapi.encoders  # noqa: F401
    import prefect.flow_engine  # noqa: F401
    import prefect.task_engine  # noqa: F401

    import flows.pipeline  # noqa: F401


def _warm_up(url: str, seconds: float = 180.0) -> None:
    """Ask the temporary server its version once it answers: its first answer takes seconds (its own lazy start,
    3 s at load 9), so it is taken here, in a thread while this process checks the inputs, not by the flow."""
    import httpx

    from flows import service

    until = time.monotonic() + seconds
    while time.monotonic() < until:
        if service.is_healthy(url, timeout=1.0):
            try:
                httpx.get(f"{url.rstrip('/')}/admin/version", timeout=60, trust_env=False, verify=False)  # http
            except httpx.HTTPError:
                pass  # the flow will meet the same server and say what is wrong
            return
        time.sleep(0.25)


def cmd_run(args: argparse.Namespace) -> int:
    with timing.run_scope():  # the run's timings: from here to its Prefect server's stop
        return _cmd_run(args)


def _cmd_run(args: argparse.Namespace) -> int:
    _process_started()
    quiet_prefect_env()
    with timing.timed("process.config"):
        code = _check_config(args)  # a bad config or no key: one line, before a Prefect server starts
    if code is not None:
        return code
    from contextlib import ExitStack
    from functools import partial

    from flows import service

    temporary = not service.api_in_use()
    try:
        with ExitStack() as stack:
            if temporary:  # the server starts in its own process while this one checks the inputs and imports
                with timing.timed("process.prefect_server_start"):
                    stack.enter_context(service.temporary_server(while_starting=partial(_ready, args, "")))
            else:
                _ready(args, "process.", None)
            code, ran = _run_flow(args, args.allow_partial)
            stopping = time.perf_counter()
        if temporary:
            timing.add("process.prefect_server_stop", time.perf_counter() - stopping)
    except _Refused as e:  # a server started meanwhile has been stopped by now
        return e.code
    except service.ServerError as e:
        return fail(str(e))
    if ran:
        _print_timings(args.timings)
    return code


class _Refused(Exception):
    """The run's inputs or output folder failed their checks; the one-line errors are printed."""

    def __init__(self, code: int) -> None:
        self.code = code


def _ready(args: argparse.Namespace, prefix: str, server: str | None) -> None:
    """The checks of the inputs and output folder, then the run's imports; raises _Refused when a check fails.
    With a temporary ``server`` starting meanwhile, a thread asks it its first question (_warm_up)."""
    if server:
        import threading

        threading.Thread(target=_warm_up, args=(server,), name="saphan-server-warm-up", daemon=True).start()
    with timing.timed(f"{prefix}checks"):
        code = _check_inputs(args)
    if code is not None:
        raise _Refused(code)
    with timing.timed(f"{prefix}imports"):
        _import_pipeline()


def _check_config(args: argparse.Namespace) -> int | None:
    """The config and the pseudonym key; an exit code if the run must stop. Sets ``args.allow_partial`` from the
    config when the command line did not."""
    from flows.config import ConfigError, load_config, run_settings
    from flows.pseudonym_key import PseudonymKeyError, load_key

    try:
        config = load_config(args.config)
        if not args.no_marts:
            load_key(config)  # no key is an error unless --no-marts says the run means to go without marts
    except ConfigError as e:
        return fail(str(e))
    except PseudonymKeyError as e:
        return fail(f"{e} (or pass --no-marts to run without marts and reports)")
    args.allow_partial = args.allow_partial or run_settings(config)["allow_partial"]
    return None


def _check_inputs(args: argparse.Namespace) -> int | None:
    """The input paths (a swapped roster and extract too) and the output folder, before anything is written; an exit
    code if the run must stop."""
    from flows.cli_inspect import check_inputs
    from flows.config import load_config

    # a file an earlier run into --out read is told by that reading (flows/ingest_cache.py), not read again
    cache = None if args.no_cache else Path(args.out).resolve() / "state" / "cache" / "ingest"
    # the config's [[sources]] `dataset` says what a file is where its columns mislead: the check obeys it too
    # (the config was read once already by _check_config: it is valid here)
    input_errors = check_inputs(args.rosters, args.poverty, load_config(args.config), cache=cache)
    if input_errors:
        for message in input_errors[:-1]:
            print(f"saphan: error: {message}", file=sys.stderr)
        return fail(input_errors[-1])
    out_error = _probe_out(args.out)
    if out_error:
        return fail(out_error)
    return None


def _print_timings(full: bool) -> None:
    """One line after every run (the total and the five biggest steps); every step with --timings; all of them as
    JSON into $SAPHAN_TIMINGS_FILE when set."""
    total = _STARTED_S + time.perf_counter() - _CLI_AT
    recorded = timing.steps()
    print("  " + timing.summary_line({k: s.seconds for k, s in recorded.items()}, total))
    if full:
        print(timing.table(recorded, total))
    if os.environ.get(TIMINGS_FILE_ENV):
        Path(os.environ[TIMINGS_FILE_ENV]).write_text(json.dumps({
            "whole_process_seconds": round(total, 3), "roots": timing.roots(recorded),
            "steps": {k: {"seconds": round(s.seconds, 3), "cpu_seconds": round(s.cpu_seconds, 3), "calls": s.calls,
                          "peak_rss_mb": round(s.peak_rss_mb)} for k, s in recorded.items()},
        }, indent=1) + "\n", encoding="utf-8")


def _flow_overhead(before: dict[str, timing.Step], wall: float, cpu: float) -> None:
    """prefect.flow_overhead: the flow call's wall time outside the steps timed inside it (Prefect's flow and task
    runs: API calls, state changes, the flow's 1 s heartbeat; and the flow's own few untimed lines)."""
    inside, inside_cpu = timing.seconds(since=before), timing.seconds(since=before, cpu=True)
    roots = [k for k in timing.roots(inside) if k.split(".")[0] not in (timing.PROCESS, "prefect")]
    timing.add("prefect.flow_overhead", max(0.0, wall - sum(inside[k] for k in roots)),
               max(0.0, cpu - sum(inside_cpu[k] for k in roots)))


def _run_flow(args: argparse.Namespace, allow_partial: bool) -> tuple[int, bool]:
    """Run the flow against the Prefect API now set; print the summary and map the outcome to an exit code; also
    whether the flow ran to a manifest."""
    import duckdb

    from flows.cli_inspect import ascii_safe
    from flows.pipeline import RunNotPublished, pipeline
    from flows.publish import OutputBusy
    from flows.safe_errors import SafeError, one_line_console
    from flows.warehouse import ContractViolation

    one_line_console()  # tracebacks stay in Prefect's database (reduced); the console gets one line per error
    run_flow, link_partition = pipeline, args.link_partition
    if args.task_runner == "dask":  # provinces link in parallel on the cluster (flows/partition.py)
        from prefect_dask import DaskTaskRunner

        runner = DaskTaskRunner(address=args.dask_address) if args.dask_address else DaskTaskRunner()
        run_flow, link_partition = pipeline.with_options(task_runner=runner), "province"  # type: ignore[arg-type]
    before, started, cpu = timing.mark(), time.perf_counter(), timing.cpu_seconds()
    try:
        manifest = run_flow(args.rosters, args.poverty, args.out, args.config, link_partition, not args.no_reports,
                            not args.no_marts, allow_partial, use_cache=False if args.no_cache else None)
    except RunNotPublished as e:
        _flow_overhead(before, time.perf_counter() - started, timing.cpu_seconds() - cpu)
        manifest = e.manifest
        print(run_summary(manifest, Path(e.manifest["run_folder_path"])))
        for r in manifest["rejected_files"]:
            print(f"saphan: rejected {r['dataset']} file {ascii_safe(r['path'])}: {ascii_safe(r['reason'])}",
                  file=sys.stderr)
        return fail(str(e), 1), True
    except ContractViolation as e:
        return fail(f"contract violation: {e}", 3), False
    except OutputBusy as e:
        return fail(str(e)), False
    except (OSError, SafeError, duckdb.Error, MemoryError) as e:
        return fail(f"run failed: {_environment_error(e)}", 1), False
    _flow_overhead(before, time.perf_counter() - started, timing.cpu_seconds() - cpu)
    print(run_summary(manifest, Path(args.out)))
    if "marts_skipped" in manifest:
        print(f"saphan: marts and reports not written: {manifest['marts_skipped']}", file=sys.stderr)
    for r in manifest["rejected_files"]:
        print(f"saphan: rejected {r['dataset']} file {ascii_safe(r['path'])}: {ascii_safe(r['reason'])}",
                  file=sys.stderr)
    if manifest.get("published_partial"):
        print(f"saphan: published although partial (--allow-partial): {'; '.join(manifest['published_partial'])}",
              file=sys.stderr)
    if not manifest["inputs"]:
        return fail("no input file could be read", 1), True
    return (1 if manifest["rejected_files"] or not manifest["reconciled"] else 0), True


def run_summary(manifest: dict[str, Any], out: Path) -> str:
    from flows.cli_inspect import ascii_safe, reading_lines  # a newline in a file name must not forge a line

    lines = [f"run {manifest['run_id']}"]
    if manifest.get("reused_from"):  # flows/rerun.py: nothing changed, the published run's outputs copied
        lines.append(f"  nothing changed since run {manifest['reused_from']}: its outputs reused (sha256 checked), "
                     "the HTML report written again (--no-cache recomputes)")
    for i in manifest["inputs"]:
        lines.append(
            f"  {i['dataset']:8} {ascii_safe(i['name'])}: read {i['rows_read']}, accepted {i['accepted']}, "
            f"quarantined {i['quarantined']}"
        )
        lines += reading_lines(i)  # how it was read: header lines, each column's role and why, warnings
    lines.append("  links by method: " + ", ".join(f"{k} {v}" for k, v in manifest["match_methods"].items()))
    lines.append(f"  rejected files: {len(manifest['rejected_files'])}")
    lines.append(f"  outputs in {out}: " + ", ".join(o["path"] for o in manifest["outputs"]) + ", manifest.json")
    return "\n".join(lines)


def cmd_sample(args: argparse.Namespace) -> int:
    from flows.sample import write_sample

    summary = write_sample(Path(args.dir), households=args.households, seed=args.seed, year2=args.year2)
    print(json.dumps(summary, ensure_ascii=False, indent=2, default=str))
    return 0


def name_report(text: str) -> dict[str, Any]:
    """The parse of one name as `saphan name` shows it: the title as written beside its canonical form."""
    from transforms.names import parse_name
    from transforms.thai_text import clean_text

    parsed = parse_name(text)
    cleaned = clean_text(text) or ""
    at = cleaned.find(parsed["first_name"]) if parsed["first_name"] else -1
    keys = {k: v for k, v in parsed.items() if k.endswith(("_lk82", "_udom83", "_metasound", "_roman"))}
    return {
        "input": text,
        "title": cleaned[:at].strip() or None if at > 0 else None,
        "canonical_title": parsed["title"],
        "first_name": parsed["first_name"],
        "last_name": parsed["last_name"],
        "implied_sex": parsed["sex"],
        "name_status": parsed["name_status"],
        "keys": keys,
    }


def cmd_name(args: argparse.Namespace) -> int:
    print(json.dumps(name_report(args.text), ensure_ascii=False, indent=2))
    return 0


def cmd_address(args: argparse.Namespace) -> int:
    from transforms.address import resolve_address

    result = resolve_address(args.text, default_province=args.province)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="saphan", description="Link Thai community welfare fund rosters to TPMAP-style poverty records."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the pipeline: ingest, standardise, link, publish")
    run.add_argument("--rosters", nargs="+", required=True, metavar="PATH", help="roster files or folders")
    run.add_argument("--poverty", nargs="+", required=True, metavar="PATH", help="poverty extract files or folders")
    run.add_argument("--out", required=True, metavar="DIR", help="output folder")
    run.add_argument("--config", metavar="FILE", help="TOML config (defaults, per-source column mapping)")
    run.add_argument("--link-partition", choices=("none", "province"), default="none",
                     help="link each province on its own (the path a Dask cluster runs; same outputs locally)")
    run.add_argument("--task-runner", choices=("local", "dask"), default="local",
                     help="dask: link the provinces in parallel on a Dask cluster (implies --link-partition province)")
    run.add_argument("--dask-address", metavar="tcp://HOST:PORT",
                     help="the Dask scheduler (default: a temporary cluster on this machine)")
    run.add_argument("--no-reports", action="store_true",
                     help="leave out the XLSX and HTML reports (slow at province scale; `saphan report` writes them)")
    run.add_argument("--no-marts", action="store_true",
                     help="leave out marts and reports: the run needs no pseudonym key (without one and without "
                     "this flag the run is refused)")
    run.add_argument("--timings", action="store_true",
                     help="print every timed step (wall and CPU seconds); a one-line summary is always printed")
    run.add_argument("--no-cache", action="store_true",
                     help="recompute everything: do not reuse the published run's outputs when nothing changed, "
                     "nor files read, lookups or a model from earlier runs (as [run] cache = false)")
    run.add_argument("--allow-partial", action="store_true",
                     help="publish even with a rejected file, a missing path or a dataset with no rows (default: "
                     "such a run keeps its outputs under OUT/runs/RUN_ID, publishes nothing and exits 1)")
    run.set_defaults(func=cmd_run)
    sample = sub.add_parser("sample", help="write realistic sample inputs with a truth file")
    sample.add_argument("dir", metavar="DIR")
    sample.add_argument("--households", type=int, default=300, metavar="N")
    sample.add_argument("--seed", type=int, default=2567, metavar="S")
    sample.add_argument("--year2", action="store_true",
                        help="also write the next survey year with known transitions under DIR/year2/")
    sample.set_defaults(func=cmd_sample)
    name = sub.add_parser("name", help="show how a name is parsed (JSON)")
    name.add_argument("text")
    name.set_defaults(func=cmd_name)
    address = sub.add_parser("address", help="show how an address is parsed and resolved (JSON)")
    address.add_argument("text")
    address.add_argument("--province", help="default province when the address omits it")
    address.set_defaults(func=cmd_address)
    from flows import cli_compare, cli_explain, cli_inspect, cli_planners, cli_review, cli_service  # light

    cli_inspect.register(sub)
    cli_planners.register(sub)
    cli_review.register(sub)
    cli_service.register(sub)
    cli_explain.register(sub)
    cli_compare.register(sub)
    _with_examples(sub)
    return parser


# One example per command, shown by its --help under what it does (a command registered elsewhere may bring its own).
EXAMPLES = {
    "run": "saphan run --rosters data/sample/rosters --poverty data/sample/poverty --out data/out",
    "sample": "saphan sample /tmp/sample --households 1000 --seed 7",
    "name": 'saphan name "ว่าที่ร้อยตรี สมชาย ใจดี"',
    "address": 'saphan address "12/3 ม.4 ต.ในเมือง อ.เมือง จ.บุรีรัมย์ 31000"',
    "query": "saphan query \"select level, name, coverage from coverage where level = 'district'\" "
             "--format csv --output coverage.csv",
    "tables": "saphan tables --warehouse data/out/saphan.duckdb",
    "report": "saphan report --warehouse data/out/saphan.duckdb --out /tmp/reports",
    "server": "saphan server   (then, in another shell: saphan serve --config saphan.toml)",
    "serve": "saphan serve --config saphan.toml",
    "status": "saphan status --out data/out",
    "audit": "saphan audit 9dcef2cd-42de-4114-8a00-7834f711d85e --out data/out",
}


def _with_examples(sub: Any) -> None:
    """Every command's --help says what it does (its description, else its one-line help) and shows an example."""
    helps = {a.dest: a.help for a in sub._choices_actions}
    for name, command in sub.choices.items():
        text = command.description or (helps.get(name) or "").capitalize()
        if name in EXAMPLES and "example" not in text.lower():
            text = f"{text}\n\nexample:\n  {EXAMPLES[name]}"
        command.description = text
        command.formatter_class = argparse.RawDescriptionHelpFormatter


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return fail("interrupted", 130)
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0
    finally:
        if argv is None:  # the `saphan` command, which ends now (not a test calling main)
            # The heap (Prefect, Splink, pythainlp's dictionaries, the lookups' caches) is left out of the
            # interpreter's two full garbage collections at exit: they took 7-12 s on a loaded 2-core machine after
            # a run was done, for nothing (atexit handlers still run; files and connections are closed by then).
            import gc

            gc.freeze()


if __name__ == "__main__":
    sys.exit(main())
