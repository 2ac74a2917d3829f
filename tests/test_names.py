"""parse_name: titles wherever they hide, combined names, keys; properties over any text."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.titles import KINDS, load_titles
from transforms.names import NAME_COLUMNS, parse_name


def _p(full=None, title=None, first=None, last=None):
    r = parse_name(full, title=title, first=first, last=last)
    return r["title"], r["sex"], r["first_name"], r["last_name"], r["name_status"]


FULL = [
    ("นายสมชาย ใจดี", ("นาย", "M", "สมชาย", "ใจดี", "ok")),
    ("นาย สมชาย ใจดี", ("นาย", "M", "สมชาย", "ใจดี", "ok")),
    ("  นาย\u00a0สมชาย   ใจดี ", ("นาย", "M", "สมชาย", "ใจดี", "ok")),
    ("นาย\u200bสมชาย ใจดี", ("นาย", "M", "สมชาย", "ใจดี", "ok")),
    ("น.ส.สมศรี มีสุข", ("นางสาว", "F", "สมศรี", "มีสุข", "ok")),
    ("น.ส. สมศรี มีสุข", ("นางสาว", "F", "สมศรี", "มีสุข", "ok")),
    ("นส.สมศรี มีสุข", ("นางสาว", "F", "สมศรี", "มีสุข", "ok")),
    ("นส สมศรี มีสุข", ("นางสาว", "F", "สมศรี", "มีสุข", "ok")),
    ("น.ส สมศรี มีสุข", ("นางสาว", "F", "สมศรี", "มีสุข", "ok")),
    ("น. ส. สมศรี มีสุข", ("นางสาว", "F", "สมศรี", "มีสุข", "ok")),
    ("นางสาวสมศรี มีสุข", ("นางสาว", "F", "สมศรี", "มีสุข", "ok")),
    ("ด.ช.ก้องภพ ใจดี", ("เด็กชาย", "M", "ก้องภพ", "ใจดี", "ok")),
    ("ดช ก้องภพ ใจดี", ("เด็กชาย", "M", "ก้องภพ", "ใจดี", "ok")),
    ("ด.ญ.ปรียา ใจดี", ("เด็กหญิง", "F", "ปรียา", "ใจดี", "ok")),
    ("เด็กหญิงปรียา ใจดี", ("เด็กหญิง", "F", "ปรียา", "ใจดี", "ok")),
    ("พ.ต.อ. ดร.สมชาย ใจดี", ("พ.ต.อ. ดร.", None, "สมชาย", "ใจดี", "ok")),  # stacked
    ("พ.ต.อ.ดร.สมชาย ใจดี", ("พ.ต.อ. ดร.", None, "สมชาย", "ใจดี", "ok")),
    ("ผศ.ดร.สมชาย ใจดี", ("ผศ. ดร.", None, "สมชาย", "ใจดี", "ok")),
    ("ว่าที่ร้อยตรีสมชาย ใจดี", ("ว่าที่ ร.ต.", None, "สมชาย", "ใจดี", "ok")),
    ("ว่าที่ ร.ต. สมชาย ใจดี", ("ว่าที่ ร.ต.", None, "สมชาย", "ใจดี", "ok")),
    ("ว่าที่ร.ต.หญิงสมศรี ใจดี", ("ว่าที่ ร.ต.หญิง", "F", "สมศรี", "ใจดี", "ok")),
    ("จ.ส.อ.สมชาย ใจดี", ("จ.ส.อ.", None, "สมชาย", "ใจดี", "ok")),
    ("จ่าสิบเอก สมชาย ใจดี", ("จ.ส.อ.", None, "สมชาย", "ใจดี", "ok")),
    ("ส.ต.ท.สมชาย ใจดี", ("ส.ต.ท.", None, "สมชาย", "ใจดี", "ok")),
    ("ร.ต.ท. สมชาย ใจดี", ("ร.ต.ท.", None, "สมชาย", "ใจดี", "ok")),
    ("พล.ต.อ.สมชาย ใจดี", ("พล.ต.อ.", None, "สมชาย", "ใจดี", "ok")),
    ("พล.ต. อนุชา ใจดี", ("พล.ต.", None, "อนุชา", "ใจดี", "ok")),  # not พล.ต.อ. + นุชา
    ("ร.ต. ทองดี ใจดี", ("ร.ต.", None, "ทองดี", "ใจดี", "ok")),  # not ร.ต.ท. + องดี
    ("ดาบตำรวจสมชาย ใจดี", ("ด.ต.", None, "สมชาย", "ใจดี", "ok")),
    ("ร้อยโทหญิงสมศรี ใจดี", ("ร.ท.หญิง", "F", "สมศรี", "ใจดี", "ok")),
    ("พระครูสมชาย ใจดี", ("พระครู", "M", "สมชาย", "ใจดี", "ok")),
    ("พระมหาสมชาย ใจดี", ("พระมหา", "M", "สมชาย", "ใจดี", "ok")),
    ("แม่ชีสมศรี ใจดี", ("แม่ชี", "F", "สมศรี", "ใจดี", "ok")),
    ("ม.ร.ว.สมศักดิ์ ใจดี", ("ม.ร.ว.", None, "สมศักดิ์", "ใจดี", "ok")),
    ("คุณหญิงสมศรี ใจดี", ("คุณหญิง", "F", "สมศรี", "ใจดี", "ok")),
    ("นายสมชาย ณ อยุธยา", ("นาย", "M", "สมชาย", "ณ อยุธยา", "ok")),  # multi-word surname kept whole
    ("ม.ล.สมศรี ณ ป้อมเพชร", ("ม.ล.", None, "สมศรี", "ณ ป้อมเพชร", "ok")),
    ("สมชาย ใจดี", (None, None, "สมชาย", "ใจดี", "ok")),
    ("สมชาย", (None, None, "สมชาย", None, "ok")),
    ("ดรุณี ศรีสุข", (None, None, "ดรุณี", "ศรีสุข", "ok")),  # ดร without a dot, glued: a name
    ("ศรีสุดา ดี", (None, None, "ศรีสุดา", "ดี", "ok")),  # ศ without a dot, glued: a name
    ("นางนวล ใจดี", ("นาง", "F", "นวล", "ใจดี", "ok")),  # glued full word, no other title: stripped
    ("นางสาวิตรี ดีใจ", ("นาง", "F", "สาวิตรี", "ดีใจ", "ok")),  # นางสาว + ิตรี impossible: นาง + สาวิตรี
    ("นายก ใจดี", (None, None, "นายก", "ใจดี", "ok")),  # one letter left: not a name, so not a title
    ("Mr John Smith", ("นาย", "M", "John", "Smith", "ok")),
    ("นาย", ("นาย", "M", None, None, "no_name")),
    ("", (None, None, None, None, "no_name")),
    (None, (None, None, None, None, "no_name")),
    ("  \u200b ", (None, None, None, None, "no_name")),
    ("๑๒๓", (None, None, "123", None, "ok")),
]


@pytest.mark.parametrize(("full", "expected"), FULL)
def test_parse_full_name(full, expected):
    assert _p(full) == expected


COLUMNS = [
    (dict(title="นาย", first="สมชาย", last="ใจดี"), ("นาย", "M", "สมชาย", "ใจดี", "ok")),
    (dict(title=" น.ส. ", first="สมศรี", last="ใจดี"), ("นางสาว", "F", "สมศรี", "ใจดี", "ok")),
    (dict(title="นางสาว", first="นางนวล", last="ใจดี"), ("นางสาว", "F", "นางนวล", "ใจดี", "ok")),  # kept
    (dict(title="นาย", first="นายสมชาย", last="ใจดี"), ("นาย", "M", "สมชาย", "ใจดี", "ok")),  # typed twice
    (dict(title="พ.ต.อ.", first="ดร.สมชาย", last="ใจดี"), ("พ.ต.อ. ดร.", None, "สมชาย", "ใจดี", "ok")),
    (dict(first="นายสมชาย", last="ใจดี"), ("นาย", "M", "สมชาย", "ใจดี", "ok")),  # glued, no title column
    (dict(first="น.ส.สมศรี", last="ใจดี"), ("นางสาว", "F", "สมศรี", "ใจดี", "ok")),
    (dict(first="สมชาย ใจดี"), (None, None, "สมชาย", "ใจดี", "ok")),  # both names in the first column
    (dict(title="ผู้ใหญ่บ้าน", first="สมชาย", last="ใจดี"), ("ผู้ใหญ่บ้าน", None, "สมชาย", "ใจดี", "ok")),
    (dict(title="นาย", first="", last=""), ("นาย", "M", None, None, "no_name")),
    (dict(full="นายสมชาย ใจดี", first="สมศักดิ์", last="ใจดี"), (None, None, "สมศักดิ์", "ใจดี", "ok")),
    (dict(first="สมชาย.", last="'ใจดี"), (None, None, "สมชาย", "ใจดี", "ok")),  # stray punctuation
]


@pytest.mark.parametrize(("kwargs", "expected"), COLUMNS)
def test_parse_name_columns(kwargs, expected):
    assert _p(**kwargs) == expected


def test_keys_and_columns():
    r = parse_name("นายสมชาย ณ อยุธยา")
    assert list(r) == [name for name, _ in NAME_COLUMNS]
    assert all(t == "VARCHAR" for _, t in NAME_COLUMNS)
    assert r["first_roman"] == "somchai" and r["last_roman"] == "nyutya"
    assert r["first_lk82"] and r["first_udom83"] and r["first_metasound"] and r["last_lk82"]


def test_sound_alike_spellings_share_codes():
    # ศ/ษ/ส and a dropped karan: the phonetic codes are what make these meet.
    a, b = parse_name("สมศักดิ์ ใจดี"), parse_name("สมสัก ใจดี")
    assert a["first_udom83"] == b["first_udom83"]


def test_title_table_is_consistent():
    titles = load_titles()
    assert len(titles) >= 300
    assert {t.kind for t in titles} <= set(KINDS)
    assert {t.sex for t in titles} <= {"M", "F", None}
    variants = [t.variant for t in titles]
    assert len(variants) == len(set(variants))
    for form in ["น.ส.", "นส.", "นส", "ด.ช.", "ดช", "ด.ญ.", "ดญ", "จ.ส.อ.", "ส.ต.ท.", "ร.ต.ท.", "พ.ต.อ.",
                 "พล.ต.อ.",
                 "ว่าที่", "ว่าที่ร้อยตรี", "ว่าที่ ร.ต.", "ดาบตำรวจ", "ร้อยโทหญิง", "ดร.", "ผศ.", "รศ.", "ศ.",
                 "ผู้ช่วยศาสตราจารย์", "พระ", "พระครู", "พระมหา", "สามเณร", "แม่ชี", "ม.ร.ว.", "ม.ล.", "ม.จ.",
                 "คุณหญิง", "ท่านผู้หญิง"]:
        assert form in variants, form


def _glued_is_stripped(variant: str) -> bool:
    # A dotless or Latin abbreviation glued to a name is the name's start (ดรุณี, ศรีสุดา): not stripped.
    return "." in variant or not (variant.isascii() or len(variant.replace(" ", "")) <= 3)


@pytest.mark.parametrize("t", load_titles(), ids=lambda t: t.variant)
def test_every_title_variant_splits(t):
    title, _, first, last, _ = _p(f"{t.variant} สมชาย ใจดี ร.น.")
    assert (title, first, last) == (f"{t.canonical} ร.น.", "สมชาย", "ใจดี")
    assert _p(f"{t.variant} สมชาย ใจดี")[0::2] == (t.canonical, "สมชาย", "ok")
    if _glued_is_stripped(t.variant):
        assert _p(f"{t.variant}สมชาย ใจดี")[0::2] == (t.canonical, "สมชาย", "ok")


@settings(deadline=None, max_examples=300)
@given(st.text(), st.none() | st.text(), st.none() | st.text(), st.none() | st.text())
def test_parse_name_never_raises(full, title, first, last):
    r = parse_name(full, title=title, first=first, last=last)
    assert list(r) == [name for name, _ in NAME_COLUMNS]
    assert r["name_status"] in ("ok", "no_name")


THAI_NAMEISH = st.text(alphabet=st.sampled_from("นายางสวด.ชญ ผศรพตอมหลกขคเแโใไ่้๊๋ิีึืุู์ั็ำ"), max_size=30)


@settings(deadline=None, max_examples=500)
@given(THAI_NAMEISH)
def test_parse_name_never_raises_on_title_soup(full):
    r = parse_name(full)
    assert r["name_status"] == ("ok" if r["first_name"] or r["last_name"] else "no_name")
