"""The link stage on hand-built std tables: each tier, one-to-one, duplicates, review, explanations.

The small cases are checked by hand. The probabilistic tier is tested on a generated population of a few
hundred households with known truth, asserting properties (precision, recall, determinism), not fixed results.
"""

import json
import logging
import random
from typing import Any

import duckdb
import pytest
from pythainlp.corpus import thai_family_names, thai_female_names, thai_male_names
from pythainlp.soundex import lk82, metasound, udom83

from flows.link import link
from schemas.contracts import std_contract
from transforms.link_sql import id_typo_candidates_sql, id_typo_links_sql, name_close_sql
from transforms.linkage import BLOCKING_RULES, splink_settings
from transforms.romanise import phonetic_roman_key

POVERTY_EXTRA = {"welfare_card": "BOOLEAN", "dim_health": "BOOLEAN", "dim_living": "BOOLEAN",
                 "dim_education": "BOOLEAN", "dim_income": "BOOLEAN", "dim_access": "BOOLEAN",
                 "survey_year": "INTEGER", "house_code": "VARCHAR"}


def check_digit(first12: str) -> str:
    total = sum(int(d) * (13 - i) for i, d in enumerate(first12))
    return str((11 - total % 11) % 10)


def make_cid(rng: random.Random) -> str:
    body = str(rng.randint(1, 8)) + "".join(str(rng.randint(0, 9)) for _ in range(11))
    return body + check_digit(body)


def cid_status(cid: str | None) -> str:
    if not cid:
        return "missing"
    if len(cid) != 13:
        return "wrong_length"
    return "valid" if check_digit(cid[:12]) == cid[12] else "bad_check_digit"


def std_row(record_id: int, source_file: str, source_row: int, first: str | None, last: str | None,
            cid: str | None = None, **kw: Any) -> dict[str, Any]:
    """One std row with every std column filled the way standardise would."""
    row: dict[str, Any] = {
        "record_id": record_id, "source_file": source_file, "source_sha256": "0" * 64, "source_row": source_row,
        "dataset_key": kw.pop("dataset_key", source_file.split(".")[0]), "title": kw.pop("title", None),
        "sex": kw.pop("sex", None), "first_name": first, "last_name": last,
        "cid": cid, "cid_status": cid_status(cid), "birth_year_be": kw.pop("birth_year_be", None),
        "house_no": kw.pop("house_no", None), "village_no": kw.pop("village_no", None),
        "subdistrict_code": kw.pop("subdistrict_code", "310101"), "district_code": None, "province_code": None,
        "address_status": "resolved",
    }
    for part, name in (("first", first), ("last", last)):
        row[f"{part}_lk82"] = lk82(name) if name else None
        row[f"{part}_udom83"] = udom83(name) if name else None
        row[f"{part}_metasound"] = metasound(name) if name else None
        row[f"{part}_roman"] = None
        row[f"{part}_rkey"] = phonetic_roman_key(name) if name else None
    row["source_sheet"], row["source_line"] = "", source_row + 1  # one header line above the data
    row["birth_year_min"] = kw.pop("birth_year_min", row["birth_year_be"])
    row["birth_year_max"] = kw.pop("birth_year_max", row["birth_year_be"])
    row["district_code"] = row["subdistrict_code"][:4] if row["subdistrict_code"] else None
    row["province_code"] = row["subdistrict_code"][:2] if row["subdistrict_code"] else None
    row.update(kw)
    return row


def load_std(con: duckdb.DuckDBPyConnection, roster: list[dict[str, Any]], poverty: list[dict[str, Any]]) -> None:
    for dataset, rows in (("roster", roster), ("poverty", poverty)):
        contract = std_contract(dataset)
        types = {c.name: c.type for c in contract.columns}
        if dataset == "poverty":
            types |= POVERTY_EXTRA
        con.execute(f"create or replace table std_{dataset} ({', '.join(f'{n} {t}' for n, t in types.items())})")
        if rows:
            names = list(types)
            con.executemany(
                f"insert into std_{dataset} values ({', '.join('?' for _ in names)})",
                [[r.get(n) for n in names] for r in rows],
            )


