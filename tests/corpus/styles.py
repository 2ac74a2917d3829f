"""The forms the corpus imitates: column sets ("header|role", "group>sub|role" for two-row headers) and one
spec per file. Each spec varies format, header layout, wording, date habit, ID habit, title habit and where
the fund's name is written, independently of the others.
"""

from __future__ import annotations

from typing import Any

# CODI registration sheet as printed: name and address grouped over a second header row.
CODI_TWO_ROW = ["ลำดับ|row_number", "ชื่อ - สกุล>คำนำหน้า|title", "ชื่อ - สกุล>ชื่อ|first_name",
                "ชื่อ - สกุล>สกุล|last_name", "เลขประจำตัวประชาชน|citizen_id", "วัน/เดือน/ปีเกิด|birth_date",
                "ที่อยู่>บ้านเลขที่|house_no", "ที่อยู่>หมู่ที่|village_no", "ที่อยู่>ตำบล|subdistrict",
                "วันที่สมัคร|member_since", "หมายเหตุ|ignored"]
CODI_ONE_ROW = ["ลำดับ|row_number", "คำนำหน้านาม|title", "ชื่อตัว|first_name", "ชื่อสกุล|last_name",
                "เลขบัตรประชาชน|citizen_id", "ว/ด/ป เกิด|birth_date", "บ้านเลขที่|house_no", "หมู่|village_no",
                "ต.|subdistrict", "อ.|district", "จ.|province", "เบอร์โทร|phone"]
COMBINED = ["ที่|row_number", "ชื่อ-สกุล|full_name", "เลขที่บัตร|citizen_id", "วันเกิด|birth_date",
            "ที่อยู่|full_address", "โทรศัพท์|phone"]
ENGLISH = ["No.|row_number", "Title|title", "First Name|first_name", "Last Name|last_name",
           "ID Card No.|citizen_id", "Date of Birth|birth_date", "House No.|house_no", "Moo|village_no",
           "Sub-district|subdistrict", "District|district", "Province|province", "Postcode|postal_code",
           "Tel.|phone"]
ENGLISH_FULL = ["No.|row_number", "Name-Surname|full_name", "Citizen ID|citizen_id", "DOB|birth_date", "Sex|sex",
                "Village No.|village_no", "Tambon|subdistrict", "Amphoe|district", "Province|province"]
ENGLISH_TWO_ROW = ["No.|row_number", "Full Name>Title|title", "Full Name>First name|first_name",
                   "Full Name>Surname|last_name", "National ID|citizen_id", "Date of Birth|birth_date",
                   "Address>House No.|house_no", "Address>Village No.|village_no", "Address>Tambon|subdistrict",
                   "Address>District|district"]
DB_ROSTER = ["MEMBER_NO|member_no", "PID|citizen_id", "PRENAME|title", "FNAME|first_name", "LNAME|last_name",
             "SEX|sex", "BDATE|birth_date", "HNO|house_no", "MOO|village_no", "TAMBON|subdistrict",
             "AMPHUR|district", "CHANGWAT|province", "ZIPCODE|postal_code", "MEMBER_DATE|member_since",
             "FUND_NAME|fund_name"]
AGE_ONLY = ["ลำดับ|row_number", "ชื่อ - นามสกุล|full_name", "รหัสบัตรประชาชน|citizen_id", "อายุ|age",
            "บ้านเลขที่|house_no", "ม.|village_no", "ตำบล|subdistrict", "อำเภอ|district", "|ignored",
            "หมายเหตุ|ignored"]
UNGUESSABLE = ["ลำดับ|row_number", "ชื่อ|first_name", "นามสกุล|last_name", "ข้อมูล 1|citizen_id",
               "Column3|birth_date", "เลขที่|house_no", "หมู่|village_no", "|postal_code", "เพศ|sex"]
