"""content_shares judges each distinct value once (a memoised kinds vector): the shares must be those of judging
every kind over the whole list, as the reading rule was written (the formulation before issue 17)."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from transforms import column_evidence as ce
from transforms.ages import looks_like_age
from transforms.thai_text import clean_text


def _reference(values: list[str]) -> dict[str, float]:
    from transforms.address_gazetteer import district_index, name_key, province_index, subdistrict_index

    vals = [c for c in (clean_text(v[:200]) for v in values[:64]) if c]
    if not vals:
        return {}

    def share(test) -> float:  # noqa: ANN001
        return sum(1 for v in vals if test(v)) / len(vals)

    parsed = {v: ce._parsed(v) for v in vals if not ce._DIGITS.match(v)}
    given, surnames = ce._given_names(), ce._surnames()
    small = ce._SMALL_INT
    out = {
        "citizen_id": share(lambda v: ce._cid_status(v) in ("valid", "bad_check_digit", "unusable")),
        "citizen_id_valid": share(lambda v: ce._cid_status(v) == "valid"),
        "date": share(ce._date_share),
        "age": looks_like_age(vals),
        "year_be": share(lambda v: bool(re.fullmatch(r"2[45]\d\d(?:\.0)?", v))),
        "title": share(ce._title_only),
        "full_name": share(lambda v: bool(parsed.get(v, {}).get("first")) and bool(parsed[v]["last"])),
        "titled_name": share(lambda v: bool(parsed.get(v, {}).get("title")) and bool(parsed[v]["first"])),
        "given_name": share(lambda v: v in given),
        "surname": share(lambda v: v in surnames and v not in given),
        "thai_word": share(lambda v: bool(ce._THAI_WORD.match(v))),
        "latin_name": share(lambda v: bool(ce._LATIN_NAME.match(v)) and not v.isdigit()),
        "postal_code": share(lambda v: bool(ce._POSTAL.match(v))),
        "small_int": share(lambda v: bool(small.match(v)) and 0 < int(small.match(v).group(1)) <= 40),
        "house_no": share(lambda v: bool(ce._HOUSE_NO.match(v))),
        "house_slash": share(lambda v: "/" in v and bool(ce._HOUSE_NO.match(v))),
        "house_code": share(lambda v: bool(re.fullmatch(r"\d{11}", v))),
        "subdistrict_code": share(lambda v: bool(re.fullmatch(r"[1-9]\d{5}", v))),
        "flag": share(lambda v: v.lower() in ce._FLAG_WORDS),
        "sex": share(lambda v: v.lower() in ce._SEX_WORDS),
        "phone": share(lambda v: bool(ce._PHONE.match(v)) and len(re.sub(r"\D", "", v)) in (9, 10, 11)),
        "full_address": share(lambda v: len(ce._ADDRESS_MARK.findall(v)) >= 2),
        "village_name": share(lambda v: v.startswith("บ้าน") and len(v) > 4),
    }
    keys = [name_key(v) for v in vals]
    for level, index in (("province", province_index()), ("district", district_index()),
                         ("subdistrict", subdistrict_index())):
        out[level] = sum(1 for k in keys if k and k in index) / len(keys)
    ints = sorted(int(v) for v in vals if v.isdigit() and len(v) <= 3)
    out["int_median"] = float(ints[len(ints) // 2]) if ints else -1.0
    return out


_CELLS = [
    "3101200345671", "1-1037-00123-45-8", "3.3121E+12", "0000000000000", "นาย", "นางสาว", "นาย (Mr.)",
    "นายสมชาย ใจดี", "สมชาย", "ใจดี", "Somchai Jaidee", "Mr. John Smith", "14/03/2510", "5 ม.ค. 2567", "45296",
    "๑๔/๐๓/๒๕๑๐", "2510", "2567.0", "45", "45 ปี", "อายุ ๔๕ ปี", "6 เดือน", "150", "3", "ม.3", "หมู่ที่ 12",
    "moo 7", "12/3", "99/1 ก", "31000", "31110012345", "310101", "0", "1", "Y", "มี", "ไม่มี", "ชาย", "ญ.", "F",
    "081-234-5678", "+66812345678", "12 หมู่ 3 ต.หนองกี่ อ.หนองกี่ จ.บุรีรัมย์", "บ้านโนน", "บุรีรัมย์", "หนองกี่",
    "-", "--", ".", "?", " ", "", "x" * 300, "ลงชื่อ ....", "หมายเหตุ", "\u200b", "ห้วยราช",
]


@settings(deadline=None, max_examples=300)
@given(st.lists(st.sampled_from(_CELLS) | st.text(alphabet="0123456789๑๒ก-ฮ/.- aAmM()", max_size=16), max_size=70))
def test_shares_equal_the_whole_list_formulation(values):
    assert ce.content_shares(values) == _reference(values)


def test_shares_keep_their_order_and_every_cell_of_the_corpus_list():
    assert list(ce.content_shares(_CELLS)) == list(_reference(_CELLS))
    assert ce.content_shares(_CELLS) == _reference(_CELLS)
