"""Parse dates as Thai rosters write them: Thai months, BE/CE years, slashes, ISO, Excel serials, bare years.

Rules:
  * A 4-digit year >= 2400 is Buddhist Era (BE = CE + 543), below 2400 Christian Era.
  * A 2-digit year is BE, the way Thai rosters abbreviate it: 00-70 -> 2500-2570, 71-99 -> 2471-2499 (fixed
    pivot so a rerun gives the same answer; revisit in 2570 BE).
  * Numbers are day first (dd/mm/yyyy), as Thai forms write them.
  * A bare 4-digit year ("2510", "1967", "พ.ศ. 2510") or day/month 00 ("00/00/2510", unknown in the civil
    registry) gives birth_year_be with date None and status 'ok'.
  * A 5-digit number is an Excel serial day (1900 system, day 0 = 1899-12-30); a time part is ignored.
  * A date that cannot exist (31/02/2567, month 13, year before 1800 CE) is 'impossible', never guessed.
"""

import re
import unicodedata
from datetime import date, timedelta
from typing import Any

from transforms.thai_text import thai_digits_to_arabic

__all__ = ["DATE_COLUMNS", "birth_year_be", "parse_date"]

DATE_COLUMNS: list[tuple[str, str]] = [
    ("date", "DATE"), ("date_status", "VARCHAR"), ("birth_year_be", "INTEGER"),
]
BE_OFFSET = 543
TWO_DIGIT_PIVOT = 70
_MONTH_NAMES = [
    ("มกราคม", "มค", "มกรา", "jan", "january"), ("กุมภาพันธ์", "กพ", "กุมภา", "feb", "february"),
    ("มีนาคม", "มีค", "มีนา", "mar", "march"), ("เมษายน", "เมย", "เมษา", "apr", "april"),
    ("พฤษภาคม", "พค", "พฤษภา", "may"), ("มิถุนายน", "มิย", "มิถุนา", "jun", "june"),
    ("กรกฎาคม", "กค", "กรกฎา", "jul", "july"), ("สิงหาคม", "สค", "สิงหา", "aug", "august"),
    ("กันยายน", "กย", "กันยา", "sep", "sept", "september"), ("ตุลาคม", "ตค", "ตุลา", "oct", "october"),
    ("พฤศจิกายน", "พย", "พฤศจิกา", "nov", "november"), ("ธันวาคม", "ธค", "ธันวา", "dec", "december"),
]
_MONTHS = {name: i for i, names in enumerate(_MONTH_NAMES, 1) for name in names}
_ERA = re.compile(r"^(พ\.?\s*ศ\.?|ค\.?\s*ศ\.?|b\.?e\.?|a\.?d\.?)\s*", re.IGNORECASE)
_YMD = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T\s].*)?$")
_DMY = re.compile(r"^(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4}|\d{2})(?:\s.*)?$")
_D_MONTH_Y = re.compile(r"^(\d{1,2})\s*[-/.]?\s*([^\d\s][^\d]*?)\s*[-/.]?\s*(\d{4}|\d{2})(?:\s+\d.*)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SERIAL = re.compile(r"^(\d{5})(?:\.\d+)?$")
_YEAR = re.compile(r"^(\d{4})(?:\.0+)?$")
_MONTH_DROP = re.compile(r"[.\s]")
_SPACES = re.compile(r"\s+")
_BLANKISH = re.compile(r"^[\s\-–—_./?]*$")
_EXCEL_EPOCH = date(1899, 12, 30)


def _result(d: date | None, status: str, year_be: int | None = None) -> dict[str, Any]:
    if d is not None:
        year_be = d.year + BE_OFFSET
    return {"date": d.isoformat() if d else None, "date_status": status, "birth_year_be": year_be}


def _year_ce(year: int, digits: int, era: str | None = None) -> int:
    if digits == 2:
        return year + (2500 if year <= TWO_DIGIT_PIVOT else 2400) - BE_OFFSET
    if era == "CE":
        return year
    return year - BE_OFFSET if year >= 2400 or era == "BE" else year


def _build(year: str, month: int, day: int, era: str | None = None) -> dict[str, Any]:
    ce = _year_ce(int(year), len(year), era)
    if ce < 1800 or ce > 2200 or month > 12:
        return _result(None, "impossible")
    if day == 0 or month == 0:  # 00/00/2510: the registry's "day unknown"; keep the year, guess nothing
        return _result(None, "ok" if day == 0 else "impossible", ce + BE_OFFSET)
    try:
        return _result(date(ce, month, day), "ok")
    except ValueError:
        return _result(None, "impossible")


def parse_date(raw: Any) -> dict[str, Any]:
    """{'date' (ISO), 'date_status', 'birth_year_be'} for one written date. Never raises.

    Examples:
        >>> parse_date("5 ม.ค. 2567")["date"], parse_date("05/01/67")["date"], parse_date("45296")["date"]
        ('2024-01-05', '2024-01-05', '2024-01-05')
    """
    if raw is None:
        return _result(None, "missing")
    text = str(raw).strip()
    if not text.isascii():
        text = unicodedata.normalize("NFC", thai_digits_to_arabic(text)).replace("\u200b", "").strip()
    if _BLANKISH.match(text):
        return _result(None, "missing")
    text = _SPACES.sub(" ", text)
    era = None
    if m := _ERA.match(text):  # "พ.ศ. 2510" before a bare year
        era, text = ("CE" if m.group(1).lower()[0] in "คa" else "BE"), text[m.end():]
    if m := _YEAR.match(text):
        ce = _year_ce(int(m.group(1)), 4, era)
        return _result(None, "ok", ce + BE_OFFSET) if 1800 <= ce <= 2200 else _result(None, "impossible")
    if m := _SERIAL.match(text):
        return _result(_EXCEL_EPOCH + timedelta(days=int(m.group(1))), "ok")
    if m := _YMD.match(text):
        return _build(m.group(1), int(m.group(2)), int(m.group(3)))
    if m := _DMY.match(text):
        return _build(m.group(3), int(m.group(2)), int(m.group(1)))
    if m := _COMPACT.match(text):
        return _build(m.group(1), int(m.group(2)), int(m.group(3)))
    if m := _D_MONTH_Y.match(text):
        words = m.group(2)
        era_m = re.search(r"(พ\.?\s*ศ|ค\.?\s*ศ)\.?$", words)
        if era_m:
            era = "CE" if era_m.group(1).startswith("ค") else "BE"
            words = words[: era_m.start()]
        month = _MONTHS.get(_MONTH_DROP.sub("", words).lower())
        if month:
            return _build(m.group(3), month, int(m.group(1)), era)
    return _result(None, "unparsed")


def birth_year_be(raw: Any) -> int | None:
    """Birth year in BE from a year column or any date form. Example: ``birth_year_be("1967")`` -> 2510."""
    return parse_date(raw)["birth_year_be"]
