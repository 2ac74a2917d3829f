"""`saphan inspect` shows how a file is read, with IDs masked; `saphan run` refuses wrong inputs before it starts."""

import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from flows.cli import main
from flows.cli_inspect import check_inputs, masked_id, short_name
from flows.ingest import ingest_files

ROOT = Path(__file__).resolve().parents[1]
ROSTER = ROOT / "tests/corpus/files/rosters/fund_nongki/tambon_nongki_2567.xlsx"
EXTRACT = ROOT / "tests/corpus/files/extracts/jpt_br_bd_02.csv"


def test_inspect_shows_header_lines_roles_samples_and_counts_without_a_flow(capsys):
    assert main(["inspect", str(ROSTER)]) == 0
    out = capsys.readouterr().out
    assert "fund: กองทุนสวัสดิการชุมชนตำบลหนองกี่ (from title)" in out
    assert "sheet 'หมู่ 1': header lines 6-7" in out  # the two-line header with merged group cells
    assert "เลขประจำตัวประชาชน -> citizen_id (header; 100% 13-digit IDs)" in out
    assert "day first" in out  # the date habit and why
    assert "lines that are no person: signature_line 3, total_line 1" in out
    # 20 members on three village sheets (as tests/corpus/expected.json lists them); each sheet's footer
    assert "rows: 20 accepted" in out and "signature_line 9" in out and "total_line 3" in out
    assert "sample rows" in out and "-xxxxx-xx-" in out


def test_inspect_never_prints_a_whole_id_or_name(capsys):
    main(["inspect", str(ROSTER), str(EXTRACT)])
    out = capsys.readouterr().out
    import json

    people = json.loads((ROOT / "tests/corpus/expected.json").read_text(encoding="utf-8"))["files"]
    for path in ("rosters/fund_nongki/tambon_nongki_2567.xlsx", "extracts/jpt_br_bd_02.csv"):
        for p in people[path]["accepted"]:
            if p["citizen_id"]:
                assert p["citizen_id"] not in out
            assert f"{p['first_name']} {p['last_name']}" not in out


def test_inspect_needs_no_prefect():
    code = "import sys; from flows.cli import main; rc = main(['inspect', sys.argv[1]]); " \
           "assert 'prefect' not in sys.modules, 'prefect imported'; sys.exit(rc)"
    done = subprocess.run([sys.executable, "-c", code, str(EXTRACT)], capture_output=True, text=True, timeout=300,
                          cwd=ROOT)
    assert done.returncode == 0, done.stderr[-500:]
    assert "(read as a poverty extract)" in done.stdout


def test_masks():
    assert masked_id("3310100123459") == "3-3101-xxxxx-xx-9"
    assert masked_id(None) == "-"
    assert short_name("สมชาย", "ใจดี") == "สม… ใ."


def test_a_missing_path_and_swapped_datasets_are_errors_before_the_run(tmp_path):
    missing = check_inputs([str(tmp_path / "nope")], [str(EXTRACT)])
    assert missing == [f"--rosters {tmp_path / 'nope'}: no such file or folder"]
    swapped = check_inputs([str(EXTRACT)], [str(ROSTER)])
    assert len(swapped) == 2 and "were --rosters and --poverty swapped?" in swapped[0]
    one_wrong = check_inputs([str(ROSTER), str(EXTRACT)], [str(EXTRACT)])
    assert one_wrong == [f"--rosters {EXTRACT}: looks like a poverty extract (its columns), not a fund roster"]
    assert check_inputs([str(ROSTER)], [str(EXTRACT)]) == []


def test_run_refuses_swapped_inputs_in_one_line_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", "--rosters", str(EXTRACT), "--poverty", str(ROSTER), "--out", str(out), "--no-marts"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("saphan: error: --poverty: every file given looks like a fund roster")
    assert not out.exists()


def test_run_checks_obey_the_configs_dataset_for_a_file_whose_columns_mislead(tmp_path, capsys):
    # The extract named a roster by the config ("what the file is, when its columns cannot tell"): the input check
    # lets it through and the run goes on to its next check, the output folder (here a file: refused, one line).
    config = tmp_path / "saphan.toml"
    config.write_text(f'[[sources]]\nmatch = "{EXTRACT.name}"\ndataset = "roster"\n', encoding="utf-8")
    out = tmp_path / "out"
    out.write_text("not a folder", encoding="utf-8")
    other_extract = ROOT / "tests/corpus/files/extracts/dump_br_nm_05.csv"
    args = ["run", "--rosters", str(ROSTER), str(EXTRACT), "--poverty", str(other_extract), "--out", str(out),
            "--no-marts"]
    assert main(args) == 2
    assert "looks like a poverty extract" in capsys.readouterr().err  # no config: refused, as before
    assert main([*args, "--config", str(config)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("saphan: error: cannot write to the output folder")


def test_a_source_mapping_names_the_header_line_the_sheet_and_a_column(tmp_path):
    # Headers nobody would guess, on line 2 below a line that looks more like a header than it does.
    text = "ชื่อ,นามสกุล,x\nผู้สมัคร,สกุลผู้สมัคร,รหัส\nสมชาย,ใจดี,3310100123459\nสมศรี,มีสุข,\n"
    (tmp_path / "odd.csv").write_text(text, encoding="utf-8")
    config = {"sources": [{"match": "odd.csv", "header_rows": [2],
                           "columns": {"ผู้สมัคร": "first_name", "สกุลผู้สมัคร": "last_name"}}]}
    [report] = ingest_files(duckdb.connect(), "roster", [tmp_path / "odd.csv"], config)
    assert report.status == "ingested"
    sheet = report.reading[0]
    assert sheet["header_lines"] == [2]
    assert [(c["header"], c["role"], c["evidence"].split(";")[0]) for c in sheet["columns"]] == [
        ("ผู้สมัคร", "first_name", "config"), ("สกุลผู้สมัคร", "last_name", "config"),
        ("รหัส", "citizen_id", "content")]
    # the line above the configured header is no title (three cells): staged and quarantined, never dropped
    assert report.rows_read == 3 and sheet["non_member_lines"] == {"above_header": 1}


@pytest.mark.parametrize(("body", "message"), [
    ('columns = { "x" = "first_nam" }', "unknown role(s) first_nam in columns"),
    ('header_rows = ["4"]', "header_rows must be a list of line numbers"),
    ('date_order = "dym"', 'date_order must be "dmy", "mdy" or "ymd"'),
    ('dataset = "rosters"', 'dataset must be "roster" or "poverty"'),
])
def test_a_wrong_source_reading_in_the_config_is_a_one_line_error(tmp_path, body, message):
    from flows.config import ConfigError, load_config

    (tmp_path / "c.toml").write_text(f'[[sources]]\nmatch = "a*"\n{body}\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(f"[[sources]] #1: {message}")):
        load_config(str(tmp_path / "c.toml"))


def test_the_reading_is_a_table_in_the_warehouse():
    con = duckdb.connect()
    ingest_files(con, "roster", [ROSTER], {})
    rows = con.execute("select source_sheet, header_lines, column_no, header, role from raw_columns "
                       "where source_sheet = 'หมู่ 1' order by column_no").fetchall()
    assert rows[0] == ("หมู่ 1", "6,7", 1, "ลำดับ", "row_number")
    assert ("หมู่ 1", "6,7", 5, "เลขประจำตัวประชาชน", "citizen_id") in rows
