"""The workbook (issue 18, point 2), read back with python-calamine and, for links and print setup, its OOXML parts.
The HTML page is tested in test_reports_html.py."""

import hashlib
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from report_cases import HOSTILE, MANIFEST, case_warehouse, write_case_reports

from flows.report_th import COLUMN_TH, METHOD_TH, column_th
from flows.report_xlsx import INDEX_SHEET
from flows.reports import HTML_NAME, XLSX_NAME, write_reports
from schemas.marts import MART_TITLES_TH, MARTS, THAI_HEADERS


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> Path:
    return write_case_reports(tmp_path_factory.mktemp("reports"))


@pytest.fixture(scope="module")
def book(reports) -> CalamineWorkbook:
    return CalamineWorkbook.from_path(str(reports / "one" / XLSX_NAME))


def _sheet(book: CalamineWorkbook, name: str) -> list[list]:
    return book.get_sheet_by_name(name).to_python()


def test_reports_are_byte_identical_run_to_run(reports):
    for name in (XLSX_NAME, HTML_NAME):
        one, two = (hashlib.sha256((reports / d / name).read_bytes()).hexdigest() for d in ("one", "two"))
        assert one == two, name


# --- the workbook --------------------------------------------------------------------------------------------


def _xml(reports: Path, part: str) -> ET.Element:
    with zipfile.ZipFile(reports / "one" / XLSX_NAME) as z:
        return ET.fromstring(z.read(part))


NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def test_index_sheet_comes_first_and_links_every_sheet_with_what_it_holds(reports, book):
    names = book.sheet_names
    assert names[0] == INDEX_SHEET
    index = _sheet(book, INDEX_SHEET)
    assert index[1] == ["ชีต (คลิกเพื่อไป)", "เนื้อหา", "อำเภอ", "จำนวนแถว"]
    listed = [r[0] for r in index[2:]]
    assert listed == names[1:]  # every other sheet, once, in workbook order
    assert all(re.search("[ก-๙]", r[1]) for r in index[2:])  # what each holds, in Thai
    links = {h.get("ref"): h.get("location") for h in _xml(reports, "xl/worksheets/sheet1.xml").iterfind(
        ".//m:hyperlinks/m:hyperlink", NS)}
    assert links == {f"A{i + 3}": f"'{n}'!A1" for i, n in enumerate(names[1:])}
    rows = {r[0]: r[3] for r in index[2:]}
    # coverage: 1 province, 2 districts, 5 subdistricts and 6 villages with poor people
    assert rows["310101 ในเมือง"] == 2 and rows[MART_TITLES_TH["coverage"]] == 14


def test_outreach_sheets_are_in_district_order_and_complete(book):
    outreach = [n for n in book.sheet_names if re.match(r"\d{6} ", n)]
    assert outreach == ["310101 ในเมือง", "310108 บ้านยาง", "310202 ปะเคียบ"]  # อ.เมืองบุรีรัมย์, then อ.คูเมือง
    index = {r[0]: r[2] for r in _sheet(book, INDEX_SHEET)[2:]}
    assert [index[n] for n in outreach] == ["อ.เมืองบุรีรัมย์", "อ.เมืองบุรีรัมย์", "อ.คูเมือง"]
    sheet = _sheet(book, "310101 ในเมือง")
    assert "ตำบลรหัส 310101" in sheet[0][0] and "(2 คน)" in sheet[0][0]
    assert sheet[1][:3] == ["หมู่ที่", "รหัสประจำบ้าน", "รหัสแทนตัวบุคคล"]
    assert [r[1] for r in sheet[2:]] == ["31010100010", "31010100010"]
    health = sheet[1].index(THAI_HEADERS["dim_health"])
    assert [r[health] for r in sheet[2:]] == ["ใช่", "ใช่"]
    assert [r[1] for r in _sheet(book, "310202 ปะเคียบ")[2:]] == ["31020200003"]  # บุญมี is a member; สมศรี is not


def test_values_are_in_thai(book):
    members = _sheet(book, MART_TITLES_TH["member_poverty"])
    head = members[1]
    linked, method = head.index(THAI_HEADERS["linked"]), head.index(THAI_HEADERS["match_method"])
    assert {r[linked] for r in members[2:]} == {"ใช่", "ไม่ใช่"}
    assert {r[method] for r in members[2:]} == {METHOD_TH[m] for m in ("exact_id", "probabilistic", "unlinked")}
    english = {"True", "False", "true", "false", "exact_id", "id_typo", "probabilistic", "unlinked", "province",
               "district", "subdistrict", "village"}
    for name in book.sheet_names:  # the dictionary names database columns (e.g. unlinked) on purpose
        cells = {str(v) for row in _sheet(book, name)[2:] for v in (row if name != "คำอธิบายคอลัมน์" else row[4:])}
        assert not cells & english, (name, cells & english)


