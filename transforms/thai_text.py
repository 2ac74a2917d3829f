"""Thai text clean-up shared by every text field, and a fast romanised key for names.

The Thai rules follow ``pythainlp.util.normalize`` (sara am, แ, tone/vowel order, repeats, dangling marks)
but are precompiled here and also remove ZWJ/BOM, fold every kind of space and turn Thai digits to ASCII.
"""

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from pythainlp import thai_vowels
from pythainlp.transliterate import royin

from transforms.thai_segment import words as thai_words

__all__ = ["clean_text", "join_split_marks", "roman_key", "thai_digits_to_arabic"]

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_HAS_THAI_DIGIT = re.compile("[๐-๙]")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_TONES = "\u0e48-\u0e4b"
_ABOVE_BELOW = "\u0e31\u0e34-\u0e37\u0e47\u0e4d\u0e38\u0e39"
_FOLLOW = "\u0e30\u0e32\u0e33\u0e45"
_DANGLING = f"{_ABOVE_BELOW}{_TONES}\u0e3a\u0e4c\u0e4e"
_CONSONANT = "\u0e01-\u0e2e"
# Rules in pythainlp's order; each fixes typing that looks right on screen but differs in code points.
_RULES: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
    (re.compile("\u0e40\u0e40"), "\u0e41"),  # เ + เ typed for แ
    (re.compile(f"([{_TONES}\u0e4c]+)([{_ABOVE_BELOW}]+)"), r"\2\1"),  # tone typed before its vowel
    (re.compile(f"\u0e4d([{_TONES}]*)\u0e32"), "\\1\u0e33"),  # nikhahit + sara aa for sara am
    (re.compile(f"([{_FOLLOW}]+)([{_TONES}]+)"), r"\2\1"),  # tone typed after a following vowel
    (re.compile("([^\u0e24\u0e26])\u0e45"), "\\1\u0e32"),  # lakkhangyao for sara aa (kept after ฤ/ฦ)
    (re.compile("([\u0e30-\u0e3a\u0e40-\u0e44\u0e47\u0e4c-\u0e4e])\\1+"), r"\1"),  # vowel/sign typed twice
    (re.compile(f"[{_TONES}]{{2,}}"), lambda m: m.group(0)[-1]),  # several tones: the last one typed wins
    # A space before a mark only after a lone consonant (พ ุ่ม), as pythainlp does, so words stay apart.
    (re.compile(f"([{_CONSONANT}])(?<![{thai_vowels}][{_CONSONANT}]) ([{_DANGLING}])"), r"\1\2"),
    (re.compile(f"(^|\\s)[{_DANGLING}]+"), r"\1"),  # marks with no consonant to sit on
]
# Matches wherever any rule above could: each rule's match contains one of these alternatives, so text the
# detector passes is already clean and skips the nine substitutions (most cells in a roster are).
_NEEDS_FIX = re.compile(
    "\u0e40\u0e40"
    f"|[{_TONES}\u0e4c][{_ABOVE_BELOW}]"
    f"|\u0e4d[{_TONES}]*\u0e32"
    f"|[{_FOLLOW}][{_TONES}]"
    "|\u0e45"
    "|(?P<mark>[\u0e30-\u0e3a\u0e40-\u0e44\u0e47\u0e4c-\u0e4e])(?P=mark)"
    f"|[{_TONES}]{{2}}"
    f"|[{_CONSONANT}] [{_DANGLING}]"
    f"|(?:^|\\s)[{_DANGLING}]"
)

# _NEEDS_FIX is the rule; this is the same test, faster. In _NEEDS_FIX every position of the text tries all nine
# alternatives. Here the regex starts from a class of the characters a match can start with (re then skips to
# them in C), the first character checked by a lookbehind; a doubled mark is its own small search (it can
# start on any vowel, most of Thai text); ^ is a look at the first character; and a consonant, space, mark
# needs no test of its own: the space and mark alone match. tests/test_name_key_shortcuts.py compares the two.
_PAIR_FIX = re.compile(
    f"[{_TONES}\u0e4c\u0e30\u0e32\u0e33\u0e45\u0e40\u0e4d\\s](?:"
    f"(?<=[{_TONES}])[{_TONES}]"
    f"|(?<=[{_TONES}\u0e4c])[{_ABOVE_BELOW}]"
    f"|(?<=[{_FOLLOW}])[{_TONES}]"
    "|(?<=\u0e45)"
    f"|(?<=\\s)[{_DANGLING}]"
    "|(?<=\u0e40)\u0e40"
    f"|(?<=\u0e4d)[{_TONES}]*\u0e32)"
)
_DOUBLED_MARK = re.compile("([\u0e30-\u0e3a\u0e40-\u0e44\u0e47\u0e4c-\u0e4e])\\1")
_DANGLING_START = frozenset(c for c in map(chr, range(0x0E00, 0x0E80)) if re.match(f"[{_DANGLING}]", c))


