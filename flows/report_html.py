"""The HTML report: one self-contained page a planner opens anywhere, Thai font included.

It says which run it comes from (id, time in Asia/Bangkok, input files and rows) and what its words mean, then
shows coverage by dimension, by subdistrict grouped by district (funded subdistricts as bars, lowest coverage
first; unfunded ones summarised per district), the worst-covered villages and the funds. Charts are inline SVG;
the Content-Security-Policy forbids every network request and every script; the font is a data URI
(flows/report_font.py). Only pseudonymous marts are read: no ID or name can reach the page.
"""

import html
from typing import Any

import duckdb

from flows.report_font import FONT_FAMILY, FONT_LICENSE, font_face_css
from flows.report_run import DATASET_TH, ReportRun, thai_datetime
from schemas.marts import DIMENSIONS, THAI_HEADERS
from transforms.report_sql import subdistrict_chart_sql, worst_villages_sql

__all__ = ["WORST_VILLAGES", "html_report"]

WORST_VILLAGES = 20  # rows of the worst-covered villages table
TITLE = "saphan: ความครอบคลุมของกองทุนสวัสดิการชุมชนต่อคนจน"
_MODEL_STATUS_TH = {"trained": "ฝึกจากข้อมูลรอบนี้ (trained)", "reused": "ใช้แบบจำลองที่บันทึกไว้ (reused)"}
_HEADERS = THAI_HEADERS | {"not_reached": "คนจนที่ยังไม่เป็นสมาชิก"}
_CSP = "default-src 'none'; style-src 'unsafe-inline'; font-src data:"
_CSS = f"""
body{{font-family:"{FONT_FAMILY}",sans-serif;margin:2em;color:#222;max-width:1100px}}
h1{{font-size:1.5em}} h2{{font-size:1.2em;margin-top:2em}} table{{border-collapse:collapse;font-size:.85em}}
td,th{{border:1px solid #ccc;padding:2px 6px;text-align:right}} th{{background:#ddebf7}} td.t{{text-align:left}}
.kpi{{display:inline-block;margin:0 2em 1em 0}} .kpi b{{display:block;font-size:1.6em}}
svg text{{font-size:12px;font-family:inherit}} .note{{color:#555;font-size:.85em}} dt{{font-weight:bold}}
"""
DEFINITIONS = (
    ("จนในมิติใดมิติหนึ่ง (poor in a dimension)",
     "ครัวเรือน (รหัสประจำบ้านเดียวกัน) ถูกระบุว่าจนในมิตินั้นในข้อมูลความยากจน ทุกคนในครัวเรือนนับว่าจนในมิตินั้น "
     "มี 5 มิติ: " + " ".join(DIMENSIONS.values())),
    ("คนจนเป้าหมาย (target poor)", "จนอย่างน้อยหนึ่งมิติ และถือบัตรสวัสดิการแห่งรัฐ"),
    ("สมาชิก (member)", "คนที่เชื่อมโยงได้กับแถวในทะเบียนสมาชิกกองทุนที่ผ่านการตรวจ แต่ละคนนับครั้งเดียว "
     "(ตามรหัสแทนตัวบุคคล) แม้จะมีชื่อซ้ำหลายแถว"),
    ("ความครอบคลุม (coverage)", "คนจนที่เป็นสมาชิก หารด้วยคนจนทั้งหมดในพื้นที่ ตำบลที่ \"มีกองทุน\" "
     "คือตำบลที่มีสมาชิกกองทุนอาศัยอยู่"),
)


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{x * 100:.1f}%"


