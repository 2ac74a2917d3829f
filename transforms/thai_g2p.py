"""Read a Thai personal name aloud in rough Latin letters, as people romanise it (RTGS-like, finals as spoken).

Made for matching names, not for display. pythainlp's royin engine misreads names where the vowel is not
written (กาญจนา -> "kantna", สุนทร -> "suntn", อนุชา -> "nucha", เจริญ -> "cherin"); the other engines need
a model download or a package we do not ship. Here a name is read syllable by syllable with the rules a Thai
reader uses:

  * Silent letters go first: a letter with the karan (ศักดิ์, พงษ์; ษณ์/ทร์/ตร์ in pairs: ลักษณ์, จันทร์),
    tone marks, ร after จ/ช/ต/ท closing a syllable (จิตร, เพชร, ฉัตรชัย).
  * A run of consonants with no vowel is read in pairs with an unwritten "o" (สม, พล, สมพร), one left over
    takes an unwritten "a" (ณ, อนุ, กมล = ka-mon); after a written vowel the first may close that syllable
    (กาญจนา = kan-cha-na, ยุทธนา = yut-tha-na). ร after a written vowel opens a "ra" syllable (สุรชัย).
  * A final ษ ศ ส ช ฐ ภ ต ท ธ พ before a syllable is also read as that syllable's linking "a" (ณัฐพล =
    nat-tha-phon, วัชระ = wat-cha-ra, นิตยา = nit-ta-ya), as Pali and Sanskrit names are said.
  * Leading vowels (เ แ โ ใ ไ) bind to the second consonant when the two cannot form a cluster
    (เฉลิม = cha-loem, เจริญ = cha-roen, เกษม = ka-sem).
  * ฤ is "ri" after ก ต ท ป ศ ส and before ท/ษ (กฤษณา, ฤทธิ์), otherwise "rue" (พฤกษา, ฤดี).
  * A final ติ/ธิ/มิ/ฒิ after a long vowel at a word's end loses its vowel (ชาติ = chat, ภูมิ = phum).

Example: ``thai_to_latin("กาญจนา") -> "kanchana"``, ``thai_to_latin("เฉลิมพล") -> "chaloemphon"``.
"""

import re
from functools import lru_cache

__all__ = ["thai_to_latin"]

_ONSET = {
    **dict.fromkeys("ก", "k"), **dict.fromkeys("ขฃคฅฆ", "kh"), "ง": "ng", **dict.fromkeys("จ", "ch"),
    **dict.fromkeys("ฉชฌ", "ch"), **dict.fromkeys("ซศษส", "s"), "ญ": "y", **dict.fromkeys("ฎด", "d"),
    **dict.fromkeys("ฏต", "t"), **dict.fromkeys("ฐฑฒถทธ", "th"), **dict.fromkeys("ณน", "n"), "บ": "b",
    "ป": "p", **dict.fromkeys("ผพภ", "ph"), **dict.fromkeys("ฝฟ", "f"), "ม": "m", "ย": "y", "ร": "r",
    **dict.fromkeys("ลฬ", "l"), "ว": "w", "ห": "h", "อ": "", "ฮ": "h",
}
_FINAL = {
    **dict.fromkeys("กขฃคฅฆ", "k"), **dict.fromkeys("จฉชซฌฎฏฐฑฒดตถทธศษส", "t"), **dict.fromkeys("บปพฟภผฝ", "p"),
    **dict.fromkeys("ญณนรลฬ", "n"), "ม": "m", "ง": "ng", "ย": "i", "ว": "o",
}
_CONS = frozenset(_ONSET)
_LEAD = frozenset("เแโใไ")
_MARKS = frozenset("ะาำิีึืุูั็")  # vowel signs that make the consonant before them carry a vowel
_CLUSTER_R = frozenset("กขคตปพบดฟผ")  # + ร: a true cluster (ประ, กรุง)
_CLUSTER_L = frozenset("กขคปพบผฟ")  # + ล (กล้า, พลอย)
_CLUSTER_W = frozenset("กขค")  # + ว (ขวัญ, กว้าง)
_SONORANT = frozenset("งญนมยรลว")  # ห before these only sets the tone (หมาย, หนู)
_LEADER = frozenset("ขฉฐถผฝศษสหกจดตบปอ")  # high and mid class: may lead a sonorant with an unwritten "a"
_LINKING = frozenset("ษศสชฐภตทธพ")  # and ล after ั (กัลยา = kan-la-ya)
_T_CLASS = frozenset("ฏฐฑฒดตถทธ")
_LONG = frozenset("าีูเโ")
# tone marks and the short-vowel sign, not needed to match: deleted by str.translate (faster than a regex)
_TONES = dict.fromkeys(map(ord, "\u0e47\u0e48\u0e49\u0e4a\u0e4b"))
# Morphemes no rule reads right, respelt the way they are said.
_RESPELL = [
    (lit, re.compile(pat), rep) for lit, pat, rep in [
        ("เกียรติ", "เกียรติ(?=$| )", "เกียต"), ("เกียรติ", "เกียรติ", "เกียตติ"), ("อยุธยา", "อยุธยา", "อะยุดทะยา"),
        ("ศุภ", "ศุภ", "ศุภะ"), ("พรหม", "พรหม", "โพรม"), ("ฤทธิ", "ฤทธิ", "ริทธิ"), ("วร", "^วร(?=[ก-ฮ])(?!ร)", "วอระ"),
        ("เพชร", "เพชร(?=[ก-ฮ])", "เพชชะ"), ("ธรรม", "ธรรม(?=[ก-ฮ])", "ธรรมมะ"), ("ภูมิ", "ภูมิ(?=[ใไ])", "ภูม"),
        # the ร of ศรี, สร้อย, เสริม, จริง is not said; elsewhere ศร/สร are sa-r (ศรุดา, กุลิสรา)
        ("ศรี", "ศรี", "ศี"), ("สร้", "สร้", "ส้"), ("เสริ", "เสริ", "เสิ"), ("จริง", "จริง", "จิง"),
        ("ทธ", "([ิีุู])ทธ$", r"\1ท"),  # ประยุทธ = prayut
    ]
]
_KARAN = [
    (re.compile("(ษณ|[ทต]ร|ธุ)\u0e4c"), ""),  # both letters silent: ลักษณ์, จันทร์, ศาสตร์, พันธุ์
    (re.compile("[ก-ฮ][ิุ]?\u0e4c"), ""),  # one letter (with its vowel) silent: ศักดิ์, สิทธิ์, พงษ์
    (re.compile("((?:เ[ก-ฮ])|(?:[ก-ฮ][ิีุูัา]))([จชตท])ร(?=$| |[ก-ฮ](?![ะาำิีึืุูั็]))"), r"\1\2"),
    (re.compile("([กตทปศส])ฤ"), "\\1ริ"), (re.compile("ฤ(?=[ทษ])"), "ริ"), (re.compile("ฤ"), "รึ"),
]


