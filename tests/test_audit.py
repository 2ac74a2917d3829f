"""Run history, the inbox catalogue and audit reruns.

Most tests drive a small deterministic stand-in for the pipeline (same signature, same manifest shape), so the
bookkeeping is tested in milliseconds; the last ones run the real Prefect flow on tiny Thai CSVs.
"""

import csv
import errno
import hashlib
import json
import shutil
import tomllib
from pathlib import Path
from typing import Any

import duckdb
import pytest

from flows import history, inbox
from flows.audit import AuditRefused, audit, compare_fingerprints, config_toml
from flows.cli_service import main

ROSTER_HEADER = ["คำนำหน้า", "ชื่อ", "นามสกุล", "เลขประจำตัวประชาชน", "ตำบล", "อำเภอ", "จังหวัด"]
POVERTY_HEADER = ["รหัสบ้าน", "เลขประจำตัวประชาชน", "ชื่อ", "นามสกุล", "รหัสตำบล", "มิติรายได้"]
ROSTER_ROWS = [
    ["นาย", "สมชาย", "ใจดี", "1101700203451", "ในเมือง", "เมืองบุรีรัมย์", "บุรีรัมย์"],
    ["นาง", "สมศรี", "ใจดี", "3310100456781", "ในเมือง", "เมืองบุรีรัมย์", "บุรีรัมย์"],
    ["นางสาว", "มาลี", "ศรีสุข", "", "อิสาณ", "เมืองบุรีรัมย์", "บุรีรัมย์"],
]
POVERTY_ROWS = [
    ["31010012345", "1101700203451", "สมชาย", "ใจดี", "310101", "1"],
    ["31010012346", "3310100456781", "สมศรี", "ใจดี", "310101", "0"],
]


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, *rows])
    return path


@pytest.fixture
def inputs(tmp_path) -> dict[str, Path]:
    rosters = tmp_path / "inbox" / "rosters"
    poverty = tmp_path / "inbox" / "poverty"
    _write_csv(rosters / "fund_a.csv", ROSTER_HEADER, ROSTER_ROWS)
    _write_csv(poverty / "tpmap.csv", POVERTY_HEADER, POVERTY_ROWS)
    return {"rosters": rosters, "poverty": poverty, "out": tmp_path / "out"}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fake_pipeline(rosters: list[str], poverty: list[str], out: str, config_path: str | None = None,
                  run_id: str = "run-0001") -> dict[str, Any]:
    """Stand-in for flows.pipeline.pipeline: reads CSV files, writes Parquet + a warehouse, returns the manifest."""
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    files = [("roster", p) for r in rosters for p in sorted(Path(r).glob("*.csv") if Path(r).is_dir() else [Path(r)])]
    files += [("poverty", p) for r in poverty for p in sorted(Path(r).glob("*.csv") if Path(r).is_dir() else [Path(r)])]
    wh = out_dir / "saphan.duckdb"
    wh.unlink(missing_ok=True)
    con = duckdb.connect(str(wh))
    con.execute("create table raw_rows (dataset varchar, source_file varchar, source_row bigint, line varchar)")
    inputs = []
    for dataset, path in files:
        lines = path.read_text(encoding="utf-8").splitlines()[1:]
        for i, line in enumerate(lines, 1):
            con.execute("insert into raw_rows values (?, ?, ?, ?)", [dataset, path.name, i, line])
        inputs.append({"dataset": dataset, "path": str(path.resolve()), "name": path.name, "sha256": _sha(path),
                       "rows_read": len(lines), "accepted": len(lines), "quarantined": 0, "reconciled": True})
    con.execute(f"copy (select * from raw_rows order by all) to '{out_dir / 'links.parquet'}' (format parquet)")
    rows = con.execute("select count(*) from raw_rows").fetchone()[0]
    # derived working tables, which the history does not hash (flows.history.DERIVED_SQL)
    con.execute("create table lkp_rows as select line from raw_rows; create table int_rows as select 1 as x")
    con.close()
    return {
        "run_id": run_id, "started_at": "2026-11-25T00:00:00+00:00",
        "parameters": {"rosters": rosters, "poverty": poverty, "out": str(out_dir.resolve()),
                       "config_path": config_path,
                       "config": tomllib.loads(Path(config_path).read_text("utf-8")) if config_path else {}},
        "versions": {"python": "3"}, "inputs": inputs, "rejected_files": [], "reconciled": True,
        "outputs": [{"path": "links.parquet", "sha256": _sha(out_dir / "links.parquet"), "rows": rows},
                    {"path": "saphan.duckdb", "sha256": _sha(wh), "rows": None}],
    }


