"""Poverty flag cells (FLAG_SQL): each way a yes or a no is written, read in DuckDB; anything else is null."""

import duckdb
import pytest

from transforms.stage_sql import FLAG_SQL

CASES = [
    ("1", True), ("0", False), (" 1 ", True), ("1.0", True), ("0.0", False), ("Y", True), ("yes", True),
    ("TRUE", True), ("t", True), ("ใช่", True), ("มี", True), ("จน", True), ("x", True), ("/", True), ("✓", True),
    ("n", False), ("No", False), ("false", False), ("f", False), ("ไม่ใช่", False), ("ไม่มี", False),
    ("ไม่จน", False), ("-", False), (None, None), ("", None), ("2", None), ("10", None), ("01", None),
    ("maybe", None), ("1 ", True), ("\t0", None),  # trim() takes spaces only
]


@pytest.mark.parametrize(("cell", "expected"), CASES)
def test_a_flag_cell_reads_as_written(cell: str | None, expected: bool | None) -> None:
    got = duckdb.sql(f"select {FLAG_SQL.format(col='v')} from (select ?::varchar as v)", params=[cell]).fetchall()
    assert got == [(expected,)]
