"""Change since last year (issue 18 point 3): `saphan compare RUN_A RUN_B`.

A table of literal cases on two hand-built warehouses (each person's standing in both years and the change
expected), then two real runs of the pipeline on the sample and its second year, whose counts must equal the
transitions the generator planted (the same real runs check the fix lists a run publishes).
"""

import argparse
import csv
import json
import re
import shutil
from collections import Counter
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from flows import cli_compare
from flows.cli import main
from flows.compare import CompareError, check_same_key, compare_runs, resolve_run
from flows.sample import write_sample
from schemas.marts import POVERTY_CHANGE
from transforms.change_sql import CHANGE_COUNTS
from transforms.fix_lists_sql import fix_list_file_names

AREA = ("31", "3101", "310108", "1")
# person: (year A, year B); each year: None (absent) or (cid valid, poor or None when not surveyed, member how)
# member how: None, "linked" (roster line linked to their record), "roster" (an unlinked line carrying their ID)
CASES = [
    # person, A, B, expected poverty_change, expected membership_change (None: the row is not in the mart)
    ("k_still", (True, True, None), (True, True, None), "still_poor", None),
    ("k_newly", (True, False, None), (True, True, None), "newly_poor", None),
    ("k_recovered", (True, True, "linked"), (True, False, "linked"), "no_longer_poor", "stayed"),
    ("k_new_survey", None, (True, True, None), "poor_new_to_survey", None),
    ("k_left_survey", (True, True, None), None, "poor_not_surveyed", None),
    ("k_joined", (True, True, None), (True, True, "linked"), "still_poor", "joined"),
    ("k_left", (True, False, "linked"), (True, False, None), None, "left"),
    ("k_joined_not_poor", (True, False, None), (True, False, "roster"), None, "joined"),  # joined, not "reached"
    ("k_roster_then_linked", (True, None, "roster"), (True, True, "linked"), "poor_new_to_survey", "stayed"),
    ("k_never", (True, False, None), (True, False, None), "absent", None),
    ("k_no_id", (False, True, "linked"), (False, True, None), "absent", None),  # a lineage key: not followed
]


def _year_warehouse(path: Path, year: int, cases: list = CASES) -> None:
    """The tables compare reads, one record per person, as build_marts and link leave them."""
    con = duckdb.connect(str(path))
    con.execute("create table std_poverty (record_id bigint, cid_status varchar, province_code varchar, "
                "district_code varchar, subdistrict_code varchar, village_no varchar)")
    con.execute("create table int_mart_poverty (poverty_record_id bigint, person_key varchar, province_code varchar, "
                "district_code varchar, subdistrict_code varchar, village_no varchar, is_poor boolean, "
                "survey_year integer)")
    con.execute("create table std_roster (record_id bigint, cid_status varchar, province_code varchar, "
                "district_code varchar, subdistrict_code varchar, village_no varchar)")
    con.execute("create table links (roster_record_id bigint, poverty_record_id bigint)")
    con.execute("create table lkp_person_key_roster (record_id bigint, person_key varchar)")
    con.execute("create table lkp_person_key_poverty (record_id bigint, person_key varchar)")
    con.execute("create table ref_area as select '310108' as area_code, 'บ้านยาง' as name_th")
    for i, (person, *years, _, _) in enumerate(cases, start=1):
        state = years[year]
        if state is None:
            continue
        valid, poor, member = state
        status = "valid" if valid else "missing"
        key = person if valid else f"{person}-lineage-{year}"  # a lineage key differs from file to file
        if poor is not None:
            con.execute("insert into std_poverty values (?, ?, ?, ?, ?, ?)", [i, status, *AREA])
            con.execute("insert into int_mart_poverty values (?, ?, ?, ?, ?, ?, ?, ?)", [i, key, *AREA, poor, year])
            con.execute("insert into lkp_person_key_poverty values (?, ?)", [i, key])
        if member:
            con.execute("insert into std_roster values (?, ?, ?, ?, ?, ?)", [i, status, *AREA])
            con.execute("insert into lkp_person_key_roster values (?, ?)", [i, key])
            con.execute("insert into links values (?, ?)", [i, i if member == "linked" else None])
    con.close()


def _run_folder(root: Path, name: str, year: int, fingerprint: str | None = "10ff0dc06f7739c4",
                cases: list = CASES) -> Path:
    folder = root / "out" / "runs" / name
    folder.mkdir(parents=True)
    _year_warehouse(folder / "saphan.duckdb", year, cases)
    (folder / "manifest.json").write_text(json.dumps({
        "run_id": name, "started_at": f"202{year}-01-01T00:00:00+00:00", "inputs": [],
        "pseudonym_key_fingerprint": fingerprint}), encoding="utf-8")
    return folder