def _recorded_run(inputs: dict[str, Path], run_id: str = "run-0001", config_path: str | None = None,
                  keep_inputs_days: int = 365, **extra: Any) -> dict:
    manifest = fake_pipeline([str(inputs["rosters"])], [str(inputs["poverty"])], str(inputs["out"]), config_path,
                             run_id=run_id) | extra
    history.record_run(manifest, keep_inputs_days=keep_inputs_days)
    return manifest


# --- the inbox -------------------------------------------------------------------------------------------------

def test_inbox_new_unchanged_new_version_and_copies(inputs):
    state = history.state_dir(inputs["out"])
    first = _recorded_run(inputs, "run-0001")
    assert [e["status"] for e in history.load_run(state, "run-0001")["inbox"]] == ["new source", "new source"]

    _recorded_run(inputs, "run-0002")  # nothing changed
    second = history.load_run(state, "run-0002")["inbox"]
    assert [(e["status"], e["version"]) for e in second] == [("unchanged", 1), ("unchanged", 1)]

    _write_csv(inputs["rosters"] / "fund_a.csv", ROSTER_HEADER, ROSTER_ROWS[:2])  # same name, new content
    shutil.copy(inputs["poverty"] / "tpmap.csv", inputs["rosters"].parent / "tpmap_copy.csv")
    _recorded_run(inputs, "run-0003")
    third = {e["name"]: e for e in history.load_run(state, "run-0003")["inbox"]}
    assert (third["fund_a.csv"]["status"], third["fund_a.csv"]["version"]) == ("new version", 2)
    assert third["tpmap.csv"]["status"] == "unchanged"

    catalogue = inbox.load(state)
    rows = inbox.source_rows(catalogue)
    fund = [r for r in rows if r["path"].endswith("fund_a.csv")]
    assert [(r["version"], r["current"], r["first_run"], r["last_run"]) for r in fund] == [
        (1, False, "run-0001", "run-0002"), (2, True, "run-0003", "run-0003")]
    assert first["inputs"][1]["sha256"] in {r["sha256"] for r in rows} | {first["inputs"][1]["sha256"]}
    # content already catalogued under another path is named as such
    copy = inbox.classify(catalogue, [{"dataset": "poverty", "path": "/elsewhere/copy.csv",
                                       "sha256": first["inputs"][1]["sha256"]}])
    assert copy[0]["status"] == "new source" and copy[0]["same_content_as"] == [first["inputs"][1]["path"]]


def test_inbox_file_holds_no_names_or_ids(inputs):
    _recorded_run(inputs)
    state = history.state_dir(inputs["out"])
    text = (state / inbox.CATALOGUE_NAME).read_text(encoding="utf-8")
    text += (history.run_dir(state, "run-0001") / "manifest.json").read_text(encoding="utf-8")
    for row in ROSTER_ROWS + POVERTY_ROWS:
        for value in row[1:4]:
            assert not value or value not in text


# --- run history -----------------------------------------------------------------------------------------------

def test_record_run_keeps_manifest_and_fingerprints_by_run_id(inputs):
    manifest = _recorded_run(inputs, "run-0001")
    folder = history.run_dir(history.state_dir(inputs["out"]), "run-0001")
    kept = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert kept["run_id"] == "run-0001" and kept["outputs"] == manifest["outputs"]
    assert set(kept["fingerprints"]) == {"links.parquet", "saphan.duckdb:raw_rows"}  # not lkp_rows, int_rows
    assert kept["fingerprints"]["links.parquet"]["rows"] == 5
    assert history.load_run(history.state_dir(inputs["out"]), "run-00")  # a unique prefix will do
    _recorded_run(inputs, "run-0002")
    with pytest.raises(KeyError, match="ambiguous"):
        history.load_run(history.state_dir(inputs["out"]), "run-00")
    assert [m["run_id"] for m in history.list_runs(history.state_dir(inputs["out"]))] == ["run-0001", "run-0002"]