def _carries(s: str, j: int) -> bool:
    """Whether the consonant at j has a vowel of its own (so it starts a syllable, not ends one)."""
    nxt = s[j + 1] if j + 1 < len(s) else ""
    if nxt in _MARKS:
        return True
    if nxt == "อ":  # ทอง: อ as the vowel, unless อ starts the next syllable (อุ)
        return not (j + 2 < len(s) and s[j + 2] in _MARKS)
    if nxt == "ร" and s[j + 2:j + 3] == "ร":  # วรรณ
        return True
    if nxt == "ว" and j + 2 < len(s) and s[j + 2] in _CONS and not _carries(s, j + 2):
        return True  # ดวง, นวล: ว as the vowel "ua"
    if nxt in "รลว" and s[j + 2:j + 3] in _MARKS and (s[j] in _LEADER or _can_cluster(s, j)):
        return True  # a cluster carries the vowel (ประ); a leading consonant an unwritten "a" (สวัส = sa-wat)
    if s[j] == "ห" and nxt in _SONORANT:
        return j + 2 < len(s) and (s[j + 2] in _MARKS or s[j + 2] == "อ")
    return False


def _same_sound(a: str, b: str) -> bool:
    return _ONSET[a] == _ONSET[b] or (a in _T_CLASS and b in _T_CLASS)


def _bare_run(s: str, i: int) -> int:
    """How many consonants from i on carry no vowel, up to the next that does, a leading vowel or the end."""
    k = 0
    while i + k < len(s) and s[i + k] in _CONS and not _carries(s, i + k):
        k += 1
    return k


def _onset(s: str, i: int, lead: str = "") -> tuple[str, int]:
    """The sound of the consonant(s) starting a syllable at i, and where the vowel begins."""
    c, nxt = s[i], s[i + 1:i + 2]
    after = s[i + 2:i + 3]
    if lead and after and nxt in "รล":  # เปรม, โกรธ: after a leading vowel a cluster may close on a final
        after = "ะ"
    if c == "ห" and nxt in _SONORANT and (after in _MARKS or after == "อ" or after in _CONS or not after):
        return _ONSET[nxt], i + 2
    if c == "อ" and nxt == "ย" and after in _MARKS:
        return "y", i + 2
    if nxt == "ร" and (after in _MARKS or after == "อ"):
        if c == "ท":
            return "s", i + 2
        if c in _CLUSTER_R:
            return _ONSET[c] + "r", i + 2
    if nxt == "ล" and c in _CLUSTER_L and (after in _MARKS or after == "อ"):
        return _ONSET[c] + "l", i + 2
    if nxt == "ว" and c in _CLUSTER_W and (after in _MARKS or after == "อ"):
        return _ONSET[c] + "w", i + 2
    return _ONSET[c], i + 1


