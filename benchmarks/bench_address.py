"""Time address resolution on many distinct addresses generated from the real gazetteer.

Run: .venv/bin/python -m benchmarks.bench_address --n 100000

Each address is built from one subdistrict of the DOPA list (all 77 provinces, seeded), in one of
several written forms: labelled, full level words, unlabelled, shuffled, Thai digits, glued, "อ.เมือง",
subdistrict + postal code only, and with a typo in the subdistrict name. Besides speed it counts how
often the result is the subdistrict the address was built from, ambiguous, unresolved, or wrong
(resolved to another code: the silent guesses the resolver must not make).
"""

import argparse
import random
import resource
import time
from collections import Counter

import geothai

from transforms.address import resolve_address
from transforms.address_resolve import resolve_area

_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
_MARKS = "่้๊๋์ัิีึืุู"


def _typo(name: str, rng: random.Random) -> str:
    """One realistic slip: a dropped tone mark or vowel, a doubled or swapped letter."""
    marks = [i for i, ch in enumerate(name) if ch in _MARKS]
    if marks and rng.random() < 0.5:
        i = rng.choice(marks)
        return name[:i] + name[i + 1:]
    i = rng.randrange(1, max(2, len(name) - 1))
    if rng.random() < 0.5:
        return name[:i] + name[i] + name[i:]
    return name[: i - 1] + name[i] + name[i - 1] + name[i + 1:]


def _address(code: str, rng: random.Random) -> tuple[str, str]:
    """One written form of an address in subdistrict ``code``; returns (text, form)."""
    found = geothai.address(code)
    assert found is not None
    s, d, p = found.subdistrict, found.district, found.province
    bkk = p.code == "10"
    dist = d.name_th.removeprefix("เขต")
    house = f"{rng.randint(1, 999)}" + (f"/{rng.randint(1, 99)}" if rng.random() < 0.4 else "")
    moo = rng.randint(1, 25)
    postal = s.postal_codes[0]
    tl, al, pl = ("แขวง", "เขต", "") if bkk else ("ต.", "อ.", "จ.")
    prov = rng.choice(["กทม.", "กรุงเทพฯ", "กรุงเทพมหานคร"]) if bkk else p.name_th
    form = rng.choice(["labelled", "words", "unlabelled", "shuffled", "thai_digits", "glued", "mueang",
                       "postal_only", "typo", "village"])
    if form == "mueang" and d.code.endswith("01") and not bkk:
        text = f"{house} ม.{moo} ต.{s.name_th} อ.เมือง จ.{p.name_th}"
    elif form == "words":
        words = ("แขวง", "เขต", "") if bkk else ("ตำบล", "อำเภอ", "จังหวัด")
        text = f"{house} หมู่ที่ {moo} {words[0]}{s.name_th} {words[1]}{dist} {words[2]}{prov} {postal}"
    elif form == "unlabelled":
        text = f"{house} ม.{moo} {s.name_th} {dist} {prov}"
    elif form == "shuffled":
        parts = [f"{house}", f"ม.{moo}", f"{tl}{s.name_th}", f"{al}{dist}", f"{pl}{prov}", postal]
        rng.shuffle(parts)
        text = " ".join(parts)
    elif form == "glued":
        text = f"{house}ม.{moo}{tl}{s.name_th}{al}{dist}{pl}{prov}{postal}"
    elif form == "postal_only":
        text = f"{house} ม.{moo} {tl}{s.name_th} {postal}"
    elif form == "typo" and len(s.name_th) >= 4:
        text = f"{house} ม.{moo} {tl}{_typo(s.name_th, rng)} {al}{dist} {pl}{prov}"
    elif form == "village":
        village = rng.choice(["บ้านโนนสูง", "บ้านหนองแวง", "บ้านใหม่พัฒนา", "บ้านดอนแดง", "บ้านโคกกลาง"])
        text = f"{house} ม.{moo} {village} {tl}{s.name_th} {al}{dist} {pl}{prov}"
    else:
        form = "thai_digits" if form == "thai_digits" else "labelled"
        text = f"{house} ม.{moo} {tl}{s.name_th} {al}{dist} {pl}{prov} {postal}"
    if form == "thai_digits" or rng.random() < 0.1:
        text = text.translate(_THAI_DIGITS)
    return text, form


def generate(n: int, seed: int) -> list[tuple[str, str, str]]:
    """``n`` distinct (text, intended subdistrict code, form) triples."""
    rng = random.Random(seed)
    codes = sorted(s.code for p in geothai.provinces() for d in geothai.districts(p.code)
                   for s in geothai.subdistricts(d.code))
    seen: dict[str, tuple[str, str]] = {}
    while len(seen) < n:
        code = rng.choice(codes)
        text, form = _address(code, rng)
        seen.setdefault(text, (code, form))
    return [(text, code, form) for text, (code, form) in seen.items()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="distinct addresses to resolve")
    parser.add_argument("--seed", type=int, default=20240501)
    args = parser.parse_args()

    rows = generate(args.n, args.seed)
    t0 = time.perf_counter()
    resolve_address("ต.บ้านยาง อ.ลำปลายมาศ จ.บุรีรัมย์")  # builds the gazetteer indexes once
    build = time.perf_counter() - t0
    resolve_area.cache_clear()

    outcome: Counter[str] = Counter()
    by_form: Counter[tuple[str, str]] = Counter()
    t0, c0 = time.perf_counter(), time.process_time()
    for text, code, form in rows:
        got = resolve_address(text)
        status = str(got["address_status"])
        if status == "resolved":
            status = "right" if got["subdistrict_code"] == code else "wrong"
        elif status == "ambiguous" and code not in str(got["address_candidates"]):
            status = "ambiguous_without_truth"
        outcome[status] += 1
        by_form[(form, status)] += 1
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    n = len(rows)
    print(f"addresses: {n:,} distinct (seed {args.seed})")
    print(f"index build: {build:.2f} s")
    print(f"resolve wall time: {wall:.2f} s (CPU {cpu:.2f} s; other load on the machine shows as the gap)  "
          f"rate: {n / wall:,.0f} addresses/s  peak RSS: {rss_mb:.0f} MB")
    print(f"area cache: {resolve_area.cache_info()}")
    print("outcome: " + ", ".join(f"{k} {v} ({v / n:.2%})" for k, v in outcome.most_common()))
    for form in sorted({f for f, _ in by_form}):
        counts = {s: c for (f, s), c in by_form.items() if f == form}
        total = sum(counts.values())
        print(f"  {form:12s} {total:6d}  " + "  ".join(f"{s} {c / total:.1%}" for s, c in sorted(counts.items())))


if __name__ == "__main__":
    main()