VILLAGE_SHEET = ["ที่|row_number", "คำนำหน้า|title", "ชื่อ|first_name", "สกุล|last_name",
                 "เลขประจำตัวประชาชน|citizen_id", "วันเดือนปีเกิด|birth_date", "บ้านเลขที่|house_no",
                 "อายุ (ปี)|age"]
PRINTED_PAGES = ["ลำดับที่|row_number", "คำนำหน้า|title", "ชื่อ|first_name", "นามสกุล|last_name",
                 "เลขบัตรประชาชน|citizen_id", "ปีเกิด|birth_year", "บ้านเลขที่|house_no", "หมู่ที่|village_no",
                 "วันที่เป็นสมาชิก|member_since"]
FUND_COLUMN = ["กองทุน|fund_name", "เลขที่สมาชิก|member_no", "คำนำหน้าชื่อ|title", "ชื่อ|first_name",
               "นามสกุล|last_name", "เพศ|sex", "เลขประจำตัวประชาชน|citizen_id", "วันเดือนปีเกิด|birth_date",
               "แขวง|subdistrict", "เขต|district", "รหัสไปรษณีย์|postal_code"]
URBAN = ["ลำดับ|row_number", "ชื่อ-สกุล|full_name", "เลขประจำตัวประชาชน|citizen_id", "วันเกิด|birth_date",
         "บ้านเลขที่|house_no", "ซอย|soi", "ถนน|road", "แขวง|subdistrict", "เขต|district", "จังหวัด|province",
         "รหัสไปรษณีย์|postal_code"]
MINIMAL = ["ชื่อ|first_name", "|ignored", "นามสกุล|last_name", "|ignored", "เลขบัตร|citizen_id", "อายุ|age"]
SPACERS = ["ที่|row_number", "|ignored", "คำนำหน้า|title", "ชื่อ|first_name", "นามสกุล|last_name", "|ignored",
           "เลขบัตร 13 หลัก|citizen_id", "วันเกิด|birth_date", "อายุ|age", "ที่อยู่|full_address", "เพศ|sex"]
VILLAGE_NAME_TWO_ROW = ["ลำดับ|row_number", "ชื่อ - สกุล>คำนำหน้า|title", "ชื่อ - สกุล>ชื่อ|first_name",
                        "ชื่อ - สกุล>นามสกุล|last_name", "เลขประจำตัวประชาชน|citizen_id", "ว/ด/ป เกิด|birth_date",
                        "ที่อยู่>เลขที่|house_no", "ที่อยู่>หมู่|village_no", "ที่อยู่>ชื่อหมู่บ้าน|village_name",
                        "ที่อยู่>ต.|subdistrict", "ที่อยู่>อ.|district", "ที่อยู่>จ.|province",
                        "ที่อยู่>รหัสไปรษณีย์|postal_code"]
# Bangkok forms say แขวง/เขต where provincial forms say ตำบล/อำเภอ.
BKK_WORDS = {"ต.": "แขวง", "อ.": "เขต", "ตำบล": "แขวง", "อำเภอ": "เขต"}

CODI_TITLES = ["ทะเบียนสมาชิก{fund}", "อำเภอ{district} จังหวัด{province}", "ข้อมูล ณ วันที่ 30 กันยายน 2567", ""]
FUND_TITLE_ONE = ["{fund} อำเภอ{district} จังหวัด{province}", ""]
PLAIN_TITLES = ["ทะเบียนรายชื่อสมาชิก ปี 2567", ""]
EN_TITLES = ["{fund}", "Member Register (as of 30 Sep 2024)", ""]
SIGN = ("blank", "total", "blank", "signature")
SIGN_NOTE = ("total", "blank", "signature", "note")


