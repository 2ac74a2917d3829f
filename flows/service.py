"""Scheduling: a local Prefect server, and the pipeline served as a deployment on the config's schedule.

Schedules fire only against a real server (``prefect server start``), never the temporary one a bare flow call
starts; so ``saphan serve`` needs ``PREFECT_API_URL``. The server listens on 127.0.0.1 with telemetry off and its
database under the project's Prefect home.

Config read here::

    [schedule]
    cron = "0 6 * * *"           # or a list of cron strings
    timezone = "Asia/Bangkok"    # the default; Prefect's own default would be UTC
    interval_seconds = 3600      # optional, in addition to (or instead of) cron
    pause_on_stop = true         # stopping `saphan serve` pauses the schedules (the default)

    [inputs]                     # paths relative to the config file's folder
    rosters = ["inbox/rosters"]
    poverty = ["inbox/poverty"]
    out = "out"
"""

import os
import signal
import subprocess
import sys
import tempfile
import zoneinfo
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

__all__ = ["DEFAULT_TIMEZONE", "DEPLOYMENT_NAME", "ServeError", "ServerError", "api_in_use", "api_url",
           "deployment_parameters", "is_healthy", "schedules_from_config", "serve", "server_command", "server_env",
           "temporary_server", "wait_healthy"]

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 4200
DEFAULT_TIMEZONE = "Asia/Bangkok"
DEPLOYMENT_NAME = "saphan-scheduled"
PROJECT_ROOT = Path(__file__).resolve().parents[1]


class ServeError(Exception):
    """Serving cannot start; the message says why in one line."""


