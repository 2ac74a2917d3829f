"""Find Thai titles at the start of a name and post-nominals at its end (the rule is in transforms/names.py).

Matching details kept here so names.py reads as the five pipeline steps:
  * A variant's pattern allows dots and spaces between its words and before a rank's tail word (เอก, โท, ตรี,
    จัตวา, หญิง), so ``พลตำรวจ ตรี`` is one rank, not พลตำรวจ with a first name ตรี; a tail reached over a
    space must end the word (``พลตำรวจ ตรีนุช`` keeps ตรีนุช whole).
  * ``ว่าที่`` is a title of its own that the next rank stacks on (``ว่าที่ พันตรี``, ``ว่าที่ เรือโท``).
  * ``พิเศษ``, ``(พิเศษ)`` or ``หญิง`` after a military or police rank is part of it (``จ.ส.อ.พิเศษ``).
  * After an explicit title, a dotless abbreviation (นพ, สอ, พญ) or ``พิเศษ`` is taken only while enough
    words remain for the name: ``นาย นพ ใจดี`` is นาย + นพ + ใจดี.
  * Post-nominals (``ร.น.``, ``ทอ.``, ``ตร.``, or a dotted rank such as ``ร.อ.``) after the surname are split off.
"""

import re
from functools import cache
from typing import NamedTuple

from schemas.titles import load_titles

_SEP = re.compile(r"[.\s]+")
_NAME_START = re.compile(r"[ก-ฮเ-ไA-Za-z]")
_TAILS = ("เอก", "โท", "ตรี", "จัตวา", "หญิง")
_TAIL_SPLIT = re.compile(f"^(.{{2,}}?)({'|'.join(_TAILS)})$")
# A rank tail reached over a space and glued to more letters starts the name (ตรีนุช, เอกชัย); หญิง does not.
_SPACED_TAIL = re.compile(f"\\s(?:{'|'.join(_TAILS[:-1])})")
_SPECIAL = re.compile(r"[\s.]*(?:\(\s*(พิเศษ|หญิง)\s*\)|(พิเศษ|หญิง))\.?")
_RANK_KINDS = ("military", "police")
# Post-nominals written after the surname; the canonical form first. A dotted rank abbreviation there is read
# the same way (ร.อ., น.อ.), through the title table.
POST_NOMINALS = {"ร.น.": ("ร.น.", "รน."), "ทร.": ("ทร.", "ท.ร."), "ทอ.": ("ทอ.", "ท.อ."),
                 "ทบ.": ("ทบ.", "ท.บ."), "ตร.": ("ตร.", "ต.ร.")}
_DOTLESS_ENDS = frozenset(_SEP.sub("", canonical) for canonical in POST_NOMINALS)
_TRAILING_WORD = re.compile(r"(?:^|\s)\(?([^\s()]+?)\)?\.?$")


class Variant(NamedTuple):
    pattern: re.Pattern[str]
    canonical: str
    sex: str | None
    abbreviation: bool  # dotless or Latin abbreviations are never stripped when glued
    kind: str


def _key(variant: str) -> str:
    return _SEP.sub("", variant).lower()


def _segments(variant: str) -> list[str]:
    """The words of a variant, each rank tail word on its own: พลตำรวจตรีหญิง -> พลตำรวจ, ตรี, หญิง."""
    out: list[str] = []
    for seg in (s for s in _SEP.split(variant) if s):
        tails: list[str] = []
        while m := _TAIL_SPLIT.match(seg):
            seg, tail = m.groups()
            tails.insert(0, tail)
        out += [seg, *tails]
    return out


@cache
def variants() -> dict[str, tuple[Variant, ...]]:
    """Title patterns grouped by first character, longest key first (built once)."""
    titles = load_titles()
    # An abbreviation (a final dot somewhere in the table) must keep its dot to be stripped when glued.
    abbreviated = {_key(t.variant) for t in titles if t.variant.endswith(".") or t.variant.isascii()}
    seen: set[str] = set()
    grouped: dict[str, list[Variant]] = {}
    # Of variants that share a key (ว่าที่ร้อยตรี, ว่าที่ ร้อยตรี), the one with most words gives the pattern
    # that lets a space in at each word boundary.
    for t in sorted(titles, key=lambda t: (-len(_key(t.variant)), -len(_segments(t.variant)))):
        key = _key(t.variant)
        if key in seen:
            continue
        seen.add(key)
        pattern = re.compile(r"[.\s]*".join(map(re.escape, _segments(t.variant))) + r"\.?", re.IGNORECASE)
        grouped.setdefault(key[0], []).append(Variant(pattern, t.canonical, t.sex, key in abbreviated, t.kind))
    return {k: tuple(v) for k, v in grouped.items()}


@cache
def _first_matching() -> dict[str, re.Pattern[str]]:
    """Per first character, one pattern of all its title variants in variants' order, each in a group: the
    group that matched is the first variant that matches, found in one call instead of one per variant."""
    return {k: re.compile("|".join(f"({v.pattern.pattern})" for v in vs), re.IGNORECASE)
            for k, vs in variants().items()}


