"""Publish: write Parquet outputs and the manifest into a staging folder, then move them into place."""

import hashlib
import json
import os
import platform
import shutil
from importlib import metadata
from pathlib import Path
from typing import Any

import duckdb

from flows.readers import sha256_file
from transforms.stage_sql import address_review_sql

PACKAGES = ("saphan", "prefect", "duckdb", "pyarrow", "pandas", "pythainlp", "geothai", "splink", "python-calamine")
WAREHOUSE_NAME = "saphan.duckdb"
PARQUET_OUTPUTS = {
    "links.parquet": (
        "select * exclude (roster_record_id, poverty_record_id) from links order by roster_file, roster_row"
    ),
    "quarantine.parquet": "select * from quarantine order by dataset, source_file, source_row",
    "address_review.parquet": "select * from address_review order by dataset, source_file, source_row",
    "blocking_report.parquet": "select * from int_blocking_report order by all",
}


def package_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def write_parquet(con: duckdb.DuckDBPyConnection, staging: Path) -> list[dict[str, Any]]:
    """COPY each output query to Parquet (rows in a fixed order, so the bytes are the same run to run)."""
    con.execute(address_review_sql())
    outputs = []
    for name, query in PARQUET_OUTPUTS.items():
        path = staging / name
        con.execute(f"copy ({query}) to '{path}' (format parquet, compression zstd)")
        rows = con.execute(f"select count(*) from ({query})").fetchall()[0]
        outputs.append({"path": name, "rows": int(rows[0]) if rows else 0})
    return outputs


def reconcile(con: duckdb.DuckDBPyConnection, inputs: list[dict[str, Any]]) -> bool:
    """Fill accepted/quarantined per input file; True when rows read = accepted + quarantined for every file."""
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for dataset in ("roster", "poverty"):
        for name, accepted, quarantined in con.execute(
            f"""select source_file, count(*) filter (where reject_reason is null),
                       count(*) filter (where reject_reason is not null)
                from stg_{dataset} group by all"""
        ).fetchall():
            counts[(dataset, name)] = {"accepted": int(accepted), "quarantined": int(quarantined)}
    ok = True
    for item in inputs:
        c = counts.get((item["dataset"], item["name"]), {"accepted": 0, "quarantined": 0})
        item.update(c)
        item["reconciled"] = item["rows_read"] == c["accepted"] + c["quarantined"]
        ok = ok and item["reconciled"]
    return ok


def file_entry(path: Path, rows: int | None, shown_as: str) -> dict[str, Any]:
    return {"path": shown_as, "sha256": sha256_file(path), "rows": rows}


def move_into_place(staging: Path, out: Path, names: list[str]) -> None:
    """Replace each output atomically (same filesystem); if one move fails, put the previous outputs back.

    So a failed run never leaves half-written files nor a mix of two runs' outputs. The manifest goes last.
    """
    out.mkdir(parents=True, exist_ok=True)
    previous = staging / ".previous"
    previous.mkdir(exist_ok=True)
    done: list[str] = []
    try:
        for name in names:
            if (out / name).exists():
                (previous / name).unlink(missing_ok=True)
                try:
                    os.link(out / name, previous / name)  # the old file stays readable until it is replaced
                except OSError:
                    shutil.copy2(out / name, previous / name)  # a file system without hard links
            os.replace(staging / name, out / name)
            done.append(name)
    except BaseException:
        for name in reversed(done):
            if (previous / name).exists():
                os.replace(previous / name, out / name)
            else:
                (out / name).unlink(missing_ok=True)
        raise
    shutil.rmtree(staging, ignore_errors=True)


def write_manifest(path: Path, manifest: dict[str, Any]) -> None:
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=False) + "\n", encoding="utf-8")


def config_digest(config: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(config, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def remove_stale(out: Path, names: list[str]) -> None:
    """Remove outputs an earlier run left that this run did not write (files or folders)."""
    for name in names:
        path = out / name
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        elif path.exists():
            path.unlink()
