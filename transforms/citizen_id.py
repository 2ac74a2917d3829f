"""Clean Thai citizen IDs (เลขประจำตัวประชาชน) and check their mod-11 check digit.

A 13-digit ID whose check digit fails keeps its digits in ``cid`` with status 'bad_check_digit': a one-digit
typo still points at the right person when the names agree, so linkage uses it as evidence (never as an exact
key). Spreadsheet damage is undone only as far as digits survive: ``3.10120034567E+12`` keeps the 12 digits
that carry identity (only the check digit was rounded away), so it is expanded and the check digit decides
(valid if the lost digit was 0, else bad_check_digit with 12 right digits); ``3.1012E+12`` lost more
digits and is 'wrong_length'. The check is blind to digit 3 (weight 11 = 0 mod 11): a typo there passes.
"""

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from transforms.thai_text import thai_digits_to_arabic

__all__ = ["CID_COLUMNS", "PLAIN_CID_COLUMN", "check_digit", "clean_citizen_id", "is_valid_cid", "plain_cid_sql",
           "plain_cid_status_sql"]

CID_COLUMNS: list[tuple[str, str]] = [("cid", "VARCHAR"), ("cid_status", "VARCHAR")]
_SCIENTIFIC = re.compile(r"^(\d)\.(\d+)[eE]\+?(\d{1,2})$")
_DECIMAL_ZERO = re.compile(r"^(\d+)\.0+$")  # 3101200345671.0 from a float column
_DIGIT = re.compile(r"\d")
_WEIGHTS = tuple(range(13, 1, -1))  # d1 x 13 ... d12 x 2


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


def _expand_scientific(text: str) -> str | None:
    m = _SCIENTIFIC.match(text)
    if m is None:
        return None
    lead, frac, exp = m.groups()
    if len(frac) < int(exp) - 1:  # Excel rounded away more than the check digit: do not invent zeros
        return lead + frac
    try:
        return str(int(Decimal(text)))
    except (InvalidOperation, ValueError):
        return None


def _is_plain(raw: Any) -> bool:
    """13 ASCII digits, not all zero: the form most IDs arrive in, which needs no cleaning."""
    return isinstance(raw, str) and len(raw) == 13 and raw.isascii() and raw.isdigit() and raw != "0" * 13


# The forms that need no Python: 13 digits, or grouped 1-2345-67890-12-1 / 1 2345 67890 12 1 as printed on
# the card (the digits once the separators go; clean_citizen_id gives these the same answer).
_PLAIN_SQL = "[0-9]{13}|[0-9]-[0-9]{4}-[0-9]{5}-[0-9]{2}-[0-9]|[0-9] [0-9]{4} [0-9]{5} [0-9]{2} [0-9]"


def plain_cid_sql(col: str) -> str:
    """SQL: the 13 digits of an ID written plainly (_PLAIN_SQL), not all zeros; null for any other, which
    Python cleans. Worked out once a row (stage_sql.with_plain_cid): the regex and translate are not cheap."""
    digits = f"nullif(translate({col}, '- ', ''), '0000000000000')"
    return f"case when regexp_full_match({col}, '{_PLAIN_SQL}') then {digits} end"


PLAIN_CID_COLUMN = "_cid_plain"


def plain_cid_status_sql(col: str) -> str:
    """SQL: 'valid' or 'bad_check_digit' for 13 digits, the check digit as ``check_digit`` computes it."""
    total = " + ".join(f"(ord({col}[{i + 1}]) - 48) * {w}" for i, w in enumerate(_WEIGHTS))
    return f"case when (11 - ({total}) % 11) % 10 = ord({col}[13]) - 48 then 'valid' else 'bad_check_digit' end"


def clean_citizen_id(raw: Any) -> dict[str, str | None]:
    """{'cid', 'cid_status'} for one written ID; separators, Thai digits, Excel damage removed. Never raises.

    Examples:
        >>> clean_citizen_id("1-2345-67890-12-1") -> {"cid": "1234567890121", "cid_status": "valid"}
        >>> clean_citizen_id("'๑๒๓๔๕๖๗๘๙๐๑๒๒") -> {"cid": "1234567890122", "cid_status": "bad_check_digit"}
    """
    if raw is None:
        return {"cid": None, "cid_status": "missing"}
    if _is_plain(raw):
        return {"cid": raw, "cid_status": "valid" if check_digit(raw[:12]) == int(raw[12]) else "bad_check_digit"}
    text = thai_digits_to_arabic(str(raw)).strip().lstrip("'`").strip()
    text = _expand_scientific(text) or text
    m = _DECIMAL_ZERO.match(text)
    if m:
        text = m.group(1)
    digits = "".join(_DIGIT.findall(text)) if text else ""
    digits = digits if digits.isascii() else ""  # \d also matches other scripts' digits
    if not digits or set(digits) == {"0"}:  # blank, "-", "ไม่มี", 0000000000000: no ID was given
        return {"cid": None, "cid_status": "missing"}
    if len(digits) != 13:
        return {"cid": None, "cid_status": "wrong_length"}
    return {"cid": digits, "cid_status": "valid" if is_valid_cid(digits) else "bad_check_digit"}
