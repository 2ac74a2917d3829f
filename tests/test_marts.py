"""Marts on a small hand-built warehouse: every count checked by hand, contracts held, Parquet byte-identical."""

import hashlib
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.marts import build_marts, move_marts, write_marts
from flows.pseudonym_key import NO_KEY, PseudonymKeyError, load_key
from flows.warehouse import connect
from schemas.marts import MARTS, MEMBER_POVERTY, THAI_HEADERS
from transforms.citizen_id import check_digit
from transforms.marts_sql import order_by_sql
from transforms.pseudonym import cid_is_valid, hmac_pads, person_key, person_keys_sql
from transforms.spreadsheet import neutralised

KEY = b"test-pseudonym-key-0123456789abcdef"
DIMS = ("health", "living", "education", "income", "access")


def make_cid(body: str) -> str:
    """A valid citizen ID from its first 12 digits."""
    total = sum(int(d) * (13 - i) for i, d in enumerate(body))
    return body + str((11 - total % 11) % 10)


P1, P2, P3, P4, P6, P7 = (make_cid(f"3101010000{i:02d}") for i in (1, 2, 3, 4, 6, 7))
R5 = make_cid("310101000099")
FUND_A, FUND_B = "กองทุนสวัสดิการชุมชนตำบลในเมือง", "กองทุนอิสาณ"

# (record_id, file, row, cid, first, last, village, subdistrict, house_code, card, dims poor)
POVERTY = [
    (1, "p.csv", 1, P1, "สมชาย", "ใจดี", "1", "310101", "31010100001", True, {"income"}),
    (2, "p.csv", 2, P2, "สมหญิง", "ใจดี", "1", "310101", "31010100001", False, set()),
    (3, "p.csv", 3, P3, "มานะ", "ขยัน", "2", "310101", "31010100002", True, set()),
    (4, "p.csv", 4, P4, "มานี", "มีนา", "10", "310101", "31010100010", False, {"health"}),
    (5, "p.csv", 5, None, "ปิติ", "มีนา", "10", "310101", "31010100010", True, set()),
    (6, "p.csv", 6, P6, "ชูใจ", "สุขสันต์", "3", "310103", "31010300003", True, {"access"}),
    (7, "p.csv", 7, P7, "วีระ", "กล้าหาญ", "4", "310102", "31010200004", True, {"education", "living"}),
    (8, "p2.csv", 1, P1, "สมชาย", "ใจดี", "1", "310101", "31010100001", True, {"income"}),  # P1 recorded twice
]
# (record_id, file, row, fund, cid, first, last, village, subdistrict, linked poverty record, method)
ROSTER = [
    (1, "a.csv", 1, FUND_A, P1, "สมชาย", "ใจดี", "1", "310101", 1, "exact_id"),
    (2, "a.csv", 2, FUND_A, P2, "สมหญิง", "ใจดี", "1", "310101", 2, "exact_id"),
    (3, "a.csv", 3, FUND_A, P1, "สมชาย", "ใจดี", "1", "310101", 1, "exact_id"),
    (4, "a.csv", 4, FUND_A, None, "ประยุทธ", "ไม่มีบัตร", "5", "310101", None, "unlinked"),
    (5, "a.csv", 5, FUND_A, R5, "ประเสริฐ", "นอกเขต", "6", "310102", None, "unlinked"),
    (6, "b.csv", 1, FUND_B, None, "วีระ", "กล้าหาญ", "4", "310102", 7, "probabilistic"),
]


