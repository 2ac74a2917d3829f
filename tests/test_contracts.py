"""Contracts are enforced where tables cross a stage, and a violation names the table, column and rule."""

import duckdb
import pytest

from flows.warehouse import ContractViolation, check_contract
from schemas.contracts import LINKS, QUARANTINE, raw_contract, std_contract


def _quarantine(con, rows):
    con.execute("create or replace table quarantine (dataset varchar, source_file varchar, source_row bigint, "
                "source_sheet varchar, source_line bigint, reason varchar, raw_values varchar)")
    con.executemany("insert into quarantine values (?, ?, ?, '', ?, ?, ?)", [(*r[:3], r[2], *r[3:]) for r in rows])


def test_a_good_table_passes():
    con = duckdb.connect()
    _quarantine(con, [("roster", "a.csv", 1, "no_name", "{}"), ("roster", "a.csv", 2, "blank_row", "{}")])
    check_contract(con, QUARANTINE)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([("roster", "a.csv", 1, None, "{}")], "table quarantine, column reason: 1 rows break rule not_null"),
        ([("fund", "a.csv", 1, "x", "{}")], "table quarantine, column dataset: 1 rows break rule accepted_values"),
        ([("roster", "a.csv", 1, "x", "{}"), ("roster", "a.csv", 1, "y", "{}")],
         "table quarantine, column source_file+source_row: 1 rows break rule unique"),
    ],
)
def test_violations_name_table_column_and_rule(rows, message):
    con = duckdb.connect()
    _quarantine(con, rows)
    with pytest.raises(ContractViolation, match=message.replace("+", r"\+")):
        check_contract(con, QUARANTINE)


def test_wrong_type_and_missing_column_are_violations():
    con = duckdb.connect()
    con.execute("create table quarantine (dataset varchar, source_file varchar, source_row varchar, reason varchar)")
    with pytest.raises(ContractViolation, match="column source_row: type VARCHAR"):
        check_contract(con, QUARANTINE)
    con.execute("create or replace table quarantine (dataset varchar, source_file varchar, source_row bigint, "
                "source_sheet varchar, source_line bigint)")
    with pytest.raises(ContractViolation, match="column reason: missing"):
        check_contract(con, QUARANTINE)


def test_every_contract_column_is_described_and_pii_marked():
    for contract in (raw_contract("roster"), raw_contract("poverty"), std_contract("roster"), LINKS, QUARANTINE):
        assert len(set(contract.names)) == len(contract.names), contract.table
        for c in contract.columns:
            assert c.description, f"{contract.table}.{c.name} has no description"
    assert raw_contract("roster").column("citizen_id").pii
    assert std_contract("poverty").column("first_name").pii
