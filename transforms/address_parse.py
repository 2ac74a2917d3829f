"""Split a free-text Thai address into its parts, in whatever order they were typed.

Words that label a part (ต., อำเภอ, ม.4, ซ., ถนน, บ้านเลขที่…) are read first; names typed without
labels are then placed with the gazetteer, reading right to left as Thai addresses are written
(subdistrict, district, province): the rightmost province name is the province, the rightmost
remaining district name in that province is the district, then a subdistrict of that district.
A lone unlabelled word is never taken for a place: it needs a province, a postal code or a
district/subdistrict partner beside it.
"""

import re
from collections.abc import Callable
from functools import lru_cache

from transforms.address_gazetteer import (
    abolished_by_code,
    abolished_index,
    area_codes,
    name_key,
    postal_index,
    subdistrict_codes,
)
from transforms.address_tokens import AREA_ROLES, MARKER_START, THAI_NAME, marker
from transforms.address_tokens import tokens as split_tokens
from transforms.thai_text import thai_digits_to_arabic

PARSE_KEYS = (
    "house_no", "village_no", "village_name", "soi", "road", "subdistrict", "district", "province",
    "postal_code", "subdistrict_code", "rest",
)

# A house number: "12", "12/3", "99/1-2", "12ก"; longer digit runs are phone numbers or IDs.
_HOUSE = re.compile(r"^\d{1,5}[ก-ฮ]?(?:[/-]\d{1,4}[ก-ฮ]?)*$")
_PHONE = re.compile(r"^0\d{1,2}-\d{3}-\d{3,4}$")  # "081-234-5678", "02-123-4567": never a house number
_CODE = re.compile(r"^(?:\d{6}|\d{8})$")
_NUMBER = re.compile(r"^\d+$")
# Roads named with a number ("ถนนพระราม 1"): the number is part of the road even before a house number.
_NUMBERED_ROADS = ("พระราม", "พระรามที่")
_ROAD_NO = re.compile(r"^\d{1,3}$")
# Most addresses open with the house number ("77 ม.7 ต.ปังกู ..."), and a village's households differ only
# there. A first token of 1-4 digits (with /n) is always the house number whatever its value (a postal code
# has 5 digits, a code 6 or 8), so the rest is parsed once per village, with "1" in the number's place.
_LEADING_HOUSE = re.compile(r"[ \t]*([0-9]{1,4}(?:/[0-9]{1,4})?)[ \t]+(?=\S)")
# Then the village number ("ม.7", "หมู่ 12", "หมู่ที่ 3"): its digits only ever become village_no, read as a
# number, so it too is parsed as "1" and put back.
_LEADING_VILLAGE = re.compile(r"(ม\.|หมู่ที่|หมู่)([ \t]?)([0-9]{1,3})[ \t]+(?=\S)")


def _take_value(role: str, rest: str, tokens: list[str], i: int) -> tuple[str, int]:
    """The value after a label: the glued rest, else the next token unless that is a label itself."""
    if rest:
        return rest, i + 1
    if i + 1 < len(tokens) and (
        not tokens[i + 1].startswith(MARKER_START) or area_codes("subdistrict", name_key(tokens[i + 1]))[1]
    ):
        return tokens[i + 1], i + 2
    return "", i + 1


def _numeric(token: str, out: dict[str, str | None]) -> bool:
    """Place a bare number: postal code, DOPA code or house number. False if it is none of them."""
    if not _HOUSE.match(token) and not _CODE.match(token) or token[0] == "0" and _PHONE.match(token):
        return False
    if len(token) == 5 and token in postal_index() and not out["postal_code"]:
        out["postal_code"] = token
    elif len(token) in (6, 8) and not out["subdistrict_code"] and (
        token[:6] in subdistrict_codes() or token[:6] in abolished_by_code()
    ):
        # A รหัสตำบล (6 digits) or a village code (8: subdistrict + หมู่) typed into the address.
        out["subdistrict_code"] = token[:6]
        if len(token) == 8 and not out["village_no"]:
            out["village_no"] = str(int(token[6:]))
    elif not out["house_no"] and _HOUSE.match(token):
        out["house_no"] = token
    else:
        return False
    return True


