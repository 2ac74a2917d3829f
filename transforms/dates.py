"""Parse dates as Thai rosters write them: Thai and English months, BE/CE years, any numeric order, Excel.

Rules:
  * A 4-digit year >= 2400 is Buddhist Era (BE = CE + 543), below 2400 Christian Era. "พ.ศ."/"ค.ศ."/"B.E."/
    "A.D." anywhere in the value say which era the value's year is in.
  * A 2-digit year follows the column's era (``era``): BE 00-70 -> 2500-2570, 71-99 -> 2471-2499; CE 00-27 ->
    2000-2027, 28-99 -> 1928-1999 (fixed pivots, the same date either way, so a rerun gives the same answer;
    revisit in 2570 BE). With no column era, a 2-digit year is BE, except after an English month name
    ("5-Jan-24" is how Excel shows a CE date).
  * Numbers are read in the column's order (``order``): "dmy" (Thai habit, the default), "mdy" (CSV saved by
    an English Excel), "ymd". A 4-digit first part is always a year (ISO).
  * A bare 4-digit year ("2510", "1967", "พ.ศ. 2510"), a month and year ("ม.ค. 2510") or day/month 00
    ("00/00/2510", unknown in the civil registry) gives birth_year_be with date None and status 'ok'.
  * A 5-digit number is an Excel serial day: 1900 system (``epoch=1900``, day 0 = 1899-12-30 once Excel's
    phantom 29 Feb 1900 is allowed for) or 1904 system (``epoch=1904``, day 0 = 1904-01-01). A time is ignored.
  * A date that cannot exist (31/02/2567, month 13, year before 1800 CE) is 'impossible', never guessed.

A column's order and era come from its values: ``transforms.date_habit.date_habit``.
"""

import re
import unicodedata
from datetime import date, timedelta
from typing import Any

from transforms.thai_text import thai_digits_to_arabic

__all__ = ["DATE_COLUMNS", "ORDERS", "birth_year_be", "numeric_parts", "parse_date"]

DATE_COLUMNS: list[tuple[str, str]] = [
    ("date", "DATE"), ("date_status", "VARCHAR"), ("birth_year_be", "INTEGER"),
]
ORDERS = ("dmy", "mdy", "ymd")
BE_OFFSET = 543
TWO_DIGIT_PIVOT = 70  # BE: 00-70 -> 25xx
CE_TWO_DIGIT_PIVOT = 27  # CE: 00-27 -> 20xx; 2570 BE = 2027 CE, so both eras read a 2-digit year alike
_THAI_MONTHS = [
    ("มกราคม", "มค", "มกรา"), ("กุมภาพันธ์", "กพ", "กุมภา"), ("มีนาคม", "มีค", "มีนา"), ("เมษายน", "เมย", "เมษา"),
    ("พฤษภาคม", "พค", "พฤษภา"), ("มิถุนายน", "มิย", "มิถุนา"), ("กรกฎาคม", "กค", "กรกฎา"),
    ("สิงหาคม", "สค", "สิงหา"), ("กันยายน", "กย", "กันยา"), ("ตุลาคม", "ตค", "ตุลา"),
    ("พฤศจิกายน", "พย", "พฤศจิกา"), ("ธันวาคม", "ธค", "ธันวา"),
]
_ENGLISH_MONTHS = [
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
    ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
    ("dec", "december"),
]
_MONTHS = {name: i for table in (_THAI_MONTHS, _ENGLISH_MONTHS) for i, names in enumerate(table, 1) for name in names}
# An era word anywhere: Thai with or without dots and spaces, or Latin as a word of its own.
_ERA = re.compile(r"(?:ปี\s*)?(พ\.?\s*ศ\.?|ค\.?\s*ศ\.?)|(?<![a-z])(b\.?\s?e\.?|a\.?\s?d\.?|c\.?\s?e\.?)(?![a-z])",
                  re.IGNORECASE)
