"""Clean Thai citizen IDs (เลขประจำตัวประชาชน) and check their mod-11 check digit.

Forms read (each test case in tests/test_citizen_id.py is one of these, as people and spreadsheets write them):
  * 13 digits, grouped as on the card with dashes, spaces or dots ("1-2345-67890-12-1", "1 2345 67890 12 1");
  * Excel's text marker ("'3101234567890"), Thai digits, zero-width spaces pasted from the web;
  * a number read from a numeric column: "3101234567890", "3101234567890.0", and scientific notation that kept
    all 13 digits in its mantissa ("3.101234567890E+12").
Scientific notation with fewer than 13 digits in the mantissa ("3.31E+12", "3.10123E+12") is Excel's display
of a number too wide for its column, saved as text: the digits after the mantissa were rounded away and cannot
be told from zeros, so the ID is 'unusable' and null, never padded or guessed.

A 13-digit ID whose check digit fails keeps its digits in ``cid`` with status 'bad_check_digit': a one-digit
typo still points at the right person when the names agree, so linkage uses it as evidence (never as an exact
key). The check is blind to digit 3 (weight 11 = 0 mod 11): a typo there passes.

Statuses: valid / bad_check_digit / wrong_length / missing / unusable (schemas.contracts.CID_STATUS).
"""

import re
from collections.abc import Iterable
from typing import Any

from transforms.thai_text import thai_digits_to_arabic

__all__ = ["CID_COLUMNS", "PLAIN_CID_COLUMN", "check_digit", "clean_citizen_id", "is_valid_cid", "looks_like_cid",
           "plain_cid_sql", "plain_cid_status_sql"]

CID_COLUMNS: list[tuple[str, str]] = [("cid", "VARCHAR"), ("cid_status", "VARCHAR")]
_SCIENTIFIC = re.compile(r"^([0-9])[.,]([0-9]*)[eE]\+?([0-9]{1,2})$")  # "," where Excel wrote a decimal comma
_DECIMAL_ZERO = re.compile(r"^([0-9]+)\.0+$")  # 3101200345671.0 from a float column
_DIGIT = re.compile(r"\d")
_WEIGHTS = tuple(range(13, 1, -1))  # d1 x 13 ... d12 x 2
_MISSING = {"cid": None, "cid_status": "missing"}
_UNUSABLE = {"cid": None, "cid_status": "unusable"}
_WRONG_LENGTH = {"cid": None, "cid_status": "wrong_length"}


def check_digit(first12: str) -> int:
    """The 13th digit for 12 leading digits: (11 - sum(d_i x (14 - i)) mod 11) mod 10.

    Example: ``check_digit("123456789012")`` -> 1.
    """
    total = sum((c - 48) * w for c, w in zip(first12.encode("ascii"), _WEIGHTS, strict=True))
    return (11 - total % 11) % 10


def is_valid_cid(s: str | None) -> bool:
    """True for exactly 13 ASCII digits whose check digit agrees."""
    if not isinstance(s, str) or len(s) != 13 or not (s.isascii() and s.isdigit()):
        return False
    return check_digit(s[:12]) == int(s[12])


def _from_scientific(m: re.Match[str]) -> dict[str, str | None] | str:
    """The 13 digits a scientific-notation number holds, or the status that says why it holds none."""
    lead, frac, exp = m.group(1), m.group(2), int(m.group(3))
    if exp != 12:  # not a 13-digit number at all (1.5E+3 is 1500)
        return _MISSING if lead == "0" and not frac.strip("0") else _WRONG_LENGTH
    if len(frac) < 12:  # digits after the mantissa were rounded away: zeros would be invented
        return _UNUSABLE
    if frac[12:].strip("0"):  # 3.1012345678901E+12 is 3101234567890.1: not a whole number
        return _WRONG_LENGTH
    return lead + frac[:12]


def _is_plain(raw: Any) -> bool:
    """13 ASCII digits, not all zero: the form most IDs arrive in, which needs no cleaning."""
    return isinstance(raw, str) and len(raw) == 13 and raw.isascii() and raw.isdigit() and raw != "0" * 13


