"""Marts: build the planners' tables in the warehouse and write them as Parquet, partitioned by province code.

build_marts needs the pseudonym key (flows/pseudonym_key.py); the key itself is never stored. Person keys are kept
in the restricted lookups lkp_person_key_roster / lkp_person_key_poverty (record_id -> person_key), which is how an
authorised officer with the warehouse resolves a key back to a record.
"""

import shutil
from pathlib import Path
from typing import Any

import duckdb
import geothai
import pyarrow as pa

from flows.timing import timed
from flows.warehouse import check_contract, create_from_arrow
from schemas.marts import MARTS
from transforms.marts_sql import (
    coverage_sql,
    fund_summary_sql,
    mart_poverty_sql,
    member_poverty_sql,
    order_by_sql,
    poor_not_in_fund_sql,
)
from transforms.pseudonym import hmac_pads, person_keys_sql

__all__ = ["MARTS_DIR", "build_marts", "move_marts", "write_marts"]

MARTS_DIR = "marts"
_BUILDERS = (mart_poverty_sql, member_poverty_sql, poor_not_in_fund_sql, coverage_sql, fund_summary_sql)


@timed("person_keys")
def _person_keys(con: duckdb.DuckDBPyConnection, dataset: str, key: bytes) -> None:
    """lkp_person_key_<dataset>: record_id -> person_key, the HMAC computed in DuckDB, set-based.

    The key's HMAC pads are bound as parameters of this one statement; they are stored nowhere. Rows keep
    std_<dataset>'s order (record_id): a sort of a million keys would buy nothing, as every use is a join.
    """
    con.execute(
        f"create or replace table lkp_person_key_{dataset} as "
        + person_keys_sql(f"std_{dataset}", "cid", "source_sha256", "source_row", keep=["record_id"]),
        hmac_pads(key),
    )


def _area_names(con: duckdb.DuckDBPyConnection) -> None:
    """ref_area: the DOPA Thai name of every province, district and subdistrict code in the data."""
    codes = sorted(
        {
            str(code)
            for dataset in ("roster", "poverty")
            for column in ("province_code", "district_code", "subdistrict_code")
            for (code,) in con.execute(f"select distinct {column} from std_{dataset} where {column} is not null")
            .fetchall()
        }
    )
    lookup = {2: geothai.province, 4: geothai.district, 6: geothai.subdistrict}
    names = []
    for code in codes:
        area = lookup[len(code)](code) if len(code) in lookup else None
        names.append(area.name_th if area is not None else None)
    create_from_arrow(con, "ref_area", pa.table({"area_code": pa.array(codes, pa.string()),
                                                 "name_th": pa.array(names, pa.string())}))


@timed("marts")
def build_marts(con: duckdb.DuckDBPyConnection, key: bytes) -> dict[str, int]:
    """Create the marts in the warehouse and check each against its contract; return rows per mart.

    Needs std_roster, std_poverty and links. The key is the pseudonym key from load_key().
    """
    if len(key) == 0:
        raise ValueError("build_marts needs a pseudonym key")
    for dataset in ("roster", "poverty"):
        _person_keys(con, dataset, key)
    _area_names(con)
    tables = {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
    for builder in _BUILDERS:
        if builder is fund_summary_sql:  # its fix counts read the staged rows, which a hand-made warehouse lacks
            con.execute(fund_summary_sql(with_fixes={"stg_roster", "raw_roster"} <= tables))
        else:
            con.execute(builder())
    counts = {}
    for contract in MARTS:
        check_contract(con, contract)
        # Columns exactly as the contract says, so nothing unplanned (an ID) can ride along into a share.
        actual = [r[0] for r in con.execute(f"describe {contract.table}").fetchall()]
        if actual != contract.names:
            raise ValueError(f"mart {contract.table}: columns {actual} differ from its contract {contract.names}")
        row = con.execute(f"select count(*) from {contract.table}").fetchone()
        counts[contract.table] = int(row[0]) if row else 0
    return counts


_HIVE_NULL = "__HIVE_DEFAULT_PARTITION__"


@timed("marts_parquet")
def write_marts(con: duckdb.DuckDBPyConnection, staging_dir: Path) -> list[dict[str, Any]]:
    """Write each mart as hive-partitioned Parquet under staging_dir/marts/<mart>/province_code=<code>/.

    Rows are sorted by every column and each province is written by a COPY of its own, so reruns give
    byte-identical files: one COPY ... partition_by over the whole mart let its threads interleave a large
    province's rows (a 400k-household province's member_poverty came out in a different order each run). The
    files are what that COPY writes when it keeps the order: the province code in the folder name, not in the file;
    a null code goes to province_code=__HIVE_DEFAULT_PARTITION__. Returns one entry per file: path (relative to
    staging_dir, POSIX) and rows.
    """
    root = Path(staging_dir) / MARTS_DIR
    entries: list[dict[str, Any]] = []
    for contract in MARTS:
        target = root / contract.table
        if target.exists():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        order = order_by_sql(contract)
        provinces = con.execute(f"select province_code, count(*) from {contract.table} group by all "
                                "order by province_code nulls last").fetchall()
        for code, rows in provinces:
            folder = target / f"province_code={_HIVE_NULL if code is None else code}"
            if code is not None and not str(code).isalnum():
                raise ValueError(f"mart {contract.table}: province code {code!r} is not a folder name")
            folder.mkdir(parents=True)
            path = folder / "data_0.parquet"
            # Through an outer join every column may be null, so each is written 'optional' as the partitioned COPY
            # wrote it (a NOT NULL column would be 'required': the same rows in other bytes).
            con.execute(  # the path as a parameter: quotes, spaces and Thai in the output folder stay data
                f"copy (select m.* exclude (province_code) from (select 1) left join {contract.table} m "
                f"on m.province_code is not distinct from ? order by {order}) to ? "
                "(format parquet, compression zstd)",
                [code, str(path)],
            )
            entries.append({"path": path.relative_to(staging_dir).as_posix(), "rows": int(rows)})
    return entries


def move_marts(staging_dir: Path, out_dir: Path) -> None:
    """Replace out_dir/marts with staging_dir/marts (a rename on one filesystem; the old folder is removed after)."""
    new, dest = Path(staging_dir) / MARTS_DIR, Path(out_dir) / MARTS_DIR
    old = Path(out_dir) / f".{MARTS_DIR}-old"
    shutil.rmtree(old, ignore_errors=True)
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.exists():
        dest.rename(old)
    new.rename(dest)
    shutil.rmtree(old, ignore_errors=True)