def _labelled(
    tokens: list[str], out: dict[str, str | None], ends: dict[str, int],
) -> list[tuple[int, str, str | None]]:
    """Fill the labelled parts of ``out`` (and in ``ends`` the position of each labelled area's last token);
    return the unlabelled tokens as (position, token, fallback)."""
    loose: list[tuple[int, str, str | None]] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        found = marker(tok)
        if tok == "กทม":
            out["province"] = out["province"] or tok
            i += 1
        elif tok == "บ้าน" and i + 1 < len(tokens):
            out["village_name"] = out["village_name"] or "บ้าน" + tokens[i + 1]
            i += 2
        elif tok in ("กิ่ง", "-"):
            i += 1
        elif found is None or found[0] == "road" and area_codes("subdistrict", name_key(tok))[1]:
            # "ถนนหัก" is a subdistrict as well as a road; บ้าน… may be a subdistrict or a village.
            if not _numeric(tok, out):
                fallback = "road" if found else "village_name" if tok.startswith("บ้าน") else None
                loose.append((i, tok, fallback))
            i += 1
        else:
            role, rest = found
            value, i = _take_value(role, rest, tokens, i)
            if role == "village_no":
                if not _NUMBER.match(value):
                    loose.append((i - 1, tok, None))
                    continue
                value = str(int(value))
            numbered = role == "road" and value in _NUMBERED_ROADS or role == "soi" and out["house_no"]
            if (numbered or role == "road" and out["house_no"]) and i < len(tokens) and _ROAD_NO.match(tokens[i]):
                # "ซ.สุขุมวิท 101", "ถนนพระราม 1": once the house number is known, or the road is a numbered one
                value, i = f"{value} {tokens[i]}", i + 1
            if role == "village_name" and tok.startswith("บ.") and value:
                value = "บ้าน" + value
            if value and not out[role]:
                out[role] = value
                ends[role] = i - 1
    return loose


def _after_village_no(tokens: list[str], pos: int) -> bool:
    def is_label(tok: str) -> bool:
        return (marker(tok) or ("", ""))[0] == "village_no"

    return pos > 0 and is_label(tokens[pos - 1]) or pos > 1 and tokens[pos - 1].isdigit() and is_label(
        tokens[pos - 2]
    )


@lru_cache(maxsize=1 << 16)  # pure, and the same few thousand (codes, parents) pairs come back address after address
def _in(codes: tuple[str, ...], parents: tuple[str, ...] | None) -> tuple[str, ...]:
    return codes if parents is None else tuple(c for c in codes if c[: len(parents[0])] in parents)


@lru_cache(maxsize=1 << 16)
def _sub_codes(key: str, parents: tuple[str, ...] | None) -> tuple[str, ...]:
    """Current subdistricts with this name (or skeleton) under ``parents``, plus abolished ones there."""
    old = tuple(code for code, _ in abolished_index().get(key, ()))
    return _in(area_codes("subdistrict", key)[0], parents) + _in(old, parents)


def _pick(
    role: str, codes_of: Callable[[str], tuple[str, ...]], loose: list[tuple[int, str, str | None]],
    used: set[int], out: dict[str, str | None],
) -> tuple[tuple[str, ...] | None, int | None]:
    """Codes for ``role``: from its label if it had one, else from the rightmost unused token that fits."""
    if out[role]:
        return codes_of(name_key(out[role] or "")) or None, None
    for n in range(len(loose) - 1, -1, -1):  # right to left: Thai addresses end with the province
        if n not in used and (codes := codes_of(name_key(loose[n][1]))):
            out[role] = loose[n][1]
            used.add(n)
            return codes, n
    return None, None


def _pick_pair(
    loose: list[tuple[int, str, str | None]], used: set[int], out: dict[str, str | None],
) -> tuple[tuple[str, ...] | None, int | None]:
    """The rightmost (subdistrict, district) pair of unlabelled words where the one lies in the other."""
    for n_dist in range(len(loose) - 1, 0, -1):
        districts = area_codes("district", name_key(loose[n_dist][1]))[0]
        for n_sub in range(n_dist - 1, -1, -1):
            if districts and _sub_codes(name_key(loose[n_sub][1]), districts):
                out["district"], out["subdistrict"] = loose[n_dist][1], loose[n_sub][1]
                used.update((n_dist, n_sub))
                return districts, n_dist
    return None, None


def _absorb(
    loose: list[tuple[int, str, str | None]], used: set[int], ends: dict[str, int], out: dict[str, str | None],
) -> None:
    """A word nobody claimed right after a labelled area name is that name's cut-off end: "ต.ห้วย ขะยูง".

    It is kept after a space; the resolver tries the whole name first, then the part before the space.
    """
    targets = {ends[role] + 1: role for role in AREA_ROLES if role in ends}  # the token after each labelled name
    for n, (pos, tok, _) in enumerate(loose):
        role = targets.get(pos)
        if role is not None and n not in used and THAI_NAME.match(tok):
            out[role] = f"{out[role]} {tok}"
            used.add(n)


