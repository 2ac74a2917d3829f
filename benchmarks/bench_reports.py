"""Time the reports alone on a province-sized warehouse: write_xlsx (the slowest output) and the HTML page.

    python -m benchmarks.bench_reports --households 100000
    python -m benchmarks.bench_reports --households 100000 --baseline OLD_REPORTS.py   # before/after, back to back

The warehouse is made in DuckDB, set-based, in the shape the marts read (std_poverty, std_roster, links): Buri Ram's
real subdistrict codes, 1-5 people per household (3 on average), each dimension flagged for 8% of households, a
welfare card for 40% of people, funds in 5 of every 8 subdistricts, a quarter of their people members, 85% of
members linked. It is synthetic: only its size and shape matter here, not who is in it. `--baseline` names another
copy of a reports module (e.g. `git show REV:flows/reports.py > old.py`) whose write_xlsx is timed right after.
"""

import argparse
import importlib.util
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import geothai

from flows.marts import build_marts
from flows.reports import write_html, write_xlsx

KEY = b"saphan-benchmark-key-for-synthetic-data-only"


def build_warehouse(con: duckdb.DuckDBPyConnection, households: int, seed: int) -> dict[str, int]:
    """std_poverty, std_roster and links of `households` households; return their row counts."""
    subs = sorted(s.code for d in geothai.districts("31") for s in geothai.subdistricts(d.code))
    con.execute("create or replace table subs as select unnest(?::varchar[]) as code, "
                "generate_subscripts(?::varchar[], 1) - 1 as i", [subs, subs])
    h = f"hash(h, {seed})"
    dims = ", ".join(f"(hash(h, {seed}, '{d}') % 100) < 8 as dim_{d}"
                     for d in ("health", "living", "education", "income", "access"))
    con.execute(f"""
create or replace table std_poverty as
with households as (
    select h, (select code from subs where i = {h} % {len(subs)}) as sub, 1 + {h} % 5 as size,
        cast(1 + hash(h, 'v') % 15 as varchar) as village_no
    from range({households}) t(h)
),
people as (
    select h, sub, village_no, unnest(range(size::bigint)) as m from households
)
select row_number() over (order by h, m) as record_id, 'tpmap_2567.csv' as source_file, 'p' as source_sha256,
    row_number() over (order by h, m) as source_row, sub || lpad(cast(h as varchar), 5, '0') as dataset_key,
    lpad(cast(h * 10 + m as varchar), 13, '3') as cid, 'valid' as cid_status, 'x' as first_name, 'y' as last_name,
    village_no, sub as subdistrict_code, left(sub, 4) as district_code, left(sub, 2) as province_code,
    sub || lpad(cast(h % 100000 as varchar), 5, '0') as house_code, hash(h, m, 'card') % 10 < 4 as welfare_card,
    {dims}, 2567 as survey_year
from people
""")
    con.execute(f"""
create or replace table std_roster as
select record_id, 'fund_' || subdistrict_code || '.xlsx' as source_file, 'r' as source_sha256, record_id as source_row,
    'กองทุนสวัสดิการชุมชนตำบล ' || subdistrict_code as dataset_key,
    case when hash(record_id, 'l') % 100 < 85 then cid else '9' || right(cid, 12) end as cid, 'valid' as cid_status,
    first_name, last_name, village_no, subdistrict_code, district_code, province_code,
    hash(record_id, 'l') % 100 < 85 as linked, record_id as poverty_record_id
from std_poverty
where (select i from subs where code = subdistrict_code) % 8 < 5 and hash(record_id, {seed}, 'member') % 4 = 0
""")
    con.execute("""
create or replace table links as
select r.source_file as roster_file, r.source_row as roster_row,
    case when r.linked then 'tpmap_2567.csv' end as poverty_file, case when r.linked then r.source_row end
    as poverty_row, case when r.linked then 'exact_id' else 'unlinked' end as match_method,
    case when r.linked then 1.0::double end as match_score, '{}' as explanation, false as roster_duplicate,
    null::varchar as house_code, r.record_id as roster_record_id,
    case when r.linked then r.poverty_record_id end as poverty_record_id, r.dataset_key as fund
from std_roster r
""")
    return {t: int(con.execute(f"select count(*) from {t}").fetchall()[0][0]) for t in ("std_poverty", "std_roster")}


def _timed(label: str, fn: Callable[..., object], *args: object) -> float:
    """Wall and CPU seconds of one call; CPU is the steadier figure on a machine shared with other work."""
    start, cpu = time.perf_counter(), time.process_time()
    fn(*args)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"{label}: {seconds:.2f} s wall, {cpu:.2f} s CPU")  # noqa: T201 - a benchmark's output
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--baseline", type=Path, help="another reports module whose write_xlsx is timed after")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        con = duckdb.connect(str(Path(tmp) / "saphan.duckdb"))
        counts = build_warehouse(con, args.households, args.seed)
        build_marts(con, KEY)
        for t in ("member_poverty", "poor_not_in_fund", "coverage", "fund_summary"):
            counts[t] = int(con.execute(f"select count(*) from {t}").fetchall()[0][0])
        print(f"{args.households:,} households: {counts}")  # noqa: T201
        _timed("write_xlsx (now)", write_xlsx, con, Path(tmp) / "now.xlsx")
        if args.baseline:
            spec = importlib.util.spec_from_file_location("baseline_reports", args.baseline)
            assert spec and spec.loader
            old = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(old)
            _timed("write_xlsx (baseline)", old.write_xlsx, con, Path(tmp) / "old.xlsx")
            _timed("write_xlsx (now, again)", write_xlsx, con, Path(tmp) / "now2.xlsx")
        _timed("write_html (now)", write_html, con, Path(tmp) / "now.html")
        for name in ("now.xlsx", "old.xlsx", "now.html"):
            if (Path(tmp) / name).exists():
                print(f"{name}: {(Path(tmp) / name).stat().st_size / 1e6:.1f} MB")  # noqa: T201
        con.close()


if __name__ == "__main__":
    main()