def build_small_warehouse(con: duckdb.DuckDBPyConnection, poverty=POVERTY, roster=ROSTER) -> None:
    """std_poverty, std_roster and links by hand, with the columns the marts read."""
    sha = {f: hashlib.sha256(f.encode()).hexdigest() for f in ("p.csv", "p2.csv", "a.csv", "b.csv")}
    dims = ", ".join(f"dim_{d} boolean" for d in DIMS)
    con.execute(
        "create or replace table std_poverty (record_id bigint, source_file varchar, source_sha256 varchar, "
        "source_row bigint, dataset_key varchar, cid varchar, cid_status varchar, first_name varchar, "
        "last_name varchar, village_no varchar, subdistrict_code varchar, district_code varchar, "
        f"province_code varchar, house_code varchar, welfare_card boolean, {dims}, survey_year integer)"
    )
    for rid, f, row, cid, first, last, village, sub, house, card, poor in poverty:
        status = "valid" if cid_is_valid(cid) else ("missing" if cid is None else "bad_check_digit")
        con.execute(
            "insert into std_poverty values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [rid, f, sha[f], row, house, cid, status, first, last, village, sub, sub[:4], sub[:2], house, card,
             *[d in poor for d in DIMS], 2567],
        )
    con.execute(
        "create or replace table std_roster (record_id bigint, source_file varchar, source_sha256 varchar, "
        "source_row bigint, dataset_key varchar, cid varchar, cid_status varchar, first_name varchar, "
        "last_name varchar, village_no varchar, subdistrict_code varchar, district_code varchar, "
        "province_code varchar)"
    )
    con.execute(
        "create or replace table links (roster_file varchar, roster_row bigint, poverty_file varchar, "
        "poverty_row bigint, match_method varchar, match_score double, explanation varchar, "
        "roster_duplicate boolean, house_code varchar, roster_record_id bigint, poverty_record_id bigint, "
        "fund varchar)"
    )
    by_id = {p[0]: p for p in poverty}
    for rid, f, row, fund, cid, first, last, village, sub, pid, method in roster:
        status = "valid" if cid_is_valid(cid) else ("missing" if cid is None else "bad_check_digit")
        con.execute(
            "insert into std_roster values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [rid, f, sha[f], row, fund, cid, status, first, last, village, sub, sub[:4], sub[:2]],
        )
        p = by_id.get(pid)
        con.execute(
            "insert into links values (?, ?, ?, ?, ?, ?, '{}', false, ?, ?, ?, ?)",
            [f, row, p[1] if p else None, p[2] if p else None, method, 1.0 if p else None,
             p[8] if p else None, rid, pid, fund],
        )


@pytest.fixture()
def warehouse(tmp_path) -> Path:
    path = tmp_path / "saphan.duckdb"
    with connect(path) as con:
        build_small_warehouse(con)
        build_marts(con, KEY)
    return path


def _rows(path: Path, sql: str) -> list[dict]:
    with duckdb.connect(str(path), read_only=True) as con:
        cur = con.execute(sql)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def test_member_poverty_joins_members_to_people_and_households(warehouse):
    rows = _rows(warehouse, "select * from member_poverty")
    assert len(rows) == len(ROSTER)
    by_key = {}
    for r in rows:
        by_key.setdefault(r["person_key"], []).append(r)
    p1 = by_key[person_key(KEY, P1, "", 0)]
    assert len(p1) == 2 and all(r["roster_duplicate"] and r["target_poor"] and r["dim_income"] for r in p1)
    [p2] = by_key[person_key(KEY, P2, "", 0)]
    assert p2["is_poor"] and p2["dim_income"] and not p2["target_poor"]  # household poor, no welfare card
    assert p2["poor_dimensions"] == 1 and p2["house_code"] == "31010100001"
    [p7] = by_key[person_key(KEY, P7, "", 0)]  # the roster row had no ID: the poverty person's key is used
    assert p7["fund"] == FUND_B and p7["match_method"] == "probabilistic" and p7["poor_dimensions"] == 2
    unlinked = [r for r in rows if not r["linked"]]
    assert len(unlinked) == 2
    assert all(r["is_poor"] is None and r["target_poor"] is None and r["house_code"] is None for r in unlinked)
    assert {r["village_no"] for r in unlinked} == {"5", "6"}


def test_poor_not_in_fund_lists_unreached_poor_where_a_fund_is(warehouse):
    rows = _rows(warehouse, "select * from poor_not_in_fund")
    # P4 and P5 (household poor in health); not P1's second record (P1 is a member), not P6 (no fund there),
    # not P3 (not poor).
    assert [(r["subdistrict_code"], r["village_no"], r["house_code"]) for r in rows] == [
        ("310101", "10", "31010100010"), ("310101", "10", "31010100010")
    ]
    assert {r["person_key"] for r in rows} == {
        person_key(KEY, P4, "", 0), person_key(KEY, None, hashlib.sha256(b"p.csv").hexdigest(), 5)
    }
    assert all(r["funds"] == FUND_A and r["dim_health"] and r["subdistrict_name"] == "ในเมือง" for r in rows)
    assert [r["person_key"] for r in rows] == sorted(r["person_key"] for r in rows)  # fixed order


