"""Shortcuts taken for speed in the name keys give exactly what the plain rules give (issue 15 point 4).

Each fast path (a regex skipped when the letters it needs are absent, rules merged into one pass, a translate
for a regex) is compared with the plain rule written out here, on real-form names and on random text. The
1M-row benchmark's 116,133 distinct name parts were compared the same way when the shortcuts were made.
"""

import csv
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pythainlp.soundex import udom83 as pythainlp_udom83

from transforms import romanise, thai_g2p, thai_text
from transforms.thai_soundex import udom83

PAIRS = list(csv.DictReader((Path(__file__).parent / "data" / "romanised_pairs.csv").open(encoding="utf-8")))
THAI_NAMES = sorted({r["thai"] for r in PAIRS}) + [
    # the rarer letters the shortcuts test for: รร, ไ/ใ, ำ, the karan, ฤ, tone marks on a leading vowel,
    # ร after จ/ช/ต/ท, a final ติ/ธิ/มิ/ฒิ
    "สุวรรณ", "ธรรมรัตน์", "กรรณิการ์", "พรรณี", "ไพรัช", "ใจดี", "ไทยแท้", "ชัยไชย", "สำราญ", "คำแก้ว", "อำไพ",
    "ลักษณ์", "จันทร์", "ศักดิ์ชัย", "พงษ์ศักดิ์", "พฤกษา", "ฤทธิ์", "กฤษณา", "เสน่ห์", "เกล้า", "เส้น",
    "จิตรา", "เพชรรัตน์", "ฉัตรชัย", "ชาติชาย", "ภูมิใจ", "วุฒิ", "โชติ", "เหตุ", "ประยุทธ", "สุรชัย",
    "เกียรติศักดิ์", "ศรีสุดา", "สร้อยทอง", "เสริมศักดิ์", "วรวุฒิ", "ณ อยุธยา", "ส ําราญ", "กําไร",
]
_THAI_TEXT = st.text(alphabet=st.characters(min_codepoint=0x0E01, max_codepoint=0x0E5B), max_size=14)


@pytest.mark.parametrize("name", THAI_NAMES)
def test_udom83_is_pythainlps(name: str) -> None:
    assert udom83(name) == pythainlp_udom83(name)
    assert udom83(name.replace(" ", "")) == pythainlp_udom83(name.replace(" ", ""))


@settings(max_examples=400, deadline=None)
@given(_THAI_TEXT)
def test_udom83_is_pythainlps_on_any_thai_text(text: str) -> None:
    assert udom83(text) == pythainlp_udom83(text)


def _g2p_word_plain(word: str) -> str:
    """thai_g2p._word_cached with every rewrite run unconditionally, as first written."""
    for _literal, pattern, repl in thai_g2p._RESPELL:
        word = pattern.sub(repl, word)
    word = thai_g2p._TONE_LEADER.sub(thai_g2p._lead_by_tone, word)
    word = thai_g2p._KARAN[1][0].sub("", thai_g2p._KARAN[0][0].sub("", word))
    word = thai_g2p._KARAN[2][0].sub(thai_g2p._KARAN[2][1], word)
    for pattern, repl in thai_g2p._KARAN[3:]:
        word = pattern.sub(repl, word)
    word = re.sub("[\u0e48-\u0e4b\u0e47]", "", word)
    for pattern, repl in thai_g2p._SILENT_END:
        word = pattern.sub(repl, word)
    return thai_g2p._word(word)


@pytest.mark.parametrize("name", THAI_NAMES)
def test_thai_reading_shortcuts_change_nothing(name: str) -> None:
    for word in name.split():
        assert thai_g2p._word_cached.__wrapped__(word) == _g2p_word_plain(word)


@settings(max_examples=400, deadline=None)
@given(_THAI_TEXT)
def test_thai_reading_shortcuts_change_nothing_on_any_thai_text(text: str) -> None:
    for word in text.split():
        assert thai_g2p._word_cached.__wrapped__(word) == _g2p_word_plain(word)


def _latin_key_plain(word: str) -> str:
    """romanise._latin_word_key with the final-consonant rules one after another, as first written."""
    v, not_v = romanise._VOWEL, romanise._NOT_V
    if "sakd" in word:
        word = word.replace("sakdee", "sak").replace("sakdi", "sak")
    for old, new in romanise._FIRST:
        word = word.replace(old, new)
    word = word[:1] + word[1:].replace("h", "")
    word = word.translate(romanise._LETTERS)
    for old, new in romanise._VOWELS:
        word = word.replace(old, new)
    for pattern, repl in [(f"(?<=[{v}])y(?![{v}])", "i"), (f"(?<=[{v}])w(?![{v}])", "o"),
                          (f"(?<=[{v}])r(?=[^{v}]|$)", ""), (f"[dcs](?={not_v}|$)", "t"),
                          (f"[bf](?={not_v}|$)", "p"), (f"g(?={not_v}|$)", "k"), (f"(?<=[{v}])l(?={not_v}|$)", "n")]:
        word = re.sub(pattern, repl, word)
    word = re.sub(r"(.)\1+", r"\1", word.replace("l", "r").replace("nd", "nt"))
    word = re.sub(r"(.)\1+", r"\1", word[:1] + word[1:].replace("a", ""))
    return word.replace("N", "ng")


@pytest.mark.parametrize("name", THAI_NAMES + sorted({r["latin"] for r in PAIRS}))
def test_latin_key_one_pass_is_the_rules_in_turn(name: str) -> None:
    for word in (thai_g2p.thai_to_latin(name).replace(" ", ""), re.sub("[^a-z]", "", name.lower())):
        assert romanise._latin_word_key(word) == _latin_key_plain(word)


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", max_size=16))
def test_latin_key_one_pass_is_the_rules_in_turn_on_any_letters(word: str) -> None:
    assert romanise._latin_word_key(word) == _latin_key_plain(word)


_MARKS_AND_SPACES = ("\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e30\u0e32\u0e33\u0e45\u0e40\u0e4d"
                     "\u0e31\u0e34\u0e38\u0e3a\u0e4e\u0e47 \t\n\u00a0กข")


@pytest.mark.parametrize("text", [*THAI_NAMES, "เเก้ว", "ก่ี", "กํ่า", "กา่", "ๅ", "กิิ", "ก่่", "ก ุ", "ุก", "ก\u00a0่", ""])
def test_clean_texts_quick_detector_is_the_rule(text: str) -> None:
    assert thai_text._needs_fix(text) == bool(thai_text._NEEDS_FIX.search(text))


@settings(max_examples=800, deadline=None)
@given(st.text(alphabet=st.sampled_from(_MARKS_AND_SPACES) | st.characters(min_codepoint=0x0E01, max_codepoint=0x0E5B),
               max_size=10))
def test_clean_texts_quick_detector_is_the_rule_on_any_text(text: str) -> None:
    assert thai_text._needs_fix(text) == bool(thai_text._NEEDS_FIX.search(text))
