"""date_habit and looks_like_date: a column's order and era from its values, and the evidence line."""

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.date_habit import date_habit, looks_like_date
from transforms.dates import parse_date

HABITS = [
    # (values, order, era, decided, evidence)
    (["14/03/2510", "05/01/2511", "", None], "dmy", "BE", True,
     "day first: 14/03/2510 has a first part over 12; era BE: 2 of 2 years are 2400 or later"),
    (["03/14/1967", "01/02/1970", "12/25/1980"], "mdy", "CE", True,
     "month first: 03/14/1967 has a second part over 12; era CE: 3 of 3 years are 1900-2100"),
    (["1/5/1967 0:00", "1/14/1967 0:00", "2/3/1970 0:00"], "mdy", "CE", True,  # CSV saved by an English Excel
     "month first: 01/14/1967 has a second part over 12; era CE: 3 of 3 years are 1900-2100"),
    (["03/14/1967", "14/02/1970", "15/02/1970"], "dmy", "CE", False,
     "undecided: first part over 12 in 2 values, second part over 12 in 1; read day first; "
     "era CE: 3 of 3 years are 1900-2100"),
    (["03/04/67", "01/02/70"], "dmy", None, False, "undecided: no part over 12; read day first; era unknown"),
    (["๑๔/๐๓/๒๕๑๐", "1/1/2510"], "dmy", "BE", True,
     "day first: 14/03/2510 has a first part over 12; era BE: 2 of 2 years are 2400 or later"),
    (["14.3.10", "5.1.2510"], "dmy", "BE", True,
     "day first: 14/03/10 has a first part over 12; era BE: 1 of 1 years are 2400 or later"),
    (["5 ม.ค. 2510", "2510", "14 มี.ค. 11"], None, "BE", True,
     "no dates written as numbers: order does not matter; era BE: 2 of 2 years are 2400 or later"),
    (["2510-03-14", "2510-01-02"], "ymd", "BE", True,
     "year first: 2510-03-14 starts with the year; era BE: 2 of 2 years are 2400 or later"),
    # Excel date cells do not vote on the era of what was typed by hand
    (["2024-01-05 00:00:00", "5/1/67", "2/3/10"], "dmy", None, False,
     "undecided: no part over 12; read day first; era unknown"),
    (["05/01/2510", "06/01/1967"], "dmy", None, False,
     "undecided: no part over 12; read day first; era unknown: 1 BE and 1 CE years"),
    ([], None, None, True, "no dates written as numbers: order does not matter; era unknown"),
    (["1/14/67", "2/3/70"], "mdy", "CE", True,  # m/d/yy from an English Excel: CE, not 2567 BE
     "month first: 01/14/67 has a second part over 12; era CE: month first is an English-locale habit"),
    (["14/1/67", "2/3/70"], "dmy", None, True, "day first: 14/01/67 has a first part over 12; era unknown"),
]


@pytest.mark.parametrize(("values", "order", "era", "decided", "evidence"), HABITS)
def test_date_habit(values, order, era, decided, evidence):
    h = date_habit(values)
    assert (h["order"], h["era"], h["decided"], h["evidence"]) == (order, era, decided, evidence)


@pytest.mark.parametrize(
    ("values", "readable"),
    [
        (["14/03/2510", "05/01/2511", "31/02/2510", "ไม่ทราบ", ""], 0.5),
        (["03/14/1967", "01/02/1970"], 1.0),  # read month first: both exist
        (["03/14/1967", "14/02/1970"], 0.5),  # undecided, read day first: 03/14 cannot exist
        ([], 0.0),
    ],
)
def test_readable_share(values, readable):
    assert date_habit(values)["readable"] == readable


@pytest.mark.parametrize(
    ("values", "numbers", "share"),
    [
        (["14/03/2510", "5 ม.ค. 10", "31000", ""], False, 2 / 3),  # a postal code is no date
        (["14/03/2510", "5 ม.ค. 10", "31000", ""], True, 1.0),
        (["03/14/1967", "2024-01-05 00:00:00"], False, 1.0),  # any order counts
        (["นาย", "12/3", "45 ปี", "3101234567893"], False, 0.0),
        ([], False, 0.0),
    ],
)
def test_looks_like_date(values, numbers, share):
    assert looks_like_date(values, numbers=numbers) == share


_DATES = st.dates(min_value=date(1932, 1, 1), max_value=date(2026, 12, 31))