# The forms that need no Python: 13 digits, or grouped 1-2345-67890-12-1 / 1 2345 67890 12 1 as printed on
# the card (the digits once the separators go; clean_citizen_id gives these the same answer). Every other form
# (apostrophe, Thai digits, floats, scientific notation) goes to clean_citizen_id through the cid lookup.
_PLAIN_SQL = "[0-9]{13}|[0-9]-[0-9]{4}-[0-9]{5}-[0-9]{2}-[0-9]|[0-9] [0-9]{4} [0-9]{5} [0-9]{2} [0-9]"
_GROUPED_SQL = "[0-9]-[0-9]{4}-[0-9]{5}-[0-9]{2}-[0-9]|[0-9] [0-9]{4} [0-9]{5} [0-9]{2} [0-9]"


def plain_cid_sql(col: str) -> str:
    """SQL: the 13 digits of an ID written plainly (_PLAIN_SQL), not all zeros; null for any other, which
    Python cleans. Worked out once a row (stage_sql.with_plain_cid): the regex and translate are not cheap.

    The 13-digit form, nearly every value, is matched alone and needs no translate; only 17-byte values, the
    grouped forms' length, meet their regex (1.39 s -> 0.3 s of CPU over a province's 1.1 M poverty rows).
    tests/test_citizen_id.py checks it gives exactly what _PLAIN_SQL and the translate give.
    """
    zeros = "'0000000000000'"
    return (f"case when strlen({col}) = 13 and regexp_full_match({col}, '[0-9]{{13}}') then nullif({col}, {zeros}) "
            f"when strlen({col}) = 17 and regexp_full_match({col}, '{_GROUPED_SQL}') "
            f"then nullif(translate({col}, '- ', ''), {zeros}) end")


PLAIN_CID_COLUMN = "_cid_plain"


def plain_cid_status_sql(col: str) -> str:
    """SQL: 'valid' or 'bad_check_digit' for 13 digits, the check digit as ``check_digit`` computes it."""
    total = " + ".join(f"(ord({col}[{i + 1}]) - 48) * {w}" for i, w in enumerate(_WEIGHTS))
    return f"case when (11 - ({total}) % 11) % 10 = ord({col}[13]) - 48 then 'valid' else 'bad_check_digit' end"


def _with_status(digits: str) -> dict[str, str | None]:
    return {"cid": digits, "cid_status": "valid" if check_digit(digits[:12]) == int(digits[12]) else "bad_check_digit"}


def clean_citizen_id(raw: Any) -> dict[str, str | None]:
    """{'cid', 'cid_status'} for one written ID; separators, Thai digits, Excel damage removed. Never raises.

    Examples:
        >>> clean_citizen_id("1-2345-67890-12-1") -> {"cid": "1234567890121", "cid_status": "valid"}
        >>> clean_citizen_id("'๑๒๓๔๕๖๗๘๙๐๑๒๒") -> {"cid": "1234567890122", "cid_status": "bad_check_digit"}
        >>> clean_citizen_id("3.31E+12") -> {"cid": None, "cid_status": "unusable"}
    """
    if raw is None:
        return dict(_MISSING)
    if _is_plain(raw):
        return _with_status(raw)
    text = thai_digits_to_arabic(str(raw)).strip().lstrip("'`’").strip()
    if m := _SCIENTIFIC.match(text):
        found = _from_scientific(m)
        if isinstance(found, dict):
            return dict(found)
        text = found
    elif m := _DECIMAL_ZERO.match(text):
        text = m.group(1)
    digits = "".join(_DIGIT.findall(text)) if text else ""
    digits = digits if digits.isascii() else ""  # \d also matches other scripts' digits
    if not digits or set(digits) == {"0"}:  # blank, "-", "ไม่มี", 0000000000000: no ID was given
        return dict(_MISSING)
    if len(digits) != 13:
        return dict(_WRONG_LENGTH)
    return _with_status(digits)


def looks_like_cid(values: Iterable[Any]) -> float:
    """Share (0..1) of non-blank values that clean to a check-digit-valid ID: content evidence for the
    citizen_id role. Example: ``looks_like_cid(["1-2345-67890-12-1", "", "นาย"])`` -> 0.5."""
    seen = valid = 0
    for value in values:
        if value is None or not str(value).strip():
            continue
        seen += 1
        valid += clean_citizen_id(value)["cid_status"] == "valid"
    return valid / seen if seen else 0.0
