"""A date column's habit, decided from its distinct values: day/month order and era, with a line of evidence.

Rules (issue 13, point 4):
  * One value written as numbers with a first part over 12 ("14/03/2510") decides day first for the column;
    one with a second part over 12 ("03/14/1967") decides month first. Values of both kinds: not decided.
    Neither: not decided. Undecided columns are read day first, the Thai habit, and the evidence says so.
  * Year-first values (2510-03-14) are always year, month, day; a column of only those is "ymd".
  * Era: most 4-digit years written as text >= 2400 -> BE; most within 1900-2100 -> CE; with no 4-digit year,
    a month-first column is CE (m/d/yy is an English-locale program's, which writes CE); else None. Date cells
    as the XLSX reader gives them ("2024-01-05 00:00:00") and serial numbers are CE by construction whatever
    was typed, so they do not vote.
  * The evidence is one English line holding at most one example date, rebuilt from its numbers (never the
    cell text), and counts: nothing else from the column.
"""

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from transforms.dates import ORDERS, numeric_parts, parse_date
from transforms.thai_text import thai_digits_to_arabic

__all__ = ["date_habit", "forget_values", "looks_like_date"]

_YEAR_FIRST = re.compile(r"^\s*(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*$")
_HAND_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_MACHINE = re.compile(r"^\s*\d{4}-\d\d-\d\d[T ]\d|^\s*\d{5}(?:\.\d+)?\s*$")  # XLSX date cell, Excel serial
_NUMBER = re.compile(r"^\s*\d+(?:\.\d+)?\s*$")


def _non_blank(values: Iterable[Any]) -> list[str]:
    return [t for t in (thai_digits_to_arabic(str(v)).strip() for v in values if v is not None) if t]


# The two shapes most dates are written in, read without the general parser (the same answer, a tenth of the
# time): a column's habit is decided from every distinct value it holds, a province's rosters hold ~450,000.
_DMY_SLASHED = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})", re.ASCII)
_ISO_DATE = re.compile(r"(\d{4})-(\d\d)-(\d\d)", re.ASCII)
# A day, Thai words (a month, พ.ศ.) and a year: "28 ม.ค. 2503", "14 กุมภาพันธ์ พ.ศ. 2525" (half of a province's
# written birth dates). No numeric parts (the month is a word), not year first, one hand-written year.
_THAI_NAMED = re.compile(r"\d{1,2}(?: [\u0e01-\u0e4e.]+)+ (\d{4})", re.ASCII)


@lru_cache(maxsize=1 << 16)
def _facts(text: str) -> tuple[tuple[int, int, str] | None, str | None, tuple[int, ...]]:
    """(numeric_parts, else the yyyy-mm-dd of a year-first date, else None; the 4-digit years written by hand,
    none in a machine-written date cell or serial) of a text."""
    if m := _DMY_SLASHED.fullmatch(text):
        return (int(m.group(1)), int(m.group(2)), m.group(3)), None, (int(m.group(3)),)
    if m := _ISO_DATE.fullmatch(text):
        return None, f"{m.group(1)}-{m.group(2)}-{m.group(3)}", (int(m.group(1)),)
    if m := _THAI_NAMED.fullmatch(text):
        return None, None, (int(m.group(1)),)
    return _facts_parsed(text)


def _facts_parsed(text: str) -> tuple[tuple[int, int, str] | None, str | None, tuple[int, ...]]:
    """_facts by the general parser, for any shape."""
    years = () if _MACHINE.search(text) else tuple(map(int, _HAND_YEAR.findall(text)))
    parts = numeric_parts(text)
    if parts is None and (m := _YEAR_FIRST.match(text)):
        return None, f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}", years
    return parts, None, years


def forget_values() -> None:
    """Drop the per-value memo once a run's files are read."""
    _facts.cache_clear()