def R(n: int, path: str, style: str, fmt: str, area: str, cols: list[str], **kw: Any) -> dict[str, Any]:
    spec: dict[str, Any] = dict(path=path, style=style, fmt=fmt, area=area, cols=cols, n=n, fund_kind="ตำบล",
                                fund_from="title", date="dmy_be", id="plain", id_extra=("missing",), title="full",
                                name="glued", sex="th", moo="num", place="plain", age="num", titles=CODI_TITLES,
                                trailer=SIGN, repeat=None, subheader=False, pad=True, unreadable=0,
                                merge_title=False, sheets=None, roman=False, glue_first=False, duplicate=False,
                                thai_digits=False)
    spec.update(kw)
    return spec


ROSTERS: list[dict[str, Any]] = [
    R(20, "rosters/fund_nongki/tambon_nongki_2567.xlsx", "codi-registration-two-row-header", "xlsx", "BR-NK",
      CODI_TWO_ROW, sheets="village", merge_title=True, id_extra=("missing", "bad"), unreadable=1),
    R(30, "rosters/กองทุนสวัสดิการชุมชนเทศบาลตำบลหนองกี่.csv", "printed-pages-year-only-cp874", "cp874",
      "BR-NK", PRINTED_PAGES, fund_kind="เทศบาลตำบล", fund_from="stem", titles=PLAIN_TITLES, repeat=20,
      date="year_be",
      title="abbr", trailer=("total",)),
    R(10, "rosters/nongki_excel_export.csv", "excel-csv-scientific-ids", "csv", "BR-NK", CODI_ONE_ROW,
      id="sci", id_extra=(), titles=["{fund} ตำบลหนองกี่", ""], fund="กองทุนสวัสดิการชุมชนบ้านหนองบัว",
      trailer=("total",)),
    R(12, "rosters/bandan/members.csv", "codi-registration-excel-csv", "csv", "BR-BD", CODI_ONE_ROW,
      titles=FUND_TITLE_ONE, id="dash", id_extra=("missing", "sci"), date="dmy_be_nopad", title="mixed",
      place="prefixed", unreadable=1),
    R(11, "rosters/bandan/municipal.xls", "codi-two-row-header-xls-sheet-named", "xls", "BR-BD", CODI_TWO_ROW,
      fund_kind="เทศบาลตำบล", fund_from="sheet", fund="กองทุนฯ ทต.บ้านด่าน", titles=PLAIN_TITLES, date="excel_date",
      id="number",
      trailer=SIGN_NOTE),
    R(9, "rosters/กองทุนสวัสดิการชุมชนตำบลนางรอง/สมาชิก_2566.csv", "combined-name-address-cp874", "cp874",
      "BR-NR", COMBINED, fund_from="folder", titles=PLAIN_TITLES, date="thai_abbr", id="space", name="glued",
      trailer=SIGN),
    R(10, "rosters/nangrong_age.xlsx", "age-instead-of-birth-date", "xlsx", "BR-NR", AGE_ONLY, name="spaced",
      id="apos", age="pi", merge_title=True),
    R(38, "rosters/กองทุนสวัสดิการชุมชนเทศบาลเมืองบุรีรัมย์.csv", "village-subheaders-page-repeats-bom",
      "csv_bom", "BR-NM", CODI_ONE_ROW, fund="กองทุนสวัสดิการชุมชนเทศบาลเมืองบุรีรัมย์", fund_from="stem", titles=PLAIN_TITLES,
      subheader=True, repeat=20, date="dmy_yy", title="abbr", sex="th", unreadable=1),
    R(12, "rosters/muang_buriram_villages.ods", "per-village-sheets-ods", "ods", "BR-NM", VILLAGE_SHEET,
      sheets="village", date="thai_full"),
    R(14, "rosters/lamplaimat_dump.tsv", "db-dump-roster-tsv", "tsv", "BR-LP", DB_ROSTER, fund_from="column",
      titles=[], trailer=(), date="iso_ce", sex="code", pad=False),
    R(9, "rosters/lamplaimat_unknown_headers.xlsx", "unguessable-headers", "xlsx", "BR-LP", UNGUESSABLE,
      glue_first=True, title="abbr", sex="short", titles=FUND_TITLE_ONE),
    R(8, "rosters/กองทุนสวัสดิการชุมชนเทศบาลตำบลลำปลายมาศ/ทะเบียน.csv", "given-name-like-abbreviation-cp874",
      "cp874", "BR-LP", CODI_ONE_ROW, fund_kind="เทศบาลตำบล", fund_from="folder", titles=PLAIN_TITLES,
      title="nodot"),
    R(10, "rosters/กองทุนสวัสดิการชุมชนตำบลประโคนชัย/members_spacers.csv", "spacer-columns-cp874", "cp874",
      "BR-PK", SPACERS, fund_from="folder", titles=PLAIN_TITLES, age="num", pad=False),
    R(12, "rosters/prakhonchai.xlsx", "two-row-header-serial-dates", "xlsx", "BR-PK", VILLAGE_NAME_TWO_ROW,
      date="excel_serial", id="number", id_extra=("missing", "bad"), merge_title=True, trailer=SIGN_NOTE),
    R(8, "rosters/กองทุนสวัสดิการชุมชนบ้านโคกสะอาด.tsv", "minimal-age-pi-tsv", "tsv", "BR-PK", MINIMAL,
      fund_from="stem", fund="กองทุนสวัสดิการชุมชนบ้านโคกสะอาด", titles=[], trailer=(), age="pi", glue_first=True),
    R(10, "rosters/satuek_english.csv", "english-fullname-us-dates", "csv", "BR-ST", ENGLISH_FULL, name="en",
      roman=True, date="mdy_ce", sex="en", place="en", titles=["{fund}", "Member list 2024", ""],
      trailer=("blank", "total_en", "signature_en")),
    R(14, "rosters/satuek_villages.xlsx", "codi-two-row-per-village-date-cells", "xlsx", "BR-ST", CODI_TWO_ROW,
      sheets="village", date="excel_date", id="float", merge_title=True),
    R(9, "rosters/กองทุนสวัสดิการชุมชนตำบลกระสัง/roster.csv", "minimal-no-title-cp874", "cp874", "BR-KS",
      MINIMAL, fund_from="folder",
      titles=[], trailer=("blank", "total"), age="num", pad=False),
    R(11, "rosters/krasang_english_headers.xlsx", "english-headers-thai-names-sheet-named", "xlsx", "BR-KS",
      ENGLISH, fund_from="sheet", fund="สวัสดิการชุมชน ต.กระสัง", titles=[], title="abbr", date="dmy_ce", trailer=()),
    R(10, "rosters/silom_urban.xlsx", "urban-soi-road", "xlsx", "BKK-SL", URBAN, fund_kind="แขวง",
      titles=FUND_TITLE_ONE, name="abbr_glued", merge_title=True),
    R(9, "rosters/กองทุนสวัสดิการชุมชนแขวงสีลม/english_form.csv", "english-form-romanised", "csv_bom", "BKK-SL",
      ENGLISH, fund_kind="แขวง", fund_from="folder", titles=EN_TITLES[1:], roman=True, title="en",
      date="iso_ce", place="en", trailer=("total_en",)),
    R(12, "rosters/klongchan_fund_column.tsv", "fund-column-tsv", "tsv", "BKK-KC", FUND_COLUMN, fund_kind="แขวง",
      fund_from="column", titles=[], trailer=(), date="dmy_be_dash", title="abbr", sex="th", pad=False),
    R(10, "rosters/กองทุนสวัสดิการชุมชนแขวงคลองจั่น.csv", "us-excel-csv", "csv", "BKK-KC", URBAN,
      fund_kind="แขวง", fund_from="stem", titles=PLAIN_TITLES, date="mdy_ce", name="glued", unreadable=1),
    R(10, "rosters/krathumrai.xls", "english-two-row-xls", "xls", "BKK-KR", ENGLISH_TWO_ROW, fund_kind="แขวง",
      titles=EN_TITLES, date="excel_date", title="abbr", merge_title=True),
    R(9, "rosters/krathumrai_codi.ods", "codi-one-row-ods-bangkok-words", "ods", "BKK-KR", CODI_ONE_ROW,
      fund_kind="แขวง", date="dmy_be", id="number", place="prefixed", trailer=SIGN_NOTE),
    R(10, "rosters/sansai_age.ods", "age-ods", "ods", "CM-ST", AGE_ONLY, titles=FUND_TITLE_ONE, age="num",
      name="spaced"),
    R(11, "rosters/กองทุนสวัสดิการชุมชนตำบลสันทรายหลวง/ทะเบียนสมาชิก.csv", "thai-digits-ids", "csv", "CM-ST",
      CODI_ONE_ROW, fund_from="folder", titles=PLAIN_TITLES, date="thai_abbr", id="thai", title="mixed",
      thai_digits=True),
    R(10, "rosters/sansai_english_two_row.xlsx", "english-two-row-romanised", "xlsx", "CM-ST", ENGLISH_TWO_ROW,
      titles=EN_TITLES, roman=True, title="en", date="dmy_ce", merge_title=True),
    R(12, "rosters/กองทุนสวัสดิการชุมชนตำบลศรีภูมิ/us_dates.csv", "us-excel-csv-thai-headers", "csv", "CM-SP",
      VILLAGE_SHEET, fund_from="folder", titles=PLAIN_TITLES, date="mdy_ce", subheader=True, unreadable=1),
    R(15, "rosters/siphum_villages.xlsx", "codi-two-row-per-village-numbers", "xlsx", "CM-SP", CODI_TWO_ROW,
      sheets="village", date="excel_date", id="number", merge_title=True, duplicate=True),
    R(9, "rosters/กองทุนสวัสดิการชุมชนตำบลริมใต้.xlsx", "unguessable-headers-stem", "xlsx", "CM-MR", UNGUESSABLE,
      fund_from="stem", titles=PLAIN_TITLES, glue_first=True, sex="th"),
    R(10, "rosters/rimtai_spacers.tsv", "spacer-columns-iso-tsv", "tsv", "CM-MR", SPACERS, date="iso_ce",
      titles=FUND_TITLE_ONE, title="abbr", unreadable=1),
    R(34, "rosters/sankamphaeng_pages.xlsx", "printed-pages-xlsx", "xlsx", "CM-SK", PRINTED_PAGES,
      date="year_be_int", id="number", repeat=20, title="long"),
    R(9, "rosters/กองทุนสวัสดิการชุมชนตำบลสันกำแพง/combined.csv", "combined-name-spaced-cp874", "cp874", "CM-SK",
      COMBINED, fund_from="folder", titles=PLAIN_TITLES, name="spaced", id="dash"),
    R(12, "rosters/pakchong_two_row.csv", "codi-two-row-header-csv", "csv", "NM-PC", CODI_TWO_ROW,
      id="apos", id_extra=("missing", "bad", "missing_dash"), title="abbr", unreadable=2),
    R(10, "rosters/pakchong_english.xlsx", "english-fullname-sheet-named", "xlsx", "NM-PC", ENGLISH_FULL,
      fund_from="sheet", fund="กองทุนสวัสดิการ ปากช่อง", titles=[], trailer=(), name="en", roman=True,
      date="excel_date", sex="enw", place="en"),
    R(18, "rosters/naimueang_korat_villages.xlsx", "per-village-sheets-age-and-date", "xlsx", "NM-NM",
      VILLAGE_SHEET, sheets="village", date="dmy_be", title="abbr", trailer=("total",)),
    R(12, "rosters/korat_dump.csv", "db-dump-roster-bom", "csv_bom", "NM-NM", DB_ROSTER, fund_from="column",
      fund="กองทุนสวัสดิการชุมชนเทศบาลนครนครราชสีมา", titles=[], trailer=(), date="iso_ce", sex="en", pad=False),
    R(10, "rosters/chokchai.csv", "codi-one-row-so-given-name", "csv", "NM-CC", CODI_ONE_ROW, id="dash",
      date="thai_full_pso", titles=FUND_TITLE_ONE, title="full"),
    R(9, "rosters/chokchai_age.xls", "age-xls", "xls", "NM-CC", AGE_ONLY, age="pi", name="abbr_glued",
      trailer=SIGN_NOTE),
    R(30, "rosters/กองทุนสวัสดิการชุมชนตำบลตะคุ.tsv", "printed-pages-tsv", "tsv", "NM-TK", PRINTED_PAGES,
      fund_from="stem", titles=PLAIN_TITLES, date="year_be", repeat=20, pad=False),
    R(10, "rosters/takhu_two_row.xlsx", "two-row-village-name", "xlsx", "NM-TK", VILLAGE_NAME_TWO_ROW,
      date="dmy_be", id="space", merge_title=True, title="nodot"),
    R(9, "rosters/krathumrai_combined.csv", "combined-ranks-spelt-out", "csv_bom", "BKK-KR", COMBINED,
      fund_kind="แขวง", titles=FUND_TITLE_ONE, name="long_glued", date="thai_full", place="plain"),
]

