"""What a header alone says: its normalised key, and the role its words give (synonyms, then keywords)."""

import re
import unicodedata
from collections.abc import Mapping

_INVISIBLE = re.compile("[\u200b\u200c\u200d\ufeff\u00a0]")
# Spaces and punctuation people vary freely in headers: "ID Card No." / "id_card_no", "วัน/เดือน/ปีเกิด".
_SPACE = re.compile(r"[\s.\-_/()#:,'\"*]+")
# How many leading lines may hold titles before the header (a fund name, a date, a blank line).
HEADER_SEARCH_ROWS = 15


def header_key(text: object) -> str:
    """A header as compared: NFC, invisible characters gone, lower case, no spaces or punctuation.

    Examples:
        >>> header_key(" ชื่อ - สกุล ")
        'ชื่อสกุล'
        >>> header_key("ID Card No.")
        'idcardno'
    """
    if text is None:
        return ""
    s = unicodedata.normalize("NFC", str(text))
    s = _INVISIBLE.sub("", s).replace("\u0e4d\u0e32", "\u0e33")
    return _SPACE.sub("", s).lower()


# Header words that name a role wherever they stand in a header ("เลขบัตรประชาชน 13 หลัก", "วันเดือนปีเกิด
# (พ.ศ.)", "อายุ (ปี)"), tried in order after the exact synonyms; the first that the key contains wins.
_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("บัตรประชาชน", "citizen_id"), ("ประจำตัวประชาชน", "citizen_id"), ("idcard", "citizen_id"),
    ("citizenid", "citizen_id"), ("nationalid", "citizen_id"), ("วดปเกิด", "birth_date"), ("วันเกิด", "birth_date"),
    ("เดือนปีเกิด", "birth_date"), ("ปีเกิด", "birth_year"), ("birthyear", "birth_year"), ("dateofbirth", "birth_date"),
    ("birthdate", "birth_date"), ("อายุ", "age"), ("โทร", "phone"), ("phone", "phone"), ("mobile", "phone"),
    ("หมายเหตุ", "ignored"), ("remark", "ignored"), ("ไปรษณีย์", "postal_code"), ("postcode", "postal_code"),
    ("zip", "postal_code"), ("คำนำหน้า", "title"), ("นามสกุล", "last_name"), ("surname", "last_name"),
    ("lastname", "last_name"), ("firstname", "first_name"), ("วันที่สมัคร", "member_since"),
    ("เป็นสมาชิก", "member_since"), ("เลขสมาชิก", "member_no"), ("รหัสสมาชิก", "member_no"),
    ("รหัสประจำบ้าน", "house_code"), ("รหัสบ้าน", "house_code"), ("สุขภาพ", "dim_health"),
    ("ความเป็นอยู่", "dim_living"), ("การศึกษา", "dim_education"), ("รายได้", "dim_income"),
    ("เข้าถึงบริการ", "dim_access"), ("บัตรสวัสดิการ", "welfare_card"), ("รหัสตำบล", "subdistrict_code"),
    ("บ้านเลขที่", "house_no"), ("houseno", "house_no"), ("ที่อยู่", "full_address"), ("address", "full_address"),
)
_NAME_DASH_SURNAME = re.compile(r"ชื่อ\s*[-–/]\s*(?:นาม)?สกุล|ชื่อ\s+(?:นาม)?สกุล")
# The synonyms table names raw columns; these two are roles by another name.
_ROLE_OF_FIELD = {"address": "full_address", "join_date": "member_since"}


def header_role(text: object, synonyms: Mapping[str, str], own: Mapping[str, str] | None = None) -> str | None:
    """The role a header alone gives: the source's own mapping, an exact synonym, else a keyword it contains.

    Examples:
        >>> header_role("เลขประจำตัวประชาชน (13 หลัก)", {})
        'citizen_id'
        >>> header_role("Sub-district", {"subdistrict": "subdistrict"})
        'subdistrict'
    """
    key = header_key(text)
    if not key:
        return None
    if _NAME_DASH_SURNAME.search(str(text)):  # "ชื่อ - สกุล": both parts; "ชื่อสกุล" alone is the surname
        return "full_name"
    for k, v in (own or {}).items():
        if header_key(k) == key:
            return v
    if key in synonyms:
        return _ROLE_OF_FIELD.get(synonyms[key], synonyms[key])
    return next((role for word, role in _KEYWORDS if word in key), None)
