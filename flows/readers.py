"""Readers: turn a roster or poverty file into a grid of text cells (or a headed table for Parquet).

Every reader fails with UnreadableFile and a one-line reason; the ingest task names the file and goes on.
"""

import csv
import hashlib
import io
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
XLSX_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
PARQUET_SUFFIXES = {".parquet", ".pq"}
SUFFIXES = CSV_SUFFIXES | XLSX_SUFFIXES | PARQUET_SUFFIXES
_MAX_COLUMNS = 512


class UnreadableFile(Exception):
    """The file is not a readable table; the message is the one-line reason."""


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode a text file: UTF-8 (with or without BOM), UTF-16 with BOM, else TIS-620/cp874.

    Returns:
        (text, encoding name)
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    if b"\x00" in data[:4096]:
        raise UnreadableFile("binary content, not a text table")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp874"), "cp874"
    except UnicodeDecodeError as e:
        raise UnreadableFile(f"text is neither UTF-8 nor TIS-620/cp874 (byte {e.start})") from None


def _grid(rows: list[list[str | None]]) -> pa.Table:
    """Rows of unequal length to a table of text columns c0..cN (short rows padded with nulls)."""
    width = max((len(r) for r in rows), default=0)
    padded = [r + [None] * (width - len(r)) for r in rows]
    columns = list(zip(*padded, strict=True)) if padded else []
    return pa.table({f"c{i}": pa.array(col, pa.string()) for i, col in enumerate(columns)})


def _trimmed(grid: pa.Table) -> pa.Table:
    """Cells trimmed of surrounding spaces; empty cells null (as the Python path does)."""
    columns = []
    for col in grid.columns:
        trimmed = pc.utf8_trim_whitespace(col.cast(pa.string()))
        columns.append(pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed))
    return pa.table(columns, names=[f"c{i}" for i in range(grid.num_columns)])


def _arrow_csv_grid(data: bytes, delimiter: str) -> pa.Table | None:
    """The fast path: Arrow's multithreaded CSV reader, every cell text; None when any row is ragged."""
    ragged: list[int] = []

    def _ragged(row: pacsv.InvalidRow) -> str:
        ragged.append(row.number or 0)
        return "skip"

    try:
        grid = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(autogenerate_column_names=True, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False, invalid_row_handler=_ragged
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={f"f{i}": pa.string() for i in range(_MAX_COLUMNS)},
                strings_can_be_null=True, quoted_strings_can_be_null=True,
            ),
        )
    except pa.ArrowInvalid:
        return None
    if ragged or grid.num_columns >= _MAX_COLUMNS:
        return None  # rows of unequal length (a short title line, say): the exact Python path numbers them
    return _trimmed(grid)


def read_csv_grid(path: Path) -> tuple[pa.Table, str]:
    """A CSV file as a grid of text cells, each record one row (blank records kept as empty rows)."""
    raw = path.read_bytes()
    text, encoding = decode_text(raw)
    if not text.strip():
        raise UnreadableFile("empty file")
    sample = text[:20000]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    data = raw[3:] if encoding == "utf-8-sig" else raw if encoding == "utf-8" else text.encode("utf-8")
    grid = _arrow_csv_grid(data, delimiter)
    if grid is not None:
        return grid, encoding
    try:
        rows = [[c.strip() or None for c in r] for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as e:
        raise UnreadableFile(f"CSV is malformed: {e}") from None
    return _grid(rows), encoding


def read_xlsx_grids(path: Path) -> list[tuple[str, pa.Table]]:
    """Every sheet of a workbook as (sheet name, grid of text cells), read by fastexcel (Rust, Arrow out)."""
    import fastexcel

    try:
        book = fastexcel.read_excel(str(path))
        sheets = []
        for name in book.sheet_names:
            sheet = book.load_sheet(name, header_row=None, dtypes="string")
            sheets.append((name, _trimmed(sheet.to_arrow())))
    except Exception as e:  # fastexcel raises several types for corrupt files
        raise UnreadableFile(f"not a readable workbook ({type(e).__name__}: {' '.join(str(e).split())[:80]})") from None
    if not any(g.num_rows for _, g in sheets):
        raise UnreadableFile("workbook has no rows")
    return sheets


def read_parquet_table(path: Path) -> pa.Table:
    """A Parquet file with every column cast to text."""
    try:
        table = pq.read_table(path)
    except Exception as e:
        raise UnreadableFile(f"not a readable Parquet file ({type(e).__name__})") from None
    if table.num_rows == 0:
        raise UnreadableFile("Parquet file has no rows")
    return pa.table({n: table.column(n).cast(pa.string()) for n in table.column_names})