# Poverty extracts: one row per person of a surveyed household.
TPMAP_TH = ["รหัสบ้าน|house_code", "บ้านเลขที่|house_no", "หมู่ที่|village_no", "ชื่อหมู่บ้าน|village_name",
            "รหัสตำบล|subdistrict_code", "ตำบล|subdistrict", "อำเภอ|district", "จังหวัด|province",
            "เลขประจำตัวประชาชน|citizen_id", "คำนำหน้า|title", "ชื่อ|first_name", "นามสกุล|last_name", "เพศ|sex",
            "ปีเกิด|birth_year", "บัตรสวัสดิการแห่งรัฐ|welfare_card", "ปีที่สำรวจ|survey_year",
            "ด้านสุขภาพ|dim_health", "ด้านความเป็นอยู่|dim_living", "ด้านการศึกษา|dim_education",
            "ด้านรายได้|dim_income", "ด้านการเข้าถึงบริการรัฐ|dim_access"]
JPT_TH = ["รหัสประจำบ้าน|house_code", "เลขที่|house_no", "ม.|village_no", "หมู่บ้าน|village_name",
          "ต.|subdistrict", "อ.|district", "จ.|province", "เลขบัตรประชาชน|citizen_id", "คำนำหน้านาม|title",
          "ชื่อ|first_name", "สกุล|last_name", "เพศ|sex", "ปี พ.ศ. เกิด|birth_year", "ถือบัตรสวัสดิการ|welfare_card",
          "ปีข้อมูล|survey_year", "สุขภาพ|dim_health", "ความเป็นอยู่|dim_living", "การศึกษา|dim_education",
          "รายได้|dim_income", "การเข้าถึงบริการรัฐ|dim_access"]
