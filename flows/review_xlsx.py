"""The review queue as a workbook a clerical reviewer fills in, and the decisions read back from it.

`export_queue` writes (xlsxwriter):

    อ่านก่อน            RESTRICTED: the file holds names and citizen IDs (PDPA); how to decide; how to import
    คู่ที่ต้องตรวจ        one row per pair of the `review` table: two hidden key columns (the pair's stable keys,
                       transforms/clerical_sql.py), the reason, both records side by side (title, names, sex, birth
                       year, the whole ID, house, village, subdistrict), what agreed and what did not, and a
                       decision column limited to ใช่ / ไม่ใช่ / ไม่แน่ใจ (a pair decided before shows its decision)

`read_workbook` finds the columns by their headers (a reviewer may add, hide or move columns and re-sort rows)
and returns the decisions by key pair; a blank decision is no decision. Names and IDs never reach a message:
problems are named by sheet line.
"""

import re
from pathlib import Path
from typing import Any

import duckdb
import xlsxwriter

from flows.review import ReviewError
from transforms.clerical_sql import DECISION_CODES, DECISION_LABELS, record_key_sql

README_SHEET = "อ่านก่อน"
QUEUE_SHEET = "คู่ที่ต้องตรวจ"
ROSTER_KEY, POVERTY_KEY = "roster_key", "poverty_key"
DECISION = "ผลการตรวจ (ใช่ / ไม่ใช่ / ไม่แน่ใจ)"
RESTRICTED = [
    "เอกสารลับ: มีชื่อ นามสกุล และเลขประจำตัวประชาชน (ข้อมูลส่วนบุคคลตาม พ.ร.บ.คุ้มครองข้อมูลส่วนบุคคล พ.ศ. 2562)",
    "ใช้เฉพาะผู้ตรวจที่ได้รับอนุญาต ห้ามส่งต่อ ห้ามเผยแพร่ ลบแฟ้มนี้เมื่อนำเข้าผลการตรวจแล้ว",
    "RESTRICTED: this file holds names and citizen IDs (PDPA). For authorised reviewers only: do not share it, "
    "and delete it once the decisions are imported.",
]
HOW_TO = [
    "วิธีตรวจ: ในแผ่นงาน 'คู่ที่ต้องตรวจ' แต่ละแถวคือสมาชิกกองทุน (ซ้าย) กับบุคคลในข้อมูลคนจน (ขวา) ที่อาจเป็นคนเดียวกัน",
    "เลือกในคอลัมน์ 'ผลการตรวจ': ใช่ = คนเดียวกัน (เชื่อมโยง), ไม่ใช่ = คนละคน (ไม่เชื่อมโยงอีก), "
    "ไม่แน่ใจ = ยังตัดสินไม่ได้ (คงอยู่ในคิว); เว้นว่าง = ยังไม่ได้ตรวจ",
    "ห้ามแก้สองคอลัมน์แรกที่ซ่อนไว้ (รหัสคู่): ใช้จับคู่ผลการตรวจกับระเบียน แม้แฟ้มจะถูกเรียงใหม่หรือส่งมาใหม่",
    "นำเข้าผลการตรวจ: saphan review import FILE.xlsx --out DIR  (การประมวลผลครั้งถัดไปจะใช้ผลการตรวจนี้)",
]
FIELDS_TH = {"cid": "เลขประจำตัว", "first_name": "ชื่อ", "last_name": "นามสกุล", "birth_year_be": "ปีเกิด",
             "sex": "เพศ", "subdistrict_code": "ตำบล", "village_no": "หมู่", "house_no": "บ้านเลขที่"}
REASONS_TH = {
    "between the review and link thresholds": "คะแนนอยู่ระหว่างเกณฑ์ตรวจกับเกณฑ์เชื่อมโยง",
    "ambiguous: another candidate scores about as well": "กำกวม: มีอีกคนที่เข้าเค้าพอ ๆ กัน",
    "unsure: a reviewer could not decide": "ผู้ตรวจยังไม่แน่ใจ (ตรวจครั้งก่อน)",
    "different valid IDs": "เลขประจำตัวถูกต้องทั้งสองฝั่งแต่ต่างกัน",
    "birth year outside the age range": "ปีเกิดไม่อยู่ในช่วงอายุ",
    "first names differ": "ชื่อต่างกัน",
    "moved: no birth year to confirm": "ต่างพื้นที่และไม่มีปีเกิดยืนยัน",
    "poverty person linked by ID to another roster row": "บุคคลนี้เชื่อมกับสมาชิกอีกแถวด้วยเลขประจำตัวแล้ว",
    "a reviewer was unsure": "ผู้ตรวจไม่แน่ใจ",
}
SIDE = (("title", "คำนำหน้า"), ("first_name", "ชื่อ"), ("last_name", "นามสกุล"), ("sex", "เพศ"),
        ("birth_year", "ปีเกิด (พ.ศ.)"), ("cid", "เลขประจำตัวประชาชน"), ("house_no", "บ้านเลขที่"),
        ("village_no", "หมู่"), ("subdistrict_code", "รหัสตำบล"))


