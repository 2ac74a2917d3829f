"""The link stage split by province: each province links in its own DuckDB, locally or on a Dask cluster.

    export_partitions   std_roster / std_poverty rows of each province to <work>/<province>/{roster,poverty}.parquet
    link_partition      one province: flows.link.link in a fresh DuckDB file, links/review/blocking to Parquet
    collect_partitions  the provinces' outputs back into the warehouse, in province order

A roster record goes to the province of the poverty record with its citizen ID when there is one (so an exact-ID
link survives a move across provinces), else to that of the poverty record a reviewer accepted for it
(int_review_decisions, so a clerical link survives a move too), else to its own province; records without a
resolved province form the partition `__`. Links across provinces by ID typo or by name are not looked for.
Splink trains per province; a province whose model cannot be trained (too few records or pairs) links by tiers
a/b only, which its row of `int_link_partitions` and the manifest say. Each province's model is a row of
`int_link_model` named by the province; `[link] model` with `{partition}` in its path gives each province its own
saved model.

Local and Dask runs call the same functions on the same files and collect in the same order, so their outputs are
byte-identical. Only counts and province codes are logged, never names or IDs.
"""

import logging
import shutil
from pathlib import Path
from typing import Any

import duckdb

from flows.link import link, load_decisions
from flows.link_model import ALL, PLACEHOLDER
from flows.warehouse import check_contract, connect
from schemas.contracts import BLOCKING_REPORT, LINKS, REVIEW

logger = logging.getLogger(__name__)

UNKNOWN = "__"  # the partition of records whose province did not resolve
OUTPUTS = ("links", "review", "int_blocking_report")
# Collected too, so `saphan explain` and the run history find each province's candidates, vetoes and model.
EXPLAINED = ("int_splink_pairs", "int_link_vetoed", "int_link_model")

PARTITION_SQL = f"""
create or replace table int_link_partition as
with poverty_by_cid as (
    select cid, min(coalesce(province_code, '{UNKNOWN}')) as part
    from std_poverty where cid_status = 'valid' group by cid
),
accepted as (  -- a reviewer's accepted pair (transforms/clerical_sql.py): the roster record goes where it links
    select d.roster_id, min(coalesce(p.province_code, '{UNKNOWN}')) as part
    from int_review_decisions d join std_poverty p on p.record_id = d.poverty_id
    where d.decision = 'accept' group by d.roster_id
),
roster as (
    select 'roster' as dataset, r.record_id, coalesce(c.part, a.part, r.province_code, '{UNKNOWN}') as part
    from std_roster r left join poverty_by_cid c on r.cid_status = 'valid' and c.cid = r.cid
    left join accepted a on a.roster_id = r.record_id
),
poverty as (
    select 'poverty' as dataset, record_id, coalesce(province_code, '{UNKNOWN}') as part from std_poverty
),
final as (
    select * from roster union all select * from poverty
)
select * from final order by dataset, part, record_id
"""


def export_partitions(con: duckdb.DuckDBPyConnection, work: Path, decisions: str | None = None) -> list[str]:
    """Write each province's std rows to `work/<province>/`; return the partition folders, in province order.

    Only provinces with roster records are linked (a province without members has nothing to link). The
    reviewers' decisions place an accepted pair's roster record: `decisions` (a decisions file) is read into
    int_review_decisions; without it the table flows/review.prepare_decisions made is used, or none.
    """
    if decisions is not None or not con.execute(
            "select count(*) from duckdb_tables() where table_name = 'int_review_decisions'").fetchall()[0][0]:
        load_decisions(con, decisions)
    con.execute(PARTITION_SQL)
    parts = [p for (p,) in con.execute(
        "select distinct part from int_link_partition where dataset = 'roster' order by part").fetchall()]
    folders = []
    for part in parts:
        folder = work / part
        folder.mkdir(parents=True, exist_ok=True)
        for dataset in ("roster", "poverty"):
            con.execute(f"""
copy (
    select s.* from std_{dataset} s
    semi join (select record_id from int_link_partition where dataset = '{dataset}' and part = $part) p
        using (record_id)
    order by s.record_id
) to $target (format parquet, compression zstd)
""", {"part": part, "target": str(folder / f"{dataset}.parquet")})  # paths as parameters, never SQL text
        folders.append(str(folder))
    return folders


