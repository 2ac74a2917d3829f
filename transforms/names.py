"""Split Thai personal names into title, first and last name, and key them for matching.

Title rule (where a title may hide: its own column, glued to the first name, stacked, abbreviated):
  * Variants from ``schemas/titles.csv`` are tried longest first; dots and spaces inside one are optional.
  * A title followed by a space, the end, or its own final dot/ฯ (``น.ส.สมศรี``) is always stripped.
  * An abbreviation written without dots (นส, ดช, ดร, ศ) is stripped only as a separate word, so ``ดรุณี`` and
    ``ศรีสุดา`` stay whole.
  * A full-word title glued to a name (``นายสมชาย``, ``นางสาวสมศรี``) is stripped only when what remains is
    >= 2 characters starting with a consonant, a leading vowel or a Latin letter, and no other title was found
    elsewhere (the title column), unless it repeats that title (title นาย, first name นายสมชาย). So ``นางนวล``
    beside title ``นางสาว`` stays a first name; on its own it reads as นาง + นวล; ``นางสาวิตรี`` falls back
    to นาง + สาวิตรี because ``ิตรี`` cannot start a name.
  * Titles stack (``พ.ต.อ. ดร.``, ``ว่าที่ พันตรี``), but not a title of the other sex nor a monk's
    after a lay title: ``นางสาวพระพาย`` is นางสาว + พระพาย, ``นายพระยา`` นาย + พระยา.
  * A rank's tail word may stand apart (``พลตำรวจ ตรี``); ``พิเศษ``/``หญิง`` after a rank belong to it
    (``จ.ส.อ.พิเศษ``).
  * After an explicit title, a dotless abbreviation (นพ, สอ, พญ) or a rank's พิเศษ is a title only while the
    name still has its words after it: ``นาย นพ ใจดี`` and title นาย + first name นพ keep นพ as the first name.
  * A post-nominal after the surname (``ร.น.``, ``ทอ.``, ``ตร.``, a dotted rank) is cut off and written after
    the titles: ``นาวาเอก สมชาย ใจดี ร.น.`` -> title ``น.อ. ร.น.``, surname ใจดี.
Details in transforms/name_titles.py. Spaces that split a syllable (``ธนาย ุทธ``) are rejoined first.
A combined name is split at its first space after the titles; the rest is the surname, so ณ อยุธยา stays whole.
A Latin-script name goes to ``transforms.romanise.split_latin_name`` when that module exists.
"""

import re
from collections.abc import Callable
from functools import cache, lru_cache
from typing import Any

from pythainlp.soundex import lk82, metasound

from transforms.name_titles import Variant, name_words, split_post_nominal, take_title, title_words
from transforms.thai_soundex import udom83  # pythainlp's codes, its rewrites skipped where they cannot apply
from transforms.thai_text import clean_text, join_split_marks, roman_key

__all__ = [
    "NAME_COLUMNS", "name_first_column", "name_full_column", "name_last_column", "name_part", "name_title",
    "name_title_rule", "parse_name",
]

NAME_COLUMNS: list[tuple[str, str]] = [
    ("title", "VARCHAR"), ("sex", "VARCHAR"), ("first_name", "VARCHAR"), ("last_name", "VARCHAR"),
    ("first_lk82", "VARCHAR"), ("first_udom83", "VARCHAR"), ("first_metasound", "VARCHAR"),
    ("last_lk82", "VARCHAR"), ("last_udom83", "VARCHAR"), ("last_metasound", "VARCHAR"),
    ("first_roman", "VARCHAR"), ("last_roman", "VARCHAR"), ("name_status", "VARCHAR"),
]
_EDGE_PUNCT = re.compile(r"^[\s.,;:'\"()\-_/*]+|[\s.,;:'\"()\-_/*]+$")
_MAX_STACK = 5  # more titles than this in one cell is not a name


@lru_cache(maxsize=65536)
def _strip_titles(text: str, glued: frozenset[str] | None, need: int = 0) -> tuple[tuple[Variant, ...], str]:
    """Titles stacked at the start of text and what is left. glued: None = never glued, empty = any.

    need: name words the text must keep after a title that could be a name (see transforms/name_titles.py).
    """
    found: list[Variant] = []
    column_title = glued is None or bool(glued)
    while text and len(found) < _MAX_STACK:
        taken = take_title(text, glued, column_title or bool(found), need)
        if taken is None:
            break
        v = taken[0]
        if found and (v.sex and any(f.sex and f.sex != v.sex for f in found)
                      or v.kind == "monastic" and found[-1].kind != "monastic"):
            break  # นางสาวพระพาย, นายพระยา: a title of the other sex, or a monk's after a lay one, starts the name
        found.append(taken[0])
        text = taken[1]
    return tuple(found), text


_THAI = re.compile("[\u0e01-\u0e5b]")


