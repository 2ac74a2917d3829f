"""Dataset-level reuse (issue 17 point 3): a dataset whose files did not change is copied, not read again.

The daily schedule mostly finds one roster changed and the same TPMAP extract. The run-level reuse
(flows/rerun.py) needs every input unchanged; this one needs only one dataset's. When the published run read the
same files of a dataset (same paths, same sha256), with the same config and the same code, what ingest and
standardise made of them is what they would make again. The run's warehouse then starts as a copy of the
published run's file (its bytes checked against the sha256 that run's manifest records as they are copied), from
which everything but these datasets' part is dropped:

    raw_<dataset>, stg_<dataset>, lkp_<dataset>_*, ctx_<dataset>_file     whole tables (with their comments)
    quarantine, raw_columns                                               the dataset's rows
    manifest: inputs, rejected_files, distinct_values                     the dataset's entries

and std_<dataset> (a view over stg_<dataset>) is made again. Nothing after standardise is kept: linking and
publishing run on the whole data, so the outputs are those a cold run makes (tests/test_rerun.py). The file keeps
the dropped tables' blocks as free space, which the rest of the run's tables fill.

The dataset key (in every manifest, ``dataset_keys``): sha256 of the dataset's files (resolved path and sha256),
its paths not found, the whole config, the year ages are counted at and the code's version (flows/rerun.py
code_version). Off with ``--no-cache`` / ``[run] cache = false``; ``saphan audit`` never reuses.
"""

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import duckdb

from flows import publish, rerun
from flows.ingest import find_input_files
from flows.timing import timed
from flows.warehouse import check_contract
from schemas.contracts import std_contract
from transforms.stage_sql import accepted_sql

__all__ = ["copy_warehouse", "dataset_key", "keep_datasets", "manifest_entries", "published_sources"]

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
    dataset can be copied from it, else None; and why. The manifest is read once; the warehouse's bytes are checked
    against it as they are copied (copy_warehouse)."""
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
    if entry is None or not warehouse.is_file():
        out |= {d: (None, f"run {published_id}'s warehouse differs from what its manifest records") for d in same}
        return {d: out[d] for d in keys}
    source = {"run_id": published_id, "manifest": manifest, "warehouse": str(warehouse), "sha256": entry["sha256"]}
    out |= {d: (source, f"the same {d} files, config and code as run {published_id}: its ingest and standardise "
                        "are copied") for d in same}
    return {d: out[d] for d in keys}  # in the order asked


_CHUNK = 8 << 20


@timed("copy_warehouse")
def copy_warehouse(source: dict[str, Any], target: Path) -> str | None:
    """Copy the published warehouse file to ``target`` (the run's own, not yet made), hashing the bytes as they are
    copied; None when they are those its manifest records, else why not (``target`` is removed then).

    A file copy is a few hundred MB at disk speed; copying the dataset's tables row by row into a new file (ATTACH
    and CREATE TABLE AS) took 8 s wall at 400,000 households, most of it compressing the rows again."""
    h = hashlib.sha256()
    with open(source["warehouse"], "rb") as src, open(target, "xb") as dst:
        while chunk := src.read(_CHUNK):
            h.update(chunk)
            dst.write(chunk)
    if h.hexdigest() == source["sha256"]:
        return None
    target.unlink()
    return f"run {source['run_id']}'s warehouse differs from what its manifest records"


def keep_datasets(con: duckdb.DuckDBPyConnection, datasets: list[str]) -> None:
    """In ``con``, a copy of the source run's warehouse (copy_warehouse), keep only what ingest and standardise
    made of ``datasets``: their own tables whole, their rows of quarantine and raw_columns; every other table and
    view is dropped, and std_<dataset> made again."""
    with timed("keep"):
        catalog = con.execute("select current_database()").fetchall()[0][0]
        keep = {t for d in datasets for t, _ in _own_tables(con, catalog, d)} | {"quarantine", "raw_columns"}
        for (view,) in con.execute("select view_name from duckdb_views() where not internal and "
                                   "database_name = current_database() order by 1").fetchall():
            con.execute(f'drop view "{view}"')
        for (table,) in con.execute("select table_name from duckdb_tables() where not internal and "
                                    "database_name = current_database() order by 1").fetchall():
            if table not in keep:
                con.execute(f'drop table "{table}"')
        for table in ("quarantine", "raw_columns"):
            con.execute(f"delete from {table} where dataset not in ({', '.join('?' for _ in datasets)})", datasets)
    with timed("std"):
        for dataset in datasets:
            con.execute(accepted_sql(dataset))
            check_contract(con, std_contract(dataset))


def manifest_entries(source: dict[str, Any], dataset: str) -> dict[str, Any]:
    """A kept dataset's manifest entries, from the source run's manifest: ``inputs`` and ``rejected_files`` (its
    files only) and ``distinct_values``."""
    before = source["manifest"]
    return {entry: [e for e in before.get(entry, []) if e["dataset"] == dataset] for entry in _PER_FILE} | {
        "distinct_values": before["distinct_values"][dataset]}
