"""The reports' Thai words: values (ใช่/ไม่ใช่, link methods, area levels), the column dictionary, sheet descriptions.

The marts' contracts (schemas/marts.py) describe columns in English for developers; a planner reads the workbook in
Thai, so every mart column has its Thai description here. tests/test_reports.py fails when a contract gains a
column this dictionary lacks.
"""

from schemas.marts import DIMENSIONS
from transforms.report_sql import LEVEL_TH, METHOD_TH, NO, YES

__all__ = ["COLUMN_TH", "LEVEL_TH", "METHOD_TH", "NO", "SHEET_ABOUT_TH", "YES", "column_th"]


_HH = "ครัวเรือน (รหัสประจำบ้านเดียวกัน)"
COLUMN_TH: dict[str, str] = {
    "level": "ระดับพื้นที่ของแถว: จังหวัด อำเภอ ตำบล หรือหมู่บ้าน (แถวรวมระดับจังหวัดอยู่บนสุด)",
    "province_code": "รหัสจังหวัดตามกรมการปกครอง (2 หลัก)",
    "district_code": "รหัสอำเภอตามกรมการปกครอง (4 หลัก)",
    "subdistrict_code": "รหัสตำบลตามกรมการปกครอง (6 หลัก)",
    "province_name": "ชื่อจังหวัด (กรมการปกครอง)",
    "district_name": "ชื่ออำเภอ (กรมการปกครอง)",
    "subdistrict_name": "ชื่อตำบล (กรมการปกครอง)",
    "village_no": "หมู่ที่",
    "fund": "ชื่อกองทุน (จากทะเบียนสมาชิก หรือชื่อไฟล์ทะเบียน)",
    "funds": "กองทุนที่มีสมาชิกอยู่ในตำบลนี้ (คั่นด้วย ;)",
    "person_key": "รหัสแทนตัวบุคคล (คำนวณจากเลขประจำตัวประชาชนด้วยกุญแจลับ ย้อนกลับเป็นเลขประจำตัวไม่ได้) "
                  "คนเดียวกันได้รหัสเดียวกันทุกตาราง",
    "linked": "สมาชิกคนนี้เชื่อมโยงกับข้อมูลความยากจนได้หรือไม่ (ใช่/ไม่ใช่)",
    "match_method": "วิธีที่ใช้เชื่อมโยง: " + ", ".join(METHOD_TH.values()),
    "match_score": "ความน่าจะเป็นที่เป็นคนเดียวกัน (0 ถึง 1; 1 เมื่อเชื่อมด้วยเลขประจำตัว; ว่างเมื่อเชื่อมไม่ได้)",
    "roster_duplicate": "คนเดียวกันอยู่ในทะเบียนสมาชิกมากกว่าหนึ่งแถว (ใช่/ไม่ใช่)",
    "house_code": "รหัสประจำบ้าน 11 หลัก: ใช้ตามหาครัวเรือน",
    "poor_dimensions": f"จำนวนมิติ (0 ถึง 5) ที่{_HH}จน",
    "is_poor": f"{_HH}จนอย่างน้อยหนึ่งมิติ (ใช่/ไม่ใช่)",
    "welfare_card": "ถือบัตรสวัสดิการแห่งรัฐ (ใช่/ไม่ใช่; ว่างเมื่อไม่ทราบ)",
    "target_poor": "คนจนเป้าหมาย: จนอย่างน้อยหนึ่งมิติ และถือบัตรสวัสดิการแห่งรัฐ (ใช่/ไม่ใช่)",
    "survey_year": "ปีที่สำรวจข้อมูลความยากจน (พ.ศ.)",
    "has_fund": "มีสมาชิกกองทุนอาศัยอยู่ในพื้นที่นี้ (ใช่/ไม่ใช่)",
    "poor_people": "จำนวนคนในครัวเรือนยากจน (นับคนละครั้ง)",
    "poor_members": "ในจำนวนนั้น คนที่เป็นสมาชิกกองทุน",
    "coverage_rate": "สัดส่วนที่ครอบคลุม = คนจนที่เป็นสมาชิก / คนจน",
    "target_poor_people": "จำนวนคนจนเป้าหมาย",
    "target_poor_members": "คนจนเป้าหมายที่เป็นสมาชิกกองทุน",
    "target_coverage_rate": "สัดส่วนคนจนเป้าหมายที่ครอบคลุม = คนจนเป้าหมายที่เป็นสมาชิก / คนจนเป้าหมาย",
    "members": "จำนวนแถวสมาชิกในทะเบียนที่ผ่านการตรวจ",
    "distinct_people": "จำนวนคนไม่ซ้ำกันในทะเบียน",
    "unlinked": "แถวสมาชิกที่เชื่อมโยงกับข้อมูลความยากจนไม่ได้",
    "linked_exact_id": "แถวที่เชื่อมด้วยเลขประจำตัวประชาชนตรงกัน",
    "linked_id_typo": "แถวที่เชื่อมด้วยเลขประจำตัวพิมพ์ผิดหนึ่งหลักและชื่อตรงกัน",
    "linked_clerical": "แถวที่เชื่อมเพราะผู้ตรวจสอบยืนยันคู่นั้น (รายการรอตรวจ)",
    "linked_probabilistic": "แถวที่เชื่อมด้วยแบบจำลองความน่าจะเป็น",
    "duplicates": "แถวที่คนเดียวกันอยู่ในทะเบียนมากกว่าหนึ่งแถว",
    "fix_lines": "จำนวนบรรทัดในรายการให้กองทุนแก้ไข (fix_lists/ชื่อกองทุน.xlsx, เอกสารจำกัดสิทธิ์)",
    "fix_quarantined": "บรรทัดที่ไม่ได้นำเข้าแต่อาจเป็นสมาชิก (ไม่มีชื่อ หรืออยู่เหนือแถวหัวตาราง)",
    "fix_citizen_id": "บรรทัดที่อ่านเลขประจำตัวประชาชนไม่ได้ (เลขตรวจสอบผิด จำนวนหลักผิด ถูก Excel แปลง)",
    "fix_birth_date": "บรรทัดที่อ่านวันเกิดหรืออายุไม่ได้",
    "fix_address": "บรรทัดที่หาที่อยู่ไม่พบหรือกำกวม",
}
for _d, _th in DIMENSIONS.items():
    COLUMN_TH[f"dim_{_d}"] = f"{_HH}จนด้าน{_th} (ใช่/ไม่ใช่)"
    COLUMN_TH[f"poor_{_d}"] = f"จำนวนคนใน{_HH}ที่จนด้าน{_th}"
    COLUMN_TH[f"members_{_d}"] = f"ในจำนวนนั้น คนที่เป็นสมาชิกกองทุน (ด้าน{_th})"
    COLUMN_TH[f"coverage_{_d}"] = f"สัดส่วนที่ครอบคลุมด้าน{_th} = สมาชิกที่จนด้าน{_th} / คนจนด้าน{_th}"

