"""Reports for planners, from the marts: an XLSX workbook in Thai and a self-contained HTML page.

Both are deterministic (same marts and run, same bytes) and carry only what the marts carry: pseudonymous keys,
never an ID or a name. The workbook is flows/report_xlsx.py; the page, with its embedded Thai font and inline SVG
charts, is flows/report_html.py; which run they describe is flows/report_run.py.
"""

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb

from flows.report_html import html_report as _html_report
from flows.report_run import report_run
from flows.report_xlsx import write_xlsx as _write_xlsx
from flows.timing import timed
from schemas.marts import MART_TITLES_TH, MARTS

__all__ = ["HTML_NAME", "XLSX_NAME", "html_report", "mart_sheet_names", "write_html", "write_reports", "write_xlsx"]

XLSX_NAME = "saphan_report.xlsx"
HTML_NAME = "saphan_report.html"


def _require_marts(con: duckdb.DuckDBPyConnection) -> None:
    present = {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
    missing = [c.table for c in MARTS if c.table not in present]
    if missing:
        raise ValueError(f"warehouse has no mart(s) {', '.join(missing)}: build them first (needs a pseudonym key)")


@timed("xlsx")
def write_xlsx(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """The workbook: index (สารบัญ), marts with totals first, Thai column dictionary, outreach sheets by district."""
    _require_marts(con)
    _write_xlsx(con, path)


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
    the warehouse file, and otherwise says the run id and time are unknown.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    write_xlsx(con, out / XLSX_NAME)
    write_html(con, out / HTML_NAME, manifest)
    return [{"path": XLSX_NAME, "rows": None}, {"path": HTML_NAME, "rows": None}]


def mart_sheet_names() -> dict[str, str]:
    """Mart table -> its sheet name in the workbook."""
    return {c.table: MART_TITLES_TH[c.table] for c in MARTS}
