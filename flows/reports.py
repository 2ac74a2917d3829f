"""Reports for planners, from the marts: an XLSX workbook with Thai headers and a self-contained HTML page.

Both are deterministic (same marts, same bytes) and carry only what the marts carry: pseudonymous keys, never an ID
or a name. The HTML has its charts as inline SVG and a Content-Security-Policy that forbids every network request,
so it opens offline and leaks nothing when opened. Text cells are spreadsheet-safe (transforms/spreadsheet.py).
"""

import datetime as dt
import html
import re
from pathlib import Path
from typing import Any

import duckdb
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from schemas.marts import DIMENSIONS, MART_TITLES_TH, MARTS, POOR_NOT_IN_FUND, THAI_HEADERS
from transforms.marts_sql import order_by_sql
from transforms.spreadsheet import neutralised

__all__ = ["HTML_NAME", "XLSX_NAME", "write_html", "write_reports", "write_xlsx"]

XLSX_NAME = "saphan_report.xlsx"
HTML_NAME = "saphan_report.html"
FIXED_DATE = dt.datetime(2024, 1, 1)  # workbook metadata date: fixed, so the bytes do not depend on the clock
EXCEL_MAX_ROWS = 1_048_575  # one header row
# A person-level mart of a province has hundreds of thousands of rows: written cell by cell they cost minutes and
# make a workbook nobody scrolls. Such sheets show their first rows and say where the whole table is; the outreach
# sheets, one per subdistrict, stay complete.
PERSON_SHEET_MAX_ROWS = 50_000
PERSON_MARTS = ("member_poverty", "poor_not_in_fund")
OUTREACH_COLUMNS = ("village_no", "house_code", "person_key", *(f"dim_{d}" for d in DIMENSIONS),
                    "poor_dimensions", "welfare_card", "target_poor", "funds")


def _fetch(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    cur = con.execute(sql)
    return [d[0] for d in cur.description or []], cur.fetchall()


def _require_marts(con: duckdb.DuckDBPyConnection) -> None:
    present = {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
    missing = [c.table for c in MARTS if c.table not in present]
    if missing:
        raise ValueError(f"warehouse has no mart(s) {', '.join(missing)}: build them first (needs a pseudonym key)")


# --- XLSX -------------------------------------------------------------------------------------------------------


def _write_cell(ws: Worksheet, row: int, col: int, value: Any, fmt: Any = None) -> None:
    if value is None:
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, int | float):
        ws.write_number(row, col, value, fmt)
    else:  # write_string: never a formula or a URL, whatever the text
        ws.write_string(row, col, str(neutralised(str(value))), fmt)


def _write_sheet(wb: xlsxwriter.Workbook, name: str, names: list[str], rows: list[tuple[Any, ...]],
                 title: str | None = None) -> None:
    ws = wb.add_worksheet(name)
    header = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "text_wrap": True, "valign": "top"})
    percent = wb.add_format({"num_format": "0.0%"})
    top = 0
    if title:
        ws.write_string(0, 0, str(neutralised(title)), wb.add_format({"bold": True, "font_size": 13}))
        top = 1
    for col, n in enumerate(names):
        ws.write_string(top, col, THAI_HEADERS.get(n, n), header)
        ws.set_column(col, col, max(10, min(40, len(THAI_HEADERS.get(n, n)) + 2)))
    rate = [n.startswith("coverage") or n.endswith("coverage_rate") for n in names]
    shown = rows[:EXCEL_MAX_ROWS - top]
    for r, values in enumerate(shown, start=top + 1):
        for col, v in enumerate(values):
            _write_cell(ws, r, col, v, percent if rate[col] else None)
    ws.freeze_panes(top + 1, 0)
    if names:
        ws.autofilter(top, 0, top + max(len(shown), 1), len(names) - 1)


def _sheet_name(text: str, used: set[str]) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    base = re.sub(r"[\[\]:*?/\\]", " ", text).strip()[:31] or "sheet"
    name, n = base, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


