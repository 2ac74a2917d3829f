"""Unresolved and ambiguous addresses are listed for analysts with what was written, resolved ones are not."""

import json

import duckdb

from schemas.contracts import raw_contract
from transforms.stage_sql import address_review_sql


def test_address_review_lists_ambiguous_and_unresolved_rows_with_their_text():
    con = duckdb.connect()
    for dataset in ("roster", "poverty"):
        cols = ", ".join(f'"{c.name}" {c.type}' for c in raw_contract(dataset).columns)
        con.execute(f"create table raw_{dataset} ({cols})")
        con.execute(
            f"create table std_{dataset} (source_file varchar, source_row bigint, address_status varchar, "
            "address_confidence double, address_candidates varchar, address_note varchar)"
        )
    con.execute("insert into raw_roster (source_file, source_sha256, source_row, address) values "
                "('r.csv', 'x', 1, 'ต.ในเมือง'), ('r.csv', 'x', 2, '12 ม.4 ต.ในเมือง อ.เมือง จ.บุรีรัมย์'), "
                "('r.csv', 'x', 3, '')")
    con.execute("insert into std_roster values ('r.csv', 1, 'ambiguous', 0.3, '310101,400101', 'name in 22 areas'), "
                "('r.csv', 2, 'resolved', 1.0, null, null), ('r.csv', 3, 'unresolved', 0.0, null, 'no area')")
    con.execute("insert into raw_poverty (source_file, source_sha256, source_row, subdistrict_code) values "
                "('p.csv', 'y', 7, '999999')")
    con.execute("insert into std_poverty values ('p.csv', 7, 'unresolved', 0.0, null, 'unknown code')")
    con.execute(address_review_sql())
    rows = con.execute(
        "select dataset, source_file, source_row, address_status, address_candidates, address_as_written "
        "from address_review"
    ).fetchall()
    assert [r[:4] for r in rows] == [
        ("poverty", "p.csv", 7, "unresolved"),
        ("roster", "r.csv", 1, "ambiguous"),
        ("roster", "r.csv", 3, "unresolved"),
    ]
    assert rows[1][4] == "310101,400101"
    assert json.loads(rows[1][5])["address"] == "ต.ในเมือง"
    assert json.loads(rows[0][5])["subdistrict_code"] == "999999"
