"""Contradictions veto links made by names: hand-made traps among a generated population, through the real link().

Each trap is a real-form case from issue 14 (namesakes, a father and son, twins, an age against a namesake, a wife's
maiden name, movers, a duplicate row). The population around them (tests/test_linkage.py) lets Splink train as it
would on a fund's file; the traps sit in their own subdistrict (310601) so the population does not touch them.
"""

import json
import random
from typing import Any

import duckdb
import pytest
from test_linkage import check_digit, load_std, make_cid, population, std_row

from flows.link import link

AREA = {"subdistrict_code": "310601", "village_no": "7"}
ELSEWHERE = {"subdistrict_code": "320101", "village_no": "2"}  # another province


def _twin_ids(rng: random.Random) -> tuple[str, str]:
    """Two valid IDs issued one after the other (twins): the last sequence digit and the check digit differ."""
    while True:
        a = make_cid(rng)
        body = a[:11] + str((int(a[11]) + 1) % 10)
        b = body + check_digit(body)
        if b[11:] != a[11:][::-1]:  # not an adjacent swap of a, which the ID-typo tier may accept
            return a, b


def traps() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rng = random.Random(14)
    ids = [make_cid(rng) for _ in range(6)]
    twin_a, twin_b = _twin_ids(rng)
    r = lambda rid, *a, **k: std_row(rid, "trap_fund.csv", rid - 9000, *a, **k)  # noqa: E731
    p = lambda pid, *a, **k: std_row(pid, "trap_tpmap.csv", pid - 9000, *a, **k)  # noqa: E731
    poverty = [
        p(9001, "สมพงษ์", "แก้วประเสริฐ", ids[0], birth_year_be=2500, sex="M", house_no="10", **AREA),
        p(9002, "บุญเรือง", "ศรีวงศ์ไทย", ids[1], birth_year_be=2500, sex="M", house_no="20", **AREA),
        p(9003, "กิตติพงษ์", "ทองมาเสมอ", twin_a, birth_year_be=2530, sex="M", house_no="30", **AREA),
        p(9004, "ประยูร", "มีสุขสันต์", ids[2], birth_year_be=2498, sex="F", house_no="41", **AREA),
        p(9005, "สมศักดิ์", "ใจกล้าหาญ", ids[3], birth_year_be=2505, sex="M", house_no="50", **AREA),
        p(9006, "มาลัย", "บุญยืนยง", ids[4], birth_year_be=2508, sex="F", house_no="50", **AREA),
        p(9007, "ทองใบ", "พรหมสุวรรณ", None, birth_year_be=2510, sex="F", house_no="5", **ELSEWHERE),
        p(9008, "จำเนียร", "ศรีสะอาดดี", None, birth_year_be=2512, sex="F", house_no="8", **ELSEWHERE),
        p(9009, "สุดใจ", "รักษาวงศ์", ids[5], birth_year_be=2515, sex="F", house_no="60", **AREA),
    ]
    roster = [
        # namesakes: 9001 is the poor man himself (exact ID); 9002 a namesake with his own valid ID
        r(9001, "สมพงษ์", "แก้วประเสริฐ", ids[0], birth_year_be=2500, sex="M", house_no="10", **AREA),
        r(9002, "สมพงษ์", "แก้วประเสริฐ", make_cid(rng), birth_year_be=2500, sex="M", house_no="11", **AREA),
        # the son, named after his father (the poor man 9002), 25 years younger, no ID written
        r(9003, "บุญเรือง", "ศรีวงศ์ไทย", None, birth_year_be=2525, sex="M", house_no="20", **AREA),
        # the other twin: same house and birth year, his own valid ID, another first name
        r(9004, "กิตติศักดิ์", "ทองมาเสมอ", twin_b, birth_year_be=2530, sex="M", house_no="30", **AREA),
        # only an age (38 or 39 at the file's date): born 2528-2529, not 2498
        r(9005, "ประยูร", "มีสุขสันต์", None, birth_year_min=2528, birth_year_max=2529, house_no="41", **AREA),
        # the wife under her married name, no title read (sex unknown), no ID: not her husband 9005
        r(9006, "มาลัย", "ใจกล้าหาญ", None, house_no="50", **AREA),
        # movers without an ID, now in another province: with a birth year (links), without one (review)
        r(9007, "ทองใบ", "พรหมสุวรรณ", None, birth_year_be=2510, sex="F", house_no="3", **AREA),
        r(9008, "จำเนียร", "ศรีสะอาดดี", None, sex="F", house_no="9", **AREA),
        # one member listed twice: with her ID, and again without it
        r(9009, "สุดใจ", "รักษาวงศ์", ids[5], birth_year_be=2515, sex="F", house_no="60", **AREA),
        r(9010, "สุดใจ", "รักษาวงศ์", None, birth_year_be=2515, sex="F", house_no="60", **AREA),
    ]
    return roster, poverty


@pytest.fixture(scope="module")
def linked() -> duckdb.DuckDBPyConnection:
    roster, poverty, _ = population(200, seed=11)
    trap_roster, trap_poverty = traps()
    con = duckdb.connect()
    load_std(con, roster + trap_roster, poverty + trap_poverty)
    link(con, seed=1)
    return con