DB_PARQUET = ["HC|house_code", "HNO|house_no", "VILL|village_no", "VILL_NAME|village_name",
              "TMB_CODE|subdistrict_code", "PID|citizen_id", "PRENAME|title", "FNAME|first_name", "LNAME|last_name",
              "SEX|sex", "BIRTHYEAR|birth_year", "CARD|welfare_card", "SURVEY_YEAR|survey_year",
              "DIM1|dim_health", "DIM2|dim_living", "DIM3|dim_education", "DIM4|dim_income", "DIM5|dim_access"]
DB_CSV = ["HOUSE_ID|house_code", "HNO|house_no", "MOO|village_no", "TAMBON|subdistrict", "AMPHUR|district",
          "CHANGWAT|province", "NATID|citizen_id", "TITLE_NAME|title", "FNAME|first_name", "LNAME|last_name",
          "SEX|sex", "BDATE|birth_date", "WELFARE_CARD|welfare_card", "SURVEY_YEAR|survey_year",
          "HEALTH|dim_health", "LIVING|dim_living", "EDU|dim_education", "INCOME|dim_income", "ACCESS|dim_access"]
EN_EXTRACT = ["House Code|house_code", "House No.|house_no", "Village No.|village_no", "Village Name|village_name",
              "Subdistrict Code|subdistrict_code", "Tambon|subdistrict", "District|district", "Province|province",
              "Citizen ID|citizen_id", "Title|title", "First Name|first_name", "Last Name|last_name", "Sex|sex",
              "Birth Year|birth_year", "Welfare Card|welfare_card", "Survey Year|survey_year", "Health|dim_health",
              "Living|dim_living", "Education|dim_education", "Income|dim_income", "Access|dim_access"]