@cache
def _latin_splitter() -> Callable[[str], dict[str, Any]] | None:
    """transforms.romanise.split_latin_name when that module exists (romanised names: Mr. Samruai Panthurat)."""
    try:
        from transforms import romanise  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        return None
    split = getattr(romanise, "split_latin_name", None)
    return split if callable(split) else None


def _latin_name(text: str) -> dict[str, Any] | None:
    """found_titles, found_sex, first_part, last_part of a Latin-script name, or None (Thai, or no splitter)."""
    if "\u0e00" <= text[0] <= "\u0e7f":
        return None  # most names: Thai from the first letter
    split = _latin_splitter() if not _THAI.search(text) and re.search("[A-Za-z]", text) else None
    if split is None:
        return None
    try:
        r = split(text)
    except Exception:  # noqa: BLE001 - a failing splitter leaves the name to the Thai rules
        return None
    return {"found_titles": r.get("title") or None, "found_sex": r.get("sex") or None,
            "first_part": r.get("first_name") or None, "last_part": r.get("last_name") or None}


@lru_cache(maxsize=262144)
def _clean_part(value: str | None, join: bool = True) -> str | None:
    text = clean_text(join_split_marks(value, title_words()) if join else value)
    return (_EDGE_PUNCT.sub("", text) or None) if text else None


def clean_name_part(value: str | None) -> str | None:
    """A first or last name cleaned as name_part cleans it, without its keys (for reading a sheet's samples)."""
    return _clean_part(value)


_Read = tuple[tuple[Variant, ...], str, str | None]


def _titles_and_name(text: str, glued: frozenset[str] | None, need: int) -> _Read:
    """Titles, the name left, and a post-nominal cut from its end (only where the surname is in the text)."""
    suffix = None
    if need >= 2:
        text, suffix = split_post_nominal(text, 2)
    titles, rest = _strip_titles(text, glued, need)
    return titles, rest, suffix


def _read_name(value: str | None, glued: frozenset[str] | None, need: int) -> _Read:
    """_titles_and_name of a cell with syllable-splitting spaces rejoined (never onto a title), unless rejoining
    leaves the name too few words: a word that lost its first letter (มาลีดา ีฟ้า) looks like a split syllable,
    and there the dangling mark is dropped instead, as clean_text does."""
    joined = _clean_part(value) or ""
    read = _titles_and_name(joined, glued, need)
    if name_words(read[1]) < need and join_split_marks(value, title_words()) != value:
        other = _titles_and_name(_clean_part(value, join=False) or "", glued, need)
        if name_words(other[1]) >= need:
            return other
    return read


def _code(func: Any, text: str) -> str | None:
    try:
        return str(func(text)) or None
    except Exception:  # noqa: BLE001 - a phonetic code is a hint; odd input gives none rather than a failed run
        return None


@lru_cache(maxsize=262144)
def _keys(part: str | None) -> tuple[str | None, str | None, str | None, str | None]:
    """(lk82, udom83, metasound, roman) of one name part, computed once per distinct part."""
    if not part:
        return None, None, None, None
    compact = part.replace(" ", "")
    return _code(lk82, compact), _code(udom83, compact), _code(metasound, compact), roman_key(part)


def _glued(found: tuple[Variant, ...], extra: tuple[str, ...]) -> frozenset[str] | None:
    """Which glued full-word titles may be stripped from a name: any when none seen yet, else repeats only."""
    if extra and not found:
        return None
    return frozenset(v.canonical for v in found)


# The pipeline joins these steps in SQL, so what passes between them is plain text. A glued-title rule as a
# key: "-" none may be stripped, "*" any, else the canonical titles that may repeat, "|"-separated.
_NONE, _ANY, _BAR = "-", "*", "|"


def _glued_key(glued: frozenset[str] | None) -> str:
    return _NONE if glued is None else _BAR.join(sorted(glued)) or _ANY


@lru_cache(maxsize=1024)  # a few dozen keys; one frozenset each, whose hash _strip_titles' cache then reuses
def _glued_from_key(key: str) -> frozenset[str] | None:
    return None if key == _NONE else frozenset() if key == _ANY else frozenset(key.split(_BAR))


@lru_cache(maxsize=4096)
def _title_column(title: str | None) -> tuple[tuple[Variant, ...], tuple[str, ...]]:
    """Known titles in the title column, and its other text kept as written."""
    title_text = _clean_part(title)
    if not title_text:
        return (), ()
    titles, rest = _strip_titles(title_text, frozenset())
    return titles, (rest,) if rest else ()


def _found(titles: tuple[Variant, ...], suffix: str | None = None) -> tuple[str | None, str | None]:
    if not titles:
        return suffix, None  # most first names: the title is in its own column
    canonicals = _BAR.join(dict.fromkeys(v.canonical for v in titles)) or None
    if suffix:
        canonicals = f"{canonicals}{_BAR}{suffix}" if canonicals else suffix
    return canonicals, next((v.sex for v in titles if v.sex), None)