_ERA_LETTERS = frozenset("bBaAcC")
_TIME = r"(?:[T\s]+\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?\s*(?:น\.|am|pm)?)?"  # "00:00:00", "T00:00:00"
_YEAR_FIRST = re.compile(rf"^(\d{{4}})\s*([-/.])\s*(\d{{1,2}})\s*\2\s*(\d{{1,2}}){_TIME}$", re.IGNORECASE)
_NUMERIC = re.compile(rf"^(\d{{1,2}})\s*[-/.]\s*(\d{{1,2}})\s*[-/.]\s*(\d{{4}}|\d{{2}}){_TIME}$", re.IGNORECASE)
_COMPACT = re.compile(r"^(\d{8})$")
_SERIAL = re.compile(r"^(\d{5})(?:\.\d+)?$")
_YEAR = re.compile(r"^(\d{4})(?:\.0+)?$")
_WORD = r"([^\d\s,.\-/][^\d,]*?)"  # a month word: starts with a letter, may hold dots (ม.ค.)
_SEP = r"\s*[-/.,]?\s*"
_DAY_MONTH_YEAR = re.compile(rf"^(\d{{1,2}})(?:st|nd|rd|th)?{_SEP}{_WORD}{_SEP}(\d{{4}}|\d{{2}}){_TIME}$", re.I)
_GAP = r"(?:\s*[-/.,]\s*|\s+)"  # between two numbers a separator is needed: "Jan 2510" is no Jan 25, (25)10
_MONTH_DAY_YEAR = re.compile(rf"^{_WORD}{_SEP}(\d{{1,2}})(?:st|nd|rd|th)?{_GAP}(\d{{4}}|\d{{2}}){_TIME}$", re.I)
_MONTH_YEAR = re.compile(rf"^{_WORD}{_SEP}(\d{{4}}|\d{{2}})$")
_DAY_PREFIX = re.compile(r"^(?:วัน\S*\s*)?ที่\s*")  # "วันที่ 5 ...", "วันจันทร์ที่ 5 ..."
_MONTH_DROP = re.compile(r"[.\s]")
_SPACES = re.compile(r"\s+")
_BLANKISH = re.compile(r"^[\s\-–—_./?]*$")
_EPOCHS = {1900: date(1899, 12, 30), 1904: date(1904, 1, 1)}


def _result(d: date | None, status: str, year_be: int | None = None) -> dict[str, Any]:
    if d is not None:
        year_be = d.year + BE_OFFSET
    return {"date": d.isoformat() if d else None, "date_status": status, "birth_year_be": year_be}


def _year_ce(year: str, own_era: str | None, column_era: str | None = None) -> int:
    """CE year of a written year. ``own_era`` is the value's own era word; ``column_era`` the column's, which
    only a 2-digit year needs (a 4-digit year says its era by its size)."""
    y = int(year)
    if len(year) <= 2:
        if (own_era or column_era) == "CE":
            return y + (2000 if y <= CE_TWO_DIGIT_PIVOT else 1900)
        return y + (2500 if y <= TWO_DIGIT_PIVOT else 2400) - BE_OFFSET
    if own_era == "CE":
        return y
    return y - BE_OFFSET if y >= 2400 or own_era == "BE" else y


def _build(year: str, month: int, day: int, own_era: str | None, column_era: str | None = None) -> dict[str, Any]:
    ce = _year_ce(year, own_era, column_era)
    if ce < 1800 or ce > 2200 or month > 12:
        return _result(None, "impossible")
    if day == 0 or month == 0:  # 00/00/2510: the registry's "day unknown"; keep the year, guess nothing
        return _result(None, "ok" if day == 0 else "impossible", ce + BE_OFFSET)
    try:
        return _result(date(ce, month, day), "ok")
    except ValueError:
        return _result(None, "impossible")


def _clean(raw: Any) -> str | None:
    """The value as one line of ASCII digits and single spaces, or None when blank."""
    if raw is None:
        return None
    text = str(raw).strip()
    if not text.isascii():
        text = unicodedata.normalize("NFC", thai_digits_to_arabic(text)).replace("\u200b", "").strip()
    if _BLANKISH.match(text):
        return None
    return _SPACES.sub(" ", text)


def _strip_era(text: str) -> tuple[str, str | None]:
    """The text without its era words, and the era they name (None when there are none, or they disagree)."""
    if "ศ" not in text and _ERA_LETTERS.isdisjoint(text):  # most values: skip the search (half the cost)
        return text, None
    eras = set()
    for m in _ERA.finditer(text):
        word = (m.group(1) or m.group(2)).lower()
        eras.add("BE" if word[0] in "พb" else "CE")
    if not eras:
        return text, None
    text = _SPACES.sub(" ", _ERA.sub(" ", text)).strip(" ,")
    return text, eras.pop() if len(eras) == 1 else "mixed"


def numeric_parts(raw: Any) -> tuple[int, int, str] | None:
    """(first, second, year) of a date written as three numbers with the year last, else None.

    This is the shape whose day/month order is a column habit. Example: ``numeric_parts("14/03/2510")`` ->
    ``(14, 3, "2510")``; ``numeric_parts("2510-03-14")`` -> None (year first: always year, month, day).
    """
    text = _clean(raw)
    if text is None:
        return None
    text = _strip_era(text)[0]
    if m := _NUMERIC.match(text):
        return int(m.group(1)), int(m.group(2)), m.group(3)
    if _COMPACT.match(text) and not _compact_year_first(text):
        return int(text[:2]), int(text[2:4]), text[4:]
    return None