def test_retry_condition_retries_only_io_errors():
    class _State:
        def __init__(self, exc: BaseException):
            self.exc = exc

        def result(self, raise_on_failure: bool = True) -> BaseException:
            return self.exc

    assert history.retry_on_oserror(None, None, _State(OSError("disk")))
    assert history.retry_on_oserror(None, None, _State(FileNotFoundError("share")))
    assert not history.retry_on_oserror(None, None, _State(ValueError("bad row")))


# --- audit -----------------------------------------------------------------------------------------------------

def test_config_round_trips_as_toml():
    config = {"defaults": {"province": "บุรีรัมย์"}, "sources": [{"match": "fund_*.xlsx",
              "columns": {"ชื่อผู้สมัคร": "full_name"}}], "schedule": {"cron": ["0 6 * * *"], "timezone": "Asia/Bangkok"},
              "warehouse": {"memory_limit": "4GB"}, "inputs": {"out": "o", "rosters": ["a", "b"]}}
    assert tomllib.loads(config_toml(config)) == config


def test_audit_identical(inputs, tmp_path):
    config = tmp_path / "c.toml"
    config.write_text('[defaults]\nprovince = "บุรีรัมย์"\n', encoding="utf-8")
    _recorded_run(inputs, config_path=str(config))
    config.write_text("", encoding="utf-8")  # the config file may change: the manifest's copy is used

    seen: dict[str, Any] = {}

    def runner(rosters, poverty, out, config_path):
        seen["config"] = tomllib.loads(Path(config_path).read_text(encoding="utf-8"))
        seen["files"] = rosters + poverty
        return fake_pipeline(rosters, poverty, out, config_path, run_id="rerun")

    scratch = tmp_path / "scratch"
    identical, report = audit("run-0001", history.state_dir(inputs["out"]), runner=runner, scratch=scratch)
    assert identical, report
    assert report.splitlines()[0] == "identical"
    assert seen["config"] == {"defaults": {"province": "บุรีรัมย์"}}
    assert [Path(f).name for f in seen["files"]] == ["fund_a.csv", "tpmap.csv"]  # files, not folders
    assert not scratch.exists()


def test_audit_reruns_exactly_the_recorded_files(inputs, tmp_path):
    _recorded_run(inputs)
    _write_csv(inputs["rosters"] / "fund_b.csv", ROSTER_HEADER, ROSTER_ROWS[2:])  # dropped in after the run
    identical, report = audit("run-0001", history.state_dir(inputs["out"]), runner=fake_pipeline,
                              scratch=tmp_path / "s")
    assert identical, report


def test_audit_reports_differences_per_table(inputs, tmp_path):
    _recorded_run(inputs)

    def drifting(rosters, poverty, out, config_path):
        manifest = fake_pipeline(rosters, poverty, out, config_path, run_id="rerun")
        con = duckdb.connect(str(Path(out) / "saphan.duckdb"))
        con.execute("update raw_rows set line = line || ',x' where source_row = 1 and dataset = 'roster'")
        con.execute("insert into raw_rows values ('roster', 'fund_a.csv', 9, 'extra')")
        con.close()
        return manifest

    scratch = tmp_path / "s"
    identical, report = audit("run-0001", history.state_dir(inputs["out"]), runner=drifting, scratch=scratch)
    assert not identical
    lines = report.splitlines()
    assert lines[0] == "different"
    assert any(line.strip().startswith("saphan.duckdb:raw_rows: rows 5 -> 6; 1 rows only in the original, 2 only in "
                                       "the rerun") for line in lines), report
    assert scratch.exists()  # kept for inspection
    for row in ROSTER_ROWS:
        assert row[1] not in report and row[3] not in report or not row[3]


