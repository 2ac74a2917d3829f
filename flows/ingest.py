"""Ingest: find input files, hash them, read them, find and map the header, stage raw rows with lineage."""

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from flows import readers
from flows.ingest_cache import READING_FIELDS, IngestCache
from flows.ingest_parallel import FileRead, forks, read_in_processes, read_workers
from flows.timing import timed
from schemas.contracts import FIELDS, REQUIRED_ANY, raw_contract
from schemas.synonyms import load_header_synonyms
from transforms import column_evidence
from transforms import date_habit as date_habits
from transforms.date_habit import date_habit
from transforms.headers import header_roles
from transforms.reading import NOT_STAGED, ROLE_FIELD, SheetReading, find_header, read_sheet
from transforms.reading_lines import line_kinds, marker_lines, repeated_headers


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
    delimiter: str | None = None  # a text file's, as read_csv_grid found it
    sheets: list[dict[str, object]] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # header as written -> canonical
    unmapped_headers: list[str] = field(default_factory=list)
    rows_read: int = 0
    reading: list[dict[str, object]] = field(default_factory=list)  # per sheet: header lines, roles, evidence
    warnings: list[str] = field(default_factory=list)
    fund: str | None = None
    fund_from: str | None = None  # title, column, sheet, folder or stem
    as_of_year_be: int | None = None  # the year ages in the file are counted at
    area: dict[str, str] = field(default_factory=dict)  # the area the title lines or fund name give, by level
    from_cache: bool = False  # its rows loaded from the per-file ingest cache, not parsed (flows/ingest_cache.py)
    title_text: str = field(default="", repr=False)  # the lines above the header (not in the manifest)
    sheet_names: list[str] = field(default_factory=list, repr=False)

    def as_dict(self) -> dict[str, object]:
        out = asdict(self)
        del out["title_text"], out["sheet_names"]  # title lines may name people (a signature); never logged
        del out["from_cache"]  # how this run got the rows, not what the file holds (the manifest counts them)
        return out