# Where a column means something else in one mart than in the others.
_COLUMN_TH_BY_MART: dict[tuple[str, str], str] = {
    ("fund_summary", "province_code"): "จังหวัดของกองทุน: ที่สมาชิกส่วนใหญ่อาศัยอยู่",
    ("fund_summary", "district_code"): "อำเภอของกองทุน: ที่สมาชิกส่วนใหญ่อาศัยอยู่",
    ("fund_summary", "subdistrict_code"): "ตำบลของกองทุน: ที่สมาชิกส่วนใหญ่อาศัยอยู่",
    ("fund_summary", "linked"): "แถวสมาชิกที่เชื่อมโยงกับข้อมูลความยากจนได้",
    ("fund_summary", "poor_members"): "แถวสมาชิกที่อยู่ในครัวเรือนยากจน",
    ("fund_summary", "target_poor_members"): "แถวสมาชิกที่เป็นคนจนเป้าหมาย",
    ("member_poverty", "village_no"): "หมู่ที่ จากข้อมูลความยากจนเมื่อเชื่อมได้ มิฉะนั้นจากทะเบียนสมาชิก",
    ("coverage", "village_no"): "หมู่ที่ (เฉพาะแถวระดับหมู่บ้าน)",
}
for _d, _th in DIMENSIONS.items():
    _COLUMN_TH_BY_MART[("fund_summary", f"poor_{_d}")] = f"แถวสมาชิกที่{_HH}จนด้าน{_th}"

SHEET_ABOUT_TH: dict[str, str] = {
    "member_poverty": "สมาชิกกองทุนทุกแถว กับสถานะความยากจนของครัวเรือนที่เชื่อมได้ (รายมิติ บัตรสวัสดิการ "
                      "คนจนเป้าหมาย)",
    "poor_not_in_fund": "คนในครัวเรือนยากจนที่ยังไม่เป็นสมาชิก ในตำบลที่มีกองทุน (รายชื่อสำหรับชักชวน ทั้งจังหวัด)",
    "coverage": "ความครอบคลุม: คนจน คนจนที่เป็นสมาชิก และสัดส่วน รายจังหวัด อำเภอ ตำบล หมู่บ้าน (ยอดรวมอยู่บนสุด)",
    "fund_summary": "สรุปรายกองทุน: สมาชิก การเชื่อมโยงรายวิธี แถวซ้ำ สมาชิกที่จนรายมิติ",
}


def column_th(table: str, column: str, default: str | None = None) -> str:
    """The Thai description of a mart column, for the workbook's column dictionary (`default` when it has none:
    a column added to a contract before its Thai words; the tests name it).

    Examples:
        >>> column_th("coverage", "coverage_rate")
        'สัดส่วนที่ครอบคลุม = คนจนที่เป็นสมาชิก / คนจน'
        >>> column_th("fund_summary", "district_code")
        'อำเภอของกองทุน: ที่สมาชิกส่วนใหญ่อาศัยอยู่'
    """
    found = _COLUMN_TH_BY_MART.get((table, column)) or COLUMN_TH.get(column)
    if found is None:
        if default is None:
            raise KeyError(f"no Thai description of {table}.{column}")
        return default
    return found
