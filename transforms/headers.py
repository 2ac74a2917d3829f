"""What a header alone says: its normalised key, and the role its words give (synonyms, then keywords)."""

import re
import unicodedata
from collections.abc import Callable, Mapping

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
    ("email", "ignored"), ("อีเมล", "ignored"), ("ผู้รับผลประโยชน์", "ignored"), ("beneficiar", "ignored"),
    ("ทายาท", "ignored"), ("ประทับเวลา", "ignored"), ("timestamp", "ignored"), ("ปชช", "citizen_id"),
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

    A header is also read without its numbering ("9. หมู่", "3) ชื่อ": a form's questions) and without its
    bracketed part, then the bracketed part alone ("หมู่ (Moo)", "ชื่อ-นามสกุล (ไม่ต้องใส่คำนำหน้า)"); a
    database name is read word by word ("poor_health", "d_hlth", "state_welfare_card").

    Examples:
        >>> header_role("เลขประจำตัวประชาชน (13 หลัก)", {})
        'citizen_id'
        >>> header_role("Sub-district", {"subdistrict": "subdistrict"})
        'subdistrict'
        >>> header_role("d_hlth", {}), header_role("9. หมู่", {"หมู่": "village_no"})
        ('dim_health', 'village_no')
    """
    raw = "" if text is None else str(text)
    if not header_key(raw):
        return None
    if _NAME_DASH_SURNAME.search(raw):  # "ชื่อ - สกุล": both parts; "ชื่อสกุล" alone is the surname
        return "full_name"
    unnumbered = _NUMBERING.sub("", raw.strip())
    outside = _BRACKETED.sub(" ", unnumbered)
    inside = " ".join(_BRACKETED.findall(unnumbered))
    for form in dict.fromkeys((raw, unnumbered, outside, inside)):
        key = header_key(form)
        if not key:
            continue
        for k, v in (own or {}).items():
            if header_key(k) == key:
                return v
        if key in synonyms:
            return _ROLE_OF_FIELD.get(synonyms[key], synonyms[key])
    for form in dict.fromkeys((unnumbered, outside)):
        key = header_key(form)
        if role := next((role for word, role in _KEYWORDS if key and word in key), None):
            return role
    return _database_role(raw)


def header_roles(synonyms: Mapping[str, str], own: Mapping[str, str] | None = None,
                 limit: int = 50_000) -> Callable[[object], str | None]:
    """``header_role`` with the synonyms and the source's own mapping fixed, remembered per distinct cell text.

    find_header judges each of a sheet's first lines up to three times (alone, over the line below, under the
    line above), and a province's files repeat the same headers: the memo (cleared past ``limit`` texts) makes
    each distinct text cost one ``header_role``. Example: ``header_roles(SYN)("ชื่อ")`` == ``header_role("ชื่อ", SYN)``.
    """
    memo: dict[str | None, str | None] = {}

    def role(cell: object) -> str | None:
        text = None if cell is None else str(cell)
        if text not in memo:
            if len(memo) >= limit:
                memo.clear()
            memo[text] = header_role(text, synonyms, own)
        return memo[text]

    return role


_NUMBERING = re.compile(r"^(?:\d{1,2}|[ก-ฮ])\s*[.)]\s*(?=\S)")
_BRACKETED = re.compile(r"[(\[]\s*([^()\[\]]*?)\s*[)\]]")
# Words of database-style names (upper-case short codes) and what each names; a set of words names a role.
_DB_WORDS: dict[str, str] = {
    "hlth": "health", "health": "health", "liv": "living", "living": "living", "edu": "education",
    "educ": "education", "education": "education", "inc": "income", "income": "income", "acc": "access",
    "access": "access", "accessibility": "access", "services": "access",
}
_DB_ROLES: tuple[tuple[frozenset[str], str], ...] = (
    (frozenset({"welfare"}), "welfare_card"), (frozenset({"card"}), "welfare_card"),
    (frozenset({"yob"}), "birth_year"), (frozenset({"birth", "year"}), "birth_year"),
    (frozenset({"survey"}), "survey_year"), (frozenset({"yr"}), "survey_year"),
    (frozenset({"village", "no"}), "village_no"), (frozenset({"village", "number"}), "village_no"),
    (frozenset({"house", "no"}), "house_no"), (frozenset({"house", "number"}), "house_no"),
    (frozenset({"household", "id"}), "house_code"), (frozenset({"hh", "code"}), "house_code"),
    (frozenset({"given"}), "first_name"), (frozenset({"family"}), "last_name"), (frozenset({"gender"}), "sex"),
    (frozenset({"prefix"}), "title"), (frozenset({"national", "id"}), "citizen_id"), (frozenset({"nid"}), "citizen_id"),
    (frozenset({"tambon", "code"}), "subdistrict_code"), (frozenset({"tmb", "code"}), "subdistrict_code"),
    (frozenset({"mooban"}), "village_name"), (frozenset({"email"}), "ignored"), (frozenset({"timestamp"}), "ignored"),
)


def _database_role(text: str) -> str | None:
    """A role from the words of a database-style or English name: "poor_health" -> dim_health."""
    words = {w for w in re.split(r"[^a-z0-9]+", text.lower()) if w}
    dims = {_DB_WORDS[w] for w in words if w in _DB_WORDS}
    if len(dims) == 1:
        return f"dim_{next(iter(dims))}"
    return next((role for need, role in _DB_ROLES if need <= words), None)
