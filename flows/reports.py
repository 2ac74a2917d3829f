"""Reports for planners, from the marts: an XLSX workbook in Thai and a self-contained HTML page.

Both are deterministic (same marts and run, same bytes) and carry only what the marts carry: pseudonymous keys,
never an ID or a name. The workbook is flows/report_xlsx.py; the page, with its embedded Thai font and inline SVG
charts, is flows/report_html.py; which run they describe is flows/report_run.py.
"""

import contextvars
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import duckdb

from flows.report_html import html_report as _html_report
from flows.report_run import report_run
from flows.report_xlsx import workbook_parts, zip_parts
from flows.timing import timed
from flows.xlsx_package import PartsWorkbook
from schemas.marts import MART_TITLES_TH, MARTS

__all__ = ["HTML_NAME", "XLSX_NAME", "html_report", "mart_sheet_names", "write_html", "write_reports", "write_xlsx",
           "zips_in_background"]

XLSX_NAME = "saphan_report.xlsx"
HTML_NAME = "saphan_report.html"


def _require_marts(con: duckdb.DuckDBPyConnection) -> None:
    present = {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
    missing = [c.table for c in MARTS if c.table not in present]
    if missing:
        raise ValueError(f"warehouse has no mart(s) {', '.join(missing)}: build them first (needs a pseudonym key)")


@timed("xlsx")
def _xlsx_parts(con: duckdb.DuckDBPyConnection, path: Path) -> PartsWorkbook:
    _require_marts(con)
    return workbook_parts(con, path)


# In a run the zip overlaps the steps after the reports (html, fix lists): its wall seconds are its own, its CPU
# seconds the whole process's meanwhile (flows/timing.py), and "xlsx" is the workbook's parts without its zip.
@timed("xlsx_zip")
def _xlsx_zip(book: PartsWorkbook) -> None:
    zip_parts(book)


def write_xlsx(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """The workbook: index (สารบัญ), marts with totals first, Thai column dictionary, outreach sheets by district."""
    _xlsx_zip(_xlsx_parts(con, path))


class _Zipping:
    """The workbook's zip written by a thread (zlib works without Python's lock) while the caller goes on;
    ``join()`` waits for it and raises what it raised."""

    def __init__(self, book: PartsWorkbook) -> None:
        self.error: BaseException | None = None
        context = contextvars.copy_context()  # its timing step nests where it was started

        def run() -> None:
            try:
                context.run(_xlsx_zip, book)
            except BaseException as e:  # noqa: BLE001 - handed to join()
                self.error = e

        self.thread = threading.Thread(target=run, name="saphan-xlsx-zip", daemon=True)
        self.thread.start()

    def join(self) -> None:
        self.thread.join()
        if self.error is not None:
            raise self.error


_background: ContextVar["list[_Zipping] | None"] = ContextVar("saphan_reports_background", default=None)


@contextmanager
def zips_in_background() -> Iterator[None]:
    """Inside the block, write_reports leaves the workbook's zip to its thread and returns; the block's end waits
    for it (and raises its error). The publish step writes its other outputs meanwhile: the fix lists are Python,
    the zip is zlib, and the two share two cores instead of taking turns."""
    pending: list[_Zipping] = []
    token = _background.set(pending)
    try:
        yield
    except BaseException:
        for zipping in pending:
            zipping.thread.join()  # the block's own error is the one to see
        raise
    finally:
        _background.reset(token)
    for zipping in pending:
        zipping.join()


def html_report(con: duckdb.DuckDBPyConnection, manifest: Mapping[str, Any] | None = None) -> str:
    """The HTML report as text, for the run in `manifest` (else the manifest.json beside the warehouse)."""
    _require_marts(con)
    return _html_report(con, report_run(con, manifest))


@timed("html")
def write_html(con: duckdb.DuckDBPyConnection, path: Path, manifest: Mapping[str, Any] | None = None) -> None:
    Path(path).write_text(html_report(con, manifest), encoding="utf-8")


def write_reports(con: duckdb.DuckDBPyConnection, out_dir: Path,
                  manifest: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """Write the XLSX workbook and the HTML report into out_dir; return output entries (path, rows).

    `manifest` is the run's (run_id, started_at, inputs); without it the report looks for manifest.json beside
    the warehouse file, and otherwise says the run id and time are unknown. Inside ``zips_in_background()`` the
    workbook may still be being written when this returns.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    zipping = _Zipping(_xlsx_parts(con, out / XLSX_NAME))
    try:
        write_html(con, out / HTML_NAME, manifest)  # beside the workbook's zip
    except BaseException:
        zipping.thread.join()  # no thread left writing into a folder about to be removed
        raise
    pending = _background.get()
    if pending is None:
        zipping.join()
    else:
        pending.append(zipping)  # zips_in_background's end waits for it
    return [{"path": XLSX_NAME, "rows": None}, {"path": HTML_NAME, "rows": None}]


def mart_sheet_names() -> dict[str, str]:
    """Mart table -> its sheet name in the workbook."""
    return {c.table: MART_TITLES_TH[c.table] for c in MARTS}