def api_url(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> str:
    return f"http://{host}:{port}/api"


def server_env(home: Path | None = None, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for ``prefect server start``: telemetry off, Prefect's home in the project (or ``home``)."""
    env = dict(os.environ if base is None else base)
    env["PREFECT_HOME"] = str(home) if home else env.get("PREFECT_HOME", str(PROJECT_ROOT / ".prefect"))
    env["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    env["DO_NOT_TRACK"] = "1"
    env.pop("PREFECT_API_URL", None)  # the server must not try to be a client of another one
    return env


class ServerError(Exception):
    """The run's temporary Prefect server could not start; the message says why in one line."""


def api_in_use() -> str | None:
    """The Prefect API this process would talk to (PREFECT_API_URL, or a test harness's), else None."""
    if "prefect" in sys.modules:
        from prefect.settings import get_current_settings

        url = get_current_settings().api.url
        return str(url) if url else None
    return os.environ.get("PREFECT_API_URL") or None


def _free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((DEFAULT_HOST, 0))
        return int(sock.getsockname()[1])


def _die_with_parent() -> None:
    """In the server's process, before it starts: the kernel sends it SIGTERM when saphan's process ends, however
    it ends (an exception, SIGKILL, an abort), so no server outlives its run (Linux; elsewhere a no-op)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def temporary_server_command(port: int) -> list[str]:
    """The Prefect API as Prefect's own temporary server runs it (uvicorn, no UI), on 127.0.0.1:port."""
    return [sys.executable, "-m", "uvicorn", "--factory", "prefect.server.api.server:create_app", "--host",
            DEFAULT_HOST, "--port", str(port), "--log-level", "error", "--lifespan", "on"]


@contextmanager
def temporary_server(timeout: float | None = None,
                     while_starting: Callable[[str], None] | None = None) -> Iterator[str]:
    """Start a Prefect API for one run, export PREFECT_API_URL to it, stop it when the run ends; yield its URL.

    Prefect's own temporary server is stopped only by an exit handler, so a crashed or killed run left it
    running, and each Dask worker started one of its own. This one is the run's child: Dask workers inherit its
    URL, and it is stopped on the way out, or by the kernel if the run dies (PR_SET_PDEATHSIG).

    ``while_starting(url)`` runs once the server's process is started and before waiting for it to answer: the
    run's own checks and imports (seconds of CPU) overlap the server's start instead of following it.

    Raises:
        ServerError: the server did not answer within ``timeout`` seconds (default: Prefect's
            PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS, else 180; its last error line is given).
    """
    # Prefect's own setting for its temporary server's start; a loaded machine can need minutes (migrations).
    timeout = timeout or float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS") or 180)
    port = _free_port()
    env = server_env() | {"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
    url = api_url(port=port)
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(temporary_server_command(port), env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=errors, preexec_fn=_die_with_parent)
        previous = os.environ.get("PREFECT_API_URL")
        try:
            if while_starting is not None:
                while_starting(url)
            if not wait_healthy(url, timeout=timeout, process=proc):
                errors.seek(0)
                last = [line for line in errors.read().decode("utf-8", "replace").splitlines() if line.strip()]
                why = f": {last[-1].strip()}" if last else ""
                raise ServerError(f"the run's temporary Prefect server did not start within {timeout:g} s{why}; "
                                  f"the run refuses to start without one (or set PREFECT_API_URL)")
            os.environ["PREFECT_API_URL"] = url
            with _prefect_told(url):
                yield url
        finally:
            _flush_prefect_logs()  # logs still queued reach the server before it stops
            if previous is None:
                os.environ.pop("PREFECT_API_URL", None)
            else:
                os.environ["PREFECT_API_URL"] = previous
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()


@contextmanager
def _prefect_told(url: str) -> Iterator[None]:
    """Prefect, when already imported, reads its settings once: tell it the URL too (the env var covers children)."""
    if "prefect.settings" not in sys.modules:
        yield
        return
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: url}):
        yield


def _flush_prefect_logs() -> None:
    if "prefect.logging.handlers" in sys.modules:
        from prefect.logging.handlers import APILogWorker

        try:
            APILogWorker.drain_all(timeout=5)
        except Exception:  # a log that cannot be sent must not hide how the run ended
            pass


def server_command(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> list[str]:
    """``prefect server start`` on this machine only, by the interpreter saphan runs on."""
    return [sys.executable, "-m", "prefect", "server", "start", "--host", host, "--port", str(port),
            "--analytics-off"]


def is_healthy(url: str, timeout: float = 2.0) -> bool:
    """True when the Prefect API at ``url`` (ending in /api) answers its health check."""
    import httpx

    # Over plain http no certificate is checked; httpx would still load its CA bundle per call: 63 ms of CPU per
    # poll, every 0.25 s while a temporary server starts on the same two cores (1.6 ms without).
    verify = not url.startswith("http://")
    try:
        answer = httpx.get(f"{url.rstrip('/')}/health", timeout=timeout, trust_env=False, verify=verify)
        return answer.status_code == 200
    except httpx.HTTPError:
        return False


def wait_healthy(url: str, timeout: float = 90.0, process: "subprocess.Popen[bytes] | None" = None) -> bool:
    """True once the API at ``url`` answers; False after ``timeout`` seconds or when ``process`` has exited."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if is_healthy(url):
            return True
        if process is not None and process.poll() is not None:
            return False
        time.sleep(0.25)
    return False


def schedules_from_config(config: Mapping[str, Any]) -> list[Any]:
    """Prefect schedules from ``[schedule]``: each cron string in the timezone given (Asia/Bangkok by default)."""
    from prefect.schedules import Cron, Interval

    section = config.get("schedule") or {}
    timezone = str(section.get("timezone", DEFAULT_TIMEZONE))
    try:
        zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ServeError(f"[schedule] timezone {timezone!r} is not an IANA time zone (e.g. Asia/Bangkok)") from None
    crons = section.get("cron", [])
    crons = [crons] if isinstance(crons, str) else list(crons)
    schedules = []
    for cron in crons:
        try:
            schedules.append(Cron(str(cron), timezone=timezone))
        except ValueError as e:
            raise ServeError(f"[schedule] cron {cron!r} is not valid: {str(e).splitlines()[0]}") from None
    if "interval_seconds" in section:
        seconds = section["interval_seconds"]
        if not isinstance(seconds, int | float) or isinstance(seconds, bool) or seconds <= 0:
            raise ServeError(f"[schedule] interval_seconds must be a positive number, not {seconds!r}")
        schedules.append(Interval(seconds, timezone=timezone))
    if not schedules:
        raise ServeError("the config has no [schedule] cron (e.g. cron = \"0 6 * * *\") or interval_seconds")
    return schedules


def deployment_parameters(config: Mapping[str, Any], config_path: Path) -> dict[str, Any]:
    """The pipeline's parameters from ``[inputs]``, paths made absolute against the config file's folder."""
    inputs = config.get("inputs") or {}
    base = config_path.resolve().parent

    def paths(key: str) -> list[str]:
        value = inputs.get(key)
        value = [value] if isinstance(value, str) else value
        if not value:
            raise ServeError(f"[inputs] {key} must name at least one file or folder")
        return [str((base / p).resolve()) for p in value]

    if not inputs.get("out"):
        raise ServeError("[inputs] out must name the output folder")
    return {"rosters": paths("rosters"), "poverty": paths("poverty"), "out": str((base / inputs["out"]).resolve()),
            "config_path": str(config_path.resolve())}


def serve(config_path: Path, name: str = DEPLOYMENT_NAME) -> None:
    """Serve the pipeline as a deployment on the config's schedules until interrupted (runs one at a time).

    Raises:
        ServeError: no or unreachable ``PREFECT_API_URL``, or an unusable [schedule] / [inputs] section.
    """
    from flows.config import load_config

    config = load_config(config_path)
    schedules = schedules_from_config(config)
    parameters = deployment_parameters(config, Path(config_path))
    pause_on_stop = bool((config.get("schedule") or {}).get("pause_on_stop", True))
    url = os.environ.get("PREFECT_API_URL")
    if not url:
        raise ServeError(
            "PREFECT_API_URL is not set: schedules need a running server (start one with `saphan server`, then "
            f"export PREFECT_API_URL={api_url()})"
        )
    if not is_healthy(url):
        raise ServeError(f"no Prefect server answers at {url} (start one with `saphan server`)")

    from prefect.types.entrypoint import EntrypointType

    from flows.pipeline import pipeline

    # A module entrypoint loads the installed package wherever the runner starts its flow-run process.
    pipeline.serve(
        name=name, schedules=schedules, parameters=parameters, pause_on_shutdown=pause_on_stop, limit=1,
        entrypoint_type=EntrypointType.MODULE_PATH, tags=["saphan", "scheduled"],
        description="saphan pipeline on the configured schedule; inputs and output folder from the config",
    )
