"""Scheduling: schedules and parameters from the config, and a real local Prefect server firing a served run."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from flows import history, service
from flows.cli_service import main

ROOT = Path(__file__).resolve().parents[1]


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "saphan.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_cron_schedules_default_to_bangkok_time():
    [cron] = service.schedules_from_config({"schedule": {"cron": "0 6 * * *"}})
    assert (cron.cron, cron.timezone) == ("0 6 * * *", "Asia/Bangkok")
    several = service.schedules_from_config(
        {"schedule": {"cron": ["0 6 * * *", "30 18 * * 1-5"], "timezone": "UTC", "interval_seconds": 3600}})
    assert [s.cron for s in several[:2]] == ["0 6 * * *", "30 18 * * 1-5"]
    assert {s.timezone for s in several} == {"UTC"} and several[2].interval.total_seconds() == 3600


@pytest.mark.parametrize(("section", "message"), [
    ({}, "no [schedule] cron"),
    ({"cron": "0 6 * * *", "timezone": "Bangkok"}, "not an IANA time zone"),
    ({"cron": "61 6 * * *"}, "is not valid"),
    ({"interval_seconds": 0}, "positive number"),
])
def test_bad_schedules_are_one_line_errors(section, message):
    with pytest.raises(service.ServeError, match=message.replace("[", r"\[")) as e:
        service.schedules_from_config({"schedule": section})
    assert "\n" not in str(e.value)


def test_parameters_come_from_inputs_relative_to_the_config(tmp_path):
    cfg = _config(tmp_path, "")
    params = service.deployment_parameters(
        {"inputs": {"rosters": "inbox/rosters", "poverty": ["inbox/poverty", "/abs/extra.csv"], "out": "out"}}, cfg)
    assert params == {"rosters": [str(tmp_path / "inbox/rosters")],
                      "poverty": [str(tmp_path / "inbox/poverty"), "/abs/extra.csv"],
                      "out": str(tmp_path / "out"), "config_path": str(cfg)}
    with pytest.raises(service.ServeError, match=r"\[inputs\] out"):
        service.deployment_parameters({"inputs": {"rosters": ["a"], "poverty": ["b"]}}, cfg)


def test_server_stays_on_this_machine_with_telemetry_off(tmp_path):
    env = service.server_env(tmp_path / "home", base={"PREFECT_API_URL": "http://x/api", "PATH": "/bin"})
    assert env["PREFECT_SERVER_ANALYTICS_ENABLED"] == "false" and env["DO_NOT_TRACK"] == "1"
    assert env["PREFECT_HOME"] == str(tmp_path / "home") and "PREFECT_API_URL" not in env
    cmd = service.server_command()
    assert cmd[cmd.index("--host") + 1] == "127.0.0.1" and cmd[cmd.index("--port") + 1] == "4200"
    assert "--analytics-off" in cmd
    assert service.server_env(base={})["PREFECT_HOME"] == str(ROOT / ".prefect")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_needs_a_running_server(tmp_path, monkeypatch, capsys):
    cfg = _config(tmp_path, '[schedule]\ncron = "0 6 * * *"\n[inputs]\nrosters = ["r"]\npoverty = ["p"]\nout = "o"\n')
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    # Ctrl-C reaches this process as in a terminal, even when the suite runs in the background (no note printed)
    with _sigint(signal.default_int_handler):
        assert main(["serve", "--config", str(cfg)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "PREFECT_API_URL is not set" in err and "saphan server" in err
        monkeypatch.setenv("PREFECT_API_URL", service.api_url(port=_free_port()))  # nothing listens there
        assert main(["serve", "--config", str(cfg)]) == 2
        assert "no Prefect server answers" in capsys.readouterr().err


def test_serve_started_in_the_background_says_how_to_stop_it(tmp_path):
    """A background job ignores Ctrl-C (the shell's rule): serve says so and names the kill that stops it."""
    cfg = _config(tmp_path, '[schedule]\ncron = "0 6 * * *"\n[inputs]\nrosters = ["r"]\npoverty = ["p"]\nout = "o"\n')
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}

    def started(sigint: Any) -> subprocess.CompletedProcess:
        with _sigint(sigint):
            return subprocess.run([sys.executable, "-m", "flows.cli_service", "serve", "--config", str(cfg)],
                                  env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)

    background, foreground = started(signal.SIG_IGN), started(signal.default_int_handler)
    assert background.returncode == foreground.returncode == 2
    note, error = background.stderr.splitlines()
    assert "Ctrl-C does not reach this process" in note and "kill " in note and "PREFECT_API_URL is not set" in error
    assert foreground.stderr.count("\n") == 1 and "Ctrl-C" not in foreground.stderr


