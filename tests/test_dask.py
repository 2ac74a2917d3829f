"""Scale-out: the provinces linked on a Dask cluster give byte-identical Parquet outputs to the local run."""

import hashlib
import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def _parquet_digests(out: Path) -> dict[str, str]:
    """The published run's Parquet files, by their path inside its run folder (runs/<run_id>/ differs)."""
    run = (out / "current").resolve()
    return {str(p.relative_to(run)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(run.rglob("*.parquet"))}


def test_dask_cluster_matches_local_run(prefect_harness: None, tmp_path: Path) -> None:
    from distributed import LocalCluster
    from prefect.settings import PREFECT_API_URL
    from prefect_dask import DaskTaskRunner

    from benchmarks.sample_chunks import write_country
    from flows.pipeline import pipeline

    write_country(tmp_path / "in", provinces=2, households=1000, seed=5)
    rosters, poverty = [str(tmp_path / "in" / "rosters")], [str(tmp_path / "in" / "poverty")]
    local = pipeline(rosters, poverty, str(tmp_path / "local"), None, "province")
    assert [p["partition"] for p in local["link_partitions"]] == ["31", "32"]

    # Workers are new processes: point them at the test's Prefect server, or each would start its own.
    api_url = PREFECT_API_URL.value()
    saved = os.environ.get("PREFECT_API_URL")
    os.environ["PREFECT_API_URL"] = api_url
    try:
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                          dashboard_address=None) as cluster:
            flow = pipeline.with_options(task_runner=DaskTaskRunner(address=cluster.scheduler_address))
            remote = flow(rosters, poverty, str(tmp_path / "dask"), None, "province")
    finally:
        if saved is None:
            os.environ.pop("PREFECT_API_URL", None)
        else:
            os.environ["PREFECT_API_URL"] = saved

    assert remote["link_partitions"] == local["link_partitions"]
    assert remote["match_methods"] == local["match_methods"]
    digests = _parquet_digests(tmp_path / "local")
    assert "links.parquet" in digests and any(k.startswith("marts/") for k in digests)
    assert _parquet_digests(tmp_path / "dask") == digests
