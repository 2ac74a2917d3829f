"""The standardise stage joins per-column lookups in SQL: its rows must equal the Python rules applied per row."""

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pythainlp.corpus import thai_family_names, thai_female_names, thai_male_names

from flows.standardise import standardise
from schemas.contracts import FIELDS, QUARANTINE, raw_contract
from schemas.titles import load_titles
from transforms.address import resolve_address
from transforms.citizen_id import clean_citizen_id
from transforms.names import parse_name

NAME_OUT = ("title", "sex", "first_name", "last_name", "first_lk82", "first_udom83", "first_metasound", "last_lk82",
            "last_udom83", "last_metasound", "first_roman", "last_roman")
COLUMNS = ("title", "first_name", "last_name", "full_name", "citizen_id", "house_no", "village_no", "subdistrict",
           "district", "province", "postal_code", "address")


def _run(rows: list[dict[str, str | None]], dataset: str = "roster", workers: int = 1) -> list[dict]:
    con = duckdb.connect()
    cols = ", ".join(f'"{c.name}" {c.type}' for c in raw_contract(dataset).columns)
    con.execute(f"create table raw_{dataset} ({cols})")
    qcols = ", ".join(f'"{c.name}" {c.type}' for c in QUARANTINE.columns)
    con.execute(f"create table quarantine ({qcols})")
    for i, row in enumerate(rows, 1):
        values = {c: row.get(c) for c in FIELDS[dataset]}
        con.execute(
            # one file per row: the file-context pass (tests/test_address_context.py) stays out of this comparison
            f"insert into raw_{dataset} by name select 'f{i:05d}.csv' as source_file, 'x' as source_sha256, "
            f"1 as source_row, '' as source_sheet, 1 as source_line, "
            + ", ".join(f'? as "{c}"' for c in values),
            list(values.values()),
        )
    standardise(con, dataset, {"warehouse": {"workers": workers}})
    cur = con.execute(f"select * from stg_{dataset} order by source_file")
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def _expected(row: dict[str, str | None]) -> dict:
    n = parse_name(row.get("full_name"), title=row.get("title"), first=row.get("first_name"),
                   last=row.get("last_name"))
    c = clean_citizen_id(row.get("citizen_id"))
    a = resolve_address(row.get("address"), house_no=row.get("house_no"), village_no=row.get("village_no"),
                        subdistrict=row.get("subdistrict"), district=row.get("district"),
                        province=row.get("province"), postal_code=row.get("postal_code"))
    return {**{k: n[k] for k in NAME_OUT}, "no_name": n["name_status"] == "no_name", **c,
            **{k: a[k] for k in ("house_no", "village_no", "subdistrict_code", "address_status")}}


def _got(row: dict) -> dict:
    return {**{k: row[k] for k in NAME_OUT}, "no_name": row["reject_reason"] in ("no_name", "blank_row"),
            **{k: row[k] for k in ("cid", "cid_status", "house_no", "village_no", "subdistrict_code",
                                   "address_status")}}


def _check(rows: list[dict[str, str | None]]) -> None:
    for row, got in zip(rows, _run(rows), strict=True):
        expected = _expected(row)
        if got["reject_reason"] == "blank_row":  # every raw cell null: Python agrees there is no name
            assert expected["no_name"]
            continue
        assert _got(got) == expected, row


_TITLES = sorted({t.variant for t in load_titles()})
_FIRST = sorted(thai_male_names())[::50] + sorted(thai_female_names())[::50]
_LAST = sorted(thai_family_names())[::80] + ["ณ อยุธยา"]
_SOUP = st.text(alphabet=st.sampled_from("นายางสวด.ชญ ผศรพตอมหลกเแโ่้ิีุู์ั็ำ\u200b'-12"), max_size=14)
ANY = st.none() | _SOUP | st.text(max_size=6)
TITLE = st.none() | st.sampled_from(_TITLES) | ANY
FIRST = st.none() | st.sampled_from(_FIRST) | st.builds(lambda t, f: t + f, st.sampled_from(_TITLES),
                                                          st.sampled_from(_FIRST)) | ANY
