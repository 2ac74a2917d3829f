"""Time name, citizen-ID and date standardisation the way the pipeline runs it: once per distinct value.

Run: .venv/bin/python -m benchmarks.bench_names --rows 1000000

Makes roster-like rows (seeded): people drawn from pythainlp's name corpora with Zipf-like popularity, each
appearing in about --rows/--people rows (roster, poverty extract, duplicates), written with varying titles
(own column, glued, abbreviated, stacked), messy citizen IDs (dashes, Thai digits, Excel damage, typos) and
dates in every form the parsers read. Then: distinct values out of DuckDB, the Python transforms on those,
lookup tables back into DuckDB and one join. Prints a line and a JSON record with wall time and peak RSS.
"""

import argparse
import json
import resource
import time
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
from pythainlp.corpus import thai_family_names, thai_female_names, thai_male_names

from transforms.citizen_id import CID_COLUMNS, clean_citizen_id
from transforms.dates import DATE_COLUMNS, parse_date
from transforms.names import NAME_COLUMNS, parse_name

TITLES = {
    "M": ["นาย", "นาย", "นาย", "ด.ช.", "ดช", "จ.ส.อ.", "ส.ต.ท.", "ว่าที่ร้อยตรี", "พ.ต.อ. ดร.", "พระครู"],
    "F": ["นาง", "นาง", "นางสาว", "น.ส.", "นส.", "นส", "ด.ญ.", "ร้อยโทหญิง", "ผศ.ดร.", "แม่ชี"],
}
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
MONTHS = ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."]


def _zipf_pick(rng: np.random.Generator, corpus: frozenset[str], n: int) -> np.ndarray:
    names = np.array(sorted(corpus))  # frozensets iterate in hash order: sort, or the seed means nothing
    rng.shuffle(names)  # popularity must not follow the alphabet
    weights = 1.0 / np.arange(1, len(names) + 1) ** 0.9
    return rng.choice(names, size=n, p=weights / weights.sum())


def _citizen_ids(rng: np.random.Generator, n: int) -> list[str]:
    digits = rng.integers(0, 10, size=(n, 12))
    digits[:, 0] = rng.integers(1, 9, size=n)
    check = (11 - (digits * np.arange(13, 1, -1)).sum(axis=1) % 11) % 10
    return ["".join(map(str, row)) + str(c) for row, c in zip(digits.tolist(), check.tolist(), strict=True)]


def _messy_id(cid: str, r: float) -> str | None:
    if r < 0.55:
        return cid
    if r < 0.70:
        return f"{cid[0]}-{cid[1:5]}-{cid[5:10]}-{cid[10:12]}-{cid[12]}"
    if r < 0.78:
        return cid.translate(THAI_DIGITS)
    if r < 0.84:
        return "'" + cid
    if r < 0.88:
        return f"{cid[0]}.{cid[1:12]}E+12"  # Excel rounded the check digit away
    if r < 0.93:
        return cid[:5] + str((int(cid[5]) + 1) % 10) + cid[6:]  # one-digit typo
    return None if r < 0.97 else cid[:12]


def _messy_date(y: int, m: int, d: int, r: float) -> str | None:
    be = y + 543
    forms = [f"{d} {MONTHS[m - 1]} {be}", f"{d:02d}/{m:02d}/{be}", f"{y}-{m:02d}-{d:02d} 00:00:00", str(be),
             f"{d}/{m}/{be % 100:02d}", f"{d:02d}/{m:02d}/{be}".translate(THAI_DIGITS), None]
    return forms[min(int(r * len(forms)), len(forms) - 1)]


