"""`saphan query` and `saphan tables`: read-only, clear one-line errors, spreadsheet-safe CSV."""

import argparse
import csv
import io
import json

import duckdb
import pytest
from test_marts import KEY, build_small_warehouse

from flows import cli_planners
from flows.marts import build_marts
from flows.query import QueryError, list_tables, run_query
from flows.warehouse import connect

HOSTILE = '=HYPERLINK("http://evil.example","x")'


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    path = tmp_path_factory.mktemp("query") / "saphan.duckdb"
    with connect(path) as con:
        build_small_warehouse(con)
        build_marts(con, KEY)
        con.execute("update std_roster set first_name = ? where record_id = 4", [HOSTILE])
    return path


def _main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="saphan")
    cli_planners.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args))


def test_query_formats(warehouse):
    sql = "select level, subdistrict_code, poor_people, coverage_rate from coverage where level = 'subdistrict'"
    table = run_query(warehouse, sql, "table")
    assert table.splitlines()[0].split(" | ")[0].strip() == "level"
    assert "310101" in table and "(3 rows)" in table
    rows = json.loads(run_query(warehouse, sql, "json"))
    assert rows[0] == {"level": "subdistrict", "subdistrict_code": "310101", "poor_people": 4, "coverage_rate": 0.5}
    parsed = list(csv.DictReader(io.StringIO(run_query(warehouse, sql, "csv"))))
    assert [r["subdistrict_code"] for r in parsed] == ["310101", "310102", "310103"]


@pytest.mark.parametrize(
    "sql",
    [
        "insert into coverage select * from coverage",
        "drop table coverage",
        "create table x as select 1",
        "update std_roster set first_name = 'x'",
        "copy coverage to '/tmp/saphan-leak.csv'",
        "attach '/tmp/other.duckdb' as other",
        "select 1; drop table coverage",
        # hidden inside a CTE or behind a comment: the parser sees the statement's real type (issue 16)
        "with x as (select 1) insert into coverage select * from coverage",
        "with x as (select 1) copy (select * from x) to '/tmp/saphan-leak.csv'",
        "/* select */ delete from coverage",
        "pragma enable_profiling",
        "set threads = 1",
        "checkpoint",
    ],
)
def test_writes_fail_with_one_clear_line(warehouse, sql, capsys):
    with pytest.raises(QueryError) as e:
        run_query(warehouse, sql, "table")
    message = str(e.value)
    assert "\n" not in message
    assert "read-only" in message or "one SQL statement" in message or message.startswith("Parser Error")
    assert _main(["query", sql, "--warehouse", str(warehouse)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("saphan: error: ") and err.count("\n") == 1
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*) from coverage").fetchone() == (9,)


def test_bad_sql_and_missing_warehouse_are_one_line(warehouse, tmp_path):
    with pytest.raises(QueryError, match="^Catalog Error: Table with name nope does not exist"):
        run_query(warehouse, "select * from nope", "table")
    with pytest.raises(QueryError, match="warehouse not found"):
        run_query(tmp_path / "missing.duckdb", "select 1", "table")
    with pytest.raises(QueryError, match="unknown format"):
        run_query(warehouse, "select 1", "xml")


def test_csv_export_neutralises_formula_like_text(warehouse, capsys):
    assert _main(["query", "select first_name from std_roster order by record_id", "--warehouse", str(warehouse),
                  "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert ["'" + HOSTILE] in rows and [HOSTILE] not in rows


def test_tables_lists_access_and_descriptions(warehouse, capsys):
    text = list_tables(warehouse)
    lines = {line.split(" | ")[0].strip(): line for line in text.splitlines()[2:]}
    assert "shareable" in lines["coverage"] and "Coverage of poor people" in lines["coverage"]
    assert "shareable" in lines["poor_not_in_fund"] and "Outreach list" in lines["poor_not_in_fund"]
    for restricted in ("std_roster", "lkp_person_key_roster", "int_mart_poverty"):
        assert "restricted" in lines[restricted], restricted
    assert _main(["tables", "--warehouse", str(warehouse)]) == 0
    assert "member_poverty" in capsys.readouterr().out


def test_thai_text_lines_up_in_the_table_format(warehouse):
    text = run_query(warehouse, "select subdistrict_name, poor_people from coverage "
                                "where level = 'subdistrict' order by subdistrict_code", "table")
    from flows.query import _width

    widths = {_width(line) for line in text.splitlines()[:-1]}
    assert len(widths) == 1, text


@pytest.mark.parametrize("sql", [
    "select * from coverage",
    "with c as (select * from coverage) select count(*) from c",
    "describe coverage",
    "show tables",
    "summarize coverage",
    "explain select 1",
    "  -- a comment first\nselect 1",
])
def test_reading_statements_pass(warehouse, sql):
    assert run_query(warehouse, sql, "json").startswith("[")


def test_a_runaway_query_is_stopped_by_the_timeout_in_one_line(warehouse, capsys):
    runaway = "select count(*) from range(1000000000000) a, range(1000000000000) b"
    with pytest.raises(QueryError, match=r"^query stopped after 0.5 s \(--timeout 0.5\)"):
        run_query(warehouse, runaway, "table", timeout=0.5)
    assert _main(["query", runaway, "--warehouse", str(warehouse), "--timeout", "0.5"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("saphan: error: query stopped") and err.count("\n") == 1
