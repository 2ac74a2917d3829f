"""The XLSX workbook for planners: an index first, the marts with totals first, a Thai column dictionary, and one
outreach sheet per subdistrict in district order. Every sheet prints landscape, one page wide, its header rows
repeated on each page.

Values are in Thai (ใช่/ไม่ใช่, link methods, area levels) and text cells are spreadsheet-safe; both are done in
DuckDB (transforms/report_sql.py). The data rows of the mart and outreach sheets are made as XML by DuckDB too
(transforms/xlsx_sql.py: the bytes xlsxwriter would write cell by cell, ~30 times faster) and handed to xlsxwriter,
which writes everything else; ``write_xlsx(..., fast=False)`` writes them cell by cell, as does any sheet with a
string xlsxwriter would truncate or a number it refuses. Both ways give the same bytes. The zip of the parts
can be written in a thread while the caller goes on (workbook_parts, then zip_parts: flows/xlsx_package.py).

Text that repeats down a column (yes/no, village numbers, area and fund names, the outreach sheets' list of a
subdistrict's funds: hundreds of bytes on each of ~275,000 rows) goes once into the workbook's shared-string table
and each cell refers to it, as Excel itself saves a workbook: at province scale the sheets' XML is a third of the
inline strings' ~440 MB, and both its making and its deflate shrink with it. The table is filled sheet by sheet,
each sheet's new values in value order, before its rows are written either way (``share=False`` writes every
string inline, as before: kept to check the values against).
Sheet order:

    สารบัญ (index) | ความครอบคลุม | สรุปรายกองทุน | สมาชิกกับความยากจน | คนจนที่ยังไม่เป็นสมาชิก | คำอธิบายคอลัมน์ |
    310101 ในเมือง | 310102 ... (outreach, by district then subdistrict code)
"""

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
from xlsxwriter.worksheet import Worksheet

from flows.report_th import SHEET_ABOUT_TH, column_th
from flows.xlsx_package import ByteSheet, PartsWorkbook, zip_parts
from schemas.contracts import Contract
from schemas.marts import (
    COVERAGE,
    DIMENSIONS,
    FUND_SUMMARY,
    MART_TITLES_TH,
    MEMBER_POVERTY,
    POOR_NOT_IN_FUND,
    THAI_HEADERS,
)
from transforms.report_sql import mart_numbered_sql, mart_rows_sql, outreach_numbered_sql, outreach_rows_sql
from transforms.spreadsheet import neutralised
from transforms.xlsx_sql import STRING_MAX, XlsxCell, xlsx_check_sql, xlsx_rows_sql

__all__ = ["INDEX_SHEET", "OUTREACH_COLUMNS", "PERSON_SHEET_MAX_ROWS", "workbook_parts", "write_xlsx", "zip_parts"]

INDEX_SHEET = "สารบัญ"
DICTIONARY_SHEET = "คำอธิบายคอลัมน์"
FIXED_DATE = dt.datetime(2024, 1, 1)  # workbook metadata date: fixed, so the bytes do not depend on the clock
EXCEL_MAX_ROWS = 1_048_574  # a title row and a header row
# A person-level mart of a province has hundreds of thousands of rows: written cell by cell they cost minutes and
# make a workbook nobody scrolls. Such sheets show their first rows and say where the whole table is; the outreach
# sheets, one per subdistrict, stay complete.
PERSON_SHEET_MAX_ROWS = 50_000
SHEET_ORDER: tuple[Contract, ...] = (COVERAGE, FUND_SUMMARY, MEMBER_POVERTY, POOR_NOT_IN_FUND)  # totals first
OUTREACH_COLUMNS = ("village_no", "house_code", "person_key", *(f"dim_{d}" for d in DIMENSIONS),
                    "poor_dimensions", "welfare_card", "target_poor", "funds")
_NUMBER_TYPES = ("INTEGER", "BIGINT", "DOUBLE")
# The zip's deflate level. The sheets' XML repeats itself row after row, and level 3 finds most of what 6 finds:
# at 400k households 32.9 MB instead of 28.4 MB (with the shared strings; 31.1 MB inline at level 6) for ~1.6 s less
# CPU (4.0/3.8 -> 2.1/2.5 s).
ZIP_LEVEL = 3
# Text columns whose values rarely repeat (a person's key, a household's code): a shared string would only add an
# entry to the table beside each reference. Every other text column is shared.
_UNIQUE_TEXT = frozenset({"person_key", "house_code"})