def _links(con: duckdb.DuckDBPyConnection) -> dict[int, tuple[str, int | None, dict[str, Any], bool]]:
    rows = con.execute(
        "select roster_record_id, match_method, poverty_record_id, explanation, roster_duplicate from links"
    ).fetchall()
    return {r[0]: (r[1], r[2], json.loads(r[3]), r[4]) for r in rows}


CID = "1101700203450"  # check digit valid


def test_test_cid_is_valid() -> None:
    assert cid_status(CID) == "valid"


@pytest.mark.parametrize(
    "left, right, expected",
    [
        ("สมชาย", "สมชาย", True),
        ("สมชาย", "สมชัย", True),  # one edit
        ("ศรีสุข", "สีสุข", True),  # sound-alike consonant
        ("สมชาย", "วิไลวรรณ", False),
        (None, "สมชาย", False),
    ],
)
def test_name_close(left: str | None, right: str | None, expected: bool) -> None:
    con = duckdb.connect()
    load_std(con, [std_row(1, "r.csv", 1, left, "ใจดี")], [std_row(1, "p.csv", 1, right, "ใจดี")])
    got = con.execute(
        f"select {name_close_sql('r.first', 'p.first')} from std_roster r, std_poverty p"
    ).fetchone()
    assert got == (expected,)


def test_damerau_levenshtein_counts_thai_code_points() -> None:
    con = duckdb.connect()
    assert con.execute("select damerau_levenshtein('สมชาย', 'สมชัย')").fetchone() == (1,)
    assert con.execute("select damerau_levenshtein('ก่า', 'ก้า'), levenshtein('ศรี', 'สี')").fetchone() == (1, 2)


def _typo(cid: str, pos: int) -> str:
    return cid[:pos] + str((int(cid[pos]) + 1) % 10) + cid[pos + 1:]


def _swap(cid: str, start: int) -> str:
    pos = next((i for i in range(start, 12) if cid[i] != cid[i + 1]), 0)
    return cid[:pos] + cid[pos + 1] + cid[pos] + cid[pos + 2:]


@pytest.fixture()
def small() -> duckdb.DuckDBPyConnection:
    """Hand-checkable cases: each roster row's expectation is in the comment beside it."""
    rng = random.Random(7)
    ids = [make_cid(rng) for _ in range(10)]
    area = {"subdistrict_code": "310101", "village_no": "4"}
    poverty = [
        std_row(1, "p.csv", 1, "สมชาย", "ใจดี", ids[0], birth_year_be=2500, sex="M", house_no="1", **area),
        std_row(2, "p.csv", 2, "วิไล", "สุขใจ", ids[1], birth_year_be=2510, sex="F", house_no="2", **area),
        std_row(3, "p.csv", 3, "ประเสริฐ", "มั่นคง", ids[2], birth_year_be=2520, sex="M", house_no="3", **area),
        std_row(4, "p.csv", 4, "มาลี", "ทองดี", ids[3], birth_year_be=2530, sex="F", house_no="4", **area),
        std_row(5, "p.csv", 5, "บุญมี", "ศรีสวัสดิ์", ids[4], birth_year_be=2505, sex="M", house_no="5", **area),
        std_row(6, "p.csv", 6, "สมศรี", "พูลผล", ids[5], birth_year_be=2515, sex="F", house_no="6", **area),
    ]
    roster = [
        std_row(1, "r.csv", 1, "สมชาย", "ใจดี", ids[0], birth_year_be=2500, sex="M", house_no="1", **area),  # exact
        std_row(2, "r.csv", 2, "วิไล", "สุขใจ", _typo(ids[1], 6), birth_year_be=2510, **area),  # one-digit typo
        std_row(3, "r.csv", 3, "ประเสริฐ", "มั่นคง", _swap(ids[2], 3), **area),  # adjacent swap
        std_row(4, "r.csv", 4, "อนุชา", "แก้วมณี", _typo(ids[3], 8), **area),  # typo ID, other names: not tier b
        std_row(5, "r.csv", 5, "มาลี", "รักษ์ไทย", _typo(ids[3], 2), birth_year_be=2530, sex="F", **area),  # married
        std_row(6, "r.csv", 6, "ศรีสวัสดิ์", "บุญมี", _typo(ids[4], 10), **area),  # first/last swapped
        std_row(7, "r2.csv", 1, "สมชาย", "ใจดี", ids[0], birth_year_be=2500, **area),  # duplicate of row 1
        std_row(8, "r.csv", 7, "ไม่มี", "ในบัญชี", ids[6], birth_year_be=2540, **area),  # absent from poverty
    ]
    con = duckdb.connect()
    load_std(con, roster, poverty)
    return con


