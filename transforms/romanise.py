"""Romanised names (English-headed rosters: "Mr. Samruai Panthurat") matched to Thai ones (สำรวย พันธุรัตน์).

One coarse key is computed the same way from a Thai name (read aloud by ``transforms.thai_g2p``) and from a
Latin name as typed, so that the RTGS spelling on an ID card, the spelling people type and the Thai name meet:

  * Letters only, lower case, accents off (ü -> ue); ``-sakdi`` -> ``-sak``; ``sr`` -> ``s`` (Sri = ศรี).
  * Aspirates and sound-alikes: ph/bh -> p, th/dh -> t, kh/gh -> k, ch/sh/j -> c, v -> w, ck/q/x -> k, z -> s;
    any other h after the start of a word goes (oh, ah).
  * y and w closing a vowel become i and o (Somchay = Somchai, Kaew = Kaeo).
  * Finals as spoken: a consonant before another or at the end reads d/c/s -> t, b/f -> p, g -> k, l -> n;
    r after a vowel before a consonant or at the end is a vowel sign and goes (Porn = Phon, Prasert =
    Prasoet, Karnchana = Kanchana, Tonglor = Thonglo); then l -> r everywhere.
  * Vowels: oo -> u, ee -> i, ue/eu -> u, oe -> e; nd -> nt (บัณฑิต = Bandit); doubled letters collapse;
    every "a" but a word's first letter goes: a is the written trace of Thai's unwritten and linking vowels
    (Natthaphon / Nattapon / ณัฐพล = nat-phon), and dropping it also folds ae/e, ai/i, ao/o, ua/u, ia/i.

Examples:
    >>> phonetic_roman_key("สมพร"), phonetic_roman_key("Somporn"), phonetic_roman_key("Somphon")
    ('sompon', 'sompon', 'sompon')
"""

import re
import unicodedata
from functools import lru_cache
from operator import itemgetter
from typing import Any

from transforms.thai_g2p import thai_to_latin
from transforms.thai_text import clean_text

__all__ = ["is_latin_name", "looks_like_latin_names", "phonetic_roman_key", "split_latin_name"]

_THAI = re.compile("[\u0e01-\u0e4e]")
_NOT_LETTER = re.compile("[^a-z]+")
_VOWEL = "aeiou"
_FIRST = [("ng", "N"),  # ง is one sound: kept apart from n + g
          ("ph", "p"), ("bh", "p"), ("th", "t"), ("dh", "t"), ("kh", "k"), ("gh", "k"), ("ch", "c"), ("sh", "c"),
          ("ck", "k"), ("sr", "s")]
_LETTERS = str.maketrans({"j": "c", "q": "k", "x": "k", "v": "w", "z": "s"})
_VOWELS = [("oo", "u"), ("ee", "i"), ("ue", "u"), ("eu", "u"), ("oe", "e"), ("ie", "i")]
_NOT_V = f"[^{_VOWEL}y]"
# (letters that must be present for the rule to apply, rule, replacement): most words skip most rules.
# y, w and r first: they change which letters are vowels, which the stop rules after them look at.
_FINALS: list[tuple[frozenset[str], re.Pattern[str], str]] = [
    (frozenset(letters), re.compile(p), r) for letters, p, r in [
        ("y", f"(?<=[{_VOWEL}])y(?![{_VOWEL}])", "i"), ("w", f"(?<=[{_VOWEL}])w(?![{_VOWEL}])", "o"),
        ("r", f"(?<=[{_VOWEL}])r(?=[^{_VOWEL}]|$)", ""),
    ]
]
# d/c/s -> t, b/f -> p, g -> k before a consonant or the end, l -> n after a vowel there too: one pass, as each
# turns a consonant into a consonant, so none changes what the others' lookarounds see.
_STOPS = re.compile(f"[dcsbfg](?={_NOT_V}|$)|(?<=[{_VOWEL}])l(?={_NOT_V}|$)")
_STOP_SOUND = {"d": "t", "c": "t", "s": "t", "b": "p", "f": "p", "g": "k", "l": "n"}
_DOUBLE = re.compile(r"(.)\1+")
_FIRST_OF_RUN = itemgetter(1)


def _stop_sound(m: re.Match[str]) -> str:
    return _STOP_SOUND[m.group()]


def _latin_word_key(word: str) -> str:
    """The key of one lower-case Latin word (module doc), by plain replaces where order allows (fast)."""
    if "sakd" in word:
        word = word.replace("sakdee", "sak").replace("sakdi", "sak")
    for old, new in _FIRST:
        word = word.replace(old, new)
    word = word[:1] + word[1:].replace("h", "")
    word = word.translate(_LETTERS)
    for old, new in _VOWELS:
        word = word.replace(old, new)
    for letters, pattern, repl in _FINALS:
        if not letters.isdisjoint(word):
            word = pattern.sub(repl, word)
    word = _STOPS.sub(_stop_sound, word)
    # itemgetter(1) keeps the doubled letter's first: as r"\1", without re's Python-level template step
    word = _DOUBLE.sub(_FIRST_OF_RUN, word.replace("l", "r").replace("nd", "nt"))
    word = _DOUBLE.sub(_FIRST_OF_RUN, word[:1] + word[1:].replace("a", ""))
    return word.replace("N", "ng")


