"""Read an age as people write it and turn it into the birth-year range linkage compares.

Forms read: "45", "45.0" (a number cell), "45 ปี", "45ปี", "๔๕ ปี", "อายุ 45 ปี", "45 ปี 3 เดือน", "45 yrs",
"45 years", "45 y", "6 เดือน" / "18 months" (under two, in months). Someone aged A on some day of year Y (BE)
was born in Y-A-1 (birthday still to come that year) or Y-A (birthday passed): birth_year_min = Y-A-1,
birth_year_max = Y-A. An age outside 0..120, a fraction ("45.5") or anything else is 'unreadable', never
guessed; a blank is 'missing'.
"""

import re
from collections.abc import Iterable
from typing import Any

from transforms.thai_text import thai_digits_to_arabic

__all__ = ["AGE_COLUMNS", "MAX_AGE", "looks_like_age", "parse_age"]

AGE_COLUMNS: list[tuple[str, str]] = [
    ("age", "INTEGER"), ("birth_year_min", "INTEGER"), ("birth_year_max", "INTEGER"), ("age_status", "VARCHAR"),
]
MAX_AGE = 120
_YEARS_WORD = r"(?:ปี|ขวบ|yrs?\.?|years?(?:\s*old)?|y\.?)"
_MONTHS_WORD = r"(?:เดือน|ด\.|months?|mths?\.?)"  # no bare "m": "45 m" may be a sex
_DAYS_WORD = r"(?:วัน|days?)"
_AGE = re.compile(
    rf"^(?:อายุ\s*)?(\d{{1,3}})(?:\.0+)?\s*{_YEARS_WORD}?"
    rf"(?:\s*,?\s*\d{{1,2}}\s*{_MONTHS_WORD})?(?:\s*,?\s*\d{{1,2}}\s*{_DAYS_WORD})?\s*$",
    re.IGNORECASE,
)
_MONTHS_ONLY = re.compile(rf"^(?:อายุ\s*)?(\d{{1,2}})\s*{_MONTHS_WORD}(?:\s*,?\s*\d{{1,2}}\s*{_DAYS_WORD})?\s*$",
                          re.IGNORECASE)
_BLANKISH = re.compile(r"^[\s\-–—_./?]*$")
_SPACES = re.compile(r"\s+")


def _result(age: int | None, status: str, as_of_year_be: int | None) -> dict[str, Any]:
    low = high = None
    if age is not None and as_of_year_be is not None:
        low, high = as_of_year_be - age - 1, as_of_year_be - age
    return {"age": age, "birth_year_min": low, "birth_year_max": high, "age_status": status}


def parse_age(raw: Any, as_of_year_be: int | None) -> dict[str, Any]:
    """{'age', 'birth_year_min', 'birth_year_max', 'age_status'} for one written age. Never raises.

    ``as_of_year_be`` is the year (BE) the age was written: the file's date, else the run's. Without it the
    range is None and the age is still read.

    Examples:
        >>> parse_age("อายุ ๔๕ ปี", 2567)
        {'age': 45, 'birth_year_min': 2521, 'birth_year_max': 2522, 'age_status': 'ok'}
        >>> parse_age("6 เดือน", 2567)["birth_year_min"], parse_age("150", 2567)["age_status"]
        (2566, 'unreadable')
    """
    if raw is None:
        return _result(None, "missing", as_of_year_be)
    text = _SPACES.sub(" ", thai_digits_to_arabic(str(raw)).replace("\u200b", "")).strip()
    if _BLANKISH.match(text):
        return _result(None, "missing", as_of_year_be)
    if m := _AGE.match(text):
        age = int(m.group(1))
    elif m := _MONTHS_ONLY.match(text):
        age = int(m.group(1)) // 12
    else:
        return _result(None, "unreadable", as_of_year_be)
    if age > MAX_AGE:
        return _result(None, "unreadable", as_of_year_be)
    return _result(age, "ok", as_of_year_be)


def looks_like_age(values: Iterable[Any]) -> float:
    """Share (0..1) of non-blank values that read as ages: content evidence for the age role.

    Village numbers are small integers too: the reader weighs this with the header and the other roles.
    Example: ``looks_like_age(["45", "45 ปี", "นาย", ""])`` -> 2/3.
    """
    seen = fit = 0
    for value in values:
        if value is None or _BLANKISH.match(str(value)):
            continue
        seen += 1
        fit += parse_age(value, None)["age_status"] == "ok"
    return fit / seen if seen else 0.0
