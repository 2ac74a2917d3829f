"""The cheap forms of the pair tests equal the plain ones: name_close_sql against the OR of its tests, and
cid_distance_sql against damerau_levenshtein at every threshold the ID tests read.

The cheap forms skip the edit distance when equality, a phonetic key, a length difference or levenshtein already
decides (transforms/link_vetoes.py); these tables hold pairs at each edge of those shortcuts, and seeded random
near-miss pairs (edits, adjacent swaps, shifts) of Thai and Latin text.
"""

import random

import duckdb
import pytest

from transforms.link_vetoes import cid_distance_sql, name_close_sql

THAI = "กขคงจชซดตทนบปพมยรลวศสหอะาิีึืุูเแโใไ่้๊๋ัำ็์"
LATIN = "abcdeghiklmnoprstuwy"


def _plain_name_close(left: str, right: str) -> str:
    """name_close_sql as it was first written: one OR of every test."""
    keys = " or ".join(f"{left}_{k} = {right}_{k}" for k in ("lk82", "udom83", "rkey"))
    same = f"{left}_name = {right}_name or damerau_levenshtein({left}_name, {right}_name) <= 2"
    roman = f"length({left}_rkey) >= 5 and damerau_levenshtein({left}_rkey, {right}_rkey) <= 1"
    return f"coalesce({same} or {keys} or ({roman}), false)"


def _mutate(rng: random.Random, s: str, alphabet: str) -> str:
    """s after 0-4 random edits: a substitution, insertion, deletion, adjacent swap or a shift."""
    for _ in range(rng.randint(0, 4)):
        i = rng.randrange(len(s) + 1)
        kind = rng.choice("sidtf")
        if kind == "s" and i < len(s):
            s = s[:i] + rng.choice(alphabet) + s[i + 1:]
        elif kind == "i":
            s = s[:i] + rng.choice(alphabet) + s[i:]
        elif kind == "d" and i < len(s):
            s = s[:i] + s[i + 1:]
        elif kind == "t" and i + 1 < len(s):
            s = s[:i] + s[i + 1] + s[i] + s[i + 2:]
        elif kind == "f" and s:
            s = s[1:] + s[0]
    return s


def _name_pairs() -> list[tuple[str | None, ...]]:
    edges: list[tuple[str | None, ...]] = [
        # name_l, lk82_l, udom83_l, rkey_l, name_r, lk82_r, udom83_r, rkey_r
        ("สมชาย", "a", "b", "somchai", "สมชาย", "x", "y", "z"),  # equal names
        ("สมชาย", "k1", "u1", "somchai", "วิไลวรรณ", "k1", "u2", "wilai"),  # a phonetic key alone
        ("abcdef", None, None, None, "badcfe", None, None, None),  # two swaps: levenshtein 4, distance 2
        ("abcdefgh", None, None, None, "badcfehg", None, None, None),  # three swaps: distance 3
        ("abc", None, None, None, "abcxyz", None, None, None),  # length 3 apart
        ("abc", None, None, None, "abcxy", None, None, None),  # length 2 apart, two edits
        ("ก่า", None, None, None, "ก้า", None, None, None),  # a tone mark is a code point
        ("สมชาย", None, None, "kriengkrai", "สมศักดิ์", None, None, "kriengkria"),  # romanised key one swap apart
        ("สมชาย", None, None, "krai", "สมศักดิ์", None, None, "kria"),  # a key under 5 letters does not count
        ("สมชาย", None, None, "kringkri", "สมศักดิ์", None, None, "kringkir"),
        (None, None, None, None, "สมชาย", None, None, None),
        (None, "k", None, None, None, "k", None, None),  # no names, a key agrees
        (None, None, None, None, None, None, None, None),
    ]
    rng = random.Random(17)
    rows = list(edges)
    for _ in range(6000):
        alphabet = rng.choice((THAI, LATIN))
        a = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 10)))
        b = _mutate(rng, a, alphabet) if rng.random() < 0.8 else "".join(rng.choice(alphabet) for _ in range(5))
        ra = "".join(rng.choice(LATIN) for _ in range(rng.randint(3, 9)))
        rb = _mutate(rng, ra, LATIN)
        key = lambda: rng.choice(("k1", "k2", "k3", None))  # noqa: E731
        rows.append((a or None, key(), key(), ra, b or None, key(), key(), rb))
    return rows


def test_name_close_equals_the_plain_or_of_its_tests() -> None:
    con = duckdb.connect()
    con.execute("create table q (first_name varchar, first_lk82 varchar, first_udom83 varchar, first_rkey varchar, "
                "last_name varchar, last_lk82 varchar, last_udom83 varchar, last_rkey varchar)")
    con.executemany("insert into q values (?, ?, ?, ?, ?, ?, ?, ?)", _name_pairs())
    # the roster side's first name against the poverty side's "last" columns (the pair's right half)
    new, plain = name_close_sql("q.first", "q.last"), _plain_name_close("q.first", "q.last")
    rows, differ, close, null = con.execute(
        f"select count(*), count(*) filter (where ({new}) is distinct from ({plain})), count(*) filter (where {new}),"
        f" count(*) filter (where ({new}) is null) from q"
    ).fetchone()
    assert rows > 6000 and differ == 0 and null == 0
    assert 0.2 * rows < close < 0.9 * rows  # the random pairs fall on both sides


@pytest.mark.parametrize("left, right", [("สมชาย", "สมชัย"), ("ก่า", "ก"), ("e" + chr(769), "e")])
def test_length_counts_code_points_as_the_edit_distances_do(left: str, right: str) -> None:
    """name_close_sql's length test is sound only if length and the distances count the same units."""
    con = duckdb.connect()
    got = con.execute("select abs(length(?) - length(?)) <= levenshtein(?, ?), "
                      "len(?) = length(?)", [left, right, left, right, left, left]).fetchone()
    assert got == (True, True)
    assert con.execute("select damerau_levenshtein(?, '')", [left]).fetchone() == (len(left),)


def _id_pairs() -> list[tuple[str | None, str | None]]:
    rng = random.Random(13)
    rows: list[tuple[str | None, str | None]] = [("1101700203450", "1101700203450"), (None, "1101700203450"),
                                                 ("1101700203450", "1101700203"), ("1101700203450", "1017002034501")]
    for _ in range(6000):
        a = "".join(rng.choice("0123456789") for _ in range(13))
        b = _mutate(rng, a, "0123456789") if rng.random() < 0.8 else "".join(rng.choice("0123") for _ in range(13))
        rows.append((a, b))
    return rows


def test_cid_distance_reads_as_the_edit_distance_at_every_threshold() -> None:
    con = duckdb.connect()
    con.execute("create table q (a varchar, b varchar)")
    con.executemany("insert into q values (?, ?)", _id_pairs())
    dist = cid_distance_sql("x", "y")
    differ, near = con.execute(
        "select count(*) filter (where "
        + " or ".join(f"({dist} {t}) is distinct from (damerau_levenshtein(x.cid, y.cid) {t})"
                      for t in ("<= 1", "<= 2", "> 1", "= 0"))
        + "), count(*) filter (where damerau_levenshtein(x.cid, y.cid) between 1 and 2)"
        " from (select a as cid, b from q) x, lateral (select b as cid) y"
    ).fetchone()
    assert differ == 0
    assert near > 500  # many pairs sit on the thresholds
