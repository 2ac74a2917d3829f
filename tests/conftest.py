"""Test set-up: Prefect stays on this machine (telemetry off, home inside the project) and starts once."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("PREFECT_HOME", str(ROOT / ".prefect"))
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["DO_NOT_TRACK"] = "1"
# Marts and reports need a pseudonym key; this one is for synthetic test data only.
os.environ.setdefault("SAPHAN_PSEUDONYM_KEY", "saphan-test-key-for-synthetic-data")

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def prefect_harness():
    """One temporary Prefect server for the whole session (about 10 s once, then ~1 s a flow)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return ROOT / "data" / "sample"


@pytest.fixture
def readers_seen(monkeypatch, tmp_path) -> Path:
    """A file that flows.ingest.read_file_rows appends the reading process's id to: to see that workers read files
    (the ingest's and the input check's, both forked by flows/warehouse.in_forks)."""
    from flows import ingest

    log = tmp_path / "pids.log"
    real = ingest.read_file_rows

    def logged(path, *args, **kwargs):
        with log.open("a") as f:
            f.write(f"{os.getpid()}\n")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(ingest, "read_file_rows", logged)
    return log