LAST = st.none() | st.sampled_from(_LAST) | ANY
FULL = st.none() | st.builds(lambda t, s, f, la: f"{t}{s}{f} {la}", st.sampled_from(["", *_TITLES]),
                             st.sampled_from(["", " "]), st.sampled_from(_FIRST), st.sampled_from(_LAST)) | ANY
CID = st.none() | st.from_regex(r"\A[0-9]{13}\Z") | st.from_regex(r"\A[0-9๐-๙][0-9 \-.'E+]{10,16}\Z") | ANY
CID = CID | st.from_regex(r"\A[01]([- ])[0-9]{4}\1[0-9]{5}\1[0-9]{2}\1[0-9]\Z") | st.sampled_from(
    ["0-0000-00000-00-0", "0 0000 00000 00 0", "1-2345 67890-12-1", "1-2345-67890-12-1 "])  # grouped as on the card
HOUSE = st.none() | st.sampled_from(["12", "12/3", "เลขที่ 5", "บ้านเลขที่ 7/1", "", " "]) | ANY
VILLAGE = st.none() | st.sampled_from(["4", "ม.4", "หมู่ที่ 04", "๔", "หมู่ 12", ""]) | ANY
ADDRESS = st.none() | st.sampled_from([
    "12/3 ม.๔ บ้านโนนสูง ต.ในเมือง อ.เมือง จ.บุรีรัมย์ 31000", "5 หมู่ที่ 2 ตำบลสะแกโพรง อ.เมืองบุรีรัมย์ บุรีรัมย์",
    "ต.ในเมือง อ.เมือง", "เลขที่ 9 ม.1",
])
ROW = st.fixed_dictionaries({
    "title": TITLE, "first_name": FIRST, "last_name": LAST, "full_name": FULL, "citizen_id": CID,
    "house_no": HOUSE, "village_no": VILLAGE, "address": ADDRESS,
    "subdistrict": st.none() | st.sampled_from(["ในเมือง", "ต.สะแกโพรง", "กระสัง", "310107"]),
    "district": st.none() | st.sampled_from(["เมือง", "เมืองบุรีรัมย์", "อ.กระสัง"]),
    "province": st.none() | st.sampled_from(["บุรีรัมย์", "จ.บุรีรัมย์"]),
    "postal_code": st.none() | st.sampled_from(["31000", "31160"]),
})


@settings(deadline=None, max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ROW, min_size=1, max_size=40))
def test_stage_equals_python_rules(rows):
    _check(rows)


@pytest.mark.parametrize("rows", [
    [{"title": "นาย", "first_name": "นายสมชาย", "last_name": "ใจดี", "citizen_id": "1234567890121"},
     {"title": "นางสาว", "first_name": "นางนวล", "last_name": "ใจดี", "citizen_id": "1234567890122"},
     {"first_name": "นางนวล", "last_name": "ใจดี", "citizen_id": "1-2345-67890-12-1"},
     {"first_name": "นางนวล", "last_name": "ใจดี", "citizen_id": "1 2345 67890 12 2"},
     {"first_name": "นางนวล", "last_name": "ใจดี", "citizen_id": "0-0000-00000-00-0"},
     {"first_name": "สมชาย ใจดี", "citizen_id": "0000000000000"},
     {"full_name": "น.ส.สมศรี ณ อยุธยา", "citizen_id": "3.10120034567E+12", "address": "12/3 ม.4 ต.ในเมือง"},
     {"title": "นาย", "full_name": "นายสมชาย ใจดี", "house_no": "เลขที่", "village_no": "ม.4"},
     {"title": "ผู้ใหญ่บ้าน", "first_name": "", "last_name": "", "full_name": "สมชาย ใจดี"},
     {}],
])
def test_stage_examples(rows):
    _check(rows)


@settings(deadline=None, max_examples=5, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(ROW, min_size=30, max_size=60))
def test_stage_in_worker_processes_equals_the_stage_in_one(rows, monkeypatch_module):
    # Forked workers share each lookup's distinct values (flows.warehouse.map_distinct): the same staged rows.
    monkeypatch_module.setattr("flows.warehouse.PARALLEL_MIN_VALUES", 2)
    assert _run(rows, workers=3) == _run(rows, workers=1)


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp
