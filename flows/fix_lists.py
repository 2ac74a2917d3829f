"""Fix lists: one restricted workbook per fund, ``fix_lists/<fund>.xlsx``, listing what to correct in its roster.

Written by every run beside the other restricted outputs (quarantine.parquet, address_review.parquet), with or
without marts: it needs no pseudonym key, and it holds names and IDs as the fund wrote them, because the fund's
volunteers must find the line. It goes back to that fund only; its first line says so.

Items come from transforms/fix_lists_sql.py (the same SQL fund_summary counts), in the fund's own row order:
file, then the line as the spreadsheet shows it. Every text cell is neutralised like the report workbook's
(transforms/spreadsheet.py), so a name typed as ``=HYPERLINK(...)`` stays text.
"""

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import duckdb
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from flows.timing import timed
from transforms.fix_lists_sql import (
    FIELD_COLUMNS,
    FIELD_TH,
    PROBLEMS,
    ambiguous_places_th,
    fix_items_sql,
    fix_list_file_names,
)
from transforms.spreadsheet import neutralised

__all__ = ["FIX_LISTS_DIR", "HEADERS", "RESTRICTED_LINE", "write_fix_lists"]

FIX_LISTS_DIR = "fix_lists"
FIXED_DATE = dt.datetime(2024, 1, 1)  # a clock value in the file would change its bytes run to run
RESTRICTED_LINE = (
    "ข้อมูลลับ (restricted): มีชื่อและเลขประจำตัวประชาชนของสมาชิก ใช้แก้ทะเบียนของกองทุนนี้เท่านั้น "
    "ห้ามส่งต่อหรือเผยแพร่"
)
HEADERS = ("ไฟล์", "แผ่นงาน", "บรรทัดที่", "เลขที่สมาชิก", "ชื่อ-สกุล (ตามที่เขียน)", "ช่อง", "ค่าที่เขียนไว้",
           "ปัญหา", "ควรแก้เป็น")
_WIDTHS = (24, 12, 9, 11, 28, 18, 30, 48, 60)
_HEADER_ROW = 3
_COLUMN_LETTERS = tuple(xl_col_to_name(c) for c in range(len(HEADERS)))
_FAST_STRING_MAX = 16_383  # xlsxwriter truncates a string over 32,767 UTF-16 units: longer ones go cell by cell


def _headers_as_written(inputs: list[dict[str, Any]] | None) -> dict[tuple[str, str], str]:
    """(file name, role) -> the column's header in that file, from the manifest's inputs."""
    out: dict[tuple[str, str], str] = {}
    for item in inputs or []:
        if item.get("dataset") == "roster":
            for header, role in (item.get("columns") or {}).items():
                out.setdefault((item["name"], role), str(header))
    return out


def _items(con: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]]:
    """Every fix item with the cells the fund wrote: fund, file, sheet, line, problem, candidates, raw cells."""
    wanted = sorted({c for cols in FIELD_COLUMNS.values() for c in cols} | {"title", "first_name", "last_name",
                                                                            "full_name"})
    present = {r[0] for r in con.execute("select column_name from (describe raw_roster)").fetchall()}
    cells = ", ".join(f"r.{c}" if c in present else f"null as {c}" for c in wanted)
    rows = con.execute(
        f"""select i.fund, i.source_file, i.source_sheet, i.source_line, i.problem, i.address_candidates, {cells}
        from ({fix_items_sql()}) i join raw_roster r using (source_file, source_row)
        order by i.fund, i.source_file, i.source_row,
            list_position({list(PROBLEMS)}, i.problem)"""
    ).fetchall()
    return [(*row[:6], dict(zip(wanted, row[6:], strict=True))) for row in rows]


def _written(raw: dict[str, Any], field: str, sep: str = " ") -> str:
    return sep.join(str(raw[c]).strip() for c in FIELD_COLUMNS[field] if raw.get(c) not in (None, ""))


