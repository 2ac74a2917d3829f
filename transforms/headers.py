"""Find the header row of a sheet and map its headers to canonical column names."""

import re
import unicodedata
from collections.abc import Mapping, Sequence

_INVISIBLE = re.compile("[\u200b\u200c\u200d\ufeff\u00a0]")
_SPACE = re.compile(r"\s+")
# How many leading lines may hold titles before the header (a fund name, a date, a blank line).
HEADER_SEARCH_ROWS = 15
# A header row must name at least this many known columns, so a title line never wins.
MIN_HEADER_MATCHES = 2


def header_key(text: object) -> str:
    """A header as compared: NFC, invisible characters gone, lower case, no spaces.

    Examples:
        >>> header_key(" ชื่อ - สกุล ")
        'ชื่อ-สกุล'
        >>> header_key("First Name")
        'firstname'
    """
    if text is None:
        return ""
    s = unicodedata.normalize("NFC", str(text))
    s = _INVISIBLE.sub("", s).replace("\u0e4d\u0e32", "\u0e33")
    return _SPACE.sub("", s).lower()


def map_headers(
    headers: Sequence[object], synonyms: Mapping[str, str], overrides: Mapping[str, str] | None = None
) -> dict[int, str]:
    """Map header positions to canonical names; the first header naming a canonical column wins.

    Args:
        headers: the header row's cells.
        synonyms: {header_key(synonym): canonical}.
        overrides: a source's own {header as written: canonical}, checked before the synonyms.

    Examples:
        >>> map_headers(["ลำดับ", "ชื่อ", "นามสกุล"], {"ชื่อ": "first_name", "นามสกุล": "last_name"})
        {1: 'first_name', 2: 'last_name'}
    """
    own = {header_key(k): v for k, v in (overrides or {}).items()}
    mapping: dict[int, str] = {}
    taken: set[str] = set()
    for i, cell in enumerate(headers):
        key = header_key(cell)
        canonical = own.get(key) or synonyms.get(key)
        if canonical and canonical not in taken:
            mapping[i] = canonical
            taken.add(canonical)
    return mapping


def find_header_row(
    rows: Sequence[Sequence[object]], synonyms: Mapping[str, str], overrides: Mapping[str, str] | None = None
) -> int | None:
    """Index of the row among the first HEADER_SEARCH_ROWS that names the most known columns, or None.

    A row naming one column only counts when that column comes from the source's own mapping:
    a title line that happens to contain "ชื่อ" must not win.

    Examples:
        >>> syn = {"ชื่อ": "first_name", "นามสกุล": "last_name"}
        >>> find_header_row([["ทะเบียนสมาชิก"], [], ["ชื่อ", "นามสกุล"], ["สมชาย", "ใจดี"]], syn)
        2
    """
    best, best_count = None, MIN_HEADER_MATCHES - 1
    own = {header_key(k) for k in overrides or {}}
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        count = len(map_headers(row, synonyms, overrides))
        configured = any(header_key(c) in own for c in row)
        if count > best_count or (configured and count and best is None):
            best, best_count = i, count
    return best
