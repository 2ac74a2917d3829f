"""How people write one person's fields in a cell: IDs, dates, titles and names, each with its expected reading.

Every function returns the cell as written and what a careful reader should get back from it.
"""

from __future__ import annotations

from datetime import date, datetime

from people import RANK_FULL, Person, check_digit

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
MONTHS_FULL = ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
               "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"]
MONTHS_ABBR = ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."]
ABBR = {"นางสาว": "น.ส.", "เด็กชาย": "ด.ช.", "เด็กหญิง": "ด.ญ."}
NODOT = {"นางสาว": "นส", "เด็กชาย": "ดช", "เด็กหญิง": "ดญ"}
ENGLISH = {"นาย": "Mr.", "นาง": "Mrs.", "นางสาว": "Miss", "เด็กชาย": "Master", "เด็กหญิง": "Miss"}
Cell = str | int | float | datetime | None


def thai_digits(text: str) -> str:
    return "".join(THAI_DIGITS[int(c)] if c.isdigit() else c for c in text)


def render_id(cid: str, habit: str) -> tuple[Cell, str | None, bool | None]:
    """(cell, expected 13 digits or None, whether the expected ID passes the check digit).

    >>> render_id("3310100123457", "dash")[0]
    '3-3101-00123-45-7'
    """
    if habit == "missing":
        return "", None, None
    if habit == "missing_dash":
        return "-", None, None
    if habit == "sci":  # what Excel writes to CSV for a 13-digit number in a General cell: digits lost
        mantissa = f"{int(cid) / 1e12:.5f}".rstrip("0").rstrip(".")
        return f"{mantissa}E+12", None, None
    if habit == "bad":  # a one-digit slip in the check digit: still 13 digits, kept as written
        wrong = str((int(check_digit(cid[:12])) + 3) % 10)
        return cid[:12] + wrong, cid[:12] + wrong, False
    if habit == "number":
        return int(cid), cid, True
    if habit == "float":
        return float(cid), cid, True
    grouped = f"{cid[0]}-{cid[1:5]}-{cid[5:10]}-{cid[10:12]}-{cid[12]}"
    cell = {"plain": cid, "dash": grouped, "space": grouped.replace("-", " "), "apos": "'" + cid,
            "thai": thai_digits(cid), "thai_dash": thai_digits(grouped)}[habit]
    return cell, cid, True


def render_date(d: date, habit: str) -> tuple[Cell, int]:
    """(cell, birth year BE) for one birth date written in one habit.

    >>> render_date(date(1967, 1, 5), "thai_abbr")
    ('5 ม.ค. 2510', 2510)
    """
    be = d.year + 543
    if habit == "dmy_be":
        return f"{d.day:02d}/{d.month:02d}/{be}", be
    if habit == "dmy_be_nopad":
        return f"{d.day}/{d.month}/{be}", be
    if habit == "dmy_be_dash":
        return f"{d.day:02d}-{d.month:02d}-{be}", be
    if habit == "dmy_yy":
        return f"{d.day:02d}/{d.month:02d}/{be % 100:02d}", be
    if habit == "thai_abbr":
        return f"{d.day} {MONTHS_ABBR[d.month - 1]} {be}", be
    if habit == "thai_full":
        return f"{d.day} {MONTHS_FULL[d.month - 1]} {be}", be
    if habit == "thai_full_pso":
        return f"{d.day} {MONTHS_FULL[d.month - 1]} พ.ศ. {be}", be
    if habit == "iso_ce":
        return d.isoformat(), be
    if habit == "mdy_ce":
        return f"{d.month}/{d.day}/{d.year}", be
    if habit == "dmy_ce":
        return f"{d.day:02d}/{d.month:02d}/{d.year}", be
    if habit == "excel_date":
        return datetime(d.year, d.month, d.day), be
    if habit == "excel_serial":
        return (d - date(1899, 12, 30)).days, be
    if habit == "year_be":
        return str(be), be
    if habit == "year_be_int":
        return be, be
    raise ValueError(habit)


def unreadable_date(habit: str, k: int) -> str:
    """A birth-date cell nobody can read, in the column's own habit where there is one."""
    if habit == "mdy_ce":
        return ["2/30/1961", "ไม่ทราบ"][k % 2]
    if habit in ("iso_ce",):
        return ["1958-02-30", "ไม่ทราบ"][k % 2]
    return ["ไม่ทราบ", "31/02/2510", "-", "??/??/2505"][k % 4]


def title_text(p: Person, habit: str) -> str:
    """The title as written: full (นางสาว), dotted abbreviation (น.ส.), dotless (นส), or English (Miss)."""
    if habit == "en":
        return ENGLISH.get(p.title, "Mr.")
    if p.title in RANK_FULL:  # ranks are nearly always written abbreviated; "long" spells them out
        return RANK_FULL[p.title] if habit == "long" else p.title
    if habit == "abbr":
        return ABBR.get(p.title, p.title)
    if habit == "nodot":
        return NODOT.get(p.title, p.title)
    return p.title


def sex_text(p: Person, habit: str) -> str:
    return {"th": {"M": "ชาย", "F": "หญิง"}, "en": {"M": "M", "F": "F"}, "code": {"M": "1", "F": "2"},
            "short": {"M": "ช", "F": "ญ"}, "enw": {"M": "Male", "F": "Female"}}[habit][p.sex]
