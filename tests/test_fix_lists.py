"""Fix lists (issue 18 point 4): per fund, a restricted workbook of what to correct, read back with a real reader.

The rosters are written here, modelled on real forms: a volunteer's workbook with a title line, a blank line, a
line without a name and a total line; a CSV with one free-text ที่อยู่ column. They go through the real ingest
and standardise steps (no Prefect), then flows/fix_lists.py and the fund_summary mart.
"""

import zipfile
from pathlib import Path

import duckdb
import pytest
import xlsxwriter
from hypothesis import given
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from flows.fix_lists import HEADERS, RESTRICTED_LINE, _write_workbook, fix_rows, write_fix_lists
from flows.ingest import ingest_files
from flows.marts import build_marts
from flows.standardise import standardise
from schemas.contracts import QUARANTINE
from transforms.fix_lists_sql import PROBLEMS, fix_list_file_names

KEY = b"test-pseudonym-key-0123456789abcdef"


def cid(body: str) -> str:
    """A valid citizen ID from its first 12 digits."""
    total = sum(int(d) * (13 - i) for i, d in enumerate(body))
    return body + str((11 - total % 11) % 10)


GOOD = [cid(f"3310100{i:05d}") for i in range(1, 12)]
BAD_CHECK = GOOD[1][:12] + str((int(GOOD[1][12]) + 1) % 10)  # one digit off: the check digit fails
FUND_XLSX = "กองทุนสวัสดิการชุมชนตำบลบ้านยาง"
TITLE = f"ทะเบียนสมาชิก{FUND_XLSX} อำเภอเมืองบุรีรัมย์ จังหวัดบุรีรัมย์"
HEAD = ["เลขที่สมาชิก", "คำนำหน้า", "ชื่อ", "นามสกุล", "เลขประจำตัวประชาชน", "วัน/เดือน/ปีเกิด", "บ้านเลขที่", "หมู่ที่",
        "ตำบล", "อำเภอ", "จังหวัด"]
PLACE = ["บ้านยาง", "เมืองบุรีรัมย์", "บุรีรัมย์"]
# (line as the spreadsheet shows it, cells); line 1 the title, line 2 blank, line 3 the header.
XLSX_ROWS = [
    (4, ["1", "นาย", "สมชาย", "ใจดี", GOOD[0], "05/01/2510", "12", "1", *PLACE]),
    (5, ["2", "นาง", "สมศรี", "มีสุข", BAD_CHECK, "17/08/2505", "14", "1", *PLACE]),
    (6, ["3", "นาย", "ประเสริฐ", "ทองดี", "3.31010E+12", "01/02/2499", "3/1", "2", *PLACE]),
    (7, ["4", "นางสาว", "มาลี", "ศรีสุข", GOOD[3], "30/02/2530", "7", "2", *PLACE]),
    (8, ["5", "", '=HYPERLINK("http://x.example","y")', "บุญมา", "=1+2", "11/11/2511", "8", "3", *PLACE]),
    (9, ["", "", "", "", "", "", "", "", "", "", ""]),  # blank: nothing to fix, not listed
    (10, ["6", "", "", "", GOOD[5], "02/03/2520", "9", "3", *PLACE]),  # a member number and ID, no name
    (11, ["7", "นาง", "บัวผัน", "แก้วมา", GOOD[6], "12/12/2512", "21", "4", "หนองไม่มีจริง", "ไม่มีอำเภอนี้",
          "บุรีรัมย์"]),
    (12, ["รวม 7 คน", "", "", "", "", "", "", "", "", "", ""]),  # a total line: not listed
]
CSV_NAME = "fund_nongki.csv"
CSV_LINES = [
    "เลขที่สมาชิก,ชื่อ-สกุล,เลขประจำตัวประชาชน,วันเดือนปีเกิด,ที่อยู่",
    f"1,นายสมหมาย ใจงาม,{GOOD[7]},3 มี.ค. 2515,5 ม.2 ต.หนองกี่ อ.หนองกี่ จ.บุรีรัมย์",
    f"2,นางสาวจันทร์ เพ็ญ,{GOOD[8]},ไม่ทราบ,9 ม.4 ต.หนองกี่ อ.หนองกี่ จ.บุรีรัมย์",
    f"3,นายเอก ชัย,{GOOD[9]},5/5/2520,10 ม.1 ต.บ้านยาง จ.บุรีรัมย์",
    f"4,นางดาว ใจดี,{GOOD[10]},6/6/2521,11 ม.1 ต.บ้านยาง จ.บุรีรัมย์",
]


def _write_xlsx(path: Path) -> None:
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
    ws = wb.add_worksheet("สมาชิก")
    ws.write_string(0, 0, TITLE)
    ws.write_row(2, 0, HEAD)
    for line, cells in XLSX_ROWS:
        for c, v in enumerate(cells):
            if v:
                ws.write_string(line - 1, c, v)
    wb.close()