def _sheet_name(text: str, used: set[str]) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\ nor an edge apostrophe, unique in the workbook."""
    base = re.sub(r"[\[\]:*?/\\]", " ", text).strip().strip("'")[:31] or "sheet"
    name, n = base, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


def _xml_chunks(con: duckdb.DuckDBPyConnection, sql: str, keys: int = 0,
                size: int = 10_000) -> Iterator[tuple[tuple[Any, ...], int, memoryview]]:
    """The rows of xlsx_rows_sql's `sql` (`keys` key columns, ``_r``, ``xml``) as runs of equal keys: (keys, the
    run's last ``_r``, the run's XML as UTF-8 bytes). The bytes are Arrow's own string data, never Python str:
    the XML of a run of rows is one slice of it."""
    for batch in con.sql(sql).to_arrow_reader(size):
        xml = batch.column(keys + 1)
        if isinstance(xml, pa.ChunkedArray):  # pragma: no cover - a record batch holds arrays
            xml = xml.combine_chunks()
        _, offsets_buf, data = xml.buffers()
        width = 8 if pa.types.is_large_string(xml.type) else 4
        offsets = memoryview(offsets_buf).cast("q" if width == 8 else "i")[xml.offset: xml.offset + len(xml) + 1]
        r = batch.column(keys).to_pylist()
        runs = [0]
        if keys:
            key_lists = [batch.column(k).to_pylist() for k in range(keys)]
            row_keys = list(zip(*key_lists, strict=True))
            runs += [i for i in range(1, len(r)) if row_keys[i] != row_keys[i - 1]]
        runs.append(len(r))
        view = memoryview(data)
        for start, end in zip(runs, runs[1:], strict=False):
            if end > start:
                yield (row_keys[start] if keys else ()), int(r[end - 1]), view[offsets[start]:offsets[end]]


class _Book:
    """The workbook and its shared formats; each sheet gets the same print setup."""

    def __init__(self, path: Path, share: bool = True) -> None:
        self.wb = PartsWorkbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                                  "strings_to_urls": False, "strings_to_numbers": False})
        self.share_strings = share
        self.wb.zip_level = ZIP_LEVEL
        self.wb.set_properties({"title": "saphan: กองทุนสวัสดิการชุมชนกับข้อมูลความยากจน", "created": FIXED_DATE})
        self.header = self.wb.add_format({"bold": True, "bg_color": "#DDEBF7", "text_wrap": True, "valign": "top"})
        self.title = self.wb.add_format({"bold": True, "font_size": 13})
        self.percent = self.wb.add_format({"num_format": "0.0%"})
        self.link = self.wb.add_format({"font_color": "blue", "underline": 1})

    def sheet(self, name: str, headers: Sequence[str], title: str, widths: Sequence[int] | None = None) -> Worksheet:
        """A sheet with its title (row 1), Thai headers (row 2), frozen panes, autofilter-ready and print setup."""
        ws = self.wb.add_worksheet(name, worksheet_class=ByteSheet)
        ws.write_string(0, 0, str(neutralised(title)), self.title)
        for col, text in enumerate(headers):
            ws.write_string(1, col, text, self.header)
            ws.set_column(col, col, widths[col] if widths else max(10, min(40, len(text) + 2)))
        ws.freeze_panes(2, 0)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)  # one page wide, as many pages down as it takes
        ws.repeat_rows(0, 1)  # the title and header rows on every printed page
        ws.set_footer("&L&A&Rหน้า &P / &N")
        return ws

    def rows(self, ws: Worksheet, types: Sequence[str], rates: Sequence[bool], rows: list[tuple[Any, ...]],
             shared: Sequence[bool] = ()) -> None:
        """Rows from row 3 on; each column's writer is chosen once (strings stay strings: never a formula); the
        strings of `shared` columns that the shared-string table holds are written as references to it."""
        if isinstance(ws, ByteSheet) and self.share_strings:
            ws.shared_columns, ws.shared_from_row = frozenset(i for i, s in enumerate(shared) if s), 2
            ws.shared_index = self.wb.str_table.string_table  # filled by share(); close() replaces, not clears it
        writers: list[Callable[..., Any]] = [ws.write_number if t in _NUMBER_TYPES else ws.write_string
                                             for t in types]
        formats = [self.percent if r else None for r in rates]
        for r, values in enumerate(rows[:EXCEL_MAX_ROWS], start=2):
            for col, v in enumerate(values):
                if v is not None:
                    writers[col](r, col, v, formats[col])
        if types:
            ws.autofilter(1, 0, 1 + max(len(rows), 1), len(types) - 1)

    def share(self, con: duckdb.DuckDBPyConnection, numbered_sql: str, columns: Sequence[str]) -> str:
        """The values of `numbered_sql`'s `columns` put in the workbook's shared-string table (the new ones in
        value order) and their uses counted; returns `numbered_sql` with each column's index as ``_sst_<column>``
        (null: written inline). Left out, so written inline either way: strings too long for the fast rows (their
        sheet goes cell by cell and xlsxwriter may truncate them) and strings xlsxwriter's shared-string writer
        would take as rich-text XML (``<r>...</r>``), which an inline cell escapes."""
        if not columns or not self.share_strings:
            return numbered_sql
        table = self.wb.str_table
        listed = ", ".join(f'"{c}"' for c in columns)
        uses = con.execute(
            f"""select v, count(*) from (unpivot (select {listed} from ({numbered_sql})) on {listed}
                                          into name _column value v)
                where length(v) <= {STRING_MAX} and not (starts_with(v, '<r>') and ends_with(v, '</r>'))
                group by v order by v""").fetchall()
        new: list[str] = []
        for value, n in uses:
            if value not in table.string_table:
                table.string_table[value] = table.unique_count + len(new)
                new.append(value)
            table.count += int(n)  # every use, as xlsxwriter counts them
        if new:
            con.from_arrow(pa.table({"v": pa.array(new, pa.string()),
                                     "i": pa.array(range(table.unique_count, table.unique_count + len(new)),
                                                   pa.int64())})).insert_into("_xlsx_sst")
            table.unique_count += len(new)
        picks = ", ".join(f's{k}.i as "_sst_{c}"' for k, c in enumerate(columns))
        joins = " ".join(f'left join _xlsx_sst s{k} on s{k}.v = t."{c}"' for k, c in enumerate(columns))
        return f"select t.*, {picks} from ({numbered_sql}) t {joins}"

    def checked(self, con: duckdb.DuckDBPyConnection, numbered_sql: str, types: Sequence[str],
                rates: Sequence[bool], shared: Sequence[bool]) -> tuple[int, list[XlsxCell] | None]:
        """Rows of `numbered_sql` (columns c0, c1, ... as _renamed names them), and its cells for xml_rows (None:
        write these rows cell by cell instead); `shared` columns take their value's shared-string index."""
        cells = [XlsxCell(f"c{i}", t in _NUMBER_TYPES, shared=s and self.share_strings)
                 for i, (t, s) in enumerate(zip(types, shared, strict=True))]
        rated = [c.column for c, r in zip(cells, rates, strict=True) if r]
        row = next(iter(con.execute(xlsx_check_sql(numbered_sql, cells, rated)).fetchall()), None)
        if row is None or not row[1]:
            return int(row[0]) if row else 0, None
        percent = self.percent._get_xf_index() if row[2] else None  # first use, as a written cell would be
        return int(row[0]), [c._replace(style=percent if r else None, controls=c.column in row[3])
                             for c, r in zip(cells, rates, strict=True)]

    def xml_rows(self, ws: Worksheet, chunks: Iterable[tuple[int, memoryview]], ncols: int, n: int) -> None:
        """Rows from row 3 on, as xlsx_rows_sql made them ((last ``_r``, UTF-8 XML) per chunk, _xml_chunks):
        written into the sheet's row data as xlsxwriter's own cells would be, its dimension extended to the last."""
        ws._write_single_row(2)  # the header row goes out now, as the first data cell would send it
        ws.fh.flush()  # the text written so far goes first; the rows are bytes already
        last = None
        for last, data in chunks:  # noqa: B007 - the last chunk's row is the sheet's last
            ws.fh.buffer.write(data)
        if last is not None:
            ws._check_dimensions(int(last) - 1, 0)
        if ncols:
            ws.autofilter(1, 0, 1 + max(n, 1), ncols - 1)


