"""The operations commands: `saphan server`, `saphan serve`, `saphan status`, `saphan audit RUN_ID`.

`flows.cli.build_parser` calls ``register(sub)``; each command sets up a quiet Prefect environment before Prefect
is imported.
"""

import argparse
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

DEFAULT_CONFIG = "saphan.toml"
DEFAULT_OUT = "data/out"


def _say(text: str, err: bool = False) -> None:
    (sys.stderr if err else sys.stdout).write(text + "\n")


def _fail(message: str, code: int = 2) -> int:
    _say(f"saphan: error: {message}", err=True)
    return code


def _quiet() -> None:
    from flows.cli import quiet_prefect_env

    quiet_prefect_env()


def _out_dir(args: argparse.Namespace) -> Path:
    """The output folder: --out, else [inputs] out of --config (relative to the config file), else data/out."""
    if getattr(args, "out", None):
        return Path(args.out).resolve()
    if getattr(args, "config", None):
        from flows.config import load_config

        config = load_config(args.config)
        out = (config.get("inputs") or {}).get("out")
        if out:
            return (Path(args.config).resolve().parent / out).resolve()
    return Path(DEFAULT_OUT).resolve()


def cmd_server(args: argparse.Namespace) -> int:
    from flows import service

    env = service.server_env()
    _say(f"saphan: Prefect server on {service.api_url(port=args.port)} (home {env['PREFECT_HOME']}, telemetry off)")
    _say(f"saphan: in another shell: export PREFECT_API_URL={service.api_url(port=args.port)}")
    proc = subprocess.Popen(service.server_command(port=args.port), env=env)

    def _terminate(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _terminate)  # stopping saphan stops the server it started
    try:
        return proc.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def cmd_serve(args: argparse.Namespace) -> int:
    _quiet()
    from flows import service
    from flows.config import ConfigError

    config = Path(args.config or DEFAULT_CONFIG)
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:  # a shell's background job (`saphan serve &`, nohup)
        _say(f"saphan: Ctrl-C does not reach this process (it was started in the background); stop it with "
             f"`kill {os.getpid()}`: its schedules are paused either way", err=True)
    try:
        service.serve(config, name=args.name)
    except (service.ServeError, ConfigError) as e:
        return _fail(str(e))
    return 0


def _deployment_lines(name: str) -> list[str]:
    """The served deployment's schedules and next run, when a Prefect server is set and answering."""
    url = os.environ.get("PREFECT_API_URL")
    from flows import service

    if not url or not service.is_healthy(url, timeout=1.0):
        return ["deployment: no Prefect server (PREFECT_API_URL unset or not answering)"]
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        DeploymentFilter,
        DeploymentFilterId,
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType
    from prefect.client.schemas.sorting import FlowRunSort
    from prefect.exceptions import ObjectNotFound

    with get_client(sync_client=True) as client:
        try:
            d = client.read_deployment_by_name(f"saphan-pipeline/{name}")
        except ObjectNotFound:
            return [f"deployment saphan-pipeline/{name}: not served yet (run `saphan serve`)"]
        lines = [f"deployment saphan-pipeline/{name}: {'paused' if d.paused else 'active'}"]
        for s in d.schedules:
            sched: Any = s.schedule
            what = getattr(sched, "cron", None) or f"every {getattr(sched, 'interval', '?')}"
            lines.append(f"  schedule {what} ({getattr(sched, 'timezone', None) or 'UTC'})"
                         f"{'' if s.active else ', inactive'}")
        upcoming = client.read_flow_runs(
            deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[d.id])),
            flow_run_filter=FlowRunFilter(state=FlowRunFilterState(type=FlowRunFilterStateType(
                any_=[StateType.SCHEDULED]))),
            sort=FlowRunSort.EXPECTED_START_TIME_ASC, limit=1,
        )
        if upcoming and upcoming[0].expected_start_time:
            lines.append(f"  next run {bangkok_time(upcoming[0].expected_start_time)}")
    return lines


