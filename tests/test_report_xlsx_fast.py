"""The workbook's data rows made as XML by DuckDB (transforms/xlsx_sql.py) give the very bytes xlsxwriter writes
cell by cell (write_xlsx(fast=False)), with strings that exercise each of xlsxwriter's rules."""

import hashlib
import zipfile
from pathlib import Path

import duckdb
import pytest
from python_calamine import CalamineWorkbook
from report_cases import case_warehouse

from flows.report_xlsx import write_xlsx
from transforms.xlsx_sql import XlsxCell, column_letter, xlsx_rows_sql

# Leading and trailing whitespace of every kind Python's \s knows (xml:space="preserve"), control characters
# (_xHHHH_), a literal _xHHHH_ (its underscore escaped), XML's own characters, an empty string, Thai with marks.
TRICKY = ["  นำหน้า", "ตามหลัง\u3000", "\tแท็บ", "บรรทัด\n", "a\u00a0", "ควบคุม\x01\x1f", "_x0041_ ตัว", "<&>\"'",
          "", "x\u2028", "\x0bแนวตั้ง", "\r", "ก่ำ", "ปกติ", " ", "\x85x", "x\u205f", "_x12G4_", "a_x005F_b"]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _both(con: duckdb.DuckDBPyConnection, folder: Path) -> tuple[Path, Path]:
    fast, slow = folder / "fast.xlsx", folder / "slow.xlsx"
    write_xlsx(con, fast)
    write_xlsx(con, slow, fast=False)
    return fast, slow


def test_fast_rows_are_byte_identical_to_cell_by_cell(tmp_path):
    with case_warehouse(tmp_path / "saphan.duckdb") as con:
        fast, slow = _both(con, tmp_path)
    assert _sha(fast) == _sha(slow)
    write_xlsx(duckdb.connect(str(tmp_path / "saphan.duckdb"), read_only=True), tmp_path / "again.xlsx")
    assert _sha(tmp_path / "again.xlsx") == _sha(fast)  # and the same bytes run to run


def test_tricky_strings_are_escaped_as_xlsxwriter_escapes_them(tmp_path):
    with case_warehouse(tmp_path / "saphan.duckdb") as con:
        # every tricky string in the outreach sheets (house codes) and the fund names of a mart sheet
        con.execute("insert into poor_not_in_fund select p.* replace (t.v as house_code, person_key || t.i as "
                    "person_key) from poor_not_in_fund p, (select unnest(?) as v, generate_subscripts(?, 1) as i) t",
                    [TRICKY, TRICKY])
        con.execute("update member_poverty set fund = ?[1 + (hash(person_key) % ?)::bigint]", [TRICKY, len(TRICKY)])
        fast, slow = _both(con, tmp_path)
    assert _sha(fast) == _sha(slow)
    house_codes = {r[1] for r in CalamineWorkbook.from_path(str(fast)).get_sheet_by_name("310101 ในเมือง")
                   .to_python()[2:]}
    assert "ควบคุม\x01\x1f" in house_codes and "_x0041_ ตัว" in house_codes  # read back as written


def test_a_string_xlsxwriter_would_truncate_sends_its_sheet_cell_by_cell(tmp_path):
    with case_warehouse(tmp_path / "saphan.duckdb") as con:
        con.execute("update member_poverty set fund = repeat('ก', 40000) where person_key = "
                    "(select min(person_key) from member_poverty)")
        fast, slow = _both(con, tmp_path)
    assert _sha(fast) == _sha(slow)


def test_a_nan_rate_fails_as_xlsxwriter_fails(tmp_path):
    with case_warehouse(tmp_path / "saphan.duckdb") as con:
        con.execute("update coverage set coverage_rate = 'nan'::double where level = 'province'")
        with pytest.raises(TypeError, match="NAN/INF"):
            write_xlsx(con, tmp_path / "fast.xlsx")


def test_rows_sql_skips_null_cells_and_empty_rows():
    sql = xlsx_rows_sql("select * from (values (null, null, 1), ('a', 2.5, 2), (null, 10000000000000001, 3)) "
                        "t(s, n, _n)", [XlsxCell("s", False), XlsxCell("n", True, 7)], 2)
    assert duckdb.sql(sql).fetchall() == [
        (4, '<row r="4"><c r="A4" t="inlineStr"><is><t>a</t></is></c><c r="B4" s="7"><v>2.5</v></c></row>'),
        (5, '<row r="5"><c r="B5" s="7"><v>1E+16</v></c></row>'),  # an int as xlsxwriter formats it: %.16G
    ]
    assert [column_letter(i) for i in (0, 29)] == ["A", "AD"]


def _values(path: Path) -> dict[str, list[list[object]]]:
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


@pytest.mark.parametrize("fast", [True, False])
def test_shared_strings_show_the_values_inline_strings_show(tmp_path, fast):
    """Repeated text goes into the shared-string table; every sheet reads back cell for cell as the inline workbook
    (share=False), tricky strings in the shared columns included, rich-text-looking ones kept inline."""
    rich = "<r><t>ตัวหนา</t></r>"
    tricky = [*TRICKY, rich]
    with case_warehouse(tmp_path / "saphan.duckdb") as con:
        con.execute("update member_poverty set fund = ?[1 + (hash(person_key) % ?)::bigint]", [tricky, len(tricky)])
        con.execute("insert into poor_not_in_fund select p.* replace (t.v as funds, t.v as village_no, "
                    "person_key || t.i as person_key) from poor_not_in_fund p, "
                    "(select unnest(?) as v, generate_subscripts(?, 1) as i) t", [tricky, tricky])
        write_xlsx(con, tmp_path / "shared.xlsx", fast=fast)
        write_xlsx(con, tmp_path / "inline.xlsx", fast=fast, share=False)
    shared, inline = _values(tmp_path / "shared.xlsx"), _values(tmp_path / "inline.xlsx")
    assert list(shared) == list(inline)
    for name in inline:
        assert shared[name] == inline[name], name
    with zipfile.ZipFile(tmp_path / "shared.xlsx") as z:
        sst = z.read("xl/sharedStrings.xml").decode()
        outreach = z.read("xl/worksheets/sheet7.xml").decode()
    assert "<t>ใช่</t>" in sst and 't="s"' in outreach
    assert "ตัวหนา" not in sst  # xlsxwriter would write it into the table as XML, unescaped
    with zipfile.ZipFile(tmp_path / "inline.xlsx") as z:
        assert "xl/sharedStrings.xml" not in z.namelist()
    if fast:  # cell by cell, xlsxwriter itself writes it as rich text, shared or not (as before)
        assert any(rich in row for rows in shared.values() for row in rows)