def _can_cluster(s: str, i: int) -> bool:
    c, nxt = s[i], s[i + 1:i + 2]
    return (nxt == "ร" and (c in _CLUSTER_R or c == "ท")) \
        or (nxt == "ล" and c in _CLUSTER_L) or (nxt == "ว" and c in _CLUSTER_W) \
        or (c == "ห" and nxt in _SONORANT) or (c == "อ" and nxt == "ย")


_SIMPLE = {"ั": ("a", True), "า": ("a", True), "ิ": ("i", True), "ี": ("i", True), "ึ": ("ue", True),
           "ื": ("ue", True), "ุ": ("u", True), "ู": ("u", True), "ะ": ("a", False), "ำ": ("am", False)}


def _vowel(s: str, i: int, lead: str) -> tuple[str, int, bool]:
    """The vowel after an onset ending at i (lead: a leading vowel or ""), where it ends, and whether the
    syllable may take a final consonant."""
    nxt = s[i:i + 1]
    if lead == "เ":
        for pat, v, closed in (("ีย", "ia", True), ("ือ", "uea", True), ("าะ", "o", False), ("า", "ao", False),
                               ("ิ", "oe", True), ("อ", "oe", True), ("ะ", "e", False)):
            if s.startswith(pat, i):
                return v, i + len(pat), closed
        return "e", i, True
    if lead == "แ":
        return ("ae", i + 1, False) if nxt == "ะ" else ("ae", i, True)
    if lead == "โ":
        return ("o", i + 1, False) if nxt == "ะ" else ("o", i, True)
    if lead in ("ใ", "ไ"):
        return "ai", i, False
    if s.startswith("ัว", i):
        return "ua", i + 2, True
    if s.startswith("ือ", i):
        return "ue", i + 2, True
    if nxt in _SIMPLE:
        v, closed = _SIMPLE[nxt]
        if nxt == "า" and s[i + 1:i + 2] == "ะ":
            return "a", i + 2, False
        return v, i + 1, closed
    return "", i, True


def _word(s: str) -> str:
    out: list[str] = []
    i, n = 0, len(s)
    while i < n:
        c = s[i]
        lead = ""
        if c in _LEAD:
            lead, i = c, i + 1
            if i >= n or s[i] not in _CONS:
                continue
            if lead in "ใไ":
                onset, i = _onset(s, i)
                if s[i:i + 1] == "ย" and s[i + 1:i + 2] not in _MARKS:  # ไทย, ไชย: the ย is not said
                    i += 1
                out.append(onset + "ai")
                continue
            # เฉลิม, เจริญ, เกษม: a leading vowel skips a first consonant that cannot cluster with the next
            # (only เ: โกศล is ko-son, not ka-son); เ-ิ needs its final after it (เกศินี = ke-si-ni)
            j = i + 1
            if lead == "เ" and j < n and s[j] in _CONS and not _can_cluster(s, i) and (
                    s[j + 1:j + 2] in ("ี", "ื", "า", "อ", "ะ")
                    or (s[j + 1:j + 2] == "ิ" and s[j + 2:j + 3] in _CONS and not _carries(s, j + 2))
                    or (j + 1 < n and s[j + 1] in _CONS and j + 2 <= n
                        and (j + 2 == n or not _carries(s, j + 1)))):
                out.append(_ONSET[s[i]] + "a")
                i = j
        elif c not in _CONS:
            i += 1
            continue
        onset, i = _onset(s, i, lead)
        vowel, i, closed = _vowel(s, i, lead)
        if not vowel:  # no written vowel: the reading depends on the run of bare consonants
            if s[i:i + 1] == "อ" and not (i + 1 < n and s[i + 1] in _MARKS):
                vowel, i = "o", i + 1
            elif s.startswith("รร", i):
                vowel, i = "a", i + 2
                if not (i < n and s[i] in _CONS and not _carries(s, i) and _bare_run(s, i) % 2 == 1):
                    out.append(onset + "an")
                    continue
            elif s[i:i + 1] == "ว" and i + 1 < n and s[i + 1] in _CONS:
                vowel, i = "ua", i + 1
            else:
                run = _bare_run(s, i)
                if run % 2 == 1 or (run == 0 and i >= n):
                    vowel = "o" if run else "a"
                    if vowel == "a":
                        out.append(onset + "a")
                        continue
                else:
                    out.append(onset + "a")
                    continue
        final = ""
        # ั always closes on a consonant; after a leading vowel a consonant + ว is a final, not "ua" (โพรม|วงศ์)
        if closed and i < n and s[i] in _CONS and (
                not _carries(s, i) or s[i - 1] == "ั"
                or (lead in ("เ", "แ", "โ") and s[i + 1:i + 2] == "ว" and vowel in ("e", "ae", "o"))):
            run = _bare_run(s, i)
            at_end = i + run >= n
            if s[i] == "ร" and vowel not in ("", "o") and i + 1 < n and s[i - 1] != "ั":
                pass  # สุรชัย, ธีรพงษ์: ร after a written vowel opens a "ra" syllable
            elif s[i - 1] == "ั" or not (at_end and run % 2 == 0 and run > 0 and lead == "" and vowel != "o"):
                final = _FINAL.get(s[i], "")
                fc = s[i]
                i += 1
                if s[i - 2:i - 1] in "ไใ" or (vowel == "ai" and fc == "ย"):
                    final = ""
                # the linking "a" of Pali and Sanskrit names: nat-tha-phon, wat-cha-ra
                nc = s[i:i + 1]
                linking = fc in _LINKING or (fc == "ล" and s[i - 2] == "ั")
                if linking and nc in _CONS and (_carries(s, i) or _bare_run(s, i) % 2 == 0) \
                        and not _can_cluster(s, i - 1) and not _same_sound(fc, nc):
                    final += _ONSET[fc] + "a"
        out.append(onset + vowel + final)
    return "".join(out)