def _staged(tmp_path: Path) -> tuple[duckdb.DuckDBPyConnection, list[dict]]:
    """A warehouse with raw_*, stg_*, std_* made by the real ingest and standardise, and every member unlinked."""
    rosters = tmp_path / "rosters"
    rosters.mkdir()
    _write_xlsx(rosters / f"{FUND_XLSX}.xlsx")
    (rosters / CSV_NAME).write_text("\n".join(CSV_LINES) + "\n", encoding="utf-8-sig")
    poverty = tmp_path / "tpmap.csv"
    poverty.write_text(
        "รหัสบ้าน,บ้านเลขที่,หมู่ที่,รหัสตำบล,เลขประจำตัวประชาชน,คำนำหน้า,ชื่อ,นามสกุล,ปีเกิด,บัตรสวัสดิการแห่งรัฐ,"
        "ปีสำรวจ,มิติสุขภาพ,มิติความเป็นอยู่,มิติการศึกษา,มิติรายได้,มิติการเข้าถึงบริการรัฐ\n"
        f"31010000012,99,1,310108,{cid('110010000001')},นาย,ทดสอบ,ยากจน,2500,1,2567,0,0,0,1,0\n",
        encoding="utf-8")
    con = duckdb.connect(str(tmp_path / "saphan.duckdb"))
    con.execute("create table quarantine (" + ", ".join(f'"{c.name}" {c.type}' for c in QUARANTINE.columns) + ")")
    inputs = [r.as_dict() for r in ingest_files(con, "roster", [str(rosters)], {})]  # as the manifest keeps them
    ingest_files(con, "poverty", [str(poverty)], {})
    for dataset in ("roster", "poverty"):
        standardise(con, dataset, {"warehouse": {"workers": 1}})
    con.execute("""create table links as select record_id as roster_record_id, null::bigint as poverty_record_id,
                   'unlinked' as match_method, null::double as match_score from std_roster""")
    return con, inputs


@pytest.fixture(scope="module")
def fix_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("fix")
    con, inputs = _staged(tmp)
    entries = write_fix_lists(con, tmp / "run", inputs)
    build_marts(con, KEY)
    yield con, tmp / "run", entries, inputs
    con.close()


def _sheet(path: Path) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


def test_one_workbook_per_fund_says_restricted_first(fix_run):
    _, run, entries, _ = fix_run
    assert sorted(e["path"] for e in entries) == sorted([f"fix_lists/{FUND_XLSX}.xlsx", "fix_lists/fund_nongki.xlsx"])
    for e in entries:
        rows = _sheet(run / e["path"])
        assert rows[0][0] == RESTRICTED_LINE and "restricted" in rows[0][0]
        assert rows[3] == list(HEADERS)
        assert len(rows) - 4 == e["rows"]


def test_the_workbook_lists_each_problem_at_its_line_in_the_funds_order(fix_run):
    _, run, _, _ = fix_run
    rows = _sheet(run / f"fix_lists/{FUND_XLSX}.xlsx")[4:]
    got = [(r[1], int(r[2]), r[3], r[6], r[7]) for r in rows]
    assert got == [
        ("สมาชิก", 5, "2", BAD_CHECK, PROBLEMS["cid_bad_check_digit"].wrong),
        ("สมาชิก", 6, "3", "3.31010E+12", PROBLEMS["cid_unusable"].wrong),
        ("สมาชิก", 7, "4", "30/02/2530", PROBLEMS["birth_date_impossible"].wrong),
        ("สมาชิก", 8, "5", "'=1+2", PROBLEMS["cid_wrong_length"].wrong),
        ("สมาชิก", 10, "6", f"6 | {GOOD[5]} | 02/03/2520", PROBLEMS["no_name"].wrong),
        ("สมาชิก", 11, "7", "21 4 หนองไม่มีจริง ไม่มีอำเภอนี้ บุรีรัมย์", PROBLEMS["address_unresolved"].wrong),
    ]
    assert all(r[8] for r in rows)  # what to write instead, always
    assert rows[0][5] == "เลขประจำตัวประชาชน" and rows[2][5] == "วันเกิด (วัน/เดือน/ปีเกิด)"  # its own header
    assert rows[0][4] == "นาง สมศรี มีสุข"


