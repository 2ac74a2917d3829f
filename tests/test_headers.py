"""What a header alone says (transforms/headers.py) and which line is the header (transforms/reading.py)."""

import pytest

from schemas.synonyms import load_header_synonyms
from transforms.headers import header_key, header_role
from transforms.reading import find_header

SYN = load_header_synonyms()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("ชื่อ", "first_name"),
        (" นามสกุล ", "last_name"),
        ("ชื่อ - สกุล", "full_name"),
        ("ชื่อ-สกุล", "full_name"),
        ("ชื่อ-นามสกุล", "full_name"),
        ("ชื่อสกุล", "last_name"),  # the formal word for surname; content turns it into full_name when it is
        ("เลขบัตรประชาชน", "citizen_id"),
        ("เลขประจำตัวประชาชน", "citizen_id"),
        ("เลขประจำตัวประชาชน (13 หลัก)", "citizen_id"),
        ("เลขที่บัตร", "citizen_id"),
        ("\ufeffคำนำหน้า", "title"),  # a BOM glued to the first header
        ("คำนำหน้านาม", "title"),
        ("หมู่ที่", "village_no"),
        ("First Name", "first_name"),
        ("CITIZEN_ID", "citizen_id"),
        ("ID Card No.", "citizen_id"),
        ("Date of Birth", "birth_date"),
        ("House No.", "house_no"),
        ("Sub-district", "subdistrict"),
        ("วัน/เดือน/ปีเกิด", "birth_date"),
        ("ว/ด/ป เกิด", "birth_date"),
        ("วันเดือนปีเกิด (พ.ศ.)", "birth_date"),
        ("ปีเกิด", "birth_year"),
        ("อายุ (ปี)", "age"),
        ("PRENAME", "title"),
        ("LNAME", "last_name"),
        ("BDATE", "birth_date"),
        ("DIM1", "dim_health"),
        ("ตำบล\u200b", "subdistrict"),
        ("ต.", "subdistrict"),
        ("อ.", "district"),
        ("จ.", "province"),
        ("รหัสบ้าน", "house_code"),
        ("มิติรายได้", "dim_income"),
        ("ลำดับ", "row_number"),
        ("หมายเหตุ", "ignored"),
        ("เบอร์โทรศัพท์มือถือ", "phone"),
        ("ที่อยู่ปัจจุบัน", "full_address"),
    ],
)
def test_headers_people_write_name_their_role(header, expected):
    assert header_role(header, SYN) == expected


@pytest.mark.parametrize("header", ["", None, "   ", "ข้อมูล 1", "Column3"])
def test_unknown_or_blank_headers_give_no_role(header):
    assert header_role(header, SYN) is None


def test_a_source_mapping_beats_the_synonyms():
    assert header_role("ชื่อผู้สมัคร", SYN, {"ชื่อผู้สมัคร": "full_name"}) == "full_name"
    assert header_role("ชื่อ", SYN, {"ชื่อ": "full_name"}) == "full_name"


def test_header_found_below_title_lines():
    rows = [
        ["ทะเบียนสมาชิกกองทุนสวัสดิการชุมชนตำบลในเมือง", None, None],
        ["ข้อมูล ณ วันที่ 1 ม.ค. 2567", None, None],
        [None, None, None],
        ["ลำดับ", "ชื่อ", "นามสกุล"],
        ["1", "สมชาย", "ใจดี"],
    ]
    assert find_header(rows, SYN) == ([3], ["ลำดับ", "ชื่อ", "นามสกุล"])


def test_a_header_over_two_lines_with_merged_group_cells():
    rows = [
        ["ลำดับ", "ชื่อ - สกุล", None, None, "เลขประจำตัวประชาชน", "ที่อยู่", None],
        [None, "คำนำหน้า", "ชื่อ", "สกุล", None, "บ้านเลขที่", "หมู่ที่"],
        ["1", "นาย", "สมชาย", "ใจดี", "3310100123457", "12", "3"],
    ]
    lines, cells = find_header(rows, SYN)
    assert lines == [0, 1]
    assert cells == ["ลำดับ", "คำนำหน้า", "ชื่อ", "สกุล", "เลขประจำตัวประชาชน", "บ้านเลขที่", "หมู่ที่"]


def test_the_config_can_name_the_header_lines():
    rows = [["a", "b"], ["ชื่อ", "นามสกุล"], ["x", "y"]]
    assert find_header(rows, SYN, header_rows=[1]) == ([0], ["a", "b"])


def test_no_header_when_nothing_is_known():
    assert find_header([["a", "b"], ["1", "2"]], SYN) is None
    assert find_header([], SYN) is None


def test_a_title_naming_one_column_is_not_a_header():
    assert find_header([["ชื่อ"], ["x"]], SYN) is None


def test_header_key_is_stable():
    assert header_key(None) == ""
    assert header_key(header_key("  A  B ")) == header_key("  A  B ")