def E(path: str, style: str, fmt: str, cols: list[str], **kw: Any) -> dict[str, Any]:
    spec: dict[str, Any] = dict(path=path, style=style, fmt=fmt, cols=cols, flags="01", card="01", sex="th",
                                id="plain", titles=[], sheets=None, title="full", pad=True)
    spec.update(kw)
    return spec


EXTRACT_STYLES: list[dict[str, Any]] = [
    E("tpmap_{a}.csv", "tpmap-thai-csv", "csv", TPMAP_TH),
    E("jpt_{a}.csv", "jpt-thai-cp874-mee-maimee", "cp874", JPT_TH, flags="มี", card="มี", title="abbr"),
    E("tpmap_{a}.xlsx", "tpmap-xlsx-title-ticks", "xlsx", TPMAP_TH, flags="tick", card="tick", id="number",
      titles=["ข้อมูลคนจนเป้าหมาย TPMAP ปี 2566", "ตำบล{subdistrict} อำเภอ{district} จังหวัด{province}", ""]),
    E("dump_{a}.parquet", "db-dump-parquet", "parquet", DB_PARQUET, sex="code"),
    E("dump_{a}.csv", "db-dump-csv-yn", "csv", DB_CSV, flags="YN", card="YN", sex="en", pad=False),
    E("export_{a}.tsv", "english-headed-tsv", "tsv", EN_EXTRACT, card="yes", pad=False),
    E("tpmap_th_{a}.parquet", "thai-headed-parquet", "parquet", TPMAP_TH),
    E("villages_{a}.xlsx", "per-village-sheets-xlsx", "xlsx", JPT_TH, sheets="village", flags="YN", card="YN"),
    E("tpmap_{a}.xls", "tpmap-xls", "xls", TPMAP_TH, title="abbr"),
    E("jpt_{a}.ods", "jpt-ods-ticks", "ods", JPT_TH, flags="tick", card="tick"),
]

# The rosters that carry their area's traps (namesake's model, father, twins, a given name like นพ/สอ),
# chosen so that each trap sits in a file with the columns that make it a trap (e.g. a separate title column).
TRAP_FILES = {
    "rosters/fund_nongki/tambon_nongki_2567.xlsx",
    "rosters/bandan/members.csv",
    "rosters/กองทุนสวัสดิการชุมชนตำบลนางรอง/สมาชิก_2566.csv",
    "rosters/กองทุนสวัสดิการชุมชนเทศบาลตำบลลำปลายมาศ/ทะเบียน.csv",
    "rosters/prakhonchai.xlsx",
    "rosters/กองทุนสวัสดิการชุมชนตำบลสันทรายหลวง/ทะเบียนสมาชิก.csv",
    "rosters/siphum_villages.xlsx",
    "rosters/pakchong_two_row.csv",
    "rosters/naimueang_korat_villages.xlsx",
    "rosters/chokchai.csv",
    "rosters/klongchan_fund_column.tsv",
}