def _name(raw: dict[str, Any]) -> str:
    if raw.get("full_name"):
        return str(raw["full_name"]).strip()
    return " ".join(str(raw[c]).strip() for c in ("title", "first_name", "last_name") if raw.get(c))


def _column(headers: dict[tuple[str, str], str], file: str, field: str) -> str:
    """The field in Thai, with the fund's own header(s) for it when known: 'วันเกิด (วัน/เดือน/ปีเกิด)'."""
    if field == "row":
        return FIELD_TH[field]
    own = [headers[(file, c)] for c in FIELD_COLUMNS[field] if (file, c) in headers]
    return f"{FIELD_TH[field]} ({', '.join(own)})" if own and own != [FIELD_TH[field]] else FIELD_TH[field]


def fix_rows(items: list[tuple[Any, ...]], headers: dict[tuple[str, str], str]) -> dict[str, list[list[Any]]]:
    """Per fund, the workbook's rows (in HEADERS order), from the items _items() returns.

    Example: ('fund_a', 'fund_a.csv', '', 12, 'birth_date_impossible', None, {'birth_date': '30/02/2510', ...})
    -> ['fund_a.csv', '', 12, '7', 'นางสมศรี ใจดี', 'วันเกิด (วันเกิด)', '30/02/2510', 'วันเกิดนี้ไม่มีในปฏิทิน ...',
        'เขียนวันเกิดตามบัตรประชาชน ...']
    """
    places: dict[str | None, str] = {}  # per distinct candidate list, not per row
    out: dict[str, list[list[Any]]] = {}
    for fund, file, sheet, line, problem, candidates, raw in items:
        p = PROBLEMS[problem]
        wrong = p.wrong
        if problem == "address_ambiguous":
            if candidates not in places:
                places[candidates] = ambiguous_places_th(candidates)
            wrong = f"{wrong}: {places[candidates]}" if places[candidates] else wrong
        out.setdefault(fund, []).append([
            file, sheet or "", line, raw.get("member_no") or "", _name(raw), _column(headers, file, p.field),
            _written(raw, p.field, " | " if p.field == "row" else " "), wrong, p.write,
        ])
    return out


class _RowsSheet(Worksheet):
    """A worksheet whose data rows (below the header) are kept as (number?, value or shared-string index) pairs and
    written as XML in one go, the bytes xlsxwriter's own cells would give: every row has all of HEADERS' columns
    (an empty string too is a shared string), so each row's span is the whole width."""

    data_rows: list[list[tuple[bool, Any]]] = []
    data_format: Format | None = None

    def _write_rows(self) -> None:
        if not self.data_rows or self.data_format is None:
            super()._write_rows()
            return
        last: int = getattr(self, "dim_rowmax")  # noqa: B009 - xlsxwriter leaves the attribute untyped
        self.dim_rowmax = _HEADER_ROW  # xlsxwriter writes the title and header rows; the data rows follow
        super()._write_rows()
        self.dim_rowmax = last
        style = self.data_format._get_xf_index()  # asked for after the header's formats, as a data cell would be
        spans = f"1:{len(HEADERS)}"
        out = []
        for r, cells in enumerate(self.data_rows, start=_HEADER_ROW + 2):
            out.append(f'<row r="{r}" spans="{spans}">')
            for letter, (number, value) in zip(_COLUMN_LETTERS, cells, strict=True):
                if number:
                    out.append(f'<c r="{letter}{r}" s="{style}"><v>{value:.16G}</v></c>')
                else:
                    out.append(f'<c r="{letter}{r}" s="{style}" t="s"><v>{value}</v></c>')
            out.append("</row>")
        self.fh.write("".join(out))


