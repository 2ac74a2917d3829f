"""Writers for one grid of cells per sheet: CSV/TSV (any encoding), XLSX, XLS, ODS and Parquet.

A sheet is a name, a list of rows (lists of cells) and merged ranges (0-based, inclusive). Line N of the
expectations is rows[N - 1], whatever the format, so the writers never add or drop a row.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

Cell = str | int | float | datetime | None


@dataclass
class Sheet:
    name: str
    rows: list[list[Cell]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        raise TypeError("a date cell cannot go to a text file")
    return str(cell)


def write_text(path: Path, sheet: Sheet, encoding: str, delimiter: str = ",", pad: bool = True) -> None:
    """Excel pads every line to the sheet's width (pad=True); hand-written files stop at the last value."""
    width = sheet.width
    with path.open("w", encoding=encoding, newline="") as f:
        w = csv.writer(f, delimiter=delimiter, lineterminator="\r\n" if pad else "\n")
        for row in sheet.rows:
            cells = [_text(c) for c in row]
            if pad:
                cells += [""] * (width - len(cells))
            else:
                while cells and cells[-1] == "":
                    cells.pop()
            w.writerow(cells)


def write_xlsx(path: Path, sheets: list[Sheet]) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties({"created": datetime(2024, 9, 30)})  # a fixed stamp keeps reruns byte-identical
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    merge_fmt = wb.add_format({"align": "center", "valign": "vcenter"})
    for sh in sheets:
        ws = wb.add_worksheet(sh.name)
        covered = set()
        for r0, c0, r1, c1 in sh.merges:
            ws.merge_range(r0, c0, r1, c1, _text(sh.rows[r0][c0]), merge_fmt)
            covered |= {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
        for r, row in enumerate(sh.rows):
            for c, cell in enumerate(row):
                if (r, c) in covered or cell is None or cell == "":
                    continue
                if isinstance(cell, datetime):
                    ws.write_datetime(r, c, cell, date_fmt)
                elif isinstance(cell, (int, float)):
                    ws.write_number(r, c, cell)
                else:
                    ws.write_string(r, c, cell)
    wb.close()


def write_xls(path: Path, sheets: list[Sheet]) -> None:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="dd/mm/yyyy")
    for sh in sheets:
        ws = wb.add_sheet(sh.name)
        covered = set()
        for r0, c0, r1, c1 in sh.merges:
            ws.write_merge(r0, r1, c0, c1, _text(sh.rows[r0][c0]))
            covered |= {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
        for r, row in enumerate(sh.rows):
            for c, cell in enumerate(row):
                if (r, c) in covered or cell is None or cell == "":
                    continue
                if isinstance(cell, datetime):
                    ws.write(r, c, cell, date_style)
                else:
                    ws.write(r, c, cell)
    wb.save(str(path))


def write_ods(path: Path, sheets: list[Sheet]) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    for sh in sheets:
        table = Table(name=sh.name)
        spans = {(r0, c0): (r1 - r0 + 1, c1 - c0 + 1) for r0, c0, r1, c1 in sh.merges}
        covered = {(r, c) for r0, c0, r1, c1 in sh.merges for r in range(r0, r1 + 1)
                   for c in range(c0, c1 + 1)} - set(spans)
        for r, row in enumerate(sh.rows):
            tr = TableRow()
            for c, cell in enumerate(row or [""]):
                if (r, c) in covered:
                    tr.addElement(CoveredTableCell())
                    continue
                kw = {}
                if (r, c) in spans:
                    kw = {"numberrowsspanned": spans[(r, c)][0], "numbercolumnsspanned": spans[(r, c)][1]}
                if isinstance(cell, (int, float)) and not isinstance(cell, bool):
                    tc = TableCell(valuetype="float", value=cell, **kw)
                    tc.addElement(P(text=str(cell)))
                elif cell in (None, ""):
                    tc = TableCell(**kw)
                else:
                    tc = TableCell(valuetype="string", **kw)
                    tc.addElement(P(text=_text(cell)))
                tr.addElement(tc)
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    doc.save(str(path))
    _restamp(path)


def _restamp(path: Path) -> None:
    """odfpy stamps zip entries with the current time; a fixed stamp keeps reruns byte-identical."""
    import zipfile

    with zipfile.ZipFile(path) as z:
        entries = [(info, z.read(info)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w") as z:
        for info, data in entries:  # same order and compression: mimetype stays first and stored
            fixed = zipfile.ZipInfo(info.filename, (2024, 9, 30, 0, 0, 0))
            fixed.compress_type = info.compress_type
            fixed.external_attr = info.external_attr
            z.writestr(fixed, data)


def write_parquet(path: Path, columns: dict[str, list], types: dict[str, str]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrow = {"str": pa.string(), "int": pa.int32(), "int64": pa.int64(), "bool": pa.bool_()}
    table = pa.table({k: pa.array(v, type=arrow[types[k]]) for k, v in columns.items()})
    pq.write_table(table, str(path))
