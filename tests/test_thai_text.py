"""clean_text and roman_key: one row per typing trap, plus properties over any text."""

import unicodedata

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pythainlp.corpus import thai_family_names, thai_female_names, thai_male_names
from pythainlp.transliterate import romanize
from pythainlp.util import normalize

from transforms.thai_text import _NEEDS_FIX, _fix_thai, clean_text, roman_key, thai_digits_to_arabic

CASES = [
    (None, None),
    ("", None),
    ("   ", None),
    ("\u200b\ufeff", None),
    ("สมชาย", "สมชาย"),
    ("  นาย   สมชาย\t ใจดี \n", "นาย สมชาย ใจดี"),
    ("นาย\u00a0สมชาย", "นาย สมชาย"),  # non-breaking space from the web
    ("สม\u200bชาย", "สมชาย"),  # zero-width space
    ("สม\u200cชา\u200dย\ufeff", "สมชาย"),  # ZWNJ, ZWJ, BOM
    ("\ufeffสมชาย", "สมชาย"),
    ("ก\u0e4d\u0e32", "กำ"),  # nikhahit + sara aa -> sara am
    ("ค\u0e4d\u0e32แหง", "คำแหง"),
    ("ก\u0e4d\u0e49\u0e32", "ก\u0e49\u0e33"),  # with a tone mark between: ก้ำ
    ("\u0e40\u0e40ก้ว", "แก้ว"),  # two sara e -> sara ae
    ("หา\u0e40\u0e40ก้ว", "หาแก้ว"),
    ("ก\u0e48\u0e34", "ก\u0e34\u0e48"),  # tone before vowel -> vowel, tone
    ("ป\u0e49\u0e39", "ปู้"),
    ("กา\u0e48", "ก่า"),  # tone typed after sara aa
    ("ก\u0e48\u0e48า", "ก่า"),  # repeated tone mark
    ("ก\u0e48\u0e49า", "ก้า"),  # two tone marks: the last typed wins
    ("หลัักคำ", "หลักคำ"),  # repeated vowel
    ("อนุสรณ์์", "อนุสรณ์"),  # repeated karan
    ("จักรพันธ์ุ", "จักรพันธุ์"),  # karan before sara u
    ("พ ุ่ม", "พุ่ม"),  # space before a mark after a lone consonant
    ("\u0e48สมชาย", "สมชาย"),  # dangling tone mark at the start
    ("สมชาย \u0e49ใจดี", "สมชาย ใจดี"),  # dangling mark after a space
    ("๑๒/๓ ม.๔", "12/3 ม.4"),  # Thai digits
    ("ฤๅษี", "ฤๅษี"),  # lakkhangyao kept after ฤ
    ("กๅ", "กา"),
    ("e\u0301", "\u00e9"),  # NFC for Latin
    ("John  Smith", "John Smith"),
]


@pytest.mark.parametrize(("raw", "expected"), CASES)
def test_clean_text(raw, expected):
    assert clean_text(raw) == expected


@pytest.mark.parametrize(("raw", "_expected"), CASES)
def test_clean_text_agrees_with_pythainlp_on_thai_rules(raw, _expected):
    # Our rules are pythainlp's, precompiled, plus extras pythainlp does not do (digits, ZWJ/BOM, NBSP).
    if raw and not any(c in raw for c in "\u00a0\u200d\ufeff\t\n๐๑๒๓๔๕๖๗๘๙") and raw.strip():
        assert clean_text(raw) == (normalize(unicodedata.normalize("NFC", raw)).strip() or None)


def test_thai_digits_to_arabic():
    assert thai_digits_to_arabic("๐๑๒๓๔๕๖๗๘๙ abc") == "0123456789 abc"


@settings(deadline=None, max_examples=500)
@given(st.text())
def test_clean_text_idempotent_and_total(text):
    once = clean_text(text)
    assert once is None or (once == once.strip() and once)
    assert clean_text(once) == once


THAI = st.text(
    alphabet=st.characters(min_codepoint=0x0E00, max_codepoint=0x0E7F) | st.sampled_from(" \u200b\u00a0")
)


@settings(deadline=None, max_examples=1000)
@given(THAI)
def test_clean_text_idempotent_on_thai(text):
    once = clean_text(text)
    assert clean_text(once) == once


@settings(deadline=None, max_examples=2000)
@given(THAI)
def test_clean_text_fast_path_skips_only_text_no_rule_would_change(text):
    # Text the detector passes must be text none of the nine rules would change.
    text = " ".join(text.split())
    if not _NEEDS_FIX.search(text):
        assert _fix_thai(text) == text


def test_roman_key_matches_pythainlp_royin():
    corpora = (thai_female_names(), thai_male_names(), thai_family_names())
    names = [n for corpus in corpora for n in sorted(corpus)[::40]]
    names += ["ณ อยุธยา", "ณ ป้อมเพชร", "สมชาย", "กรรณิการ์"]
    for name in names:
        expected = romanize(name, engine="royin").lower().replace(" ", "") or None
        assert roman_key(name) == expected, name


@pytest.mark.parametrize(("raw", "expected"), [("สมชาย", "somchai"), (None, None), ("", None)])
def test_roman_key(raw, expected):
    assert roman_key(raw) == expected


@settings(deadline=None)
@given(st.text())
def test_roman_key_total(text):
    assert roman_key(text) is None or isinstance(roman_key(text), str)


def test_duckdb_levenshtein_counts_code_points():
    # NOTES.md: a dev build once counted UTF-8 bytes; a tone mark must be one edit, not three.
    con = duckdb.connect()
    assert con.execute("select levenshtein('กา', 'ก่า')").fetchone() == (1,)
    assert con.execute("select damerau_levenshtein('สมชาย', 'สมชาบ')").fetchone() == (1,)


def test_clean_text_leaves_marks_in_canonical_order():
    # A tone typed before a vowel is moved after it; NFC must then put it after a phinthu too (found by Hypothesis).
    once = clean_text("\u0e00\u0e48\u0e31\u0e3a")
    assert once == unicodedata.normalize("NFC", once) and clean_text(once) == once


def test_clean_text_orders_marks_that_an_invisible_character_kept_apart():
    once = clean_text("\u0e2e\u0e4b\u200b\u0e3a")
    assert once == unicodedata.normalize("NFC", once) and clean_text(once) == once