def write_xlsx(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """One sheet per mart, a sheet of column descriptions, and one outreach sheet per subdistrict."""
    _require_marts(con)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                         "strings_to_urls": False, "strings_to_numbers": False})
    wb.set_properties({"title": "saphan: กองทุนสวัสดิการชุมชนกับข้อมูลความยากจน", "created": FIXED_DATE})
    used: set[str] = set()
    for contract in MARTS:
        query = f"select * from {contract.table} order by {order_by_sql(contract)}"
        title = None
        if contract.table in PERSON_MARTS:
            total = con.execute(f"select count(*) from {contract.table}").fetchall()[0][0]
            if total > PERSON_SHEET_MAX_ROWS:
                query += f" limit {PERSON_SHEET_MAX_ROWS}"
                title = (f"{PERSON_SHEET_MAX_ROWS:,} แถวแรกจาก {total:,} แถว (first {PERSON_SHEET_MAX_ROWS:,} of "
                         f"{total:,} rows): the whole table is marts/{contract.table}/ (Parquet) and the warehouse")
        names, rows = _fetch(con, query)
        _write_sheet(wb, _sheet_name(MART_TITLES_TH[contract.table], used), names, rows, title)
    about = [(MART_TITLES_TH[c.table], c.table, THAI_HEADERS.get(col.name, col.name), col.name, col.description)
             for c in MARTS for col in c.columns]
    _write_sheet(wb, _sheet_name("คำอธิบายคอลัมน์", used), ["sheet", "table", "header", "column", "description"],
                 about)
    for (sub, sub_name, dist_name, prov_name), rows in _outreach_by_subdistrict(con).items():
        place = " ".join(p for p in (f"ต.{sub_name}" if sub_name else "", f"อ.{dist_name}" if dist_name else "",
                                     f"จ.{prov_name}" if prov_name else "") if p)
        title = f"คนจนที่ยังไม่เป็นสมาชิกกองทุน ตำบลรหัส {sub} {place} ({len(rows)} คน)"
        _write_sheet(wb, _sheet_name(f"{sub} {sub_name or ''}", used), list(OUTREACH_COLUMNS), rows, title)
    wb.close()


def _outreach_by_subdistrict(
    con: duckdb.DuckDBPyConnection,
) -> dict[tuple[str, str | None, str | None, str | None], list[tuple[Any, ...]]]:
    cols = ", ".join(OUTREACH_COLUMNS)
    _, rows = _fetch(
        con,
        f"select subdistrict_code, subdistrict_name, district_name, province_name, {cols} from poor_not_in_fund "
        f"order by subdistrict_code, {order_by_sql(POOR_NOT_IN_FUND)}",
    )
    grouped: dict[tuple[str, str | None, str | None, str | None], list[tuple[Any, ...]]] = {}
    for r in rows:
        grouped.setdefault((r[0], r[1], r[2], r[3]), []).append(r[4:])
    return grouped


# --- HTML -------------------------------------------------------------------------------------------------------

_CSS = """
body{font-family:"Noto Sans Thai","Sarabun","Tahoma",sans-serif;margin:2em;color:#222;max-width:1100px}
h1{font-size:1.5em} h2{font-size:1.2em;margin-top:2em} table{border-collapse:collapse;font-size:.85em}
td,th{border:1px solid #ccc;padding:2px 6px;text-align:right} th{background:#ddebf7} td.t{text-align:left}
.kpi{display:inline-block;margin:0 2em 1em 0} .kpi b{display:block;font-size:1.6em}
svg text{font-size:12px;font-family:inherit} .note{color:#555;font-size:.85em}
"""


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{x * 100:.1f}%"


def _bar_chart(chart_id: str, title: str, bars: list[tuple[str, int, int]]) -> str:
    """Horizontal bars: label, part, whole; the bar's length is part/whole, the light track is the whole."""
    label_w, bar_w, row_h, top = 330, 480, 22, 28
    height = top + row_h * max(len(bars), 1) + 10
    out = [f'<svg id="{chart_id}" class="chart" xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + 140}" '
           f'height="{height}" role="img" aria-label="{html.escape(title)}">',
           f'<text x="0" y="16" font-weight="bold">{html.escape(title)}</text>']
    for i, (label, part, whole) in enumerate(bars):
        y = top + i * row_h
        rate = part / whole if whole else 0.0
        w = round(bar_w * rate, 1)
        tip = html.escape(f"{label}: {part}/{whole} ({_pct(part / whole if whole else None)})")
        out += [
            f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{html.escape(label)}</text>',
            f'<rect class="track" x="{label_w}" y="{y + 3}" width="{bar_w}" height="{row_h - 6}" fill="#e8eef5"/>',
            f'<rect class="bar" x="{label_w}" y="{y + 3}" width="{w}" height="{row_h - 6}" fill="#2e75b6" '
            f'data-part="{part}" data-whole="{whole}"><title>{tip}</title></rect>',
            f'<text x="{label_w + bar_w + 6}" y="{y + 14}">{_pct(part / whole if whole else None)} '
            f"({part}/{whole})</text>",
        ]
    out.append("</svg>")
    return "\n".join(out)