def parse_address(text: str | None) -> dict[str, str | None]:
    """Split a free-text Thai address into its parts; never raises.

    Args:
        text: The address as typed, in any order, with or without ต./อ./จ., Thai or Arabic digits.

    Returns:
        A dict with the keys in PARSE_KEYS. Place names are as written (cleaned), not yet resolved to codes;
        ``subdistrict_code`` holds a 6-digit code typed in the text; ``rest`` holds words nothing claimed.

    Examples:
        >>> p = parse_address("12/3 ม.๔ บ้านโนนสูง ต.ในเมือง อ.เมือง จ.บุรีรัมย์ 31000")
        >>> p["house_no"], p["village_no"], p["village_name"], p["subdistrict"], p["postal_code"]
        ('12/3', '4', 'บ้านโนนสูง', 'ในเมือง', '31000')
        >>> parse_address("บ้านยาง ลำปลายมาศ บุรีรัมย์")["subdistrict"]
        'บ้านยาง'
    """
    if not isinstance(text, str) or not text.strip():
        return dict.fromkeys(PARSE_KEYS)
    # The full parse reads Thai digits as Arabic too (clean_thai); the templates below need them so.
    text = thai_digits_to_arabic(text)
    lead = _LEADING_HOUSE.match(text)
    if lead:
        rest = text[lead.end():]
        village = _LEADING_VILLAGE.match(rest)
        if village:
            # Every village label ("ม.7", "หมู่ 7", "หมู่ที่ 7") gives the number alone: one template for all.
            number = village.group(3)
            parsed = dict(_parse_template(f"ม.1 {rest[village.end():]}"))
            if parsed["house_no"] == "1" and parsed["village_no"] == "1":
                parsed["house_no"], parsed["village_no"] = lead.group(1), str(int(number))
                return parsed
        parsed = dict(_parse_template(rest))
        if parsed["house_no"] == "1":
            parsed["house_no"] = lead.group(1)
            return parsed
    return _parse(text)


@lru_cache(maxsize=1 << 16)  # one entry per village and typing style: a province has ~60,000
def _parse_template(rest: str) -> tuple[tuple[str, str | None], ...]:
    """The parse of "1 " + rest: an address with its house number (and village number) replaced by 1."""
    return tuple(_parse("1 " + rest).items())


def _parse(text: str) -> dict[str, str | None]:
    out: dict[str, str | None] = dict.fromkeys(PARSE_KEYS)
    tokens = split_tokens(text)
    ends: dict[str, int] = {}
    loose = _labelled(tokens, out, ends)
    used: set[int] = set()
    provinces, _ = _pick("province", lambda k: area_codes("province", k)[0], loose, used, out)
    if any(out[k] for k in ("province", "district", "subdistrict", "subdistrict_code", "postal_code")):
        districts, n_dist = _pick("district", lambda k: _in(area_codes("district", k)[0], provinces), loose, used, out)
    else:
        # Nothing else places the address: an unlabelled district name counts only with a subdistrict of
        # its own before it ("บ้านยาง ลำปลายมาศ"); "12 ม.4 บ้านนา" is a village, not อ.บ้านนา.
        districts, n_dist = _pick_pair(loose, used, out)
    if out["subdistrict"] or districts or provinces or out["postal_code"]:
        # A lone unlabelled word is no address: "นายสมชาย ใจดี" must not become ต.ใจดี, ศรีสะเกษ.
        _pick("subdistrict", lambda k: _sub_codes(k, districts or provinces), loose, used, out)
    if not out["subdistrict"] and n_dist and n_dist - 1 not in used and loose[n_dist - 1][2] != "road":
        # "บ้านยงา ลำปลายมาศ": an unknown word right before an unlabelled district is its subdistrict,
        # misspelt; the resolver may still match it among that district's subdistricts. Not so for
        # the บ้าน… that follows "ม.4": that is the village's name.
        pos = loose[n_dist - 1][0]
        if pos == loose[n_dist][0] - 1 and not _after_village_no(tokens, pos):
            out["subdistrict"] = loose[n_dist - 1][1]
            used.add(n_dist - 1)
    for n, (_, tok, fallback) in enumerate(loose):
        if n not in used and fallback and not out[fallback]:
            out[fallback] = tok.removeprefix("ถนน") if fallback == "road" else tok
            used.add(n)
    _absorb(loose, used, ends, out)
    out["rest"] = " ".join(tok for n, (_, tok, _) in enumerate(loose) if n not in used) or None
    return out
