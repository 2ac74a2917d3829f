"""pythainlp's udom83 sound code with its rewrites skipped where they cannot apply: the same codes, faster.

Every name part gets an udom83 code (transforms/names.py). pythainlp runs eleven regex substitutions on every
word, but nine of them need a letter most names lack (รร, ไ/ใ, ำ, the karan ์); here each group runs only when
its letter is present, and the last (drop every vowel and sign) is a ``str.translate``. The patterns and tables
are pythainlp's own, read from its module, so a new pythainlp's rules are used as they are; if its internals move,
pythainlp's function is used unchanged. tests/test_thai_soundex.py compares the two on real-form names.

Example: ``udom83("บูรณการ") -> "บ931900"`` (as ``pythainlp.soundex.udom83``).
"""

import importlib

from pythainlp.soundex import udom83 as _pythainlp_udom83

__all__ = ["udom83"]

try:
    _m = importlib.import_module("pythainlp.soundex.udom83")
    _RR = (_m._RE_1, "ัน\\1"), (_m._RE_2, "ั\\1"), (_m._RE_3, "ัน\\1"), (_m._RE_4, "ัน")  # need รร
    _SARA_AI = (_m._RE_5, "\\1"), (_m._RE_6, "\\1ย")  # need ไ or ใ
    _SARA_AM = (_m._RE_7, "ม\\1"), (_m._RE_8, "ม"), (_m._RE_9, "ม")  # need ำ
    _KARAN = _m._RE_10  # every alternative ends in ์
    _TRANS1, _TRANS2 = _m._TRANS1, _m._TRANS2
    # the translate below stands for the last rule: check it is still "drop U+0E30..U+0E4C"
    _FAST = _m._RE_11.pattern in ("[\\u0e30-\\u0e4c]", "[\u0e30-\u0e4c]")
except AttributeError:  # pragma: no cover - only on a pythainlp that reorganised its internals
    _FAST = False
_VOWELS_AND_SIGNS = dict.fromkeys(range(0x0E30, 0x0E4D))  # _RE_11: U+0E30..U+0E4C


def udom83(text: str) -> str:
    """The Udom83 code of a Thai word, exactly as ``pythainlp.soundex.udom83``. ``"ปัจจุบัน" -> "ป775300"``."""
    if not _FAST:  # pragma: no cover
        return str(_pythainlp_udom83(text))
    if not text or not isinstance(text, str):
        return ""
    if "รร" in text:
        for pattern, repl in _RR:
            text = pattern.sub(repl, text)
    if "ไ" in text or "ใ" in text:
        for pattern, repl in _SARA_AI:
            text = pattern.sub(repl, text)
    if "ำ" in text:
        for pattern, repl in _SARA_AM:
            text = pattern.sub(repl, text)
    if "\u0e4c" in text:
        text = _KARAN.sub("", text)
    text = text.translate(_VOWELS_AND_SIGNS)
    if not text:
        return ""
    return (text[0].translate(_TRANS1) + text[1:].translate(_TRANS2) + "000000")[:7]