def _html_table(names: list[str], rows: list[tuple[Any, ...]]) -> str:
    head = "".join(f"<th>{html.escape(THAI_HEADERS.get(n, n))}</th>" for n in names)
    body = []
    for r in rows:
        cells = []
        for n, v in zip(names, r, strict=True):
            if isinstance(v, float) and ("coverage" in n):
                cells.append(f"<td>{_pct(v)}</td>")
            elif isinstance(v, bool):
                cells.append(f"<td>{'ใช่' if v else 'ไม่ใช่'}</td>")
            elif isinstance(v, int | float):
                cells.append(f"<td>{v}</td>")
            else:
                cells.append(f'<td class="t">{html.escape("" if v is None else str(v))}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def html_report(con: duckdb.DuckDBPyConnection) -> str:
    """The report page as text: key figures, coverage charts by subdistrict and by dimension, fund table."""
    _require_marts(con)
    dims = ", ".join(f"sum(poor_{d}), sum(members_{d})" for d in DIMENSIONS)
    total = con.execute(
        "select coalesce(sum(poor_people), 0), coalesce(sum(poor_members), 0), coalesce(sum(target_poor_people), 0), "
        f"coalesce(sum(target_poor_members), 0), {dims} from coverage where level = 'province'"
    ).fetchone() or ()
    poor, members, target, target_members = (int(v or 0) for v in total[:4])
    outreach_row = con.execute("select count(*) from poor_not_in_fund").fetchone()
    funds_row = con.execute("select count(*), coalesce(sum(members), 0) from fund_summary").fetchone()
    outreach = int(outreach_row[0]) if outreach_row else 0
    n_funds, n_members = (int(v) for v in funds_row) if funds_row else (0, 0)
    by_dimension = [("คนจนเป้าหมาย", target_members, target)] + [
        (f"ด้าน{th}", int(total[5 + 2 * i] or 0), int(total[4 + 2 * i] or 0)) for i, th in enumerate(DIMENSIONS.values())
    ]
    _, subs = _fetch(
        con,
        "select subdistrict_code, subdistrict_name, district_name, poor_members, poor_people, has_fund "
        "from coverage where level = 'subdistrict' order by subdistrict_code nulls last",
    )
    by_subdistrict = [
        (f"{s[1] or '?'} อ.{s[2] or '?'} ({s[0] or '?'}){'' if s[5] else ' ไม่มีกองทุน'}", int(s[3]), int(s[4]))
        for s in subs
    ]
    fund_cols = ["fund", "subdistrict_code", "members", "linked", "unlinked", "duplicates", "poor_members",
                 "target_poor_members", *(f"poor_{d}" for d in DIMENSIONS)]
    _, funds = _fetch(con, f"select {', '.join(fund_cols)} from fund_summary order by fund")
    cov_cols = ["subdistrict_code", "subdistrict_name", "district_name", "has_fund", "poor_people", "poor_members",
                "coverage_rate", "target_coverage_rate", *(f"coverage_{d}" for d in DIMENSIONS)]
    _, coverage = _fetch(con, f"select {', '.join(cov_cols)} from coverage where level = 'subdistrict' "
                              "order by subdistrict_code nulls last")
    kpis = [("คนจน (คน)", f"{poor:,}"), ("คนจนที่เป็นสมาชิกกองทุน", f"{members:,}"),
            ("สัดส่วนที่ครอบคลุม", _pct(members / poor if poor else None)),
            ("คนจนเป้าหมายที่ครอบคลุม", _pct(target_members / target if target else None)),
            ("คนจนที่ยังไม่เป็นสมาชิก (ในตำบลที่มีกองทุน)", f"{outreach:,}"),
            ("กองทุน / สมาชิก", f"{n_funds:,} / {n_members:,}")]
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="th"><head><meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>saphan: ความครอบคลุมของกองทุนสวัสดิการชุมชนต่อคนจน</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>กองทุนสวัสดิการชุมชนกับคนจน (TPMAP): ความครอบคลุม</h1>",
        '<p class="note">ข้อมูลในรายงานนี้ใช้รหัสแทนตัวบุคคลเท่านั้น ไม่มีเลขประจำตัวประชาชนหรือชื่อ '
        "(Pseudonymous: no citizen ID or name).</p>",
        '<div id="kpis">' + "".join(f'<div class="kpi"><b>{html.escape(v)}</b>{html.escape(k)}</div>'
                                    for k, v in kpis) + "</div>",
        "<h2>ความครอบคลุมรายมิติ (coverage by dimension)</h2>",
        _bar_chart("chart-dimension", "คนจนที่เป็นสมาชิก / คนจน รายมิติ", by_dimension),
        "<h2>ความครอบคลุมรายตำบล (coverage by subdistrict)</h2>",
        _bar_chart("chart-subdistrict", "คนจนที่เป็นสมาชิก / คนจน รายตำบล", by_subdistrict),
        "<h2>สรุปรายกองทุน (funds)</h2>",
        _html_table(fund_cols, funds),
        "<h2>ความครอบคลุมรายตำบล (table)</h2>",
        _html_table(cov_cols, coverage),
        "</body></html>",
    ]) + "\n"


def write_html(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    Path(path).write_text(html_report(con), encoding="utf-8")


def write_reports(con: duckdb.DuckDBPyConnection, out_dir: Path) -> list[dict[str, Any]]:
    """Write the XLSX workbook and the HTML report into out_dir; return output entries (path, rows)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    write_xlsx(con, out / XLSX_NAME)
    write_html(con, out / HTML_NAME)
    return [{"path": XLSX_NAME, "rows": None}, {"path": HTML_NAME, "rows": None}]


def mart_sheet_names() -> dict[str, str]:
    """Mart table -> its sheet name in the workbook."""
    return {c.table: MART_TITLES_TH[c.table] for c in MARTS}