def test_each_persons_change_between_two_hand_built_runs(tmp_path):
    a = resolve_run(str(_run_folder(tmp_path, "aaaaaaaa-1", 0)), tmp_path)
    _run_folder(tmp_path, "bbbbbbbb-1", 1)
    b = resolve_run("bbbb", tmp_path / "out")  # a run id prefix among <out>/runs
    summary = compare_runs(a, b, tmp_path / "cmp")
    with duckdb.connect(str(tmp_path / "cmp" / "poverty_change.duckdb"), read_only=True) as con:
        got = dict((k, (p, m)) for k, p, m in con.execute(
            "select person_key, poverty_change, membership_change from poverty_change").fetchall())
    expected = {person: (change, member) for person, _, _, change, member in CASES if change != "absent"}
    assert got == expected
    assert summary["totals"] == {"still_poor": 2, "newly_poor": 1, "no_longer_poor": 1, "poor_new_to_survey": 2,
                                 "poor_not_surveyed": 1, "newly_reached": 1, "no_longer_member": 1}
    assert summary["runs"]["a"]["not_followed"] == {"poverty_records": 1, "roster_lines": 1}


def test_runs_with_different_or_no_key_fingerprint_are_refused_in_one_line(tmp_path, capsys):
    _run_folder(tmp_path, "aaaaaaaa-1", 0)
    _run_folder(tmp_path, "bbbbbbbb-1", 1, fingerprint="0123456789abcdef")
    _run_folder(tmp_path, "cccccccc-1", 1, fingerprint=None)
    parser = argparse.ArgumentParser()
    cli_compare.register(parser.add_subparsers())
    for other, words in (("bbbb", "used different pseudonym keys"), ("cccc", "has no pseudonym key fingerprint")):
        args = parser.parse_args(["compare", "aaaa", other, "--runs-in", str(tmp_path / "out")])
        assert args.func(args) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and words in err and err.startswith("saphan: error: ")
    assert not (tmp_path / "out" / "comparisons").exists()  # nothing written
    with pytest.raises(CompareError, match="no run"):
        resolve_run("zzzz", tmp_path / "out")


def test_runs_given_in_the_wrong_order_are_compared_with_a_warning(tmp_path, capsys):
    _run_folder(tmp_path, "aaaaaaaa-1", 0)
    _run_folder(tmp_path, "bbbbbbbb-1", 1)
    parser = argparse.ArgumentParser()
    cli_compare.register(parser.add_subparsers())
    args = parser.parse_args(["compare", "bbbb", "aaaa", "--runs-in", str(tmp_path / "out")])
    assert args.func(args) == 0
    assert "later than RUN_B's" in capsys.readouterr().err


def _expected(a, b) -> tuple[str | None, str | None]:
    """The rule, said once more in Python for the property test: (poverty_change, membership_change)."""
    def seen(state):  # (surveyed, poor, member) as a followed key sees them
        if state is None or not state[0]:
            return False, None, False
        return state[1] is not None, state[1], state[2] is not None
    (sa, pa_, ma), (sb, pb, mb) = seen(a), seen(b)
    if not (pa_ or pb or ma or mb):
        return "absent", None
    poverty = ("still_poor" if pa_ and pb else "newly_poor" if sa and not pa_ and pb else
               "no_longer_poor" if pa_ and sb and not pb else "poor_new_to_survey" if not sa and pb else
               "poor_not_surveyed" if pa_ and not sb else None)
    member = "stayed" if ma and mb else "joined" if mb else "left" if ma else None
    return poverty, member


_STATE = st.none() | st.tuples(st.booleans(), st.none() | st.booleans(), st.sampled_from([None, "linked", "roster"]))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(_STATE, _STATE), min_size=1, max_size=12))
def test_every_person_lands_where_the_rule_says(tmp_path_factory, years):
    root = tmp_path_factory.mktemp("prop")
    cases = [(f"k{i}", a, b, None, None) for i, (a, b) in enumerate(years)]
    a = resolve_run(str(_run_folder(root, "aaaaaaaa-1", 0, cases=cases)), root)
    b = resolve_run(str(_run_folder(root, "bbbbbbbb-1", 1, cases=cases)), root)
    compare_runs(a, b, root / "cmp")
    with duckdb.connect(str(root / "cmp" / "poverty_change.duckdb"), read_only=True) as con:
        got = {k: (p, m) for k, p, m in con.execute(
            "select person_key, poverty_change, membership_change from poverty_change").fetchall()}
    expected = {k: _expected(a, b) for k, a, b, _, _ in cases}
    assert got == {k: v for k, v in expected.items() if v[0] != "absent"}


# ---- two real runs: the sample (2567) and its second year (2568) ------------------------------------------------

@pytest.fixture(scope="module")
def two_years(prefect_harness, tmp_path_factory):
    root = tmp_path_factory.mktemp("years")
    summary = write_sample(root / "sample", households=300, seed=2567, year2=True)
    outs = {}
    for name, folder in (("a", root / "sample"), ("b", root / "sample" / "year2")):
        outs[name] = root / f"out_{name}"
        code = main(["run", "--rosters", str(folder / "rosters"), "--poverty", str(folder / "poverty"),
                     "--out", str(outs[name]), "--no-reports"])
        assert code == 0
    return root, summary, outs