def test_coverage_by_area_and_dimension(warehouse):
    rows = {(r["level"], r["subdistrict_code"] or r["district_code"] or r["province_code"], r["village_no"]): r
            for r in _rows(warehouse, "select * from coverage")}
    province = rows[("province", "31", None)]
    assert (province["poor_people"], province["poor_members"], province["coverage_rate"]) == (6, 3, 0.5)
    assert province["province_name"] == "บุรีรัมย์" and province["has_fund"]
    nai_mueang = rows[("subdistrict", "310101", None)]
    assert (nai_mueang["poor_people"], nai_mueang["poor_members"], nai_mueang["coverage_rate"]) == (4, 2, 0.5)
    assert (nai_mueang["poor_income"], nai_mueang["members_income"], nai_mueang["coverage_income"]) == (2, 2, 1.0)
    assert (nai_mueang["poor_health"], nai_mueang["members_health"], nai_mueang["coverage_health"]) == (2, 0, 0.0)
    assert nai_mueang["coverage_access"] is None  # nobody poor in access here
    assert (nai_mueang["target_poor_people"], nai_mueang["target_poor_members"]) == (2, 1)  # P1, P5
    no_fund = rows[("subdistrict", "310103", None)]
    assert not no_fund["has_fund"] and no_fund["coverage_rate"] == 0.0
    village = rows[("village", "310101", "10")]
    assert village["poor_people"] == 2 and village["poor_members"] == 0
    levels = [r["level"] for r in _rows(warehouse, "select level from coverage")]
    assert set(levels) == {"province", "district", "subdistrict", "village"}


def test_fund_summary_counts_members_links_duplicates_and_poverty(warehouse):
    rows = {r["fund"]: r for r in _rows(warehouse, "select * from fund_summary")}
    a = rows[FUND_A]
    assert (a["members"], a["distinct_people"], a["linked"], a["unlinked"]) == (5, 4, 3, 2)
    assert (a["linked_exact_id"], a["duplicates"], a["poor_members"], a["target_poor_members"]) == (3, 2, 3, 2)
    assert (a["poor_income"], a["poor_health"], a["subdistrict_code"]) == (3, 0, "310101")
    b = rows[FUND_B]
    assert (b["members"], b["linked_probabilistic"], b["poor_education"], b["poor_living"]) == (1, 1, 1, 1)


