"""parse_age: ages as rosters write them, the birth-year range they give, no exception on any text."""

from datetime import date

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from transforms.ages import AGE_COLUMNS, looks_like_age, parse_age

Y = 2567  # the year (BE) the roster was written
CASES = [
    ("45", 45, "ok"),
    ("45 ปี", 45, "ok"),
    ("45ปี", 45, "ok"),
    ("๔๕ ปี", 45, "ok"),  # Thai digits
    ("45.0", 45, "ok"),  # a number cell
    (45, 45, "ok"),
    (45.0, 45, "ok"),
    ("อายุ 45 ปี", 45, "ok"),
    ("อายุ45ปี", 45, "ok"),
    ("45 ปี 3 เดือน", 45, "ok"),
    ("45 ปี 3 เดือน 12 วัน", 45, "ok"),
    ("45 yrs", 45, "ok"),
    ("45 Yrs.", 45, "ok"),
    ("45 years old", 45, "ok"),
    ("45y", 45, "ok"),
    ("3 ขวบ", 3, "ok"),
    ("6 เดือน", 0, "ok"),  # a baby: under a year
    ("18 months", 1, "ok"),
    ("0", 0, "ok"),
    ("120", 120, "ok"),
    ("121", None, "unreadable"),  # outside 0..120
    ("450", None, "unreadable"),
    ("-1", None, "unreadable"),
    ("45.5", None, "unreadable"),  # a fraction: not guessed
    ("4 5", None, "unreadable"),
    ("45 m", None, "unreadable"),  # "m" may be a sex, not months
    ("ไม่ทราบ", None, "unreadable"),
    ("14/03/2510", None, "unreadable"),  # a date is not an age
    ("", None, "missing"),
    ("  ", None, "missing"),
    ("-", None, "missing"),
    (None, None, "missing"),
]


@pytest.mark.parametrize(("raw", "age", "status"), CASES)
def test_parse_age(raw, age, status):
    r = parse_age(raw, Y)
    low, high = (Y - age - 1, Y - age) if age is not None else (None, None)
    assert r == {"age": age, "birth_year_min": low, "birth_year_max": high, "age_status": status}


def test_range_worked_example():
    # DOMAIN: aged 45 on some day of 2567 BE -> born in 2521 (birthday still to come) or 2522 (it has passed).
    assert parse_age("45 ปี", 2567) == {"age": 45, "birth_year_min": 2521, "birth_year_max": 2522, "age_status": "ok"}


def test_no_year_no_range():
    assert parse_age("45", None) == {"age": 45, "birth_year_min": None, "birth_year_max": None, "age_status": "ok"}


def test_columns():
    assert [n for n, _ in AGE_COLUMNS] == ["age", "birth_year_min", "birth_year_max", "age_status"]


@pytest.mark.parametrize(
    ("values", "share"),
    [
        (["45", "45 ปี", "นาย", "", None], 2 / 3),
        (["3101234567893", "31000"], 0.0),  # IDs and postal codes are no ages
        (["1", "2", "3"], 1.0),  # village numbers fit too: the header and other roles decide
        ([], 0.0),
    ],
)
def test_looks_like_age(values, share):
    assert looks_like_age(values) == share


@settings(deadline=None, max_examples=500)
@given(st.text() | st.integers() | st.floats() | st.none(), st.none() | st.integers(2400, 2700))
def test_never_raises(raw, year):
    r = parse_age(raw, year)
    assert r["age_status"] in ("ok", "missing", "unreadable")
    assert r["age"] is None or (0 <= r["age"] <= 120 and r["age_status"] == "ok")


_FORMS = ["{a}", "{a} ปี", "อายุ {a} ปี", "{a}.0", "{a} yrs", "{a} ปี {m} เดือน"]


@given(st.dates(min_value=date(1910, 1, 1), max_value=date(2026, 12, 31)),
       st.dates(min_value=date(2015, 1, 1), max_value=date(2026, 12, 31)), st.sampled_from(_FORMS))
def test_true_birth_year_lies_in_the_range(born, on, form):
    # Whatever day of the year the age was taken, the person's real birth year is inside the range.
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    assume(age >= 0)
    r = parse_age(form.format(a=age, m=3), on.year + 543)
    assert r["age"] == age and r["birth_year_min"] <= born.year + 543 <= r["birth_year_max"]
