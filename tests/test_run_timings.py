"""A real `saphan run` (Prefect flow, DuckDB, Parquet, XLSX) reports where its time went: the manifest's
timings, the summary line, the --timings table and $SAPHAN_TIMINGS_FILE."""

import json

import pytest

from flows import timing
from flows.cli import TIMINGS_FILE_ENV, main
from flows.sample import write_sample

pytestmark = pytest.mark.slow


def test_a_run_records_its_steps_in_the_manifest_and_prints_them(prefect_harness, tmp_path, monkeypatch, capsys):
    sample = tmp_path / "sample"
    write_sample(sample, households=60, seed=5)
    dump = tmp_path / "timings.json"
    monkeypatch.setenv(TIMINGS_FILE_ENV, str(dump))
    out = tmp_path / "out"
    args = ["run", "--rosters", str(sample / "rosters"), "--poverty", str(sample / "poverty"), "--out", str(out)]
    code = main([*args, "--timings"])
    printed = capsys.readouterr().out.splitlines()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert code == 0, (manifest["reconciled"], manifest["rejected_files"], printed[-5:])
    timings = manifest["timings"]
    for step in ("ingest.roster", "ingest.poverty", "standardise.roster", "standardise.poverty", "link",
                 "link.exact id", "publish", "publish.parquet", "publish.marts", "publish.xlsx", "publish.html"):
        assert timings[step] >= 0, step
    assert timings["publish"] >= timings["publish.xlsx"] + timings["publish.html"]
    assert all(isinstance(v, float) for v in timings.values())
    # the process's steps when the command line ran the flow; history is recorded after the manifest is written
    assert "process.checks" in timings and "history" not in timings
    summary = next(line for line in printed if line.strip().startswith("time "))
    assert "most in:" in summary
    assert any(line.startswith("  splink") or line.startswith("  exact id") for line in printed)  # the table
    recorded = json.loads(dump.read_text(encoding="utf-8"))
    assert {"history", "history.fingerprints", "prefect.flow_overhead"} <= set(recorded["steps"])
    assert recorded["whole_process_seconds"] > 0
    roots = recorded["roots"]
    assert "link" in roots and "link.exact id" not in roots

    # a second run in the same process reports its own steps, not the sum of both
    link_first = timing.steps()["link"].seconds
    assert main([*args[:-1], str(tmp_path / "out2")]) == 0  # a fresh output folder: nothing to reuse
    second = json.loads((tmp_path / "out2" / "manifest.json").read_text(encoding="utf-8"))["timings"]
    assert second["link"] <= timing.steps()["link"].seconds - link_first + 0.01
    assert "process.checks" in second and "process.start" not in second  # the process started once, before
