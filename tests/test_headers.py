import pytest

from schemas.synonyms import load_header_synonyms
from transforms.headers import find_header_row, header_key, map_headers

SYN = load_header_synonyms()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("ชื่อ", "first_name"),
        (" นามสกุล ", "last_name"),
        ("ชื่อ - สกุล", "full_name"),
        ("ชื่อ-สกุล", "full_name"),
        ("เลขบัตรประชาชน", "citizen_id"),
        ("เลขประจำตัวประชาชน", "citizen_id"),
        ("\ufeffคำนำหน้า", "title"),  # a BOM glued to the first header
        ("หมู่ที่", "village_no"),
        ("First Name", "first_name"),
        ("CITIZEN_ID", "citizen_id"),
        ("ตำบล\u200b", "subdistrict"),
        ("รหัสบ้าน", "house_code"),
        ("มิติรายได้", "dim_income"),
    ],
)
def test_synonyms_map_headers_people_write(header, expected):
    assert map_headers([header], SYN) == {0: expected}


@pytest.mark.parametrize("header", ["", None, "   ", "หมายเหตุ", "ลำดับ"])
def test_unknown_or_blank_headers_stay_unmapped(header):
    assert map_headers([header], SYN) == {}


def test_first_header_wins_when_two_name_the_same_column():
    assert map_headers(["เลขบัตร", "บัตรประชาชน"], SYN) == {0: "citizen_id"}


def test_override_beats_synonym():
    assert map_headers(["ชื่อผู้สมัคร", "ชื่อ"], SYN, {"ชื่อผู้สมัคร": "full_name"}) == {0: "full_name", 1: "first_name"}


def test_header_found_below_title_lines():
    rows = [
        ["ทะเบียนสมาชิกกองทุนสวัสดิการชุมชนตำบลในเมือง", None, None],
        ["ข้อมูล ณ วันที่ 1 ม.ค. 2567", None, None],
        [None, None, None],
        ["ลำดับ", "ชื่อ", "นามสกุล"],
        ["1", "สมชาย", "ใจดี"],
    ]
    assert find_header_row(rows, SYN) == 3


def test_no_header_when_nothing_is_known():
    assert find_header_row([["a", "b"], ["1", "2"]], SYN) is None
    assert find_header_row([], SYN) is None


def test_a_title_naming_one_column_is_not_a_header():
    assert find_header_row([["ชื่อ"], ["x"]], SYN) is None


def test_header_key_is_stable():
    assert header_key(None) == ""
    assert header_key(header_key("  A  B ")) == header_key("  A  B ")