def _needs_fix(text: str) -> bool:
    """bool(_NEEDS_FIX.search(text)), faster."""
    return text[:1] in _DANGLING_START or _PAIR_FIX.search(text) is not None \
        or _DOUBLED_MARK.search(text) is not None


# A space that cannot stand between words: before a vowel sign no syllable begins with (ะ า ำ and the vowels
# above and below), before a tone mark or karan that is not followed by a leading vowel (a tone before เ-ไ sits
# on nothing: junk, which clean_text drops), or after a leading vowel เ-ไ, which never ends a word. PDF text and
# hurried typing leave these (ธนาย ุทธ, ส ําราญ, เ ลิศ); clean_text alone would drop the mark after the space.
_SPLIT_MARK = re.compile(
    f"(?<=[{_CONSONANT}{_ABOVE_BELOW}{_TONES}\u0e4c\u0e30\u0e32\u0e33\u0e45])\\s+"
    f"(?=[{_ABOVE_BELOW}\u0e30\u0e32\u0e33\u0e45\u0e3a]|[{_TONES}\u0e4c](?![\u0e40-\u0e44]))"
    f"|(?<=[\u0e40-\u0e44])\\s+(?=[{_CONSONANT}])"
)


# A cheap first look (no lookbehind): a space before a mark no word starts with, or after a leading vowel.
_SPLIT_HINT = re.compile(" [\u0e30-\u0e3a\u0e45\u0e47-\u0e4e]|[\u0e40-\u0e44] ")


def join_split_marks(value: str | None, keep_after: frozenset[str] = frozenset()) -> str | None:
    """Text with spaces that split a syllable removed, for names (a word never starts with a vowel sign).

    keep_after: words after which a space stays (titles: in ``นาย ิชเชฏฐ์`` the name lost its first letter).

    Example: ``join_split_marks("ธนาย ุทธ ใจดี")`` -> ``"ธนายุทธ ใจดี"``; ``"ก ํ า"`` -> ``"กํา"`` (sara am, once
    clean_text has run).
    """
    if not value:
        return value
    text = value if isinstance(value, str) else str(value)
    if text.isprintable() and not _SPLIT_HINT.search(text):  # most cells: nothing to join, one quick scan
        return text
    text = _INVISIBLE.sub("", text)
    if not keep_after:
        return _SPLIT_MARK.sub("", text)
    return _SPLIT_MARK.sub(lambda m: m.group() if _word_before(text, m.start()) in keep_after else "", text)


def _word_before(text: str, at: int) -> str:
    return text[:at].rsplit(None, 1)[-1] if text[:at].strip() else ""


def thai_digits_to_arabic(s: str) -> str:
    """Replace Thai digits ๐-๙ with 0-9. Example: ``"๑๒/๓"`` -> ``"12/3"``."""
    # A translate visits every character (slow on Thai text); most values hold no Thai digit to replace.
    if s.isascii() or not _HAS_THAI_DIGIT.search(s):
        return s
    return s.translate(_THAI_DIGITS)


def _fix_thai(text: str) -> str:
    for pattern, repl in _RULES:
        text = pattern.sub(repl, text)
    return text


