"""What a column's values say about its role: the content half of reading a sheet (issue 13).

Each test gives the share (0..1) of a column's non-blank sampled values that fit one kind of value: citizen
IDs that pass the check digit, readable dates, ages, titles, Thai given names and surnames, area names of the
DOPA gazetteer, postal codes, small integers, flags and so on. ``transforms/reading.py`` weighs these shares
against what the header says. Everything is per distinct value of a bounded sample (a few hundred values a
column), never per row.
"""

import re
from collections.abc import Callable, Sequence
from functools import cache, lru_cache

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


def _share(values: Sequence[str], test: Callable[[str], bool]) -> float:
    return sum(1 for v in values if test(v)) / len(values) if values else 0.0


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


@lru_cache(maxsize=1 << 16)
def _parsed(v: str) -> dict[str, str | None]:
    # Only the split (titles, first, last) of names.parse_name: the phonetic and romanised keys it also makes
    # cost ten times the split, and reading a sheet needs none of them. Cached: names recur across a
    # province's rosters.
    from transforms.names import clean_name_part, name_full_column, name_title_rule

    split = name_full_column(name_title_rule(None)["glued"], v)
    return {"title": split["found_titles"], "first": clean_name_part(split["first_part"]),
            "last": clean_name_part(split["last_part"])}


def _area_share(values: Sequence[str]) -> dict[str, float]:
    from transforms.address_gazetteer import district_index, name_key, province_index, subdistrict_index

    levels = {"province": province_index(), "district": district_index(), "subdistrict": subdistrict_index()}
    keys = [k for k in (name_key(v) for v in values)]
    return {level: sum(1 for k in keys if k and k in index) / len(keys) for level, index in levels.items()}


@lru_cache(maxsize=1 << 16)
def _cid_status(v: str) -> str:
    return str(clean_citizen_id(v)["cid_status"])


@lru_cache(maxsize=1 << 16)
def _date_share(v: str) -> bool:
    if _DIGITS.match(v) and len(v) != 5:  # a bare number is a date only as an Excel serial
        return False
    # either day/month order: the column's habit is decided later, from all its values
    return parse_date(v)["date"] is not None or parse_date(v, order="mdy")["date"] is not None


def content_shares(values: Sequence[str]) -> dict[str, float]:
    """The share of values fitting each kind; the keys are roles, or content kinds reading.py maps to roles.

    Examples:
        >>> s = content_shares(["3101200345671", "1-1037-00123-45-8"])
        >>> s["citizen_id"] > 0.4
        True
    """
    # a value is judged on its first 200 characters: no ID, date or name is longer (a pasted 1 MB cell is no role)
    vals = [c for c in (clean_text(v[:_MAX_CHARS]) for v in values[:_JUDGED_VALUES]) if c]
    if not vals:
        return {}
    parsed = {v: _parsed(v) for v in vals if not _DIGITS.match(v)}
    given, surnames = _given_names(), _surnames()
    shares = {
        # Excel's 3.3121E+12 is an ID column whose digits were lost: still the ID column
        "citizen_id": _share(vals, lambda v: _cid_status(v) in ("valid", "bad_check_digit", "unusable")),
        "citizen_id_valid": _share(vals, lambda v: _cid_status(v) == "valid"),
        "date": _share(vals, _date_share),
        "age": looks_like_age(vals),
        "year_be": _share(vals, lambda v: bool(re.fullmatch(r"2[45]\d\d(?:\.0)?", v))),
        "title": _share(vals, _title_only),
        "full_name": _share(vals, lambda v: bool(parsed.get(v, {}).get("first")) and bool(parsed[v]["last"])),
        "titled_name": _share(vals, lambda v: bool(parsed.get(v, {}).get("title")) and bool(parsed[v]["first"])),
        "given_name": _share(vals, lambda v: v in given),
        "surname": _share(vals, lambda v: v in surnames and v not in given),
        "thai_word": _share(vals, lambda v: bool(_THAI_WORD.match(v))),
        "latin_name": _share(vals, lambda v: bool(_LATIN_NAME.match(v)) and not v.isdigit()),
        "postal_code": _share(vals, lambda v: bool(_POSTAL.match(v))),
        "small_int": _share(vals, lambda v: bool(_SMALL_INT.match(v)) and 0 < int(_SMALL_INT.match(v).group(1)) <= 40),  # type: ignore[union-attr]
        "house_no": _share(vals, lambda v: bool(_HOUSE_NO.match(v))),
        "house_slash": _share(vals, lambda v: "/" in v and bool(_HOUSE_NO.match(v))),
        "house_code": _share(vals, lambda v: bool(re.fullmatch(r"\d{11}", v))),
        "subdistrict_code": _share(vals, lambda v: bool(re.fullmatch(r"[1-9]\d{5}", v))),
        "flag": _share(vals, lambda v: v.lower() in _FLAG_WORDS),
        "sex": _share(vals, lambda v: v.lower() in _SEX_WORDS),
        "phone": _share(vals, lambda v: bool(_PHONE.match(v)) and len(re.sub(r"\D", "", v)) in (9, 10, 11)),
        "full_address": _share(vals, lambda v: len(_ADDRESS_MARK.findall(v)) >= 2),
        "village_name": _share(vals, lambda v: v.startswith("บ้าน") and len(v) > 4),
    }
    shares.update(_area_share(vals))
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