def test_a_formula_typed_in_a_cell_stays_text(fix_run):
    _, run, _, _ = fix_run
    path = run / f"fix_lists/{FUND_XLSX}.xlsx"
    [line8] = [r for r in _sheet(path)[4:] if int(r[2]) == 8]
    assert line8[4] == "'=HYPERLINK(\"http://x.example\",\"y\") บุญมา" and line8[6] == "'=1+2"
    with zipfile.ZipFile(path) as z:  # no formula cell anywhere in the workbook
        sheets = [z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any("<f>" in x or "<f " in x for x in sheets)


def test_csv_fund_lists_unreadable_date_and_ambiguous_address_with_the_candidates(fix_run):
    _, run, _, _ = fix_run
    rows = _sheet(run / "fix_lists/fund_nongki.xlsx")[4:]
    got = [(r[1], int(r[2]), r[5], r[7]) for r in rows]
    ambiguous = ("ที่อยู่นี้ตรงกับหลายตำบล: ตรงกับ ต.บ้านยาง อ.เมืองบุรีรัมย์ จ.บุรีรัมย์; ต.บ้านยาง อ.พุทไธสง "
                 "จ.บุรีรัมย์; ต.บ้านยาง อ.ลำปลายมาศ จ.บุรีรัมย์")  # Buri Ram has three subdistricts of this name
    assert got == [
        ("", 3, "วันเกิด (วันเดือนปีเกิด)", PROBLEMS["birth_date_unparsed"].wrong),
        ("", 4, "ที่อยู่", ambiguous),
        ("", 5, "ที่อยู่", ambiguous),
    ]


def test_fund_summary_counts_the_lines_of_each_fix_list(fix_run):
    con, _, _, _ = fix_run
    got = {r[0]: r[1:] for r in con.execute(
        "select fund, fix_lines, fix_quarantined, fix_citizen_id, fix_birth_date, fix_address from fund_summary"
    ).fetchall()}
    assert got == {FUND_XLSX: (6, 1, 3, 1, 1), "fund_nongki": (3, 0, 0, 1, 2)}


def test_same_warehouse_gives_the_same_bytes(fix_run, tmp_path):
    con, run, entries, inputs = fix_run
    again = write_fix_lists(con, tmp_path, inputs)
    assert again == entries
    for e in entries:
        assert (tmp_path / e["path"]).read_bytes() == (run / e["path"]).read_bytes()


def test_fast_rows_give_the_bytes_of_cell_by_cell_writing(fix_run, tmp_path):
    con, run, entries, _ = fix_run
    from flows.fix_lists import _headers_as_written, _items

    rows = fix_rows(_items(con), _headers_as_written([]))
    assert rows
    for fund, fund_rows in rows.items():
        _write_workbook(tmp_path / "fast.xlsx", fund, fund_rows)
        _write_workbook(tmp_path / "slow.xlsx", fund, fund_rows, fast=False)
        assert (tmp_path / "fast.xlsx").read_bytes() == (tmp_path / "slow.xlsx").read_bytes()


# Cells as fix_rows gives them (text, line numbers, a missing line), with what XML and xlsxwriter treat specially:
# empty and repeated strings, edge spaces, control characters, markup, a formula, strings over the fast rows' limit.
_CELL = st.one_of(
    st.text(max_size=40), st.integers(min_value=0, max_value=10**15), st.none(), st.booleans(),
    st.sampled_from(["", " a ", "x\x01y", "<r>t</r>", "a & b <c>", "=HYPERLINK(\"x\")", "ก" * 16_384,
                     "ข" * 40_000, "_x0041_"]),
)


@given(st.lists(st.lists(_CELL, min_size=len(HEADERS), max_size=len(HEADERS)), max_size=40))
def test_fast_rows_equal_cell_by_cell_on_varied_cells(rows):
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        fast, slow = Path(tmp) / "fast.xlsx", Path(tmp) / "slow.xlsx"
        _write_workbook(fast, "กองทุน <ทดสอบ>", rows)
        _write_workbook(slow, "กองทุน <ทดสอบ>", rows, fast=False)
        assert fast.read_bytes() == slow.read_bytes()


FILE_NAME_CASES = [
    ("กองทุนสวัสดิการชุมชนตำบลบ้านยาง", "กองทุนสวัสดิการชุมชนตำบลบ้านยาง.xlsx"),
    ("กองทุน ม.1/2", "กองทุน ม.1_2.xlsx"),
    ('a:b*c?"d"<e>|f\\g', "a_b_c_d_e_f_g.xlsx"),
    ("..", "fund.xlsx"),
    ("line\nbreak", "line_break.xlsx"),
]


@pytest.mark.parametrize(("fund", "expected"), FILE_NAME_CASES)
def test_fix_list_file_name(fund, expected):
    assert fix_list_file_names([fund]) == {fund: expected}


@given(st.lists(st.text(max_size=120), unique=True, max_size=8))
def test_file_names_are_safe_distinct_and_short(funds):
    names = fix_list_file_names(funds)
    assert list(names) == funds
    assert len({n.casefold() for n in names.values()}) == len(funds)
    for n in names.values():
        assert n.endswith(".xlsx") and len(n.encode("utf-8")) < 255 and not n.startswith(".")
        assert not set(n) & set('/\\:*?"<>|') and all(ord(ch) >= 32 and ch != "\x7f" for ch in n)
