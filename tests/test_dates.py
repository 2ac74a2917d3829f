"""parse_date: every written form of a date on a Thai roster, impossible dates, no exception on any text."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.dates import DATE_COLUMNS, birth_year_be, numeric_parts, parse_date

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
    # Added for issue 13: forms seen on rosters from other offices.
    ("5.1.2510", "1967-01-05", "ok", 2510),  # dots
    ("5 ม.ค.10", "1967-01-05", "ok", 2510),  # Thai month, 2-digit BE year, no space
    ("14 ก.พ. 2510", "1967-02-14", "ok", 2510),
    ("1 เม.ย. 10", "1967-04-01", "ok", 2510),
    ("31 ธ.ค. 2499", "1956-12-31", "ok", 2499),
    ("5 พ.ย. 2510", "1967-11-05", "ok", 2510),  # พ.ย. is not พ.ศ.
    ("5 พฤศจิกายน 2510", "1967-11-05", "ok", 2510),
    ("5 ธันวาคม พ.ศ.2510", "1967-12-05", "ok", 2510),
    ("5 มกราคมพ.ศ.2567", D, "ok", 2567),
    ("05/01/2567 พ.ศ.", D, "ok", 2567),  # era word at the end
    ("พ.ศ. 05/01/2567", D, "ok", 2567),  # era word first
    ("วันที่ 5 มกราคม 2567", D, "ok", 2567),
    ("วันศุกร์ที่ 5 มกราคม พ.ศ. 2567", D, "ok", 2567),
    ("5 ม.ค. 2567 10:30 น.", D, "ok", 2567),
    ("ม.ค. 2510", None, "ok", 2510),  # month and year only: the year
    ("5 January 2024", D, "ok", 2567),
    ("January 5, 2024", D, "ok", 2567),
    ("Jan 5 2024", D, "ok", 2567),
    ("5th Jan 2024", D, "ok", 2567),
    ("05-Jan-2024", D, "ok", 2567),
    ("5-Jan-24", D, "ok", 2567),  # Excel's d-mmm-yy: an English month's 2-digit year is CE
    ("Sept. 5, 2024", "2024-09-05", "ok", 2567),
    ("September 2024", None, "ok", 2567),
    ("5/1/2024 A.D.", D, "ok", 2567),
    ("5 Jan 2024 B.E.", None, "impossible", None),  # BE 2024 is 1481 CE: said, not corrected
    ("5/1/2567 ค.ศ.", None, "impossible", None),
    ("5 ม.ค. 2567 ค.ศ. พ.ศ.", None, "unparsed", None),  # the value contradicts itself
    ("2024-01-05 00:00:00.000", D, "ok", 2567),
    ("5/1/2567 0:00", D, "ok", 2567),  # CSV saved by Excel with a time
    ("05012567", D, "ok", 2567),  # ddmmyyyy: the first four digits are no year
    ("25670105", D, "ok", 2567),
    ("24012543", "2000-01-24", "ok", 2543),  # 2401 could be a BE year, but 2401-25-43 cannot exist
    ("10000", "1927-05-18", "ok", 2470),  # smallest 5-digit serial
    ("14/13/2510", None, "impossible", None),
    ("00/00/67", None, "ok", 2567),
    ("Jan 2510", None, "ok", 2510),  # not Jan 25, (25)10
    ("B.E.", None, "missing", None),
    ("bed 5", None, "unparsed", None),  # "be" inside a word is no era
    ("พ.ศ.", None, "missing", None),  # a form's printed era with no year filled in
    ("2024-01-05 noon", None, "unparsed", None),
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


# The same text read with the column's habit (order, era, epoch): date_habit decides these per column.
HABIT_CASES = [
    ("01/14/1967", {"order": "mdy"}, "1967-01-14", "ok"),  # CSV saved by an English Excel
    ("1/14/1967", {"order": "mdy"}, "1967-01-14", "ok"),
    ("01/05/2024", {"order": "mdy"}, "2024-01-05", "ok"),
    ("12/31/2510", {"order": "mdy"}, "1967-12-31", "ok"),
    ("1/5/24 0:00", {"order": "mdy", "era": "CE"}, "2024-01-05", "ok"),
    ("14/01/1967", {"order": "mdy"}, None, "impossible"),  # never swapped back to fit
    ("01/05/2024", {"order": "dmy"}, "2024-05-01", "ok"),
    ("01/05/2024", {"order": None}, "2024-05-01", "ok"),  # None: day first
    ("2024-01-05", {"order": "mdy"}, D, "ok"),  # a 4-digit first part is always the year
    ("5 ม.ค. 2567", {"order": "mdy"}, D, "ok"),  # a month in words needs no habit
    ("Jan 5, 2024", {"order": "dmy"}, D, "ok"),
    ("67/01/05", {"order": "ymd"}, D, "ok"),
    ("2567.01.05", {"order": "ymd"}, D, "ok"),
    ("5/1/67", {"era": "CE"}, "1967-01-05", "ok"),  # 2-digit year with a CE column
    ("5/1/24", {"era": "CE"}, D, "ok"),
    ("5/1/27", {"era": "CE"}, "2027-01-05", "ok"),
    ("5/1/28", {"era": "CE"}, "1928-01-05", "ok"),
    ("5/1/67", {"era": "BE"}, D, "ok"),
    ("5 ม.ค. 67", {"era": "CE"}, "1967-01-05", "ok"),  # the column's era wins over the month's script
    ("5-Jan-67", {"era": "BE"}, D, "ok"),
    ("5/1/2510", {"era": "CE"}, "1967-01-05", "ok"),  # a 4-digit year says its own era
    ("5/1/1967", {"era": "BE"}, "1967-01-05", "ok"),
    ("5/1/67 พ.ศ.", {"era": "CE"}, D, "ok"),  # the value's own era word wins over the column's
    ("43834", {"epoch": 1904}, D, "ok"),  # Mac Excel's 1904 date system: day 0 = 1904-01-01
    ("43834.0", {"epoch": 1904}, D, "ok"),
    ("23376", {"epoch": 1904}, "1968-01-01", "ok"),
    ("45296", {"epoch": 1900}, D, "ok"),
    ("24838", {"epoch": 1900}, "1968-01-01", "ok"),
    ("45296", {"epoch": None}, D, "ok"),  # a lookup row with no epoch: 1900
    ("01/14/1967", {"order": "mdy", "era": None, "epoch": None}, "1967-01-14", "ok"),
]


@pytest.mark.parametrize(("raw", "habit", "iso", "status"), HABIT_CASES)
def test_parse_date_with_a_column_habit(raw, habit, iso, status):
    r = parse_date(raw, **habit)
    assert (r["date"], r["date_status"]) == (iso, status)
    # positionally, as apply_distinct calls a lookup's function with the row's inputs
    args = (habit.get("order", "dmy"), habit.get("era"), habit.get("epoch", 1900))
    assert parse_date(raw, *args) == r


@pytest.mark.parametrize(
    ("raw", "parts"),
    [("14/03/2510", (14, 3, "2510")), ("3.14.67", (3, 14, "67")), ("14032510", (14, 3, "2510")),
     ("2510-03-14", None), ("5 ม.ค. 2510", None), ("45296", None), (None, None), ("14/03/2510 พ.ศ.", (14, 3, "2510"))],
)
def test_numeric_parts(raw, parts):
    assert numeric_parts(raw) == parts


@settings(deadline=None, max_examples=300)
@given(st.text() | st.integers() | st.none(), st.sampled_from(["dmy", "mdy", "ymd", None]),
       st.sampled_from(["BE", "CE", None]), st.sampled_from([1900, 1904]))
def test_never_raises_with_any_habit(raw, order, era, epoch):
    r = parse_date(raw, order=order, era=era, epoch=epoch)
    assert r["date_status"] in ("ok", "missing", "impossible", "unparsed")
    assert (r["date"] is None) or r["date_status"] == "ok"


_TH_ABBR = ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."]
_TH_FULL = ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม", "กันยายน",
            "ตุลาคม", "พฤศจิกายน", "ธันวาคม"]
_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def _forms(d: date) -> list[tuple[str, dict]]:
    """One date in every form the parser reads, each with the habit its column would have."""
    be, yy = d.year + 543, f"{(d.year + 543) % 100:02d}"
    cy = f"{d.year % 100:02d}"
    m = d.month
    return [
        (f"{d.day:02d}/{m:02d}/{be}", {}), (f"{d.day}/{m}/{d.year}", {}), (f"{d.day}.{m}.{be}", {}),
        (f"{d.day}-{m}-{yy}", {}), (f"{d.day}/{m}/{cy}", {"era": "CE"}),
        (f"{m:02d}/{d.day:02d}/{d.year}", {"order": "mdy"}),
        (f"{m}/{d.day}/{cy}", {"order": "mdy", "era": "CE"}), (d.isoformat(), {"order": "mdy"}),
        (f"{d.isoformat()} 00:00:00", {}), (f"{d.isoformat()}T00:00:00", {}), (f"{be}-{m:02d}-{d.day:02d}", {}),
        (f"{d.day} {_TH_ABBR[m - 1]} {be}", {}), (f"{d.day} {_TH_ABBR[m - 1]}{yy}", {}),
        (f"{d.day} {_TH_FULL[m - 1]} พ.ศ. {be}", {}), (f"{d.day} {_TH_FULL[m - 1]} {be}".translate(_THAI_DIGITS), {}),
        (f"{d.day} {_EN[m - 1]} {d.year}", {}), (f"{_EN[m - 1]} {d.day}, {d.year}", {}),
        (f"{d.day}-{_EN[m - 1]}-{cy}", {}), (d.strftime("%Y%m%d"), {}), (f"{d.day:02d}{m:02d}{be}", {}),
        (str((d - date(1899, 12, 30)).days), {}), (str((d - date(1904, 1, 1)).days), {"epoch": 1904}),
    ]


_REAL_DATES = st.dates(min_value=date(1932, 1, 1), max_value=date(2026, 12, 31))


@settings(deadline=None, max_examples=300)
@given(_REAL_DATES, st.integers(min_value=0, max_value=21))
def test_every_form_reads_back_to_its_date(d, form):
    text, habit = _forms(d)[form]
    assert parse_date(text, **habit) == {"date": d.isoformat(), "date_status": "ok", "birth_year_be": d.year + 543}


def test_forms_cover_mdy_serials_and_two_digit_years():
    forms = _forms(date(1967, 3, 14))
    assert ("03/14/1967", {"order": "mdy"}) in forms and ("23083", {"epoch": 1904}) in forms
    assert ("14 มี.ค.10", {}) in forms and ("24545", {}) in forms and ("14/3/67", {"era": "CE"}) in forms