def test_coverage_sheet_puts_each_total_above_its_parts(book):
    coverage = _sheet(book, MART_TITLES_TH["coverage"])
    head = coverage[1]
    level, district, sub = (head.index(THAI_HEADERS[c]) for c in ("level", "district_code", "subdistrict_code"))
    rows = [(r[level], r[district], r[sub]) for r in coverage[2:]]
    assert rows[0] == ("จังหวัด", "", "")  # the province total on top
    assert [r[0] for r in rows[:3]] == ["จังหวัด", "อำเภอ", "ตำบล"]
    seen_district, seen_sub = set(), set()
    for lvl, d, s in rows[1:]:  # a district row before its subdistricts, a subdistrict row before its villages
        if lvl == "อำเภอ":
            seen_district.add(d)
        elif lvl == "ตำบล":
            assert d in seen_district
            seen_sub.add(s)
        else:
            assert lvl == "หมู่บ้าน" and s in seen_sub


def test_fund_sheet_opens_with_the_total_of_all_funds(book):
    funds = _sheet(book, MART_TITLES_TH["fund_summary"])
    head = funds[1]
    total, rest = funds[2], funds[3:]
    assert total[head.index(THAI_HEADERS["fund"])] == "รวมทุกกองทุน (3 กองทุน)" and len(rest) == 3
    for column in ("members", "linked", "unlinked", "poor_members", "linked_exact_id"):
        col = head.index(THAI_HEADERS[column])
        assert total[col] == sum(r[col] for r in rest), column
    assert total[head.index(THAI_HEADERS["members"])] == 8  # the roster's eight rows


def test_column_dictionary_is_in_thai_for_every_column(book):
    dictionary = _sheet(book, "คำอธิบายคอลัมน์")
    assert dictionary[1] == ["ชีต", "ตาราง (ในฐานข้อมูล)", "หัวคอลัมน์", "ชื่อคอลัมน์ (ในฐานข้อมูล)", "คำอธิบาย"]
    described = {(r[1], r[3]): r[4] for r in dictionary[2:]}
    assert set(described) == {(c.table, col.name) for c in MARTS for col in c.columns}
    for (table, column), text in described.items():
        assert text == column_th(table, column), (table, column)  # no column left in English
        prose = re.sub(r"\S*/\S*|TPMAP|Excel", "", text)  # file paths and proper names may stay in Latin letters
        assert re.search("[ก-๙]", text) and not re.search(r"[A-Za-z]{4,}", prose), text
    assert described[("coverage", "coverage_rate")] == "สัดส่วนที่ครอบคลุม = คนจนที่เป็นสมาชิก / คนจน"
    assert len(COLUMN_TH) >= len({col.name for c in MARTS for col in c.columns})


def test_every_sheet_prints_landscape_one_page_wide_with_its_header_rows_repeated(reports, book):
    names = book.sheet_names
    titles = {d.get("localSheetId"): d.text for d in _xml(reports, "xl/workbook.xml").iterfind(
        ".//m:definedNames/m:definedName[@name='_xlnm.Print_Titles']", NS)}
    assert titles == {str(i): f"'{n}'!$1:$2" for i, n in enumerate(names)}
    for i in range(1, len(names) + 1):
        sheet = _xml(reports, f"xl/worksheets/sheet{i}.xml")
        setup = sheet.find("m:pageSetup", NS)
        assert setup is not None and setup.get("orientation") == "landscape" and setup.get("fitToHeight") == "0"
        assert setup.get("fitToWidth", "1") == "1"
        assert sheet.find("m:sheetPr/m:pageSetUpPr", NS).get("fitToPage") == "1"


def test_formula_like_text_is_neutralised_in_the_workbook(reports, book):
    with zipfile.ZipFile(reports / "one" / XLSX_NAME) as z:
        sheets = [z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert not any("<f>" in s or "<f " in s for s in sheets), "a cell was written as a formula"
    funds = _sheet(book, MART_TITLES_TH["fund_summary"])
    values = [r[funds[1].index(THAI_HEADERS["fund"])] for r in funds[2:]]
    assert "'" + HOSTILE in values and HOSTILE not in values
    outreach = _sheet(book, "310108 บ้านยาง")
    assert outreach[2][outreach[1].index(THAI_HEADERS["funds"])] == "'" + HOSTILE


def test_big_person_sheets_show_their_first_rows_and_say_where_the_rest_is(tmp_path, monkeypatch):
    import flows.report_xlsx

    monkeypatch.setattr(flows.report_xlsx, "PERSON_SHEET_MAX_ROWS", 1)
    with case_warehouse(tmp_path / "saphan.duckdb") as con:
        members = con.execute("select count(*) from member_poverty").fetchall()[0][0]
        write_reports(con, tmp_path, MANIFEST)
    wb = CalamineWorkbook.from_path(str(tmp_path / XLSX_NAME))
    sheet = _sheet(wb, MART_TITLES_TH["member_poverty"])
    assert members > 1 and f"of {members:,} rows" in sheet[0][0] and "marts/member_poverty/" in sheet[0][0]
    assert len([r for r in sheet[2:] if any(v not in ("", None) for v in r)]) == 1
    assert len(_sheet(wb, "310101 ในเมือง")) == 4  # title, header and both people: outreach sheets are never cut
