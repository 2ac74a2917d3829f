"""Roster styles from the South and North (Songkhla, Nakhon Si Thammarat, Phitsanulok, Lampang)."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from _common import Rec, file_expect, members
from _grid import Sheet, write_delimited, write_ods, write_xls, write_xlsx
from _people import FEMALE, MALE, ROMAN, SURNAMES, Population

EN_TITLE = {"นาย": "Mr.", "นาง": "Mrs.", "นางสาว": "Miss"}


def english_romanised_csv(out: Path, pop: Population, rng: random.Random) -> dict:
    fund = "กองทุนสวัสดิการชุมชนตำบลคอหงส์"
    rel = f"rosters/{fund}/member_list_EN.csv"
    s = Sheet("", date_order="dmy")
    s.header([("No.", "row_number"), ("Title", "title"), ("First Name", "first_name"), ("Last Name", "last_name"),
              ("ID Card No.", "citizen_id"), ("Date of Birth", "birth_date"), ("House No.", "house_no"),
              ("Moo", "village_no"), ("Sub-district", "subdistrict"), ("District", "district"),
              ("Province", "province"), ("Postcode", "postal_code"), ("Tel.", "phone")])
    firsts = {"M": [n for n in MALE if n in ROMAN], "F": [n for n in FEMALE if n in ROMAN]}
    for i in range(1, 13):
        sex = rng.choice("MF")
        p = pop.person("khohong", sex=sex, first=rng.choice(firsts[sex]), last=rng.choice(SURNAMES["south"]),
                       born=(1945, 2000))
        p.extra["fund"] = fund
        if i == 1:
            p.birth = p.birth.replace(day=27)
        r = Rec.of(p, rng, id_style="dashed", date_style="dmy_ce", first=ROMAN[p.first], last=ROMAN[p.last])
        s.member([i, EN_TITLE[p.title], r.first, r.last, r.cid_cell, r.date_cell, p.house_no, p.village_no,
                  "Kho Hong", "Hat Yai", "Songkhla", "90110", p.phone], r.entry())
    write_delimited(out / rel, s)
    return {rel: file_expect("roster", "english-form-romanised-names", fund, "folder", [s])}


def village_blocks_1904_xlsx(out: Path, pop: Population, rng: random.Random) -> dict:
    fund = "กองทุนสวัสดิการชุมชนตำบลควนลัง"
    rel = "rosters/songkhla/ควนลัง_แยกหมู่.xlsx"
    s = Sheet("รายชื่อ")
    s.title(f"บัญชีรายชื่อสมาชิก{fund} อำเภอหาดใหญ่ จังหวัดสงขลา")
    s.header([("ลำดับ", "row_number"), ("คำนำหน้า", "title"), ("ชื่อ", "first_name"), ("นามสกุล", "last_name"),
              ("เลขประจำตัวประชาชน", "citizen_id"), ("วันเดือนปีเกิด", "birth_date"), ("บ้านเลขที่", "house_no")])
    n = 0
    for village in [(2, "บ้านควนลัง"), (5, "บ้านทุ่งลุง"), (8, "บ้านพรุ")]:
        s.other("subheader", f"หมู่ที่ {village[0]} {village[1]}")
        ms = members(pop, "khuanlang", rng.randint(5, 8), fund, village=village)
        for p in ms:
            n += 1
            r = Rec.of(p, rng, id_style=rng.choice(["plain", "spaced"]), date_style="cell")
            s.member([n, p.title, r.first, r.last, r.cid_cell, r.date_cell, p.house_no], r.entry())
        s.other("total", "", "รวม", f"{len(ms)} คน")
        s.blank()
    s.other("total", "สรุป", "รวมทั้งหมด", f"{n} คน")
    s.other("signature", "", "ผู้จัดทำ", "..............................")
    write_xlsx(out / rel, [s], date_1904=True)
    return {rel: file_expect("roster", "village-blocks-subheaders-1904-dates", fund, "title", [s])}


def municipal_sheet_per_subdistrict_xlsx(out: Path, pop: Population, rng: random.Random) -> dict:
    fund = "กองทุนสวัสดิการชุมชนเทศบาลนครสงขลา"
    rel = "rosters/songkhla/เทศบาลนครสงขลา.xlsx"
    sheets = []
    for area, sheet, with_age in [("boyang", "ต.บ่อยาง", False), ("khaorupchang", "ต.เขารูปช้าง", True)]:
        s = Sheet(sheet, date_order="dmy")
        s.title(fund)
        cols = [("ลำดับ", "row_number"), ("คำนำหน้านาม", "title"), ("ชื่อ - นามสกุล", "full_name"),
                ("เลขบัตรประชาชน (13 หลัก)", "citizen_id"), ("วันเกิด (ว/ด/ป พ.ศ.)", "birth_date")]
        cols += [("อายุ", "age")] if with_age else [("อาชีพ", "ignored")]
        cols += [("ชุมชน", "village_name")]
        s.header(cols)
        for i, p in enumerate(members(pop, area, rng.randint(8, 11), fund), 1):
            r = Rec.of(p, rng, id_style="plain", date_style="dmy_be", age=with_age)
            extra = p.age if with_age else rng.choice(["ประมง", "ค้าขาย", "รับจ้าง"])
            s.member([i, p.title, f"{r.first} {r.last}", r.cid_cell, r.date_cell, extra, "ชุมชน" + p.village_name[4:]],
                     r.entry())
        sheets.append(s)
    write_xlsx(out / rel, sheets)
    return {rel: file_expect("roster", "municipal-sheet-per-subdistrict", fund, "title", sheets)}


def fund_in_sheet_name_xlsx(out: Path, pop: Population, rng: random.Random) -> dict:
    fund = "กองทุนสวัสดิการฯ ปากพูน"
    rel = "rosters/nakhon/สมาชิก2567.xlsx"
    s = Sheet(fund, date_order="dmy")
    s.header([("ที่", "row_number"), ("ชื่อ", "first_name"), ("นามสกุล", "last_name"),
              ("เลขบัตรประชาชน (13 หลัก)", "citizen_id"), ("วันเกิด (ว/ด/ป พ.ศ.)", "birth_date"),
              ("บ้านเลขที่", "house_no"), ("หมู่", "village_no"), ("หมายเหตุ", "ignored")])
    for i, p in enumerate(members(pop, "pakphun", 16, fund), 1):
        r = Rec.of(p, rng, id_style="number", date_style="dmy_be")
        s.member([i, p.title + r.first, r.last, r.cid_cell, r.date_cell, p.house_no, p.village_no,
                  rng.choice(["", "", "", "สมาชิกใหม่"])], r.entry())
    write_xlsx(out / rel, [s])
    return {rel: file_expect("roster", "fund-in-sheet-name-glued-titles", fund, "sheet", [s])}


def odd_order_iso_cp874_csv(out: Path, pop: Population, rng: random.Random) -> dict:
    fund = "กองทุนสวัสดิการชุมชนตำบลท่าซัก"
    rel = "rosters/nakhon/ท่าซัก_2567.csv"
    s = Sheet("")
    s.title(f"ทะเบียนสมาชิก{fund}")
    s.header([("เลขประจำตัวประชาชน", "citizen_id"), ("นามสกุล", "last_name"), ("ชื่อ", "first_name"),
              ("คำนำหน้า", "title"), ("วันเกิด", "birth_date"), ("หมู่ที่", "village_no"), ("บ้านเลขที่", "house_no"),
              ("เพศ", "sex")])
    for p in members(pop, "thasak", 14, fund):
        r = Rec.of(p, rng, id_style="plain", date_style="iso_ce")
        s.member([r.cid_cell, r.last, r.first, p.title, r.date_cell, p.village_no, p.house_no,
                  "ช" if p.sex == "M" else "ญ"], r.entry())
    write_delimited(out / rel, s, encoding="cp874")
    return {rel: file_expect("roster", "odd-column-order-iso-dates-cp874", fund, "title", [s])}


def age_only_xlsx(out: Path, pop: Population, rng: random.Random) -> dict:
    fund = "กองทุนสวัสดิการชุมชนตำบลปากแพรก"
    rel = "rosters/nakhon/ปากแพรก_ทุ่งสง.xlsx"
    s = Sheet("Sheet1")
    s.title(f"{fund} อำเภอทุ่งสง")
    s.header([("ลำดับ", "row_number"), ("คำนำหน้า", "title"), ("ชื่อ", "first_name"), ("นามสกุล", "last_name"),
              ("เลขบัตรประชาชน", "citizen_id"), ("อายุ", "age"), ("อาชีพ", "ignored"), ("สถานะ", "ignored"),
              ("ผู้รับผลประโยชน์", "ignored")])
    ms = members(pop, "pakphraek", 15, fund)
    for i, p in enumerate(ms, 1):
        r = Rec.of(p, rng, id_style="plain", date_style=None, age=True)
        other = ms[(i + 3) % len(ms)]
        s.member([i, p.title, r.first, r.last, r.cid_cell, f"{p.age} ปี", rng.choice(["ทำสวนยาง", "รับจ้าง"]),
                  rng.choice(["ปกติ"] * 5 + ["ลาออก"]), f"{other.first} {other.last}"], r.entry())
    s.blank()
    s.other("note", "หมายเหตุ: อายุ ณ วันที่ 30 ก.ย. 2567")
    write_xlsx(out / rel, [s])
    return {rel: file_expect("roster", "age-only-status-beneficiary", fund, "title", [s])}


def google_sheet_thai_xlsx(out: Path, pop: Population, rng: random.Random) -> dict:
    fund = "กองทุนสวัสดิการชุมชนตำบลอรัญญิก"
    rel = f"rosters/{fund}/สมัครสมาชิกกองทุน (การตอบกลับ).xlsx"
    s = Sheet("การตอบกลับแบบฟอร์ม 1", date_order="dmy")
    s.header([("ประทับเวลา", "ignored"), ("ชื่อ-นามสกุล (ไม่ต้องใส่คำนำหน้า)", "full_name"), ("เพศ", "sex"),
              ("เลขบัตรประจำตัวประชาชน 13 หลัก", "citizen_id"), ("วันเดือนปีเกิด (วว/ดด/ปปปป)", "birth_date"),
              ("หมู่ที่", "village_no"), ("ชื่อหมู่บ้าน", "village_name"),
              ("ยินยอมให้ใช้ข้อมูลส่วนบุคคล (PDPA)", "ignored")])
    t = dt.datetime(2024, 7, 1, 10, 0, 0)
    for i, p in enumerate(members(pop, "aranyik", 16, fund)):
        style = "dmy_ce" if i in (4, 11) else rng.choice(["dmy_be", "dmy_be_loose"])  # a few type the CE year
        r = Rec.of(p, rng, id_style=rng.choice(["plain", "dashed", "spaced"]), date_style=style)
        t += dt.timedelta(minutes=rng.randint(5, 900))
        s.member([t, f"{r.first} {r.last}", "ชาย" if p.sex == "M" else "หญิง", r.cid_cell, r.date_cell,
                  p.village_no, p.village_name, "ยินยอม"], r.entry())
    write_xlsx(out / rel, [s])
    return {rel: file_expect("roster", "google-sheets-thai-xlsx-mixed-era", fund, "folder", [s])}


def office_xls(out: Path, pop: Population, rng: random.Random) -> dict:
    fund = "กองทุนสวัสดิการชุมชนตำบลวังทอง"
    rel = "rosters/phitsanulok/วังทอง.xls"
    s = Sheet("สมาชิก")
    s.title(f"บัญชีรายชื่อสมาชิก{fund}")
    s.title("อำเภอวังทอง จังหวัดพิษณุโลก ข้อมูล ณ วันที่ 30 กันยายน 2567")
    s.header([("ลำดับที่", "row_number"), ("คำนำหน้า", "title"), ("ชื่อ", "first_name"), ("นามสกุล", "last_name"),
              ("เลขประจำตัวประชาชน", "citizen_id"), ("วันเดือนปีเกิด", "birth_date"), ("อายุ", "age"),
              ("บ้านเลขที่", "house_no"), ("หมู่ที่", "village_no"), ("ผู้รับผลประโยชน์", "ignored")])
    ms = members(pop, "wangthong", 18, fund)
    for i, p in enumerate(ms, 1):
        r = Rec.of(p, rng, id_style="number", date_style="cell", age=True)
        other = ms[i % len(ms)]
        s.member([i, p.title, r.first, r.last, r.cid_cell, r.date_cell, p.age, p.house_no, p.village_no,
                  f"{other.title}{other.first} {other.last}"], r.entry())
    s.blank()
    s.other("signature", "", "ลงชื่อ", "............................", "ผู้ตรวจ")
    s.other("signature", "", "ประทับตรา")
    write_xls(out / rel, [s])
    return {rel: file_expect("roster", "office-xls-date-cells", fund, "title", [s])}


def database_dump_csv(out: Path, pop: Population, rng: random.Random) -> dict:
    fund = "กองทุนสวัสดิการชุมชนตำบลบางระกำ"
    rel = "rosters/phitsanulok/bangrakam_export.csv"
    s = Sheet("")
    s.header([("CID", "citizen_id"), ("PRENAME", "title"), ("FNAME", "first_name"), ("LNAME", "last_name"),
              ("SEX", "sex"), ("BIRTH", "birth_date"), ("HNO", "house_no"), ("MOO", "village_no"),
              ("TAMBON", "subdistrict"), ("AMPHUR", "district"), ("CHANGWAT", "province"), ("ZIPCODE", "postal_code"),
              ("FUNDNAME", "fund_name"), ("REGDATE", "member_since")])
    for i, p in enumerate(members(pop, "bangrakam", 15, fund)):
        r = Rec.of(p, rng, id_style="plain", date_style="iso_ce_time")
        sub, dist, prov, _, post = p.place
        s.member([r.cid_cell, p.title, r.first, r.last, 1 if p.sex == "M" else 2, r.date_cell, p.house_no,
                  p.village_no, sub, dist, prov, post, fund, f"20{10 + i % 14}-0{1 + i % 9}-15"], r.entry())
    write_delimited(out / rel, s)
    return {rel: file_expect("roster", "database-dump-csv", fund, "column", [s])}


def per_village_year_only_ods(out: Path, pop: Population, rng: random.Random) -> dict:
    fund = "กองทุนสวัสดิการชุมชนตำบลพิชัย"
    rel = "rosters/lampang/พิชัย.ods"
    sheets = []
    for vno, vname in [(2, "บ้านพิชัย"), (5, "บ้านทุ่งกล้วย")]:
        s = Sheet(f"ม.{vno}")
        s.title(f"{fund} หมู่ {vno} {vname}")
        s.header([("ลำดับ", "row_number"), ("คำนำหน้า", "title"), ("ชื่อ", "first_name"), ("นามสกุล", "last_name"),
                  ("เลขบัตรประชาชน", "citizen_id"), ("พ.ศ. เกิด", "birth_year"), ("อายุ", "age"),
                  ("บ้านเลขที่", "house_no")])
        for i, p in enumerate(members(pop, "phichai", rng.randint(7, 10), fund, village=(vno, vname)), 1):
            r = Rec.of(p, rng, id_style="plain", date_style="year_be", age=True)
            s.member([i, p.title, r.first, r.last, r.cid_cell, r.date_cell, p.age, p.house_no], r.entry())
        sheets.append(s)
    write_ods(out / rel, sheets)
    return {rel: file_expect("roster", "per-village-ods-year-only", fund, "title", sheets)}


def spaced_title_tsv(out: Path, pop: Population, rng: random.Random) -> dict:
    fund = "กองทุนสวัสดิการชุมชนตำบลต้นธงชัย"
    rel = "rosters/lampang/ต้นธงชัย.tsv"
    s = Sheet("", date_order="dmy")
    s.title(f"รายชื่อสมาชิก{fund} อำเภอเมืองลำปาง")
    s.header([("ลำดับ", "row_number"), ("ชื่อ-นามสกุล", "full_name"), ("เลขบัตร", "citizen_id"),
              ("วันเกิด", "birth_date"), ("บ้านเลขที่", "house_no"), ("หมู่", "village_no"), ("ตำบล", "subdistrict")])
    for i, p in enumerate(members(pop, "tonthongchai", 14, fund), 1):
        r = Rec.of(p, rng, id_style="spaced", date_style="abbr_be")
        s.member([i, f"{p.title} {r.first} {r.last}", r.cid_cell, r.date_cell, p.house_no, p.village_no,
                  "ต้นธงชัย"], r.entry())
    s.other("total", "", f"รวม {i} คน")
    write_delimited(out / rel, s, delimiter="\t")
    return {rel: file_expect("roster", "tsv-spaced-title-abbreviated-months", fund, "title", [s])}


STYLES = [english_romanised_csv, village_blocks_1904_xlsx, municipal_sheet_per_subdistrict_xlsx,
          fund_in_sheet_name_xlsx, odd_order_iso_cp874_csv, age_only_xlsx, google_sheet_thai_xlsx, office_xls,
          database_dump_csv, per_village_year_only_ods, spaced_title_tsv]
