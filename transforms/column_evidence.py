"""What a column's values say about its role: the content half of reading a sheet (issue 13).

Each test gives the share (0..1) of a column's non-blank sampled values that fit one kind of value: citizen
IDs that pass the check digit, readable dates, ages, titles, Thai given names and surnames, area names of the
DOPA gazetteer, postal codes, small integers, flags and so on. ``transforms/reading.py`` weighs these shares
against what the header says. Everything is per distinct value of a bounded sample (a few hundred values a
column), never per row.
"""

import re
from collections.abc import Callable, Sequence
from functools import cache
from itertools import islice
from typing import Any

from transforms.ages import _BLANKISH as _AGE_BLANK
from transforms.ages import looks_like_age
from transforms.citizen_id import clean_citizen_id
from transforms.dates import parse_date
from transforms.thai_text import clean_text

# The roles content can propose on its own, and the test that proposes each.
_DIGITS = re.compile(r"^\d+$")
_SMALL_INT = re.compile(r"^(?:ม\.?|หมู่(?:ที่)?|moo)?\s*(\d{1,2})$", re.IGNORECASE)
_HOUSE_NO = re.compile(r"^\d{1,4}(?:/\d{1,4})?(?:\s*[ก-ฮA-Za-z])?$")
_POSTAL = re.compile(r"^[1-9]\d{4}$")
_PHONE = re.compile(r"^(?:\+?66|0)[\d\- ]{8,11}$")
_LATIN_NAME = re.compile(r"^(?:(?:mr|mrs|ms|miss|dr)\.?\s+)?[A-Za-z][A-Za-z'\-]+(?:\s+[A-Za-z][A-Za-z'\-.]+)*$",
                         re.IGNORECASE)
_THAI_WORD = re.compile(r"^[\u0e00-\u0e7f]+$")
_ADDRESS_MARK = re.compile(r"(?:หมู่|ม\.|ต\.|ตำบล|อ\.|อำเภอ|จ\.|จังหวัด|แขวง|เขต|ถนน|ซอย|ถ\.)")
_FLAG_WORDS = frozenset({
    "0", "1", "0.0", "1.0", "y", "n", "yes", "no", "true", "false", "t", "f", "x", "/", "✓", "✔", "-",
    "มี", "ไม่มี", "ใช่", "ไม่ใช่", "จน", "ไม่จน",
})
_SEX_WORDS = frozenset({"ชาย", "หญิง", "ช", "ญ", "ช.", "ญ.", "m", "f", "male", "female"})


_MAX_CHARS = 200
# A column's role is judged on its first 64 distinct values: a share over 64 values is within a few points of
# one over hundreds, and each value costs a name split, two date readings and an ID check (at province scale,
# 500 files of a dozen columns, judging 200 values a column was most of the reading time).
_JUDGED_VALUES = 64


@cache
def _given_names() -> frozenset[str]:
    from pythainlp.corpus import thai_female_names, thai_male_names

    return frozenset(thai_male_names()) | frozenset(thai_female_names())


@cache
def _surnames() -> frozenset[str]:
    from pythainlp.corpus import thai_family_names

    return frozenset(thai_family_names())


@cache
def _title_words() -> frozenset[str]:
    from schemas.titles import load_titles

    return frozenset(re.sub(r"[\s.]", "", t.variant).lower() for t in load_titles())


def _title_only(v: str) -> bool:
    # "นาย (Mr.)": a form's choice list writes the English beside the Thai
    return re.sub(r"[\s.]|\([^()]*\)", "", v).lower() in _title_words()


def _parsed(v: str) -> dict[str, str | None]:
    # Only the split (titles, first, last) of names.parse_name: the phonetic and romanised keys it also makes
    # cost ten times the split, and reading a sheet needs none of them.
    from transforms.names import clean_name_part, name_full_column, name_title_rule

    split = name_full_column(name_title_rule(None)["glued"], v)
    return {"title": split["found_titles"], "first": clean_name_part(split["first_part"]),
            "last": clean_name_part(split["last_part"])}


def _cid_status(v: str) -> str:
    return str(clean_citizen_id(v)["cid_status"])