def test_serve_names_a_missing_config(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PREFECT_API_URL", service.api_url(port=_free_port()))
    assert main(["serve", "--config", str(tmp_path / "nope.toml")]) == 2
    assert "nope.toml" in capsys.readouterr().err


# --- a real server, a served deployment, a scheduled run -----------------------------------------------------------

def _stop(proc: subprocess.Popen, sig: int = signal.SIGINT, timeout: float = 30) -> None:
    """Stop a process started in its own session, with everything it started; kill it if it will not go."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, sig)
            proc.wait(timeout=timeout)
        except (subprocess.TimeoutExpired, ProcessLookupError):
            pass
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def _interrupt(serve: subprocess.Popen, log: Path) -> None:
    """Ctrl-C to `serve`, as a user stops it. If it has not begun to shut down after 45 s, its log gets why: each
    process's signal masks, then every thread's stack (SIGABRT with PYTHONFAULTHANDLER)."""
    os.killpg(serve.pid, signal.SIGINT)
    try:
        serve.wait(timeout=45)
    except subprocess.TimeoutExpired:
        if "Pausing all deployments" not in log.read_text(errors="replace"):
            with log.open("a") as f:
                f.write("\n--- no answer to Ctrl-C in 45 s:\n" + _signal_states(serve.pid))
            os.kill(serve.pid, signal.SIGABRT)
    _stop(serve, timeout=90)


@contextmanager
def _sigint(handler: Any) -> Iterator[None]:
    """Inside the block Ctrl-C is handled by ``handler`` in this process, and children started there get it ignored
    (SIG_IGN) or as a terminal's foreground process has it (any handler: a caught signal is reset to the default at
    exec). A suite started in the background by a
    non-interactive shell (`make test &`, nohup, CI scripts) ignores SIGINT and every child inherits that: a `serve`
    so started rightly ignores Ctrl-C (the seventh session's "unanswered interrupt" was this: SigIgn bit 2 set).
    Set here, in the parent, not in a preexec_fn: that is unsafe in a process with threads, as pytest's may be."""
    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _signal_states(pid: int) -> str:
    """Each process of ``pid``'s tree: its command and signal masks (SigBlk/SigIgn/SigCgt, SIGINT is bit 2)."""
    lines, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text().splitlines()
            cmd = Path(f"/proc/{p}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")[:160]
            children = Path(f"/proc/{p}/task/{p}/children").read_text().split()
        except OSError:
            continue
        masks = [x for x in status if x.split(":")[0] in {"State", "SigBlk", "SigIgn", "SigCgt", "Threads"}]
        lines.append(f"{p} {cmd}\n  " + " ".join(" ".join(m.split()) for m in masks))
        todo += [int(c) for c in children]
    return "\n".join(lines) + "\n"


@pytest.mark.slow
def test_a_served_schedule_fires_a_run_that_completes(tmp_path, monkeypatch, capsys):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterName
    from prefect.settings import PREFECT_API_URL, temporary_settings

    home, port = tmp_path / "prefect-home", _free_port()
    url = service.api_url(port=port)
    from flows.sample import write_sample

    write_sample(tmp_path / "inbox", households=40, seed=7)  # enough pairs for the linker to train on
    cfg = _config(tmp_path, (
        '[schedule]\ncron = "0 6 * * *"\ntimezone = "Asia/Bangkok"\ninterval_seconds = 5\n'
        '[inputs]\nrosters = ["inbox/rosters"]\npoverty = ["inbox/poverty"]\nout = "out"\n'
    ))
    env = service.server_env(home)
    logs = {name: (tmp_path / f"{name}.log").open("ab") for name in ("server", "serve")}  # appends: see _interrupt
    server = subprocess.Popen(service.server_command(port=port), env=env, cwd=tmp_path, start_new_session=True,
                              stdout=logs["server"], stderr=subprocess.STDOUT)
    serve = None
    try:
        assert service.wait_healthy(url, timeout=90), (tmp_path / "server.log").read_text()[-2000:]
        serve_env = env | {"PREFECT_API_URL": url, "PREFECT_RUNNER_POLL_FREQUENCY": "2", "PYTHONFAULTHANDLER": "1"}
        with _sigint(signal.default_int_handler):
            serve = subprocess.Popen([sys.executable, "-m", "flows.cli_service", "serve", "--config", str(cfg)],
                                     env=serve_env, cwd=ROOT, start_new_session=True, stdout=logs["serve"],
                                     stderr=subprocess.STDOUT)
        with temporary_settings({PREFECT_API_URL: url}), get_client(sync_client=True) as client:
            deadline, deployment, finished = time.monotonic() + 110, None, []
            while time.monotonic() < deadline and not finished:
                time.sleep(2)
                assert serve.poll() is None, (tmp_path / "serve.log").read_text()[-3000:]
                if deployment is None:
                    try:
                        deployment = client.read_deployment_by_name("saphan-pipeline/saphan-scheduled")
                    except Exception:
                        continue
                runs = client.read_flow_runs(deployment_filter=DeploymentFilter(
                    name=DeploymentFilterName(any_=["saphan-scheduled"])))
                finished = [r for r in runs if r.state and r.state.is_final()]
            assert deployment is not None, (tmp_path / "serve.log").read_text()[-3000:]
            crons = [s.schedule for s in deployment.schedules if getattr(s.schedule, "cron", None)]
            assert [(c.cron, c.timezone) for c in crons] == [("0 6 * * *", "Asia/Bangkok")]
            assert finished, "no scheduled run finished in time:\n" + (tmp_path / "serve.log").read_text()[-3000:]
            run = finished[0]
            assert run.state is not None and run.state.is_completed(), (
                f"{run.state}\n" + (tmp_path / "serve.log").read_text()[-3000:])
            assert run.parameters["out"] == str(tmp_path / "out")

            manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
            assert manifest["run_id"] in {str(r.id) for r in finished}
            recorded = history.run_dir(history.state_dir(tmp_path / "out"), manifest["run_id"]) / "manifest.json"
            if recorded.is_file():  # once the flow records its runs (flows.history.record_run)
                artifacts = client.read_artifacts(limit=50)
                assert any(a.key == "saphan-reconciliation" for a in artifacts)

            monkeypatch.setenv("PREFECT_API_URL", url)
            assert main(["status", "--out", str(tmp_path / "out"), "--prefect"]) == 0
            status = capsys.readouterr().out
            assert "deployment saphan-pipeline/saphan-scheduled: active" in status, status
            assert "schedule 0 6 * * * (Asia/Bangkok)" in status and "fund_" in status, status

            _interrupt(serve, tmp_path / "serve.log")  # a stopped `serve` pauses its schedules
            assert client.read_deployment_by_name("saphan-pipeline/saphan-scheduled").paused, (
                (tmp_path / "serve.log").read_text()[-3000:])
    finally:
        if serve is not None:
            _stop(serve)
        _stop(server)
        for f in logs.values():
            f.close()
    assert server.poll() is not None and (serve is None or serve.poll() is not None)