def _link(con: duckdb.DuckDBPyConnection, roster_id: int) -> tuple[str, int | None, dict[str, Any], bool]:
    method, poverty_id, explanation, duplicate = con.execute(
        "select match_method, poverty_record_id, explanation, roster_duplicate from links where roster_record_id = ?",
        [roster_id]).fetchone() or ("absent", None, "{}", False)
    return method, poverty_id, json.loads(explanation), duplicate


def _vetoes(con: duckdb.DuckDBPyConnection, roster_id: int, poverty_id: int) -> list[str]:
    """The pair's vetoes as an unlinked record's explanation names them."""
    _, _, explanation, _ = _link(con, roster_id)
    return next((v["vetoes"] for v in explanation.get("vetoed", []) if v["poverty_record_id"] == poverty_id), [])


def _review(con: duckdb.DuckDBPyConnection, roster_id: int, poverty_id: int) -> tuple[str, list[str]] | None:
    row = con.execute("select review_reason, explanation from review where roster_record_id = ? "
                      "and poverty_record_id = ?", [roster_id, poverty_id]).fetchone()
    return (row[0], json.loads(row[1])["vetoes"]) if row else None


def test_namesake_with_another_valid_id_is_not_linked_by_name(linked: duckdb.DuckDBPyConnection) -> None:
    assert _link(linked, 9001)[:2] == ("exact_id", 9001)
    assert _link(linked, 9002)[:2] == ("unlinked", None)
    vetoes = _vetoes(linked, 9002, 9001)
    assert "different valid IDs" in vetoes and "poverty person linked by ID to another roster row" in vetoes
    # everything else agrees (names, birth year, village): the pair waits in review, saying why it was vetoed
    reason, named = _review(linked, 9002, 9001) or ("", [])
    assert reason.startswith("vetoed: ") and "different valid IDs" in reason and named == vetoes


def test_son_with_his_fathers_name_is_not_linked(linked: duckdb.DuckDBPyConnection) -> None:
    assert _link(linked, 9003)[:2] == ("unlinked", None)
    assert "birth years 25 apart" in _vetoes(linked, 9003, 9002)
    # names, house and village agree, so Splink scores the pair high: review shows it, with the veto as reason
    review = _review(linked, 9003, 9002)
    assert review is None or review[0] == "vetoed: birth years 25 apart"


def test_twin_with_his_own_id_is_not_linked_to_his_brother(linked: duckdb.DuckDBPyConnection) -> None:
    method, poverty_id, _, _ = _link(linked, 9004)
    assert (method, poverty_id) == ("unlinked", None)
    assert "different valid IDs" in _vetoes(linked, 9004, 9003)


def test_age_range_against_a_namesake_born_decades_earlier(linked: duckdb.DuckDBPyConnection) -> None:
    assert _link(linked, 9005)[:2] == ("unlinked", None)
    assert "birth year outside the age range" in _vetoes(linked, 9005, 9004)


def test_wife_under_her_married_name_is_not_linked_to_her_husband(linked: duckdb.DuckDBPyConnection) -> None:
    method, poverty_id, _, _ = _link(linked, 9006)
    assert poverty_id != 9005 and method in ("probabilistic", "unlinked")
    vetoed = linked.execute("select vetoes from int_link_vetoed where roster_id = 9006 and poverty_id = 9005"
                            ).fetchone()
    assert vetoed is not None and "first names differ" in vetoed[0]
    if method == "unlinked":
        assert "first names differ" in _vetoes(linked, 9006, 9005)


def test_mover_with_names_and_birth_year_links_across_provinces(linked: duckdb.DuckDBPyConnection) -> None:
    method, poverty_id, explanation, _ = _link(linked, 9007)
    assert (method, poverty_id) == ("probabilistic", 9007)
    assert explanation["fields"]["subdistrict_code"] == "disagree"
    assert explanation["fields"]["birth_year_be"] == "agree"


def test_mover_without_birth_year_goes_to_review_not_a_link(linked: duckdb.DuckDBPyConnection) -> None:
    assert _link(linked, 9008)[:2] == ("unlinked", None)
    reason, vetoes = _review(linked, 9008, 9008) or ("", [])
    assert vetoes == ["moved: no birth year to confirm"] and reason == "vetoed: moved: no birth year to confirm"
    assert _link(linked, 9008)[2]["notes"] == ["in review queue"]


def test_duplicate_member_row_still_links_and_is_flagged(linked: duckdb.DuckDBPyConnection) -> None:
    assert _link(linked, 9009)[0::3] == ("exact_id", True)
    method, poverty_id, _, duplicate = _link(linked, 9010)
    assert (method, poverty_id, duplicate) == ("probabilistic", 9009, True)


def test_blocking_report_counts_the_cross_area_rules(linked: duckdb.DuckDBPyConnection) -> None:
    report = dict(linked.execute("select rule, pairs from int_blocking_report").fetchall())
    assert report["same_names+no_birth_year (any area)"] >= 1  # the mover without a birth year
    assert report["both_phonetic+birth_year (any area)"] >= 1  # the mover with one
