"""The whole pipeline, end to end, on the bundled sample: a real Prefect flow, DuckDB file, Parquet and XLSX."""

import csv
import json
import shutil
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from flows.cli import main
from flows.warehouse import relations

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def sample_run(prefect_harness, sample_dir, tmp_path_factory):
    """Run `saphan run` on the sample plus one broken file; return (exit code, out dir)."""
    inputs = tmp_path_factory.mktemp("inputs")
    shutil.copytree(sample_dir / "rosters", inputs / "rosters")
    (inputs / "rosters" / "broken.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    out = tmp_path_factory.mktemp("out")
    code = main(["run", "--rosters", str(inputs / "rosters"), "--poverty", str(sample_dir / "poverty"),
                 "--out", str(out), "--allow-partial"])  # published although a file is rejected
    return code, out


def _parquet_sha(out: Path) -> dict[str, str]:
    import hashlib

    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.glob("*.parquet"))}


def test_broken_file_is_named_and_the_rest_still_runs(sample_run, capsys):
    code, out = sample_run
    assert code == 1  # a rejected file makes the command fail, after doing the rest
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    [rejected] = manifest["rejected_files"]
    assert rejected["path"].endswith("broken.xlsx") and "workbook" in rejected["reason"]
    assert len(manifest["inputs"]) >= 6


def test_outputs_and_manifest_reconcile(sample_run):
    _, out = sample_run
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["reconciled"] is True
    for item in manifest["inputs"]:
        assert item["rows_read"] == item["accepted"] + item["quarantined"], item["name"]
        assert len(item["sha256"]) == 64
    links = pq.read_table(out / "links.parquet")
    quarantine = pq.read_table(out / "quarantine.parquet")
    for col in ("roster_file", "roster_row", "poverty_file", "poverty_row", "match_method", "match_score"):
        assert col in links.column_names
    for col in ("source_file", "source_row", "reason", "raw_values"):
        assert col in quarantine.column_names
    roster_inputs = [i for i in manifest["inputs"] if i["dataset"] == "roster"]
    assert links.num_rows == sum(i["accepted"] for i in roster_inputs)
    quarantined = sum(i["quarantined"] for i in manifest["inputs"])
    assert quarantine.num_rows == quarantined > 0
    outputs = {o["path"]: o for o in manifest["outputs"]}
    assert outputs["links.parquet"]["rows"] == links.num_rows
    assert {"saphan.duckdb", "links.parquet", "quarantine.parquet", "blocking_report.parquet"} <= set(outputs)
    blocking = pq.read_table(out / "blocking_report.parquet").to_pylist()
    assert blocking and sum(r["pairs"] for r in blocking) > 0
    assert {r["rule"] for r in manifest["blocking_report"]} == {r["rule"] for r in blocking}
    assert not list(out.glob(".staging-*")), "staging folder left behind"


def test_every_row_is_accepted_or_quarantined_as_the_truth_expects(sample_run, sample_dir):
    _, out = sample_run
    truth = list(csv.DictReader((sample_dir / "truth.csv").open(encoding="utf-8")))
    links = {(r["roster_file"], r["roster_row"]) for r in pq.read_table(out / "links.parquet").to_pylist()}
    quarantined = {
        (r["source_file"], r["source_row"]): r["reason"]
        for r in pq.read_table(out / "quarantine.parquet").to_pylist()
    }
    for t in truth:
        key = (t["roster_file"], int(t["roster_row"]))
        if t["expected"].startswith("accept"):  # an unreadable date is flagged, the person kept
            assert key in links, key
        else:
            assert quarantined.get(key) == t["expected"], key


def test_exact_id_links_are_right(sample_run, sample_dir):
    _, out = sample_run
    truth = {
        (t["roster_file"], int(t["roster_row"])): (t["poverty_file"] or None, int(t["poverty_row"] or 0) or None)
        for t in csv.DictReader((sample_dir / "truth.csv").open(encoding="utf-8"))
    }
    linked = [r for r in pq.read_table(out / "links.parquet").to_pylist() if r["poverty_row"] is not None]
    assert linked, "nothing linked"
    wrong = [r for r in linked if truth[(r["roster_file"], r["roster_row"])] != (r["poverty_file"], r["poverty_row"])]
    assert len(wrong) / len(linked) <= 0.002
    for r in linked:
        assert json.loads(r["explanation"])


def test_warehouse_holds_staged_standardised_and_linked_tables(sample_run):
    _, out = sample_run
    con = duckdb.connect(str(out / "saphan.duckdb"), read_only=True)
    tables = set(relations(con))
    assert {"raw_roster", "stg_roster", "std_roster", "std_poverty", "links", "quarantine"} <= tables
    glued = con.execute(
        "select count(*) from std_roster where title is not null and first_lk82 is not null and cid_status = 'valid'"
    ).fetchone()
    assert glued and glued[0] > 0
    resolved = con.execute("select count(*) from std_poverty where address_status = 'resolved'").fetchone()
    assert resolved and resolved[0] > 0


def test_same_inputs_give_byte_identical_parquet(sample_run, sample_dir, tmp_path):
    code, out = sample_run
    again = tmp_path / "again"
    inputs = out.parent / "inputs_again"
    shutil.copytree(sample_dir / "rosters", inputs / "rosters")
    (inputs / "rosters" / "broken.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    code2 = main(["run", "--rosters", str(inputs / "rosters"), "--poverty", str(sample_dir / "poverty"),
                  "--out", str(again), "--allow-partial"])
    assert code2 == code
    assert _parquet_sha(again) == _parquet_sha(out)


