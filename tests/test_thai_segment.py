"""transforms/thai_segment.py gives pythainlp's word_tokenize words exactly (it is restated only for speed).

Real-form names (single parts, full names with titles, spaced and glued), text with numbers pythainlp rejoins,
Latin and other scripts mixed in, and Hypothesis text over the whole Thai block.
"""

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pythainlp.tokenize import word_tokenize

from transforms import thai_segment
from transforms.thai_segment import words

PAIRS = list(csv.DictReader((Path(__file__).parent / "data" / "romanised_pairs.csv").open(encoding="utf-8")))
CASES = sorted({r["thai"] for r in PAIRS}) + [
    "สมชาย", "ใจดี", "ประเสริฐศักดิ์", "ณ อยุธยา", "นายสมชาย ใจดี", "น.ส.สมศรี มีสุข", "ว่าที่ ร้อยตรี สมชาย",
    "กรรณิการ์", "พรรณี", "เกียรติศักดิ์", "ธนาย ุทธ", "ส ําราญ", "สมชาย1,234.5", "บ้านเลขที่ 12:30 น.", "๑๒๓",
    "Somchai ใจดี", "สมชาย-ใจดี", "ก", "กข", "ๆ", "ฯลฯ", "สมชาย\nใจดี", "\tสม ชาย ", "สมชาย٣٤", "abc", "",
    "ศรีสุดา" * 30,  # long text: many cluster ends and a graph past newmm's size limit
]


def test_the_fast_path_is_in_use() -> None:
    assert thai_segment._FAST  # else words is pythainlp's own and the tests below compare it with itself


@pytest.mark.parametrize("text", CASES)
def test_words_are_pythainlps(text: str) -> None:
    assert words(text) == word_tokenize(text)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x0E01, max_codepoint=0x0E5B) | st.sampled_from(" .,:1a-\n"),
               max_size=40))
def test_words_are_pythainlps_on_any_thai_text(text: str) -> None:
    assert words(text) == word_tokenize(text)