def test_marts_hold_no_raw_id_or_name(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for contract in MARTS:
            text = str(con.execute(f"select * from {contract.table}").fetchall())
            for cid in (P1, P2, P3, P4, P6, P7, R5):
                assert cid not in text, contract.table
            for name in ("สมชาย", "ใจดี", "มานี", "วีระ", "ประเสริฐ"):
                assert name not in text, contract.table


def test_every_mart_column_has_a_description_and_a_thai_header():
    for contract in MARTS:
        for c in contract.columns:
            assert c.description and not c.pii, (contract.table, c.name)
            assert c.name in THAI_HEADERS, (contract.table, c.name)


def test_parquet_is_partitioned_by_province_and_byte_identical(warehouse, tmp_path):
    digests = []
    for run in ("one", "two"):
        staging = tmp_path / run
        with connect(warehouse) as con:
            entries = write_marts(con, staging)
        digests.append({e["path"]: hashlib.sha256((staging / e["path"]).read_bytes()).hexdigest() for e in entries})
    assert digests[0] == digests[1]
    paths = sorted(digests[0])
    assert "marts/coverage/province_code=31/data_0.parquet" in paths
    assert {p.split("/")[1] for p in paths} == {c.table for c in MARTS}
    table = pq.read_table(tmp_path / "one" / "marts" / "member_poverty" / "province_code=31" / "data_0.parquet")
    assert table.num_rows == len(ROSTER)
    with duckdb.connect() as con:
        n = con.execute(
            f"select count(*) from read_parquet('{tmp_path / 'one' / 'marts' / 'coverage'}/**/*.parquet', "
            "hive_partitioning = true, hive_types = {'province_code': varchar}) where province_code = '31'"
        ).fetchone()
    assert n and n[0] > 0
    out = tmp_path / "out"
    move_marts(tmp_path / "one", out)
    move_marts(tmp_path / "two", out)  # a second publish replaces the first
    assert (out / "marts" / "fund_summary" / "province_code=31" / "data_0.parquet").is_file()
    assert not (tmp_path / "two" / "marts").exists()


def test_a_large_province_is_written_in_order_every_time(warehouse, tmp_path):
    # One partitioned COPY let its threads interleave a large province's rows: a 400k-household province's
    # member_poverty came out in another order each run. Each file must hold its rows in the mart's order.
    with connect(warehouse) as con:
        con.execute("set threads = 4")
        con.execute("""create or replace table member_poverty as
            select * replace (case when i % 7 = 0 then null else '31' end as province_code,
                              lpad(((i * 7919) % 300007)::varchar, 8, '0') as person_key)
            from member_poverty, range(300000) t(i)""")
        digests = []
        for run in ("one", "two"):
            entries = write_marts(con, tmp_path / run)
            digests.append({e["path"]: hashlib.sha256((tmp_path / run / e["path"]).read_bytes()).hexdigest()
                            for e in entries if "member_poverty" in e["path"]})
        order = order_by_sql(MEMBER_POVERTY)
        for folder, code in (("province_code=31", "'31'"), ("province_code=__HIVE_DEFAULT_PARTITION__", "null")):
            path = tmp_path / "one" / "marts" / "member_poverty" / folder / "data_0.parquet"
            written = con.execute(f"select * from read_parquet('{path}', hive_partitioning = false)").fetchall()
            expected = con.execute(f"select * exclude (province_code) from member_poverty "
                                   f"where province_code is not distinct from {code} order by {order}").fetchall()
            assert written == expected
    assert digests[0] == digests[1]
    assert len(digests[0]) == 2


def test_person_key_is_keyed_stable_and_falls_back_to_lineage():
    k = person_key(KEY, P1, "aa", 1)
    assert k == person_key(KEY, P1, "bb", 2) and len(k) == 32
    assert k != person_key(b"another-key-0123456789", P1, "aa", 1)
    assert k != hashlib.sha256(P1.encode()).hexdigest()[:32]
    bad = P1[:-1] + str((int(P1[-1]) + 1) % 10)
    assert person_key(KEY, bad, "aa", 1) == person_key(KEY, None, "aa", 1) != person_key(KEY, None, "aa", 2)


# Valid IDs (leading zeros too) as often as invalid ones: the SQL reads a valid ID as a number.
VALID_CIDS = st.from_regex(r"\A[0-9]{12}\Z").map(lambda d: d + str(check_digit(d)))
CIDS = (st.none() | VALID_CIDS | st.from_regex(r"\A[0-9]{13}\Z") | st.from_regex(r"\A[0-9๐-๙ ]{11,14}\Z")
        | st.from_regex(r"\A[0-9+ -]{13}\Z") | st.text(max_size=14))


@settings(deadline=None, max_examples=50)
@given(st.lists(st.tuples(CIDS, st.text(max_size=64), st.integers(1, 10**9)), min_size=1, max_size=80),
       st.binary(min_size=1, max_size=100))
def test_person_keys_in_sql_equal_person_key(rows, key):
    # The marts make keys set-based in DuckDB (person_keys_sql); they must be person_key's, byte for byte.
    con = duckdb.connect()
    con.execute("create table t (i bigint, cid varchar, sha varchar, r bigint)")
    con.executemany("insert into t values (?, ?, ?, ?)", [(i, *row) for i, row in enumerate(rows)])
    got = [k for (_, k) in con.execute(person_keys_sql("t", "cid", "sha", "r", keep=["i"]) + " order by i",
                                       hmac_pads(key)).fetchall()]
    assert got == [person_key(key, cid, sha, r) for cid, sha, r in rows]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil.example","click")', '\'=HYPERLINK("http://evil.example","click")'),
        ("+66812345678", "'+66812345678"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("สมชาย", "สมชาย"),
        ("", ""),
        (None, None),
        (-3, -3),
    ],
)
def test_spreadsheet_cells_are_neutralised(value, expected):
    assert neutralised(value) == expected


def test_key_from_env_or_file_outside_the_repo(tmp_path):
    assert load_key({}, {"SAPHAN_PSEUDONYM_KEY": "x" * 20}) == b"x" * 20
    key_file = tmp_path / "pseudonym.key"
    key_file.write_bytes(b"k" * 32 + b"\n")
    assert load_key({"privacy": {"key_file": str(key_file)}}, {}) == b"k" * 32
    with pytest.raises(PseudonymKeyError) as e:
        load_key({}, {})
    assert str(e.value) == NO_KEY
    inside = Path(__file__).resolve()
    with pytest.raises(PseudonymKeyError, match="inside the repository"):
        load_key({"privacy": {"key_file": str(inside)}}, {})
    with pytest.raises(PseudonymKeyError, match="too short"):
        load_key({}, {"SAPHAN_PSEUDONYM_KEY": "short"})
    with pytest.raises(PseudonymKeyError, match="cannot be read"):
        load_key({"privacy": {"key_file": str(tmp_path / "missing.key")}}, {})
