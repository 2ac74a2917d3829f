"""parse_date: every written form of a date on a Thai roster, impossible dates, no exception on any text."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.dates import DATE_COLUMNS, birth_year_be, parse_date

D = "2024-01-05"
CASES = [
    (None, None, "missing", None),
    ("", None, "missing", None),
    ("  ", None, "missing", None),
    ("-", None, "missing", None),
    ("\u200b", None, "missing", None),
    ("5 ม.ค. 2567", D, "ok", 2567),
    ("5 ม.ค.2567", D, "ok", 2567),
    ("5ม.ค.2567", D, "ok", 2567),
    ("5 มค 2567", D, "ok", 2567),
    ("5-ม.ค.-2567", D, "ok", 2567),
    ("5 มกราคม 2567", D, "ok", 2567),
    ("5 มกราคม พ.ศ. 2567", D, "ok", 2567),
    ("5 มกราคม พ.ศ.2567", D, "ok", 2567),
    ("5 ม.ค. 67", D, "ok", 2567),
    ("๕ ม.ค. ๒๕๖๗", D, "ok", 2567),  # Thai digits
    ("5 ม.ค. ค.ศ. 2024", D, "ok", 2567),
    ("5 Jan 2024", D, "ok", 2567),
    ("05/01/2567", D, "ok", 2567),
    ("5/1/2567", D, "ok", 2567),
    ("05-01-2567", D, "ok", 2567),
    ("05.01.2567", D, "ok", 2567),
    ("05/01/2024", D, "ok", 2567),  # CE year below 2400
    ("5/1/67", D, "ok", 2567),  # 2-digit year: BE 2567
    ("5/1/98", "1955-01-05", "ok", 2498),  # 2-digit year above the pivot: BE 2498
    ("5/1/70", "2027-01-05", "ok", 2570),
    ("5/1/71", "1928-01-05", "ok", 2471),
    ("2024-01-05", D, "ok", 2567),
    ("2567-01-05", D, "ok", 2567),
    ("2024-01-05 00:00:00", D, "ok", 2567),  # what a spreadsheet reader gives
    ("2024-01-05T00:00:00", D, "ok", 2567),
    ("2024/1/5", D, "ok", 2567),
    ("20240105", D, "ok", 2567),
    ("45296", D, "ok", 2567),  # Excel serial, 1900 system
    ("45296.0", D, "ok", 2567),
    ("45296.75", D, "ok", 2567),  # with a time of day
    (" 05/01/2567 ", D, "ok", 2567),
    ("29 ก.พ. 2567", "2024-02-29", "ok", 2567),  # leap year, checked in CE
    ("2510", None, "ok", 2510),  # bare BE year
    ("1967", None, "ok", 2510),  # bare CE year
    ("๒๕๑๐", None, "ok", 2510),
    ("พ.ศ. 2510", None, "ok", 2510),
    ("2510.0", None, "ok", 2510),
    ("00/00/2510", None, "ok", 2510),  # registry's unknown day and month
    ("00/05/2510", None, "ok", 2510),
    ("31/02/2567", None, "impossible", None),
    ("29/02/2566", None, "impossible", None),
    ("05/13/2567", None, "impossible", None),  # month 13: never read as mm/dd
    ("32/01/2567", None, "impossible", None),
    ("31 เม.ย. 2567", None, "impossible", None),
    ("2567-13-01", None, "impossible", None),
    ("05/01/1500", None, "impossible", None),
    ("1500", None, "impossible", None),
    ("abc", None, "unparsed", None),
    ("5 มคx 2567", None, "unparsed", None),
    ("12", None, "unparsed", None),
    ("ไม่ทราบ", None, "unparsed", None),
]


@pytest.mark.parametrize(("raw", "iso", "status", "year_be"), CASES)
def test_parse_date(raw, iso, status, year_be):
    assert parse_date(raw) == {"date": iso, "date_status": status, "birth_year_be": year_be}


@pytest.mark.parametrize(
    ("raw", "expected"), [("2510", 2510), ("1967", 2510), ("5 ม.ค. 2510", 2510), (None, None)]
)
def test_birth_year_be(raw, expected):
    assert birth_year_be(raw) == expected


def test_columns():
    assert [n for n, _ in DATE_COLUMNS] == ["date", "date_status", "birth_year_be"]


@settings(deadline=None, max_examples=500)
@given(st.text() | st.integers() | st.none())
def test_never_raises(raw):
    r = parse_date(raw)
    assert r["date_status"] in ("ok", "missing", "impossible", "unparsed")
    assert (r["date"] is None) or r["date_status"] == "ok"


@settings(deadline=None, max_examples=500)
@given(st.from_regex(r"\A\d{1,2}[ /.\-]?(ม\.ค\.|ก\.พ\.|มีนาคม|\d{1,2})[ /.\-]?\d{2,4}\Z"))
def test_never_raises_on_date_shapes(raw):
    assert parse_date(raw)["date_status"] in ("ok", "impossible", "unparsed")