def link_partition(folder: str, params: dict[str, Any], memory_limit: str | None = None,
                   threads: int | None = None) -> dict[str, Any]:
    """Link one partition folder in its own DuckDB file there; write links/review/int_blocking_report Parquet.

    Returns counts only: the partition, its rows, links per method, and whether Splink was trained.
    """
    path = Path(folder)
    db = path / "link.duckdb"
    db.unlink(missing_ok=True)
    summary: dict[str, Any] = {"partition": path.name}
    if isinstance(params.get("model"), str):  # one saved model per province: model-{partition}.json
        params = {**params, "model": params["model"].replace(PLACEHOLDER, path.name)}
    with connect(db, memory_limit, threads) as con:
        con.execute("set temp_directory = ?", [str(path / "spill")])
        for dataset in ("roster", "poverty"):
            con.execute(f"create table std_{dataset} as select * from read_parquet(?) order by record_id",
                        [str(path / f"{dataset}.parquet")])
        summary["roster_rows"], summary["poverty_rows"] = con.execute(
            "select (select count(*) from std_roster), (select count(*) from std_poverty)").fetchall()[0]
        try:
            summary["methods"] = link(con, **params)
            open_records = con.execute("select count(*) from int_splink_roster where link_open").fetchall()[0][0]
            summary["probabilistic"] = ("splink" if open_records and summary["poverty_rows"]
                                        else "not needed: no open roster records or no poverty records")
        except Exception as e:  # Splink cannot train on a tiny partition: tiers a/b still link it
            logger.warning("partition %s: Splink not trained (%s); tiers a/b only", path.name, type(e).__name__)
            summary["methods"] = link(con, **{**params, "probabilistic": False})
            summary["probabilistic"] = f"tiers a/b only: Splink failed ({type(e).__name__})"
        con.execute("update int_link_model set partition = $part where partition = $all",
                    {"part": path.name, "all": ALL})
        for table in OUTPUTS + EXPLAINED:
            con.execute(f"copy (select * from {table}) to ? (format parquet)", [str(path / f"{table}.parquet")])
    db.unlink(missing_ok=True)
    shutil.rmtree(path / "spill", ignore_errors=True)
    return summary


def collect_partitions(con: duckdb.DuckDBPyConnection, folders: list[str], summaries: list[dict[str, Any]]) -> None:
    """Build links, review, int_blocking_report and int_link_partitions from the partitions, in a fixed order."""
    ordered = sorted(folders, key=lambda f: Path(f).name)

    def files(table: str) -> list[str]:
        return [str(Path(f) / f"{table}.parquet") for f in ordered]

    if not ordered:  # no roster records at all: the ordinary link stage on empty tables
        link(con)
        con.execute("create or replace table int_link_partitions (partition varchar, roster_rows bigint, "
                    "poverty_rows bigint, probabilistic varchar)")
        return
    con.execute("create or replace table links as select * from read_parquet(?) order by roster_file, roster_row",
                [files("links")])
    con.execute("create or replace table review as select * from read_parquet(?) "
                "order by roster_file, roster_row, candidate_rank", [files("review")])
    for table in EXPLAINED:  # by name: a province without Splink pairs wrote the same columns, typed as nulls
        con.execute(f"create or replace table {table} as select * from read_parquet(?, union_by_name = true)",
                    [files(table)])
    con.execute("""
create or replace table int_blocking_report as
select rule_order, rule, sum(pairs)::bigint as pairs
from read_parquet(?) group by rule_order, rule order by rule_order
""", [files("int_blocking_report")])
    rows = sorted((s["partition"], s["roster_rows"], s["poverty_rows"], s["probabilistic"]) for s in summaries)
    con.execute("create or replace table int_link_partitions (partition varchar, roster_rows bigint, "
                "poverty_rows bigint, probabilistic varchar)")
    con.executemany("insert into int_link_partitions values (?, ?, ?, ?)", rows)
    for contract in (LINKS, REVIEW, BLOCKING_REPORT):
        check_contract(con, contract)


def link_by_province(con: duckdb.DuckDBPyConnection, work: Path, params: dict[str, Any] | None = None,
                     memory_limit: str | None = None, threads: int | None = None) -> dict[str, int]:
    """The whole partitioned link stage in this process, one province after another; counts per method."""
    folders = export_partitions(con, work, (params or {}).get("decisions"))
    summaries = [link_partition(f, params or {}, memory_limit, threads) for f in folders]
    collect_partitions(con, folders, summaries)
    shutil.rmtree(work, ignore_errors=True)
    rows = con.execute("select match_method, count(*) from links group by all order by all").fetchall()
    return {str(m): int(n) for m, n in rows}
