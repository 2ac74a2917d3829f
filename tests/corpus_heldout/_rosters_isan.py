"""Roster styles from the Northeast (Khon Kaen, Ubon Ratchathani, Surin): one function per file.

Each function writes its file under `out` and returns {relative path: expectation}.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pyarrow as pa
from _common import Rec, file_expect, members
from _grid import Sheet, write_delimited, write_ods, write_parquet, write_xls, write_xlsx
from _people import AREAS, THAI_DIGITS, Population


def _addr(p, *, full: bool = False) -> str:
    sub, dist, prov, _, post = p.place
    s = f"{p.house_no} ม.{p.village_no} ต.{sub}"
    return s + f" อ.{dist} จ.{prov} {post}" if full else s


def google_form_csv(out: Path, pop: Population, rng: random.Random) -> dict:
    fund = "กองทุนสวัสดิการชุมชนตำบลศิลา"
    rel = f"rosters/{fund}/แบบฟอร์มสมัครสมาชิก (การตอบกลับ) - การตอบกลับแบบฟอร์ม 1.csv"
    s = Sheet("", date_order="dmy")
    s.header([("ประทับเวลา", "ignored"), ("คำนำหน้าชื่อ", "title"),
              ("ชื่อ-นามสกุล (ไม่ต้องใส่คำนำหน้า)", "full_name"), ("เลขบัตรประจำตัวประชาชน 13 หลัก", "citizen_id"),
              ("วันเดือนปีเกิด (วว/ดด/ปปปป)", "birth_date"), ("อายุ", "age"),
              ("ที่อยู่ปัจจุบัน (บ้านเลขที่ หมู่ ตำบล)", "full_address"), ("เบอร์โทรศัพท์ที่ติดต่อได้", "phone"),
              ("อาชีพ", "ignored")])
    t = dt.datetime(2024, 5, 2, 8, 31, 5)
    for i, p in enumerate(members(pop, "sila", 18, fund)):
        r = Rec.of(p, rng, id_style=rng.choice(["plain", "plain", "dashed"]),
                   date_style=rng.choice(["dmy_be", "dmy_be_loose"]), age=True)
        t += dt.timedelta(minutes=rng.randint(3, 600), seconds=rng.randint(0, 59))
        name = f"{r.first} {r.last}" if i % 7 != 3 else f"{p.title}{r.first} {r.last}"  # some type the title anyway
        age = str(p.age) if i % 3 else f"{p.age} ปี"
        s.member([f"{t.day}/{t.month}/{t.year + 543}, {t:%H:%M:%S}", p.title, name, r.cid_cell, r.date_cell, age,
                  _addr(p), p.phone, rng.choice(["ทำนา", "รับจ้าง", "ค้าขาย", "แม่บ้าน", ""])], r.entry())
    write_delimited(out / rel, s)
    return {rel: file_expect("roster", "google-forms-csv", fund, "folder", [s])}


def google_sheet_english_xlsx(out: Path, pop: Population, rng: random.Random) -> dict:
    fund = "กองทุนสวัสดิการชุมชนตำบลบ้านเป็ด"
    rel = f"rosters/{fund}/Member registration (Responses).xlsx"
    s = Sheet("Form Responses 1")
    s.header([("Timestamp", "ignored"), ("Email address", "ignored"), ("Title", "title"),
              ("First name", "first_name"), ("Last name", "last_name"), ("Citizen ID number", "citizen_id"),
              ("Date of birth", "birth_date"), ("Age", "age"), ("House No.", "house_no"),
              ("Village No. (Moo)", "village_no"), ("Sub-district", "subdistrict"), ("Mobile phone", "phone")])
    label = {"นาย": "นาย (Mr.)", "นาง": "นาง (Mrs.)", "นางสาว": "นางสาว (Miss)"}
    t = dt.datetime(2024, 3, 11, 19, 2, 41)
    for i, p in enumerate(members(pop, "banpet", 14, fund, born=(1945, 2000))):
        r = Rec.of(p, rng, id_style=rng.choice(["plain", "spaced"]), date_style="cell", bad_date=0, age=True)
        t += dt.timedelta(hours=rng.randint(1, 30))
        s.member([t, "" if i % 5 else f"member{i + 17}@gmail.com", label.get(p.title, p.title), r.first, r.last,
                  r.cid_cell, r.date_cell, p.age, p.house_no, p.village_no, "บ้านเป็ด", p.phone], r.entry())
    write_xlsx(out / rel, [s], date_fmt="d/m/yyyy")
    return {rel: file_expect("roster", "google-sheets-english-xlsx", fund, "folder", [s])}


def numbered_headers_tsv(out: Path, pop: Population, rng: random.Random) -> dict:
    fund = "กองทุนสวัสดิการชุมชนตำบลพระลับ"
    rel = "rosters/khonkaen/พระลับ_2567.tsv"
    s = Sheet("", date_order="dmy")
    s.title(f"บัญชีรายชื่อสมาชิก{fund} ปี 2567")
    s.blank()
    s.header([("1. ลำดับ", "row_number"), ("2. คำนำหน้า", "title"), ("3) ชื่อ", "first_name"),
              ("4) นามสกุล", "last_name"), ("5. เลขบัตร ปชช.", "citizen_id"), ("6. ว/ด/ป เกิด", "birth_date"),
              ("7. อายุ", "age"), ("8. บ้านเลขที่", "house_no"), ("9. หมู่", "village_no")])
    ms = members(pop, "phralap", 16, fund, born=(1947, 2002))
    for i, p in enumerate(ms, 1):
        r = Rec.of(p, rng, id_style="spaced", date_style="dmy_yy_dash", age=True)
        s.member([i, p.title, r.first, r.last, r.cid_cell, r.date_cell, p.age, p.house_no, p.village_no], r.entry())
    s.other("total", "", "รวม", f"{len(ms)} ราย")
    s.other("signature", "", "ลงชื่อ", "......................", "ผู้จัดทำ")
    write_delimited(out / rel, s, delimiter="\t")
    return {rel: file_expect("roster", "numbered-headers-tsv-two-digit-years", fund, "title", [s])}


def bilingual_headers_ods(out: Path, pop: Population, rng: random.Random) -> dict:
    fund = "กองทุนสวัสดิการชุมชนเทศบาลเมืองบ้านไผ่"
    rel = "rosters/khonkaen/บ้านไผ่/สมาชิก_ในเมือง.ods"
    s = Sheet("สมาชิก")
    s.title(fund)
    s.header([("ลำดับ (No.)", "row_number"), ("ชื่อ (Name)", "first_name"), ("นามสกุล (Surname)", "last_name"),
              ("เพศ (Sex)", "sex"), ("เลขบัตรประชาชน (ID No.)", "citizen_id"),
              ("วันเกิด (Date of birth)", "birth_date"), ("บ้านเลขที่ (House No.)", "house_no"),
              ("หมู่ (Moo)", "village_no")])
    for i, p in enumerate(members(pop, "banphai", 15, fund), 1):
        r = Rec.of(p, rng, id_style="float", date_style="cell")
        s.member([i, p.title + r.first, r.last, "ชาย" if p.sex == "M" else "หญิง", r.cid_cell, r.date_cell,
                  p.house_no, p.village_no], r.entry())
    write_ods(out / rel, [s])
    return {rel: file_expect("roster", "bilingual-headers-ods-glued-titles", fund, "title", [s])}


def register_with_status_xls(out: Path, pop: Population, rng: random.Random) -> dict:
    fund = "กองทุนสวัสดิการชุมชนตำบลชุมแพ"
    rel = "rosters/khonkaen/ทะเบียนสมาชิก_ชุมแพ.xls"
    s = Sheet("ทะเบียน", date_order="dmy")
    s.title(f"ทะเบียนสมาชิก{fund} อำเภอชุมแพ จังหวัดขอนแก่น")
    s.header([("เลขที่สมาชิก", "member_no"), ("วันที่สมัคร", "member_since"), ("คำนำหน้า", "title"),
              ("ชื่อ", "first_name"), ("นามสกุล", "last_name"), ("เลขประจำตัวประชาชน", "citizen_id"),
              ("วันเกิด", "birth_date"), ("ที่อยู่", "full_address"), ("ผู้รับผลประโยชน์", "ignored"),
              ("สถานะ", "ignored")])
    ms = members(pop, "chumphae", 17, fund)
    for i, p in enumerate(ms):
        r = Rec.of(p, rng, id_style="number", date_style="abbr_yy")
        other = ms[i - 1] if i else ms[-1]
        benef = f"{other.title}{other.first} {other.last} ({rng.choice(['บุตร', 'คู่สมรส', 'ญาติ'])})"
        since = dt.date(2553 - 543 + i % 9, 1 + i % 12, 1 + i % 27)
        s.member([f"CP-{i + 12:04d}", f"{since.day} {['ม.ค.', 'มิ.ย.', 'ต.ค.'][i % 3]} {since.year + 543}",
                  p.title, r.first, r.last, r.cid_cell, r.date_cell, f"{p.house_no} หมู่ {p.village_no}", benef,
                  rng.choice(["ปกติ"] * 6 + ["ลาออก", "เสียชีวิต"])], r.entry())
    s.blank()
    s.other("signature", "ผู้จัดทำ", "(นางสาวจิราพร แสนสุข)", "เหรัญญิก")
    write_xls(out / rel, [s])
    return {rel: file_expect("roster", "register-xls-status-beneficiary", fund, "title", [s])}


def linebreak_headers_xlsx(out: Path, pop: Population, rng: random.Random) -> dict:
    fund = "กองทุนสวัสดิการชุมชนตำบลขามใหญ่"
    rel = "rosters/ubon/ขามใหญ่.xlsx"
    s = Sheet("Sheet1")
    s.title(f"บัญชีรายชื่อสมาชิก{fund}")
    s.title("อำเภอเมืองอุบลราชธานี จังหวัดอุบลราชธานี")
    s.blank()
    s.header([("ที่", "row_number"), ("ชื่อ -\nสกุล", "full_name"), ("เลขประจำตัว\nประชาชน", "citizen_id"),
              ("วัน เดือน ปี\nเกิด", "birth_date"), ("อายุ\n(ปี)", "age"), ("บ้าน\nเลขที่", "house_no"),
              ("หมู่\nที่", "village_no"), ("หมายเหตุ", "ignored")])
    for i, p in enumerate(members(pop, "khamyai", 20, fund), 1):
        r = Rec.of(p, rng, id_style="number", date_style="cell", age=True)
        note = rng.choice(["", "", "", "ย้ายมาจาก ต.ปทุม", "ผู้สูงอายุ", "ผู้พิการ"])
        s.member([i, f"{p.title}{r.first}  {r.last}", r.cid_cell, r.date_cell, p.age, p.house_no, p.village_no,
                  note], r.entry())
    s.blank()
    s.other("signature", "", "ผู้จัดทำ ..............................")
    s.other("signature", "", "ผู้ตรวจ ..............................")
    s.other("signature", "", "ประทับตรา (ตรากองทุน)")
    write_xlsx(out / rel, [s])
    return {rel: file_expect("roster", "linebreak-headers-xlsx", fund, "title", [s])}


def per_village_sheets_xlsx(out: Path, pop: Population, rng: random.Random) -> dict:
    fund = "กองทุนสวัสดิการชุมชนตำบลแจระแม"
    rel = "rosters/ubon/แจระแม_รายหมู่บ้าน.xlsx"
    sheets = []
    # Three volunteers, three layouts: the columns differ a little from sheet to sheet.
    s = Sheet("หมู่ 1", date_order="dmy")
    s.title(f"{fund} หมู่ที่ 1 บ้านแจระแม")
    s.header([("ลำดับ", "row_number"), ("คำนำหน้า", "title"), ("ชื่อ", "first_name"), ("สกุล", "last_name"),
              ("เลขบัตรประชาชน", "citizen_id"), ("วันเกิด", "birth_date"), ("อายุ", "age"),
              ("บ้านเลขที่", "house_no")])
    for i, p in enumerate(members(pop, "chaeramae", 9, fund, village=(1, "บ้านแจระแม")), 1):
        r = Rec.of(p, rng, id_style="dashed", date_style="dmy_be", age=True)
        s.member([i, p.title, r.first, r.last, r.cid_cell, r.date_cell, p.age, p.house_no], r.entry())
    sheets.append(s)
    s = Sheet("หมู่ 4", date_order="dmy")
    s.title(f"{fund} หมู่ที่ 4 บ้านหนองไผ่")
    s.header([("ลำดับ", "row_number"), ("ชื่อ-สกุล", "full_name"), ("เลขบัตรประชาชน", "citizen_id"),
              ("วันเกิด", "birth_date"), ("บ้านเลขที่", "house_no"), ("เบอร์โทร", "phone")])
    for i, p in enumerate(members(pop, "chaeramae", 8, fund, village=(4, "บ้านหนองไผ่")), 1):
        r = Rec.of(p, rng, id_style="plain", date_style="dmy_be_loose")
        s.member([i, f"{p.title}{r.first} {r.last}", r.cid_cell, r.date_cell, p.house_no, p.phone], r.entry())
    sheets.append(s)
    s = Sheet("หมู่ 7", date_order="dmy")
    s.title(f"{fund} หมู่ที่ 7 บ้านโนนกาเล็น")
    s.header([("เลขบัตรประชาชน", "citizen_id"), ("คำนำหน้า", "title"), ("ชื่อ", "first_name"),
              ("นามสกุล", "last_name"), ("บ้านเลขที่", "house_no"), ("วันเดือนปีเกิด", "birth_date"),
              ("", "ignored"), ("หมายเหตุ", "ignored")])
    for p in members(pop, "chaeramae", 7, fund, village=(7, "บ้านโนนกาเล็น")):
        r = Rec.of(p, rng, id_style="plain", date_style="dmy_be")
        s.member([r.cid_cell, p.title, r.first, r.last, p.house_no, r.date_cell, "",
                  rng.choice(["", "", "ค้างชำระ 2 เดือน"])], r.entry())
    sheets.append(s)
    write_xlsx(out / rel, sheets)
    return {rel: file_expect("roster", "per-village-sheets-varying-columns", fund, "title", sheets)}


def excel_saved_mdy_csv(out: Path, pop: Population, rng: random.Random) -> dict:
    fund = "กองทุนสวัสดิการชุมชนตำบลแสนสุข"
    rel = "rosters/ubon/แสนสุข_excel.csv"
    s = Sheet("", date_order="mdy")
    s.header([("ลำดับ", "row_number"), ("คำนำหน้า", "title"), ("ชื่อ", "first_name"), ("นามสกุล", "last_name"),
              ("เลขประจำตัวประชาชน", "citizen_id"), ("วันเกิด", "birth_date"), ("บ้านเลขที่", "house_no"),
              ("หมู่ที่", "village_no"), ("ตำบล", "subdistrict"), ("อำเภอ", "district"), ("จังหวัด", "province"),
              ("กองทุน", "fund_name")])
    ms = members(pop, "saensuk", 16, fund)
    ms[0].birth = ms[0].birth.replace(day=25)  # at least one day over 12 decides the order
    for i, p in enumerate(ms, 1):
        r = Rec.of(p, rng, id_style="plain", date_style="mdy_ce", sci=0.25)
        sub, dist, prov, _, _ = p.place
        s.member([i, p.title, r.first, r.last, r.cid_cell, r.date_cell, p.house_no, p.village_no, sub, dist, prov,
                  fund], r.entry())
    s.other("total", "", "", "รวม", f"{len(ms)} คน")
    write_delimited(out / rel, s, encoding="cp874", pad=True)
    return {rel: file_expect("roster", "excel-saved-csv-cp874-mdy-scientific-ids", fund, "column", [s])}


def apostrophe_ids_bom_csv(out: Path, pop: Population, rng: random.Random) -> dict:
    fund = "กองทุนสวัสดิการชุมชนตำบลธาตุ"
    rel = f"rosters/{fund}/members.csv"
    s = Sheet("", date_order="dmy")
    s.header([("ลำดับที่", "row_number"), ("คำนำหน้าชื่อ", "title"), ("ชื่อตัว", "first_name"),
              ("ชื่อสกุล", "last_name"), ("เลขประจำตัวประชาชน", "citizen_id"), ("วันเดือนปีเกิด", "birth_date"),
              ("อายุ (ปี)", "age"), ("อาชีพ", "ignored"), ("รายได้ต่อเดือน (บาท)", "ignored"),
              ("ที่อยู่", "full_address")])
    for i, p in enumerate(members(pop, "that", 14, fund), 1):
        r = Rec.of(p, rng, id_style="apostrophe", date_style="full_be", age=True)
        s.member([i, p.title, r.first, r.last, r.cid_cell, r.date_cell, p.age,
                  rng.choice(["เกษตรกร", "รับจ้างทั่วไป", "ค้าขาย"]), rng.choice([3000, 4500, 6000, 9000]),
                  _addr(p, full=True)], r.entry())
    write_delimited(out / rel, s, encoding="utf-8-sig")
    return {rel: file_expect("roster", "bom-csv-apostrophe-ids-thai-month-names", fund, "folder", [s])}


def two_row_merged_header_xlsx(out: Path, pop: Population, rng: random.Random) -> dict:
    fund = "กองทุนสวัสดิการชุมชนตำบลสลักได"
    rel = "rosters/surin/สลักได_2567.xlsx"
    s = Sheet("สมาชิก", date_order="dmy")
    s.title(f"บัญชีรายชื่อสมาชิก{fund} ประจำปี 2567")
    s.blank()
    top = ["ลำดับ", "ข้อมูลส่วนตัว", "", "", "", "", "", "ที่อยู่ตามทะเบียนบ้าน", "", "", "", "", "", "หมายเหตุ"]
    low = ["", "คำนำหน้า", "ชื่อ", "นามสกุล", "เลขบัตรประชาชน", "วัน/เดือน/ปีเกิด", "", "บ้านเลขที่", "หมู่ที่",
           "ตำบล", "อำเภอ", "จังหวัด", "รหัสไปรษณีย์", ""]
    s.header_rows([top, low], ["row_number", "title", "first_name", "last_name", "citizen_id", "birth_date",
                               "ignored", "house_no", "village_no", "subdistrict", "district", "province",
                               "postal_code", "ignored"])
    s.merge(3, 1, 4, 1, "ลำดับ")
    s.merge(3, 2, 3, 6, "ข้อมูลส่วนตัว")
    s.merge(3, 8, 3, 13, "ที่อยู่ตามทะเบียนบ้าน")
    s.merge(3, 14, 4, 14, "หมายเหตุ")
    ms = members(pop, "salakdai", 15, fund)
    for i, p in enumerate(ms, 1):
        r = Rec.of(p, rng, id_style="plain", date_style="dmy_be")
        sub, dist, prov, _, post = p.place
        s.member([i, p.title, r.first, r.last, r.cid_cell, r.date_cell, "", p.house_no, p.village_no, sub, dist,
                  prov, post, ""], r.entry())
    s.other("total", "", "รวมทั้งสิ้น", f"{len(ms)} ราย")
    s.blank()
    s.other("signature", "", "", "ลงชื่อ......................ประธานกองทุน")
    s.other("signature", "", "", "ลงชื่อ......................เหรัญญิก")
    write_xlsx(out / rel, [s])
    return {rel: file_expect("roster", "two-row-merged-header-spacer", fund, "title", [s])}


def paged_thai_digits_xlsx(out: Path, pop: Population, rng: random.Random) -> dict:
    fund = "กองทุนสวัสดิการชุมชนตำบลนอกเมือง"
    rel = "rosters/surin/นอกเมือง_พิมพ์.xlsx"
    s = Sheet("พิมพ์", date_order="dmy")
    s.title(f"รายชื่อสมาชิก{fund}")
    s.header([("ที่", "row_number"), ("คำนำหน้า", "title"), ("ชื่อ", "first_name"), ("นามสกุล", "last_name"),
              ("เลขประจำตัวประชาชน", "citizen_id"), ("วันเกิด", "birth_date"), ("บ้านเลขที่", "house_no"),
              ("หมู่ที่", "village_no")])
    ms = members(pop, "nokmueang", 30, fund)
    for i, p in enumerate(ms, 1):
        r = Rec.of(p, rng, id_style="thai", date_style="dmy_be_thai")
        s.member([str(i).translate(THAI_DIGITS), p.title, r.first, r.last, r.cid_cell, r.date_cell,
                  p.house_no.translate(THAI_DIGITS), str(p.village_no).translate(THAI_DIGITS)], r.entry())
        if i % 12 == 0:  # a page ends: its number, then the header again on the next printed page
            s.other("note", "", "", "", "", "", "", f"หน้า {i // 12}".translate(THAI_DIGITS))
            s.repeated_header()
    write_xlsx(out / rel, [s])
    return {rel: file_expect("roster", "paged-repeated-header-thai-digits", fund, "title", [s])}


def combined_name_year_only_csv(out: Path, pop: Population, rng: random.Random) -> dict:
    fund = "กองทุนสวัสดิการชุมชนตำบลท่าตูม"
    rel = f"rosters/surin/{fund}.csv"
    s = Sheet("")
    s.header([("ลำดับ", "row_number"), ("ชื่อ-สกุล", "full_name"), ("ปีเกิด", "birth_year"), ("อายุ", "age"),
              ("ที่อยู่", "full_address"), ("โทรศัพท์", "phone")])
    for i, p in enumerate(members(pop, "thatum", 13, fund), 1):
        r = Rec.of(p, rng, id_style="missing", date_style="year_be", typo=0, missing_id=0, bad_date=0.15, age=True)
        s.member([i, f"{p.title}{r.first} {r.last}", r.date_cell, p.age, _addr(p, full=True),
                  p.phone if i % 4 else ""], r.entry())
    write_delimited(out / rel, s)
    return {rel: file_expect("roster", "no-id-combined-name-year-only-csv", fund, "stem", [s])}


def database_parquet(out: Path, pop: Population, rng: random.Random) -> dict:
    fund = "กองทุนสวัสดิการชุมชนตำบลกังแอน"
    rel = "rosters/surin/kangaen_export.parquet"
    names = ["member_id", "prename", "fname", "lname", "pid", "birthdate", "gender", "addr_no", "moo", "tambon",
             "amphoe", "changwat", "zipcode", "fund_name"]
    roles = ["member_no", "title", "first_name", "last_name", "citizen_id", "birth_date", "sex", "house_no",
             "village_no", "subdistrict", "district", "province", "postal_code", "fund_name"]
    s = Sheet("")
    s.columns = {str(i + 1): r for i, r in enumerate(roles)}
    rows = []
    for i, p in enumerate(members(pop, "kangaen", 12, fund)):
        r = Rec.of(p, rng, id_style="plain", date_style="cell", bad_date=0)
        sub, dist, prov, _, post = AREAS[p.area]
        row = [f"KA{i + 1:05d}", p.title, r.first, r.last, r.cid, p.birth, "1" if p.sex == "M" else "2",
               p.house_no, p.village_no, sub, dist, prov, post, fund]
        rows.append(row)
        s.member(row, r.entry())
    write_parquet(out / rel, names, rows, {"birthdate": pa.date32(), "moo": pa.int32()})
    return {rel: file_expect("roster", "database-parquet", fund, "column", [s])}


STYLES = [google_form_csv, google_sheet_english_xlsx, numbered_headers_tsv, bilingual_headers_ods,
          register_with_status_xls, linebreak_headers_xlsx, per_village_sheets_xlsx, excel_saved_mdy_csv,
          apostrophe_ids_bom_csv, two_row_merged_header_xlsx, paged_thai_digits_xlsx, combined_name_year_only_csv,
          database_parquet]
