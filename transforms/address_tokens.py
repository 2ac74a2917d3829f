"""Cut a free-text Thai address into tokens, mending what typing and PDF extraction did to its words.

Thai writes no spaces inside a word, so a space inside an area name is noise: PDF extraction leaves one
where a sara am lost its nikhahit ("ล าปลายมาศ") or where a tone mark was dropped ("บ านยาง"), and a
stray one cuts "หนองกี่" into "หนอง กี่". A fragment that cannot begin a syllable (า, ำ, a vowel or tone
mark) always joins the word before it; two words join when together they make a known area name.
Glued words are cut only where the halves make sense together: a district and its province, a
subdistrict and its district ("ลำปลายมาศบุรีรัมย์"), never two unrelated names ("ห้วยขะยูง").
Phone numbers, floors and rooms are kept as one token so that their digits never become a house number.
"""

import re
from functools import lru_cache

from transforms.address_gazetteer import area_codes, clean_thai, is_named, name_key

# (label, role), longest first so "หมู่ที่" wins over "หมู่" and "บ้านเลขที่" over "บ้าน".
MARKERS = (
    ("บ้านเลขที่", "house_no"), ("เลขที่", "house_no"), ("หมู่บ้าน", "village_name"),
    ("หมู่ที่", "village_no"), ("หมู่", "village_no"), ("ม.", "village_no"),
    ("ซอย", "soi"), ("ซ.", "soi"), ("ถนน", "road"), ("ถ.", "road"),
    ("ตำบล", "subdistrict"), ("ต.", "subdistrict"), ("แขวง", "subdistrict"),
    ("กิ่งอำเภอ", "district"), ("อำเภอ", "district"), ("อ.", "district"), ("เขต", "district"),
    ("จังหวัด", "province"), ("จว.", "province"), ("จ.", "province"), ("บ.", "village_name"),
)
MARKER_START = tuple(m for m, _ in MARKERS)
AREA_ROLES = ("subdistrict", "district", "province")
_MARKER_ROLE = dict(MARKERS)
_MARKER_RE = re.compile("|".join(re.escape(m) for m, _ in MARKERS))  # tried in order: longest first
# Labels typed without their dot, as a token of their own: "ต ในเมือง อ เมือง จ บุรีรัมย์".
_BARE_LABELS = {"ต": "subdistrict", "อ": "district", "จ": "province", "ม": "village_no", "ซ": "soi", "ถ": "road"}
_VILLAGE_GLUED = re.compile(r"^ม(\d{1,3})$")  # "ม4"
_SEPARATORS = re.compile(r"[,;:()\[\]{}\"“”'|]")
_BANGKOK = re.compile(r"กทม\.?|กรุงเทพมหานคร|กรุงเทพฯ|กรุงเทพ")
# Dotted short forms glued to what comes before ("12/3ม.4", "ต.ในเมืองอ.เมือง"): cut before them.
_GLUED_SHORT = re.compile(r"(?<=\S)(?=(?:ต|อ|จ|ม|ซ|ถ)\.)")
# Whole level words glued to a name; สามตำบล and กิ่งอำเภอ contain one and must stay whole.
_GLUED_WORD = re.compile(r"(?<=[^\s])(?<!สาม)(?<!กิ่ง)(?=ตำบล|แขวง|อำเภอ|กิ่งอำเภอ|จังหวัด|หมู่ที่|บ้านเลขที่)")
_GLUED_POSTAL = re.compile(r"(?<=[^\d\s/.-])(?=\d{5}(?!\d))")
# English names span words ("Nai Mueang"); joined, they meet the gazetteer's English keys.
_ENGLISH_WORDS = re.compile(r"[A-Za-z][A-Za-z'-]*(?: +[A-Za-z][A-Za-z'-]*)+")
THAI_NAME = re.compile(r"^[ก-๛.]+$")
# A fragment starting with a following vowel, an above/below vowel or a mark cannot begin a syllable.
_NON_INITIAL = re.compile("^[\u0e30-\u0e3a\u0e45\u0e47-\u0e4e]")
# Words whose numbers are not the house number: a phone, a floor, a room, a P.O. box.
_NOT_HOUSE = re.compile(r"^(?:โทรศัพท์|โทรสาร|โทร|มือถือ|แฟกซ์|tel|fax|mobile|ชั้น|ห้อง|ตู้ปณ|ปณ)\.?", re.I)
_NUMBER_PART = re.compile(r"^[\d\-/.+]+$")