def name_title_rule(title: str | None) -> dict[str, Any]:
    """Step 1, per distinct title column: which titles glued to the first or full name may be stripped."""
    return {"glued": _glued_key(_glued(*_title_column(title)))}


def name_last_column(last: str | None) -> dict[str, Any]:
    """Step 2, per distinct last-name column: the cleaned text (None when blank), a post-nominal cut off.

    The pipeline keeps only the surname from this step, so a post-nominal here (ใจดี ร.น.) is dropped.
    """
    last_clean = _clean_part(last)
    return {"last_clean": split_post_nominal(last_clean, 1)[0] if last_clean else None}


def name_first_column(glued: str, first: str | None, last_blank: bool) -> dict[str, Any]:
    """Step 3, per distinct (glued rule, first-name column, last name blank): titles stripped, both names split.

    first_present says whether the first-name column held text (else the full-name column is read);
    last_part is set only when the last name is blank and the first-name column held both names.
    """
    first_name = _clean_part(first)
    if not first_name:
        return {"first_present": False, "found_titles": None, "found_sex": None, "first_part": None,
                "last_part": None}
    if last_blank and (latin := _latin_name(first_name)) is not None:
        return {"first_present": True, **latin}
    titles, first_name, suffix = _read_name(first, _glued_from_key(glued), 2 if last_blank else 1)
    last_name = None
    if first_name and last_blank and " " in first_name:
        first_name, last_name = first_name.split(" ", 1)
    found_titles, found_sex = _found(titles, suffix)
    return {"first_present": True, "found_titles": found_titles, "found_sex": found_sex,
            "first_part": first_name or None, "last_part": last_name}


def name_full_column(glued: str, full: str | None) -> dict[str, Any]:
    """Step 3 for rows with no first or last name: titles stripped from ชื่อ-สกุล, split at the first space."""
    full_text = _clean_part(full)
    if not full_text:
        return {"found_titles": None, "found_sex": None, "first_part": None, "last_part": None}
    latin = _latin_name(full_text)
    if latin is not None:
        return latin
    titles, rest, suffix = _read_name(full, _glued_from_key(glued), 2)
    first_name, _, last_name = rest.partition(" ")
    found_titles, found_sex = _found(titles, suffix)
    return {"found_titles": found_titles, "found_sex": found_sex, "first_part": first_name or None,
            "last_part": last_name or None}


def name_part(part: str | None) -> dict[str, Any]:
    """Step 4, per distinct first or last name: cleaned, and its phonetic and romanised keys."""
    name = _clean_part(part)
    lk, udom, meta, roman = _keys(name)
    return {"name": name, "lk82": lk, "udom83": udom, "metasound": meta, "roman": roman}


def name_title(title: str | None, found_titles: str | None, found_sex: str | None) -> dict[str, Any]:
    """Step 5, per distinct (title column, titles found in the name): canonical titles and the sex they imply."""
    in_column, extra = _title_column(title)
    canonicals = [v.canonical for v in in_column] + (found_titles.split(_BAR) if found_titles else [])
    sex = next((v.sex for v in in_column if v.sex), None) or found_sex
    return {"title": " ".join([*dict.fromkeys(canonicals), *extra]) or None, "sex": sex}


def parse_name(
    full: str | None = None, *, title: str | None = None, first: str | None = None, last: str | None = None
) -> dict[str, Any]:
    """Title, sex, cleaned first/last name and their keys, from separate columns or one ชื่อ-สกุล field.

    Separate first/last columns win over ``full``; blank input gives name_status 'no_name'. Never raises.
    The steps are the ``name_*`` functions above; the pipeline runs each once per distinct value of its own
    columns and joins them in SQL (transforms/stage_sql.py), and a test checks both give the same rows.

    Examples:
        >>> parse_name("นายสมชาย ใจดี")["first_name"], parse_name("น.ส.สมศรี ณ อยุธยา")["last_name"]
        ('สมชาย', 'ณ อยุธยา')
    """
    glued = name_title_rule(title)["glued"]
    last_clean = name_last_column(last)["last_clean"]
    split = name_first_column(glued, first, last_clean is None)
    if split["first_present"] or last_clean:
        split["last_part"] = last_clean or split["last_part"]
    else:
        split = name_full_column(glued, full)
    f, s = name_part(split["first_part"]), name_part(split["last_part"])
    return {
        **name_title(title, split["found_titles"], split["found_sex"]),
        "first_name": f["name"],
        "last_name": s["name"],
        "first_lk82": f["lk82"], "first_udom83": f["udom83"], "first_metasound": f["metasound"],
        "last_lk82": s["lk82"], "last_udom83": s["udom83"], "last_metasound": s["metasound"],
        "first_roman": f["roman"], "last_roman": s["roman"],
        "name_status": "ok" if f["name"] or s["name"] else "no_name",
    }