def test_compare_counts_equal_the_planted_transitions(two_years, capsys):
    root, sample, outs = two_years
    parser = argparse.ArgumentParser()
    cli_compare.register(parser.add_subparsers())
    args = parser.parse_args(["compare", str(outs["a"]), str(outs["b"])])
    assert args.func(args) == 0
    printed = capsys.readouterr().out
    assert "(survey 2567)" in printed and "(survey 2568)" in printed

    expected: dict[str, Counter] = {}
    with (root / "sample" / "year2" / "transitions.csv").open(encoding="utf-8") as f:
        for t in csv.DictReader(f):
            a, b, change = t["poor_a"] == "true", t["poor_b"] == "true", t["member_change"]
            c = expected.setdefault(t["subdistrict_code"], Counter())
            c["still_poor"] += a and b
            c["newly_poor"] += (not a) and b
            c["no_longer_poor"] += a and not b
            c["newly_reached"] += change == "joined" and b
            c["no_longer_member"] += change == "left"
    [comparison] = (outs["b"] / "comparisons").iterdir()
    with duckdb.connect(str(comparison / "poverty_change.duckdb"), read_only=True) as con:
        rows = con.execute(f"select subdistrict_code, {', '.join(CHANGE_COUNTS)} "
                           "from poverty_change_by_subdistrict").fetchall()
    got = {r[0]: dict(zip(CHANGE_COUNTS, r[1:], strict=True)) for r in rows}
    assert set(got) == set(expected)
    for code, counts in got.items():
        assert counts["poor_new_to_survey"] == counts["poor_not_surveyed"] == 0  # the same households surveyed
        assert {k: counts[k] for k in expected[code]} == dict(expected[code]), code
    totals = sample["year2"]["expected_change"]
    assert totals["newly_reached"] > 0 and totals["no_longer_member"] > 0 and totals["newly_poor"] > 0
    [total] = [line.split("|") for line in printed.splitlines() if line.startswith("total ")]
    printed_totals = dict(zip(CHANGE_COUNTS, (int(x) for x in total[2:]), strict=True))
    assert {k: printed_totals[k] for k in totals} == totals


def test_the_mart_is_pseudonymous_and_follows_its_contract(two_years):
    _, _, outs = two_years
    [comparison] = (outs["b"] / "comparisons").iterdir()
    files = sorted((comparison / "marts" / "poverty_change").rglob("*.parquet"))
    assert files and all(f.parent.name == "province_code=31" for f in files)
    table = pq.read_table(files[0])
    assert table.column_names == [c for c in POVERTY_CHANGE.names if c != "province_code"]  # in the folder name
    values = [str(v) for row in table.to_pylist() for v in row.values() if v is not None]
    assert not [v for v in values if re.fullmatch(r"\d{13}", v)]  # no citizen ID in any cell
    assert all(re.fullmatch(r"[0-9a-f]{32}", k) for k in table["person_key"].to_pylist())
    summary = json.loads((comparison / "comparison.json").read_text(encoding="utf-8"))
    assert summary["runs"]["a"]["survey_years"] == [2567] and summary["runs"]["b"]["survey_years"] == [2568]
    key = "saphan-test-key-for-synthetic-data"
    assert key not in (comparison / "comparison.json").read_text(encoding="utf-8")


def test_a_different_key_is_refused_on_real_runs(two_years, tmp_path):
    _, _, outs = two_years
    b = resolve_run(str(outs["b"]), outs["b"])
    copy = tmp_path / "runs" / b.folder.name
    shutil.copytree(b.folder, copy)
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    (copy / "manifest.json").write_text(json.dumps(manifest | {"pseudonym_key_fingerprint": "ffffffffffffffff"}),
                                        encoding="utf-8")
    with pytest.raises(CompareError, match="different pseudonym keys"):
        check_same_key(resolve_run(str(outs["a"]), outs["a"]), resolve_run(str(copy), tmp_path))


def test_a_real_run_publishes_one_fix_list_per_fund_counted_in_fund_summary(two_years):
    _, _, outs = two_years
    run = resolve_run(str(outs["a"]), outs["a"]).folder
    manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
    listed = {o["path"]: o["rows"] for o in manifest["outputs"] if o["path"].startswith("fix_lists/")}
    with duckdb.connect(str(run / "saphan.duckdb"), read_only=True) as con:
        funds = dict(con.execute("select fund, fix_lines from fund_summary").fetchall())
    assert len(listed) == len(funds) == 5
    for fund, name in fix_list_file_names(sorted(funds)).items():
        rows = CalamineWorkbook.from_path(str(run / "fix_lists" / name)).get_sheet_by_index(0).to_python()
        assert "restricted" in rows[0][0]
        assert len({(r[0], r[2]) for r in rows[4:]}) == funds[fund]  # distinct (file, line) = the fund's fix_lines
        assert listed[f"fix_lists/{name}"] == len(rows) - 4