def reason_th(reason: str) -> str:
    """A review reason in Thai, e.g. 'vetoed: birth years 25 apart' -> 'ขัดแย้ง: ปีเกิดห่างกัน 25 ปี'."""
    def one(part: str) -> str:
        if m := re.fullmatch(r"birth years (\d+) apart", part):
            return f"ปีเกิดห่างกัน {m.group(1)} ปี"
        if part.startswith("sex differs: "):
            return "เพศต่างกัน"
        return REASONS_TH.get(part, part)

    if reason.startswith("vetoed: "):
        return "ขัดแย้ง: " + "; ".join(one(p) for p in reason.removeprefix("vetoed: ").split("; "))
    return one(reason)


def _side_sql(side: str, alias: str) -> str:
    sex = f"case {alias}.sex when 'M' then 'ชาย' when 'F' then 'หญิง' end"
    year = (f"coalesce(cast({alias}.birth_year_be as varchar), cast({alias}.birth_year_min as varchar) || '-' || "
            f"cast({alias}.birth_year_max as varchar))")
    cols = {"sex": sex, "birth_year": year}
    return ", ".join(f"{cols.get(c, f'{alias}.{c}')} as {side}_{c}" for c, _ in SIDE)


def _agreement_sql(level: str) -> str:
    parts = ", ".join(f"case when json_extract_string(q.explanation, '$.fields.{f}') = '{level}' then '{th}' end"
                      for f, th in FIELDS_TH.items())
    return f"concat_ws(', ', {parts})"


QUEUE_SQL = f"""
with queue as (
    select * from review
),
final as (
    select {record_key_sql('r')} as roster_key, {record_key_sql('p')} as poverty_key,
        q.review_reason, round(q.match_probability, 3) as score, q.fund,
        q.roster_file, r.source_sheet as roster_sheet, r.source_line as roster_line, {_side_sql('roster', 'r')},
        q.poverty_file, p.source_line as poverty_line, q.house_code, {_side_sql('poverty', 'p')},
        {_agreement_sql('agree')} as agree, {_agreement_sql('similar')} as similar,
        {_agreement_sql('disagree')} as disagree,
        q.candidate_rank, q.roster_record_id, q.poverty_record_id
    from queue q
    join std_roster r on r.record_id = q.roster_record_id
    join std_poverty p on p.record_id = q.poverty_record_id
)
select * from final order by fund, roster_file, roster_line, candidate_rank
"""
# (heading, column of QUEUE_SQL, width); the two keys first and hidden
LAYOUT: list[tuple[str, str, int]] = [
    (ROSTER_KEY, "roster_key", 4), (POVERTY_KEY, "poverty_key", 4), ("ลำดับ", "#", 6),
    (DECISION, "decision", 16), ("เหตุที่ต้องตรวจ", "reason", 34), ("คะแนน", "score", 7), ("กองทุน", "fund", 16),
    ("แฟ้มทะเบียนสมาชิก", "roster_file", 18), ("แผ่นงาน", "roster_sheet", 10), ("แถวในทะเบียน", "roster_line", 8),
    *((f"สมาชิก: {th}", f"roster_{c}", 14) for c, th in SIDE),
    ("แฟ้มข้อมูลคนจน", "poverty_file", 18), ("แถวในข้อมูลคนจน", "poverty_line", 8), ("รหัสประจำบ้าน", "house_code", 13),
    *((f"คนจน: {th}", f"poverty_{c}", 14) for c, th in SIDE),
    ("ตรงกัน", "agree", 24), ("ใกล้เคียง", "similar", 18), ("ไม่ตรงกัน", "disagree", 24),
]