def test_tiers_on_hand_built_cases(small: duckdb.DuckDBPyConnection) -> None:
    counts = link(small)
    got = _links(small)
    assert got[1][:2] == ("exact_id", 1)
    assert got[2][:2] == ("id_typo", 2)
    assert got[3][:2] == ("id_typo", 3)
    assert "swapped" in got[3][2]["rule"]
    assert got[4][0] != "id_typo" and got[4][1] != 4
    assert got[5][:2] == ("id_typo", 4)
    assert "surname differs: possible married name" in got[5][2]["notes"]
    assert got[6][:2] == ("id_typo", 5)
    assert "first/last swapped" in got[6][2]["notes"]
    assert got[7][:2] == ("exact_id", 1)
    assert got[1][3] and got[7][3], "both roster rows of one poverty person are flagged"
    assert not got[2][3]
    assert got[8][:2] == ("unlinked", None)
    assert sum(counts.values()) == 8


def test_links_one_row_per_roster_record(small: duckdb.DuckDBPyConnection) -> None:
    link(small)
    assert small.execute("select count(*), count(distinct roster_record_id) from links").fetchone() == (8, 8)
    order = small.execute("select roster_file, roster_row from links").fetchall()
    assert order == sorted(order)
    house = small.execute(
        "select count(*) from links l join std_poverty p on p.record_id = l.poverty_record_id "
        "where l.house_code is distinct from p.house_code"
    ).fetchone()
    assert house == (0,)


def test_id_typo_needs_agreeing_names(small: duckdb.DuckDBPyConnection) -> None:
    small.execute("create table int_link_exact as select 0::bigint as roster_id where false")
    small.execute(id_typo_candidates_sql())
    small.execute(id_typo_links_sql())
    pairs = dict(small.execute("select roster_id, poverty_id from int_link_id_typo").fetchall())
    assert 4 not in pairs
    assert pairs[2] == 2 and pairs[3] == 3


def test_settings_are_thai_aware() -> None:
    settings = splink_settings(prior=1e-5)
    first = settings["comparisons"][0]
    labels = [lv["label_for_charts"] for lv in first["comparison_levels"]]
    assert "phonetic key agrees" in labels and "first/last swapped" in labels
    assert first["comparison_levels"][1]["tf_adjustment_column"] == "first_name"
    assert len(settings["blocking_rules_to_generate_predictions"]) == len(BLOCKING_RULES)


def _misspell(name: str, rng: random.Random) -> str:
    """One Thai typo: a tone mark dropped, or a sound-alike consonant swapped in, or one letter changed."""
    for a, b in (("่", ""), ("้", ""), ("ศ", "ส"), ("ษ", "ส"), ("ณ", "น"), ("ธ", "ท"), ("ภ", "พ"), ("ญ", "ย")):
        if a in name and rng.random() < 0.5:
            return name.replace(a, b, 1)
    i = rng.randrange(len(name))
    return name[:i] + rng.choice("กขคงจชดตนบปมยรลวสอ") + name[i + 1:]


