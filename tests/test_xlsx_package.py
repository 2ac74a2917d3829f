"""flows/xlsx_package.py writes the zip xlsxwriter's own close() writes, byte for byte, and cleans up after itself."""

import datetime as dt
import hashlib
import shutil
import zipfile
from pathlib import Path

import pytest
import xlsxwriter

from flows import xlsx_package
from flows.xlsx_package import ByteSheet, PartsWorkbook, zip_parts

OPTIONS = {"constant_memory": True, "strings_to_formulas": False}


def _fill(wb: xlsxwriter.Workbook, sheet_class: type | None) -> None:
    bold = wb.add_format({"bold": True})
    for s in range(3):
        ws = wb.add_worksheet(f"ชีต {s}", worksheet_class=sheet_class)
        ws.write_string(0, 0, "หัวเรื่อง", bold)
        for r in range(1, 2000 * s + 1):  # the first sheet has one row only, the last a few hundred KB
            ws.write_string(r, 0, f"แถว {r} สมชาย ใจดี")
            ws.write_number(r, 1, r * 1.5)
        ws.repeat_rows(0)
    wb.add_worksheet("ว่าง", worksheet_class=sheet_class)  # no row at all: xlsxwriter's own way
    wb.set_properties({"title": "t", "created": dt.datetime(2024, 1, 1)})  # no clock in the bytes


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _ours(path: Path) -> PartsWorkbook:
    wb = PartsWorkbook(str(path), OPTIONS)
    _fill(wb, ByteSheet)
    wb.close()
    return wb


@pytest.mark.parametrize("piece", [4 << 20, 1000])  # one read per file, and pieces cutting rows and characters
def test_zip_parts_writes_what_xlsxwriter_writes(tmp_path, monkeypatch, piece):
    monkeypatch.setattr(xlsx_package, "_PIECE", piece)
    theirs = xlsxwriter.Workbook(str(tmp_path / "theirs.xlsx"), OPTIONS)
    _fill(theirs, None)
    theirs.close()
    wb = _ours(tmp_path / "ours.xlsx")
    assert [ws.splice is not None for ws in wb.worksheets()] == [True, True, True, False]
    zip_parts(wb)
    assert _sha(tmp_path / "ours.xlsx") == _sha(tmp_path / "theirs.xlsx")
    assert not [p for p, _, _ in wb.parts if Path(p).exists()]  # the parts and the rows files are removed
    assert not [ws.splice for ws in wb.worksheets() if ws.splice and Path(ws.splice[2]).exists()]


def test_a_failed_zip_still_removes_its_parts(tmp_path):
    (tmp_path / "gone").mkdir()
    wb = _ours(tmp_path / "gone" / "ours.xlsx")  # close() makes the parts
    shutil.rmtree(tmp_path / "gone")  # then the folder goes
    with pytest.raises(FileNotFoundError):
        zip_parts(wb)
    assert wb.parts and not [p for p, _, _ in wb.parts if Path(p).exists()]


def test_reports_in_background_are_the_same_files_and_their_zip_error_is_raised(tmp_path, monkeypatch):
    from report_cases import MANIFEST, case_warehouse

    from flows import reports

    with case_warehouse(tmp_path / "saphan.duckdb") as con:
        reports.write_reports(con, tmp_path / "waited", MANIFEST)
        with reports.zips_in_background():
            reports.write_reports(con, tmp_path / "background", MANIFEST)
        for name in (reports.XLSX_NAME, reports.HTML_NAME):
            assert _sha(tmp_path / "background" / name) == _sha(tmp_path / "waited" / name)

        def broken(book: PartsWorkbook) -> None:
            raise OSError("disk full")

        monkeypatch.setattr(reports, "zip_parts", broken)
        with pytest.raises(OSError, match="disk full"), reports.zips_in_background():
            reports.write_reports(con, tmp_path / "broken", MANIFEST)


def test_another_deflate_level_keeps_every_member(tmp_path):
    theirs = xlsxwriter.Workbook(str(tmp_path / "theirs.xlsx"), OPTIONS)
    _fill(theirs, None)
    theirs.close()
    wb = PartsWorkbook(str(tmp_path / "ours.xlsx"), OPTIONS)
    wb.zip_level = 1
    _fill(wb, ByteSheet)
    wb.close()
    zip_parts(wb)
    with zipfile.ZipFile(tmp_path / "theirs.xlsx") as a, zipfile.ZipFile(tmp_path / "ours.xlsx") as b:
        assert [(i.filename, i.date_time, i.external_attr) for i in a.infolist()] == [
            (i.filename, i.date_time, i.external_attr) for i in b.infolist()]
        assert all(a.read(n) == b.read(n) for n in a.namelist())
        assert sum(i.compress_size for i in b.infolist()) != sum(i.compress_size for i in a.infolist())