def test_no_reports_run_leaves_out_the_workbook_and_html_and_removes_stale_ones(sample_run, sample_dir, tmp_path):
    from flows.reports import HTML_NAME, XLSX_NAME

    _, out = sample_run
    again = tmp_path / "again"
    shutil.copytree(out, again, symlinks=True)  # the previous run's reports are there: they must not outlive links
    assert (again / XLSX_NAME).is_file() and (again / HTML_NAME).is_file()
    code = main(["run", "--rosters", str(sample_dir / "rosters"), "--poverty", str(sample_dir / "poverty"),
                 "--out", str(again), "--no-reports"])
    assert code == 0
    manifest = json.loads((again / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["reports"] is False and "saphan report" in manifest["reports_skipped"]
    assert not (again / XLSX_NAME).exists() and not (again / HTML_NAME).exists()
    assert manifest["marts"] and list((again / "marts").rglob("*.parquet"))
    assert _parquet_sha(again) == _parquet_sha(out)


def test_worker_processes_under_prefect_give_the_same_outputs(sample_run, sample_dir, tmp_path, monkeypatch):
    # Inside the Prefect flow (task threads, a server), standardise's forked workers must give the same bytes.
    monkeypatch.setattr("flows.warehouse.PARALLEL_MIN_VALUES", 2)
    monkeypatch.setenv("SAPHAN_WORKERS", "2")
    code, out = sample_run
    inputs = tmp_path / "inputs"
    shutil.copytree(sample_dir / "rosters", inputs / "rosters")
    (inputs / "rosters" / "broken.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    again = tmp_path / "again"
    assert main(["run", "--rosters", str(inputs / "rosters"), "--poverty", str(sample_dir / "poverty"),
                 "--out", str(again), "--allow-partial"]) == code
    assert _parquet_sha(again) == _parquet_sha(out)


def test_a_run_with_a_rejected_file_does_not_replace_the_published_outputs(sample_run, sample_dir, tmp_path, capsys):
    from flows import publish

    _, out = sample_run
    before = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    inputs = tmp_path / "inputs"
    shutil.copytree(sample_dir / "rosters", inputs / "rosters")
    (inputs / "rosters" / "broken.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    capsys.readouterr()
    code = main(["run", "--rosters", str(inputs / "rosters"), "--poverty", str(sample_dir / "poverty"),
                 "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert "not published (1 rejected file(s))" in err and "--allow-partial" in err
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["run_id"] == before["run_id"]
    assert publish.current_run(out) == before["run_id"]
    [kept] = [f for f in (out / "runs").iterdir() if f.name != before["run_id"]]
    manifest = json.loads((kept / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["published"] is False and manifest["not_published"] == ["1 rejected file(s)"]
    assert (kept / "links.parquet").is_file(), "its outputs stay in its own folder for inspection"
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        state = client.read_flow_run(manifest["run_id"]).state
    assert state is not None and state.is_failed(), "the Prefect UI shows the run Failed, not Completed"


@pytest.mark.parametrize(
    ("rejected", "missing", "rows", "reasons"),
    [
        (0, False, {"roster": 5, "poverty": 7}, []),
        (1, False, {"roster": 5, "poverty": 7}, ["1 rejected file(s)"]),
        (0, True, {"roster": 5, "poverty": 7}, ["1 missing input path(s)"]),
        (0, False, {"roster": 0, "poverty": 7}, ["no roster rows read"]),
        (2, False, {"roster": 0, "poverty": 0}, ["2 rejected file(s)", "no roster rows read", "no poverty rows read"]),
    ],
)
def test_what_keeps_a_run_from_being_published(tmp_path, rejected, missing, rows, reasons):
    from flows.pipeline import _not_published

    (tmp_path / "r.csv").write_text("x", encoding="utf-8")
    manifest = {"rejected_files": [{"path": "x"}] * rejected,
                "inputs": [{"dataset": d, "rows_read": n} for d, n in rows.items()]}
    rosters = [str(tmp_path / "r.csv")] + ([str(tmp_path / "gone.csv")] if missing else [])
    assert _not_published(manifest, rosters, [str(tmp_path / "r.csv")]) == reasons


def test_cells_not_read_are_counted_in_the_manifest_and_the_people_kept(sample_run, sample_dir):
    _, out = sample_run
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    truth = list(csv.DictReader((sample_dir / "truth.csv").open(encoding="utf-8")))
    bad_dates = sum(t["expected"] == "accept_unreadable_date" for t in truth)
    counted = sum(n for f in manifest["cells_not_read"]["roster"].values()
                  for what, n in f.items() if what.startswith("birth_date "))
    assert bad_dates > 0 and counted == bad_dates
    reading = {i["name"]: i for i in manifest["inputs"]}
    xlsx = reading["fund_310417_xlsx.xlsx"]
    assert xlsx["fund_from"] == "title" and xlsx["reading"][0]["header_lines"] == [3]
    assert {c["role"] for c in xlsx["reading"][0]["columns"]} >= {"citizen_id", "first_name", "birth_date"}
