"""A sheet as physical lines plus what a reader should make of each line, and writers for seven formats.

A `Sheet` is filled top to bottom: `title()`, `blank()`, `header()`, `member()`, `other()`. Each call writes
one physical line and records its expectation, so line numbers in expected.json cannot drift from the file.

Example:
    >>> s = Sheet("หมู่ 1")
    >>> s.title("บัญชีรายชื่อสมาชิกกองทุน"); s.header([("ชื่อ", "first_name")])
    >>> s.header_lines
    [2]
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Sheet:
    name: str = ""
    lines: list[list[Any]] = field(default_factory=list)
    header_lines: list[int] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    date_order: str | None = None
    accepted: list[dict] = field(default_factory=list)
    not_people: list[dict] = field(default_factory=list)
    merges: list[tuple[int, int, int, int, str]] = field(default_factory=list)  # 1-based line, col ranges

    def _add(self, cells: list[Any]) -> int:
        self.lines.append(list(cells))
        return len(self.lines)

    def title(self, *cells: Any) -> None:
        line = self._add(list(cells))
        self.not_people.append({"sheet": self.name, "line": line, "kind": "title"})

    def blank(self) -> None:
        line = self._add([])
        self.not_people.append({"sheet": self.name, "line": line, "kind": "blank"})

    def other(self, kind: str, *cells: Any) -> None:
        line = self._add(list(cells))
        self.not_people.append({"sheet": self.name, "line": line, "kind": kind})

    def header(self, cols: list[tuple[str, str]]) -> None:
        """One header line; each (text, role). The first header sets the column roles."""
        line = self._add([c[0] for c in cols])
        if not self.header_lines:
            self.columns = {str(i + 1): c[1] for i, c in enumerate(cols)}
        self.header_lines.append(line)

    def header_rows(self, rows: list[list[Any]], roles: list[str]) -> None:
        """A header over several lines (merges added separately with `merge`)."""
        for r in rows:
            self.header_lines.append(self._add(r))
        self.columns = {str(i + 1): role for i, role in enumerate(roles)}

    def repeated_header(self) -> None:
        first = self.lines[self.header_lines[0] - 1]
        line = self._add(first)
        self.not_people.append({"sheet": self.name, "line": line, "kind": "repeated_header"})

    def merge(self, line: int, col1: int, line2: int, col2: int, text: str) -> None:
        self.merges.append((line, col1, line2, col2, text))

    def member(self, cells: list[Any], entry: dict) -> None:
        line = self._add(cells)
        self.accepted.append({"sheet": self.name, "line": line, **entry})

    @property
    def width(self) -> int:
        return max(len(r) for r in self.lines)

    def check(self) -> None:
        """Every used column has a role and every line is accounted for exactly once."""
        assert len(self.columns) == self.width, (self.name, len(self.columns), self.width)
        seen = [e["line"] for e in self.accepted + self.not_people] + self.header_lines
        assert sorted(seen) == list(range(1, len(self.lines) + 1)), (self.name, sorted(seen))


# ---- writers ----------------------------------------------------------------------------------------------

def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, dt.datetime):
        return v.strftime("%d/%m/%Y %H:%M:%S")
    if isinstance(v, dt.date):
        return v.strftime("%d/%m/%Y")
    return str(v)


def write_delimited(path: Path, sheet: Sheet, *, delimiter: str = ",", encoding: str = "utf-8",
                    pad: bool = False) -> None:
    """CSV/TSV. `pad` writes every line to the full width, as Excel's "Save as CSV" does."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n" if pad else "\n")
    width = sheet.width
    for r in sheet.lines:
        cells = [_text(v) for v in r]
        if pad:
            cells += [""] * (width - len(cells))
        assert not any("\n" in c for c in cells)
        w.writerow(cells)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue().encode(encoding))


def write_xlsx(path: Path, sheets: list[Sheet], *, date_1904: bool = False, date_fmt: str = "dd/mm/yyyy") -> None:
    import xlsxwriter

    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path), {"date_1904": date_1904, "strings_to_numbers": False,
                                         "strings_to_formulas": False, "strings_to_urls": False})
    wrap = wb.add_format({"text_wrap": True, "bold": True, "align": "center", "valign": "vcenter"})
    dfmt = wb.add_format({"num_format": date_fmt})
    tfmt = wb.add_format({"num_format": "dd/mm/yyyy hh:mm:ss"})
    idfmt = wb.add_format({"num_format": "0"})
    for s in sheets:
        ws = wb.add_worksheet(s.name)
        merged = {(m[0], m[1]) for m in s.merges}
        for i, row in enumerate(s.lines):
            for j, v in enumerate(row):
                if (i + 1, j + 1) in merged or v is None or v == "":
                    continue
                fmt = wrap if (i + 1) in s.header_lines else None
                if isinstance(v, dt.datetime):
                    ws.write_datetime(i, j, v, tfmt)
                elif isinstance(v, dt.date):
                    ws.write_datetime(i, j, dt.datetime(v.year, v.month, v.day), dfmt)
                elif isinstance(v, (int, float)) and not isinstance(v, bool):
                    ws.write_number(i, j, v, idfmt if abs(v) > 1e11 else None)
                else:
                    ws.write_string(i, j, str(v), fmt)
        for (l1, c1, l2, c2, text) in s.merges:
            ws.merge_range(l1 - 1, c1 - 1, l2 - 1, c2 - 1, text, wrap)
    wb.close()


def write_xls(path: Path, sheets: list[Sheet]) -> None:
    import xlwt

    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlwt.Workbook(encoding="utf-8")
    dstyle = xlwt.easyxf(num_format_str="dd/mm/yyyy")
    nstyle = xlwt.easyxf(num_format_str="0")
    for s in sheets:
        ws = wb.add_sheet(s.name)
        for i, row in enumerate(s.lines):
            for j, v in enumerate(row):
                if v is None or v == "":
                    continue
                if isinstance(v, dt.date):
                    ws.write(i, j, v, dstyle)
                elif isinstance(v, (int, float)):
                    ws.write(i, j, v, nstyle if abs(v) > 1e11 else xlwt.Style.default_style)
                else:
                    ws.write(i, j, str(v))
    wb.save(str(path))


def write_ods(path: Path, sheets: list[Sheet]) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    path.parent.mkdir(parents=True, exist_ok=True)
    doc = OpenDocumentSpreadsheet()
    for s in sheets:
        table = Table(name=s.name)
        for row in s.lines:
            tr = TableRow()
            for v in row:
                if v is None or v == "":
                    tr.addElement(TableCell())
                    continue
                if isinstance(v, dt.date):
                    cell = TableCell(valuetype="date", datevalue=v.isoformat())
                    cell.addElement(P(text=v.strftime("%d/%m/%Y")))
                elif isinstance(v, (int, float)):
                    cell = TableCell(valuetype="float", value=v)
                    cell.addElement(P(text=_text(v)))
                else:
                    cell = TableCell(valuetype="string")
                    cell.addElement(P(text=str(v)))
                tr.addElement(cell)
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    doc.save(str(path))


def write_parquet(path: Path, names: list[str], rows: list[list[Any]], types: dict[str, Any]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path.parent.mkdir(parents=True, exist_ok=True)
    cols = {n: [r[i] for r in rows] for i, n in enumerate(names)}
    table = pa.table({n: pa.array(v, type=types.get(n, pa.string())) for n, v in cols.items()})
    pq.write_table(table, str(path))