# A tone mark sits on a syllable's first consonant: in เสน่ห์ it is on น, so ส leads it with an unwritten "a"
# (sa-ne), where in เส้น it is on ส (sen). In a true cluster (เกล้า) the mark also sits on the second letter.
_TONE_LEADER = re.compile("([เแโ])([ขฉฐถผฝศษสกจดตบปอ])([งญนมยรลว])(?=[\u0e48-\u0e4b])")


def _lead_by_tone(m: re.Match[str]) -> str:
    lead, c1, c2 = m.groups()
    if _can_cluster(c1 + c2, 0):
        return m.group(0)
    return f"{c1}ะ{lead}{c2}"


_SILENT_END = [
    (re.compile("([าีู]|เ[ก-ฮ]{1,2}|โ[ก-ฮ]{1,2})([ตธมทช])[ิุ]$"), r"\1\2"),  # ชาติ, ภูมิ, โชติ, เหตุ
    (re.compile("ฒิ$"), "ฒ"),  # วุฒิ
]


# Quick tests that skip a regex when the letters it needs are absent (most names); the result is the same.
_TONE_MARKS = frozenset("\u0e48\u0e49\u0e4a\u0e4b")
_TONE_LEADS = frozenset("เแโ")
_BEFORE_SILENT_R = ("จร", "ชร", "ตร", "ทร")
_SILENT_END_VOWELS = ("\u0e34", "\u0e38")  # ิ ุ: every _SILENT_END rule ends on one (words hold no newline)


# Any respelling's literal: a word with none (most) skips the loop; without one no rule fires, so none appears.
_RESPELL_ANY = re.compile("|".join(re.escape(literal) for literal in dict.fromkeys(lit for lit, _, _ in _RESPELL)))
_TONE_SIGNS = frozenset(chr(c) for c in _TONES)


@lru_cache(maxsize=1 << 16)
def _word_cached(word: str) -> str:
    if _RESPELL_ANY.search(word):
        for literal, pattern, repl in _RESPELL:
            if literal in word:
                word = pattern.sub(repl, word)
    if not _TONE_MARKS.isdisjoint(word) and not _TONE_LEADS.isdisjoint(word):
        word = _TONE_LEADER.sub(_lead_by_tone, word)
    if "\u0e4c" in word:
        word = _KARAN[1][0].sub("", _KARAN[0][0].sub("", word))
    if "ร" in word and any(pair in word for pair in _BEFORE_SILENT_R):
        word = _KARAN[2][0].sub(_KARAN[2][1], word)
    if "ฤ" in word:
        for pattern, repl in _KARAN[3:]:
            word = pattern.sub(repl, word)
    if not _TONE_SIGNS.isdisjoint(word):
        word = word.translate(_TONES)
    if word.endswith(_SILENT_END_VOWELS):
        for pattern, repl in _SILENT_END:
            word = pattern.sub(repl, word)
    return _word(word)


def thai_to_latin(text: str) -> str:
    """Rough Latin reading of Thai text, word by word, lower case. Example: ``"สุนทร" -> "sunthon"``."""
    return " ".join([_word_cached(w) for w in text.split()])
