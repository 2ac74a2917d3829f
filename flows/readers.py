"""Readers: turn a roster or poverty file into a grid of text cells (or a headed table for Parquet).

Every reader fails with UnreadableFile and a one-line reason; the ingest task names the file and goes on.
"""

import csv
import hashlib
import io
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

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


def safe_reason(error: BaseException) -> str:
    """A one-line reason for a file that could not be read, never quoting its contents (IDs, names).

    Our own UnreadableFile messages are written to be safe; an OS error gives its errno text; anything else
    gives its type only, since a library's message may quote the bytes it choked on.
    """
    if isinstance(error, UnreadableFile):
        return printable(str(error))
    if isinstance(error, PermissionError):
        return "permission denied: the file cannot be read by this process"
    if isinstance(error, OSError):
        return f"could not read the file: {error.strerror or type(error).__name__}"
    if isinstance(error, UnicodeError):
        return "text encoding cannot be read (neither UTF-8, UTF-16 nor TIS-620/cp874)"
    if isinstance(error, MemoryError):
        return "too large to read in memory"
    return f"could not be read as a table ({type(error).__name__})"


def printable(text: str) -> str:
    """Text for a one-line message: control characters (a newline in a file name) escaped, nothing else changed."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in str(text))


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
    try:
        if data.startswith(b"\xef\xbb\xbf"):
            return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16"), "utf-16"
    except UnicodeDecodeError as e:  # the message quotes no bytes of the file, only where it broke
        raise UnreadableFile(f"marked as Unicode (byte-order mark) but invalid at byte {e.start}") from None
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


def _trimmed(grid: pa.Table, blank_left: int = 0) -> pa.Table:
    """Cells trimmed of surrounding spaces; empty cells null (as the Python path does); ``blank_left`` empty
    columns first."""
    columns = [pa.nulls(grid.num_rows, pa.string())] * blank_left
    for col in grid.columns:
        trimmed = pc.utf8_trim_whitespace(col.cast(pa.string()))
        columns.append(pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed))
    return pa.table(columns, names=[f"c{i}" for i in range(len(columns))])


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


# Each delimiter a text file may use, with the word reports say it by; a tie goes to the earlier: a comma before a tab
# before the rarer two.
CSV_DELIMITER_NAMES = {",": "comma", "\t": "tab", ";": "semicolon", "|": "pipe"}
CSV_DELIMITERS = tuple(CSV_DELIMITER_NAMES)


def csv_delimiter(sample: str) -> str:
    """The delimiter a text file's first lines use most: comma, tab, semicolon (Excel where the decimal mark is a
    comma; some systems' exports) or pipe.

    Examples:
        >>> csv_delimiter("ชื่อ;นามสกุล;ที่อยู่ สมชาย;ใจดี;12 ม.3, ในเมือง")
        ';'
        >>> csv_delimiter("a,b\tc,d")
        ','
    """
    return max(CSV_DELIMITERS, key=lambda d: (sample.count(d), -CSV_DELIMITERS.index(d)))


def read_csv_grid(path: Path, max_lines: int | None = None) -> tuple[pa.Table, str, str]:
    """A CSV file as a grid of text cells, each record one row (blank records kept as empty rows); with the
    encoding and the delimiter it was read with (both guessed: reports name them so a wrong guess shows).

    ``max_lines``: read only about the first lines (a first look), cut at a line end.
    """
    if max_lines:
        with path.open("rb") as f:
            raw = f.read(max_lines * 400)
        if len(raw) == max_lines * 400 and b"\n" in raw:
            raw = raw[: raw.rindex(b"\n") + 1]
    else:
        raw = path.read_bytes()
    text, encoding = decode_text(raw)
    if not text.strip():
        raise UnreadableFile("empty file")
    sample = text[:20000]
    delimiter = csv_delimiter(sample)
    data = raw[3:] if encoding == "utf-8-sig" else raw if encoding == "utf-8" else text.encode("utf-8")
    grid = _arrow_csv_grid(data, delimiter)
    if grid is not None:
        return grid, encoding, delimiter
    csv.field_size_limit(1 << 27)  # a 1 MB pasted cell is odd but readable; the default limit is 128 KB
    try:
        rows = [[c.strip() or None for c in r] for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as e:
        raise UnreadableFile(f"CSV is malformed: {e}") from None
    return _grid(rows), encoding, delimiter


# A sheet may declare (or place one cell at) XFD1048576: reading it from A1 would allocate hundreds of GB.
MAX_SHEET_CELLS = 50_000_000
_CELL_REF = re.compile(rb'<(?:dimension ref|c r)="(?:[A-Z]+\d+:)?([A-Z]{1,3})(\d+)"')


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def check_sheet_sizes(path: Path) -> None:
    """Refuse a workbook whose sheets declare or reach more than MAX_SHEET_CELLS cells from A1, before reading."""
    import zipfile

    try:
        book = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return  # not a zip (an old .xls, or corrupt): the reader says what it is
    with book:
        for info in book.infolist():
            if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                continue
            with book.open(info) as f:
                head = f.read(4096)
                tail = b""
                if info.file_size > 4096:  # the last cells of the sheet are at its end
                    f.seek(max(info.file_size - 65536, 4096))
                    tail = f.read()
            refs = _CELL_REF.findall(head) + _CELL_REF.findall(tail)
            if refs:
                cols = max(_column_number(c) for c, _ in refs)
                rows = max(int(r) for _, r in refs)
                if cols * rows > MAX_SHEET_CELLS:
                    raise UnreadableFile(f"a sheet declares {rows:,} rows x {cols:,} columns from A1 "
                                         f"(over {MAX_SHEET_CELLS:,} cells); not read")


def workbook_epoch(path: Path) -> int:
    """1904 when the workbook counts serial dates from 1904 (old Mac Excel's date system), else 1900."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as book, book.open("xl/workbook.xml") as f:
            head = f.read(8192)
    except (zipfile.BadZipFile, KeyError, OSError):
        return 1900
    return 1904 if re.search(rb'date1904="(?:1|true)"', head) else 1900


def read_xlsx_grids(path: Path, max_lines: int | None = None) -> list[tuple[str, pa.Table, bool]]:
    """Every sheet of a workbook as (sheet name, grid of text cells, hidden), read by fastexcel (Rust, Arrow out).

    A hidden sheet is read like the others (an old copy, a list for drop-downs, a village kept out of sight): the
    reader says it was hidden, and a [[sources]] `sheet` pattern leaves it out."""
    import fastexcel

    check_sheet_sizes(path)
    try:
        book = fastexcel.read_excel(str(path))
        sheets = []
        for name in book.sheet_names:
            # skip_rows=0: blank lines above the table are kept, so lines are numbered as the spreadsheet shows them
            # (fastexcel skips them when header_row is None and skip_rows is not given)
            sheet = book.load_sheet(name, header_row=None, dtypes="string", n_rows=max_lines, skip_rows=0)
            columns = sheet.available_columns()
            # fastexcel leaves out blank columns left of the table (as it does blank rows above without
            # skip_rows): they are put back, so a column is numbered as the spreadsheet shows it (C is 3)
            blank_left = columns[0].absolute_index if columns else 0
            sheets.append((name, _trimmed(sheet.to_arrow(), blank_left), sheet.visible != "visible"))
    except Exception as e:  # fastexcel raises several types for corrupt files
        raise UnreadableFile(f"not a readable workbook ({type(e).__name__}: {' '.join(str(e).split())[:80]})") from None
    if not any(g.num_rows for _, g, _ in sheets):
        raise UnreadableFile("workbook has no rows")
    return sheets


_MERGE_REF = re.compile(rb'<mergeCell ref="([A-Z]+)([0-9]+):([A-Z]+)([0-9]+)"')


def xlsx_merged_down(path: Path) -> dict[str, list[tuple[int, int, int]]]:
    """Per sheet, its cells merged down one column, as (grid column, first line, last line), 0-based as the
    grids of read_xlsx_grids count them (as the spreadsheet does: A is 0). A merged cell's value is in its
    first cell only: a village number merged over its members' lines reads as blank on all but the first.

    Most workbooks merge nothing: their sheet XML is scanned for a merge (~2 ms a file) and only a workbook with
    one is opened again for the ranges (calamine's merged_cell_ranges)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as book:
            merges = any(b"<mergeCell " in book.read(n) for n in book.namelist()
                         if n.startswith("xl/worksheets/") and n.endswith(".xml"))
    except (zipfile.BadZipFile, OSError, KeyError):
        return {}
    if not merges:
        return {}
    from python_calamine import CalamineWorkbook

    out: dict[str, list[tuple[int, int, int]]] = {}
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        for name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(name)
            down = [(c0, r0, r1) for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or [] if c0 == c1 and r1 > r0]
            if down:
                out[name] = sorted(down)
    except Exception:  # noqa: BLE001 - fastexcel read the workbook; without its merges it reads as before
        return {}
    return out


def filled_down(grid: pa.Table, merges: Sequence[tuple[int, int, int]], from_line: int
                ) -> tuple[pa.Table, dict[int, int]]:
    """The grid with each merge (column, first line, last line) that starts at or below ``from_line`` given its
    first cell's value on every line it covers; also how many cells were filled, per column. Work per merge, not
    per line."""
    import numpy as np

    by_column: dict[int, Any] = {}
    filled: dict[int, int] = {}
    for col, first, last in merges:
        if first < from_line or col >= grid.num_columns or first >= grid.num_rows:
            continue
        index = by_column.setdefault(col, np.arange(grid.num_rows))
        last = min(last, grid.num_rows - 1)
        index[first + 1:last + 1] = first
        filled[col] = filled.get(col, 0) + last - first
    columns = [grid.column(i).take(pa.array(by_column[i])) if i in by_column else grid.column(i)
               for i in range(grid.num_columns)]
    return pa.table(columns, names=grid.column_names), filled


def read_parquet_table(path: Path, max_rows: int | None = None) -> pa.Table:
    """A Parquet file with every column cast to text (``max_rows``: only the first rows, a first look)."""
    try:
        if max_rows:
            batch = next(pq.ParquetFile(path).iter_batches(batch_size=max_rows), None)
            table = pa.Table.from_batches([batch]) if batch is not None else pq.read_schema(path).empty_table()
        else:
            table = pq.read_table(path)
        table.validate(full=True)  # invalid UTF-8 in a string column is found here, not later in DuckDB
    except Exception as e:
        raise UnreadableFile(f"not a readable Parquet file ({type(e).__name__})") from None
    if table.num_rows == 0:
        raise UnreadableFile("Parquet file has no rows")
    nested = [n for n in table.column_names if pa.types.is_nested(table.schema.field(n).type)]
    if nested:
        raise UnreadableFile(f"{len(nested)} nested column(s) (lists or structs): a table of plain columns is needed")
    try:
        return pa.table({n: table.column(n).cast(pa.string()) for n in table.column_names})
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as e:
        raise UnreadableFile(f"a column cannot be read as text ({type(e).__name__})") from None