@lru_cache(maxsize=1 << 18)
def phonetic_roman_key(text: str | None) -> str | None:
    """One coarse sound key for a name part written in Thai or in Latin letters; None when nothing is left.

    Thai is first read aloud (``thai_to_latin``), then both go through the same Latin rules (module doc).
    Spaces, hyphens and dots inside a part are dropped (ณ อยุธยา = Na Ayutthaya = Na-Ayudhya).

    Examples:
        >>> phonetic_roman_key("สำรวย"), phonetic_roman_key("Samruay")
        ('smrui', 'smrui')
    """
    if not text:
        return None
    try:
        if _THAI.search(text):
            # the reading is lower-case a-z and spaces only: the Latin clean-up below would just drop the spaces
            key = _latin_word_key(thai_to_latin(clean_text(text) or "").replace(" ", ""))
        else:
            text = unicodedata.normalize("NFKD", text.lower().replace("ü", "ue"))
            # one word: spaces, hyphens and dots typed inside a part vary (Na Ayutthaya, Na-Ayutthaya, U-rai)
            key = _latin_word_key(_NOT_LETTER.sub("", text))
    except Exception:  # noqa: BLE001 - a key is a hint: odd input gives none rather than a failed run
        return None
    return key or None


# Latin titles as typed on English-headed rosters; the canonical title is the Thai one names.py uses.
_LATIN_TITLES: dict[str, tuple[str, str | None]] = {
    "mr": ("นาย", "M"), "mister": ("นาย", "M"), "nai": ("นาย", "M"),
    "mrs": ("นาง", "F"), "nang": ("นาง", "F"),
    "miss": ("นางสาว", "F"), "ms": ("นางสาว", "F"), "nangsao": ("นางสาว", "F"), "nangsaw": ("นางสาว", "F"),
    "dr": ("ดร.", None),
}
_TITLE = re.compile(r"^\s*(" + "|".join(sorted(_LATIN_TITLES, key=len, reverse=True)) + r")(?:\.|\s+|$)",
                    re.IGNORECASE)
_LATIN_NAME = re.compile(r"^[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f .'\-]*$")


def _title_case(part: str) -> str:
    return " ".join(w[:1].upper() + w[1:].lower() if w.isupper() or w.islower() else w for w in part.split())


def split_latin_name(text: str | None) -> dict[str, Any]:
    """Title (canonical Thai), implied sex, first and last name of a romanised full name.

    Titles are read case-insensitively, stacked (Dr. Mr.) and with or without their dot; the last name keeps
    every word after the first name (Na Ayutthaya). Names come back title-cased when typed all in one case.

    Examples:
        >>> split_latin_name("MR. SAMRUAI PANTHURAT")
        {'title': 'นาย', 'sex': 'M', 'first_name': 'Samruai', 'last_name': 'Panthurat'}
        >>> split_latin_name("Miss Somsri na Ayutthaya")["last_name"]
        'Na Ayutthaya'
    """
    out: dict[str, Any] = {"title": None, "sex": None, "first_name": None, "last_name": None}
    rest = " ".join((text or "").replace("\u00a0", " ").split())
    titles: list[str] = []
    while rest:
        m = _TITLE.match(rest)
        # "Nang" and "Nai" (Thai words) are titles only when a name follows: alone they are a name
        if m is None or (m.group(1).lower().startswith("na") and not rest[m.end():].strip()):
            break
        canonical, sex = _LATIN_TITLES[m.group(1).lower()]
        titles.append(canonical)
        out["sex"] = out["sex"] or sex
        rest = rest[m.end():].lstrip(" .")
    out["title"] = " ".join(dict.fromkeys(titles)) or None
    first, _, last = rest.partition(" ")
    out["first_name"] = _title_case(first) or None
    out["last_name"] = _title_case(last) or None
    return out


def is_latin_name(text: str | None) -> bool:
    """Whether a cell holds a name in Latin letters (no Thai, at least two letters). ``"Somchai" -> True``."""
    if not text or _THAI.search(text):
        return False
    stripped = text.strip()
    return bool(_LATIN_NAME.match(stripped)) and sum(c.isalpha() for c in stripped) >= 2


def looks_like_latin_names(values: list[str | None]) -> float:
    """Share of the non-blank values that are Latin-letter names (0.0 when all are blank).

    Example: ``looks_like_latin_names(["Somchai", "สมศรี", None, "Mr. Anan"]) -> 0.666...``
    """
    filled = [v for v in values if v and str(v).strip()]
    return sum(is_latin_name(str(v)) for v in filled) / len(filled) if filled else 0.0