def population(households: int, seed: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]], set[tuple[int, int]]]:
    """Roster and poverty std rows of a generated population, with roster typing noise, and the true links."""
    rng = random.Random(seed)
    male, female, family = (sorted(f()) for f in (thai_male_names, thai_female_names, thai_family_names))
    people = []
    for h in range(households):
        area = {"subdistrict_code": f"3101{rng.randint(1, 4):02d}", "village_no": str(rng.randint(1, 12)),
                "house_no": f"{rng.randint(1, 300)}" + (f"/{rng.randint(1, 9)}" if rng.random() < 0.2 else "")}
        surname = rng.choice(family)
        for m in range(rng.randint(1, 6)):
            sex = rng.choice("MF")
            people.append({"h": h, "sex": sex, "first": rng.choice(male if sex == "M" else female),
                           "last": surname if m or rng.random() < 0.7 else rng.choice(family),
                           "year": rng.randint(2480, 2560), "cid": make_cid(rng), **area})
    in_poverty = {h for h in range(households) if rng.random() < 0.6}
    poverty, index = [], {}
    for i, p in enumerate(x for x in people if x["h"] in in_poverty):
        index[id(p)] = i + 1
        cid = p["cid"] if rng.random() > 0.03 else None
        poverty.append(std_row(i + 1, "poverty.csv", i + 1, p["first"], p["last"], cid, sex=p["sex"],
                               birth_year_be=p["year"], house_code=f"31010{p['h']:06d}",
                               **{k: p[k] for k in ("subdistrict_code", "village_no", "house_no")}))
    roster, truth = [], set()
    members = [p for p in people if rng.random() < 0.5]
    members += [p for p in members if rng.random() < 0.03]  # listed twice (or in a second fund)
    for n, p in enumerate(members):
        first, last, cid, year = p["first"], p["last"], p["cid"], p["year"]
        r = rng.random()
        if r < 0.15:
            cid = None
        elif r < 0.19:
            cid = _typo(cid, rng.randrange(13))
        elif r < 0.21:
            cid = _swap(cid, rng.randrange(11))
        if rng.random() < 0.06:
            first = _misspell(first, rng)
        if p["sex"] == "F" and rng.random() < 0.05:
            last = rng.choice(family)  # married name
        if rng.random() < 0.02:
            first, last = last, first
        if rng.random() < 0.05:
            year = None
        fund = f"fund_{p['subdistrict_code']}" + ("_b" if n >= len(members) - 40 else "")
        rid = n + 1
        roster.append(std_row(rid, f"{fund}.csv", rid, first, last, cid, sex=p["sex"], birth_year_be=year,
                              **{k: p[k] for k in ("subdistrict_code", "village_no", "house_no")}))
        if id(p) in index:
            truth.add((rid, index[id(p)]))
    return roster, poverty, truth


@pytest.fixture(scope="module")
def generated() -> tuple[duckdb.DuckDBPyConnection, set[tuple[int, int]]]:
    roster, poverty, truth = population(400, seed=3)
    con = duckdb.connect()
    load_std(con, roster, poverty)
    link(con, seed=1)
    return con, truth


def test_generated_population_precision_and_recall(
    generated: tuple[duckdb.DuckDBPyConnection, set[tuple[int, int]]],
) -> None:
    con, truth = generated
    found = set(con.execute(
        "select roster_record_id, poverty_record_id from links where poverty_record_id is not null"
    ).fetchall())
    right = len(found & truth)
    assert right / len(found) >= 0.98
    assert right / len(truth) >= 0.95
    methods = dict(con.execute("select match_method, count(*) from links group by all").fetchall())
    assert methods.get("probabilistic", 0) > 0, "the probabilistic tier links records the ID tiers cannot"
    probabilistic = set(con.execute(
        "select roster_record_id, poverty_record_id from links where match_method = 'probabilistic'"
    ).fetchall())
    assert len(probabilistic & truth) / len(probabilistic) >= 0.95


