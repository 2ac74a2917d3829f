"""Which run a report comes from: run id, when it started (shown in Asia/Bangkok), and the input files with rows.

The pipeline passes its manifest. `saphan report` on a run's warehouse finds the manifest.json written beside it.
Without either, the input files and their rows are read from the warehouse's raw tables, and the run id and time
are shown as unknown rather than invented.
"""

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import duckdb

__all__ = ["BANGKOK", "ReportRun", "report_run", "thai_datetime"]

BANGKOK = ZoneInfo("Asia/Bangkok")
DATASET_TH = {"roster": "ทะเบียนสมาชิกกองทุน", "poverty": "ข้อมูลความยากจน (TPMAP)"}
_MONTHS_TH = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม", "กันยายน",
              "ตุลาคม", "พฤศจิกายน", "ธันวาคม")


@dataclass(frozen=True)
class ReportRun:
    """The run a report describes: id and start (None when unknown), inputs as (dataset, file name, rows read)."""

    run_id: str | None
    started_at: dt.datetime | None
    inputs: tuple[tuple[str, str, int], ...]


def thai_datetime(when: dt.datetime) -> str:
    """A moment as a planner reads it: Thai month, Buddhist Era year, Bangkok time.

    Examples:
        >>> thai_datetime(dt.datetime(2026, 12, 1, 22, 40, 30, tzinfo=dt.UTC))
        '2 ธันวาคม พ.ศ. 2569 เวลา 05:40 น. (เวลาประเทศไทย, 2026-12-02T05:40:30+07:00)'
    """
    t = when.astimezone(BANGKOK)
    return (f"{t.day} {_MONTHS_TH[t.month - 1]} พ.ศ. {t.year + 543} เวลา {t:%H:%M} น. "
            f"(เวลาประเทศไทย, {t.isoformat(timespec='seconds')})")


def _from_manifest(manifest: Mapping[str, Any]) -> ReportRun:
    started = manifest.get("started_at")
    when = dt.datetime.fromisoformat(started) if isinstance(started, str) else None
    if when is not None and when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)  # the pipeline writes UTC
    inputs = tuple((str(i.get("dataset")), str(i.get("name")), int(i.get("rows_read") or 0))
                   for i in manifest.get("inputs") or [])  # in the run's order: rosters, then poverty files
    return ReportRun(str(manifest["run_id"]) if manifest.get("run_id") else None, when, inputs)


def _from_warehouse(con: duckdb.DuckDBPyConnection) -> tuple[tuple[str, str, int], ...]:
    tables = {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
    inputs: list[tuple[str, str, int]] = []
    for dataset in ("roster", "poverty"):
        table = next((t for t in (f"raw_{dataset}", f"std_{dataset}") if t in tables), None)
        if table is not None:
            rows = con.execute(f"select source_file, count(*) from {table} group by all order by all").fetchall()
            inputs += [(dataset, str(name), int(n)) for name, n in rows]
    return tuple(inputs)


def report_run(con: duckdb.DuckDBPyConnection, manifest: Mapping[str, Any] | None = None) -> ReportRun:
    """The run behind the warehouse `con`: from `manifest` when given, else the manifest.json beside the warehouse
    file, else the warehouse's own tables (inputs only)."""
    if manifest is not None:
        return _from_manifest(manifest)
    row = con.execute("select path from duckdb_databases() where database_name = current_database()").fetchone()
    beside = Path(row[0]).with_name("manifest.json") if row and row[0] else None
    if beside is not None and beside.is_file():
        try:
            return _from_manifest(json.loads(beside.read_text(encoding="utf-8")))
        except (ValueError, KeyError, TypeError):
            pass  # not a manifest we can read: fall back to what the warehouse itself holds
    return ReportRun(None, None, _from_warehouse(con))
