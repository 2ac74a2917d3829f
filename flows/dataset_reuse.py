"""Dataset-level reuse (issue 17 point 3): a dataset whose files did not change is copied, not read again.

The daily schedule mostly finds one roster changed and the same TPMAP extract. The run-level reuse
(flows/rerun.py) needs every input unchanged; this one needs only one dataset's. When the published run read the
same files of a dataset (same paths, same sha256), with the same config and the same code, what ingest and
standardise made of them is what they would make again: those tables are copied from the published run's
warehouse (verified first against the sha256 its manifest records) instead of being computed:

    raw_<dataset>, stg_<dataset>, lkp_<dataset>_*, ctx_<dataset>_file     whole tables (with their comments)
    quarantine, raw_columns                                               the dataset's rows
    manifest: inputs, rejected_files, distinct_values                     the dataset's entries

and std_<dataset> (a view over stg_<dataset>) is made again. Nothing after standardise is copied: linking and
publishing run on the whole data, so the outputs are those a cold run makes (tests/test_dataset_reuse.py).

The dataset key (in every manifest, ``dataset_keys``): sha256 of the dataset's files (resolved path and sha256),
its paths not found, the whole config, the year ages are counted at and the code's version (flows/rerun.py
code_version). Off with ``--no-cache`` / ``[run] cache = false``; ``saphan audit`` never reuses.
"""

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb

from flows import publish, rerun
from flows.ingest import find_input_files
from flows.readers import sha256_file
from flows.timing import timed
from flows.warehouse import check_contract, drop_relation
from schemas.contracts import std_contract
from transforms.stage_sql import accepted_sql

__all__ = ["dataset_key", "published_sources", "copy_dataset"]

# The manifest's per-file entries of a dataset (flows/pipeline.py writes them from ingest's reports).
_PER_FILE = ("inputs", "rejected_files")


def dataset_key(dataset: str, paths: list[str], hashes: dict[str, str], config: dict[str, Any]) -> str:
    """What ingest and standardise of one dataset depend on, as one digest (see the module's docstring)."""
    found, missing = find_input_files(paths)
    return rerun.digest({
        "dataset": dataset,
        "files": [[str(Path(f).resolve()), hashes.get(str(f))] for f in found],
        "missing": [str(p) for p, _ in missing],
        "config": config,
        "as_of_year_be": dt.date.today().year + 543,
        "code": rerun.code_version(),
    })


def _own_tables(con: duckdb.DuckDBPyConnection, catalog: str, dataset: str) -> list[tuple[str, str | None]]:
    """The dataset's own tables in ``catalog`` (name, comment), by name."""
    return [(str(n), c) for n, c in con.execute(
        "select table_name, comment from duckdb_tables() where database_name = ? and (table_name in (?, ?, ?) "
        "or starts_with(table_name, ?)) order by table_name",
        [catalog, f"raw_{dataset}", f"stg_{dataset}", f"ctx_{dataset}_file", f"lkp_{dataset}_"],
    ).fetchall()]


@timed("flow.dataset_reuse_check")
def published_sources(out_dir: Path, keys: dict[str, str]) -> dict[str, tuple[dict[str, Any] | None, str]]:
    """Per dataset (``keys``: dataset -> its key), the published run's manifest and warehouse path when that
    dataset can be copied from it, else None; and why. The manifest is read and the warehouse hashed once."""
    found = rerun.published_run(out_dir)
    if isinstance(found, str):
        return {d: (None, found) for d in keys}
    published_id, folder, manifest = found
    same = [d for d, key in keys.items() if (manifest.get("dataset_keys") or {}).get(d) == key]
    out: dict[str, tuple[dict[str, Any] | None, str]] = {
        d: (None, f"not the same {d} as run {published_id}: its files, the config or the code changed")
        for d in keys if d not in same}
    if not same:
        return {d: out[d] for d in keys}
    entry = next((o for o in manifest.get("outputs", []) if o["path"] == publish.WAREHOUSE_NAME), None)
    warehouse = folder / publish.WAREHOUSE_NAME
    if entry is None or not warehouse.is_file() or sha256_file(warehouse) != entry["sha256"]:
        out |= {d: (None, f"run {published_id}'s warehouse differs from what its manifest records") for d in same}
        return {d: out[d] for d in keys}
    source = {"run_id": published_id, "manifest": manifest, "warehouse": str(warehouse)}
    out |= {d: (source, f"the same {d} files, config and code as run {published_id}: its ingest and standardise "
                        "are copied") for d in same}
    return {d: out[d] for d in keys}  # in the order asked


def copy_dataset(con: duckdb.DuckDBPyConnection, dataset: str, source: dict[str, Any]) -> dict[str, Any]:
    """Copy ``dataset``'s tables and rows from the source run's warehouse (published_sources) into ``con``'s;
    return its manifest entries there: ``inputs`` and ``rejected_files`` (its files only) and ``distinct_values``."""
    with timed(f"reuse.{dataset}"):
        con.execute(f"attach '{source['warehouse']}' as reuse_source (read_only)")
        try:
            for table, comment in _own_tables(con, "reuse_source", dataset):
                con.execute(f'create or replace table "{table}" as select * from reuse_source."{table}"')
                if comment:
                    con.execute(f'comment on table "{table}" is ' + "'" + comment.replace("'", "''") + "'")
            for table in ("quarantine", "raw_columns"):  # raw_columns is made by the first ingest
                con.execute(f"create table if not exists {table} as select * from reuse_source.{table} limit 0")
                con.execute(f"delete from {table} where dataset = ?", [dataset])
                con.execute(f"insert into {table} select * from reuse_source.{table} where dataset = ?", [dataset])
        finally:
            con.execute("detach reuse_source")
        drop_relation(con, f"std_{dataset}")
        con.execute(accepted_sql(dataset))
        check_contract(con, std_contract(dataset))
    before = source["manifest"]
    return {entry: [e for e in before.get(entry, []) if e["dataset"] == dataset] for entry in _PER_FILE} | {
        "distinct_values": before["distinct_values"][dataset]}
