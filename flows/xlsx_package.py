"""An xlsxwriter workbook whose zip is written apart from its XML, so the zip can go on in a thread.

xlsxwriter's ``close()`` makes every part of the workbook as an XML file, then deflates them one after the other
into the zip (at province scale ~440 MB of sheet rows: the biggest single piece of the publish step). The parts
are made here as xlsxwriter makes them, in the caller's thread; :func:`zip_parts` writes the zip exactly as
``close()`` would (the same members, names, times, modes, level-6 deflate), so the bytes are the same unless the
workbook asks for another deflate level (``zip_level``: the same members, other compressed bytes):

- each member is read in 4 MB pieces instead of zipfile's 8 KB: zlib and crc32 let go of Python's lock for each
  piece, and with 8 KB pieces a thread doing them waited on the lock ~150,000 times (why a thread gave nothing
  when the whole workbook was written in one). Deflate's output does not depend on how its input is cut;
- a constant_memory sheet's rows stay in their own file (:class:`ByteSheet`): the member is read as the sheet
  file up to where the rows go, the rows file, then the rest, instead of ~440 MB copied into the sheet file first.

A constant_memory sheet writes every string inline; a :class:`ByteSheet` writes the strings of its
``shared_columns`` (from ``shared_from_row`` down) that ``shared_index`` (string -> index in the workbook's
shared-string table) holds as references to the table instead, as xlsxwriter's own shared strings are written (the
caller fills the table: see flows/report_xlsx.py).
"""

import os
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

import xlsxwriter
from xlsxwriter.packager import Packager
from xlsxwriter.utility import xl_rowcol_to_cell_fast
from xlsxwriter.worksheet import Worksheet

__all__ = ["ByteSheet", "PartsWorkbook", "zip_parts"]

_PIECE = 4 << 20
# xlsxwriter's own member time (workbook._store_workbook): 31/1/1980, set on each part file before it is zipped
_PART_TIME = time.mktime((1980, 1, 31, 0, 0, 0, 0, 0, -1))


class ByteSheet(Worksheet):
    """A constant_memory worksheet whose row data is not copied into its XML file: where it goes is noted (the
    XML file, the byte offset, the rows file) and :func:`zip_parts` reads the rows file there."""

    splice: tuple[str, int, str] | None = None
    shared_columns: frozenset[int] = frozenset()
    shared_from_row = 0
    # Its own mapping, not the workbook's str_table.string_table: close() empties that (into a list) before the
    # sheet's last row is written.
    shared_index: Mapping[str, int] = {}

    def _write_cell(self, row: int, col: int, cell: Any) -> None:
        # A string the shared-string table holds, in a shared column: <c r= s= t="s"><v>index</v></c>, the cell
        # xlsxwriter writes when not in constant_memory mode (these sheets set no row or column formats, so the
        # cell's own format is its only style).
        if col in self.shared_columns and row >= self.shared_from_row and type(cell).__name__ == "String":
            index = self.shared_index.get(cell.string)
            if index is not None:
                attributes: list[tuple[str, Any]] = [("r", xl_rowcol_to_cell_fast(row, col))]
                if cell.format:
                    attributes.append(("s", cell.format._get_xf_index()))
                self._xml_string_element(index, attributes)
                return
        super()._write_cell(row, col, cell)

    def _write_optimized_sheet_data(self) -> None:
        if self.dim_rowmin is None or not hasattr(self.fh, "buffer"):
            super()._write_optimized_sheet_data()
            return
        self._xml_start_tag("sheetData")
        self.row_data_fh.flush()
        self.row_data_fh.close()
        self.fh.flush()  # what the text layer holds goes first: the offset is in bytes
        self.splice = (self.fh.name, self.fh.buffer.tell(), self.row_data_filename)
        self._xml_end_tag("sheetData")


class _PartsPackager(Packager):
    def _create_package(self) -> list[tuple[str, str, bool]]:
        self.workbook.parts = super()._create_package()
        return []  # xlsxwriter's close() zips nothing: zip_parts writes the zip


class PartsWorkbook(xlsxwriter.Workbook):
    """``close()`` makes the parts (``parts``: temporary file, member name, binary) and an empty zip at the
    workbook's path; :func:`zip_parts` then writes the workbook there."""

    parts: Sequence[tuple[str, str, bool]] = ()
    zip_level = 6  # zlib's default, as xlsxwriter's close() deflates

    def _get_packager(self) -> Packager:
        return _PartsPackager()


def _pieces(part: str, splices: dict[str, tuple[int, str]]) -> list[tuple[str, int, int | None]]:
    """The (file, start, end) byte ranges a member is read from."""
    if part not in splices:
        return [(part, 0, None)]
    offset, rows = splices[part]
    return [(part, 0, offset), (rows, 0, None), (part, offset, None)]


def zip_parts(book: PartsWorkbook) -> None:
    """Write the closed `book`'s zip at its path from its parts, as xlsxwriter's close() would; remove the parts."""
    sheets = [ws for ws in book.worksheets() if isinstance(ws, ByteSheet) and ws.splice is not None]
    splices = {ws.splice[0]: ws.splice[1:] for ws in sheets if ws.splice is not None}
    try:
        with ZipFile(book.filename, "w", compression=ZIP_DEFLATED, allowZip64=book.allow_zip64) as zf:
            for part, name, _ in book.parts:
                os.utime(part, (_PART_TIME, _PART_TIME))
                info = ZipInfo.from_file(part, name)
                info.compress_type = zf.compression
                # the level ZipFile.open(info, "w") deflates at (3.11's private name; 3.13 adds compress_level)
                info._compresslevel = book.zip_level  # type: ignore[attr-defined]
                pieces = _pieces(part, splices)
                info.file_size = sum(os.path.getsize(f) if end is None else end - start for f, start, end in pieces)
                with zf.open(info, "w") as dest:
                    for file, start, end in pieces:
                        with open(file, "rb") as src:
                            src.seek(start)
                            left = None if end is None else end - start
                            while left is None or left > 0:
                                data = src.read(_PIECE if left is None else min(_PIECE, left))
                                if not data:
                                    break
                                dest.write(data)
                                left = None if left is None else left - len(data)
    finally:
        for path in [p for p, _, _ in book.parts] + [rows for _, rows in splices.values()]:
            Path(path).unlink(missing_ok=True)