@settings(deadline=None, max_examples=200)
@given(st.lists(_DATES, max_size=30), _DATES.filter(lambda d: d.day > 12), st.booleans(), st.randoms())
def test_a_day_first_column_is_never_swapped(dates, telling, be, rnd):
    # One value with a first part over 12 decides day first: every date then reads back as written.
    dates = [*dates, telling]
    rnd.shuffle(dates)
    written = [f"{d.day:02d}/{d.month:02d}/{d.year + 543 if be else d.year}" for d in dates]
    h = date_habit(written)
    assert (h["order"], h["decided"], h["era"]) == ("dmy", True, "BE" if be else "CE")
    assert [parse_date(w, order=h["order"], era=h["era"])["date"] for w in written] == [d.isoformat() for d in dates]


@settings(deadline=None, max_examples=200)
@given(st.lists(_DATES, max_size=30), _DATES.filter(lambda d: d.day > 12), st.randoms())
def test_a_month_first_column_reads_back(dates, telling, rnd):
    dates = [*dates, telling]
    rnd.shuffle(dates)
    written = [f"{d.month}/{d.day}/{d.year % 100:02d}" for d in dates]  # Excel's m/d/yy
    h = date_habit(written)
    assert (h["order"], h["decided"]) == ("mdy", True)
    assert [parse_date(w, order=h["order"], era=h["era"])["date"] for w in written] == [d.isoformat() for d in dates]


@settings(deadline=None, max_examples=300)
@given(st.lists(st.text(max_size=20) | st.none() | st.integers().map(str), max_size=20))
def test_any_values_in_no_exception_out_and_one_example_at_most(values):
    h = date_habit(values)
    assert h["order"] in ("dmy", "mdy", "ymd", None) and h["era"] in ("BE", "CE", None)
    assert 0.0 <= h["readable"] <= 1.0 and 0.0 <= looks_like_date(values) <= 1.0
    assert len(re.findall(r"\d+[/-]\d+[/-]\d+", h["evidence"])) <= 1


def test_evidence_shows_no_cell_text():
    # The example is rebuilt from its numbers: text around a date in the cell never reaches the evidence.
    h = date_habit(["14/03/2510 พ.ศ.", "01/02/2510"])
    assert h["evidence"].startswith("day first: 14/03/2510 has") and "พ.ศ." not in h["evidence"]


_SHAPED = st.builds(lambda a, b, y, sep: f"{a}{sep}{b}{sep}{y}", st.integers(0, 99).map(str) | st.just("07"),
                    st.integers(0, 99).map(lambda n: f"{n:02d}"), st.integers(0, 99999).map(str),
                    st.sampled_from(["/", "-", "."]))


@settings(deadline=None, max_examples=300)
@given(st.lists(_SHAPED | st.text(alphabet="0123456789/- ๑๒T:", max_size=16), max_size=10))
def test_the_quick_shapes_read_as_the_general_parser_reads_them(texts):
    # dd/mm/yyyy and yyyy-mm-dd skip the general parser (most dates at province scale): the same facts.
    from transforms.date_habit import _facts, _facts_parsed

    for text in [*texts, "14/03/2510", "2510-03-14", "1/1/0000", "14/3/25100", "2510-3-14", "๑๔/๐๓/๒๕๑๐"]:
        assert _facts(text) == _facts_parsed(text), text


_NAMED = st.builds(lambda d, words, y: f"{d} {' '.join(words)} {y}", st.integers(0, 999).map(str),
                   st.lists(st.sampled_from(["ม.ค.", "กุมภาพันธ์", "พ.ศ.", "ค.ศ.", "ะ", ".", "Jan", "๑๒"]),
                            min_size=1, max_size=3), st.integers(0, 99999).map(str))


@settings(deadline=None, max_examples=300)
@given(st.lists(_NAMED | st.text(alphabet="0123456789 .มคศพ.ะ", max_size=16), max_size=10))
def test_thai_month_words_read_as_the_general_parser_reads_them(texts):
    # "28 ม.ค. 2503", "14 กุมภาพันธ์ พ.ศ. 2525" skip the general parser too: the same facts.
    from transforms.date_habit import _facts, _facts_parsed

    for text in [*texts, "28 ม.ค. 2503", "14 กุมภาพันธ์ พ.ศ. 2525", "28 ม.ค. 25031", "28  ม.ค. 2503",
                 "28 ม.ค. ค.ศ. 1960", "28 ม.ค. 2503 12:00", "123 ม.ค. 2503"]:
        assert _facts(text) == _facts_parsed(text), text


def test_readable_can_be_left_out():
    assert date_habit(["14/03/2510"], readable=False) == {**date_habit(["14/03/2510"]), "readable": None}