def _data_cells(ws: Worksheet, rows: list[list[Any]]) -> list[list[tuple[bool, Any]]] | None:
    """The data rows as _RowsSheet writes them, their strings put in the shared-string table in xlsxwriter's order;
    None when a row would not be written as ws.write_* would write it (the caller then writes cell by cell)."""
    if len(rows) + _HEADER_ROW + 1 > ws.xls_rowmax:
        return None
    texts = [str(neutralised(str(v))) if not isinstance(v, int) else v for row in rows for v in row]
    if any(len(row) != len(HEADERS) for row in rows) or any(
            not isinstance(t, int) and len(t) > _FAST_STRING_MAX for t in texts):
        return None
    index = ws.str_table._get_shared_string_index
    cells = [(True, t) if isinstance(t, int) else (False, index(t)) for t in texts]
    ws._check_dimensions(_HEADER_ROW + len(rows), len(HEADERS) - 1)
    width = len(HEADERS)
    return [cells[i:i + width] for i in range(0, len(cells), width)]


def _write_workbook(path: Path, fund: str, rows: list[list[Any]], fast: bool = True) -> None:
    """One fund's workbook. ``fast=False`` writes the data rows cell by cell through xlsxwriter (the same bytes:
    kept to check the fast rows against)."""
    # in_memory: a province's ~500 small workbooks cost more in temporary files than in cells (8.0 -> 5.4 s CPU)
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                         "strings_to_numbers": False, "in_memory": True})
    wb.set_properties({"title": f"รายการที่ต้องแก้ไข: {fund}", "created": FIXED_DATE})
    ws = wb.add_worksheet("รายการที่ต้องแก้ไข", worksheet_class=_RowsSheet)
    bold, wrap = wb.add_format({"bold": True, "font_color": "#9C0006"}), wb.add_format({"text_wrap": True,
                                                                                       "valign": "top"})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    ws.write_string(0, 0, RESTRICTED_LINE, bold)
    ws.write_string(1, 0, str(neutralised(f"รายการที่ต้องแก้ไขในทะเบียนสมาชิก: {fund}")))
    lines = len({(r[0], r[2]) for r in rows})
    ws.write_string(2, 0, f"{lines} บรรทัด {len(rows)} รายการ เรียงตามไฟล์และบรรทัดในไฟล์ของกองทุน"
                    if rows else "ไม่มีรายการที่ต้องแก้ไข")
    for col, (text, width) in enumerate(zip(HEADERS, _WIDTHS, strict=True)):
        ws.write_string(_HEADER_ROW, col, text, head)
        ws.set_column(col, col, width)
    cells = _data_cells(ws, rows) if fast and rows else None
    if cells is not None:
        ws.data_rows, ws.data_format = cells, wrap
    else:
        for r, row in enumerate(rows, start=_HEADER_ROW + 1):
            for c, value in enumerate(row):
                if isinstance(value, int):
                    ws.write_number(r, c, value, wrap)
                else:
                    ws.write_string(r, c, str(neutralised(str(value))), wrap)
    ws.freeze_panes(_HEADER_ROW + 1, 0)
    if rows:
        ws.autofilter(_HEADER_ROW, 0, _HEADER_ROW + len(rows), len(HEADERS) - 1)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(_HEADER_ROW)
    wb.close()


@timed("fix_lists")
def write_fix_lists(con: duckdb.DuckDBPyConnection, run_dir: Path,
                    inputs: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Write ``run_dir/fix_lists/<fund>.xlsx`` for every fund of stg_roster (one with nothing to fix says so).

    ``inputs`` (the manifest's) gives each column's header as the fund wrote it. Returns output entries: path
    (relative to run_dir, POSIX) and rows (fix items). Same warehouse -> same bytes.
    """
    folder = Path(run_dir) / FIX_LISTS_DIR
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    funds = [str(f) for (f,) in con.execute(
        "select distinct dataset_key from stg_roster where dataset_key is not null order by 1").fetchall()]
    rows = fix_rows(_items(con), _headers_as_written(inputs))
    entries = []
    for fund, name in fix_list_file_names(funds).items():
        _write_workbook(folder / name, fund, rows.get(fund, []))
        entries.append({"path": f"{FIX_LISTS_DIR}/{name}", "rows": len(rows.get(fund, []))})
    return entries