def test_audit_refuses_a_changed_or_missing_input_when_no_copy_was_kept(inputs, tmp_path, capsys):
    _recorded_run(inputs, keep_inputs_days=0)
    state = history.state_dir(inputs["out"])
    roster = inputs["rosters"] / "fund_a.csv"
    roster.write_text(roster.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with pytest.raises(AuditRefused, match=r"input file changed since run run-0001: .*fund_a\.csv"):
        audit("run-0001", state, runner=fake_pipeline, scratch=tmp_path / "s")
    roster.unlink()
    with pytest.raises(AuditRefused, match=r"input file missing: .*fund_a\.csv"):
        audit("run-0001", state, runner=fake_pipeline, scratch=tmp_path / "s")
    # the command: one line on stderr, exit code 2, nothing run
    code = main(["audit", "run-0001", "--out", str(inputs["out"])])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "fund_a.csv" in err
    assert main(["audit", "no-such-run", "--out", str(inputs["out"])]) == 2


def test_a_run_is_audited_from_the_kept_copies_after_its_inbox_files_change(inputs, tmp_path):
    _recorded_run(inputs)
    state = history.state_dir(inputs["out"])
    roster = inputs["rosters"] / "fund_a.csv"
    original = roster.read_bytes()
    _write_csv(roster, ROSTER_HEADER, ROSTER_ROWS[:1])  # updated in place after the run
    seen: list[str] = []

    def runner(rosters, poverty, out, config_path):
        seen.extend(rosters + poverty)
        return fake_pipeline(rosters, poverty, out, config_path, run_id="rerun")

    identical, report = audit("run-0001", state, runner=runner, scratch=tmp_path / "s")
    assert identical, report
    assert "2 from the state folder's copies" in report.splitlines()[1]
    assert all(Path(p).is_relative_to(state / "inputs") for p in seen)
    assert Path(seen[0]).read_bytes() == original and Path(seen[0]).name == "fund_a.csv"


def test_the_state_folder_is_private_and_input_copies_follow_the_retention(inputs):
    manifest = _recorded_run(inputs)
    state = history.state_dir(inputs["out"])
    assert state.stat().st_mode & 0o777 == 0o700
    copies = sorted((state / "inputs").rglob("*.csv"))
    assert [p.name for p in copies] == ["fund_a.csv", "tpmap.csv"]
    assert {p.stat().st_mode & 0o777 for p in copies} == {0o600}
    assert {p.parent.name for p in copies} == {i["sha256"] for i in manifest["inputs"]}
    _recorded_run(inputs, "run-0002", keep_inputs_days=0)  # retention 0: no copies kept, old ones dropped
    assert not list((state / "inputs").rglob("*.csv"))


@pytest.mark.parametrize(
    ("key_now", "message"),
    [
        (None, "^no pseudonym key: run run-0001 built its marts with one"),
        ("another-key-of-enough-length", "^the pseudonym key differs from the run's"),
    ],
)
def test_audit_says_why_person_keys_cannot_match(inputs, tmp_path, monkeypatch, capsys, key_now, message):
    from flows.pseudonym_key import ENV_VAR, fingerprint

    _recorded_run(inputs, pseudonym_key_fingerprint=fingerprint(b"saphan-test-key-for-synthetic-data"))
    if key_now is None:
        monkeypatch.delenv(ENV_VAR, raising=False)
    else:
        monkeypatch.setenv(ENV_VAR, key_now)
    with pytest.raises(AuditRefused, match=message):
        audit("run-0001", history.state_dir(inputs["out"]), runner=fake_pipeline, scratch=tmp_path / "s")
    assert main(["audit", "run-0001", "--out", str(inputs["out"])]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "different" not in err
    monkeypatch.setenv(ENV_VAR, "saphan-test-key-for-synthetic-data")  # the run's key: the audit goes ahead
    assert audit("run-0001", history.state_dir(inputs["out"]), runner=fake_pipeline, scratch=tmp_path / "s")[0]


def test_compare_fingerprints_counts_duplicates_as_a_multiset(tmp_path):
    before, after = tmp_path / "b.parquet", tmp_path / "a.parquet"
    con = duckdb.connect()
    con.execute(f"copy (select * from (values ('t', 'h1'), ('t', 'h1'), ('t', 'h2')) v(\"table\", row_md5)) "
                f"to '{before}' (format parquet)")
    con.execute(f"copy (select * from (values ('t', 'h1'), ('t', 'h2'), ('u', 'h3')) v(\"table\", row_md5)) "
                f"to '{after}' (format parquet)")
    got = {r["table"]: r for r in compare_fingerprints(before, after)}
    assert got["t"] == {"table": "t", "rows_before": 3, "rows_after": 2, "only_before": 1, "only_after": 0}
    assert got["u"]["only_after"] == 1 and got["u"]["rows_before"] == 0


def test_status_lists_runs_sources_and_versions(inputs, capsys):
    _recorded_run(inputs, "run-0001")
    assert main(["status", "--out", str(inputs["out"])]) == 0
    text = capsys.readouterr().out
    assert "1 recorded runs" in text and "run run-0001" in text
    assert "sources: 2, versions: 2" in text and "fund_a.csv  v1" in text


# --- the real flow -----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample_inputs(tmp_path_factory) -> Path:
    """A small generated sample (40 households): enough pairs for the linker to train on."""
    from flows.sample import write_sample

    folder = tmp_path_factory.mktemp("sample")
    write_sample(folder, households=40, seed=7)
    return folder


@pytest.mark.slow
def test_real_runs_are_recorded_and_audit_identical(prefect_harness, sample_inputs, tmp_path):
    from flows.pipeline import pipeline

    out = tmp_path / "out"
    first = pipeline([str(sample_inputs / "rosters")], [str(sample_inputs / "poverty")], str(out))
    second = pipeline([str(sample_inputs / "rosters")], [str(sample_inputs / "poverty")], str(out))
    state = history.state_dir(out)
    assert [m["run_id"] for m in history.list_runs(state)] == [first["run_id"], second["run_id"]]
    assert {e["status"] for e in first["inbox"]} == {"new source"}
    assert {e["status"] for e in second["inbox"]} == {"unchanged"}
    on_disk = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert on_disk["inbox"] == second["inbox"]  # the published manifest notes it too
    identical, report = audit(first["run_id"], state, scratch=tmp_path / "s")
    assert identical, report
    assert "tables by row content" in report and not (tmp_path / "s").exists()


# --- failure leaves things whole ---------------------------------------------------------------------------------

def test_retry_condition_works_in_prefect(prefect_harness):
    from prefect import flow, task

    calls = {"io": 0, "bad": 0}

    @task(retries=2, retry_delay_seconds=0, retry_condition_fn=history.retry_on_oserror)
    def flaky_io() -> str:
        calls["io"] += 1
        if calls["io"] == 1:
            raise OSError("network share went away")
        return "read"

    @task(retries=2, retry_delay_seconds=0, retry_condition_fn=history.retry_on_oserror)
    def bad_input() -> str:
        calls["bad"] += 1
        raise ValueError("not a roster")

    @flow
    def both() -> str:
        result = flaky_io()
        try:
            bad_input()
        except ValueError:
            pass
        return result

    assert both() == "read"
    assert calls == {"io": 2, "bad": 1}


def _previous_outputs(out: Path) -> dict[str, str]:
    out.mkdir(parents=True, exist_ok=True)
    for name, text in {"links.parquet": "old links", "quarantine.parquet": "old quarantine",
                       "saphan.duckdb": "old warehouse", "manifest.json": '{"run_id": "old"}'}.items():
        (out / name).write_text(text, encoding="utf-8")
    return {p.name: _sha(p) for p in out.iterdir() if p.is_file()}


@pytest.mark.slow
def test_a_failed_run_leaves_the_previous_outputs_whole(prefect_harness, sample_inputs, tmp_path, monkeypatch):
    from flows import publish
    from flows.pipeline import pipeline

    out = tmp_path / "out"
    before = _previous_outputs(out)
    calls = []

    def broken(*args, **kwargs):
        calls.append(1)
        raise OSError(errno.ENOSPC, "No space left on device", "links.parquet")

    monkeypatch.setattr(publish, "write_parquet", broken)
    with pytest.raises(OSError, match=r"No space left on device: 'links.parquet'"):
        pipeline([str(sample_inputs / "rosters")], [str(sample_inputs / "poverty")], str(out))
    assert len(calls) == 3, "an OSError in publish is tried three times"
    assert {p.name: _sha(p) for p in out.iterdir() if p.is_file() and p.name != publish.LOCK_NAME} == before
    assert not list((out / "runs").iterdir()), "a failed run left its folder (and its warehouse of raw IDs)"
    assert not (history.state_dir(out) / "runs").exists(), "a failed run was recorded"


# --- fingerprints ------------------------------------------------------------------------------------------------

def test_row_fingerprints_tell_apart_rows_that_json_or_a_joined_text_could_confuse(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    con = duckdb.connect(str(out / "saphan.duckdb"))
    con.execute("create table t (a varchar, b varchar)")
    con.execute("insert into t values (null, 'x'), ('NULL', 'x'), ('', 'x'), ('a,b', null), ('a', 'b,'), "
                "('a', 'b'), ('a', 'b'), ('''', 'x'), ('\\', 'x')")
    con.execute(f"copy t to '{out / 'links.parquet'}' (format parquet)")
    con.close()
    summary = history.fingerprint_outputs(out, [{"path": "links.parquet", "rows": 9},
                                                {"path": "saphan.duckdb", "rows": None}], tmp_path / "fp.parquet")
    hashes = duckdb.sql(f"select row_hash from '{tmp_path / 'fp.parquet'}' where \"table\" = 'saphan.duckdb:t'"
                        ).fetchall()
    assert len(hashes) == 9 and len(set(hashes)) == 8  # the one repeated row, and nothing else, collides
    assert summary["links.parquet"] == {"rows": 9, "sha256": _sha(out / "links.parquet")}  # a file: by its bytes
    assert summary["saphan.duckdb:t"]["rows"] == 9
    assert {t for (t,) in duckdb.sql(f"select distinct \"table\" from '{tmp_path / 'fp.parquet'}'").fetchall()} == {
        "saphan.duckdb:t", history.HASH_PROBE}


def test_a_run_recorded_by_an_older_saphan_is_compared_by_row_counts_and_says_so(inputs, tmp_path):
    _recorded_run(inputs)
    fp = history.run_dir(history.state_dir(inputs["out"]), "run-0001") / "fingerprints.parquet"
    # the older kind: (table, row_md5), the Parquet outputs' rows hashed too
    duckdb.sql(f"copy (select \"table\", md5(row_hash::varchar) as row_md5 from '{fp}' union all "
               f"select 'links.parquet', md5(i::varchar) from range(5) t(i)) to '{fp}.old' (format parquet)")
    Path(f"{fp}.old").replace(fp)
    identical, report = audit("run-0001", history.state_dir(inputs["out"]), runner=fake_pipeline,
                              scratch=tmp_path / "s")
    assert identical, report
    assert "recorded by an older saphan" in report and "1 tables by row count" in report

    def longer(rosters, poverty, out, config_path):
        manifest = fake_pipeline(rosters, poverty, out, config_path, run_id="rerun")
        con = duckdb.connect(str(Path(out) / "saphan.duckdb"))
        con.execute("insert into raw_rows values ('roster', 'fund_a.csv', 9, 'extra')")
        con.close()
        return manifest

    identical, report = audit("run-0001", history.state_dir(inputs["out"]), runner=longer, scratch=tmp_path / "s2")
    assert not identical and "  saphan.duckdb:raw_rows: rows 5 -> 6" in report.splitlines()


def test_a_duckdb_that_hashes_differently_is_named_and_tables_compared_by_row_counts(inputs, tmp_path):
    _recorded_run(inputs)
    fp = history.run_dir(history.state_dir(inputs["out"]), "run-0001") / "fingerprints.parquet"
    # as another DuckDB would have written them: every hash different, the probe's too
    duckdb.sql(f"copy (select \"table\", row_hash + 1 as row_hash from '{fp}') to '{fp}.other' (format parquet)")
    Path(f"{fp}.other").replace(fp)
    identical, report = audit("run-0001", history.state_dir(inputs["out"]), runner=fake_pipeline,
                              scratch=tmp_path / "s")
    assert identical, report  # the same rows: no false difference
    assert "made by a DuckDB that hashed rows differently" in report and "1 tables by row count" in report
