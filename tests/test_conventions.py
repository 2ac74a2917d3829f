"""Conventions planners rely on (issue 18, point 5): CSV for Excel has a BOM, times read in Asia/Bangkok, and
every command's --help says what it does with an example."""

import duckdb
import pytest

from flows.cli import build_parser, main
from flows.cli_service import bangkok_time


def _commands():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return sub.choices


@pytest.mark.parametrize("name", sorted(_commands()))
def test_every_command_help_says_what_it_does_with_an_example(name):
    text = _commands()[name].format_help()
    assert "example" in text.lower(), name
    assert f"saphan {name}" in text.split("example", 1)[-1].lower() or f"saphan {name}" in text, name


def test_query_csv_output_is_utf8_with_a_bom_for_excel(tmp_path, capsys):
    db = tmp_path / "w.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("create table coverage as select 'ตำบลในเมือง' as name, 0.5 as coverage")
    out = tmp_path / "c.csv"
    assert main(["query", "select * from coverage", "--warehouse", str(db), "--format", "csv", "--output",
                 str(out)]) == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert "ตำบลในเมือง" in data.decode("utf-8-sig")


@pytest.mark.parametrize(("stored", "shown"), [
    ("2026-12-01T22:14:09+00:00", "2026-12-02 05:14 +07"),
    ("2026-12-01T10:00:00", "2026-12-01 17:00 +07"),  # a time stored without a zone is UTC
    (None, "-"),
])
def test_times_are_shown_in_bangkok(stored, shown):
    assert bangkok_time(stored) == shown
