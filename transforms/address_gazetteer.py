"""Lookup tables over geothai's DOPA gazetteer, built once, and the text clean-up they rely on.

Everything here is keyed by ``name_key()``: one written form per name, so "ต. ในเมือง", "ตำบลในเมือง"
and "ในเมือง" meet. Indexes are built lazily with ``functools.cache`` (about 0.2 s) and shared by
``address_parse`` and ``address_resolve``. The only data read is geothai's own package data.
"""

import re
from functools import cache, lru_cache

import geothai
from geothai.abolished import abolished_areas

from transforms.thai_text import clean_text

# Level words and short forms a name may carry; the short forms need their dot (อ่างทอง starts with อ).
_LEVEL_PREFIX = re.compile(r"^(?:จังหวัด|กิ่งอำเภอ|อำเภอ|เขต|ตำบล|แขวง|กิ่ง|(?:จ|อ|ต)\.)\s*")
_KEY_DROP = re.compile(r"[\s.'\-()ฯ]")
# Shorthand people write for provinces, beyond the official Thai and English names.
PROVINCE_ALIASES = {
    "กทม": "10", "กรุงเทพ": "10", "กรุงเทพมหานคร": "10", "bangkok": "10", "bkk": "10",
    "อยุธยา": "14", "โคราช": "30",
}
CAPITAL_KEYS = ("เมือง", "mueang")
# What PDF extraction and hurried typing change without changing the name: tone marks and the thanthakhat
# (dropped, moved, or left as a space), sara am written as sara aa after its nikhahit is lost, and letters
# that sound alike (ศ/ษ/ส, ณ/น, ฬ/ล, ...). No two subdistricts of one district share a skeleton, so a
# skeleton match inside a district is never another place (tests/test_address_wild.py checks this).
_SKELETON = str.maketrans({
    "\u0e48": None, "\u0e49": None, "\u0e4a": None, "\u0e4b": None, "\u0e4c": None, "\u0e4d": None,
    "ำ": "า", "ศ": "ส", "ษ": "ส", "ณ": "น", "ฬ": "ล", "ภ": "พ", "ธ": "ท", "ฑ": "ท", "ฒ": "ท", "ฐ": "ถ",
    "ฎ": "ด", "ฏ": "ต", "ญ": "ย", "ฃ": "ข", "ฅ": "ค", "ฆ": "ค",
})


def clean_thai(text: str) -> str:
    """The project's Thai clean-up (``thai_text.clean_text``: NFC, invisible characters, sara am, tone
    order, Thai digits to ASCII, one space), with "" rather than None for a blank.

    Examples:
        >>> clean_thai("ม.\u200b๔  น\u0e49\u0e4d\u0e32")
        'ม.4 น้ำ'
    """
    return clean_text(text) or ""


@lru_cache(maxsize=1 << 16)  # the same few thousand place names come back row after row
def name_key(text: str) -> str:
    """The form a place name is compared in: clean, lower case, no level word, spaces or dots.

    Examples:
        >>> name_key("อ. เมือง")
        'เมือง'
        >>> name_key("กรุงเทพฯ")
        'กรุงเทพ'
    """
    s = clean_thai(text).lower()
    s = _LEVEL_PREFIX.sub("", s)
    return _KEY_DROP.sub("", s)


def skeleton(key: str) -> str:
    """A name key with the marks and letter choices that noise changes folded away.

    Examples:
        >>> skeleton(name_key("ลำปลายมาศ")) == skeleton(name_key("ล าปลายมาส"))
        True
    """
    return key.translate(_SKELETON)


def _alternates(name: str) -> set[str]:
    # "ปอภาร (ปอพาน)": the gazetteer keeps a second spelling in brackets; either may be written.
    keys = {name_key(name)}
    if "(" in name:
        head, _, tail = name.partition("(")
        keys |= {name_key(head), name_key(tail.rstrip(")"))}
    return {k for k in keys if k}