def _compact_year_first(text: str) -> bool:
    """8 digits that read as yyyymmdd. Never true of ddmmyyyy too: its 5th-6th digits would be a month from
    a year's first two digits (18-27), over 12."""
    y, m, d = int(text[:4]), int(text[4:6]), int(text[6:])
    return (1800 <= y <= 2200 or 2343 <= y <= 2743) and 1 <= m <= 12 and 1 <= d <= 31


def _numeric(a: int, b: int, year: str, order: str | None, own_era: str | None, era: str | None) -> dict[str, Any]:
    if order == "mdy":
        return _build(year, a, b, own_era, era)
    if order == "ymd" and len(year) == 2:  # 67/01/05 in a year-first column: year, month, day
        return _build(f"{a:02d}", b, int(year), own_era, era)
    return _build(year, b, a, own_era, era)  # dmy; a year-last date in a ymd column is read the Thai way


def _month_name(word: str) -> int | None:
    return _MONTHS.get(_MONTH_DROP.sub("", word).lower())


def _named(text: str, own_era: str | None, era: str | None) -> dict[str, Any] | None:
    """A date with its month in words, or None when no month name is found."""
    for pattern, day_at, word_at in ((_DAY_MONTH_YEAR, 1, 2), (_MONTH_DAY_YEAR, 2, 1)):
        if (m := pattern.match(text)) and (month := _month_name(m.group(word_at))):
            # Excel's 5-Jan-24 is CE; a Thai month's 67 is BE; the column's era, when known, wins over both.
            return _build(m.group(3), month, int(m.group(day_at)), own_era, era or _script_era(m.group(word_at)))
    if (m := _MONTH_YEAR.match(text)) and _month_name(m.group(1)):
        return _build(m.group(2), 1, 0, own_era, era or _script_era(m.group(1)))  # the year, as for 00/05/2510
    return None


def _script_era(month_word: str) -> str:
    return "CE" if month_word.isascii() else "BE"


def parse_date(
    raw: Any, order: str | None = "dmy", era: str | None = None, epoch: int | None = 1900
) -> dict[str, Any]:
    """{'date' (ISO), 'date_status', 'birth_year_be'} for one written date. Never raises.

    Args:
        raw: the value as written.
        order: the column's habit for numbers, "dmy" (default; also for None), "mdy" or "ymd".
        era: the column's era for 2-digit years, "BE", "CE" or None (BE).
        epoch: 1900 (default; also for None) or 1904, the workbook's date system, for Excel serial numbers.

    The parameters are positional too, so a per-distinct-value lookup keyed on (value, order, era, epoch) can
    call ``parse_date(*row)`` with nulls where a column has no habit.

    Examples:
        >>> parse_date("5 ม.ค. 2567")["date"], parse_date("05/01/67")["date"], parse_date("45296")["date"]
        ('2024-01-05', '2024-01-05', '2024-01-05')
        >>> parse_date("01/14/1967", order="mdy")["date"], parse_date("43834", epoch=1904)["date"]
        ('1967-01-14', '2024-01-05')
    """
    text = _clean(raw)
    if text is None:
        return _result(None, "missing")
    text, own_era = _strip_era(text)
    if own_era == "mixed":  # "พ.ศ. ... A.D.": the value contradicts itself
        return _result(None, "unparsed")
    if own_era and _BLANKISH.match(text):  # "พ.ศ. ....": a form's printed era, nothing filled in
        return _result(None, "missing")
    if m := _YEAR.match(text):
        ce = _year_ce(m.group(1), own_era)
        return _result(None, "ok", ce + BE_OFFSET) if 1800 <= ce <= 2200 else _result(None, "impossible")
    if m := _SERIAL.match(text):
        return _result(_EPOCHS.get(epoch or 1900, _EPOCHS[1900]) + timedelta(days=int(m.group(1))), "ok")
    if m := _YEAR_FIRST.match(text):
        return _build(m.group(1), int(m.group(3)), int(m.group(4)), own_era)
    if m := _NUMERIC.match(text):
        return _numeric(int(m.group(1)), int(m.group(2)), m.group(3), order, own_era, era)
    if m := _COMPACT.match(text):  # 20240105, or 05012567 when the first four digits are no year
        if _compact_year_first(text):
            return _build(text[:4], int(text[4:6]), int(text[6:]), own_era)
        return _numeric(int(text[:2]), int(text[2:4]), text[4:], order, own_era, era)
    found = _named(_DAY_PREFIX.sub("", text) if "ที่" in text else text, own_era, era)  # the prefix needs ที่
    return found if found is not None else _result(None, "unparsed")


def birth_year_be(raw: Any) -> int | None:
    """Birth year in BE from a year column or any date form. Example: ``birth_year_be("1967")`` -> 2510."""
    return parse_date(raw)["birth_year_be"]