def clean_text(value: str | None) -> str | None:
    """Clean one text cell: NFC, Thai typing fixes, Thai digits, one space between words; None when blank.

    Idempotent and total: any string in, a clean string or None out.

    Examples:
        >>> clean_text(" \u200bนาย\u00a0สมชาย  ") -> "นาย สมชาย";  clean_text("ก\u0e4d\u0e32") -> "กำ"
    """
    if value is None:
        return None
    text = value if isinstance(value, str) else str(value)
    # Each step runs only where its quick test finds work (most cells have no invisible character and no Thai
    # digit): the invisible characters are all unprintable, and a translate costs far more than a scan.
    if not text.isprintable():
        text = _INVISIBLE.sub("", text)
    if _HAS_THAI_DIGIT.search(text):
        text = text.translate(_THAI_DIGITS)
    # NFC after the invisible characters go: a zero-width space between two marks hides their canonical order
    text = " ".join(unicodedata.normalize("NFC", text).split())  # str.split's whitespace is regex \s
    if _needs_fix(text):
        # A fix can create a new match for an earlier rule (a repeat after reordering): run to a fixed point.
        for _ in range(4):
            # NFC again: a fix can leave marks out of canonical order (a tone moved before a phinthu)
            fixed = unicodedata.normalize("NFC", " ".join(_fix_thai(text).split()))
            if fixed == text:
                break
            text = fixed
    return text or None


# pythainlp's royin romaniser applies ~50 vowel regexes uncompiled to every word of every name (~65 us a
# surname here). The same table, compiled once and skipped when a pattern's literal letters are absent, gives
# the same output; and names are made of a few thousand distinct words (สม, ชาย, ศรี, ...), so each word's
# romanisation and each adjacent-pair syllable rule is cached: a new name costs one newmm tokenisation
# (~20 us) plus dictionary hits. Tests compare the output with pythainlp's on corpus names.
# Falls back to pythainlp if its internals move.
try:
    _VOWELS = [
        (re.compile(pat), rep, frozenset(re.sub(r"\([^)]*\)", "", pat))) for pat, rep in royin._VOWELS
    ]
    _normalize, _replace_consonants = royin._normalize, royin._replace_consonants
    _CONSONANTS = royin._CONSONANTS
    _RE_CONSONANT, _LATIN_VOWELS = royin._RE_CONSONANT, royin._ROMANIZED_VOWELS
    _FAST = True
except AttributeError:  # pragma: no cover - only on a pythainlp that reorganised its internals
    _FAST = False


def _vowels(word: str) -> str:
    chars = set(word)
    for pattern, rep, needed in _VOWELS:
        if needed <= chars:
            word = pattern.sub(rep, word)
            chars = set(word)
    return word


@lru_cache(maxsize=1 << 17)
def _romanize_word(word: str) -> str:
    if word == "ห":
        return ""
    word = _vowels(_normalize(word))
    consonants = [c for c in word if c in _CONSONANTS]
    if len(word) == 2 and len(consonants) == 2:
        word = word[0] + "o" + word[1]
    return str(_replace_consonants(word, "".join(consonants)))


@lru_cache(maxsize=1 << 17)
def _explicit_vowel(word: str) -> bool:
    return len(_vowels(_normalize(word))) > len(_RE_CONSONANT.findall(word))


def _needs_a(prev_word: str, word: str, prev_roman: str) -> bool:
    # Cheap tests first: the vowel test on the previous word is the costly one (cached per word).
    if not prev_roman or len(word) != 2 or prev_roman[-1] in _LATIN_VOWELS:
        return False
    return len(_RE_CONSONANT.findall(word)) == 2 and _explicit_vowel(prev_word)


def _royin(text: str) -> str:
    if not _FAST:  # pragma: no cover
        return str(royin.romanize(text))
    words = thai_words(text)  # word_tokenize(text), faster (transforms/thai_segment.py)
    out: list[str] = []
    for i, word in enumerate(words):
        roman = _romanize_word(word)
        if i > 0 and roman and _needs_a(words[i - 1], word, out[-1] if out else ""):
            roman = "a" + roman
        out.append(roman)
    return "".join(out)


def roman_key(text: str | None) -> str | None:
    """RTGS (royin) romanisation, lower-cased, spaces removed: a key for names typed in either script.

    Examples:
        >>> roman_key("สมชาย") -> "somchai";  roman_key("ณ อยุธยา") -> "nayutya"
    """
    if not text:
        return None
    try:
        key = _royin(text).lower().replace(" ", "")
    except Exception:  # noqa: BLE001 - a romaniser bug on odd input must not stop a run
        return None
    return key or None