def _group(pairs: list[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    out: dict[str, set[str]] = {}
    for key, code in pairs:
        out.setdefault(key, set()).add(code)
    return {k: tuple(sorted(v)) for k, v in out.items()}


@cache
def province_index() -> dict[str, tuple[str, ...]]:
    """{name key: province codes}, with the aliases in PROVINCE_ALIASES."""
    pairs = [(k, p.code) for p in geothai.provinces() for k in _alternates(p.name_th) | _alternates(p.name_en)]
    pairs += list(PROVINCE_ALIASES.items())
    return _group(pairs)


@cache
def district_codes_by_province() -> dict[str, tuple[str, ...]]:
    """{province code: its district codes}."""
    return {p.code: tuple(d.code for d in geothai.districts(p.code)) for p in geothai.provinces()}


@cache
def district_index() -> dict[str, tuple[str, ...]]:
    """{name key: district codes}; "เมือง" lists every capital district (XX01, none in Bangkok)."""
    pairs: list[tuple[str, str]] = []
    for codes in district_codes_by_province().values():
        for code in codes:
            d = geothai.district(code)
            if d is None:
                continue
            pairs += [(k, code) for k in _alternates(d.name_th) | _alternates(d.name_en)]
            if code.endswith("01") and not code.startswith("10"):
                pairs += [(k, code) for k in CAPITAL_KEYS]
    return _group(pairs)


@cache
def subdistricts_by_district() -> dict[str, tuple[tuple[str, str], ...]]:
    """{district code: ((name key, subdistrict code), ...)}, the children fuzzy matching may pick from."""
    out: dict[str, list[tuple[str, str]]] = {}
    for codes in district_codes_by_province().values():
        for dcode in codes:
            for s in geothai.subdistricts(dcode):
                out.setdefault(dcode, []).extend((k, s.code) for k in _alternates(s.name_th))
    return {k: tuple(v) for k, v in out.items()}


@cache
def subdistrict_index() -> dict[str, tuple[str, ...]]:
    """{name key: current subdistrict codes} over Thai and English names."""
    pairs = [pair for children in subdistricts_by_district().values() for pair in children]
    for children in subdistricts_by_district().values():
        for _, code in children:
            s = geothai.subdistrict(code)
            if s is not None:
                pairs += [(k, code) for k in _alternates(s.name_en)]
    return _group(pairs)


@cache
def capital_by_province_name() -> dict[str, tuple[str, ...]]:
    """{province name key: its capital district}: "อ.หนองบัวลำภู" is written for อำเภอเมืองหนองบัวลำภู.

    Kept out of ``district_index`` so that a column of province names does not also read as districts.
    """
    return {k: (f"{code}01",) for k, codes in province_index().items() for code in codes
            if code != "10" and f"{code}01" in district_codes_by_province().get(code, ())}


def _skeletons(index: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    return _group([(skeleton(k), code) for k, codes in index.items() for code in codes])


@cache
def skeleton_indexes() -> dict[str, dict[str, tuple[str, ...]]]:
    """{level: {skeleton: codes}} for "province", "district" (with capitals by province name), "subdistrict"."""
    districts = {**capital_by_province_name(), **district_index()}
    return {"province": _skeletons(province_index()), "district": _skeletons(districts),
            "subdistrict": _skeletons(subdistrict_index())}


@lru_cache(maxsize=1 << 16)
def area_codes(level: str, key: str) -> tuple[tuple[str, ...], bool]:
    """(codes, exact) for a name key at ``level``: the exact name first, else its skeleton; ((), False) if none.

    Examples:
        >>> area_codes("district", "หนองบัวลำภู")
        (('3901',), True)
        >>> area_codes("subdistrict", "หวยราชา")  # ห้วยราชา with its tone mark lost
        (('311608',), False)
    """
    index = {"province": province_index, "district": district_index, "subdistrict": subdistrict_index}[level]()
    found = index.get(key) or (capital_by_province_name().get(key) if level == "district" else None)
    if found:
        return found, True
    return skeleton_indexes()[level].get(skeleton(key), ()), False


@cache
def _named_keys(levels: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]]:
    """(exact name keys, skeletons) that ``area_codes`` finds codes for at any of ``levels``."""
    indexes = {"province": province_index, "district": district_index, "subdistrict": subdistrict_index}
    exact = {k for level in levels for k in indexes[level]()}
    if "district" in levels:
        exact |= capital_by_province_name().keys()
    return frozenset(exact), frozenset(k for level in levels for k in skeleton_indexes()[level])


def is_named(key: str, levels: tuple[str, ...]) -> bool:
    """True when ``area_codes(level, key)`` finds codes at one of ``levels``: two set lookups instead of a
    cached call per level (tokenising asks this of every word and of every cut of an unknown one).

    Examples:
        >>> is_named("หวยราชา", ("subdistrict",)), is_named("หวยราชา", ("district", "province"))
        (True, False)
    """
    exact, skeletons = _named_keys(levels)
    return key in exact or skeleton(key) in skeletons


@cache
def abolished_index() -> dict[str, tuple[tuple[str, tuple[str, ...]], ...]]:
    """{name key: ((abolished subdistrict code, successor codes), ...)}."""
    out: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for a in abolished_areas():
        if a.level == "subdistrict":
            for k in _alternates(a.name_th):
                out.setdefault(k, []).append((a.code, a.successors))
    return {k: tuple(v) for k, v in out.items()}


@cache
def abolished_by_code() -> dict[str, tuple[str, ...]]:
    """{abolished subdistrict code: successor codes (maybe none)}."""
    return {a.code: a.successors for a in abolished_areas() if a.level == "subdistrict"}


@cache
def postal_index() -> dict[str, frozenset[str]]:
    """{postal code: subdistrict codes using it}."""
    out: dict[str, set[str]] = {}
    for children in subdistricts_by_district().values():
        for _, code in children:
            s = geothai.subdistrict(code)
            for pc in s.postal_codes if s else ():
                out.setdefault(pc, set()).add(code)
    return {k: frozenset(v) for k, v in out.items()}


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance over code points when it is at most ``limit``, else ``limit + 1``.

    Only the band of cells within ``limit`` of the diagonal is computed (a path outside it costs more than
    ``limit``), and a row with no cell within ``limit`` ends the search: fuzzy matching compares a name with every
    name of a district, and most are far.

    Examples:
        >>> edit_distance("บ้านยาง", "บานยาง", 2), edit_distance("บ้านยาง", "หนองกี่", 2)
        (1, 3)
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    over, width = limit + 1, len(b)
    prev = [j if j < over else over for j in range(width + 1)]
    for i, ca in enumerate(a, 1):
        lo, hi = max(1, i - limit), min(width, i + limit)
        cur = [over] * (width + 1)
        if i < over:
            cur[0] = i
        best = cur[lo - 1]
        for j in range(lo, hi + 1):
            v = prev[j - 1] + (ca != b[j - 1])
            if prev[j] + 1 < v:
                v = prev[j] + 1
            if cur[j - 1] + 1 < v:
                v = cur[j - 1] + 1
            cur[j] = v if v < over else over
            if v < best:
                best = v
        if best >= over:
            return over
        prev = cur
    return prev[width]


def fuzzy_limit(key: str) -> int:
    """Edits allowed for a name of this length: none for 1-2 code points, 1 up to 5, else 2."""
    return 0 if len(key) <= 2 else 1 if len(key) <= 5 else 2


def closest(key: str, options: list[tuple[str, str]]) -> tuple[int, tuple[str, ...]]:
    """Best (distance, codes) among (name key, code) options within ``fuzzy_limit``; (limit+1, ()) if none."""
    limit = fuzzy_limit(key)
    best, codes = limit + 1, set()
    for name, code in options:
        d = edit_distance(key, name, min(limit, best))
        if d < best:
            best, codes = d, {code}
        elif d == best and d <= limit:
            codes.add(code)
    return best, tuple(sorted(codes))


@cache
def subdistrict_codes() -> frozenset[str]:
    """Every current six-digit subdistrict code."""
    return frozenset(code for children in subdistricts_by_district().values() for _, code in children)
