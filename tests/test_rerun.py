"""Incremental reruns (issue 17 point 3): the published run's outputs reused when nothing changed, files read
before loaded from the per-file ingest cache, and a warm run's outputs byte for byte a cold run's.

The flow tests run the real Prefect flow on a copy of the bundled sample, one after another into one output folder
(as the daily schedule does): cold, warm, --no-cache, one roster file changed, code changed; then a cold run with
no cache on the changed files into another folder, to compare with.
"""

import contextlib
import hashlib
import io
import json
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pytest

from flows import history, ingest_cache, publish, reports, rerun
from flows.ingest import FileReport, ingest_files
from flows.ingest_cache import IngestCache, module_closure

CHANGED = "fund_310909_fullname.csv"


def _files(folder: Path) -> dict[str, str]:
    """Every file under a run folder (marts and fix lists too), by relative path: its sha256."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _run_folder(out: Path, manifest: dict[str, Any]) -> Path:
    return publish.run_folder(out, manifest["run_id"])


# --- the per-file ingest cache, without Prefect ----------------------------------------------------------------

def _ingest(sample: Path, cache: Path | None) -> tuple[dict[str, list[tuple[Any, ...]]], list[dict[str, object]],
                                                       list[FileReport]]:
    con = duckdb.connect()
    reports_ = []
    for dataset, folder in (("roster", "rosters"), ("poverty", "poverty")):
        reports_ += ingest_files(con, dataset, [str(sample / folder)], {},
                                 cache=IngestCache(cache, dataset) if cache else None)
    tables = {t: con.execute(f"select * from {t}").fetchall() for t in ("raw_roster", "raw_poverty", "raw_columns")}
    tables |= {f"describe {t}": con.execute(f"describe {t}").fetchall() for t in ("raw_roster", "raw_poverty")}
    con.close()
    return tables, [r.as_dict() for r in reports_], reports_


def test_files_from_the_ingest_cache_give_the_raw_tables_and_reports_of_a_cold_read(sample_dir, tmp_path):
    cold, cold_reports, _ = _ingest(sample_dir, None)
    filled, filled_reports, first = _ingest(sample_dir, tmp_path / "cache")
    warm, warm_reports, second = _ingest(sample_dir, tmp_path / "cache")
    assert not any(r.from_cache for r in first) and all(r.from_cache for r in second)
    assert filled == cold and warm == cold  # rows, their order, source_row, column types; raw_columns too
    assert json.dumps(warm_reports, ensure_ascii=False) == json.dumps(cold_reports, ensure_ascii=False)
    assert filled_reports == cold_reports


def test_the_cache_key_follows_the_bytes_the_reading_config_and_the_reader_code(tmp_path, monkeypatch):
    cache = IngestCache(tmp_path, "roster")
    key = cache.key("ab" * 32, {"columns": {}})
    assert cache.key("cd" * 32, {"columns": {}}) != key
    assert cache.key("ab" * 32, {"columns": {}, "header_rows": [4]}) != key
    assert IngestCache(tmp_path, "poverty").key("ab" * 32, {"columns": {}}) != key
    monkeypatch.setattr(ingest_cache, "reader_code_version", lambda: "another version")
    assert cache.key("ab" * 32, {"columns": {}}) != key


def test_the_reader_code_version_covers_what_decides_a_reading():
    names = {str(p.relative_to(ingest_cache.ROOT)) for p in module_closure("flows.ingest")}
    assert {"flows/ingest.py", "flows/readers.py", "transforms/reading.py", "transforms/reading_lines.py",
            "transforms/headers.py", "transforms/column_evidence.py", "schemas/synonyms.py"} <= names


def test_a_half_written_or_unused_entry_is_a_miss_and_pruned(tmp_path):
    cache = IngestCache(tmp_path, "roster")
    report = FileReport(path="a.csv", name="a.csv", dataset="roster")
    cache.save("ab" * 32, {}, report, pa.table({"x": ["1", None]}))
    key = cache.key("ab" * 32, {})
    (cache.folder / f"{key}.json").write_text("{", encoding="utf-8")  # killed while writing
    fresh = IngestCache(tmp_path, "roster")
    assert fresh.load("ab" * 32, {}, report) is None and fresh.misses == 1
    (cache.folder / ".stale.arrow.123.tmp").write_bytes(b"")
    assert sorted(IngestCache(tmp_path, "roster").prune()) == [".stale.arrow.123.tmp", f"{key}.arrow",
                                                               f"{key}.json"]
    assert oct(cache.folder.stat().st_mode & 0o777) == "0o700"


def test_the_swapped_inputs_check_reads_no_file_an_earlier_run_read(sample_dir, tmp_path, monkeypatch):
    from flows import ingest
    from flows.cli_inspect import check_inputs

    rosters, poverty = [str(sample_dir / "rosters")], [str(sample_dir / "poverty")]
    _ingest(sample_dir, tmp_path / "cache")
    peeked = check_inputs(poverty, rosters), check_inputs(rosters, poverty)

    def no_reading(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a file the cache holds was read")

    monkeypatch.setattr(ingest, "read_file_rows", no_reading)
    assert (check_inputs(poverty, rosters, cache=tmp_path / "cache"),
            check_inputs(rosters, poverty, cache=tmp_path / "cache")) == peeked
    assert peeked[0] and not peeked[1]  # swapped: refused, in the same words


def test_the_rerun_key_changes_with_each_part_it_digests(tmp_path):
    rosters, poverty = tmp_path / "r", tmp_path / "p"
    rosters.mkdir(), poverty.mkdir()
    (rosters / "a.csv").write_text("x\n1\n", encoding="utf-8")
    (poverty / "p.csv").write_text("y\n2\n", encoding="utf-8")
    models = tmp_path / "models"
    models.mkdir()
    (models / "model-31.json").write_text("{}", encoding="utf-8")
    decisions = tmp_path / "decisions.parquet"
    decisions.write_bytes(b"one")
    config = {"link": {"model": str(models / "model-{partition}.json")}}

    def key(**changes: Any) -> dict[str, Any]:
        args: dict[str, Any] = {"config": config, "parameters": {"reports": True}, "decisions": decisions,
                                "key_fingerprint": "k"} | changes
        hashes = rerun.input_hashes([str(rosters), str(poverty)])
        return rerun.rerun_key([str(rosters)], [str(poverty)], hashes, args["config"], args["parameters"],
                               args["decisions"], args["key_fingerprint"])

    before = key()
    assert key() == before
    assert rerun.why_not_same({"rerun_key": before}, key(parameters={"reports": False})) == (
        "parameters or config changed")
    assert rerun.why_not_same({"rerun_key": before}, key(key_fingerprint="other")) == "another pseudonym key"
    decisions.write_bytes(b"two")
    assert rerun.why_not_same({"rerun_key": before}, key()) == "review decisions changed"
    decisions.write_bytes(b"one")
    (models / "model-32.json").write_text("{}", encoding="utf-8")  # another province's model
    assert rerun.why_not_same({"rerun_key": before}, key()) == "the saved model changed"
    (models / "model-32.json").unlink()
    (rosters / "a.csv").write_text("x\n3\n", encoding="utf-8")
    assert rerun.why_not_same({"rerun_key": before}, key()) == "input files changed: 1 changed (a.csv), 0 new, 0 gone"


def test_the_dataset_key_changes_with_its_files_the_config_and_the_code_only(tmp_path, monkeypatch):
    from flows import dataset_reuse

    (tmp_path / "a.csv").write_text("x\n1\n", encoding="utf-8")
    paths, hashes = [str(tmp_path)], {str(tmp_path / "a.csv"): "ab" * 32}
    key = dataset_reuse.dataset_key("poverty", paths, hashes, {})
    assert dataset_reuse.dataset_key("poverty", paths, hashes, {}) == key
    assert dataset_reuse.dataset_key("roster", paths, hashes, {}) != key
    assert dataset_reuse.dataset_key("poverty", paths, {str(tmp_path / "a.csv"): "cd" * 32}, {}) != key
    assert dataset_reuse.dataset_key("poverty", [*paths, str(tmp_path / "gone")], hashes, {}) != key
    assert dataset_reuse.dataset_key("poverty", paths, hashes, {"link": {"threshold": 0.9}}) != key
    monkeypatch.setattr(rerun, "code_version", lambda: "another saphan")
    assert dataset_reuse.dataset_key("poverty", paths, hashes, {}) != key


def test_why_a_run_is_not_reused_names_the_part_or_the_files():
    key = {"inputs": "i", "settings": "s", "decisions": None, "model": None, "pseudonym_key": "k", "code": "c",
           "files": [["roster", "/in/a.csv", "1"], ["roster", "/in/b.csv", "2"], ["poverty", "/in/p.csv", "3"]]}
    assert rerun.why_not_same({"rerun_key": key}, key) is None
    assert "kept no rerun key" in str(rerun.why_not_same({"run_id": "r"}, key))
    assert rerun.why_not_same({"rerun_key": key | {"code": "old"}}, key) == "saphan's code or libraries changed"
    assert rerun.why_not_same({"rerun_key": key | {"pseudonym_key": "x"}}, key) == "another pseudonym key"
    before = key | {"inputs": "old", "files": [["roster", "/in/a.csv", "0"], ["poverty", "/in/p.csv", "3"],
                                               ["roster", "/in/gone.csv", "9"]]}
    assert rerun.why_not_same({"rerun_key": before}, key) == (
        "input files changed: 1 changed (a.csv), 1 new (b.csv), 1 gone (gone.csv)")


def test_the_published_warehouse_is_copied_only_when_its_bytes_are_those_its_manifest_records(tmp_path):
    from flows import dataset_reuse

    published = tmp_path / "published.duckdb"
    con = duckdb.connect(str(published))
    con.execute("create table raw_poverty as select range as n from range(100000)")
    con.close()
    data = published.read_bytes()
    source = {"run_id": "r1", "warehouse": str(published), "sha256": hashlib.sha256(data).hexdigest()}
    assert dataset_reuse.copy_warehouse(source, tmp_path / "a.duckdb") is None
    assert (tmp_path / "a.duckdb").read_bytes() == data
    published.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))  # one bit changed after the run recorded it
    why = dataset_reuse.copy_warehouse(source, tmp_path / "b.duckdb")
    assert why == "run r1's warehouse differs from what its manifest records"
    assert not (tmp_path / "b.duckdb").exists()


# --- the real flow ----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def runs(prefect_harness, sample_dir, tmp_path_factory) -> dict[str, Any]:
    from flows.cli import main
    from flows.pipeline import pipeline

    root = tmp_path_factory.mktemp("rerun")
    inputs = root / "inputs"
    for folder in ("rosters", "poverty"):
        shutil.copytree(sample_dir / folder, inputs / folder)
    config = root / "saphan.toml"
    config.write_text("[run]\nkeep_runs = 10\n", encoding="utf-8")  # every run's folder stays to compare
    args = ([str(inputs / "rosters")], [str(inputs / "poverty")])
    out = root / "out"
    found: dict[str, Any] = {"out": out, "inputs": inputs, "config": config}
    found["cold"] = pipeline(*args, str(out), str(config))
    console = io.StringIO()
    with contextlib.redirect_stdout(console):  # as a user runs it: the console says what was reused
        found["warm_code"] = main(["run", "--rosters", *args[0], "--poverty", *args[1], "--out", str(out),
                                   "--config", str(config)])
    found["warm_console"] = console.getvalue()
    found["warm"] = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    with contextlib.redirect_stdout(io.StringIO()):
        main(["run", "--rosters", *args[0], "--poverty", *args[1], "--out", str(out), "--config", str(config),
              "--no-cache"])
    found["no_cache"] = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    changed = inputs / "rosters" / CHANGED
    changed.write_text("".join(changed.read_text(encoding="utf-8").splitlines(keepends=True)[:-1]), encoding="utf-8")
    found["changed"] = pipeline(*args, str(out), str(config))
    found["both_copied"] = pipeline(*args, str(out), str(config), with_reports=False)  # only parameters differ
    with pytest.MonkeyPatch.context() as m:  # last into `out`: its cache entries replace the others
        m.setattr(rerun, "code_version", lambda: "another saphan")
        m.setattr(ingest_cache, "reader_code_version", lambda: "another reader")
        found["code_changed"] = pipeline(*args, str(out), str(config), with_reports=False)  # as the run before
    found["cold_changed_out"] = root / "cold_changed"
    found["cold_changed"] = pipeline(*args, str(found["cold_changed_out"]), str(config), use_cache=False)
    return found




@pytest.mark.slow
def test_a_warm_run_reuses_the_published_outputs_byte_for_byte(runs):
    cold, warm, out = runs["cold"], runs["warm"], runs["out"]
    assert runs["warm_code"] == 0
    assert cold["not_reused"] == "no published run in this output folder yet" and "reused_from" not in cold
    assert warm["reused_from"] == cold["run_id"] and warm["run_id"] != cold["run_id"]
    assert f"nothing changed since run {cold['run_id']}" in runs["warm_console"]
    before, after = _files(_run_folder(out, cold)), _files(_run_folder(out, warm))
    assert before.keys() == after.keys()
    different = {name for name in before if before[name] != after[name]}
    assert different == {publish.MANIFEST_NAME, reports.HTML_NAME}  # every other output the same bytes
    assert warm["rerun_key"] == cold["rerun_key"]
    for entry in rerun.COPIED:
        if entry != "outputs":
            assert warm.get(entry) == cold.get(entry), entry
    assert {e["status"] for e in warm["inbox"]} == {"unchanged"}


@pytest.mark.slow
def test_the_reused_html_page_is_the_cold_page_for_this_run(runs):
    """Only the run it names differs: the page written from the cold run's warehouse for the warm run's manifest is
    the warm page, byte for byte."""
    out, cold, warm = runs["out"], runs["cold"], runs["warm"]
    con = duckdb.connect(str(_run_folder(out, cold) / publish.WAREHOUSE_NAME), read_only=True)
    try:
        page = reports.html_report(con, warm)
    finally:
        con.close()
    written = (_run_folder(out, warm) / reports.HTML_NAME).read_text(encoding="utf-8")
    assert page == written and warm["run_id"] in written and cold["run_id"] not in written
    [entry] = [o for o in warm["outputs"] if o["path"] == reports.HTML_NAME]
    assert entry["sha256"] == hashlib.sha256(written.encode()).hexdigest()


@pytest.mark.slow
def test_a_reused_run_is_published_and_recorded_with_the_published_fingerprints(runs):
    out, cold, warm = runs["out"], runs["cold"], runs["warm"]
    state = history.state_dir(out)
    recorded = history.load_run(state, warm["run_id"])
    assert recorded["reused_from"] == cold["run_id"]
    assert recorded["fingerprints"] == history.load_run(state, cold["run_id"])["fingerprints"]
    assert recorded["link_model"] == history.load_run(state, cold["run_id"])["link_model"]
    assert set(cold) <= set(rerun.COPIED) | set(rerun.FRESH), "a manifest entry neither copied nor made fresh"


@pytest.mark.slow
def test_a_changed_code_version_is_not_reused_and_every_file_is_read_again(runs):
    out, before_run, run = runs["out"], runs["both_copied"], runs["code_changed"]  # the same inputs and parameters
    assert "reused_from" not in run and run["not_reused"] == "saphan's code or libraries changed"
    assert run["ingest_cache"] == {"roster": {"files": 5, "from_cache": 0}, "poverty": {"files": 2, "from_cache": 0}}
    assert all(why.startswith("not the same") for why in run["dataset_reuse"].values())
    before, after = _files(_run_folder(out, before_run)), _files(_run_folder(out, run))
    assert {n for n in before if before[n] != after.get(n)} <= {publish.MANIFEST_NAME, reports.HTML_NAME,
                                                                 publish.WAREHOUSE_NAME}


@pytest.mark.slow
def test_no_cache_recomputes_everything(runs):
    out, cold, run = runs["out"], runs["cold"], runs["no_cache"]
    assert "reused_from" not in run and run["not_reused"].startswith("cache off")
    assert "ingest_cache" not in run
    before, after = _files(_run_folder(out, cold)), _files(_run_folder(out, run))
    assert {n for n in before if before[n] != after.get(n)} <= {publish.MANIFEST_NAME, reports.HTML_NAME,
                                                                 publish.WAREHOUSE_NAME}


@pytest.mark.slow
def test_one_changed_roster_file_is_read_again_and_the_outputs_equal_a_cold_run(runs):
    out, run, cold = runs["out"], runs["changed"], runs["cold_changed"]
    cold_run_id = runs["no_cache"]["run_id"]  # the published run before it
    assert "reused_from" not in run
    assert run["not_reused"] == f"input files changed: 1 changed ({CHANGED}), 0 new, 0 gone"
    # the roster files read again (4 from the ingest cache); the unchanged poverty extract copied, not read
    assert run["ingest_cache"] == {"roster": {"files": 5, "from_cache": 4}}
    assert run["dataset_reuse"]["poverty"].startswith(f"the same poverty files, config and code as run {cold_run_id}")
    assert run["dataset_reuse"]["roster"].startswith("not the same roster")
    assert cold["dataset_reuse"] == {d: "cache off (--no-cache or [run] cache = false)" for d in ("roster", "poverty")}
    warm_files, cold_files = _files(_run_folder(out, run)), _files(_run_folder(runs["cold_changed_out"], cold))
    assert warm_files.keys() == cold_files.keys()
    assert {n for n in cold_files if cold_files[n] != warm_files[n]} <= {
        publish.MANIFEST_NAME, reports.HTML_NAME, publish.WAREHOUSE_NAME}
    # the warehouse file is not byte-stable run to run: its tables are compared by content, every one of them
    warm_fp = history.load_run(history.state_dir(out), run["run_id"])["fingerprints"]
    cold_fp = history.load_run(history.state_dir(runs["cold_changed_out"]), cold["run_id"])["fingerprints"]
    assert warm_fp == cold_fp
    for entry in ("inputs", "rejected_files", "match_methods", "reconciled", "quarantine_reasons", "cells_not_read",
                  "address_status", "blocking_report"):
        assert run[entry] == cold[entry], entry
    assert _distinct(run) == _distinct(cold)


@pytest.mark.slow
def test_with_only_the_parameters_changed_both_datasets_are_copied_and_link_and_publish_agree(runs):
    out, before, run = runs["out"], runs["changed"], runs["both_copied"]
    assert run["not_reused"] == "parameters or config changed"
    assert "ingest_cache" in run and run["ingest_cache"] == {}  # no file read
    assert all(why.startswith("the same") for why in run["dataset_reuse"].values())
    old, new = _files(_run_folder(out, before)), _files(_run_folder(out, run))
    assert {n for n in new if new[n] != old.get(n)} == {publish.MANIFEST_NAME, publish.WAREHOUSE_NAME}
    assert set(old) - set(new) == {reports.HTML_NAME, reports.XLSX_NAME}  # not asked for this time
    for entry in ("inputs", "rejected_files", "match_methods", "reconciled", "quarantine_reasons", "cells_not_read",
                  "address_status", "blocking_report"):
        assert run[entry] == before[entry], entry
    assert _distinct(run) == _distinct(before)


def _distinct(manifest: dict[str, Any]) -> dict[str, dict[str, int]]:
    """Distinct values per lookup, without how many came from the lookup cache (flows/lookup_cache.py)."""
    return {d: {k: v for k, v in counts.items() if "cache" not in k}
            for d, counts in manifest["distinct_values"].items()}


@pytest.mark.slow
def test_an_audit_of_a_reused_run_recomputes_and_agrees(runs, tmp_path, monkeypatch):
    from flows.audit import audit

    def never(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("an audit must not reuse anything")

    monkeypatch.setattr(rerun, "reuse_published", never)
    monkeypatch.setattr(IngestCache, "load", never)
    identical, report = audit(runs["warm"]["run_id"], history.state_dir(runs["out"]), scratch=tmp_path / "audit")
    assert identical, report