def bangkok_time(value: Any) -> str:
    """A time as planners read it: Asia/Bangkok, to the minute ("2026-12-02 05:14 +07"); stored times stay UTC.

    Example: ``bangkok_time("2026-12-01T22:14:09+00:00")`` -> '2026-12-02 05:14 +07'
    """
    import datetime as dt
    from zoneinfo import ZoneInfo

    if value is None:
        return "-"
    when = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(ZoneInfo("Asia/Bangkok")).strftime("%Y-%m-%d %H:%M +07")


def cmd_status(args: argparse.Namespace) -> int:
    from flows import history, inbox
    from flows.config import ConfigError

    try:
        out = _out_dir(args)
    except ConfigError as e:
        return _fail(str(e))
    state = history.state_dir(out)
    runs = history.list_runs(state)
    _say(f"state {state}: {len(runs)} recorded runs")
    for m in runs[-args.runs:]:
        counts = sum(i.get("rows_read", 0) for i in m.get("inputs", []))
        _say(f"  run {m['run_id']}  started {bangkok_time(m.get('started_at'))}  {len(m.get('inputs', []))} files, "
             f"{counts} rows "
             f"read, {len(m.get('rejected_files', []))} rejected, reconciled {m.get('reconciled')}")
    rows = inbox.source_rows(inbox.load(state))
    _say(f"sources: {len({(r['dataset'], r['path']) for r in rows})}, versions: {len(rows)}")
    for r in rows:
        mark = "*" if r["current"] else " "
        _say(f" {mark}{r['dataset']:8} {r['path']}  v{r['version']} {r['sha256']}  {r['rows_read']} rows  "
             f"first run {r['first_run'][:8]}  last run {r['last_run'][:8]} ({r['last_used']})")
    if args.prefect:
        _quiet()
        for line in _deployment_lines(args.name):
            _say(line)
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    _quiet()
    from flows import history
    from flows.audit import AuditRefused, audit
    from flows.config import ConfigError

    try:
        state = history.state_dir(_out_dir(args))
        identical, report = audit(args.run_id, state, keep=args.keep)
    except (AuditRefused, ConfigError) as e:
        return _fail(str(e))
    _say(report)
    return 0 if identical else 1


def register(sub: Any) -> None:
    """Add server, serve, status and audit to the `saphan` sub-command parser."""
    server = sub.add_parser("server", help="start a local Prefect server (127.0.0.1, telemetry off) for schedules")
    server.add_argument("--port", type=int, default=4200, help="port to listen on (default 4200)")
    server.set_defaults(func=cmd_server)

    serve = sub.add_parser("serve", help="serve the pipeline on the config's schedule (needs PREFECT_API_URL)")
    serve.add_argument("--config", metavar="FILE", help=f"TOML config with [schedule] and [inputs] "
                                                        f"(default {DEFAULT_CONFIG})")
    serve.add_argument("--name", default="saphan-scheduled", help="deployment name (default saphan-scheduled)")
    serve.set_defaults(func=cmd_serve)

    for name, helptext in (("status", "list recorded runs, input sources and their versions"),
                           ("audit", "re-execute a recorded run and compare its outputs (exit 0 when identical)")):
        p = sub.add_parser(name, help=helptext)
        if name == "audit":
            p.add_argument("run_id", metavar="RUN_ID", help="run id (or a unique prefix) from `saphan status`")
            p.add_argument("--keep", action="store_true", help="keep the scratch folder even when identical")
        where = p.add_mutually_exclusive_group()
        where.add_argument("--out", metavar="DIR", help=f"the runs' output folder (default {DEFAULT_OUT})")
        where.add_argument("--config", metavar="FILE", help="take the output folder from the config's [inputs] out")
        p.set_defaults(func=cmd_status if name == "status" else cmd_audit)
    status = sub.choices["status"]
    status.add_argument("--runs", type=int, default=10, metavar="N", help="show the last N runs (default 10)")
    status.add_argument("--prefect", action="store_true", help="also show the served deployment's schedules")
    status.add_argument("--name", default="saphan-scheduled", help="deployment name (default saphan-scheduled)")


def main(argv: list[str] | None = None) -> int:
    """These commands alone (``python -m flows.cli_service``), until `saphan` registers them."""
    parser = argparse.ArgumentParser(prog="saphan", description="saphan operations: server, serve, status, audit")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return _fail("interrupted", 130)


if __name__ == "__main__":
    sys.exit(main())