def make_rows(n_rows: int, n_people: int, seed: int) -> pa.Table:
    """Roster-like rows: title, first_name, last_name, citizen_id, birth_date (all text)."""
    rng = np.random.default_rng(seed)
    sex = rng.choice(np.array(["M", "F"]), size=n_people)
    male = _zipf_pick(rng, thai_male_names(), n_people)
    female = _zipf_pick(rng, thai_female_names(), n_people)
    first = np.where(sex == "M", male, female)
    last = _zipf_pick(rng, thai_family_names(), n_people)
    cids = _citizen_ids(rng, n_people)
    born = rng.integers(-20000, 19000, size=n_people).astype("datetime64[D]").astype(object)
    who = rng.integers(0, n_people, size=n_rows).tolist()
    r_title, r_id, r_date = (rng.random(n_rows).tolist() for _ in range(3))
    columns = ("title", "first_name", "last_name", "citizen_id", "birth_date")
    rows: dict[str, list[Any]] = {k: [] for k in columns}
    for i, p in enumerate(who):
        s, f, b = str(sex[p]), str(first[p]), born[p]
        title = TITLES[s][int(r_title[i] * 10)] if r_title[i] < 0.97 else None
        if r_title[i] < 0.15 and title:  # the title glued to the first name, no title column
            f, title = title + f, None
        rows["title"].append(title)
        rows["first_name"].append(f)
        rows["last_name"].append(str(last[p]))
        rows["citizen_id"].append(_messy_id(cids[p], r_id[i]))
        rows["birth_date"].append(_messy_date(b.year, b.month, b.day, r_date[i]))
    return pa.table(rows)


def _lookup(con: duckdb.DuckDBPyConnection, name: str, inputs: list[str], func: Any,
            outputs: list[tuple[str, str]]) -> int:
    cols = ", ".join(inputs)
    distinct = con.sql(f"select distinct {cols} from raw").to_arrow_table()
    values = [distinct.column(c).to_pylist() for c in inputs]
    results = [func(*args) for args in zip(*values, strict=True)]
    arrays: dict[str, Any] = {f"in_{c}": distinct.column(c) for c in inputs}
    for col, _ in outputs:
        arrays[col] = [r[col] for r in results]
    con.register("_out", pa.table(arrays))
    casts = ", ".join([f"in_{c}" for c in inputs] + [f'cast("{c}" as {t}) as "{c}"' for c, t in outputs])
    con.execute(f"create table {name} as select {casts} from _out")
    con.unregister("_out")
    return len(results)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--people", type=int, default=None, help="distinct people (default rows / 2)")
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    t0 = time.perf_counter()
    table = make_rows(args.rows, args.people or max(1, args.rows // 2), args.seed)
    generate_s = time.perf_counter() - t0

    con = duckdb.connect()
    con.register("_raw", table)
    con.execute("create table raw as select row_number() over () as row_id, * from _raw")
    con.unregister("_raw")
    del table
    t1, cpu1 = time.perf_counter(), _cpu()
    distinct = {
        "name": _lookup(con, "lk_name", ["title", "first_name", "last_name"],
                        lambda t, f, s: parse_name(None, title=t, first=f, last=s), NAME_COLUMNS),
        "cid": _lookup(con, "lk_cid", ["citizen_id"], clean_citizen_id, CID_COLUMNS),
        "date": _lookup(con, "lk_date", ["birth_date"], parse_date, DATE_COLUMNS),
    }
    t2 = time.perf_counter()
    con.execute("""
        create table std as
        select r.row_id, n.* exclude (in_title, in_first_name, in_last_name), c.cid, c.cid_status,
               d.date as birth_date, d.date_status, d.birth_year_be
        from raw r
        left join lk_name n on n.in_title is not distinct from r.title
            and n.in_first_name is not distinct from r.first_name
            and n.in_last_name is not distinct from r.last_name
        left join lk_cid c on c.in_citizen_id is not distinct from r.citizen_id
        left join lk_date d on d.in_birth_date is not distinct from r.birth_date
    """)
    joined = con.execute("select count(*) from std").fetchone()
    t3, cpu3 = time.perf_counter(), _cpu()
    statuses = dict(con.execute("select cid_status, count(*) from std group by 1 order by 1").fetchall())
    record = {
        "rows": args.rows, "joined_rows": joined[0] if joined else 0, "distinct": distinct,
        "generate_s": round(generate_s, 2), "transform_s": round(t2 - t1, 2), "join_s": round(t3 - t2, 2),
        "wall_s": round(t3 - t1, 2), "cpu_s": round(cpu3 - cpu1, 2),  # CPU: honest on a shared machine
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "cid_status": statuses,
    }
    print(f"bench_names: {args.rows:,} rows standardised in {record['wall_s']} s "
          f"(transforms {record['transform_s']} s on {sum(distinct.values()):,} distinct values, "
          f"join {record['join_s']} s; CPU {record['cpu_s']} s), peak RSS {record['peak_rss_mb']} MB")
    print(json.dumps(record, ensure_ascii=False))


if __name__ == "__main__":
    main()