def queue_rows(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """The review table's pairs as the workbook shows them, with their stable keys."""
    cur = con.execute(QUEUE_SQL)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def export_queue(con: duckdb.DuckDBPyConnection, target: Path,
                 decided: dict[tuple[str, str], str] | None = None) -> dict[str, int]:
    """Write the review queue workbook to `target`; return counts (pairs, roster records, already decided).

    Args:
        decided: decisions already recorded, by key pair: shown in the decision column so a reviewer sees them.
    """
    rows = queue_rows(con)
    decided = decided or {}
    reasons = {r["review_reason"]: reason_th(r["review_reason"]) for r in rows}  # per distinct reason
    target.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(target), {"strings_to_formulas": False, "strings_to_numbers": False})
    bold = wb.add_format({"bold": True})
    red = wb.add_format({"bold": True, "font_color": "#B00020", "font_size": 14})
    head = wb.add_format({"bold": True, "bg_color": "#E8EEF7", "text_wrap": True, "valign": "top"})
    info = wb.add_worksheet(README_SHEET)
    info.set_column(0, 0, 120)
    for i, line in enumerate(RESTRICTED):
        info.write_string(i, 0, line, red)
    for i, line in enumerate(HOW_TO, len(RESTRICTED) + 1):
        info.write_string(i, 0, line)
    info.write_string(len(RESTRICTED) + len(HOW_TO) + 2, 0, f"คู่ที่ต้องตรวจ: {len(rows)}", bold)
    sheet = wb.add_worksheet(QUEUE_SHEET)
    for col, (heading, _, width) in enumerate(LAYOUT):
        sheet.write_string(0, col, heading, head)
        sheet.set_column(col, col, width, None, {"hidden": col < 2})
    for i, r in enumerate(rows, 1):
        values = r | {"#": i, "reason": reasons[r["review_reason"]],
                      "decision": DECISION_LABELS.get(decided.get((r["roster_key"], r["poverty_key"]), ""), "")}
        for col, (_, name, _) in enumerate(LAYOUT):
            value = values.get(name)
            if isinstance(value, int | float) and not isinstance(value, bool):
                sheet.write_number(i, col, value)
            elif value not in (None, ""):
                sheet.write_string(i, col, str(value))  # never a formula, an ID stays text
    decision_col = next(c for c, (h, _, _) in enumerate(LAYOUT) if h == DECISION)
    if rows:
        sheet.data_validation(1, decision_col, len(rows), decision_col, {
            "validate": "list", "source": list(DECISION_CODES),
            "error_title": "ผลการตรวจ", "error_message": "เลือก ใช่ / ไม่ใช่ / ไม่แน่ใจ หรือเว้นว่าง"})
    sheet.freeze_panes(1, decision_col + 1)
    sheet.autofilter(0, 0, max(len(rows), 1), len(LAYOUT) - 1)
    wb.close()
    return {"pairs": len(rows), "roster_records": len({r["roster_record_id"] for r in rows}),
            "decided": sum(1 for r in rows if (r["roster_key"], r["poverty_key"]) in decided)}


def _cell(row: list[Any], i: int) -> str:
    return str(row[i]).strip() if i < len(row) and row[i] is not None else ""


def read_workbook(path: Path) -> tuple[dict[tuple[str, str], str], dict[str, int]]:
    """The decisions in a filled review workbook, by (roster_key, poverty_key), and counts per decision.

    Raises:
        ReviewError: not a review workbook, a key cell damaged, a decision not in the list, or one pair given two
            decisions; the message names the sheet lines, never a name or ID.
    """
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        rows = book.get_sheet_by_name(QUEUE_SHEET).to_python(skip_empty_area=False)
    except Exception:  # calamine raises its own types for a missing sheet, a damaged or foreign file
        raise ReviewError(f"{path}: not a review workbook (no readable sheet '{QUEUE_SHEET}')") from None
    header = [str(h).strip() for h in rows[0]] if rows else []
    try:
        rk, pk, dc = header.index(ROSTER_KEY), header.index(POVERTY_KEY), header.index(DECISION)
    except ValueError:
        raise ReviewError(f"{path}: sheet '{QUEUE_SHEET}' lacks the columns {ROSTER_KEY}, {POVERTY_KEY} or "
                          f"'{DECISION}'") from None
    decisions: dict[tuple[str, str], str] = {}
    bad: list[int] = []
    for line, row in enumerate(rows[1:], 2):
        label = " ".join(_cell(row, dc).split())
        if not label:
            continue
        keys = (_cell(row, rk).lower(), _cell(row, pk).lower())
        if label not in DECISION_CODES or not all(re.fullmatch(r"[0-9a-f]{64}", k) for k in keys):
            bad.append(line)
            continue
        if decisions.setdefault(keys, DECISION_CODES[label]) != DECISION_CODES[label]:
            bad.append(line)
    if bad:
        shown = ", ".join(map(str, bad[:10])) + (" …" if len(bad) > 10 else "")
        raise ReviewError(f"{path}: sheet '{QUEUE_SHEET}' line(s) {shown}: the decision is not one of "
                          f"{' / '.join(DECISION_CODES)}, a hidden key is damaged, or a pair is decided twice")
    counts = {code: sum(1 for d in decisions.values() if d == code) for code in DECISION_CODES.values()}
    return decisions, counts