def _era(texts: list[str]) -> tuple[str | None, str]:
    be = ce = 0
    for text in texts:
        for y in _facts(text)[2]:
            be += y >= 2400
            ce += 1900 <= y <= 2100
    total = be + ce
    if total and be * 2 > total:
        return "BE", f"era BE: {be} of {total} years are 2400 or later"
    if total and ce * 2 > total:
        return "CE", f"era CE: {ce} of {total} years are 1900-2100"
    return None, "era unknown" if not total else f"era unknown: {be} BE and {ce} CE years"


def _order(texts: list[str]) -> tuple[str | None, bool, str]:
    first: list[tuple[int, int, str]] = []  # first part over 12: day first
    second: list[tuple[int, int, str]] = []  # second part over 12: month first
    ambiguous = year_first = 0
    example_ymd = ""
    for text in texts:
        parts, ymd, _ = _facts(text)
        if parts is None:
            if ymd is not None:
                year_first += 1
                example_ymd = example_ymd or ymd
            continue
        a, b, _ = parts
        if 12 < a <= 31 and 1 <= b <= 12:
            first.append(parts)
        elif 12 < b <= 31 and 1 <= a <= 12:
            second.append(parts)
        elif a <= 12 and b <= 12:
            ambiguous += 1
    if first and second:
        return "dmy", False, (f"undecided: first part over 12 in {len(first)} values, second part over 12 in "
                              f"{len(second)}; read day first")
    if first:
        a, b, y = first[0]
        return "dmy", True, f"day first: {a:02d}/{b:02d}/{y} has a first part over 12"
    if second:
        a, b, y = second[0]
        return "mdy", True, f"month first: {a:02d}/{b:02d}/{y} has a second part over 12"
    if ambiguous:
        return "dmy", False, "undecided: no part over 12; read day first"
    if year_first:
        return "ymd", True, f"year first: {example_ymd} starts with the year"
    return None, True, "no dates written as numbers: order does not matter"


def date_habit(values: Iterable[Any], readable: bool = True) -> dict[str, Any]:
    """{'order', 'era', 'decided', 'evidence', 'readable'} for a date column, from its distinct values.

    ``order`` and ``era`` are what to pass to ``parse_date`` for every value of the column; ``readable`` is the
    share (0..1) of non-blank values that read as 'ok' with them (None with ``readable=False``: each value read
    again, half the cost, for a caller that does not use it).

    Example:
        >>> h = date_habit(["14/03/2510", "05/01/2511", ""])
        >>> h["order"], h["era"], h["decided"], h["readable"]
        ('dmy', 'BE', True, 1.0)
        >>> h["evidence"]
        'day first: 14/03/2510 has a first part over 12; era BE: 2 of 2 years are 2400 or later'
    """
    texts = _non_blank(values)
    order, decided, evidence = _order(texts)
    era, era_evidence = _era(texts)
    if era is None and order == "mdy" and decided and era_evidence == "era unknown":
        # m/d/yy comes from an English-locale program, which writes CE: read 1/14/67 as 1967, not 2567 BE
        era, era_evidence = "CE", "era CE: month first is an English-locale habit"
    share = None
    if readable:
        share = sum(parse_date(t, order=order, era=era)["date_status"] == "ok" for t in texts) / len(texts) \
            if texts else 0.0
    return {"order": order, "era": era, "decided": decided, "evidence": f"{evidence}; {era_evidence}",
            "readable": share}


def looks_like_date(values: Iterable[Any], numbers: bool = False) -> float:
    """Share (0..1) of non-blank values that read as a date in some order: content evidence for a date role.

    Bare numbers (Excel serials, years) count only with ``numbers=True``: postal codes and amounts are five
    digits too. Example: ``looks_like_date(["14/03/2510", "5 ม.ค. 10", "31000", ""])`` -> 2/3.
    """
    texts = _non_blank(values)
    fit = 0
    for text in texts:
        if not numbers and _NUMBER.match(text):
            continue
        fit += any(parse_date(text, order=order)["date_status"] == "ok" for order in ORDERS)
    return fit / len(texts) if texts else 0.0