@cache
def title_words() -> frozenset[str]:
    """Every title and title word as written (นาย, น.ส., ร.ต., Mr.): a space after one is a word boundary."""
    return frozenset(w for t in load_titles() for w in (*t.variant.split(), *t.canonical.split()))


def name_words(text: str) -> int:
    """Words of a name, ณ joined to the word after it: ``สมชาย ณ อยุธยา`` -> 2."""
    words = text.split()
    return len(words) - words[:-1].count("ณ")


def _special(v: Variant, rest: str, need: int) -> tuple[Variant, str] | None:
    """A rank with พิเศษ or หญิง after it that the table lacks (ว่าที่ เรือตรีหญิง), when enough words remain
    for the name: จ.ส.อ. พิเศษ ใจดี keeps พิเศษ as the first name."""
    m = _SPECIAL.match(rest)
    if m is None:
        return None
    after = rest[m.end():]
    if after and after[0] != " " and not m.group().endswith((".", ")")):
        return None  # glued to more letters: พิเศษ starts a longer word
    after = after.lstrip()
    if name_words(after) < need:
        return None
    word = m.group(1) or m.group(2)
    return v._replace(canonical=v.canonical + word, sex="F" if word == "หญิง" else v.sex), after


def take_title(text: str, glued: frozenset[str] | None, after_title: bool, need: int) -> tuple[Variant, str] | None:
    """The longest title at the start of text and the rest; glued full words only if canonical in glued.

    need: name words that must remain after a title that may be a name (a dotless abbreviation after an
    explicit title, a rank's พิเศษ); after_title: an explicit title came before, in the text or its column.
    """
    key = text[0].lower()
    any_title = _first_matching().get(key)  # most calls end here: the name after its titles starts with none
    first = any_title.match(text) if any_title is not None else None
    if first is None or first.lastindex is None:
        return None
    for v in variants()[key][first.lastindex - 1:]:
        m = v.pattern.match(text)
        if m is None:
            continue
        rest, written = text[m.end():], m.group()
        if v.kind in _RANK_KINDS and (special := _special(v, rest, need)) is not None:
            return special
        if not rest or rest[0] == " ":
            if after_title and v.abbreviation and "." not in written and name_words(rest) < need:
                continue  # นาย นพ ใจดี: นพ is the first name
            return v, rest.lstrip()
        if _SPACED_TAIL.search(written):
            continue  # พลตำรวจ ตรีนุช: the tail word is the start of the name
        if written.endswith((".", "ฯ")) or "." in written and " " not in written:
            return v, rest  # its own dot, or dots inside it (น.สสมศรี): an abbreviation, glued or not
        if glued is not None and (not glued or v.canonical in glued) and not v.abbreviation \
                and len(rest.split(" ", 1)[0]) >= 2 and _NAME_START.match(rest):
            return v, rest
    return None


@cache
def _post_nominals() -> dict[str, str]:
    """Dotless key -> canonical, for post-nominals and for rank abbreviations read as one after a surname."""
    keys = {_key(t.variant): t.canonical for t in load_titles()
            if t.kind in _RANK_KINDS and t.variant.count(".") >= 2}
    keys.update({_key(v): canonical for canonical, vs in POST_NOMINALS.items() for v in vs})
    return keys


def split_post_nominal(text: str, min_words: int) -> tuple[str, str | None]:
    """The name without a post-nominal at its end, and the post-nominal's canonical form (or None).

    Taken only when at least min_words name words remain, and written with a dot or as one of the two-letter
    forms of POST_NOMINALS (a surname word never holds a dot). Example: ``สมชาย ใจดี ร.น`` -> (สมชาย ใจดี, ร.น.)
    """
    last_word = text[text.rfind(" ") + 1:]
    if "." not in last_word and last_word[-2:] not in _DOTLESS_ENDS:
        return text, None  # most names: no dot and no two-letter post-nominal in the last word
    m = _TRAILING_WORD.search(text)
    word = m.group(1) if m else ""
    canonical = _post_nominals().get(_key(word))
    if m is None or canonical is None or ("." not in word and canonical not in POST_NOMINALS):
        head, canonical = _glued(text)
    else:
        head = text[:m.start()].rstrip()
    if canonical is None or name_words(head) < min_words:
        return text, None
    return head, canonical


@cache
def _glued_post_nominal() -> re.Pattern[str]:
    dotted = sorted({f.rstrip(".") for forms in POST_NOMINALS.values() for f in forms if "." in f.rstrip(".")})
    return re.compile(f"(?<=[ก-๛])({'|'.join(map(re.escape, dotted))})\\.?$")


def _glued(text: str) -> tuple[str, str | None]:
    """A dotted post-nominal glued to the surname: ``ใจดีร.น.`` -> (ใจดี, ร.น.)."""
    m = _glued_post_nominal().search(text)
    if m is None:
        return text, None
    return text[:m.start()], _post_nominals()[_key(m.group(1))]
