"""Ingest: find input files, hash them, read them, find and map the header, stage raw rows with lineage."""

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from flows import readers
from schemas.contracts import FIELDS, REQUIRED_ANY, raw_contract
from schemas.synonyms import load_header_synonyms
from transforms.headers import find_header_row, map_headers


@dataclass
class FileReport:
    """What happened to one input file; becomes its entry in the manifest."""

    path: str
    name: str
    dataset: str
    sha256: str = ""
    status: str = "ingested"  # or "rejected"
    reason: str | None = None
    encoding: str | None = None
    sheets: list[dict[str, object]] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # header as written -> canonical
    unmapped_headers: list[str] = field(default_factory=list)
    rows_read: int = 0

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def find_input_files(paths: Sequence[str | Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Expand files and folders into a sorted list of table files; name what cannot be used and why."""
    found: list[Path] = []
    problems: list[tuple[str, str]] = []
    for p in map(Path, paths):
        if p.is_dir():
            found.extend(f for f in sorted(p.rglob("*")) if f.is_file() and f.suffix.lower() in readers.SUFFIXES)
        elif p.is_file():
            found.append(p)
        else:
            problems.append((str(p), "no such file or folder"))
    return sorted(dict.fromkeys(found), key=lambda f: (f.name, str(f))), problems


def display_names(files: Sequence[Path]) -> dict[Path, str]:
    """Each file's name as written in outputs: the bare name, or parent/name where two names collide."""
    counts: dict[str, int] = {}
    for f in files:
        counts[f.name] = counts.get(f.name, 0) + 1
    return {f: f.name if counts[f.name] == 1 else f"{f.parent.name}/{f.name}" for f in files}


def source_overrides(config: Mapping[str, Any], name: str) -> dict[str, str]:
    """A source's own header mapping from the config: [[sources]] match = "glob", columns = {...}."""
    mapping: dict[str, str] = {}
    for source in config.get("sources", []) or []:
        if fnmatch(name, str(source.get("match", ""))):
            mapping.update(source.get("columns", {}))
    return mapping


def _staged_rows(grid: pa.Table, header_at: int, mapping: dict[int, str], dataset: str) -> pa.Table:
    """Data rows below the header, renamed to canonical columns; unmapped canonical columns null."""
    data = grid.slice(header_at + 1)
    n = data.num_rows
    columns = {}
    by_canonical = {v: k for k, v in mapping.items()}
    for name in FIELDS[dataset]:
        i = by_canonical.get(name)
        columns[name] = data.column(f"c{i}") if i is not None else pa.nulls(n, pa.string())
    return pa.table(columns)


def read_file_rows(path: Path, dataset: str, report: FileReport, overrides: dict[str, str]) -> pa.Table:
    """Read one file into canonical raw columns; fill the report; raise UnreadableFile with a reason."""
    synonyms = load_header_synonyms()
    suffix = path.suffix.lower()
    if suffix in readers.PARQUET_SUFFIXES:
        table = readers.read_parquet_table(path)
        header = table.column_names
        grid = table.rename_columns([f"c{i}" for i in range(len(header))])
        sheets = [("", grid, -1, map_headers(header, synonyms, overrides), header)]
    else:
        if suffix in readers.CSV_SUFFIXES:
            grid, report.encoding = readers.read_csv_grid(path)
            grids = [("", grid)]
        elif suffix in readers.XLSX_SUFFIXES:
            grids = readers.read_xlsx_grids(path)
        else:
            raise readers.UnreadableFile(f"unknown file type '{suffix}'")
        sheets = []
        for sheet, g in grids:
            head = g.slice(0, 15).to_pylist()
            rows = [list(r.values()) for r in head]
            at = find_header_row(rows, synonyms, overrides)
            if at is not None:
                sheets.append((sheet, g, at, map_headers(rows[at], synonyms, overrides), rows[at]))
        if not sheets:
            raise readers.UnreadableFile("no header row with known column names in the first 15 lines")
    parts = []
    for sheet, g, at, mapping, header in sheets:
        present = set(mapping.values())
        for group in REQUIRED_ANY[dataset]:
            if not present.intersection(group):
                raise readers.UnreadableFile(f"required column missing: one of {', '.join(group)}")
        part = _staged_rows(g, at, mapping, dataset)
        report.sheets.append({"sheet": sheet, "header_line": at + 1 if at >= 0 else None, "rows": part.num_rows})
        report.columns.update({str(header[i]): c for i, c in mapping.items()})
        report.unmapped_headers += [str(h) for i, h in enumerate(header) if i not in mapping and h]
        parts.append(part)
    table = pa.concat_tables(parts)
    if table.num_rows == 0:
        raise readers.UnreadableFile("header found but no data rows")
    return table


def ingest_files(
    con: duckdb.DuckDBPyConnection, dataset: str, paths: Sequence[str | Path], config: Mapping[str, Any]
) -> list[FileReport]:
    """Stage every readable file's rows into raw_<dataset>; return a report per file (rejected ones too)."""
    files, missing = find_input_files(paths)
    names = display_names(files)
    reports = [FileReport(path=p, name=p, dataset=dataset, status="rejected", reason=why) for p, why in missing]
    contract = raw_contract(dataset)
    con.execute(
        f"create or replace table {contract.table} ("
        + ", ".join(f'"{c.name}" {c.type}' for c in contract.columns) + ")"
    )
    seen: dict[str, str] = {}
    pending: list[pa.Table] = []
    pending_rows = 0
    for path in files:
        report = FileReport(path=str(path), name=names[path], dataset=dataset)
        reports.append(report)
        report.sha256 = readers.sha256_file(path)
        if report.sha256 in seen:
            report.status, report.reason = "rejected", f"same content as {seen[report.sha256]}, not read twice"
            continue
        try:
            table = read_file_rows(path, dataset, report, source_overrides(config, path.name))
        except readers.UnreadableFile as e:
            report.status, report.reason = "rejected", str(e)
            report.sheets, report.columns, report.unmapped_headers = [], {}, []
            continue
        seen[report.sha256] = report.name
        report.rows_read = table.num_rows
        lineage = pa.table({
            "source_file": pa.repeat(pa.scalar(report.name, pa.string()), table.num_rows),
            "source_sha256": pa.repeat(pa.scalar(report.sha256, pa.string()), table.num_rows),
            "source_row": pa.array(np.arange(1, table.num_rows + 1, dtype=np.int64)),
        })
        pending.append(_concat_columns(lineage, table))
        pending_rows += table.num_rows
        if pending_rows >= _INSERT_BATCH_ROWS:
            _insert(con, contract.table, pending)
            pending, pending_rows = [], 0
    _insert(con, contract.table, pending)
    return reports


# Files are inserted a few hundred thousand rows at a time: one INSERT per small roster costs more than its rows.
_INSERT_BATCH_ROWS = 250_000


def _insert(con: duckdb.DuckDBPyConnection, table: str, parts: list[pa.Table]) -> None:
    """Append the parts, in order, to table by column name (a column a file lacks is null)."""
    if not parts:
        return
    con.register("_ingest_part", pa.concat_tables(parts, promote_options="default"))
    try:
        con.execute(f"insert into {table} by name select * from _ingest_part")
    finally:
        con.unregister("_ingest_part")


def _concat_columns(left: pa.Table, right: pa.Table) -> pa.Table:
    return pa.table(
        [*left.columns, *right.columns], names=[*left.column_names, *right.column_names]
    )