def _date_share(v: str) -> bool:
    if _DIGITS.match(v) and len(v) != 5:  # a bare number is a date only as an Excel serial
        return False
    # either day/month order: the column's habit is decided later, from all its values
    return parse_date(v)["date"] is not None or parse_date(v, order="mdy")["date"] is not None


# The kinds judged one value at a time, in the order content_shares gives them; the province, district and
# subdistrict shares follow, then "age" (judged on values that are not blank-like) and int_median (the column).
_VALUE_KINDS = (
    "citizen_id", "citizen_id_valid", "date", "year_be", "title", "full_name", "titled_name", "given_name",
    "surname", "thai_word", "latin_name", "postal_code", "small_int", "house_no", "house_slash", "house_code",
    "subdistrict_code", "flag", "sex", "phone", "full_address", "village_name",
)
_AREA_LEVELS = ("province", "district", "subdistrict")
_YEAR_BE = re.compile(r"2[45]\d\d(?:\.0)?")
_ELEVEN_DIGITS = re.compile(r"\d{11}")
_SUBDISTRICT_CODE = re.compile(r"[1-9]\d{5}")
_NON_DIGIT = re.compile(r"\D")
_ANY_DIGIT = re.compile(r"\d")  # any script's digits, as the ID and date readers' own \d
# Distinct values remembered (a few hundred bytes each): a province's rosters and its input check judge ~400,000
# values, ~100,000 distinct; a smaller memo would forget the check's answers before the ingest asks again.
_MEMO_VALUES = 1 << 18


# The memos are plain dicts, not lru_caches, so that what a forked process judged can be sent back and kept
# (`judged_since`, `remember_judged`): `saphan run`'s input check judges files in worker processes and the
# ingest's own workers, forked later, must inherit the answers. Each is emptied when full (a pure function's
# memo: what is forgotten is judged again, to the same answer). The generation counts the emptyings.
_CLEANED: dict[str, str | None] = {}
_KINDS: dict[str, bytes] = {}
_generation = 0


def _remember(memo: dict[str, Any], key: str, value: Any) -> None:
    global _generation
    if len(memo) >= _MEMO_VALUES:
        memo.clear()
        _generation += 1
    memo[key] = value


def _memoised(memo: dict[str, Any], v: str, make: Callable[[str], Any]) -> Any:
    """``make(v)``, remembered in ``memo`` (emptied when full: _remember)."""
    try:
        return memo[v]
    except KeyError:
        out = make(v)
        _remember(memo, v, out)
        return out


def _cleaned(v: str) -> str | None:
    return _memoised(_CLEANED, v, clean_text)


def _value_kinds(v: str) -> bytes:
    """Which kinds one cleaned value fits, a 0/1 byte each: _VALUE_KINDS, the area levels, blank-like, an age.

    Remembered per distinct value: a province's rosters repeat names, titles and places from file to file, and
    `saphan run`'s input check judges the same first lines its ingest judges again.
    """
    return _memoised(_KINDS, v, _judged)


def _judged(v: str) -> bytes:
    """_value_kinds of a value not remembered."""
    from transforms.address_gazetteer import district_index, name_key, province_index, subdistrict_index

    low = v.lower()
    # Every test of the numbers kind needs a digit (any script's, as the readers' own \d): a value without one
    # (a name, a place, most values) fits none of them, so they are not tried.
    digit = bool(_ANY_DIGIT.search(v))
    cid = _cid_status(v) if digit else "missing"
    small = _SMALL_INT.match(v) if digit else None
    house = digit and bool(_HOUSE_NO.match(v))
    parsed = _parsed(v) if not _DIGITS.match(v) else {}
    key = name_key(v)
    blank = bool(_AGE_BLANK.match(v))  # looks_like_age judges only the values that are not blank-like
    return bytes((
        # Excel's 3.3121E+12 is an ID column whose digits were lost: still the ID column
        cid in ("valid", "bad_check_digit", "unusable"),
        cid == "valid",
        digit and _date_share(v),
        digit and bool(_YEAR_BE.fullmatch(v)),
        _title_only(v),
        bool(parsed.get("first")) and bool(parsed["last"]),
        bool(parsed.get("title")) and bool(parsed["first"]),
        v in _given_names(),
        v in _surnames() and v not in _given_names(),
        bool(_THAI_WORD.match(v)),
        bool(_LATIN_NAME.match(v)) and not v.isdigit(),
        digit and bool(_POSTAL.match(v)),
        small is not None and 0 < int(small.group(1)) <= 40,
        house,
        house and "/" in v,
        digit and bool(_ELEVEN_DIGITS.fullmatch(v)),
        digit and bool(_SUBDISTRICT_CODE.fullmatch(v)),
        low in _FLAG_WORDS,
        low in _SEX_WORDS,
        digit and bool(_PHONE.match(v)) and len(_NON_DIGIT.sub("", v)) in (9, 10, 11),
        len(_ADDRESS_MARK.findall(v)) >= 2,
        v.startswith("บ้าน") and len(v) > 4,
        *(bool(key and key in index()) for index in (province_index, district_index, subdistrict_index)),
        blank,
        digit and not blank and looks_like_age([v]) == 1.0,
    ))


