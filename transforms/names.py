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
A combined name is split at its first space after the titles; the rest is the surname, so ณ อยุธยา stays whole.
"""

import re
from functools import cache, lru_cache
from typing import Any, NamedTuple

from pythainlp.soundex import lk82, metasound, udom83

from schemas.titles import load_titles
from transforms.thai_text import clean_text, roman_key

__all__ = ["NAME_COLUMNS", "parse_name"]

NAME_COLUMNS: list[tuple[str, str]] = [
    ("title", "VARCHAR"), ("sex", "VARCHAR"), ("first_name", "VARCHAR"), ("last_name", "VARCHAR"),
    ("first_lk82", "VARCHAR"), ("first_udom83", "VARCHAR"), ("first_metasound", "VARCHAR"),
    ("last_lk82", "VARCHAR"), ("last_udom83", "VARCHAR"), ("last_metasound", "VARCHAR"),
    ("first_roman", "VARCHAR"), ("last_roman", "VARCHAR"), ("name_status", "VARCHAR"),
]
_SEP = re.compile(r"[.\s]+")
_NAME_START = re.compile(r"[ก-ฮเ-ไA-Za-z]")
_EDGE_PUNCT = re.compile(r"^[\s.,;:'\"()\-_/*]+|[\s.,;:'\"()\-_/*]+$")
_MAX_STACK = 5  # more titles than this in one cell is not a name


class _Variant(NamedTuple):
    pattern: re.Pattern[str]
    canonical: str
    sex: str | None
    abbreviation: bool  # dotless or Latin abbreviations are never stripped when glued


def _key(variant: str) -> str:
    return _SEP.sub("", variant).lower()


@cache
def _variants() -> dict[str, tuple[_Variant, ...]]:
    """Title patterns grouped by first character, longest key first (built once)."""
    titles = load_titles()
    # An abbreviation (a final dot somewhere in the table) must keep its dot to be stripped when glued.
    abbreviated = {_key(t.variant) for t in titles if t.variant.endswith(".") or t.variant.isascii()}
    seen: set[str] = set()
    grouped: dict[str, list[_Variant]] = {}
    for t in sorted(titles, key=lambda t: -len(_key(t.variant))):
        key = _key(t.variant)
        if key in seen:
            continue
        seen.add(key)
        segments = [s for s in _SEP.split(t.variant) if s]
        pattern = re.compile(r"[.\s]*".join(map(re.escape, segments)) + r"\.?", re.IGNORECASE)
        grouped.setdefault(key[0], []).append(_Variant(pattern, t.canonical, t.sex, key in abbreviated))
    return {k: tuple(v) for k, v in grouped.items()}


def _take_title(text: str, glued: frozenset[str] | None) -> tuple[_Variant, str] | None:
    """The longest title at the start of text and the rest; glued full words only if canonical in glued."""
    for v in _variants().get(text[0].lower(), ()):
        m = v.pattern.match(text)
        if m is None:
            continue
        rest = text[m.end():]
        if not rest or rest[0] == " ":
            return v, rest.lstrip()
        if m.group().endswith((".", "ฯ")):
            return v, rest
        if glued is not None and (not glued or v.canonical in glued) and not v.abbreviation \
                and len(rest.split(" ", 1)[0]) >= 2 and _NAME_START.match(rest):
            return v, rest
    return None


@lru_cache(maxsize=65536)
def _strip_titles(text: str, glued: frozenset[str] | None) -> tuple[tuple[_Variant, ...], str]:
    """Titles stacked at the start of text and what is left. glued: None = never glued, empty = any."""
    found: list[_Variant] = []
    while text and len(found) < _MAX_STACK:
        taken = _take_title(text, glued)
        if taken is None:
            break
        found.append(taken[0])
        text = taken[1]
    return tuple(found), text


@lru_cache(maxsize=262144)
def _clean_part(value: str | None) -> str | None:
    text = clean_text(value)
    return (_EDGE_PUNCT.sub("", text) or None) if text else None


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


def _glued(found: list[_Variant], extra: list[str]) -> frozenset[str] | None:
    """Which glued full-word titles may be stripped from a name: any when none seen yet, else repeats only."""
    if extra and not found:
        return None
    return frozenset(v.canonical for v in found)


def parse_name(
    full: str | None = None, *, title: str | None = None, first: str | None = None, last: str | None = None
) -> dict[str, Any]:
    """Title, sex, cleaned first/last name and their keys, from separate columns or one ชื่อ-สกุล field.

    Separate first/last columns win over ``full``; blank input gives name_status 'no_name'. Never raises.

    Examples:
        >>> parse_name("นายสมชาย ใจดี")["first_name"], parse_name("น.ส.สมศรี ณ อยุธยา")["last_name"]
        ('สมชาย', 'ณ อยุธยา')
    """
    found: list[_Variant] = []
    extra: list[str] = []  # title-column text that is no known title, kept as written
    title_text = _clean_part(title)
    if title_text:
        titles, rest = _strip_titles(title_text, frozenset())
        found += titles
        extra += [rest] if rest else []
    first_name, last_name = _clean_part(first), _clean_part(last)
    if first_name or last_name:
        if first_name:
            titles, first_name = _strip_titles(first_name, _glued(found, extra))
            found += titles
        if first_name and not last_name and " " in first_name:
            first_name, last_name = first_name.split(" ", 1)
    else:
        full_text = _clean_part(full)
        if full_text:
            titles, rest = _strip_titles(full_text, _glued(found, extra))
            found += titles
            first_name, _, last_name = rest.partition(" ")
    first_name, last_name = _clean_part(first_name), _clean_part(last_name)
    f_keys, l_keys = _keys(first_name), _keys(last_name)
    canonicals = list(dict.fromkeys(v.canonical for v in found))  # a title typed twice is written once
    return {
        "title": " ".join(canonicals + extra) or None,
        "sex": next((v.sex for v in found if v.sex), None),
        "first_name": first_name,
        "last_name": last_name,
        "first_lk82": f_keys[0], "first_udom83": f_keys[1], "first_metasound": f_keys[2],
        "last_lk82": l_keys[0], "last_udom83": l_keys[1], "last_metasound": l_keys[2],
        "first_roman": f_keys[3], "last_roman": l_keys[3],
        "name_status": "ok" if first_name or last_name else "no_name",
    }