def test_generated_population_explanations_and_review(
    generated: tuple[duckdb.DuckDBPyConnection, set[tuple[int, int]]],
) -> None:
    con, _ = generated
    for (text,) in con.execute("select explanation from links where match_method = 'probabilistic'").fetchall():
        e = json.loads(text)
        assert set(e["fields"]) >= {"first_name", "last_name", "birth_year_be", "subdistrict_code"}
        assert "first_name" in e["splink"]["levels"] and "match_weight" in e["splink"]
    linked = con.execute(
        "select count(*) from review where roster_record_id in "
        "(select roster_record_id from links where match_method <> 'unlinked')"
    ).fetchone()
    assert linked == (0,), "a review pair's roster record is not linked"
    assert con.execute("select count(*) from review where match_probability < 0.5 "
                       "and review_reason not like 'vetoed: %'").fetchall() == [(0,)]
    assert con.execute("select count(*) from review where match_probability >= 0.9 "
                       "and review_reason not similar to '(ambiguous|vetoed): .*'").fetchall() == [(0,)]
    report = con.execute("select rule, pairs from int_blocking_report order by rule_order").fetchall()
    assert [r[0] for r in report] == list(BLOCKING_RULES) and sum(r[1] for r in report) > 0


def test_one_to_one_and_determinism(generated: tuple[duckdb.DuckDBPyConnection, set[tuple[int, int]]]) -> None:
    con, _ = generated
    assert con.execute("select count(*) - count(distinct roster_record_id) from links").fetchall() == [(0,)]
    shared = con.execute(
        "select count(*) from links where poverty_record_id in (select poverty_record_id from links "
        "where poverty_record_id is not null group by all having count(*) > 1) and not roster_duplicate"
    ).fetchall()
    assert shared == [(0,)], "roster rows sharing a poverty person are flagged"
    first = con.execute("select * from links").fetchall()
    link(con, seed=1)
    assert con.execute("select * from links").fetchall() == first


def test_tiny_input_skips_the_probabilistic_tier_rather_than_guess() -> None:
    """Two roster rows without IDs against one poverty person: too few pairs to train EM, so nothing is guessed."""
    con = duckdb.connect()
    roster = [
        std_row(1, "r.csv", 1, "สมชาย", "ใจดี", birth_year_be=2510),
        std_row(2, "r.csv", 2, "สมศรี", "ใจดี", birth_year_be=2512),
    ]
    poverty = [std_row(1, "p.csv", 1, "สมชาย", "ใจดี", cid=CID, birth_year_be=2510, house_code="31010100001")]
    load_std(con, roster, poverty)
    counts = link(con)
    assert counts == {"unlinked": 2}
    assert {m for m, *_ in _links(con).values()} == {"unlinked"}


def test_tiers_a_and_b_only_when_asked(small: duckdb.DuckDBPyConnection) -> None:
    counts = link(small, probabilistic=False)
    assert set(counts) <= {"exact_id", "id_typo", "unlinked"}
    assert counts["exact_id"] == 2 and counts["id_typo"] >= 3
    assert small.execute("select count(*) from review").fetchall()[0][0] == 0
    assert small.execute("select sum(pairs) from int_blocking_report").fetchall()[0][0] in (0, None)


def test_run_log_has_no_advice_to_raise_max_pairs(caplog: pytest.LogCaptureFixture) -> None:
    # saphan chooses u_max_pairs itself; Splink's warning about its default would read as a fault to an analyst.
    roster, poverty, _ = population(150, seed=5)
    con = duckdb.connect()
    load_std(con, roster, poverty)
    with caplog.at_level(logging.INFO):
        link(con, seed=1)
    assert "splink EM rule" in caplog.text or "splink u sampling" in caplog.text  # Splink did run
    assert "max_pairs" not in caplog.text