def _fetch(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    cur = con.execute(sql)
    return [d[0] for d in cur.description or []], cur.fetchall()


def _bar(label: str, part: int, whole: int, y: int, code: str = "") -> list[str]:
    label_w, bar_w, row_h = 330, 480, 22
    rate = part / whole if whole else None
    tip = html.escape(f"{label}: {part}/{whole} ({_pct(rate)})")
    data_code = f' data-code="{html.escape(code)}"' if code else ""
    return [
        f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{html.escape(label)}</text>',
        f'<rect class="track" x="{label_w}" y="{y + 3}" width="{bar_w}" height="{row_h - 6}" fill="#e8eef5"/>',
        f'<rect class="bar" x="{label_w}" y="{y + 3}" width="{round(bar_w * (rate or 0.0), 1)}" height="{row_h - 6}"'
        f' fill="#2e75b6" data-part="{part}" data-whole="{whole}"{data_code}><title>{tip}</title></rect>',
        f'<text x="{label_w + bar_w + 6}" y="{y + 14}">{_pct(rate)} ({part}/{whole})</text>',
    ]


def _svg(chart_id: str, title: str, lines: list[str], rows: int) -> str:
    height = 28 + 22 * max(rows, 1) + 10
    return "\n".join([
        f'<svg id="{chart_id}" class="chart" xmlns="http://www.w3.org/2000/svg" width="950" height="{height}" '
        f'role="img" aria-label="{html.escape(title)}">',
        f'<text x="0" y="16" font-weight="bold">{html.escape(title)}</text>', *lines, "</svg>"])


def _bar_chart(chart_id: str, title: str, bars: list[tuple[str, int, int]]) -> str:
    """Horizontal bars: label, part, whole; the bar's length is part/whole, the light track is the whole."""
    lines = [line for i, (label, part, whole) in enumerate(bars) for line in _bar(label, part, whole, 28 + 22 * i)]
    return _svg(chart_id, title, lines, len(bars))


def _subdistrict_chart(con: duckdb.DuckDBPyConnection) -> tuple[str, str]:
    """The subdistricts by district: a heading per district, its funded subdistricts as bars (lowest coverage
    first), its unfunded ones summarised in the heading; and the province-wide summary of the unfunded."""
    _, rows = _fetch(con, subdistrict_chart_sql())
    lines: list[str] = []
    y, n_rows, district = 28, 0, None
    for (dist, dist_name, sub, sub_name, funded, poor, members, _rate, unfunded, unfunded_poor) in rows:
        if dist != district:
            district = dist
            funded_n = sum(1 for r in rows if r[0] == dist and r[4])
            head = f"อ.{dist_name or '?'} ({dist or '?'}): ตำบลที่มีกองทุน {funded_n} ตำบล"
            if unfunded:
                head += f"; ไม่มีกองทุน {unfunded} ตำบล คนจน {unfunded_poor:,} คน"
            lines.append(f'<text class="district" x="0" y="{y + 14}" font-weight="bold" '
                         f'data-district="{html.escape(str(dist))}">{html.escape(head)}</text>')
            y, n_rows = y + 22, n_rows + 1
        if funded:
            lines += _bar(f"ต.{sub_name or '?'} ({sub})", int(members), int(poor), y, str(sub))
            y, n_rows = y + 22, n_rows + 1
    unfunded_subs = [r for r in rows if not r[4]]
    summary = (f"ตำบลที่ไม่มีกองทุน: {len(unfunded_subs)} ตำบล จาก {len(rows)} ตำบล คนจนในตำบลเหล่านี้ "
               f"{sum(int(r[5]) for r in unfunded_subs):,} คน (ยังไม่มีกองทุนให้ชักชวนเข้าร่วม)")
    chart = _svg("chart-subdistrict", "คนจนที่เป็นสมาชิก / คนจน รายตำบลที่มีกองทุน จัดกลุ่มตามอำเภอ "
                 "(ครอบคลุมน้อยที่สุดก่อน)", lines, n_rows)
    return chart, summary


def _html_table(names: list[str], rows: list[tuple[Any, ...]], table_id: str = "") -> str:
    head = "".join(f"<th>{html.escape(_HEADERS.get(n, n))}</th>" for n in names)
    body = []
    for r in rows:
        cells = []
        for n, v in zip(names, r, strict=True):
            if isinstance(v, float) and ("coverage" in n):
                cells.append(f"<td>{_pct(v)}</td>")
            elif isinstance(v, bool):
                cells.append(f"<td>{'ใช่' if v else 'ไม่ใช่'}</td>")
            elif isinstance(v, int | float):
                cells.append(f"<td>{v:,}</td>" if isinstance(v, int) else f"<td>{v}</td>")
            else:
                cells.append(f'<td class="t">{html.escape("" if v is None else str(v))}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    ident = f' id="{table_id}"' if table_id else ""
    return f"<table{ident}><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _run_section(run: ReportRun) -> list[str]:
    when = thai_datetime(run.started_at) if run.started_at else "ไม่ทราบ (ไม่พบบันทึกการประมวลผล manifest.json)"
    files = "".join(f'<tr><td class="t">{html.escape(DATASET_TH.get(d, d))}</td><td class="t">{html.escape(n)}</td>'
                    f"<td>{rows:,}</td></tr>" for d, n, rows in run.inputs)
    return [
        '<h2>ที่มาของรายงาน (this run)</h2><dl id="run">',
        f'<dt>รหัสการประมวลผล (run id)</dt><dd id="run-id">{html.escape(run.run_id or "ไม่ทราบ")}</dd>',
        f'<dt>วันเวลาที่ประมวลผล</dt><dd id="run-time">{html.escape(when)}</dd></dl>',
        '<table id="inputs"><thead><tr><th>ชนิดข้อมูล</th><th>ไฟล์</th><th>จำนวนแถวที่อ่าน</th></tr></thead>'
        f"<tbody>{files}</tbody></table>",
        '<h2>คำนิยาม (definitions)</h2><dl id="definitions">',
        *(f"<dt>{html.escape(term)}</dt><dd>{html.escape(text)}</dd>" for term, text in DEFINITIONS),
        "</dl>",
    ]


def _model_section(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The linkage model's match weights, one chart per link partition, when the warehouse holds models
    (int_link_model: partition, status, model_json, sha256) and flows/model_chart.py exists; else nothing."""
    tables = {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
    if "int_link_model" not in tables:
        return []
    try:
        from flows.model_chart import match_weights_svg  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return []
    models = con.execute("select partition, status, model_json from int_link_model "
                         "where model_json is not null order by partition").fetchall()
    if not models:
        return []
    out = ["<h2>น้ำหนักการจับคู่ของแบบจำลอง (linkage model: match weights)</h2>", '<div id="model-chart">']
    for partition, status, text in models:
        how = _MODEL_STATUS_TH.get(str(status), str(status))
        out += [f'<p class="note">ส่วน (partition) {html.escape(str(partition))}: {html.escape(how)}</p>',
                match_weights_svg(text)]  # our own SVG, from our own model JSON: inserted as markup
    return [*out, "</div>"]


def html_report(con: duckdb.DuckDBPyConnection, run: ReportRun) -> str:
    """The report page as text, its font cut to the characters it uses."""
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
    sub_chart, unfunded_summary = _subdistrict_chart(con)
    village_cols, villages = _fetch(con, worst_villages_sql(WORST_VILLAGES))
    fund_cols = ["fund", "subdistrict_code", "members", "linked", "unlinked", "duplicates", "poor_members",
                 "target_poor_members", *(f"poor_{d}" for d in DIMENSIONS)]
    _, funds = _fetch(con, f"select {', '.join(fund_cols)} from fund_summary order by fund")
    kpis = [("คนจน (คน)", f"{poor:,}"), ("คนจนที่เป็นสมาชิกกองทุน", f"{members:,}"),
            ("สัดส่วนที่ครอบคลุม", _pct(members / poor if poor else None)),
            ("คนจนเป้าหมายที่ครอบคลุม", _pct(target_members / target if target else None)),
            ("คนจนที่ยังไม่เป็นสมาชิก (ในตำบลที่มีกองทุน)", f"{outreach:,}"),
            ("กองทุน / สมาชิก", f"{n_funds:,} / {n_members:,}")]
    body = "\n".join([
        "<h1>กองทุนสวัสดิการชุมชนกับคนจน (TPMAP): ความครอบคลุม</h1>",
        '<p class="note">ข้อมูลในรายงานนี้ใช้รหัสแทนตัวบุคคลเท่านั้น ไม่มีเลขประจำตัวประชาชนหรือชื่อ '
        "(Pseudonymous: no citizen ID or name).</p>",
        *_run_section(run),
        '<h2>ภาพรวม</h2><div id="kpis">' + "".join(f'<div class="kpi"><b>{html.escape(v)}</b>{html.escape(k)}</div>'
                                                  for k, v in kpis) + "</div>",
        "<h2>ความครอบคลุมรายมิติ (coverage by dimension)</h2>",
        _bar_chart("chart-dimension", "คนจนที่เป็นสมาชิก / คนจน รายมิติ", by_dimension),
        "<h2>ความครอบคลุมรายตำบล จัดกลุ่มตามอำเภอ (coverage by subdistrict)</h2>",
        f'<p id="unfunded-summary">{html.escape(unfunded_summary)}</p>',
        sub_chart,
        f"<h2>หมู่บ้านที่ครอบคลุมน้อยที่สุด {WORST_VILLAGES} แห่ง (worst-covered villages, in funded subdistricts)</h2>",
        _html_table(village_cols, villages, "worst-villages"),
        "<h2>สรุปรายกองทุน (funds)</h2>",
        _html_table(fund_cols, funds, "funds"),
        *_model_section(con),
        f'<p class="note">แบบอักษร (font): {html.escape(FONT_LICENSE)}</p>',
    ])
    css = _CSS + font_face_css(html.unescape(body) + TITLE)
    return "\n".join([
        "<!DOCTYPE html>",
        f'<html lang="th"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(TITLE)}</title>",
        f"<style>{css}</style></head><body>",
        body,
        "</body></html>",
    ]) + "\n"
