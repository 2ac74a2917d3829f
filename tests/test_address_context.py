"""A fund roster of one subdistrict lends its area to rows that write only part of it, and never invents one."""

import duckdb

from flows.ingest import ingest_files
from flows.pipeline import _init_warehouse
from flows.standardise import standardise

HEADER = "ชื่อ,นามสกุล,บ้านเลขที่,หมู่ที่,ตำบล,อำเภอ,จังหวัด\n"
FULL = "สมชาย{i},ใจดี,{i},4,บ้านยาง,เมืองบุรีรัมย์,บุรีรัมย์\n"


def _standardised(tmp_path, rows: str) -> duckdb.DuckDBPyConnection:
    (tmp_path / "fund.csv").write_text(HEADER + rows, encoding="utf-8")
    _init_warehouse(tmp_path / "w.duckdb", None)
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    ingest_files(con, "roster", [tmp_path / "fund.csv"], {})
    standardise(con, "roster", {})
    return con


def _addresses(con):
    return con.execute(
        "select source_row, subdistrict_code, address_status, address_note from std_roster order by source_row"
    ).fetchall()


def test_a_bare_subdistrict_name_takes_the_files_district(tmp_path):
    # บ้านยาง alone is ambiguous (Buri Ram has three); the other rows say which one this fund means.
    rows = "".join(FULL.format(i=i) for i in range(1, 7)) + "สมหญิง,ใจดี,9,4,บ้านยาง,,\n" + "สมปอง,ใจดี,10,,,,\n"
    by_row = {r[0]: r for r in _addresses(_standardised(tmp_path, rows))}
    assert {by_row[i][1] for i in range(1, 7)} == {"310108"}
    assert by_row[7][1:3] == ("310108", "resolved")
    assert "file's other rows" in by_row[7][3]
    assert by_row[8][1:3] == (None, "unresolved")  # nothing written: the fund's area is not assumed


def test_no_context_without_enough_agreeing_rows(tmp_path):
    rows = FULL.format(i=1) + FULL.format(i=2) + "สมหญิง,ใจดี,9,4,บ้านยาง,,\n"
    by_row = {r[0]: r for r in _addresses(_standardised(tmp_path, rows))}
    assert by_row[3][2] == "ambiguous"


def test_the_title_lines_name_the_area_of_rows_that_give_only_house_and_village(tmp_path):
    # A subdistrict fund's roster: the area is in its title line, each member gives บ้านเลขที่ and หมู่ที่ only.
    text = ("ทะเบียนสมาชิกกองทุนสวัสดิการชุมชนตำบลตะคุ อำเภอปักธงชัย จังหวัดนครราชสีมา\n\n"
            "ชื่อ,นามสกุล,บ้านเลขที่,หมู่ที่\nสมชาย,ใจดี,12,3\nสมหญิง,มีสุข,40/1,7\nสมปอง,ใจดี,10,\n")
    (tmp_path / "fund.csv").write_text(text, encoding="utf-8")
    _init_warehouse(tmp_path / "w.duckdb", None)
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    [report] = ingest_files(con, "roster", [tmp_path / "fund.csv"], {})
    assert report.area == {"subdistrict": "301402", "district": "3014", "province": "30"}
    standardise(con, "roster", {})
    by_row = {r[0]: r for r in _addresses(con)}
    assert by_row[1][1:3] == by_row[2][1:3] == ("301402", "resolved")
    assert by_row[3][1:3] == (None, "unresolved")  # a house number alone: the fund's area is not assumed