def _rate(name: str) -> bool:
    return name.startswith("coverage") or name.endswith("coverage_rate")


def _shared(names: Sequence[str], types: Sequence[str]) -> list[bool]:
    return [t not in _NUMBER_TYPES and n not in _UNIQUE_TEXT for n, t in zip(names, types, strict=True)]


def _renamed(numbered_sql: str, ncols: int, keys: int = 0) -> str:
    """`numbered_sql`'s value columns renamed c0, c1, ... (after `keys` leading key columns), ``_n`` kept."""
    names = [f"k{i}" for i in range(keys)] + [f"c{i}" for i in range(ncols)]
    return f"select * from ({numbered_sql}) as t({', '.join(names)})"


def write_xlsx(con: duckdb.DuckDBPyConnection, path: Path, fast: bool = True, share: bool = True) -> None:
    """The planners' workbook at `path`; needs the marts (flows/marts.py) in `con`. `fast=False` writes every
    cell through xlsxwriter (the same bytes, ~30 times slower: kept to check the fast way against); `share=False`
    writes every string inline (the same values in other bytes: kept to check the shared strings against)."""
    zip_parts(workbook_parts(con, path, fast, share))


def workbook_parts(con: duckdb.DuckDBPyConnection, path: Path, fast: bool = True,
                   share: bool = True) -> PartsWorkbook:
    """The workbook's parts, all the work that needs `con` (and most of Python's); ``zip_parts(...)`` on the result,
    in any thread, then writes the workbook at `path` (flows/xlsx_package.py)."""
    book = _Book(path, share)
    con.execute("create or replace temp table _xlsx_sst (v varchar, i bigint)")  # the shared strings so far
    used = {INDEX_SHEET.lower()}
    counts = {c.table: int(con.execute(f"select count(*) from {c.table}").fetchall()[0][0]) for c in SHEET_ORDER}
    marts = [(c, _sheet_name(MART_TITLES_TH[c.table], used)) for c in SHEET_ORDER]
    dictionary = _sheet_name(DICTIONARY_SHEET, used)
    # The numbered rows are read three times (index, checks, rows): made once, in a temporary table (allowed on a
    # read-only connection too), they are sorted and put in Thai once.
    con.execute(f"create or replace temp table _xlsx_outreach as {outreach_numbered_sql(OUTREACH_COLUMNS)}")
    outreach = "select * from _xlsx_outreach"
    places: dict[tuple[str, str], tuple[str | None, str | None, str | None]] = {}
    sizes: dict[tuple[str, str], int] = {}
    for d, s, sub, dist, prov, n in con.execute(  # each subdistrict's names as its last row gives them
        f"""select district_code, subdistrict_code, last(subdistrict_name order by _n),
                   last(district_name order by _n), last(province_name order by _n), count(*)
            from ({outreach}) group by all order by district_code, subdistrict_code""").fetchall():
        places[(d, s)], sizes[(d, s)] = (sub, dist, prov), int(n)
    outreach_sheets = [(key, _sheet_name(f"{key[1]} {places[key][0] or ''}", used)) for key in places]

    index = [(name, SHEET_ABOUT_TH[c.table], "", counts[c.table]) for c, name in marts]
    index.append((dictionary, "ความหมายของทุกคอลัมน์ในทุกชีต", "", sum(len(c.columns) for c in SHEET_ORDER)))
    for key, name in outreach_sheets:
        sub_name, dist_name, _ = places[key]
        index.append((name, f"รายชื่อคนจนที่ยังไม่เป็นสมาชิก ต.{sub_name or '?'} ({key[1]})", f"อ.{dist_name or '?'}",
                      sizes[key]))
    ws = book.sheet(INDEX_SHEET, ["ชีต (คลิกเพื่อไป)", "เนื้อหา", "อำเภอ", "จำนวนแถว"],
                    "สารบัญ: ชีตในสมุดงานนี้", [28, 90, 22, 12])
    for r, (name, what, district, n) in enumerate(index, start=2):
        ws.write_url(r, 0, "internal:'" + name.replace("'", "''") + "'!A1", book.link, name)
        ws.write_string(r, 1, what)
        ws.write_string(r, 2, district)
        ws.write_number(r, 3, n)

    for contract, name in marts:
        total, limit = counts[contract.table], None
        title = f"{MART_TITLES_TH[contract.table]} ({total:,} แถว): {SHEET_ABOUT_TH[contract.table]}"
        if contract.table in (MEMBER_POVERTY.table, POOR_NOT_IN_FUND.table) and total > PERSON_SHEET_MAX_ROWS:
            limit = PERSON_SHEET_MAX_ROWS
            title = (f"{PERSON_SHEET_MAX_ROWS:,} แถวแรกจาก {total:,} แถว (first {PERSON_SHEET_MAX_ROWS:,} of "
                     f"{total:,} rows): the whole table is marts/{contract.table}/ (Parquet) and the warehouse")
        ws = book.sheet(name, [THAI_HEADERS.get(n, n) for n in contract.names], title)
        types, rates = [c.type for c in contract.columns], [_rate(n) for n in contract.names]
        con.execute("create or replace temp table _xlsx_sheet as "
                    + _renamed(mart_numbered_sql(contract, limit=limit), len(types)))
        numbered, shared = "select * from _xlsx_sheet", _shared(contract.names, types)
        source = book.share(con, f"select * from ({numbered}) where _n <= {EXCEL_MAX_ROWS}",
                            [f"c{i}" for i, s in enumerate(shared) if s])
        n, cells = book.checked(con, numbered, types, rates, shared) if fast else (0, None)
        if cells is None:
            book.rows(ws, types, rates, con.execute(mart_rows_sql(contract, limit=limit)).fetchall(), shared)
        else:
            rows = xlsx_rows_sql(source, cells, 2)
            book.xml_rows(ws, ((last, data) for _, last, data in _xml_chunks(con, rows)), len(types), n)

    about = [(sheet, c.table, THAI_HEADERS.get(col.name, col.name), col.name,
              column_th(c.table, col.name, col.description)) for c, sheet in marts for col in c.columns]
    ws = book.sheet(dictionary, ["ชีต", "ตาราง (ในฐานข้อมูล)", "หัวคอลัมน์", "ชื่อคอลัมน์ (ในฐานข้อมูล)", "คำอธิบาย"],
                    "คำอธิบายคอลัมน์ของทุกชีต", [22, 18, 30, 24, 90])
    book.rows(ws, ["VARCHAR"] * 5, [False] * 5, about)

    by_name = {c.name: c for c in POOR_NOT_IN_FUND.columns}
    types = [by_name[n].type for n in OUTREACH_COLUMNS]
    numbered = _renamed(f"select * exclude (subdistrict_name, district_name, province_name) from ({outreach})",
                        len(types), keys=2)
    shared = _shared(OUTREACH_COLUMNS, types)
    source = book.share(con, numbered, [f"c{i}" for i, s in enumerate(shared) if s])
    _, cells = book.checked(con, numbered, types, [False] * len(types), shared) if fast else (0, None)
    if cells is None:
        grouped: dict[tuple[str, str], list[tuple[Any, ...]]] = {}
        for row in con.execute(outreach_rows_sql(OUTREACH_COLUMNS)).fetchall():
            grouped.setdefault((row[0], row[1]), []).append(row[5:])
    else:
        stream = _xml_chunks(con, xlsx_rows_sql(source, cells, 2, keys=("k0", "k1")), keys=2)
        pending = next(stream, None)
    for key, name in outreach_sheets:
        sub_name, dist_name, prov_name = places[key]
        place = " ".join(p for p in (f"ต.{sub_name}" if sub_name else "", f"อ.{dist_name}" if dist_name else "",
                                     f"จ.{prov_name}" if prov_name else "") if p)
        ws = book.sheet(name, [THAI_HEADERS[n] for n in OUTREACH_COLUMNS],
                        f"คนจนที่ยังไม่เป็นสมาชิกกองทุน ตำบลรหัส {key[1]} {place} ({sizes[key]} คน)")
        if cells is None:
            book.rows(ws, types, [False] * len(types), grouped[key], shared)
            continue
        sheet_chunks = []
        while pending is not None and pending[0] == key:
            sheet_chunks.append(pending[1:])
            pending = next(stream, None)
        book.xml_rows(ws, sheet_chunks, len(types), sizes[key])
    book.wb.close()
    con.execute("drop table if exists _xlsx_sheet; drop table if exists _xlsx_outreach; drop table if exists _xlsx_sst")
    return book.wb