def tokens(text: str) -> list[str]:
    """The words of an address, labels cut from glued names and noise-cut names put back together.

    Examples:
        >>> tokens("ต.หนอง กี่ อ.ล าปลายมาศ โทร 081-234-5678")
        ['ต.หนองกี่', 'อ.ลาปลายมาศ', 'โทร081-234-5678']
    """
    s = _ENGLISH_WORDS.sub(lambda m: m.group(0).replace(" ", ""), clean_thai(text))
    s = _SEPARATORS.sub(" ", s)
    s = _BANGKOK.sub(" กทม ", s)
    s = _GLUED_SHORT.sub(" ", s)
    s = _GLUED_WORD.sub(" ", s)
    s = _GLUED_POSTAL.sub(" ", s)
    return _rejoin([part for tok in s.split() for part in _unglue(tok)])


def _rejoin(toks: list[str]) -> list[str]:
    out: list[str] = []
    for tok in toks:
        if out and _may_glue(out[-1], tok) and _glued(out[-1], tok):
            out[-1] += tok
        else:
            out.append(tok)
    return out


def _may_glue(prev: str, tok: str) -> bool:
    """False for pairs ``_glued`` certainly refuses, told without its cache, whose misses cost more than it
    saves (most pairs are new: a house number, a village number beside a name): nothing joins a digit-led token
    (a house number) or is a label; only Thai words or marks join a Thai word; else only digits after a phone
    or floor word."""
    if prev[0].isdigit() or tok.startswith(MARKER_START):
        return False
    if THAI_NAME.match(prev) and (THAI_NAME.match(tok) or _NON_INITIAL.match(tok)):
        return True
    return bool(_NOT_HOUSE.match(prev) and _NUMBER_PART.match(tok))


@lru_cache(maxsize=1 << 16)  # the same neighbouring words come back address after address
def _glued(prev: str, tok: str) -> bool:
    """True when ``tok`` belongs to the token before it: digits after โทร or ชั้น ("โทร 081 234 5678",
    one token, no house number in it), a fragment that cannot begin a syllable, or the rest of a name."""
    if _NOT_HOUSE.match(prev) and _NUMBER_PART.match(tok):
        return True
    if _NON_INITIAL.match(tok) and THAI_NAME.match(prev):
        return True
    return _joins(prev, tok)


@lru_cache(maxsize=1 << 16)
def _joins(prev: str, tok: str) -> bool:
    """True when ``prev`` (a name, or a label with its name) and ``tok`` make one known area name."""
    # A lone ต/อ/จ/ม/ซ/ถ may be a label typed without its dot or the last letter of a name cut off ("ต.ลื อ").
    label = marker(tok) is not None and tok not in _BARE_LABELS
    if not THAI_NAME.match(tok) or not THAI_NAME.match(prev) or label or tok == "กทม":
        return False
    found = marker(prev)
    head = prev if found is None else found[1] if found[0] in AREA_ROLES else ""
    return bool(head) and known(name_key(head + tok))


@lru_cache(maxsize=1 << 16)  # place names and labels repeat address after address
def _unglue(token: str) -> tuple[str, ...]:
    """Split "ลาดยาวเขตจตุจักร" or "ลำปลายมาศบุรีรัมย์" when the whole is no name but the halves nest."""
    key = name_key(token)
    if len(key) < 6 or known(key) or not THAI_NAME.match(token):
        return (token,)
    for cut in range(len(token) - 2, 1, -1):
        head, tail = token[:cut], token[cut:]
        if tail.startswith("เขต") and known(name_key(tail)) or _nests(head, tail):
            return (*_unglue(head), tail)
    return (token,)


def _nests(head: str, tail: str) -> bool:
    """True when ``tail`` names a district or province and ``head`` an area inside it (or a label, before
    a province)."""
    if not is_named(name_key(tail), ("district", "province")):
        return False  # most cuts: the tail names no district or province
    province = area_codes("province", name_key(tail))[0]
    outer = area_codes("district", name_key(tail))[0] or province
    if not outer or marker(head) is not None:
        return bool(province)  # "อ.ลำปลายมาศบุรีรัมย์"; a label with a district glued on is cut before เขต
    inner = area_codes("subdistrict", name_key(head))[0] + area_codes("district", name_key(head))[0]
    return any(code.startswith(o) for code in inner for o in outer)


def known(key: str) -> bool:
    """True when the key (or its skeleton) names a subdistrict, district or province."""
    return is_named(key, AREA_ROLES)


@lru_cache(maxsize=1 << 16)
def marker(token: str) -> tuple[str, str] | None:
    """(role, value glued to the label) when the token starts with a label; None otherwise.

    Examples:
        >>> marker("ต.ในเมือง"), marker("ม4"), marker("ในเมือง")
        (('subdistrict', 'ในเมือง'), ('village_no', '4'), None)
    """
    if token in _BARE_LABELS:
        return _BARE_LABELS[token], ""
    if glued := _VILLAGE_GLUED.match(token):
        return "village_no", glued.group(1)
    label = _MARKER_RE.match(token)
    if label is None:
        return None
    return _MARKER_ROLE[label.group(0)], token[label.end():].strip(".")
