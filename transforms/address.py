"""Resolve Thai addresses to DOPA codes, and say so when that is not possible (issue #4).

``resolve_address()`` takes split fields (a roster's ตำบล/อำเภอ/จังหวัด columns), one free-text
address, or both, and returns one flat row with the columns in ADDRESS_COLUMNS. It never guesses in
silence: a name that fits several areas is 'ambiguous' with its candidate codes, a name that fits
none is 'unresolved', and every step that weakened the evidence is written in ``address_note``.
It is pure and cached; flows call it once per distinct address.
"""

import math
import re
from functools import lru_cache

import geothai

from transforms.address_gazetteer import clean_thai
from transforms.address_parse import parse_address
from transforms.address_resolve import Area, resolve_area

__all__ = ["ADDRESS_COLUMNS", "parse_address", "resolve_address"]

ADDRESS_COLUMNS: list[tuple[str, str]] = [
    ("house_no", "VARCHAR"),
    ("village_no", "VARCHAR"),
    ("village_name", "VARCHAR"),
    ("soi", "VARCHAR"),
    ("road", "VARCHAR"),
    ("subdistrict_name", "VARCHAR"),
    ("subdistrict_code", "VARCHAR"),
    ("district_name", "VARCHAR"),
    ("district_code", "VARCHAR"),
    ("province_name", "VARCHAR"),
    ("province_code", "VARCHAR"),
    ("postal_code", "VARCHAR"),
    ("address_status", "VARCHAR"),
    ("address_confidence", "DOUBLE"),
    ("address_candidates", "VARCHAR"),
    ("address_note", "VARCHAR"),
]

_HOUSE_LABEL = re.compile(r"^(?:บ้านเลขที่|เลขที่)\s*")
_VILLAGE_NO = re.compile(r"^(?:หมู่ที่|หมู่|ม\.?)?\s*0*(\d{1,3})$")
_LABEL = re.compile(r"^(?:ซอย|ซ\.|ถนน|ถ\.)\s*")


def _text(value: object) -> str | None:
    """A cell as clean text; None for None, NaN and blanks. Whole floats lose their '.0' (Excel)."""
    if value is None or isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    s = clean_thai(str(value))
    return s or None


def _village_no(value: object) -> str | None:
    s = _text(value)
    match = _VILLAGE_NO.match(s.replace(" ", "")) if s else None
    return str(int(match.group(1))) if match else s


def _postal(value: object) -> str | None:
    s = _text(value)
    digits = re.sub(r"\D", "", s) if s else ""
    return digits if len(digits) == 5 else None


def _names(area: Area, sub: str | None, dist: str | None, prov: str | None) -> dict[str, str | None]:
    """Gazetteer names where a code is known; otherwise the name as written, so nothing typed is lost."""
    s = geothai.subdistrict(area.subdistrict_code) if area.subdistrict_code else None
    d = geothai.district(area.district_code) if area.district_code else None
    p = geothai.province(area.province_code) if area.province_code else None
    written = [x if x and not x.isdigit() else None for x in (sub, dist, prov)]
    return {
        "subdistrict_name": s.name_th if s else written[0],
        "district_name": d.name_th if d else written[1],
        "province_name": p.name_th if p else written[2],
    }


@lru_cache(maxsize=1 << 16)
def _area_fields(sub: str | None, dist: str | None, prov: str | None, postal: str | None,
                 default_sub: str | None, default_dist: str | None, default_prov: str | None) -> dict[str, object]:
    """The area's columns of a row (names, codes, postal code, status, note): the same for every household of
    a village, so made once per area as written. Callers copy it into their row; it is never changed."""
    area = resolve_area(sub, dist, prov, postal, default_sub, default_dist, default_prov)
    if area.subdistrict_code and not postal:
        found = geothai.subdistrict(area.subdistrict_code)
        postal = found.postal_codes[0] if found and len(found.postal_codes) == 1 else None
    return {
        **_names(area, sub, dist, prov),
        "subdistrict_code": area.subdistrict_code,
        "district_code": area.district_code,
        "province_code": area.province_code,
        "postal_code": postal,
        "address_status": area.status,
        "address_confidence": area.confidence,
        "address_candidates": ",".join(area.candidates) or None,
        "address_note": "; ".join(area.notes) or None,
    }


def resolve_address(
    text: str | None = None,
    *,
    house_no: object = None,
    village_no: object = None,
    village_name: object = None,
    subdistrict: object = None,
    district: object = None,
    province: object = None,
    postal_code: object = None,
    default_province: str | None = None,
    default_district: str | None = None,
    default_subdistrict: str | None = None,
) -> dict[str, object]:
    """Resolve one address to DOPA codes; never raises.

    Args:
        text: A free-text address (ที่อยู่), parsed with ``parse_address``; split fields win over it.
        house_no, village_no, village_name, subdistrict, district, province, postal_code: split fields
            as typed (labels such as "ต." or "ม." are fine). ``subdistrict`` may hold a 6-digit code.
        default_province, default_district, default_subdistrict: the file's own context (a roster of one
            subdistrict, a configured province), names or codes, used only for levels the row leaves out.

    Returns:
        A dict with exactly the keys of ADDRESS_COLUMNS.

    Examples:
        >>> r = resolve_address("12/3 ม.๔ บ้านโนนสูง ต.ในเมือง อ.เมือง จ.บุรีรัมย์ 31000")
        >>> r["subdistrict_code"], r["village_no"], r["address_status"]
        ('310101', '4', 'resolved')
        >>> resolve_address(subdistrict="310107")["address_note"]
        'abolished 310107 -> 311601; subdistrict name only'
        >>> resolve_address("ต.ในเมือง อ.เมือง")["address_status"]
        'ambiguous'
    """
    try:
        return _resolve(**locals())
    except Exception as exc:  # noqa: BLE001 - a bad row must become a flagged row, never a failed flow
        row: dict[str, object] = dict.fromkeys(name for name, _ in ADDRESS_COLUMNS)
        row.update(address_status="unresolved", address_confidence=0.0, address_note=f"error: {exc!r}"[:200])
        return row


def _resolve(
    text: object, house_no: object, village_no: object, village_name: object, subdistrict: object,
    district: object, province: object, postal_code: object, default_province: object,
    default_district: object, default_subdistrict: object,
) -> dict[str, object]:
    parsed = parse_address(text if isinstance(text, str) else _text(text))  # parse_address cleans it
    sub = _text(subdistrict) or parsed["subdistrict_code"] or parsed["subdistrict"]
    dist = _text(district) or parsed["district"]
    prov = _text(province) or parsed["province"]
    postal = _postal(postal_code) or parsed["postal_code"]
    house = _text(house_no)
    road, soi = parsed["road"], parsed["soi"]
    row: dict[str, object] = {
        "house_no": _HOUSE_LABEL.sub("", house) if house else parsed["house_no"],
        "village_no": _village_no(village_no) or parsed["village_no"],
        "village_name": _text(village_name) or parsed["village_name"],
        "soi": _LABEL.sub("", soi) if soi else None,
        "road": _LABEL.sub("", road) if road else None,
        **_area_fields(sub, dist, prov, postal, _text(default_subdistrict), _text(default_district),
                       _text(default_province)),
    }
    return {name: row[name] for name, _ in ADDRESS_COLUMNS}