def find_input_files(paths: Sequence[str | Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Expand files and folders into a sorted list of table files; name what cannot be used and why."""
    found: list[Path] = []
    problems: list[tuple[str, str]] = []
    for p in map(Path, paths):
        if p.is_dir():
            tables = [f for f in sorted(p.rglob("*")) if f.is_file() and f.suffix.lower() in readers.SUFFIXES]
            if not tables:
                problems.append((str(p), "folder holds no table files (.csv .tsv .txt .xlsx .xls .ods .parquet)"))
            found.extend(tables)
        elif p.is_file():
            found.append(p)
        else:
            problems.append((str(p), "no such file or folder"))
    return sorted(dict.fromkeys(found), key=lambda f: (f.name, str(f))), problems


def folder_funds(paths: Sequence[str | Path], files: Sequence[Path]) -> dict[Path, str]:
    """The folder that may name a file's fund: one whose name reads as a fund's ("กองทุนสวัสดิการ…"), or a
    sub-folder of a roster folder given on the command line (one folder per fund)."""
    roots = [Path(p).resolve() for p in paths if Path(p).is_dir()]
    out = {}
    for f in files:
        parent = f.resolve().parent
        inside = parent not in roots and any(root in parent.parents for root in roots)
        if inside or _names_fund(parent.name):
            out[f] = parent.name
    return out


def _names_fund(text: str) -> bool:
    return "กองทุน" in text or "สวัสดิการ" in text


def display_names(files: Sequence[Path]) -> dict[Path, str]:
    """Each file's name as written in outputs: the bare name, or parent/name where two names collide."""
    counts: dict[str, int] = {}
    for f in files:
        counts[f.name] = counts.get(f.name, 0) + 1
    return {f: f.name if counts[f.name] == 1 else f"{f.parent.name}/{f.name}" for f in files}


def source_config(config: Mapping[str, Any], name: str) -> dict[str, Any]:
    """A source's own reading from the config's [[sources]] whose `match` glob fits the file name.

    Keys: columns = {header as written: role}, header_rows = [1-based lines], sheet, fund, date_order, dataset.
    """
    merged: dict[str, Any] = {"columns": {}}
    for source in config.get("sources", []) or []:
        if fnmatch(name, str(source.get("match", ""))):
            merged["columns"].update(source.get("columns", {}) or {})
            merged.update({k: v for k, v in source.items() if k not in ("columns", "match")})
    return merged


def source_overrides(config: Mapping[str, Any], name: str) -> dict[str, str]:
    """A source's own header mapping from the config: [[sources]] match = "glob", columns = {...}."""
    return dict(source_config(config, name)["columns"])


# How much of a sheet is looked at to read it: the header among its first lines, values from its first rows.
_HEAD_LINES = 25
_SAMPLE_ROWS = 2000
_SAMPLE_VALUES = 200
_TITLE_CELLS_MAX = 2
_PEEK_LINES = 200  # a line above the header with more filled cells than this is a data row, not a title


def _samples(data: pa.Table, header_lines: Sequence[Sequence[object]], repeated: pa.Array
             ) -> tuple[list[list[str]], list[list[str | None]], list[float]]:
    """Per column: distinct non-blank values (first seen first, bounded), the first values in line order, and
    the share of the lines that fill it; lines that are surely no person (totals, signatures) left out.
    ``repeated``: the data lines that repeat a header line (repeated_headers)."""
    head = data.slice(0, _SAMPLE_ROWS)
    markers = marker_lines(head, header_lines, repeated.slice(0, _SAMPLE_ROWS))
    head = head.filter(pc.invert(pc.or_(markers, _blank_lines(head))))
    distinct, ordered, filled = [], [], []
    for col in head.columns:
        values = pc.unique(pc.drop_null(col)).slice(0, _SAMPLE_VALUES).to_pylist()
        distinct.append([str(v) for v in values])
        ordered.append([None if v is None else str(v) for v in col.slice(0, 60).to_pylist()])
        filled.append((head.num_rows - col.null_count) / head.num_rows if head.num_rows else 0.0)
    return distinct, ordered, filled


def _sheet_part(sheet: str, grid: pa.Table, found: tuple[list[int], list[object]], dataset: str | None,
                synonyms: Mapping[str, str], source: Mapping[str, Any], report: FileReport,
                epoch: int = 1900) -> pa.Table | None:
    """One sheet's lines staged as raw rows: canonical columns, the line as seen, the kind of non-person line.

    With no dataset (a first look to tell a roster from an extract) only the reading is made: None returned.
    """
    header_at, header = found
    start = header_at[-1] + 1 if header_at else 0
    data = grid.slice(start)
    head = [list(r.values()) for r in grid.slice(0, _HEAD_LINES).to_pylist()]
    header_lines = [head[i] for i in header_at]
    repeated = repeated_headers(data, header_lines)  # judged once: the samples and the line kinds both need it
    distinct, ordered, filled = _samples(data, header_lines, repeated)
    reading = read_sheet(sheet, head, distinct, ordered, header_at, header, synonyms, source["columns"], filled)
    roles = {c.column - 1: c.role for c in reading.columns}
    fields = reading.roles()
    if dataset is None:
        report.reading.append(reading.as_dict())
        return None
    present = set(fields.values())
    for group in REQUIRED_ANY[dataset]:
        if not present.intersection(group):
            where = f"sheet '{sheet}': " if sheet else ""
            raise readers.UnreadableFile(f"{where}required column missing: one of {', '.join(group)} "
                                         f"(columns read as: {_roles_line(reading)})")
    kinds = line_kinds(data, header_lines, roles, repeated)
    if dataset == "roster":
        reading.warnings += _members_marked_gone(data, reading, kinds)
    date_order, date_era = source.get("date_order"), None
    date_cols = [i for i, f in fields.items() if f == "birth_date"]
    if date_cols and not date_order:
        habit = date_habit(pc.unique(pc.drop_null(data.column(date_cols[0]))).to_pylist(), readable=False)  # all
        date_order, date_era = habit["order"] or "dmy", habit["era"]
        col = reading.columns[date_cols[0]]
        col.evidence += f"; {habit['evidence']}"
        if not habit["decided"]:
            reading.warnings.append(f"column '{col.header}': day/month order {habit['evidence']}")
    # Rows above the header that look like data (more than a title's few cells) are staged and quarantined.
    habits = {"date_order": date_order, "date_era": date_era, "date_epoch": epoch}
    above = [i for i in range(header_at[0] if header_at else 0)
             if sum(c is not None for c in head[i]) > _TITLE_CELLS_MAX]
    parts = []
    if above:
        parts.append(_staged(pa.Table.from_pylist([dict(zip(grid.column_names, head[i], strict=False))
                                                   for i in above], schema=grid.schema),
                             fields, dataset, sheet, pa.array([i + 1 for i in above], pa.int64()),
                             pa.repeat(pa.scalar("above_header"), len(above)), habits))
    lines = pa.array(np.arange(start + 1, start + 1 + data.num_rows, dtype=np.int64))
    parts.append(_staged(data, fields, dataset, sheet, lines, kinds, habits))
    part = pa.concat_tables(parts)
    kind_counts = pc.value_counts(pc.drop_null(part.column("line_kind"))).to_pylist()
    report.reading.append(reading.as_dict() | {
        "title_lines": (header_at[0] if header_at else 0) - len(above), "data_lines": part.num_rows,
        "date_order": date_order, "date_era": date_era,
        "non_member_lines": {d["values"]: d["counts"] for d in kind_counts},
    })
    report.warnings += [f"sheet '{sheet}': {w}" if sheet else w for w in reading.warnings]
    report.sheets.append({"sheet": sheet, "header_line": header_at[-1] + 1 if header_at else None,
                          "rows": part.num_rows})
    report.columns.update({c.header or f"column {c.column}": ROLE_FIELD.get(c.role, c.role)
                           for c in reading.columns if c.role not in NOT_STAGED})
    report.unmapped_headers += [c.header for c in reading.columns if c.role == "ignored" and c.header]
    return part


# Words a volunteer writes in a remarks or status column (หมายเหตุ, สถานะ) beside a member who died or left.
GONE_WORDS = ("เสียชีวิต", "ถึงแก่กรรม", "ตาย", "ลาออก", "พ้นสภาพ", "ย้ายออก")
_GONE_PATTERN = "|".join(GONE_WORDS)


def _members_marked_gone(data: pa.Table, reading: SheetReading, kinds: pa.Array) -> list[str]:
    """A warning per column saphan does not read whose cells say a member died or left: such lines are still read
    as members (counted, linked, listed), and a planner should know before an outreach list goes out. Counts and the
    words found only, never a line's names."""
    warnings = []
    members = pc.is_null(kinds)
    for c in reading.columns:
        if c.role != "ignored" or c.column > data.num_columns:
            continue
        cells = data.column(c.column - 1)
        found = pc.and_(members, pc.fill_null(pc.match_substring_regex(cells, _GONE_PATTERN), False))
        lines = int(pc.sum(pc.cast(found, pa.int64())).as_py() or 0)
        if lines:
            said = {w for v in pc.unique(pc.filter(cells, found)).to_pylist() for w in GONE_WORDS if w in v}
            warnings.append(f"column {c.column} '{c.header or ''}' (not read): {lines} member line(s) say "
                            f"{', '.join(w for w in GONE_WORDS if w in said)}; they are read as members")
    return warnings


def _roles_line(reading: SheetReading) -> str:
    return ", ".join(f"{c.header or c.column}={c.role}" for c in reading.columns)


def _staged(data: pa.Table, fields: Mapping[int, str], dataset: str, sheet: str, lines: pa.Array,
            kinds: pa.Array, habits: Mapping[str, Any]) -> pa.Table:
    """Data lines renamed to canonical columns (a role not found is null), with where each line stands."""
    n = data.num_rows
    by_field = {v: k for k, v in sorted(fields.items(), reverse=True)}  # the first column claiming a field wins
    columns: dict[str, Any] = {
        "source_sheet": pa.repeat(pa.scalar(sheet, pa.string()), n), "source_line": lines, "line_kind": kinds,
        "date_order": pa.repeat(pa.scalar(habits["date_order"], pa.string()), n),
        "date_era": pa.repeat(pa.scalar(habits["date_era"], pa.string()), n),
        "date_epoch": pa.repeat(pa.scalar(habits["date_epoch"], pa.int32()), n),
    }
    for name in FIELDS[dataset]:
        i = by_field.get(name)
        columns[name] = data.column(f"c{i}") if i is not None and i < data.num_columns else pa.nulls(n, pa.string())
    return pa.table(columns)


def read_file_rows(path: Path, dataset: str | None, report: FileReport, source: Mapping[str, Any],
                   peek: bool = False) -> pa.Table:
    """Read one file into canonical raw columns; fill the report (its reading too); raise UnreadableFile.

    ``peek``: read only the first lines of each sheet (a first look: `saphan run` checks that a roster is no
    extract before it starts); with no dataset, only the reading is made and an empty table returned.
    """
    limit = _PEEK_LINES if peek else None
    synonyms = load_header_synonyms()
    source = {"columns": {}, **source}
    suffix = path.suffix.lower()
    if suffix in readers.PARQUET_SUFFIXES:
        table = readers.read_parquet_table(path, limit)
        grid = table.rename_columns([f"c{i}" for i in range(table.num_columns)])
        grids: list[tuple[str, pa.Table, tuple[list[int], list[object]] | None]] = [
            ("", grid, ([], list(table.column_names)))]
    else:
        if suffix in readers.CSV_SUFFIXES:
            grid, report.encoding, report.delimiter = readers.read_csv_grid(path, limit)
            sheets = [("", grid, False)]
            merged = {}
        elif suffix in readers.XLSX_SUFFIXES:
            sheets = readers.read_xlsx_grids(path, limit)
            merged = readers.xlsx_merged_down(path)
        else:
            raise readers.UnreadableFile(f"unknown file type '{suffix}'")
        if source.get("sheet"):
            sheets = [(n, g, h) for n, g, h in sheets if fnmatch(n, str(source["sheet"]))]
        grids = []
        for sheet, g, hidden in sheets:
            head = [list(r.values()) for r in g.slice(0, _HEAD_LINES).to_pylist()]
            found = find_header(head, synonyms, source["columns"], source.get("header_rows"),
                                _header_roles(synonyms, source["columns"]))
            if found is None:
                filled = g.num_rows - int(pc.sum(pc.cast(_blank_lines(g), pa.int64())).as_py() or 0)
                if filled:
                    report.warnings.append(f"sheet '{sheet}': no header row with known column names in its first "
                                           f"{_HEAD_LINES} lines; its {filled} non-blank lines are not read")
                continue
            if merged.get(sheet):  # a village number merged over its members' lines belongs to each of them
                g, filled = readers.filled_down(g, merged[sheet], found[0][-1] + 1 if found[0] else 0)
                for col, cells in sorted(filled.items()):
                    header = found[1][col] if col < len(found[1]) else None
                    report.warnings.append(f"sheet '{sheet}': column {col + 1} '{header or ''}': {cells} line(s) "
                                           "under a merged cell given its value")
            if hidden:  # read, but said: a hidden copy of the roster would count its members twice
                report.warnings.append(f"sheet '{sheet}' is hidden in the workbook: read like the others "
                                       "([[sources]] sheet = \"...\" reads only the sheets it names)")
            grids.append((sheet, g, found))
        if not grids:
            raise readers.UnreadableFile("no header row with known column names in the first 15 lines")
    epoch = readers.workbook_epoch(path) if suffix in readers.XLSX_SUFFIXES else 1900
    parts = [_sheet_part(sheet, g, found, dataset, synonyms, source, report, epoch)
             for sheet, g, found in grids if found]
    if dataset is None:
        return pa.table({})
    table = pa.concat_tables([p for p in parts if p is not None])
    if table.num_rows == 0:
        raise readers.UnreadableFile("header found but no data rows")
    report.title_text = " ".join(
        str(c) for _, g, found in grids if found and found[0]
        for r in g.slice(0, found[0][0]).to_pylist() for c in r.values() if c is not None
    )
    report.sheet_names = [sheet for sheet, _, _ in grids]
    return table


_ROLE_MEMOS: dict[tuple[frozenset[tuple[str, str]], tuple[tuple[str, str], ...]], Any] = {}


def _header_roles(synonyms: Mapping[str, str], own: Mapping[str, Any]) -> Any:
    """The header-role memo for the synonyms and a source's own mapping, kept across the files of a run (and the
    input check before it): a province's files repeat the same headers. Keyed by their content, not identity."""
    key = (frozenset(synonyms.items()), tuple((str(k), str(v)) for k, v in own.items()))
    memo = _ROLE_MEMOS.get(key)
    if memo is None:
        if len(_ROLE_MEMOS) > 16:
            _ROLE_MEMOS.clear()
        memo = _ROLE_MEMOS[key] = header_roles(synonyms, own)
    return memo


def _blank_lines(grid: pa.Table) -> pa.Array:
    blank = pa.repeat(pa.scalar(True), grid.num_rows)
    for col in grid.columns:
        blank = pc.and_(blank, pc.is_null(col))
    return blank


_AREA_WORDS = re.compile(r"(?:ตำบล|ต\.|แขวง|เทศบาล|อำเภอ|อ\.|เขต|จังหวัด|จ\.)")


def file_area(title_text: str, fund: str | None) -> dict[str, str]:
    """The area a file's title lines or fund name name ("…ตำบลหนองกี่ อำเภอหนองกี่ จังหวัดบุรีรัมย์"), as codes
    by level, for its rows that give a house or village but no area; {} when none is named or it is unclear."""
    from transforms.address import resolve_address

    for text in (title_text, fund or ""):
        m = _AREA_WORDS.search(text)
        if not m:
            continue
        r = resolve_address(" ".join(text[m.start():].split())[:200])
        codes = {level: str(r[f"{level}_code"]) for level in ("subdistrict", "district", "province")
                 if r[f"{level}_code"]}
        if r["address_status"] == "resolved" or codes.get("province"):
            return codes
    return {}


def _most_common(col: pa.ChunkedArray) -> str | None:
    counts = pc.value_counts(pc.drop_null(col)).to_pylist()
    return max(counts, key=lambda d: (d["counts"], d["values"]))["values"] if counts else None


def file_fund(title_text: str, column: str | None, sheet_names: Sequence[str], folder: str | None,
              stem: str) -> tuple[str, str]:
    """The fund a roster belongs to and where that was read: title line, fund column (its most common value;
    each row keeps its own), sheet name, folder, else the file stem."""
    if m := _FUND.search(title_text):
        return " ".join(m.group(0).split()), "title"
    if column:
        return column, "column"
    named = [s for s in sheet_names if _names_fund(s)]
    if len(named) == 1:
        return named[0], "sheet"
    # A name that reads as a fund's wins over one that does not: "surin/กองทุน…ท่าตูม.csv" is ท่าตูม's.
    if folder and _names_fund(folder):
        return folder, "folder"
    if _names_fund(stem) or not folder:
        return stem, "stem"
    return folder, "folder"


_FUND = re.compile(r"กองทุนสวัสดิการ(?:ชุมชน)?\s*(?:(?:เทศบาล(?:ตำบล|เมือง|นคร)?|ตำบล|แขวง|บ้าน|หมู่บ้าน)\s*)?[^\s,()]*")
_YEAR_BE = re.compile(r"(?<!\d)(25[4-9]\d)(?!\d)")


def ingest_files(
    con: duckdb.DuckDBPyConnection, dataset: str, paths: Sequence[str | Path], config: Mapping[str, Any],
    as_of_year_be: int | None = None, hashes: Mapping[str, str] | None = None, cache: IngestCache | None = None,
) -> list[FileReport]:
    """Stage every readable file's rows into raw_<dataset>; return a report per file (rejected ones too).

    ``as_of_year_be``: the year ages are counted at when a file's title lines give none (the run's year).
    ``hashes``: each file's sha256 as the run already computed it (flows/rerun.py), keyed by ``str(path)`` as
    find_input_files gives it; a file not in it is hashed here. ``cache``: a file read before (same bytes, same
    reading config, same reader code) is loaded from the state folder instead of parsed (flows/ingest_cache.py);
    the entries this dataset did not use are removed at the end.
    """
    if as_of_year_be is None:
        as_of_year_be = dt.date.today().year + 543  # the run's year; recorded per file in the manifest
    files, missing = find_input_files(paths)
    names = display_names(files)
    folders = folder_funds(paths, files)
    reports = [FileReport(path=p, name=p, dataset=dataset, status="rejected", reason=why) for p, why in missing]
    contract = raw_contract(dataset)
    con.execute(
        f"create or replace table {contract.table} ("
        + ", ".join(f'"{c.name}" {c.type}' for c in contract.columns) + ")"
    )
    hashes = _hashes(files, hashes)
    prefetched = _read_ahead(files, names, dataset, config, hashes, cache)
    seen: dict[str, str] = {}
    pending: list[pa.Table] = []
    pending_rows = 0
    for index, path in enumerate(files):
        report = FileReport(path=str(path), name=names[path], dataset=dataset)
        reports.append(report)
        try:
            report.sha256 = hashes.get(str(path)) or readers.sha256_file(path)
            if report.sha256 in seen:
                raise readers.UnreadableFile(f"same content as {seen[report.sha256]}, not read twice")
            source = source_config(config, path.name)
            if index in prefetched:
                table = _read_before(prefetched.pop(index), report, source, cache)
            else:
                with timed(path.suffix.lower().lstrip(".") or "other"):  # the run's timings: ingest per format
                    table = _read_or_cached(path, dataset, report, source, cache)
        except Exception as e:  # noqa: BLE001 - any fault of one file rejects that file, never the run
            report.status, report.reason = "rejected", readers.safe_reason(e)
            report.sheets, report.columns, report.unmapped_headers, report.reading = [], {}, [], []
            continue
        seen[report.sha256] = report.name
        report.rows_read = table.num_rows
        report.fund, report.fund_from = (str(source["fund"]), "config") if source.get("fund") else file_fund(
            report.title_text, _most_common(table.column("fund_name")) if "fund_name" in table.column_names
            else None, report.sheet_names, folders.get(path), path.stem)
        if dataset != "roster":
            report.fund = report.fund_from = None
        years = _YEAR_BE.findall(report.title_text)
        report.as_of_year_be = int(years[0]) if years else as_of_year_be
        report.area = file_area(report.title_text, report.fund if report.fund_from != "stem" else path.stem)
        lineage = pa.table({
            "source_file": pa.repeat(pa.scalar(report.name, pa.string()), table.num_rows),
            "source_sha256": pa.repeat(pa.scalar(report.sha256, pa.string()), table.num_rows),
            "source_row": pa.array(np.arange(1, table.num_rows + 1, dtype=np.int64)),
            "fund": pa.repeat(pa.scalar(report.fund if dataset == "roster" else None, pa.string()), table.num_rows),
            "as_of_year": pa.repeat(pa.scalar(report.as_of_year_be, pa.int32()), table.num_rows),
            **{f"file_{level}_code": pa.repeat(pa.scalar(report.area.get(level), pa.string()), table.num_rows)
               for level in ("subdistrict", "district", "province")},
        })
        pending.append(_concat_columns(lineage, table))
        pending_rows += table.num_rows
        if pending_rows >= _INSERT_BATCH_ROWS:
            _insert(con, contract.table, pending)
            pending, pending_rows = [], 0
    _insert(con, contract.table, pending)
    _record_reading(con, dataset, reports)
    if cache is not None:
        cache.prune()
    # The values judged (the input check's too) are remembered while files are read; not for the rest of the run.
    column_evidence.forget_values()
    date_habits.forget_values()
    return reports


def _hashes(files: Sequence[Path], given: Mapping[str, str] | None) -> dict[str, str]:
    """Each file's sha256 by ``str(path)``: as the run gave it, else hashed here (a file that cannot be hashed
    is left out: the ingest loop hashes it again and rejects it with the reason)."""
    out = dict(given or {})
    for path in files:
        if not out.get(str(path)):
            try:
                out[str(path)] = readers.sha256_file(path)
            except OSError:
                pass
    return out


def _read_ahead(files: Sequence[Path], names: Mapping[Path, str], dataset: str, config: Mapping[str, Any],
                hashes: Mapping[str, str], cache: IngestCache | None) -> dict[int, FileRead]:
    """Read, in worker processes (flows/ingest_parallel.py), the files the ingest loop would parse: the first
    file of each content not in the cache. Each is read as the loop would (read_file_rows on a fresh report) and
    saved to the cache by its reader; the loop takes the readings in file order. A file left out here (its
    cache entry cannot be loaded, a copy of a rejected file) is read by the loop itself, and so is every file
    when too few are to be read for a fork to pay: {} then."""
    todo: dict[int, Path] = {}
    first: set[str] = set()
    for index, path in enumerate(files):
        sha = hashes.get(str(path))
        if sha is None or sha in first:
            continue
        first.add(sha)
        if cache is None or not cache.has(sha, source_config(config, path.name)):
            todo[index] = path

    def read(index: int) -> FileRead:
        path = files[index]
        report = FileReport(path=str(path), name=names[path], dataset=dataset, sha256=hashes[str(path)])
        source = source_config(config, path.name)
        try:
            table = read_file_rows(path, dataset, report, source)
            if cache is not None:
                cache.save(report.sha256, source, report, table)
        except Exception as e:  # noqa: BLE001 - as in the ingest loop: the file is rejected, with its reason
            return FileRead(None, _reading_fields(report), readers.safe_reason(e))
        return FileRead(table, _reading_fields(report))

    workers = read_workers(config)
    if not forks(len(todo), workers):  # the loop reads them one after another, as they are inserted
        return {}
    with timed("read"):  # the run's timings: the files parsed on every core (a file from the cache is not here)
        return read_in_processes(read, todo, workers)


def _reading_fields(report: FileReport) -> dict[str, Any]:
    return {name: getattr(report, name) for name in READING_FIELDS}


def _read_before(read: FileRead, report: FileReport, source: Mapping[str, Any], cache: IngestCache | None
                 ) -> pa.Table:
    """A reading _read_ahead made: the report filled as read_file_rows filled it, the cache's count kept."""
    for name, value in read.fields.items():
        setattr(report, name, value)
    report.from_cache = False
    if cache is not None:
        cache.read_elsewhere(report.sha256, source)
    if read.table is None:
        raise readers.UnreadableFile(read.reason or "could not be read")  # safe_reason already made it printable
    return read.table


def _read_or_cached(path: Path, dataset: str, report: FileReport, source: Mapping[str, Any],
                    cache: IngestCache | None) -> pa.Table:
    """read_file_rows, or the rows an earlier run read from the same bytes (a rejected file is read again)."""
    table = cache.load(report.sha256, source, report) if cache is not None else None
    report.from_cache = table is not None
    if table is None:
        table = read_file_rows(path, dataset, report, source)
        if cache is not None:
            cache.save(report.sha256, source, report, table)
    return table


def _record_reading(con: duckdb.DuckDBPyConnection, dataset: str, reports: Sequence[FileReport]) -> None:
    """raw_columns: how each column of each file and sheet was read (the reading as data, beside the rows)."""
    con.execute("create table if not exists raw_columns (dataset varchar, source_file varchar, source_sheet varchar,"
                " header_lines varchar, column_no integer, header varchar, role varchar, evidence varchar)")
    con.execute("delete from raw_columns where dataset = ?", [dataset])
    rows = [(dataset, r.name, str(sheet["sheet"]), ",".join(map(str, sheet["header_lines"])),  # type: ignore[call-overload]
             c["column"], c["header"], c["role"], c["evidence"])
            for r in reports for sheet in r.reading for c in sheet["columns"]]  # type: ignore[attr-defined]
    if rows:  # one Arrow insert: executemany took ~2 s for the ~2,000 columns of 115 files
        names = ("dataset", "source_file", "source_sheet", "header_lines", "column_no", "header", "role", "evidence")
        types = [pa.int32() if n == "column_no" else pa.string() for n in names]
        part = pa.table([pa.array(list(col), t) for col, t in zip(zip(*rows, strict=True), types, strict=True)],
                        names=list(names))
        con.register("_reading_part", part)
        try:
            con.execute("insert into raw_columns select * from _reading_part")
        finally:
            con.unregister("_reading_part")


# Files are inserted a few hundred thousand rows at a time: one INSERT per small roster costs more than its rows.
_INSERT_BATCH_ROWS = 250_000


@timed("insert")
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