def forget_values() -> None:
    """Drop the per-value memos (tens of MB at province scale) once a run's files are read."""
    global _generation
    _KINDS.clear()
    _CLEANED.clear()
    _generation += 1


Judged = tuple[list[tuple[str, str | None]], list[tuple[str, bytes]]]


def memo_mark() -> tuple[int, int, int]:
    """Where the memos stand now: give it to ``judged_since`` later to get what was judged in between."""
    return _generation, len(_CLEANED), len(_KINDS)


def judged_since(mark: tuple[int, int, int]) -> Judged:
    """The values judged since ``mark`` (every value remembered, if the memos were emptied meanwhile): what a
    forked process sends back to the one that forked it (``remember_judged``). Dicts keep insertion order."""
    _, cleaned, kinds = mark if mark[0] == _generation else (0, 0, 0)
    return list(islice(_CLEANED.items(), cleaned, None)), list(islice(_KINDS.items(), kinds, None))


def remember_judged(judged: Judged) -> None:
    """Keep values another process judged (``judged_since``), as if judged here."""
    cleaned, kinds = judged
    for key, text in cleaned:
        if key not in _CLEANED:
            _remember(_CLEANED, key, text)
    for key, fits in kinds:
        if key not in _KINDS:
            _remember(_KINDS, key, fits)


def content_shares(values: Sequence[str]) -> dict[str, float]:
    """The share of values fitting each kind; the keys are roles, or content kinds reading.py maps to roles.

    Examples:
        >>> s = content_shares(["3101200345671", "1-1037-00123-45-8"])
        >>> s["citizen_id"] > 0.4
        True
    """
    # a value is judged on its first 200 characters: no ID, date or name is longer (a pasted 1 MB cell is no role)
    vals = [c for c in (_cleaned(v[:_MAX_CHARS]) for v in values[:_JUDGED_VALUES]) if c]
    if not vals:
        return {}
    counts = [sum(column) for column in zip(*(_value_kinds(v) for v in vals), strict=True)]
    n = len(vals)
    shares = {kind: counts[i] / n for i, kind in enumerate(_VALUE_KINDS)}
    blank, age = counts[-2:]
    shares = {**dict(list(shares.items())[:3]), "age": age / (n - blank) if n > blank else 0.0,
              **dict(list(shares.items())[3:])}  # the order the shares were always given in
    shares.update({level: counts[len(_VALUE_KINDS) + j] / n for j, level in enumerate(_AREA_LEVELS)})
    ints = sorted(int(v) for v in vals if v.isdigit() and len(v) <= 3)
    shares["int_median"] = float(ints[len(ints) // 2]) if ints else -1.0  # a value, not a share: ages vs หมู่
    return shares


def is_sequence(values: Sequence[str | None]) -> bool:
    """True when a column counts rows (ลำดับ: 1, 2, 3 ... mostly one more than the row before)."""
    nums = [int(v) for v in values if v is not None and v.isdigit()]
    if len(nums) < 3:
        return False
    steps = sum(1 for a, b in zip(nums, nums[1:], strict=False) if b == a + 1)
    return steps >= 0.8 * (len(nums) - 1)
